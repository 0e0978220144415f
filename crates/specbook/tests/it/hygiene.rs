//! What specbook prints of a file's name or text: control characters (escape sequences that
//! would reach the terminal) are shown escaped.

use std::fs;

use crate::{fixtures, run};

/// A spec whose file name and title hold escape sequences (`ESC ] 0 ;` sets the terminal's
/// title, `ESC [ 2 J` clears the screen).
#[test]
fn file_names_and_titles_with_escape_sequences_are_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let name = "0001-evil\u{1b}]0;pwned\u{7}.md";
    let text = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replacen(
            "# Webhook Delivery Technical Specification",
            "# Evil\u{1b}[2J Technical Specification",
            1,
        )
        .replace(
            "- **Team:** Integrations",
            "- **Team:** [Team\u{1b}[31m Name]",
        );
    fs::write(root.join("specs").join(name), text).unwrap();

    let out = run(root, &["check"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for output in [&out.stdout, &out.stderr] {
        assert!(
            !output.contains('\u{1b}') && !output.contains('\u{7}'),
            "{output}"
        );
    }
    assert!(
        out.stdout
            .contains("--> specs/0001-evil\\u{1b}]0;pwned\\u{7}.md:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("5 | - **Team:** [Team\\u{1b}[31m Name]"),
        "the source line, escaped: {}",
        out.stdout
    );

    let out = run(root, &["list"]);
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
    assert!(out.stdout.contains("Evil\\u{1b}[2J"), "{}", out.stdout);

    let out = run(
        root,
        &["status", "1", "Draft", "--force", "--reason", "test"],
    );
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stderr.contains('\u{1b}'),
        "{}{}",
        out.stdout,
        out.stderr
    );

    for args in [&["show", "1"][..], &["search", "Evil"][..]] {
        let out = run(root, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.contains('\u{1b}'), "{args:?}: {}", out.stdout);
        assert!(
            out.stdout.contains("Evil\\u{1b}[2J"),
            "{args:?}: {}",
            out.stdout
        );
    }

    // An error naming the file.
    let out = run(root, &["show", "specs/nothing\u{1b}[2J.md"]);
    assert_eq!(out.code, 2);
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
}
