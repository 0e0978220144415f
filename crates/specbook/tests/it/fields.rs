//! Fields as corpora write them: date-times, `[fields.NAME]` types, optional fields (by
//! configuration or by the template's `*if applicable*`), extra fields allowed, and the field
//! that states the spec's number (`id-mismatch`).

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

/// `check --format json` findings as `path line rule message` lines.
fn findings(root: &Path) -> String {
    let out = run(root, &["check", "--format", "json"]);
    assert!(out.code < 2, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    fields(&json, &["path", "line", "rule", "message"])
        .iter()
        .map(|row| row.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

const EIP_TEMPLATE: &str = "---
title: <The EIP title>
author: <a comma separated list of the author's or authors' name>
discussions-to: <URL>
status: Draft
type: <Standards Track, Meta, or Informational>
category: <Core, Networking, Interface, or ERC>
created: <date created on, in ISO 8601 (yyyy-mm-dd) format>
requires: <EIP number(s)>
---

## Abstract

<!-- a summary -->
";

fn eip(number: &str, extra: &str) -> String {
    format!(
        "---\neip: {number}\ntitle: Fee market\nauthor: Ada (@ada)\ndiscussions-to: https://example.org/t/1\nstatus: Draft\ntype: Standards Track\ncategory: Core\ncreated: 2019-04-13\n{extra}---\n\n## Abstract\n\nText.\n"
    )
}

#[test]
fn date_times_optional_and_typed_fields() {
    let dir = tree(&[
        (
            "specbook.toml",
            r#"template = "eip-template.md"
specs = "EIPS"
allow_unknown_fields = ["last-call-deadline"]

[fields.requires]
optional = true

[fields.category]
type = "one-of"
values = ["Core", "Networking", "Interface", "ERC"]
optional = true

[fields.discussions-to]
type = "link"
"#,
        ),
        ("eip-template.md", EIP_TEMPLATE),
        // A date-time is a date; `requires` is optional; an allowed extra field.
        (
            "EIPS/eip-1559.md",
            &eip("1559", "last-call-deadline: 2021-01-01\n")
                .replace("created: 2019-04-13", "created: 2019-04-13T00:00:00.000Z"),
        ),
        // A real typo of a date, a value outside `values`, a link that is none.
        (
            "EIPS/eip-2930.md",
            &eip("2930", "requires: 2718\n")
                .replace("created: 2019-04-13", "created: 2025-30-01")
                .replace("category: Core", "category: Cor")
                .replace(
                    "discussions-to: https://example.org/t/1",
                    "discussions-to: see above",
                ),
        ),
        // The field stating the number disagrees with the file name.
        ("EIPS/eip-4844.md", &eip("4845", "requires: 1559\n")),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    EIPS/eip-2930.md 5 invalid-value `see above` is not a link (field `discussions-to`); write a URL or [text](url)
    EIPS/eip-2930.md 8 invalid-value `Cor` is not one of Core, Networking, Interface, ERC (field `category`); did you mean `Core`?
    EIPS/eip-2930.md 9 invalid-date `2025-30-01` is not a valid date in field `created`; expected YYYY-MM-DD
    EIPS/eip-4844.md 2 id-mismatch `eip` says 4845 but the path says 4844 (eip-4844.md); one of them is wrong
    ");
}

#[test]
fn without_configuration_extra_and_missing_fields_are_reported() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"eip-template.md\"\nspecs = \"EIPS\"\n",
        ),
        ("eip-template.md", EIP_TEMPLATE),
        (
            "EIPS/eip-1559.md",
            &eip("1559", "last-call-deadline: 2021-01-01\n"),
        ),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    EIPS/eip-1559.md 1 missing-field missing field `requires` (the template has `requires: <EIP number(s)>`)
    EIPS/eip-1559.md 10 unknown-field field `last-call-deadline` is not in the template
    ");
}

#[test]
fn if_applicable_fields_may_be_left_out_and_the_proposal_field_states_the_number() {
    let template = "# Feature name

* Proposal: [SE-NNNN](NNNN-filename.md)
* Authors: [Author 1](https://github.com/swiftdev)
* Status: **Awaiting review**
* Vision: *if applicable* [Vision Name](https://example.com)
* Bug: _if applicable_ [swiftlang/swift#NNNNN](https://example.com/NNNNN)

## Introduction

Text.
";
    let spec = |number: &str| {
        format!(
            "# Continuations\n\n* Proposal: [SE-{number}]({number}-continuation.md)\n* Authors: [Ada](https://example.com)\n* Status: **Awaiting review**\n\n## Introduction\n\nText.\n"
        )
    };
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"proposals\"\n",
        ),
        ("template.md", template),
        ("proposals/0300-continuation.md", &spec("0300")),
        ("proposals/0301-continuation.md", &spec("0300")),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    proposals/0301-continuation.md 3 id-mismatch `Proposal` says 300 but the path says 301 (0301-continuation.md); one of them is wrong
    ");
}

#[test]
fn a_field_setting_with_a_wrong_type_is_a_configuration_error() {
    let dir = tree(&[("specbook.toml", "[fields.category]\ntype = \"enum\"\n")]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "[fields.category] type = \"enum\": expected date, list, one-of, link, text or number"
        ),
        "{}",
        out.stderr
    );
    fs::write(
        dir.path().join("specbook.toml"),
        "[fields.category]\ntype = \"one-of\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("needs `values = [...]`"),
        "{}",
        out.stderr
    );
}
