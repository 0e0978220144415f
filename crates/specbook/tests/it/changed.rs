//! `check --changed` in a real git repository.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{field, fixtures, run};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn checked_paths(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = run(dir, args);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut paths = field(&json, "path");
    paths.dedup();
    paths
}

#[test]
fn only_modified_and_added_specs_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "--quiet", "--initial-branch=main"]);
    fs::create_dir(root.join("specs")).unwrap();
    // Each spec is a Draft with one placeholder, so every checked file has a finding.
    let draft = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Status:** Approved", "**Status:** Draft")
        .replace(
            "Four small sender instances and one database: about $900 a month.",
            "TODO",
        );
    for name in ["0001-a.md", "0002-b.md", "0003-c.md"] {
        fs::write(root.join("specs").join(name), &draft).unwrap();
    }
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "specs"]);
    git(root, &["checkout", "--quiet", "-b", "feature"]);
    fs::write(
        root.join("specs/0002-b.md"),
        draft.replace("Integrations", "Platform"),
    )
    .unwrap();
    git(root, &["commit", "--quiet", "-am", "edit b"]);
    fs::write(root.join("specs/0004-d.md"), &draft).unwrap();

    let all = checked_paths(root, &["check", "specs", "--format", "json"]);
    assert_eq!(all.len(), 4);
    let changed = checked_paths(root, &["check", "specs", "--format", "json", "--changed"]);
    assert_eq!(changed, vec!["specs/0002-b.md", "specs/0004-d.md"]);
    let changed = checked_paths(
        root,
        &["check", "specs", "--format", "json", "--changed", "main"],
    );
    assert_eq!(changed, vec!["specs/0002-b.md", "specs/0004-d.md"]);
    // From outside the repository, git runs where the checked files are.
    let elsewhere = tempfile::tempdir().unwrap();
    let specs = root.join("specs");
    let out = run(
        elsewhere.path(),
        &[
            "check",
            specs.to_str().unwrap(),
            "--format",
            "json",
            "--changed",
            "main",
        ],
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 2, "{}", out.stderr);
    let out = run(root, &["check", "specs", "--changed", "no-such-branch"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no-such-branch"), "{}", out.stderr);
}
