//! `specbook list`: the catalog as a table, JSON or CSV.

use std::io::Write;

use anyhow::Result;
use serde_json::{Value, json};
use specbook_diagnostics::Severity;
use specbook_markdown::SpecId;
use specbook_workspace::Entry;

use crate::cli::{CatalogFormat, ListArgs};
use crate::exit;

pub(crate) fn run(args: &ListArgs) -> Result<u8> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &args.paths, true)?;
    if args.stale && project.checker.git.is_none() {
        eprintln!(
            "warning: --stale needs the git history, which cannot be read here (not a git repository, or see above)"
        );
    }
    let lifecycle = specbook_workspace::Lifecycle::new(&project.checker.schema, &project.config);
    let statuses = catalog
        .entries
        .iter()
        .filter_map(|e| e.meta.status.as_deref())
        .chain(lifecycle.all());
    super::check_filter(("status", "statuses"), args.status.as_deref(), statuses)?;
    let teams = catalog
        .entries
        .iter()
        .filter_map(|e| e.meta.team.as_deref());
    super::check_filter(("team", "teams"), args.team.as_deref(), teams)?;
    let wanted = |entry: &&Entry| {
        let same = |filter: &Option<String>, value: &Option<String>| {
            filter.as_ref().is_none_or(|f| {
                value
                    .as_ref()
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case(f.trim()))
            })
        };
        same(&args.status, &entry.meta.status)
            && same(&args.team, &entry.meta.team)
            && args.author.as_ref().is_none_or(|a| {
                let a = a.trim().to_lowercase();
                entry
                    .meta
                    .authors
                    .iter()
                    .any(|name| name.to_lowercase().contains(&a))
            })
            && (!args.stale || entry.is_stale())
    };
    let entries: Vec<&Entry> = catalog.entries.iter().filter(wanted).collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        CatalogFormat::Human => write_table(&mut out, &entries)?,
        CatalogFormat::Json => {
            let list: Vec<Value> = entries.iter().map(|e| entry_json(e)).collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        CatalogFormat::Csv => write_csv(&mut out, &entries)?,
    }
    out.flush()?;
    Ok(exit::OK)
}

/// The row of a spec: id, title, status, team, authors, last updated, errors.
fn row(entry: &Entry) -> [String; 7] {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    [
        entry.id(),
        entry.title_or_id(),
        or_dash(&entry.meta.status),
        or_dash(&entry.meta.team),
        if entry.meta.authors.is_empty() {
            "-".to_owned()
        } else {
            entry.meta.authors.join(", ")
        },
        or_dash(&entry.meta.last_updated),
        entry.count(Severity::Error).to_string(),
    ]
}

const HEADER: [&str; 7] = [
    "ID", "TITLE", "STATUS", "TEAM", "AUTHORS", "UPDATED", "ERRORS",
];

fn write_table(out: &mut dyn Write, entries: &[&Entry]) -> std::io::Result<()> {
    let rows: Vec<[String; 7]> = entries
        .iter()
        .map(|e| row(e).map(|cell| super::shown_text(&cell)))
        .collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(width - cell.chars().count() + 2));
            }
        }
        text
    };
    writeln!(out, "{}", line(&HEADER))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    if rows.is_empty() {
        writeln!(out, "(no specs)")?;
    }
    Ok(())
}

fn write_csv(out: &mut dyn Write, entries: &[&Entry]) -> std::io::Result<()> {
    writeln!(out, "id,title,status,team,authors,last_updated,errors")?;
    for entry in entries {
        let mut cells = row(entry);
        // Empty cells, not dashes, and authors separated so the field stays one list.
        for cell in &mut cells[2..6] {
            if cell == "-" {
                cell.clear();
            }
        }
        cells[4] = entry.meta.authors.join("; ");
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// A spec as JSON: what `list --format json` prints for each, and what `show` starts from.
pub(crate) fn entry_json(entry: &Entry) -> Value {
    let ids = |list: &[SpecId]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
    let git = entry.history.as_ref().map(|h| {
        json!({
            "created": h.first.date.to_string(),
            "created_by": h.first.author,
            "last_changed": h.last.date.to_string(),
            "last_changed_by": h.last.author,
            "last_commit": h.last.hash,
        })
    });
    let mut value = json!({
        "id": entry.id(),
        "number": entry.spec_id.map(|id| id.number),
        "path": entry.path.display().to_string(),
        "title": entry.meta.title,
        "status": entry.meta.status,
        "team": entry.meta.team,
        "authors": entry.meta.authors,
        "created": entry.meta.created,
        "last_updated": entry.meta.last_updated,
        "supersedes": ids(&entry.meta.supersedes),
        "superseded_by": ids(&entry.meta.superseded_by),
        "related": ids(&entry.meta.related),
        "errors": entry.count(Severity::Error),
        "warnings": entry.count(Severity::Warning),
        "stale": entry.is_stale(),
        "git": git,
    });
    // Only where a status carries one, so the common shape stays as it was.
    if let Some(qualifier) = &entry.meta.qualifier {
        value["status_qualifier"] = json!(qualifier);
    }
    if let Some(template) = &entry.meta.template {
        value["template"] = json!(template);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
