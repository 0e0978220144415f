//! `specbook init` and `specbook new`, then `check` on what they wrote.

use std::fs;

use proptest::prelude::*;
use serde_json::Value;

use crate::{run, today};

#[test]
fn init_new_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = run(root, &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    assert!(root.join("specs").is_dir());
    assert_eq!(
        fs::read_to_string(root.join("templates/tech-spec.md")).unwrap(),
        specbook_markdown::BUILTIN_TEMPLATE
    );

    let out = run(
        root,
        &[
            "new",
            "Webhook Delivery",
            "--author",
            "Radia Perlman",
            "--team",
            "Integrations",
        ],
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "specs/0001-webhook-delivery.md\n"),
        "{}",
        out.stderr
    );
    let text = fs::read_to_string(root.join("specs/0001-webhook-delivery.md")).unwrap();
    let today = today();
    assert!(text.starts_with("# Webhook Delivery Technical Specification\n\n## Front Matter\n"));
    for line in [
        "- **Author(s):** Radia Perlman".to_owned(),
        "- **Team:** Integrations".to_owned(),
        format!("- **Created:** {today}"),
        format!("- **Last Updated:** {today}"),
        "- **Status:** Draft".to_owned(),
    ] {
        assert!(
            text.contains(&format!("{line}\n")),
            "missing {line:?} in\n{text}"
        );
    }

    let out = run(root, &["check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics
            .iter()
            .all(|d| d["rule"] == "placeholder" && d["severity"] == "warning"),
        "{diagnostics:#?}"
    );

    let out = run(
        root,
        &["new", "Rate Limiter", "--author", "A", "--team", "B"],
    );
    assert_eq!(out.stdout, "specs/0002-rate-limiter.md\n");
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("specbook.toml"), "# mine\n").unwrap();
    let out = run(dir.path(), &["init"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("specbook.toml already exists; not overwriting it"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("specbook.toml")).unwrap(),
        "# mine\n"
    );
}

/// `init` writes a `.gitignore` for the built site, and leaves one that exists alone.
#[test]
fn init_ignores_the_site_and_keeps_an_existing_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init"]).code, 0);
    assert_eq!(
        fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "# The site `specbook build` writes (rebuilt from the specs).\n/site/\n"
    );
    let config = fs::read_to_string(dir.path().join("specbook.toml")).unwrap();
    assert!(
        config.contains("\n[rules]\n# Each rule's level"),
        "{config}"
    );

    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".gitignore"), "target/\n").unwrap();
    let out = run(dir.path(), &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains(".gitignore"), "{}", out.stdout);
    assert_eq!(
        fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "target/\n"
    );
}

#[test]
fn new_without_init_uses_specs_and_builtin_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            "new",
            "Café: Menü / Ordering!",
            "--author",
            "Ada",
            "--team",
            "Core",
        ],
    );
    assert_eq!(
        out.stdout, "specs/0001-café-menü-ordering.md\n",
        "{}",
        out.stderr
    );
}

#[test]
fn new_with_an_adr_template() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        crate::fixtures().join("adr/template.md"),
        dir.path().join("adr.md"),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "new",
            "Use PostgreSQL",
            "--template",
            "adr.md",
            "--author",
            "Ada",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = fs::read_to_string(dir.path().join("specs/0001-use-postgresql.md")).unwrap();
    assert!(
        text.starts_with("# Use PostgreSQL. [Decision Title]\n"),
        "{text}"
    );
    assert!(text.contains("- **Status:** Proposed\n"));
    assert!(text.contains(&format!("- **Date:** {}\n", today())));
}

#[test]
fn new_with_a_title_without_letters_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["new", "???"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no letters or digits"),
        "{}",
        out.stderr
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `new` followed by `check` finds only placeholders, whatever the title, author and team.
    #[test]
    fn new_then_check_finds_only_placeholders(
        title in "[A-Za-z][A-Za-z0-9 é:/()-]{0,30}",
        author in "[A-Za-z][A-Za-z .'-]{0,20}",
        team in "[A-Za-z][A-Za-z0-9 &-]{0,15}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let out = run(dir.path(), &["new", &title, "--author", &author, "--team", &team]);
        prop_assert_eq!(out.code, 0, "{}", out.stderr);
        let out = run(dir.path(), &["check", "--format", "json"]);
        let json: Value = serde_json::from_str(&out.stdout).unwrap();
        for d in json["diagnostics"].as_array().unwrap() {
            prop_assert_eq!(&d["rule"], "placeholder", "{}", d);
        }
        prop_assert_eq!(out.code, 0);
    }
}

#[test]
fn new_refuses_line_breaks_and_control_characters_in_title_author_and_team() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["new", "Line one\nLine two"],
            "error: cannot create the spec: the title `Line one\\nLine two` has a line break (\\u{a}); give it as one line of text\n",
        ),
        (
            &["new", "Title", "--author", "Ada\n- **Status:** Approved"],
            "error: cannot create the spec: the author `Ada\\n- **Status:** Approved` has a line break (\\u{a}); give it as one line of text\n",
        ),
        (
            &["new", "Title", "--team", "Co\rre"],
            "error: cannot create the spec: the team `Co\\rre` has a line break (\\u{d}); give it as one line of text\n",
        ),
        (
            &["new", "Ti\u{1b}[31mtle"],
            "error: cannot create the spec: the title `Ti\\u{1b}[31mtle` has a control character (\\u{1b}); give it as one line of text\n",
        ),
        (
            &["new", "Title", "--team", "A\tB"],
            "error: cannot create the spec: the team `A\\tB` has a tab (\\u{9}); give it as one line of text\n",
        ),
    ];
    for (args, message) in cases {
        let out = run(dir.path(), args);
        assert_eq!((out.code, out.stderr.as_str()), (2, message), "{args:?}");
    }
    assert!(
        !dir.path().join("specs").exists()
            || fs::read_dir(dir.path().join("specs"))
                .unwrap()
                .next()
                .is_none(),
        "nothing was created"
    );
}

#[test]
fn new_without_a_title_off_a_terminal_says_how() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init"]).code, 0);
    let out = run(dir.path(), &["new"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr, @r#"error: give the spec's title, e.g. `specbook new "Webhook Delivery"` (on a terminal, specbook asks for it)"#);
    assert_eq!(fs::read_dir(dir.path().join("specs")).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn new_edit_opens_the_spec_in_the_editor() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let editor = root.join("editor.sh");
    fs::write(
        &editor,
        "#!/bin/sh\nprintf 'edited by %s\\n' \"$1\" >> \"$2\"\n",
    )
    .unwrap();
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).unwrap();
    let out = crate::specbook(root)
        .args([
            "new",
            "Edited Spec",
            "--author",
            "A",
            "--team",
            "B",
            "--edit",
        ])
        .env_remove("VISUAL")
        .env("EDITOR", format!("{} --flag", editor.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(root.join("specs/0001-edited-spec.md")).unwrap();
    assert!(text.ends_with("edited by --flag\n"), "{text}");

    let out = crate::specbook(root)
        .args(["new", "Second", "--edit"])
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("set $VISUAL or $EDITOR") && stderr.contains("specs/0002-second.md"),
        "{stderr}"
    );
}
