//! `specbook graph`: the relations between specs as Mermaid or Graphviz DOT.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Result;
use specbook_markdown::SpecId;
use specbook_workspace::{Catalog, missing_ids, relation_edges};

use crate::cli::{GraphArgs, GraphFormat};
use crate::exit;

pub(crate) fn run(args: &GraphArgs) -> Result<u8> {
    let (_, catalog) = super::catalog(args.template.as_deref(), &args.paths, false)?;
    let graph = Graph::of(&catalog);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        GraphFormat::Mermaid => graph.mermaid(&mut out)?,
        GraphFormat::Dot => graph.dot(&mut out)?,
    }
    out.flush()?;
    Ok(exit::OK)
}

/// The specs that take part in a relation, and the relations, each once.
struct Graph {
    /// (number, label) of each node, sorted by number.
    nodes: Vec<(SpecId, String)>,
    /// (newer, older): newer supersedes older.
    supersedes: BTreeSet<(SpecId, SpecId)>,
    /// (lower, higher): related, undirected.
    related: BTreeSet<(SpecId, SpecId)>,
}

impl Graph {
    fn of(catalog: &Catalog) -> Self {
        let edges = relation_edges(&catalog.entries);
        let used = edges.specs();
        let missing = missing_ids(&catalog.entries);
        let nodes = used
            .into_iter()
            .map(|n| {
                let label = match catalog.by_id(n) {
                    Some(entry) => format!(
                        "{n} {}{}",
                        entry.title_or_id(),
                        entry
                            .meta
                            .status
                            .as_ref()
                            .map_or_else(String::new, |s| format!(" ({s})"))
                    ),
                    None if missing.contains(&n) => format!("{n} (no such spec)"),
                    None => format!("{n} (id shared by several specs)"),
                };
                (n, label)
            })
            .collect();
        Self {
            nodes,
            supersedes: edges.supersedes,
            related: edges.related,
        }
    }

    fn mermaid(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "flowchart LR")?;
        for (n, label) in &self.nodes {
            // Mermaid labels in quotes take HTML entities for quotes.
            writeln!(out, "  s{}[\"{}\"]", node(*n), label.replace('"', "#quot;"))?;
        }
        for (new, old) in &self.supersedes {
            writeln!(out, "  s{} -->|supersedes| s{}", node(*new), node(*old))?;
        }
        for (a, b) in &self.related {
            writeln!(out, "  s{} ---|related| s{}", node(*a), node(*b))?;
        }
        Ok(())
    }

    fn dot(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "digraph specs {{")?;
        writeln!(out, "  rankdir=LR;")?;
        writeln!(out, "  node [shape=box];")?;
        for (n, label) in &self.nodes {
            let label = label.replace('\\', "\\\\").replace('"', "\\\"");
            writeln!(out, "  \"{n}\" [label=\"{label}\"];")?;
        }
        for (new, old) in &self.supersedes {
            writeln!(out, "  \"{new}\" -> \"{old}\" [label=\"supersedes\"];")?;
        }
        for (a, b) in &self.related {
            writeln!(
                out,
                "  \"{a}\" -> \"{b}\" [label=\"related\", dir=none, style=dashed];"
            )?;
        }
        writeln!(out, "}}")
    }
}

/// A Mermaid node name for a spec id: letters, digits and `_` only.
fn node(id: SpecId) -> String {
    id.to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
