//! `specbook check`: every finding, in the chosen format, and the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use specbook_diagnostics::{
    FileReport, HumanOptions, RuleDescription, Severity, Summary, ToolInfo, render_concise,
    render_github, render_human_with_summary, render_json_with_summary, render_sarif,
    render_statistics,
};
use specbook_linter::{RULES, SeverityPolicy};
use specbook_workspace::{
    Baseline, BaselineEntry, BaselineRoot, Change, CheckOutcome, Checker, Config, FixOutcome, Mode,
    NotWritten, Surroundings, add_workspace_findings, changed_files, check_files, check_rule_names,
    commit, fix_files,
};

use crate::cli::{CheckArgs, Color, Format};
use crate::exit;

mod watch;

pub(crate) fn run(args: &CheckArgs) -> Result<u8> {
    if args.watch {
        return watch::run(args);
    }
    check(args)
}

/// One check of the specs: the findings printed, and the exit code.
fn check(args: &CheckArgs) -> Result<u8> {
    check_rule_names(&args.select, "--select").map_err(anyhow::Error::msg)?;
    check_rule_names(&args.ignore, "--ignore").map_err(anyhow::Error::msg)?;
    let mut config = match &args.stdin_filename {
        Some(path) => super::config_for(std::slice::from_ref(path))?,
        None => super::config_for(&args.paths)?,
    };
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    // Before checking, so that a missing baseline fails fast.
    let baseline = if args.write_baseline.is_some() || args.diff {
        None
    } else {
        load_baseline(args, &config)?
    };
    let (mut checker, templates) = super::load_checker(args.template.as_deref(), &mut config)?;
    if let Some(path) = &args.stdin_filename {
        return check_stdin(args, path, &mut checker, (&config, &templates, &cwd));
    }
    let mut found = super::spec_files(&config, &args.paths, &templates)?;
    if args.no_skip {
        found.files.extend(found.skipped.drain(..).map(|s| s.path));
        found.files.sort();
        found.files.dedup();
    }
    let mut files = found.files.clone();
    // git runs where the checked files are, so `--changed ~/repo/specs` works from anywhere.
    let folder = super::history_folder(&config, &args.paths);
    if let Some(base) = &args.changed {
        let changed = changed_files(&folder, Some(base.as_str()).filter(|b| !b.is_empty()))?;
        files.retain(|file| file.canonicalize().is_ok_and(|f| changed.contains(&f)));
    }
    if !args.quiet {
        report_skipped(&found.skipped);
    }
    if files.is_empty() && args.changed.is_none() && found.skipped.is_empty() {
        warn_nothing_to_check(args, &config);
    }
    apply_rule_flags(&mut checker, args);
    if super::history_rules_on(&checker) {
        checker.git = super::git_context(&folder, &checker, &config);
    }
    if args.diff {
        return print_diff(&checker, &files);
    }
    let around = super::surroundings(&config, &templates, &files);
    let mut outcome = if args.fix {
        super::hold_writer(&config)?;
        fix(&checker, &files, &around)
    } else {
        super::open_check_cache(&mut checker, &config, &templates);
        let outcome = check_files(&checker, &files, &around);
        super::save_check_cache(&mut checker);
        outcome
    };
    add_unreadable(&checker, &found.unreadable, &mut outcome);
    if let Some(file) = &args.write_baseline {
        return write_baseline(file, &outcome, &cwd);
    }
    let applied = match &baseline {
        Some((path, baseline)) => Some(baseline.apply(
            &mut outcome.reports,
            &BaselineRoot::new(path, &cwd),
            |rule| checker.settings.grade(rule, Severity::Warning).is_some(),
        )?),
        None => None,
    };
    let summary = Summary {
        baselined: applied.as_ref().map(|applied| applied.hidden),
        ..Summary::of(&outcome.reports)
    };
    let stale = applied.as_ref().map(|applied| applied.stale.as_slice());
    if !args.quiet {
        note_templates(&checker, &outcome);
    }
    print_reports(
        args,
        &outcome.reports,
        &summary,
        stale,
        (&config.root, &cwd),
    )?;
    if let (Some((path, _)), Some(stale), false) = (&baseline, stale, args.quiet) {
        note_stale(path, stale);
    }
    for error in &outcome.errors {
        eprintln!("error: {error}");
    }
    if !outcome.errors.is_empty() {
        return Ok(exit::FAILURE);
    }
    Ok(findings_exit(args, &summary))
}

