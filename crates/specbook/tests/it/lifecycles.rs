//! Lifecycles as real corpora write them: another field name, bullets under the title, YAML,
//! emphasis, qualifiers, lower case, and the terminal statuses in the lifecycle's case.

use std::fs;
use std::path::Path;

use crate::{fields, run};

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn check_json(root: &Path) -> serde_json::Value {
    let out = run(root, &["check", "--format", "json"]);
    assert!(out.code < 2, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn list_json(root: &Path) -> Vec<serde_json::Value> {
    let out = run(root, &["list", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

const BULLET_TEMPLATE: &str = "# Feature name

* Proposal: [SE-NNNN](NNNN-filename.md)
* Authors: [Author 1](https://example.com)
* Status: **Awaiting review** or **Accepted**

## Introduction

A paragraph.

## Motivation

Why.
";

fn bullet_spec(number: u32, title: &str, status: &str) -> String {
    format!(
        "# {title}\n\n* Proposal: SE-{number:04}\n* Authors: [Ada](https://example.com)\n* Status: {status}\n\n## Introduction\n\nText.\n\n## Motivation\n\nText.\n"
    )
}

#[test]
fn bullets_under_the_title_with_emphasis_and_qualifiers() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"proposals\"\nid_prefix = \"SE-\"\n[lifecycle]\nstatuses = [\"Awaiting review\", \"Accepted\", \"Implemented\"]\n",
        ),
        ("template.md", BULLET_TEMPLATE),
        (
            "proposals/0001-one.md",
            &bullet_spec(1, "Continuations", "**Implemented (Swift 5.5)**"),
        ),
        (
            "proposals/0002-two.md",
            &bullet_spec(2, "Two", "**accepted**"),
        ),
        (
            "proposals/0003-three.md",
            &bullet_spec(3, "Three", "**Imlpemented**"),
        ),
        (
            "proposals/0004-four.md",
            &bullet_spec(4, "Four", "_Superseded_"),
        ),
    ]);
    let root = dir.path();
    let specs = list_json(root);
    let shown: Vec<(&str, &str, &str, &str)> = specs
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["title"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
                e["status_qualifier"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("SE-0001", "Continuations", "Implemented", "Swift 5.5"),
            ("SE-0002", "Two", "Accepted", "-"),
            ("SE-0003", "Three", "Imlpemented", "-"),
            ("SE-0004", "Four", "Superseded", "-"),
        ]
    );
    let json = check_json(root);
    insta::assert_snapshot!(
        fields(&json, &["path", "line", "column", "severity", "rule", "message"])
            .iter()
            .map(|row| row.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        @r"
    proposals/0002-two.md 5 13 info invalid-status status `accepted` is written `Accepted` in the lifecycle
    proposals/0003-three.md 5 13 error invalid-status status `Imlpemented` is not one of Awaiting review, Accepted, Implemented, Superseded, Withdrawn; did you mean `Implemented`?
    proposals/0004-four.md 5 11 warning superseded-without-successor the spec is Superseded but names no successor; add `Superseded By: NNNN` (or run `specbook supersede OLD NEW`)
    "
    );
    // The case fix keeps the emphasis.
    let out = run(root, &["check", "--fix", "proposals/0002-two.md"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let fixed = fs::read_to_string(root.join("proposals/0002-two.md")).unwrap();
    assert!(fixed.contains("* Status: **Accepted**\n"), "{fixed}");
}

#[test]
fn a_missing_header_field_is_inserted_in_the_template_style() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"proposals\"\n",
        ),
        ("template.md", BULLET_TEMPLATE),
        (
            "proposals/0001-one.md",
            "# One\n\n* Proposal: SE-0001\n* Status: **Accepted**\n\n## Introduction\n\nText.\n\n## Motivation\n\nText.\n",
        ),
    ]);
    let root = dir.path();
    let json = check_json(root);
    assert_eq!(
        fields(&json, &["rule", "message"]),
        vec![vec![
            "missing-field".to_owned(),
            "missing field `Authors` (the template has `Authors: [Author 1](https://example.com)`)"
                .to_owned()
        ]]
    );
    let out = run(root, &["check", "--diff"]);
    assert!(
        out.stdout
            .contains("+* Authors: [Author 1](https://example.com)\n"),
        "{}",
        out.stdout
    );
}

const YAML_TEMPLATE: &str = "---
ics: (number)
title: (short title)
stage: (current process stage)
author: (primary & additional authors)
created: (creation date)
---

## Synopsis

(high-level description)
";

fn yaml_spec(number: u32, title: &str, stage: &str) -> String {
    format!(
        "---\nics: {number}\ntitle: {title}\nstage: {stage}\nauthor: Ada\ncreated: 2019-02-25\n---\n\n## Synopsis\n\nText.\n"
    )
}

#[test]
fn a_lower_case_lifecycle_in_another_field_with_terminal_statuses_in_its_case() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"spec/ics-template.md\"\nspecs = [\"spec/**/README.md\"]\n[lifecycle]\nfield = \"stage\"\nstatuses = [\"draft\", \"candidate\", \"final\"]\n",
        ),
        ("spec/ics-template.md", YAML_TEMPLATE),
        (
            "spec/core/ics-002-client/README.md",
            &yaml_spec(2, "Client Semantics", "draft"),
        ),
        (
            "spec/core/ics-003-connection/README.md",
            &yaml_spec(3, "Connection Semantics", "superseded"),
        ),
        (
            "spec/core/ics-004-packet/README.md",
            &yaml_spec(4, "Packet Semantics", "FINAL"),
        ),
        (
            "spec/core/ics-005-port/README.md",
            &yaml_spec(5, "Port Allocation", "drfat"),
        ),
        // No front matter at all, against a YAML template.
        (
            "spec/app/ics-020-transfer/README.md",
            "## Synopsis\n\nText.\n",
        ),
    ]);
    let root = dir.path();
    let specs = list_json(root);
    let shown: Vec<(&str, Option<&str>, Option<&str>)> = specs
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["title"].as_str(),
                e["status"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("002", Some("Client Semantics"), Some("draft")),
            ("003", Some("Connection Semantics"), Some("superseded")),
            ("004", Some("Packet Semantics"), Some("final")),
            ("005", Some("Port Allocation"), Some("drfat")),
            ("020", Some("Transfer"), None),
        ]
    );
    let json = check_json(root);
    insta::assert_snapshot!(
        fields(&json, &["path", "line", "severity", "rule", "message"])
            .iter()
            .map(|row| row.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        @r"
    spec/app/ics-020-transfer/README.md 1 error missing-field the spec has no front matter; the template starts with a `---` block of fields (ics, title, stage, author, created)
    spec/core/ics-003-connection/README.md 4 warning superseded-without-successor the spec is superseded but names no successor; add `Superseded By: NNNN` (or run `specbook supersede OLD NEW`)
    spec/core/ics-004-packet/README.md 4 info invalid-status status `FINAL` is written `final` in the lifecycle
    spec/core/ics-005-port/README.md 4 error invalid-status status `drfat` is not one of draft, candidate, final, superseded, withdrawn; did you mean `draft`?
    "
    );
}
