//! The product's precision statement, measured: `check` on each shared corpus with its own
//! template and the configuration `init --adopt` writes; up to 20 findings per rule sampled
//! (a stable choice: the findings whose keys hash lowest, so a sample changes only where the
//! findings do); each sampled finding judged by a reader in `docs/accuracy/<corpus>.jsonl`
//! (`true`, `false` or `debatable`, with a one-line reason); the table in `docs/accuracy.md`.
//!
//! The test fails when a sampled finding has no verdict (they are written to
//! `target/accuracy-pending/<corpus>.jsonl`, with the source line, to be judged), when the
//! table is stale (`SPECBOOK_UPDATE_DOCS=1` rewrites it), or when a rule falls below the bars:
//! 95% precision for error-level findings, 80% for warnings, per rule and corpus.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::adopt::{CORPORA, copy_tree, corpora};
use crate::run;

const SAMPLE: usize = 20;
const ERROR_BAR: f64 = 0.95;
const WARNING_BAR: f64 = 0.80;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// FNV-1a: a hash that is the same on every machine and every Rust version.
fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

struct Finding {
    /// `rule|path|message#n`: stable across line shifts.
    key: String,
    rule: String,
    severity: String,
    path: String,
    line: u64,
    message: String,
    context: String,
}

/// Every finding of `check` on the adopted corpus at `root`, keyed.
fn findings(root: &Path) -> Vec<Finding> {
    let out = run(root, &["check", "--format", "json"]);
    assert!(out.code < 2, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut found = Vec::new();
    for d in json["diagnostics"].as_array().unwrap() {
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
        let (rule, path, message) = (text("rule"), text("path"), text("message"));
        let base = format!("{rule}|{path}|{message}");
        let n = seen.entry(base.clone()).or_default();
        *n += 1;
        let line = d["line"].as_u64().unwrap_or(0);
        let lines = texts.entry(path.clone()).or_insert_with(|| {
            fs::read_to_string(root.join(&path))
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect()
        });
        let context = usize::try_from(line)
            .ok()
            .and_then(|l| lines.get(l.saturating_sub(1)))
            .map(|l| l.chars().take(300).collect())
            .unwrap_or_default();
        found.push(Finding {
            key: format!("{base}#{n}"),
            rule,
            severity: text("severity"),
            path,
            line,
            message,
            context,
        });
    }
    found
}

/// The verdicts of one corpus: key -> (verdict, reason).
fn verdicts(corpus: &str) -> BTreeMap<String, (String, String)> {
    let path = repository().join(format!("docs/accuracy/{corpus}.jsonl"));
    let Ok(text) = fs::read_to_string(&path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display()));
            let verdict = v["verdict"].as_str().unwrap_or_default().to_owned();
            assert!(
                ["true", "false", "debatable"].contains(&verdict.as_str()),
                "{}: verdict `{verdict}` is not true, false or debatable",
                path.display()
            );
            (
                v["key"].as_str().unwrap_or_default().to_owned(),
                (verdict, v["reason"].as_str().unwrap_or_default().to_owned()),
            )
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    findings: usize,
    sampled: usize,
    true_: usize,
    false_: usize,
    debatable: usize,
}

impl Tally {
    #[allow(clippy::cast_precision_loss, reason = "counts of twenty")]
    fn precision(&self) -> Option<f64> {
        let judged = self.true_ + self.false_;
        (judged > 0).then(|| self.true_ as f64 / judged as f64)
    }
}

const HEADER: &str = "# Accuracy\n\nHow often a finding of specbook is right, read finding by finding on public spec \
corpora with their own templates and the configuration `specbook init --adopt` writes for \
them. For each corpus and rule, up to 20 findings are sampled (the same ones from run to run, \
as long as they exist) and judged by a reader: true (the spec has the problem), false (it does \
not), or debatable. Precision is true / (true + false). The bars: 95% for error-level \
findings, 80% for warnings (info findings are shown without a bar).\n\nGenerated by `cargo test -p specbook --test it accuracy` \
(`SPECBOOK_UPDATE_DOCS=1` rewrites it); the verdicts and their reasons are in \
[accuracy/](accuracy/).\n";

