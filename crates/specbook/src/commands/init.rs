//! `specbook init`: a new workspace, or with `--adopt` the configuration of an existing one.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use specbook_diagnostics::{Severity, Summary};
use specbook_workspace::{
    Adoption, Baseline, BaselineRoot, CONFIG_FILE, Config, WorkspaceError, check_files, write_file,
};

use crate::cli::InitArgs;
use crate::exit;

/// Where `--baseline` records the findings, beside the configuration.
const BASELINE_FILE: &str = "specbook-baseline.json";

pub(crate) fn run(args: &InitArgs) -> Result<u8> {
    if args.adopt {
        return adopt(args);
    }
    let created = specbook_workspace::init(&args.dir)?;
    for path in created {
        println!(
            "created {}",
            path.strip_prefix(".").unwrap_or(&path).display()
        );
    }
    println!("next: specbook new \"Your Feature\"");
    Ok(exit::OK)
}

fn adopt(args: &InitArgs) -> Result<u8> {
    let config_path = args.dir.join(CONFIG_FILE);
    // Before any work: never a user's configuration replaced.
    if config_path.exists() {
        return Err(WorkspaceError::Exists { path: config_path }.into());
    }
    let adoption = specbook_workspace::adopt(&args.dir, args.template.as_deref())?;
    let mut text = adoption.config.clone();
    if args.baseline {
        text = with_baseline(&text, BASELINE_FILE);
    }
    write_file(&config_path, None, &text)?;
    report(&adoption);
    // The adopted configuration at work, as `check` will run it.
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let config = Config::load(&config_path)?;
    let mut config = super::relative_to(config, &cwd);
    let (checker, templates) = super::load_checker(None, &mut config)?;
    let found = super::spec_files(&config, &[], &templates)?;
    let around = super::surroundings(&config, &templates, &found.files);
    let outcome = check_files(&checker, &found.files, &around);
    let summary = Summary::of(&outcome.reports);
    let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for finding in outcome.reports.iter().flat_map(|r| &r.diagnostics) {
        let counts = per_rule.entry(finding.rule).or_default();
        match finding.severity {
            Severity::Error => counts.0 += 1,
            _ => counts.1 += 1,
        }
    }
    println!(
        "\nfindings: {} errors, {} warnings in {} files",
        summary.errors, summary.warnings, summary.files
    );
    let mut rules: Vec<(&str, (usize, usize))> = per_rule.into_iter().collect();
    rules.sort_by_key(|(rule, (e, w))| (std::cmp::Reverse(e + w), *rule));
    for (rule, (errors, warnings)) in rules {
        println!("  {rule:<30} {errors:>6} errors {warnings:>6} warnings");
    }
    for error in &outcome.errors {
        eprintln!("warning: {error}");
    }
    println!("\nwrote {}", shown(&config_path));
    if args.baseline {
        let path = args.dir.join(BASELINE_FILE);
        let baseline = Baseline::record(&outcome.reports, &BaselineRoot::new(&path, &cwd))?;
        baseline.write(&path)?;
        println!(
            "wrote {}: {} findings accepted; `specbook check` now reports only new ones",
            shown(&path),
            baseline.findings()
        );
    } else if summary.errors + summary.warnings > 0 {
        println!(
            "next: `specbook check --write-baseline {BASELINE_FILE}` accepts today's findings, so CI fails only on new ones (add `baseline = \"{BASELINE_FILE}\"` to {CONFIG_FILE})"
        );
    }
    Ok(exit::OK)
}

fn shown(path: &Path) -> String {
    super::shown(path.strip_prefix(".").unwrap_or(path))
}

/// The configuration with `baseline = FILE` among its top-level keys (before any table).
fn with_baseline(text: &str, file: &str) -> String {
    let line = format!(
        "# Findings accepted when specbook was adopted; `check` reports only new ones.\nbaseline = \"{file}\"\n\n"
    );
    match text.find("\n[") {
        Some(at) => format!("{}\n{line}{}", &text[..at], &text[at + 1..]),
        None => format!("{text}\n{line}"),
    }
}

/// What was found, before the findings.
fn report(adoption: &Adoption) {
    let template = match &adoption.template {
        Some(path) if adoption.template_found => {
            format!("{} (found in the corpus)", path.display())
        }
        Some(path) => path.display().to_string(),
        None => {
            "the built-in template (no template file found; give one with --template)".to_owned()
        }
    };
    println!(
        "specs: {} in {}",
        adoption.specs.len(),
        adoption.patterns.join(", ")
    );
    println!("template: {template}");
    match &adoption.lifecycle {
        Some(lifecycle) => {
            let list = |items: &[(String, usize)]| {
                items
                    .iter()
                    .map(|(name, count)| format!("{name} ({count})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            println!(
                "lifecycle: field `{}`: {}",
                lifecycle.field,
                list(&lifecycle.statuses)
            );
            if !lifecycle.terminal.is_empty() {
                println!("  ending: {}", list(&lifecycle.terminal));
            }
            if !lifecycle.rare.is_empty() {
                println!("  likely typos, not statuses: {}", list(&lifecycle.rare));
            }
        }
        None => println!("lifecycle: none (no status field in the template or the specs)"),
    }
    for note in &adoption.notes {
        println!("{note}");
    }
}

#[cfg(test)]
mod tests {
    use super::with_baseline;

    #[test]
    fn the_baseline_key_goes_before_the_tables() {
        let text = "specs = \"x\"\n\n[lifecycle]\nstatuses = []\n";
        let with = with_baseline(text, "b.json");
        assert!(with.starts_with("specs = \"x\"\n\n# Findings"), "{with}");
        let value: toml::Value = toml::from_str(&with).unwrap();
        assert_eq!(value["baseline"].as_str(), Some("b.json"));
        assert!(value["lifecycle"].get("baseline").is_none());
    }
}
