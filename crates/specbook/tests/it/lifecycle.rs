//! The lifecycle: `status` (transitions, gates, `--force`), `supersede`, `link`, `renumber`.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::{fields, fixtures, run, today};

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
    insta::assert_snapshot!(out.stderr, @r#"
    error: specs/0001-webhook-delivery.md: Draft -> Approved is not an allowed transition; from Draft a spec may go to Review, Superseded, Withdrawn
      to move it anyway, add --force --reason TEXT; to allow it for every spec, add "Draft -> Approved" to `[lifecycle] transitions` in specbook.toml
    "#);
    assert_eq!(status_line(root, "0001-webhook-delivery.md").0, "Draft");
}

#[test]
fn a_final_status_says_nothing_leads_out_of_it() {
    let dir = project("Draft");
    let root = dir.path();
    let out = run(root, &["status", "1", "Withdrawn"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(root, &["status", "1", "Draft"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "Withdrawn -> Draft is not an allowed transition; Withdrawn is a final status: no transition leads out of it"
        ),
        "{}",
        out.stderr
    );
}

/// A filter value that names no status or team is an error listing the known ones, not an
/// empty list.
#[test]
fn unknown_filter_values_are_errors_that_list_the_known_ones() {
    let dir = project("Draft");
    let root = dir.path();
    let out = run(root, &["list", "--status", "Drfat"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: `Drfat` is not a status (did you mean `Draft`?); the statuses are Approved, Draft, Review, Superseded, Withdrawn\n"
        )
    );
    let out = run(root, &["search", "webhook", "--status", "Finalized"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`Finalized` is not a status"),
        "{}",
        out.stderr
    );
    let out = run(root, &["list", "--team", "Nobody"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: no spec has the team `Nobody`; the teams are "),
        "{}",
        out.stderr
    );
    // Known values in any case still filter.
    let out = run(root, &["list", "--status", "draft"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Draft"));
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

#[test]
fn supersede_writes_both_files() {
    let dir = project("Approved");
    let root = dir.path();
    let today = today();
    let out = run(root, &["supersede", "1", "2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
    specs/0001-webhook-delivery.md: Approved -> Superseded, Superseded By 0002
    specs/0002-draft.md: Supersedes 0001
    ");
    let old = fs::read_to_string(root.join("specs/0001-webhook-delivery.md")).unwrap();
    assert!(
        old.contains(&format!(
            "- **Last Updated:** {today}\n- **Status:** Superseded\n- **Status History:**\n  - {today}: Approved -> Superseded (reason: superseded by 0002)\n- **Superseded By:** 0002\n\n"
        )),
        "{old}"
    );
    let new = fs::read_to_string(root.join("specs/0002-draft.md")).unwrap();
    assert!(
        new.contains("- **Status:** Draft\n- **Supersedes:** 0001\n\n"),
        "{new}"
    );
    let out = run(
        root,
        &[
            "check",
            "--select",
            "dangling-relation,relation-cycle,superseded-without-successor",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("no problems found"), "{}", out.stdout);
}

#[cfg(unix)]
#[test]
fn supersede_changes_nothing_when_the_second_file_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project("Approved");
    let root = dir.path();
    let old_path = root.join("specs/0001-webhook-delivery.md");
    let new_path = root.join("specs/0002-draft.md");
    let old_before = fs::read(&old_path).unwrap();
    let new_before = fs::read(&new_path).unwrap();
    fs::set_permissions(&new_path, fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(root, &["supersede", "1", "2"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    insta::assert_snapshot!(out.stderr, @"error: specs/0002-draft.md is read-only; not changing it");
    assert_eq!(fs::read(&old_path).unwrap(), old_before);
    assert_eq!(fs::read(&new_path).unwrap(), new_before);
}

#[test]
fn link_relates_both_ways_once() {
    let dir = project("Approved");
    let root = dir.path();
    let out = run(root, &["link", "webhook-delivery", "0002"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
    specs/0001-webhook-delivery.md: Related 0002
    specs/0002-draft.md: Related 0001
    ");
    let out = run(root, &["link", "2", "1"]);
    assert_eq!(
        out.stdout,
        "specs/0002-draft.md and specs/0001-webhook-delivery.md are already related\n"
    );
    let text = fs::read_to_string(root.join("specs/0002-draft.md")).unwrap();
    assert_eq!(text.matches("**Related:**").count(), 1, "{text}");
    let out = run(root, &["link", "2", "2"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot be related to itself"),
        "{}",
        out.stderr
    );
}

#[test]
fn renumber_settles_a_duplicate_number_and_rewrites_links() {
    let dir = project("Approved");
    let root = dir.path();
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    // Two branches each added 0007.
    fs::write(root.join("specs/0007-rate-limiter.md"), &finished).unwrap();
    fs::write(root.join("specs/0007-audit-log.md"), &finished).unwrap();
    let linking = finished.replace(
        "- **Status:** Approved\n",
        "- **Status:** Approved\n- **Related:** [0007](0007-audit-log.md)\n",
    );
    fs::write(root.join("specs/0001-webhook-delivery.md"), linking).unwrap();
    fs::write(
        root.join("README.md"),
        "Read [the audit log spec](specs/0007-audit-log.md#1-introduction).\n",
    )
    .unwrap();
    let out = run(
        root,
        &["check", "--format", "json", "--select", "duplicate-id"],
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        fields(&json, &["path", "rule"]),
        vec![
            vec!["specs/0007-audit-log.md", "duplicate-id"],
            vec!["specs/0007-rate-limiter.md", "duplicate-id"],
        ]
    );
    let out = run(root, &["renumber", "7"]);
    assert_eq!(out.code, 2, "an ambiguous number is refused");
    let out = run(root, &["renumber", "specs/0007-audit-log.md"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
    moved specs/0007-audit-log.md -> specs/0008-audit-log.md
    updated links in README.md
    updated links in specs/0001-webhook-delivery.md
    ");
    assert!(!root.join("specs/0007-audit-log.md").exists());
    assert_eq!(
        fs::read_to_string(root.join("specs/0008-audit-log.md")).unwrap(),
        finished
    );
    assert_eq!(
        fs::read_to_string(root.join("README.md")).unwrap(),
        "Read [the audit log spec](specs/0008-audit-log.md#1-introduction).\n"
    );
    let text = fs::read_to_string(root.join("specs/0001-webhook-delivery.md")).unwrap();
    assert!(
        text.contains("- **Related:** [0008](0008-audit-log.md)\n"),
        "{text}"
    );
    let out = run(
        root,
        &[
            "check",
            "--select",
            "duplicate-id,broken-link,dangling-relation",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
}

/// `supersede` again says there is nothing to do; superseding back, directly or through
/// others, is refused as a cycle; nothing is written either way.
#[test]
fn supersede_refuses_cycles_and_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    for title in ["Alpha", "Beta", "Gamma"] {
        assert_eq!(run(root, &["new", title]).code, 0);
    }
    assert_eq!(run(root, &["supersede", "1", "2"]).code, 0);
    let snapshot = || {
        ["0001-alpha.md", "0002-beta.md", "0003-gamma.md"]
            .map(|name| fs::read(root.join("specs").join(name)).unwrap())
    };
    let before = snapshot();
    let out = run(root, &["supersede", "1", "2"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            "specs/0001-alpha.md is already superseded by specs/0002-beta.md; nothing to do\n"
        )
    );
    let out = run(root, &["supersede", "2", "1"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: specs/0002-beta.md already supersedes specs/0001-alpha.md (0002 supersedes 0001): superseding it back would make a cycle\n"
        )
    );
    assert_eq!(snapshot(), before, "nothing written");
    assert_eq!(run(root, &["supersede", "2", "3"]).code, 0);
    let out = run(root, &["supersede", "3", "1"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("(0003 supersedes 0002 supersedes 0001)"),
        "{}",
        out.stderr
    );
}