/// The findings on standard output, in the chosen format; in human output, the baseline
/// entries that matched nothing after the summary.
fn print_reports(
    args: &CheckArgs,
    reports: &[FileReport],
    summary: &Summary,
    stale: Option<&[BaselineEntry]>,
    (project, cwd): (&Path, &Path),
) -> Result<()> {
    // SARIF and GitHub annotations name files from the repository's root, wherever specbook
    // runs: code scanning and the annotations resolve them there.
    let root = matches!(args.format, Format::Sarif | Format::Github)
        .then(|| repository_root(project, cwd));
    let relative;
    let reports = match &root {
        Some(root) => {
            relative = from_root(reports, root, cwd);
            relative.as_slice()
        }
        None => reports,
    };
    let root = root.as_deref();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // `--quiet`: the findings and nothing else.
    let shown_summary = (!args.quiet).then_some(summary);
    if args.statistics {
        render_statistics(reports, shown_summary, &mut out)?;
        out.flush()?;
        return Ok(());
    }
    match args.format {
        Format::Concise => render_concise(reports, shown_summary, &mut out)?,
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            render_human_with_summary(reports, shown_summary, HumanOptions { color }, &mut out)?;
            if let Some(stale) = stale.filter(|_| !args.quiet) {
                list_stale(stale, &mut out)?;
            }
        }
        Format::Json => render_json_with_summary(reports, summary, &mut out)?,
        Format::Sarif => render_sarif(reports, &rule_descriptions(), TOOL, root, &mut out)?,
        Format::Github => render_github(reports, &mut out)?,
    }
    out.flush()?;
    Ok(())
}

/// `--stdin-filename PATH`: the text on standard input checked as the spec at PATH, with the
/// workspace rules seeing the other specs as they are on disk.
fn check_stdin(
    args: &CheckArgs,
    path: &Path,
    checker: &mut Checker,
    (config, templates, cwd): (&Config, &[PathBuf], &Path),
) -> Result<u8> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
        .context("cannot read the spec from standard input")?;
    apply_rule_flags(checker, args);
    let shown = path.display().to_string();
    let around = super::surroundings(config, templates, std::slice::from_ref(&path.to_path_buf()));
    let (report, facts) = checker.check_bytes_with_facts(&shown, &bytes);
    let mut outcome = CheckOutcome {
        reports: vec![report],
        facts: vec![facts],
        errors: Vec::new(),
    };
    add_workspace_findings(checker, &mut outcome, &around);
    let summary = Summary::of(&outcome.reports);
    print_reports(args, &outcome.reports, &summary, None, (&config.root, cwd))?;
    Ok(findings_exit(args, &summary))
}

/// `--select`, `--ignore` and `--warnings-as-errors` on the checker.
fn apply_rule_flags(checker: &mut Checker, args: &CheckArgs) {
    checker.settings.select.clone_from(&args.select);
    checker.settings.ignore.clone_from(&args.ignore);
    checker.settings.warnings_as_errors = args.warnings_as_errors;
}

