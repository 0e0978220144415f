//! `specbook status` records each transition in the spec's status-history field (who, and why
//! when forced), in the spec's own style; `show` reads it back and `check` stays clean.

use std::fs;
use std::path::Path;

use crate::{fixtures, run, today};

/// A project with `specs/0001-webhook-delivery.md`, a finished spec in Draft, and
/// `specs/0002-draft.md`, a fresh draft full of placeholders.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let finished = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Status:** Approved", "**Status:** Draft");
    fs::write(root.join("specs/0001-webhook-delivery.md"), finished).unwrap();
    let out = run(root, &["new", "Draft", "--author", "Ada", "--team", "Core"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    dir
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// `specbook ARGS` in `root`, which must succeed.
fn ok(root: &Path, args: &[&str]) -> String {
    let out = run(root, args);
    assert_eq!(out.code, 0, "{args:?}: {}{}", out.stdout, out.stderr);
    out.stdout
}

/// The lines of `specs/FILE` from its front matter (a `---` block, or the `## Front Matter`
/// section) to the first blank line after it, today's date shown as `TODAY`.
fn front_matter(root: &Path, file: &str) -> String {
    let text = fs::read_to_string(root.join("specs").join(file)).unwrap();
    let start = text.find("## Front Matter").unwrap_or(0);
    let block = &text[start..];
    let end = block.find("\n\n").map_or(block.len(), |i| i + 1);
    block[..end].replace(&today(), "TODAY")
}

/// `check --format json` findings as `line rule message` rows.
fn findings(root: &Path, path: &str) -> Vec<String> {
    let out = run(root, &["check", path, "--format", "json"]);
    assert!(out.code < 2, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    crate::fields(&json, &["line", "rule", "message"])
        .iter()
        .map(|row| row.join(" "))
        .collect()
}

#[test]
fn a_transition_with_by_is_recorded_under_the_status() {
    let dir = project();
    let root = dir.path();
    let out = ok(root, &["status", "1", "Review", "--by", "Ana Lima"]);
    assert_eq!(
        out.replace(&today(), "TODAY"),
        "specs/0001-webhook-delivery.md: Draft -> Review by Ana Lima on TODAY\n"
    );
    insta::assert_snapshot!(front_matter(root, "0001-webhook-delivery.md"), @r"
    ## Front Matter
    - **Author(s):** Radia Perlman, Barbara Liskov
    - **Team:** Integrations
    - **Created:** 2026-09-14
    - **Last Updated:** TODAY
    - **Status:** Review
    - **Status History:**
      - TODAY: Draft -> Review by Ana Lima
    ");
    assert_eq!(
        findings(root, "specs/0001-webhook-delivery.md"),
        Vec::<String>::new()
    );
}

#[test]
fn a_forced_transition_records_its_reason() {
    let dir = project();
    let root = dir.path();
    // The draft's placeholders fail the Review gate: the move is forced.
    let out = run(
        root,
        &[
            "status",
            "2",
            "Review",
            "--force",
            "--reason",
            "security sign-off waived",
            "--by",
            "Ana Lima",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(front_matter(root, "0002-draft.md"), @r"
    ## Front Matter
    - **Author(s):** Ada
    - **Team:** Core
    - **Created:** TODAY
    - **Last Updated:** TODAY
    - **Status:** Review
    - **Status History:**
      - TODAY: Draft -> Review by Ana Lima (forced: security sign-off waived)
    ");
}

#[test]
fn transitions_in_a_row_append_oldest_first() {
    let dir = project();
    let root = dir.path();
    ok(root, &["status", "1", "Review", "--by", "Ana Lima"]);
    ok(root, &["status", "1", "Approved", "--by", "Grace Hopper"]);
    // Back to Draft is not a transition of the lifecycle: forced, with a reason that reads
    // like a placeholder, which is a record and not one.
    ok(
        root,
        &[
            "status",
            "1",
            "Draft",
            "--force",
            "--reason",
            "TBD: [reopen after the audit]",
            "--by",
            "Ana Lima",
        ],
    );
    insta::assert_snapshot!(front_matter(root, "0001-webhook-delivery.md"), @r"
    ## Front Matter
    - **Author(s):** Radia Perlman, Barbara Liskov
    - **Team:** Integrations
    - **Created:** 2026-09-14
    - **Last Updated:** TODAY
    - **Status:** Draft
    - **Status History:**
      - TODAY: Draft -> Review by Ana Lima
      - TODAY: Review -> Approved by Grace Hopper
      - TODAY: Approved -> Draft by Ana Lima (forced: TBD: [reopen after the audit])
    ");
    // The record passes the gates that follow, and `check` has nothing to say about it.
    ok(root, &["status", "1", "Review", "--by", "Ana Lima"]);
    assert_eq!(
        findings(root, "specs/0001-webhook-delivery.md"),
        Vec::<String>::new()
    );
    let text = front_matter(root, "0001-webhook-delivery.md");
    assert_eq!(text.matches("**Status History:**").count(), 1, "{text}");
    assert!(
        text.ends_with(
            "(forced: TBD: [reopen after the audit])\n  - TODAY: Draft -> Review by Ana Lima\n"
        ),
        "{text}"
    );
}

const YAML_TEMPLATE: &str = "---
title: <title>
author: <names>
discussions-to: <URL>
status: Draft
created: <date created>
---

## Abstract

<abstract>
";

#[test]
fn yaml_front_matter_gets_a_list_under_a_key_in_its_style() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n[lifecycle]\nstatuses = [\"Draft\", \"Review\", \"Final\"]\n",
        ),
        ("template.md", YAML_TEMPLATE),
        (
            "specs/0007-fee-market.md",
            "---\ntitle: Fee market\nauthor: Ada\ndiscussions-to: https://example.com/t/7\nstatus: Draft\ncreated: 2019-04-13\n---\n\n## Abstract\n\nText.\n",
        ),
    ]);
    let root = dir.path();
    let before = findings(root, "specs");
    ok(root, &["status", "7", "Review", "--by", "Ana Lima"]);
    ok(
        root,
        &[
            "status",
            "7",
            "Draft",
            "--force",
            "--reason",
            "needs: a second author",
            "--by",
            "Ana Lima",
        ],
    );
    insta::assert_snapshot!(front_matter(root, "0007-fee-market.md"), @r#"
    ---
    title: Fee market
    author: Ada
    discussions-to: https://example.com/t/7
    status: Draft
    status-history:
      - "TODAY: Draft -> Review by Ana Lima"
      - "TODAY: Review -> Draft by Ana Lima (forced: needs: a second author)"
    created: 2019-04-13
    ---
    "#);
    assert_eq!(
        findings(root, "specs"),
        before,
        "no finding about the record"
    );
    let out = ok(root, &["show", "7", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["status"], "Draft");
    assert_eq!(
        json["recorded_transitions"][1]["reason"],
        "needs: a second author"
    );
}

#[test]
fn show_reads_the_record_back() {
    let dir = project();
    let root = dir.path();
    ok(root, &["status", "1", "Review", "--by", "Ana Lima"]);
    ok(
        root,
        &[
            "status",
            "1",
            "Draft",
            "--force",
            "--reason",
            "security sign-off waived",
            "--by",
            "Ana Lima",
        ],
    );
    let out = ok(root, &["show", "1"]).replace(&today(), "TODAY");
    let recorded = out
        .split("\n\n")
        .find(|block| block.starts_with("recorded transitions"))
        .unwrap_or_default();
    insta::assert_snapshot!(recorded, @r"
    recorded transitions
      TODAY  Draft -> Review  by Ana Lima
      TODAY  Review -> Draft  by Ana Lima  forced: security sign-off waived
    ");
    let out = ok(root, &["show", "1", "--format", "json"]).replace(&today(), "TODAY");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    insta::assert_json_snapshot!(json["recorded_transitions"], @r#"
    [
      {
        "by": "Ana Lima",
        "date": "TODAY",
        "forced": false,
        "from": "Draft",
        "reason": null,
        "text": "TODAY: Draft -> Review by Ana Lima",
        "to": "Review"
      },
      {
        "by": "Ana Lima",
        "date": "TODAY",
        "forced": true,
        "from": "Review",
        "reason": "security sign-off waived",
        "text": "TODAY: Review -> Draft by Ana Lima (forced: security sign-off waived)",
        "to": "Draft"
      }
    ]
    "#);
    // A spec that never moved has no record, and `show` says nothing of one.
    let out = ok(root, &["show", "2"]);
    assert!(!out.contains("recorded transitions"), "{out}");
    let out = ok(root, &["show", "2", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["recorded_transitions"], serde_json::json!([]));
}

#[test]
fn the_template_or_the_configuration_names_the_field() {
    let dir = project();
    let root = dir.path();
    // A template that declares a history field of its own: `status` writes there.
    let template_path = root.join("templates/tech-spec.md");
    let template = fs::read_to_string(&template_path).unwrap();
    let status_line = template
        .lines()
        .find(|l| l.starts_with("- **Status:**"))
        .unwrap()
        .to_owned();
    fs::write(
        &template_path,
        template.replace(&status_line, &format!("{status_line}\n- **History:**")),
    )
    .unwrap();
    ok(root, &["status", "1", "Review", "--by", "Ana Lima"]);
    let text = front_matter(root, "0001-webhook-delivery.md");
    assert!(
        text.ends_with(
            "- **Status:** Review\n- **History:**\n  - TODAY: Draft -> Review by Ana Lima\n"
        ),
        "{text}"
    );
    assert_eq!(
        findings(root, "specs/0001-webhook-delivery.md"),
        Vec::<String>::new()
    );

    // `[lifecycle] history_field` names it for every template.
    let config = fs::read_to_string(root.join("specbook.toml")).unwrap();
    let configured = config.replace("[lifecycle]", "[lifecycle]\nhistory_field = \"Approvals\"");
    fs::write(root.join("specbook.toml"), &configured).unwrap();
    ok(root, &["status", "1", "Approved", "--by", "Grace Hopper"]);
    let text = front_matter(root, "0001-webhook-delivery.md");
    assert!(
        text.contains(
            "- **Status:** Approved\n- **Approvals:**\n  - TODAY: Review -> Approved by Grace Hopper\n"
        ),
        "{text}"
    );
    assert_eq!(
        findings(root, "specs/0001-webhook-delivery.md"),
        Vec::<String>::new()
    );

    // Not the lifecycle field itself.
    let lifecycle = config.replace("[lifecycle]", "[lifecycle]\nhistory_field = \"status\"");
    fs::write(root.join("specbook.toml"), lifecycle).unwrap();
    let out = run(root, &["status", "1", "Draft", "--force", "--reason", "x"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "[lifecycle] history_field = \"status\" is the lifecycle field itself; name another field, such as \"Status History\""
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn by_and_reason_must_be_one_line_of_text() {
    let dir = project();
    let root = dir.path();
    let path = root.join("specs/0001-webhook-delivery.md");
    let before = fs::read(&path).unwrap();
    for (args, message) in [
        (
            vec!["--by", "Ana\nLima"],
            "error: the --by name `Ana\\nLima` has a line break (\\u{a}); give it as one line of text\n",
        ),
        (
            vec!["--force", "--reason", "ok\u{1b}[31m"],
            "error: the --reason `ok\\u{1b}[31m` has a control character (\\u{1b}); give it as one line of text\n",
        ),
        (
            vec!["--force", "--reason", "  "],
            "error: the --reason is empty; say it in a few words\n",
        ),
    ] {
        let mut all = vec!["status", "1", "Review"];
        all.extend(args);
        let out = run(root, &all);
        assert_eq!((out.code, out.stderr.as_str()), (2, message));
        assert_eq!(fs::read(&path).unwrap(), before, "nothing written");
    }
}

const BULLET_TEMPLATE: &str = "# Feature name

* Proposal: [SE-NNNN](NNNN-filename.md)
* Authors: [Author 1](https://example.com)
* Status: **Awaiting review** or **Accepted**

## Introduction

A paragraph.
";

#[test]
fn the_record_follows_the_specs_bullets_and_line_endings() {
    let spec = "# Async\r\n\r\n* Proposal: SE-0001\r\n* Authors: [Ada](https://example.com)\r\n* Status: **Awaiting review**\r\n\r\n## Introduction\r\n\r\nText.\r\n";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n[lifecycle]\nstatuses = [\"Awaiting review\", \"Accepted\", \"Implemented\"]\n",
        ),
        ("template.md", BULLET_TEMPLATE),
        ("specs/0001-async.md", spec),
    ]);
    let root = dir.path();
    let before = findings(root, "specs");
    ok(root, &["status", "1", "accepted", "--by", "Ana Lima"]);
    ok(root, &["status", "1", "Implemented", "--by", "Bo"]);
    let text = fs::read_to_string(root.join("specs/0001-async.md")).unwrap();
    assert_eq!(
        text.replace(&today(), "TODAY"),
        "# Async\r\n\r\n* Proposal: SE-0001\r\n* Authors: [Ada](https://example.com)\r\n* Status: **Implemented**\r\n* Status History:\r\n  * TODAY: Awaiting review -> Accepted by Ana Lima\r\n  * TODAY: Accepted -> Implemented by Bo\r\n\r\n## Introduction\r\n\r\nText.\r\n"
    );
    assert_eq!(
        findings(root, "specs"),
        before,
        "no finding about the record"
    );
}

#[test]
fn an_empty_yaml_list_becomes_the_list_of_transitions() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n[lifecycle]\nstatuses = [\"Draft\", \"Review\", \"Final\"]\n",
        ),
        ("template.md", YAML_TEMPLATE),
        (
            "specs/0007-fee-market.md",
            "---\ntitle: Fee market\nauthor: Ada\ndiscussions-to: https://example.com/t/7\nstatus: Draft\nstatus_history: []\ncreated: 2019-04-13\n---\n\n## Abstract\n\nText.\n",
        ),
    ]);
    let root = dir.path();
    ok(root, &["status", "7", "Review", "--by", "Ana Lima"]);
    insta::assert_snapshot!(front_matter(root, "0007-fee-market.md"), @r#"
    ---
    title: Fee market
    author: Ada
    discussions-to: https://example.com/t/7
    status: Review
    status_history:
      - "TODAY: Draft -> Review by Ana Lima"
    created: 2019-04-13
    ---
    "#);
    // A single value is not a list to add to: refused, nothing written.
    let path = root.join("specs/0007-fee-market.md");
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("status_history:").unwrap();
    let end = text.find("created:").unwrap();
    let scalar = format!(
        "{}status_history: none yet\n{}",
        &text[..start],
        &text[end..]
    );
    fs::write(&path, &scalar).unwrap();
    let out = run(root, &["status", "7", "Final", "--by", "Ana Lima"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: specs/0007-fee-market.md: `status_history` holds `none yet`, not a list of transitions; make it a list (or remove it) and try again\n"
        )
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), scalar);
}

/// The record lives beside the Status field: git's status history (read from the diffs of the
/// Status line) still sees each change once, and the catalog reads both.
#[test]
fn git_history_and_the_record_agree() {
    let dir = crate::history::dated_repository();
    let root = dir.path();
    ok(root, &["status", "1", "Approved", "--by", "Ana Lima"]);
    crate::history::git(
        root,
        &["add", "-A"],
        "Ana Lima",
        "2026-03-02T09:00:00+00:00",
    );
    crate::history::git(
        root,
        &["commit", "-q", "-m", "approve"],
        "Ana Lima",
        "2026-03-02T09:00:00+00:00",
    );
    let out = ok(root, &["show", "1", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let moves = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} -> {}", c["from"], c["to"]))
            .collect()
    };
    assert_eq!(
        moves("status_history"),
        vec![
            "null -> \"Draft\"",
            "\"Draft\" -> \"Review\"",
            "\"Review\" -> \"Approved\""
        ]
    );
    assert_eq!(
        moves("recorded_transitions"),
        vec!["\"Review\" -> \"Approved\""]
    );
    assert_eq!(json["recorded_transitions"][0]["by"], "Ana Lima");
    assert_eq!(json["status"], "Approved");
    assert_eq!(findings(root, "specs"), Vec::<String>::new());
}
