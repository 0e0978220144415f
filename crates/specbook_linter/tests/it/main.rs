//! Every rule on its fixtures: `tests/fixtures/<rule>/*.md`, checked with the built-in
//! template, each with a snapshot of all findings.

use std::path::Path;

use specbook_diagnostics::LineIndex;
use specbook_linter::{RULES, Settings, check};
use specbook_markdown::{Document, Schema};

mod docs;
mod properties;

fn findings(text: &str) -> Vec<(String, String)> {
    let schema = Schema::builtin();
    let doc = Document::parse(text);
    let index = LineIndex::new(text);
    check(&doc, &schema, &Settings::default())
        .iter()
        .map(|d| {
            let at = d.locate(text, &index);
            let line = format!(
                "{}:{}-{}:{} {} {}: {}",
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                at.severity.as_str(),
                at.rule,
                at.message
            );
            (at.rule.to_owned(), line)
        })
        .collect()
}

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

#[test]
fn every_rule_has_fixtures() {
    for rule in RULES {
        let dir = fixture_dir().join(rule.name);
        assert!(
            dir.join("valid.md").is_file(),
            "{} has no valid.md",
            rule.name
        );
        assert!(
            dir.join("invalid.md").is_file(),
            "{} has no invalid.md",
            rule.name
        );
    }
}

#[test]
fn fixtures() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            let found = findings(&text);
            if stem == "valid" {
                assert!(
                    found.is_empty(),
                    "{rule}/valid.md should be clean:\n{found:#?}"
                );
            } else if stem == "invalid" {
                assert!(
                    found.iter().any(|(r, _)| *r == rule),
                    "{rule}/invalid.md should trigger {rule}"
                );
            }
            let lines: Vec<String> = found.into_iter().map(|(_, line)| line).collect();
            insta::assert_snapshot!(format!("{rule}__{stem}"), lines.join("\n"));
        }
    }
}

#[test]
fn line_endings_and_bom_do_not_change_findings() {
    for rule in ["placeholder", "missing-section", "invalid-date"] {
        let text = std::fs::read_to_string(fixture_dir().join(rule).join("invalid.md")).unwrap();
        let lf = findings(&text);
        let crlf = findings(&text.replace('\n', "\r\n"));
        let bom = findings(&format!("\u{feff}{}", text.replace('\n', "\r\n")));
        assert_eq!(lf, crlf, "{rule}: CRLF changed the findings");
        assert_eq!(lf, bom, "{rule}: a BOM changed the findings");
    }
}

#[test]
fn a_finished_spec_is_clean_in_every_status() {
    let text = std::fs::read_to_string(fixture_dir().join("missing-section/valid.md")).unwrap();
    for status in ["Draft", "Review", "Approved", "Superseded", "Withdrawn"] {
        let text = text.replace("- **Status:** Approved", &format!("- **Status:** {status}"));
        for variant in [
            text.clone(),
            text.replace('\n', "\r\n"),
            format!("\u{feff}{text}"),
        ] {
            assert_eq!(findings(&variant), vec![], "status {status}");
        }
    }
}

#[test]
fn doc_examples_are_in_rule_docs() {
    for rule in RULES {
        assert!(
            rule.doc.contains("```markdown"),
            "{} docs have no Markdown example",
            rule.name
        );
    }
}