/// Exit 1 when an error was found, unless `--exit-zero`.
fn findings_exit(args: &CheckArgs, summary: &Summary) -> u8 {
    if summary.errors > 0 && !args.exit_zero {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// The warning when the paths hold no Markdown file at all.
fn warn_nothing_to_check(args: &CheckArgs, config: &Config) {
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

/// A folder or file the walk could not read is a finding for it; the rest was checked.
fn add_unreadable(checker: &Checker, unreadable: &[(PathBuf, String)], outcome: &mut CheckOutcome) {
    if unreadable.is_empty() {
        return;
    }
    for (path, message) in unreadable {
        outcome
            .reports
            .push(checker.unreadable_report(&path.display().to_string(), message));
        outcome.facts.push(specbook_workspace::SpecFacts::default());
    }
    let mut pairs: Vec<_> = std::mem::take(&mut outcome.reports)
        .into_iter()
        .zip(std::mem::take(&mut outcome.facts))
        .collect();
    pairs.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    (outcome.reports, outcome.facts) = pairs.into_iter().unzip();
}

/// The work tree `folder` is in (the nearest folder with `.git`), else `folder` itself; as an
/// absolute path.
pub(crate) fn repository_root(folder: &Path, cwd: &Path) -> PathBuf {
    let folder = specbook_workspace::lexical(&cwd.join(folder));
    folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&folder)
        .to_path_buf()
}

/// The reports with every path relative to `root` (absolute when the file is outside it).
fn from_root(reports: &[FileReport], root: &Path, cwd: &Path) -> Vec<FileReport> {
    let shown = |path: &str| {
        let absolute = specbook_workspace::lexical(&cwd.join(path));
        absolute
            .strip_prefix(root)
            .map_or(absolute.as_path(), |relative| relative)
            .display()
            .to_string()
    };
    reports
        .iter()
        .map(|report| FileReport {
            path: shown(&report.path),
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    d.file = d.file.as_deref().map(shown);
                    d
                })
                .collect(),
        })
        .collect()
}

/// The note, in every format, that some baseline entries can go.
fn note_stale(path: &Path, stale: &[BaselineEntry]) {
    if stale.is_empty() {
        return;
    }
    let (entries, match_, them) = if stale.len() == 1 {
        ("entry", "matches", "it")
    } else {
        ("entries", "match", "them")
    };
    eprintln!(
        "note: {} baseline {entries} no longer {match_}; `specbook check --write-baseline {}` drops {them}",
        stale.len(),
        path.display()
    );
}

/// The baseline in use and its path: `--baseline`, else `baseline` in specbook.toml.
fn load_baseline(args: &CheckArgs, config: &Config) -> Result<Option<(PathBuf, Baseline)>> {
    if let Some(path) = &args.baseline {
        return Ok(Some((path.clone(), Baseline::load(path)?)));
    }
    let Some(path) = &config.baseline else {
        return Ok(None);
    };
    let baseline = Baseline::load(path).with_context(|| {
        let file = config
            .path
            .as_deref()
            .unwrap_or(Path::new(specbook_workspace::CONFIG_FILE));
        format!("`baseline` in {}", file.display())
    })?;
    Ok(Some((path.clone(), baseline)))
}

/// `--write-baseline`: records the findings, or, when some file could not be read, writes
/// nothing (its findings would be missing from the baseline).
fn write_baseline(file: &Path, outcome: &CheckOutcome, cwd: &Path) -> Result<u8> {
    if !outcome.errors.is_empty() {
        for error in &outcome.errors {
            eprintln!("error: {error}");
        }
        eprintln!(
            "error: {} not written: some files could not be checked",
            file.display()
        );
        return Ok(exit::FAILURE);
    }
    let baseline = Baseline::record(&outcome.reports, &BaselineRoot::new(file, cwd))?;
    baseline.write(file)?;
    eprintln!(
        "{}: recorded {} in {}",
        file.display(),
        plural(baseline.findings(), "finding"),
        plural(baseline.files(), "file")
    );
    Ok(exit::OK)
}

