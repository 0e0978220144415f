//! `specbook check`: every finding, in the chosen format, and the exit code.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use specbook_diagnostics::{
    HumanOptions, RuleDescription, Severity, Summary, ToolInfo, render_github, render_human,
    render_json, render_sarif,
};
use specbook_linter::{RULES, SeverityPolicy};
use specbook_workspace::{
    CheckOutcome, Checker, FixOutcome, Surroundings, add_workspace_findings, changed_files,
    check_files, check_rule_names, fix_files,
};

use crate::cli::{CheckArgs, Color, Format};
use crate::exit;

pub(crate) fn run(args: &CheckArgs) -> Result<u8> {
    check_rule_names(&args.select, "--select").map_err(anyhow::Error::msg)?;
    check_rule_names(&args.ignore, "--ignore").map_err(anyhow::Error::msg)?;
    let mut config = super::config_for(&args.paths)?;
    let (schema, template_path) = super::load_schema(args.template.as_deref(), &mut config)?;
    let found = super::spec_files(&config, &args.paths, template_path.as_deref())?;
    let mut files = found.files;
    // git runs where the checked files are, so `--changed ~/repo/specs` works from anywhere.
    let folder = super::history_folder(&config, &args.paths);
    if let Some(base) = &args.changed {
        let changed = changed_files(&folder, Some(base.as_str()).filter(|b| !b.is_empty()))?;
        files.retain(|file| file.canonicalize().is_ok_and(|f| changed.contains(&f)));
    }
    report_skipped(&found.skipped);
    if files.is_empty() && args.changed.is_none() {
        let shown: Vec<String> = if args.paths.is_empty() {
            if config.specs.is_empty() {
                vec![".".to_owned()]
            } else {
                config.specs.iter().map(|s| s.written.clone()).collect()
            }
        } else {
            args.paths.iter().map(|p| p.display().to_string()).collect()
        };
        eprintln!(
            "warning: no Markdown files to check in {}",
            shown.join(", ")
        );
    }
    let mut settings = config.settings.clone();
    settings.select.clone_from(&args.select);
    settings.ignore.clone_from(&args.ignore);
    settings.warnings_as_errors = args.warnings_as_errors;
    let mut checker = Checker {
        schema,
        settings,
        git: None,
        ids: config.ids.clone(),
    };
    if super::history_rules_on(&checker) {
        checker.git = super::git_context(&folder, &checker, &config);
    }
    if args.diff {
        return print_diff(&checker, &files);
    }
    let around = super::surroundings(&config, template_path.as_deref(), &files);
    let outcome = if args.fix {
        fix(&checker, &files, &around)
    } else {
        check_files(&checker, &files, &around)
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            render_human(&outcome.reports, HumanOptions { color }, &mut out)?;
        }
        Format::Json => render_json(&outcome.reports, &mut out)?,
        Format::Sarif => render_sarif(&outcome.reports, &rule_descriptions(), TOOL, &mut out)?,
        Format::Github => render_github(&outcome.reports, &mut out)?,
    }
    out.flush()?;
    drop(out);
    for error in &outcome.errors {
        eprintln!("error: {error}");
    }
    if !outcome.errors.is_empty() {
        return Ok(exit::FAILURE);
    }
    Ok(if Summary::of(&outcome.reports).errors > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// Says which Markdown files the walk left out and why: nothing is skipped silently.
fn report_skipped(skipped: &[specbook_workspace::Skipped]) {
    const SHOWN: usize = 5;
    if skipped.is_empty() {
        return;
    }
    let plural = if skipped.len() == 1 { "" } else { "s" };
    eprintln!("note: {} Markdown file{plural} not checked:", skipped.len());
    for file in skipped.iter().take(SHOWN) {
        eprintln!("  {}: {}", file.path.display(), file.reason);
    }
    if skipped.len() > SHOWN {
        eprintln!("  ... and {} more", skipped.len() - SHOWN);
    }
}

const TOOL: ToolInfo<'static> = ToolInfo {
    name: "specbook",
    version: env!("CARGO_PKG_VERSION"),
    information_uri: env!("CARGO_PKG_REPOSITORY"),
};

/// `invalid-utf8` is reported by the file reader, not by a rule over a parsed document.
pub(crate) const INVALID_UTF8_SUMMARY: &str = "The file is not valid UTF-8";

pub(crate) const INVALID_UTF8_DOC: &str = r"## What it does
Reports a file that is not valid UTF-8, at its first invalid byte. The file is not checked
further; the other files are.

## Why is this bad?
specbook, git forges and editors read Markdown as UTF-8. A file in another encoding shows
garbled text and cannot be checked.

## Example
A spec saved as Latin-1 with `Café` in its title.

Use instead: save the file as UTF-8.
";

/// Every rule, for SARIF's `tool.driver.rules`.
fn rule_descriptions() -> Vec<RuleDescription<'static>> {
    let mut rules: Vec<RuleDescription<'static>> = RULES
        .iter()
        .map(|rule| RuleDescription {
            name: rule.name,
            summary: rule.summary,
            doc: rule.doc,
            default_severity: match rule.severity {
                SeverityPolicy::Always(severity) => severity,
                SeverityPolicy::Lifecycle => Severity::Warning,
            },
        })
        .collect();
    rules.push(RuleDescription {
        name: "invalid-utf8",
        summary: INVALID_UTF8_SUMMARY,
        doc: INVALID_UTF8_DOC,
        default_severity: Severity::Error,
    });
    rules
}

/// `--fix`: applies the safe fixes, writes the files, and reports what remains.
fn fix(checker: &Checker, files: &[std::path::PathBuf], around: &Surroundings) -> CheckOutcome {
    let mut outcome = CheckOutcome {
        reports: Vec::new(),
        facts: Vec::new(),
        errors: Vec::new(),
    };
    let mut fixed = 0;
    for result in fix_files(checker, files, true) {
        match result {
            Ok(file) => {
                fixed += usize::from(file.change.is_some());
                outcome.reports.push(file.report);
                outcome.facts.push(file.facts);
            }
            Err(error) => outcome.errors.push(error),
        }
    }
    add_workspace_findings(checker, &mut outcome, around);
    if fixed > 0 {
        let plural = if fixed == 1 { "" } else { "s" };
        eprintln!("fixed {fixed} file{plural}");
    }
    outcome
}

/// `--diff`: prints what `--fix` would change as a unified diff and writes nothing. Exits 1
/// when something would change.
fn print_diff(checker: &Checker, files: &[std::path::PathBuf]) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut changed = 0;
    let mut failed = false;
    for (path, result) in files.iter().zip(fix_files(checker, files, false)) {
        match result {
            Ok(FixOutcome {
                change: Some((before, after)),
                ..
            }) => {
                changed += 1;
                let name = path.display().to_string();
                let diff = similar::TextDiff::from_lines(&before, &after);
                write!(
                    out,
                    "{}",
                    diff.unified_diff().context_radius(3).header(&name, &name)
                )?;
            }
            Ok(_) => {}
            Err(error) => {
                eprintln!("error: {error}");
                failed = true;
            }
        }
    }
    out.flush()?;
    if failed {
        return Ok(exit::FAILURE);
    }
    let plural = if changed == 1 { "" } else { "s" };
    eprintln!("{changed} file{plural} would be changed by --fix");
    Ok(if changed > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
