//! `specbook show`: one spec in full: metadata, git dates, status history, relations,
//! section completeness and findings.

use std::io::Write;

use anyhow::{Context as _, Result};
use serde_json::{Value, json};
use specbook_diagnostics::Severity;
use specbook_markdown::SpecId;
use specbook_workspace::{Catalog, Entry, completeness, resolve};

use crate::cli::{ListFormat, ShowArgs};
use crate::exit;

pub(crate) fn run(args: &ShowArgs) -> Result<u8> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &[], true)?;
    let path = resolve(&project.files, &project.config.ids, &args.id)?;
    let entry = catalog
        .entries
        .iter()
        .find(|e| &e.path == path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let text = specbook_workspace::read_input_to_string(path)
        .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
    let sections = completeness(&project.checker, path, &text);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ListFormat::Json => {
            let mut value = super::list::entry_json(entry);
            value["status_history"] = Value::Array(
                entry
                    .status_history()
                    .iter()
                    .map(|c| {
                        json!({
                            "date": c.commit.date.to_string(),
                            "author": c.commit.author,
                            "commit": c.commit.hash,
                            "from": c.from,
                            "to": c.to,
                        })
                    })
                    .collect(),
            );
            value["recorded_transitions"] = serde_json::to_value(&entry.meta.recorded_transitions)?;
            value["sections"] = serde_json::to_value(&sections)?;
            value["findings"] = serde_json::to_value(&entry.report.diagnostics)?;
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let several = !project.checker.templates.is_empty();
            write_text(&mut out, entry, &catalog, &sections, several)?;
        }
    }
    out.flush()?;
    Ok(exit::OK)
}

fn write_text(
    out: &mut dyn Write,
    entry: &Entry,
    catalog: &Catalog,
    sections: &specbook_workspace::Completeness,
    several_templates: bool,
) -> std::io::Result<()> {
    let meta = &entry.meta;
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    writeln!(
        out,
        "{}  {}",
        entry.id(),
        super::shown_text(&entry.title_or_id())
    )?;
    writeln!(out)?;
    let authors = if meta.authors.is_empty() {
        "-".to_owned()
    } else {
        meta.authors.join(", ")
    };
    for (label, value) in [
        ("path", entry.path.display().to_string()),
        ("status", or_dash(&meta.status)),
        ("team", or_dash(&meta.team)),
        ("authors", authors),
        ("created", or_dash(&meta.created)),
        ("last updated", or_dash(&meta.last_updated)),
    ] {
        writeln!(out, "{label:<14}{}", super::shown_text(&value))?;
    }
    if several_templates {
        let template = meta.template.as_deref().unwrap_or("default");
        writeln!(out, "{:<14}{template}", "template")?;
    }
    write_git(out, entry)?;
    write_recorded(out, entry)?;
    write_relations(out, entry, catalog)?;
    writeln!(
        out,
        "\nsections      {} of {} present, {} empty",
        sections.present,
        sections.sections,
        sections.empty.len()
    )?;
    for title in &sections.missing {
        writeln!(out, "  missing  {title}")?;
    }
    for title in &sections.empty {
        writeln!(out, "  empty    {title}")?;
    }
    let errors = entry.count(Severity::Error);
    let warnings = entry.count(Severity::Warning);
    writeln!(
        out,
        "\nfindings      {errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )?;
    for finding in &entry.report.diagnostics {
        writeln!(
            out,
            "  {}:{:<4} {:<7}  {}: {}",
            finding.line,
            finding.column,
            finding.severity.as_str(),
            finding.rule,
            finding.message
        )?;
    }
    Ok(())
}

/// Git dates and the status history.
fn write_git(out: &mut dyn Write, entry: &Entry) -> std::io::Result<()> {
    match &entry.history {
        Some(history) => {
            writeln!(
                out,
                "{:<14}added {} by {}; last changed {} by {} ({})",
                "git",
                history.first.date,
                history.first.author,
                history.last.date,
                history.last.author,
                history.last.hash.chars().take(7).collect::<String>()
            )?;
            writeln!(out, "\nstatus history")?;
            for change in entry.status_history() {
                let what = match (&change.from, &change.to) {
                    (None, Some(to)) => format!("created as {to}"),
                    (None, None) => "created".to_owned(),
                    (Some(from), Some(to)) => format!("{from} -> {to}"),
                    (Some(from), None) => format!("{from} -> (no status)"),
                };
                writeln!(
                    out,
                    "  {}  {}  {what}",
                    change.commit.date, change.commit.author
                )?;
            }
        }
        None => writeln!(
            out,
            "{:<14}not in a git repository, or not committed",
            "git"
        )?,
    }
    Ok(())
}

/// The transitions the spec's status-history field records (who, and why when forced), when
/// it has any.
fn write_recorded(out: &mut dyn Write, entry: &Entry) -> std::io::Result<()> {
    let recorded = &entry.meta.recorded_transitions;
    if recorded.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nrecorded transitions")?;
    for record in recorded {
        let line = match (&record.date, &record.to) {
            (Some(date), Some(to)) => {
                let from = record.from.as_deref().unwrap_or("(no status)");
                let by = record
                    .by
                    .as_ref()
                    .map_or_else(String::new, |by| format!("  by {by}"));
                let why = match (record.forced, &record.reason) {
                    (true, Some(reason)) => format!("  forced: {reason}"),
                    (true, None) => "  forced".to_owned(),
                    (false, Some(reason)) => format!("  reason: {reason}"),
                    (false, None) => String::new(),
                };
                format!("{date}  {from} -> {to}{by}{why}")
            }
            _ => record.text.clone(),
        };
        writeln!(out, "  {}", super::shown_text(&line))?;
    }
    Ok(())
}

/// The spec's own relations, and those other specs record about it.
fn write_relations(out: &mut dyn Write, entry: &Entry, catalog: &Catalog) -> std::io::Result<()> {
    let meta = &entry.meta;
    writeln!(out, "\nrelations")?;
    for (label, ids) in [
        ("supersedes", &meta.supersedes),
        ("superseded by", &meta.superseded_by),
        ("related", &meta.related),
    ] {
        let shown: Vec<String> = ids
            .iter()
            .map(|&n| match catalog.by_id(n) {
                Some(other) => format!("{n} {}", other.title_or_id()),
                None => format!("{n} (no such spec)"),
            })
            .collect();
        let shown = if shown.is_empty() {
            "-".to_owned()
        } else {
            shown.join("; ")
        };
        writeln!(out, "  {label:<15}{shown}")?;
    }
    // Relations other specs record that this one does not record back.
    if let Some(number) = entry.spec_id {
        let mine: Vec<SpecId> = meta
            .supersedes
            .iter()
            .chain(&meta.superseded_by)
            .chain(&meta.related)
            .copied()
            .collect();
        let inbound: Vec<String> = catalog
            .entries
            .iter()
            .filter(|other| other.spec_id.is_some_and(|n| !mine.contains(&n)))
            .filter_map(|other| {
                let m = &other.meta;
                let kind = if m.supersedes.contains(&number) {
                    "supersedes it"
                } else if m.superseded_by.contains(&number) {
                    "is superseded by it"
                } else if m.related.contains(&number) {
                    "relates to it"
                } else {
                    return None;
                };
                Some(format!("{} {} ({kind})", other.id(), other.title_or_id()))
            })
            .collect();
        if !inbound.is_empty() {
            writeln!(out, "  {:<15}{}", "named by", inbound.join("; "))?;
        }
    }
    Ok(())
}
