//! `specbook search`: the site's search in the terminal.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use crate::cli::{ListFormat, SearchArgs};
use crate::exit;

/// The file under specbook's state folder that keeps the index between runs.
const STORE: &str = "search-v1.bin";

pub(crate) fn run(args: &SearchArgs) -> Result<u8> {
    let mut project = super::project(args.template.as_deref(), &args.paths)?;
    // The catalog's order (ties in the ranking go to the spec listed first).
    let ids = &project.checker.ids;
    let mut files: Vec<_> = std::mem::take(&mut project.files)
        .into_iter()
        .map(|f| (ids.id(&f), f))
        .collect();
    files.sort_by(|a, b| {
        specbook_workspace::catalog_key(a.0, &a.1).cmp(&specbook_workspace::catalog_key(b.0, &b.1))
    });
    project.files = files.into_iter().map(|(_, f)| f).collect();
    // What the index depends on besides the specs: the configuration and the templates.
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for file in project.config.path.iter().chain(&project.templates) {
        inputs.push(std::fs::read(file).unwrap_or_default());
    }
    let inputs: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
    let key = specbook_site::key_of(&inputs);
    let store = specbook_workspace::state_dir(&project.config.root).join(STORE);
    let query = args.query.join(" ");
    // A search of some of the specs (`--path`) ranks among those: it reads the stored counts
    // but does not replace the index of all of them.
    let searched = specbook_site::search_stored(
        &project.checker,
        &project.files,
        &store,
        key,
        args.paths.is_empty(),
        &query,
    );
    let lifecycle = specbook_workspace::Lifecycle::new(&project.checker.schema, &project.config);
    let statuses = searched
        .docs
        .iter()
        .map(|d| d.info.status.as_str())
        .filter(|s| !s.is_empty())
        .chain(lifecycle.all());
    super::check_filter(("status", "statuses"), args.status.as_deref(), statuses)?;
    let docs = &searched.docs;
    let hits: Vec<_> = searched
        .hits
        .iter()
        .filter(|hit| {
            args.status
                .as_ref()
                .is_none_or(|s| docs[hit.doc].info.status.eq_ignore_ascii_case(s.trim()))
        })
        .take(args.limit)
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Human => {
            for hit in &hits {
                let found = &docs[hit.doc];
                let doc = &found.info;
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
                    super::shown(&found.path)
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
                    let doc = &docs[hit.doc].info;
                    json!({
                        "id": doc.id,
                        "title": doc.title,
                        "status": doc.status,
                        "path": docs[hit.doc].path.display().to_string(),
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
