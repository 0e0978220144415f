//! Rules that need several files: `broken-link`, `dangling-relation`, `relation-cycle`, on
//! fixture trees under `tests/fixtures/workspace/<rule>/{valid,invalid}/`.

use std::fs;

use serde_json::Value;

use crate::{fields, fixtures, run};

fn findings(dir: &std::path::Path) -> (i32, Vec<String>) {
    let out = run(dir, &["check", ".", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
    let lines = fields(&json, &["path", "line", "column", "rule", "message"])
        .into_iter()
        .map(|f| format!("{}:{}:{} {}: {}", f[0], f[1], f[2], f[3], f[4]))
        .collect();
    (out.code, lines)
}

#[test]
fn workspace_rule_fixtures() {
    for rule in ["broken-link", "dangling-relation", "relation-cycle"] {
        let root = fixtures().join("workspace").join(rule);
        let (code, valid) = findings(&root.join("valid"));
        assert_eq!((code, valid), (0, vec![]), "{rule}/valid should be clean");
        let (code, invalid) = findings(&root.join("invalid"));
        assert_eq!(code, 1, "{rule}/invalid");
        assert!(
            invalid.iter().all(|l| l.contains(&format!(" {rule}: "))),
            "{rule}/invalid has other findings: {invalid:#?}"
        );
        insta::assert_snapshot!(format!("workspace_{rule}"), invalid.join("\n"));
    }
}

#[test]
fn suppressions_and_rule_settings_apply_to_workspace_rules() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixtures().join("workspace/broken-link/invalid");
    for name in ["0001-a.md", "0002-b.md"] {
        fs::copy(source.join(name), dir.path().join(name)).unwrap();
    }
    let path = dir.path().join("0001-a.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "[ref]: ../elsewhere.md",
            "<!-- specbook-disable-next-line broken-link -->\n[ref]: ../elsewhere.md",
        ),
    )
    .unwrap();
    let (_, found) = findings(dir.path());
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(!found.iter().any(|l| l.contains("elsewhere")), "{found:#?}");
    let out = run(dir.path(), &["check", ".", "--ignore", "broken-link"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn relations_to_specs_outside_the_checked_files_are_not_dangling() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let source = fixtures().join("workspace/dangling-relation/valid");
    for name in ["0001-a.md", "0002-b.md", "0003-c.md"] {
        fs::copy(source.join(name), root.join("specs").join(name)).unwrap();
    }
    let out = run(root, &["check", "specs/0001-a.md"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}
