//! `specbook rules`: every rule with its default severity and a one-line summary.

use std::io::Write;

use anyhow::Result;
use serde_json::json;
use specbook_linter::RULES;

use crate::cli::{ListFormat, RulesArgs};
use crate::exit;

pub(crate) fn run(args: &RulesArgs) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        ListFormat::Human => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let severity_width = RULES
                .iter()
                .map(|r| r.severity_text().len())
                .max()
                .unwrap_or(0);
            writeln!(
                out,
                "{:width$}  {:severity_width$}  {:7}  summary",
                "rule", "severity", "fixable"
            )?;
            for rule in RULES {
                writeln!(
                    out,
                    "{:width$}  {:severity_width$}  {:7}  {}",
                    rule.name,
                    rule.severity_text(),
                    if rule.fixable { "yes" } else { "no" },
                    rule.summary
                )?;
            }
            for (name, summary, _) in super::check::READER_RULES {
                writeln!(
                    out,
                    "{name:width$}  {:severity_width$}  {:7}  {summary} (reported by the file reader)",
                    "error", "no",
                )?;
            }
            writeln!(out, "\nMore about one rule: specbook explain RULE")?;
        }
        ListFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|rule| {
                    json!({
                        "name": rule.name,
                        "severity": rule.severity_text(),
                        "fixable": rule.fixable,
                        "summary": rule.summary,
                    })
                })
                .chain(super::check::READER_RULES.iter().map(|(name, summary, _)| {
                    json!({
                        "name": name,
                        "severity": "error",
                        "fixable": false,
                        "summary": summary,
                    })
                }))
                .collect();
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
    }
    Ok(exit::OK)
}