/// Writes the sampled findings without a verdict to `target/accuracy-pending/<corpus>.jsonl`
/// (removing a stale file when there are none); returns how many.
fn write_pending(corpus: &str, pending: &[Value]) -> usize {
    let pending_dir = repository().join("target/accuracy-pending");
    let pending_file = pending_dir.join(format!("{corpus}.jsonl"));
    if pending.is_empty() {
        let _ = fs::remove_file(&pending_file);
    } else {
        fs::create_dir_all(&pending_dir).unwrap();
        let lines: Vec<String> = pending.iter().map(Value::to_string).collect();
        fs::write(&pending_file, lines.join("\n") + "\n").unwrap();
    }
    pending.len()
}

#[test]
fn precision_per_rule_and_corpus_meets_the_bars() {
    let corpora = corpora();
    let mut table = String::from(HEADER);
    let mut pending_total = 0;
    let mut below = Vec::new();
    for corpus in CORPORA {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(corpus.name);
        copy_tree(&corpora.join(corpus.name), &root);
        let out = run(&root, &["init", "--adopt", "--template", corpus.template]);
        assert_eq!(out.code, 0, "{}: {}", corpus.name, out.stderr);
        let all = findings(&root);
        let verdicts = verdicts(corpus.name);
        let mut by_rule: BTreeMap<(String, String), Vec<&Finding>> = BTreeMap::new();
        for finding in &all {
            by_rule
                .entry((finding.rule.clone(), finding.severity.clone()))
                .or_default()
                .push(finding);
        }
        let mut pending: Vec<Value> = Vec::new();
        let _ = write!(
            table,
            "\n## {}\n\n| rule | severity | findings | sampled | true | false | debatable | precision |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
            corpus.name
        );
        for ((rule, severity), mut list) in by_rule {
            list.sort_by_key(|f| (fnv(&f.key), f.key.clone()));
            let mut tally = Tally {
                findings: list.len(),
                ..Tally::default()
            };
            for finding in list.iter().take(SAMPLE) {
                tally.sampled += 1;
                match verdicts.get(&finding.key).map(|(v, _)| v.as_str()) {
                    Some("true") => tally.true_ += 1,
                    Some("false") => tally.false_ += 1,
                    Some(_) => tally.debatable += 1,
                    None => pending.push(json!({
                        "key": finding.key,
                        "rule": finding.rule,
                        "severity": finding.severity,
                        "path": finding.path,
                        "line": finding.line,
                        "message": finding.message,
                        "context": finding.context,
                    })),
                }
            }
            let precision = tally
                .precision()
                .map_or_else(|| "–".to_owned(), |p| format!("{:.0}%", p * 100.0));
            let _ = writeln!(
                table,
                "| {rule} | {severity} | {} | {} | {} | {} | {} | {precision} |",
                tally.findings, tally.sampled, tally.true_, tally.false_, tally.debatable
            );
            // Info findings (a valid status spelled unlike the lifecycle) are shown, not barred.
            let bar = match severity.as_str() {
                "error" => Some(ERROR_BAR),
                "warning" => Some(WARNING_BAR),
                _ => None,
            };
            if let (Some(p), Some(bar)) = (tally.precision(), bar)
                && p < bar
            {
                below.push(format!(
                    "{} {rule} ({severity}): {:.0}% < {:.0}%",
                    corpus.name,
                    p * 100.0,
                    bar * 100.0
                ));
            }
        }
        pending_total += write_pending(corpus.name, &pending);
    }
    let doc = repository().join("docs/accuracy.md");
    if std::env::var_os("SPECBOOK_UPDATE_DOCS").is_some() {
        fs::write(&doc, &table).unwrap();
    }
    assert_eq!(
        pending_total, 0,
        "{pending_total} sampled findings have no verdict: judge those in target/accuracy-pending/ into docs/accuracy/<corpus>.jsonl"
    );
    assert!(
        below.is_empty(),
        "rules below the precision bars:\n{}",
        below.join("\n")
    );
    assert_eq!(
        fs::read_to_string(&doc).unwrap_or_default(),
        table,
        "docs/accuracy.md is stale: run SPECBOOK_UPDATE_DOCS=1 cargo test -p specbook --test it accuracy"
    );
}
