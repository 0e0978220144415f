//! Sections as real templates write them: optional markers and optional text, numbered
//! examples, aliases for old names, subsections a spec adds, headings with markup, and
//! nesting where the template skips a level.

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

const TEMPLATE: &str = "# Title

## Summary

One paragraph explanation of the feature.

## User Stories

### Story 1

As a user ...

### Story 2

As an operator ...

## Reference-level explanation

The technical part.

## Drawbacks (Optional)

Why not?

## Open issues (if applicable)

[Issues the author cannot solve]

## Security

This section is optional. Describe the threats.

## Alternatives

### Alternative A

### Alternative B
";

#[test]
fn optional_repeated_and_renamed_sections_match() {
    let spec = "# Rate limiter

## Summary

Limits requests.

## User stories

### Story 1

As a user I want fairness.

### Story 2

As an operator I want alerts.

### Story 3

As an auditor I want logs.

### A note we added

Inside a known section: the spec's own structure.

## [Detailed design](#detailed-design)

Token buckets.

## Alternatives

### Alternative A

Leaky bucket.

### Alternative C

Fixed windows.
";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n[sections]\naliases = { \"Detailed design\" = \"Reference-level explanation\" }\n",
        ),
        ("template.md", TEMPLATE),
        ("specs/0001-rate-limiter.md", spec),
    ]);
    // No marker needed, optional parts may go, Story 3 continues the stories, an old name
    // stands for the new one, a heading with a link is its text.
    assert_eq!(findings(dir.path()), "");

    // Without the alias, the old name is unknown and the template's name missing.
    fs::write(
        dir.path().join("specbook.toml"),
        "template = \"template.md\"\nspecs = \"specs\"\n[sections]\nstrict_subsections = true\n",
    )
    .unwrap();
    insta::assert_snapshot!(findings(dir.path()), @r"
    specs/0001-rate-limiter.md 21 unknown-section section `A note we added` is not in the template
    specs/0001-rate-limiter.md 25 unknown-section section `[Detailed design](#detailed-design)` is not in the template
    specs/0001-rate-limiter.md 29 missing-section missing section `Reference-level explanation` (`## Reference-level explanation`); expected before `Alternatives`
    ");
}

#[test]
fn nesting_counts_where_the_template_skips_a_level() {
    let template = "# Title\n\n## Design\n\nText.\n\n#### Data Model\n\nText.\n";
    let good = "# Thing\n\n## Design\n\nText.\n\n### Data Model\n\nText.\n";
    let bad = "# Thing\n\n## Design\n\nText.\n\n## Data Model\n\nText.\n";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n",
        ),
        ("template.md", template),
        ("specs/0001-good.md", good),
        ("specs/0002-bad.md", bad),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @"specs/0002-bad.md 7 heading-level section `Data Model` is a level 2 heading; the template has it at level 4 (`#### Data Model`)");
}

#[test]
fn a_spec_shifted_one_level_is_consistent() {
    let template = "# Summary\n\nText.\n\n# Motivation\n\nText.\n";
    let spec = "# An RFC\n\n## Summary\n\nText.\n\n## Motivation\n\nText.\n";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n",
        ),
        ("template.md", template),
        ("specs/0001-x.md", spec),
    ]);
    assert_eq!(findings(dir.path()), "");
}

#[test]
fn an_alias_must_name_a_template_section() {
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\n[sections]\naliases = { \"Old\" = \"Nowhere\" }\n",
        ),
        ("template.md", TEMPLATE),
    ]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("`old` stands for `nowhere`, which is not a section of the template"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_nested_copy_of_the_outline_is_not_the_spec_sections() {
    let template = "# Title\n\n## Synopsis\n\nText.\n\n## History\n\nText.\n";
    // The standard that describes the format lists the sections under `## Components`; its own
    // History is at the top level. A section that is merely misplaced is still reported.
    let standard = "# The format\n\n## Components\n\n### Synopsis\n\nWhat a synopsis says.\n\n\
                    ### History\n\nWhat a history says.\n\n## History\n\nWritten in 2019.\n";
    let misplaced = "# Thing\n\n## Usage\n\n### Synopsis\n\nText.\n\n## History\n\nText.\n";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n",
        ),
        ("template.md", template),
        ("specs/0001-standard.md", standard),
        ("specs/0002-misplaced.md", misplaced),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    specs/0001-standard.md 3 unknown-section section `Components` is not in the template
    specs/0002-misplaced.md 3 unknown-section section `Usage` is not in the template
    specs/0002-misplaced.md 5 heading-level section `Synopsis` is a level 3 heading; the template has it at level 2 (`## Synopsis`)
    ");
}