/// The human output's list of baseline entries that matched nothing, one line each.
fn list_stale(stale: &[BaselineEntry], out: &mut dyn Write) -> std::io::Result<()> {
    if stale.is_empty() {
        return Ok(());
    }
    let (entries, match_) = if stale.len() == 1 {
        ("entry", "matches")
    } else {
        ("entries", "match")
    };
    writeln!(
        out,
        "{} baseline {entries} no longer {match_} (fixed or changed):",
        stale.len()
    )?;
    for entry in stale {
        let place = entry.section.as_ref().map_or_else(
            || "before the first heading".to_owned(),
            |s| format!("in `{s}`"),
        );
        let times = if entry.count > 1 {
            format!(" ({}x)", entry.count)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {}: {} {place}: {}{times}",
            entry.path, entry.rule, entry.message
        )?;
    }
    Ok(())
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// With `[[templates]]`, says how many specs each template checked.
fn note_templates(checker: &Checker, outcome: &CheckOutcome) {
    if checker.templates.is_empty() {
        return;
    }
    let count = |name: Option<&str>| {
        outcome
            .facts
            .iter()
            .filter(|f| f.meta.template.as_deref() == name)
            .count()
    };
    let mut parts = vec![format!("{} against the default template", count(None))];
    for template in &checker.templates {
        parts.push(format!(
            "{} against `{}` ({})",
            count(Some(&template.name)),
            template.name,
            template.file.display()
        ));
    }
    eprintln!("note: checked {}", parts.join(", "));
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
        eprintln!("  {}: {}", super::shown(&file.path), file.reason);
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

/// `unreadable` is reported by the file reader and the folder walk.
pub(crate) const UNREADABLE_SUMMARY: &str =
    "A file or folder cannot be read, is not a regular file, or is over the size limit";

pub(crate) const UNREADABLE_DOC: &str = r"## What it does
Reports a spec file or folder that specbook cannot read: permission denied, not a regular file
(a FIFO, a device such as `/dev/zero` behind a symlink, a socket), or larger than
`max_file_size` (16 MB by default). The other files are checked.

## Why is this bad?
A spec nobody can read is not checked; a device or a FIFO named as a spec would hang the run or
exhaust its memory, so specbook reads only regular files of bounded size.

## Example
`specs/private/` is readable by its owner only.

Use instead: make the file readable, replace the symlink by the file, or raise
`max_file_size` in specbook.toml.
";

/// The findings the file reader reports, beside the rules: name, summary, documentation.
pub(crate) const READER_RULES: [(&str, &str, &str); 2] = [
    ("invalid-utf8", INVALID_UTF8_SUMMARY, INVALID_UTF8_DOC),
    ("unreadable", UNREADABLE_SUMMARY, UNREADABLE_DOC),
];

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
    rules.extend(
        READER_RULES
            .iter()
            .map(|&(name, summary, doc)| RuleDescription {
                name,
                summary,
                doc,
                default_severity: Severity::Error,
            }),
    );
    rules
}

/// `--fix`: applies the safe fixes, writes the files, and reports what remains.
fn fix(checker: &Checker, files: &[std::path::PathBuf], around: &Surroundings) -> CheckOutcome {
    let mut outcome = CheckOutcome {
        reports: Vec::new(),
        facts: Vec::new(),
        errors: Vec::new(),
    };
    // Every fix is worked out first, then all are written in one change: a run killed
    // half-way is completed by the next one. A file being edited is left as it is.
    let results: Vec<_> = files.iter().zip(fix_files(checker, files)).collect();
    let changes: Vec<Change> = results
        .iter()
        .filter_map(|(path, result)| {
            let (before, after) = result.as_ref().ok()?.change.as_ref()?;
            Some(Change::Replace {
                path: (*path).clone(),
                expected: before.as_bytes().to_vec(),
                content: after.clone(),
            })
        })
        .collect();
    let skipped = match commit(&changes, Mode::EachFile) {
        Ok(skipped) => skipped,
        Err(error) => {
            outcome.errors.push(error);
            changes
                .iter()
                .map(|c| NotWritten {
                    path: c.path().to_path_buf(),
                    reason: "not fixed".to_owned(),
                })
                .collect()
        }
    };
    for (path, result) in results {
        match result {
            Ok(file) => {
                if let Some(not) = skipped.iter().find(|s| s.path == *path) {
                    eprintln!(
                        "{}: {}; run again to fix it",
                        super::shown(path),
                        not.reason
                    );
                    // What the file holds now, not the fix that was not written.
                    match checker.check_file_with_facts(path) {
                        Ok((report, facts)) => {
                            outcome.reports.push(report);
                            outcome.facts.push(facts);
                        }
                        Err(error) => outcome.errors.push(error),
                    }
                    continue;
                }
                outcome.reports.push(file.report);
                outcome.facts.push(file.facts);
            }
            Err(error) => outcome.errors.push(error),
        }
    }
    add_workspace_findings(checker, &mut outcome, around);
    let fixed = changes.len() - skipped.len();
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
    for (path, result) in files.iter().zip(fix_files(checker, files)) {
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
