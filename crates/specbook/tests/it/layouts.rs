//! Corpus layouts: flat files, one folder per spec with a README.md, number-only folders,
//! letter-prefixed ids, glob sources and display prefixes, seen by every command alike.

use std::fs;
use std::path::Path;

use crate::{fixtures, run};

/// A tree of `files`, each a finished spec titled after its path, plus `config`.
fn corpus(config: &str, files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    for (i, file) in files.iter().enumerate() {
        let path = dir.path().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let title = format!("# Spec {} Technical Specification", i + 1);
        fs::write(
            &path,
            finished.replace("# Webhook Delivery Technical Specification", &title),
        )
        .unwrap();
    }
    fs::write(dir.path().join("specbook.toml"), config).unwrap();
    dir
}

/// `list --format json` as (id, path) pairs.
fn listed(root: &Path) -> Vec<(String, String)> {
    let out = run(root, &["list", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn folder_per_spec_readmes_are_specs_and_introductions_are_named() {
    let dir = corpus(
        "specs = \"text\"\n",
        &[
            "text/README.md",
            "text/0001-flat.md",
            "text/0007-folder/README.md",
        ],
    );
    let root = dir.path();
    assert_eq!(
        listed(root),
        vec![
            ("0001".to_owned(), "text/0001-flat.md".to_owned()),
            ("0007".to_owned(), "text/0007-folder/README.md".to_owned()),
        ]
    );
    let out = run(root, &["check"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    insta::assert_snapshot!(out.stderr, @r"
    note: 1 Markdown file not checked:
      text/README.md: a README.md whose folder has no number introduces the folder; it is not a spec (name it in `specs` with a pattern to check it)
    ");
    // The folder's number names the spec in every command.
    let out = run(root, &["show", "7", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("text/0007-folder/README.md"),
        "{}",
        out.stdout
    );
    let out = run(root, &["show", "folder", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn number_only_folders_and_glob_sources() {
    let dir = corpus(
        "specs = [\"rfd/*/README.md\", \"spec/**/README.md\"]\n",
        &[
            "rfd/0042/README.md",
            "rfd/0043/README.md",
            "rfd/0043/notes.md",
            "spec/core/ics-002-client/README.md",
            "spec/app/ics-020-transfer/README.md",
        ],
    );
    let root = dir.path();
    assert_eq!(
        listed(root),
        vec![
            (
                "002".to_owned(),
                "spec/core/ics-002-client/README.md".to_owned()
            ),
            (
                "020".to_owned(),
                "spec/app/ics-020-transfer/README.md".to_owned()
            ),
            ("0042".to_owned(), "rfd/0042/README.md".to_owned()),
            ("0043".to_owned(), "rfd/0043/README.md".to_owned()),
        ]
    );
    let out = run(root, &["check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // The catalog commands take paths too.
    let out = run(root, &["list", "--format", "csv", "rfd"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 4, "{}", out.stdout);
}

#[test]
fn letter_prefixes_are_part_of_the_id() {
    let dir = corpus(
        "specs = \".\"\n",
        &["A14-channelz.md", "G14-other.md", "L1-node.md"],
    );
    let root = dir.path();
    let ids: Vec<String> = listed(root).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec!["A14", "G14", "L1"]);
    let out = run(root, &["check", "--format", "json"]);
    assert!(!out.stdout.contains("duplicate-id"), "{}", out.stdout);
    let out = run(root, &["show", "a14", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("A14-channelz.md"), "{}", out.stdout);
    let out = run(root, &["show", "14"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`14` names 2 specs"), "{}", out.stderr);
}

#[test]
fn a_display_prefix_names_every_id() {
    let dir = corpus(
        "specs = \"proposals\"\nid_prefix = \"SE-\"\n",
        &["proposals/0300-continuation.md", "proposals/0301-other.md"],
    );
    let root = dir.path();
    let ids: Vec<String> = listed(root).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec!["SE-0300", "SE-0301"]);
    for name in ["SE-0300", "se-300", "300"] {
        let out = run(root, &["show", name, "--format", "json"]);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
    }
}

#[test]
fn a_source_matching_nothing_is_an_error_for_every_command() {
    let dir = corpus(
        "specs = [\"keps/*/*/README.md\"]\n",
        &["keps/sig-node/x.md"],
    );
    let root = dir.path();
    for args in [
        &["check"][..],
        &["list"],
        &["index", "--check"],
        &["graph"],
        &["build"],
        &["search", "cpu"],
        &["show", "1"],
    ] {
        let out = run(root, args);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(
                "specs: `keps/*/*/README.md` matches no file; the nearest existing folder is keps/"
            ),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(!root.join("site").exists());
}

#[test]
fn a_spec_with_no_title_anywhere_is_not_shown_as_a_bare_number() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // No title heading, no title field, and a name that is only a number.
    fs::write(
        root.join("0007.md"),
        "## Front Matter\n- **Status:** Draft\n",
    )
    .unwrap();
    let out = run(root, &["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Untitled spec 0007"), "{}", out.stdout);
}

#[test]
fn new_writes_where_the_sources_take_it() {
    // One folder per spec: the next number gets its own folder and README.md.
    let dir = corpus("specs = [\"rfd/*/README.md\"]\n", &["rfd/0042/README.md"]);
    let root = dir.path();
    let out = run(root, &["new", "Quota Service", "--author", "Ada"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "rfd/0043-quota-service/README.md\n");
    let ids: Vec<String> = listed(root).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, vec!["0042", "0043"]);
    // A pattern `new` cannot follow is refused, not a file no command would see.
    let dir = corpus("specs = [\"EIPS/eip-*.md\"]\n", &["EIPS/eip-1.md"]);
    let out = run(dir.path(), &["new", "Fee Market", "--author", "Ada"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("which `specs` (EIPS/eip-*.md) does not take"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("EIPS/0002-fee-market.md").exists());
}
