//! `init --adopt` on the six public corpora in `../shared/corpora` (or `$CORPORA`), each on a
//! copy with its own, unmodified template: every spec found, with a real title and, where the
//! corpus has a lifecycle, its status; `check` runs; the adopted configuration and the
//! findings per rule are snapshots. And the refusals: an existing specbook.toml, a folder
//! with nothing to adopt.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::run;

/// `$CORPORA`, else `shared/corpora` beside the repository (as the benchmarks find it).
pub(crate) fn corpora() -> PathBuf {
    let candidates: Vec<PathBuf> = match std::env::var_os("CORPORA") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
            PathBuf::from("/work/shared/corpora"),
        ],
    };
    candidates
        .iter()
        .find(|dir| dir.join("README.md").is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "the shared corpora are not at {} (set CORPORA)",
                candidates[0].display()
            )
        })
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub(crate) struct Corpus {
    pub name: &'static str,
    pub template: &'static str,
    specs: usize,
    /// Whether the corpus has a lifecycle (then every spec but `without_status` has one).
    lifecycle: bool,
    /// Specs that state no status (a renamed proposal's stub, ...).
    without_status: &'static [&'static str],
}

pub(crate) const CORPORA: &[Corpus] = &[
    Corpus {
        name: "eips",
        template: "eip-template.md",
        specs: 949,
        lifecycle: true,
        without_status: &[],
    },
    Corpus {
        name: "rust-rfcs",
        template: "0000-template.md",
        specs: 639,
        lifecycle: false,
        without_status: &[],
    },
    Corpus {
        name: "swift-evolution",
        template: "proposal-templates/0000-swift-template.md",
        specs: 575,
        lifecycle: true,
        without_status: &["proposals/0519-borrow-inout-types.md"],
    },
    Corpus {
        name: "ibc",
        template: "spec/ics-template.md",
        specs: 31,
        lifecycle: true,
        without_status: &[],
    },
    Corpus {
        name: "grpc-proposals",
        template: "GRFC-TEMPLATE.md",
        specs: 193,
        lifecycle: true,
        without_status: &[
            "A50-xds-outlier-detection.md",
            "A52-xds-custom-lb-policies.md",
            "A107-tls-private-key-offloading.md",
            "L93-node-securecontext-creds.md",
        ],
    },
    Corpus {
        name: "nixos-rfcs",
        template: "0000-template.md",
        specs: 44,
        lifecycle: false,
        without_status: &[],
    },
];

/// A title that is only an id or digits tells a reader nothing.
fn is_bare_number(title: &str) -> bool {
    title.trim().is_empty()
        || title
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c.is_whitespace())
}

#[test]
fn every_corpus_is_adopted_with_its_own_template() {
    let corpora = corpora();
    for corpus in CORPORA {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(corpus.name);
        copy_tree(&corpora.join(corpus.name), &root);
        let template_before = fs::read(root.join(corpus.template)).unwrap();

        let out = run(&root, &["init", "--adopt", "--template", corpus.template]);
        assert_eq!(out.code, 0, "{}: {}{}", corpus.name, out.stdout, out.stderr);
        assert_eq!(
            fs::read(root.join(corpus.template)).unwrap(),
            template_before,
            "{}: the template is left as it is",
            corpus.name
        );
        let config = fs::read_to_string(root.join("specbook.toml")).unwrap();
        insta::assert_snapshot!(format!("adopt_{}_config", corpus.name), config);

        let out = run(&root, &["list", "--format", "json"]);
        assert_eq!(out.code, 0, "{}: {}", corpus.name, out.stderr);
        let specs: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(specs.len(), corpus.specs, "{}: specs found", corpus.name);
        for spec in &specs {
            let title = spec["title"].as_str().unwrap_or_default();
            assert!(
                !is_bare_number(title),
                "{}: {} has the title {title:?}",
                corpus.name,
                spec["path"]
            );
        }
        let without_status: Vec<&str> = specs
            .iter()
            .filter(|s| s["status"].is_null())
            .map(|s| s["path"].as_str().unwrap())
            .collect();
        if corpus.lifecycle {
            assert_eq!(without_status, corpus.without_status, "{}", corpus.name);
        } else {
            assert_eq!(without_status.len(), specs.len(), "{}", corpus.name);
        }

        let out = run(&root, &["check", "--format", "json"]);
        assert!(out.code < 2, "{}: {}", corpus.name, out.stderr);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            json["summary"]["files"].as_u64(),
            Some(corpus.specs as u64),
            "{}",
            corpus.name
        );
        let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
        for finding in json["diagnostics"].as_array().unwrap() {
            *per_rule
                .entry(finding["rule"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        let counts: Vec<String> = per_rule
            .iter()
            .map(|(rule, n)| format!("{rule}: {n}"))
            .collect();
        insta::assert_snapshot!(format!("adopt_{}_findings", corpus.name), counts.join("\n"));
        if ["rust-rfcs", "nixos-rfcs"].contains(&corpus.name) {
            fixes_add_no_clutter(&root, &String::from_utf8(template_before.clone()).unwrap());
        }
    }
}

/// `check --diff` inserts missing parts without the template's HTML comments or guidance: no
/// added line opens a comment, and none is a line of a template paragraph that asks the
/// author a question or tells them what they should write.
fn fixes_add_no_clutter(root: &Path, template: &str) {
    let guidance: Vec<&str> = template
        .split("\n\n")
        .filter(|p| {
            let lower = p.to_lowercase();
            p.contains('?') || lower.contains("should") || lower.contains("you ")
        })
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|l| l.len() > 20)
        .collect();
    let out = run(root, &["check", "--diff"]);
    assert!(out.code < 2, "{}", out.stderr);
    let added: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(|l| l[1..].trim())
        .collect();
    assert!(
        !added.is_empty(),
        "{}: the fixes add something",
        root.display()
    );
    for line in added {
        assert!(
            !line.starts_with("<!--"),
            "{}: a comment added: {line}",
            root.display()
        );
        assert!(
            !guidance.contains(&line),
            "{}: guidance added: {line}",
            root.display()
        );
    }
}

#[test]
fn a_baseline_makes_the_adopted_corpus_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nixos-rfcs");
    copy_tree(&corpora().join("nixos-rfcs"), &root);
    let out = run(
        &root,
        &[
            "init",
            "--adopt",
            "--template",
            "0000-template.md",
            "--baseline",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(root.join("specbook-baseline.json").is_file());
    let out = run(&root, &["check"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("hidden by the baseline"),
        "{}",
        out.stdout
    );
}

#[test]
fn adopt_never_overwrites_a_configuration_and_needs_numbered_documents() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("specbook.toml"), "# mine\n").unwrap();
    fs::write(root.join("0001-a.md"), "# A\n").unwrap();
    let out = run(root, &["init", "--adopt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("already exists; not overwriting it"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read_to_string(root.join("specbook.toml")).unwrap(),
        "# mine\n"
    );

    let empty = tempfile::tempdir().unwrap();
    fs::write(empty.path().join("notes.md"), "# Notes\n").unwrap();
    let out = run(empty.path(), &["init", "--adopt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no numbered Markdown documents to adopt"),
        "{}",
        out.stderr
    );
    assert!(!empty.path().join("specbook.toml").exists());

    let out = run(empty.path(), &["init", "--template", "x.md"]);
    assert_eq!(out.code, 2, "--template needs --adopt");
}
