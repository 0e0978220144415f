//! Several templates in one repository: `[[templates]]` chosen by path or by a field's value,
//! each spec checked against its own, and `new --template NAME`.

use std::fs;

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

const FEATURE: &str = "# Feature name\n\n* Status: **Draft** or **Accepted**\n* Kind: feature\n\n## Motivation\n\nWhy.\n\n## Design\n\nHow.\n";
const DEPRECATION: &str = "# Deprecation name\n\n* Status: **Draft** or **Accepted**\n* Kind: deprecation\n\n## Motivation\n\nWhy.\n\n## Migration\n\nHow users move.\n";
const TESTING: &str = "# Testing feature name\n\n* Status: **Draft** or **Accepted**\n\n## Motivation\n\nWhy.\n\n## Examples\n\nTests.\n";

fn spec(title: &str, kind: &str, sections: &[&str]) -> String {
    let mut text = format!("# {title}\n\n* Status: **Accepted**\n");
    if !kind.is_empty() {
        text.push_str(&format!("* Kind: {kind}\n"));
    }
    for section in sections {
        text.push_str(&format!("\n## {section}\n\nText.\n"));
    }
    text
}

fn repository() -> tempfile::TempDir {
    tree(&[
        (
            "specbook.toml",
            r#"template = "templates/feature.md"
specs = ["proposals/*.md", "proposals/testing/*.md"]
id_prefix = "SE-"

[[templates]]
name = "testing"
file = "templates/testing.md"
paths = ["proposals/testing/*.md"]
id_prefix = "ST-"

[[templates]]
name = "deprecation"
file = "templates/deprecation.md"
when = { kind = "deprecation" }
"#,
        ),
        ("templates/feature.md", FEATURE),
        ("templates/deprecation.md", DEPRECATION),
        ("templates/testing.md", TESTING),
        (
            "proposals/0001-feature.md",
            &spec("A feature", "feature", &["Motivation", "Design"]),
        ),
        (
            "proposals/0002-old-api.md",
            &spec(
                "Remove the old API",
                "Deprecation",
                &["Motivation", "Migration"],
            ),
        ),
        (
            "proposals/0003-broken.md",
            &spec(
                "A deprecation without migration",
                "deprecation",
                &["Motivation", "Design"],
            ),
        ),
        (
            "proposals/testing/0001-traits.md",
            &spec("Test traits", "", &["Motivation", "Examples"]),
        ),
    ])
}

#[test]
fn each_spec_is_checked_against_the_template_that_selects_it() {
    let dir = repository();
    let root = dir.path();
    let out = run(root, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    insta::assert_snapshot!(
        fields(&json, &["path", "line", "rule", "message"])
            .iter()
            .map(|row| row.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        @r"
    proposals/0003-broken.md 6 missing-section missing section `Migration` (`## Migration`); expected after the section `Motivation`
    proposals/0003-broken.md 10 unknown-section section `Design` is not in the template
    "
    );
    assert!(
        out.stderr.contains(
            "note: checked 1 against the default template, 1 against `testing` (templates/testing.md), 2 against `deprecation` (templates/deprecation.md)"
        ),
        "{}",
        out.stderr
    );
    // The same number in two series is not a duplicate; the catalog says which template.
    let out = run(root, &["list", "--format", "json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let shown: Vec<(&str, &str)> = list
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["template"].as_str().unwrap_or("default"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("SE-0001", "default"),
            ("SE-0002", "deprecation"),
            ("SE-0003", "deprecation"),
            ("ST-0001", "testing"),
        ]
    );
    let out = run(root, &["show", "ST-0001"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("template      testing\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn new_takes_a_template_by_name() {
    let dir = repository();
    let root = dir.path();
    let out = run(
        root,
        &[
            "new",
            "Drop the legacy flag",
            "--template",
            "deprecation",
            "--author",
            "Ada",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = out.stdout.trim();
    let text = fs::read_to_string(root.join(path)).unwrap();
    assert!(text.starts_with("# Drop the legacy flag\n"), "{text}");
    assert!(text.contains("## Migration"), "{text}");
}

#[test]
fn a_template_needs_one_selector() {
    let dir = tree(&[(
        "specbook.toml",
        "[[templates]]\nname = \"x\"\nfile = \"x.md\"\n",
    )]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("[[templates]] `x`: choose the specs it is for with `paths"),
        "{}",
        out.stderr
    );
}

/// A template whose YAML cannot be read: the error names the template, the line and the
/// column, in a sentence (no parser debug text).
#[test]
fn a_template_with_broken_yaml_is_an_error_at_its_line_and_column() {
    let dir = tree(&[
        ("specbook.toml", "template = \"t.md\"\nspecs = \"specs\"\n"),
        (
            "t.md",
            "---\ntitle: <title>\nstatus: Draft\nauthors: [a, b\n---\n\n## Abstract\n",
        ),
        (
            "specs/0001-a.md",
            "---\ntitle: A\n---\n\n## Abstract\n\nText.\n",
        ),
    ]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: template t.md: line 4, column 10: the front matter cannot be read: unclosed bracket '['\n"
        )
    );
}
