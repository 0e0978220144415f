//! `check --changed`: the files a branch changed, from git (one `git diff` for all files).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::WorkspaceError;

fn git(dir: &Path, args: &[&str]) -> Result<String, WorkspaceError> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|error| WorkspaceError::Other(format!("--changed needs git: {error}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(WorkspaceError::Other(format!(
            "git {} failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The branch to compare with when no base is given: the remote's default branch, else a
/// local `main` or `master`.
fn default_branch(dir: &Path) -> Result<String, WorkspaceError> {
    if let Ok(head) = git(
        dir,
        &[
            "symbolic-ref",
            "--quiet",
            "--short",
            "refs/remotes/origin/HEAD",
        ],
    ) {
        return Ok(head.trim().to_owned());
    }
    for candidate in ["main", "master"] {
        if git(dir, &["rev-parse", "--verify", "--quiet", candidate]).is_ok() {
            return Ok(candidate.to_owned());
        }
    }
    Err(WorkspaceError::Other(
        "--changed: no default branch found (no origin/HEAD, main or master); name the base, e.g. --changed origin/main".to_owned(),
    ))
}

/// Canonical paths of the files added, copied, modified or renamed since the merge base of
/// `HEAD` and `base` (default: the default branch), the working tree included, plus untracked
/// files that are not ignored.
pub fn changed_files(dir: &Path, base: Option<&str>) -> Result<HashSet<PathBuf>, WorkspaceError> {
    let root = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?.trim());
    let base = match base {
        Some(base) => base.to_owned(),
        None => default_branch(dir)?,
    };
    let merge_base = git(dir, &["merge-base", "HEAD", &base])?;
    let diff = git(
        &root,
        &[
            "diff",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
            merge_base.trim(),
        ],
    )?;
    let untracked = git(&root, &["ls-files", "-z", "--others", "--exclude-standard"])?;
    Ok(diff
        .split('\0')
        .chain(untracked.split('\0'))
        .filter(|name| !name.is_empty())
        .filter_map(|name| root.join(name).canonicalize().ok())
        .collect())
}
