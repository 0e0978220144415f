//! Git history: the history rules and what `show` and `list` report, in temporary
//! repositories whose commits carry chosen dates and authors.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{fields, fixtures, run, today};

/// Runs git in `root` as `author` on `date` (an ISO 8601 date-time).
pub(crate) fn git(root: &Path, args: &[&str], author: &str, date: &str) {
    let status = Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Replaces `from` with `to` in a file, and commits everything as `author` on `date`.
pub(crate) fn commit_edit(root: &Path, file: &str, from: &str, to: &str, author: &str, date: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    git(root, &["add", "-A"], author, date);
    git(
        root,
        &["commit", "-q", "-m", &format!("{file}: {to}")],
        author,
        date,
    );
}

/// A repository with `specs/0001-webhook-delivery.md`: created as a Draft by Ada on
/// 2026-01-05, moved to Review by Grace on 2026-02-10, edited by Lin on 2026-03-01 without a
/// new Last Updated date.
pub(crate) fn dated_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"], "Ada", "2026-01-05T10:00:00+01:00");
    assert_eq!(run(root, &["init"]).code, 0);
    let spec = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Created:** 2026-09-14", "**Created:** 2026-01-05")
        .replace(
            "**Last Updated:** 2026-10-02",
            "**Last Updated:** 2026-01-05",
        )
        .replace("**Status:** Approved", "**Status:** Draft");
    fs::write(root.join("specs/0001-webhook-delivery.md"), spec).unwrap();
    git(root, &["add", "-A"], "Ada", "2026-01-05T10:00:00+01:00");
    git(
        root,
        &["commit", "-q", "-m", "Webhook delivery spec"],
        "Ada Lovelace",
        "2026-01-05T10:00:00+01:00",
    );
    let file = "specs/0001-webhook-delivery.md";
    commit_edit(
        root,
        file,
        "**Last Updated:** 2026-01-05\n- **Status:** Draft",
        "**Last Updated:** 2026-02-10\n- **Status:** Review",
        "Grace Hopper",
        "2026-02-10T16:30:00-05:00",
    );
    commit_edit(
        root,
        file,
        "about 40% of API traffic",
        "about 45% of API traffic",
        "Lin Chen",
        "2026-03-01T09:00:00+00:00",
    );
    dir
}

#[test]
fn history_rules_fire_on_dated_commits_and_the_fix_sets_today() {
    let dir = dated_repository();
    let root = dir.path();
    let out = run(root, &["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let found = fields(&json, &["line", "rule", "message"]);
    let history: Vec<&Vec<String>> = found.iter().filter(|f| f[1].starts_with("stale")).collect();
    assert_eq!(history.len(), 2, "{found:#?}");
    assert_eq!(history[0][1], "stale-updated");
    assert!(
        history[0][2].starts_with("the file changed on 2026-03-01 (commit "),
        "{}",
        history[0][2]
    );
    assert!(
        history[0][2].ends_with(" by Lin Chen), after its Last Updated date 2026-02-10"),
        "{}",
        history[0][2]
    );
    assert_eq!(history[1][1], "stale");
    assert!(
        history[1][2].starts_with("in Review and unchanged for "),
        "{}",
        history[1][2]
    );

    let out = run(root, &["check", "--fix", "--select", "stale-updated"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let text = fs::read_to_string(root.join("specs/0001-webhook-delivery.md")).unwrap();
    assert!(
        text.contains(&format!("- **Last Updated:** {}\n", today())),
        "{text}"
    );
}

#[test]
fn history_rules_are_silent_outside_git() {
    let dir = dated_repository();
    let copy = tempfile::tempdir().unwrap();
    fs::copy(
        dir.path().join("specs/0001-webhook-delivery.md"),
        copy.path().join("0001-webhook-delivery.md"),
    )
    .unwrap();
    let out = run(
        copy.path(),
        &["check", ".", "--select", "stale,stale-updated"],
    );
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("no problems found"), "{}", out.stdout);
}

#[test]
fn a_shallow_clone_skips_the_files_whose_history_is_cut_and_says_so() {
    let full = dated_repository();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", full.path().display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        "Ada",
        "2026-04-01T10:00:00+00:00",
    );
    let root = dir.path().join("clone");
    let out = run(&root, &["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = fields(&json, &["rule"]);
    assert!(
        !rules.iter().any(|r| r[0].starts_with("stale")),
        "{rules:?}"
    );
    assert!(
        out.stderr.contains("warning: this is a shallow git clone: the history of 1 file is cut, so stale and stale-updated skip them; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout; see docs/ci.md)"),
        "{}",
        out.stderr
    );
    // A change made after the cut is known: its date is the commit's own.
    commit_edit(
        &root,
        "specs/0001-webhook-delivery.md",
        "about 45% of API traffic",
        "about 50% of API traffic",
        "Lin Chen",
        "2026-05-01T09:00:00+00:00",
    );
    let out = run(&root, &["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = fields(&json, &["rule"]);
    assert!(rules.iter().any(|r| r[0] == "stale-updated"), "{rules:?}");
    assert!(!out.stderr.contains("shallow"), "{}", out.stderr);
}

/// A repository owned by another user, which git refuses to read: the warning says so and
/// gives git's own remedy, instead of "not in a git repository". It needs root to hand the
/// repository to another user; CI runs as root.
#[test]
fn a_repository_git_distrusts_is_reported_as_dubious_ownership() {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        eprintln!("skipped: only root can give a repository to another user");
        return;
    }
    let dir = dated_repository();
    let root = dir.path();
    for entry in walk(root) {
        std::os::unix::fs::lchown(&entry, Some(65534), Some(65534)).unwrap();
    }
    let out = run(root, &["check", ".", "--select", "stale,stale-updated"]);
    let shown = root.canonicalize().unwrap();
    assert!(
        out.stderr.contains(&format!(
            "warning: cannot read the git history (git refuses to read the repository at {}: it is owned by another user (\"dubious ownership\"); if you trust it, run `git config --global --add safe.directory {}`)",
            shown.display(),
            shown.display()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.code, 0,
        "the rest of the check still runs: {}",
        out.stdout
    );
}

/// Every path under `root`, itself included.
fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut paths = vec![root.to_path_buf()];
    let mut i = 0;
    while i < paths.len() {
        if paths[i].is_dir() && !paths[i].is_symlink() {
            let children: Vec<_> = fs::read_dir(&paths[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.extend(children);
        }
        i += 1;
    }
    paths
}
