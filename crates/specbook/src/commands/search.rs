//! `specbook search`: the site's search in the terminal.

use std::io::Write;

use anyhow::Result;
use serde_json::json;
use specbook_site::search_index;

use crate::cli::{ListFormat, SearchArgs};
use crate::exit;

pub(crate) fn run(args: &SearchArgs) -> Result<u8> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &args.paths, false)?;
    let lifecycle = specbook_workspace::Lifecycle::new(&project.checker.schema, &project.config);
    let statuses = catalog
        .entries
        .iter()
        .filter_map(|e| e.meta.status.as_deref())
        .chain(lifecycle.all());
    super::check_filter(("status", "statuses"), args.status.as_deref(), statuses)?;
    let index = search_index(&catalog.entries);
    let query = args.query.join(" ");
    let hits: Vec<_> = index
        .search(&query)
        .into_iter()
        .filter(|hit| {
            args.status
                .as_ref()
                .is_none_or(|s| index.docs[hit.doc].status.eq_ignore_ascii_case(s.trim()))
        })
        .take(args.limit)
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Human => {
            for hit in &hits {
                let doc = &index.docs[hit.doc];
                let entry = &catalog.entries[hit.doc];
                let status = if doc.status.is_empty() {
                    "-"
                } else {
                    &doc.status
                };
                writeln!(
                    out,
                    "{:>8.1}  {}  {}  ({status})  {}",
                    hit.score / 1000.0,
                    doc.id,
                    super::shown_text(&doc.title),
                    super::shown(&entry.path)
                )?;
            }
            if hits.is_empty() {
                writeln!(out, "no spec matches `{query}`")?;
            }
        }
        ListFormat::Json => {
            let results: Vec<_> = hits
                .iter()
                .map(|hit| {
                    let doc = &index.docs[hit.doc];
                    json!({
                        "id": doc.id,
                        "title": doc.title,
                        "status": doc.status,
                        "path": catalog.entries[hit.doc].path.display().to_string(),
                        "score": (hit.score / 1000.0 * 1000.0).round() / 1000.0,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &results)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if hits.is_empty() {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
