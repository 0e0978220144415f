//! `specbook status`: transitions, gates, `--force`.

use std::fs;
use std::path::Path;

use crate::{fixtures, run, today};

/// A project with `specs/0001-webhook-delivery.md`, a finished spec in `status`, and
/// `specs/0002-draft.md`, a fresh draft full of placeholders.
fn project(status: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let finished = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Status:** Approved", &format!("**Status:** {status}"));
    fs::write(root.join("specs/0001-webhook-delivery.md"), finished).unwrap();
    let out = run(root, &["new", "Draft", "--author", "Ada", "--team", "Core"]);
    assert_eq!(out.stdout, "specs/0002-draft.md\n", "{}", out.stderr);
    dir
}

fn status_line(root: &Path, file: &str) -> (String, String) {
    let text = fs::read_to_string(root.join("specs").join(file)).unwrap();
    let value = |label: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("- **{label}:** ")))
            .unwrap()
            .to_owned()
    };
    (value("Status"), value("Last Updated"))
}

#[test]
fn draft_to_review_is_refused_while_placeholders_remain() {
    let dir = project("Draft");
    let root = dir.path();
    let before = fs::read(root.join("specs/0002-draft.md")).unwrap();
    let out = run(root, &["status", "2", "Review", "--by", "Ada"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("error[placeholder]: placeholder `[Primary objective 1]`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("specs/0002-draft.md:19:3"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!(out.stderr, @"error: specs/0002-draft.md cannot move to Review: 41 errors above would fail `specbook check` in Review (fix them, or --force --reason TEXT)");
    assert_eq!(fs::read(root.join("specs/0002-draft.md")).unwrap(), before);
}

#[test]
fn a_finished_draft_moves_to_review_then_approved_with_todays_date() {
    let dir = project("Draft");
    let root = dir.path();
    let today = today();
    let out = run(root, &["status", "0001", "review", "--by", "Ada"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        format!("specs/0001-webhook-delivery.md: Draft -> Review by Ada on {today}\n")
    );
    assert_eq!(
        status_line(root, "0001-webhook-delivery.md"),
        ("Review".to_owned(), today.clone())
    );
    let out = run(
        root,
        &["status", "webhook-delivery", "Approved", "--by", "Grace"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        status_line(root, "0001-webhook-delivery.md"),
        ("Approved".to_owned(), today)
    );
    let out = run(root, &["status", "1", "Approved"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("is already Approved"), "{}", out.stdout);
    let out = run(root, &["check", "specs/0001-webhook-delivery.md"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn draft_to_approved_is_not_a_default_transition() {
    let dir = project("Draft");
    let root = dir.path();
    let out = run(root, &["status", "1", "Approved"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr, @"error: specs/0001-webhook-delivery.md: Draft -> Approved is not an allowed transition; from Draft a spec may go to Review, Superseded, Withdrawn");
    assert_eq!(status_line(root, "0001-webhook-delivery.md").0, "Draft");
}

#[test]
fn force_with_a_reason_overrides_the_gate_and_says_so() {
    let dir = project("Draft");
    let root = dir.path();
    let out = run(root, &["status", "2", "Review", "--force"]);
    assert_eq!(out.code, 2, "--force needs --reason");
    assert!(out.stderr.contains("--reason"), "{}", out.stderr);
    let out = run(
        root,
        &[
            "status",
            "2",
            "Review",
            "--force",
            "--reason",
            "early feedback",
            "--by",
            "Ada",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r"
    warning: forced: 41 errors block Review in specs/0002-draft.md
    warning: forced with reason: early feedback
    ");
    assert_eq!(status_line(root, "0002-draft.md").0, "Review");
}

#[test]
fn any_status_may_end_as_withdrawn_and_transitions_are_configurable() {
    let dir = project("Draft");
    let root = dir.path();
    let out = run(root, &["status", "2", "Withdrawn", "--by", "Ada"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(status_line(root, "0002-draft.md").0, "Withdrawn");
    let config = fs::read_to_string(root.join("specbook.toml")).unwrap();
    fs::write(
        root.join("specbook.toml"),
        config.replace(
            "[lifecycle]",
            "[lifecycle]\ntransitions = [\"Draft -> Approved\"]",
        ),
    )
    .unwrap();
    let out = run(root, &["status", "1", "Approved", "--by", "Ada"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    fs::write(
        root.join("specbook.toml"),
        config.replace(
            "[lifecycle]",
            "[lifecycle]\ntransitions = [\"Draft -> Done\"]",
        ),
    )
    .unwrap();
    let out = run(root, &["status", "1", "Review"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`Done` is not a status"),
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_specs_and_statuses_are_usage_errors() {
    let dir = project("Draft");
    let root = dir.path();
    let out = run(root, &["status", "9", "Review"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no spec `9`"), "{}", out.stderr);
    let out = run(root, &["status", "1", "Done"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`Done` is not a status; the statuses are Draft, Review, Approved, Superseded, Withdrawn"),
        "{}",
        out.stderr
    );
}
