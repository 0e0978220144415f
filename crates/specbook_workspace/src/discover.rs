//! Which files a check covers: given files as they are, folders walked for `*.md`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::WorkspaceError;

/// The files to check, sorted and without duplicates. Folders are walked in parallel,
/// respecting `.gitignore` (also outside git repositories), `.ignore` and hidden files; `skip`
/// (the template in use) and `README.md` files (a folder's introduction or `index` output, not
/// a spec) are left out of walks. Files named explicitly are always kept.
pub fn discover(paths: &[PathBuf], skip: Option<&Path>) -> Result<Vec<PathBuf>, WorkspaceError> {
    find(paths, skip, false)
}

/// Every Markdown file under `paths`, READMEs included: where links to a spec may be.
pub fn discover_markdown(
    paths: &[PathBuf],
    skip: Option<&Path>,
) -> Result<Vec<PathBuf>, WorkspaceError> {
    find(paths, skip, true)
}

fn find(
    paths: &[PathBuf],
    skip: Option<&Path>,
    readmes: bool,
) -> Result<Vec<PathBuf>, WorkspaceError> {
    let skip = skip.and_then(|p| p.canonicalize().ok());
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                WorkspaceError::NotFound { path: path.clone() }
            } else {
                WorkspaceError::Read {
                    path: path.clone(),
                    error: source,
                }
            }
        })?;
        if metadata.is_dir() {
            files.extend(walk(path, skip.as_deref(), readmes)?);
        } else {
            files.push(clean(path));
        }
    }
    files.sort();
    files.dedup();
    // `specs` and `/abs/specs` name the same files: keep the first spelling of each.
    if paths.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    }
    Ok(files)
}

fn walk(root: &Path, skip: Option<&Path>, readmes: bool) -> Result<Vec<PathBuf>, WorkspaceError> {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    WalkBuilder::new(root)
        .require_git(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        let is_markdown = entry.file_type().is_some_and(|t| t.is_file())
                            && entry
                                .path()
                                .extension()
                                .is_some_and(|e| e.eq_ignore_ascii_case("md"));
                        let is_skipped =
                            skip.is_some_and(|s| entry.path().canonicalize().is_ok_and(|p| p == s));
                        let is_readme = !readmes
                            && entry
                                .file_name()
                                .to_str()
                                .is_some_and(|n| n.eq_ignore_ascii_case("README.md"));
                        if is_markdown && !is_skipped && !is_readme {
                            found
                                .lock()
                                .expect("no panics while holding the lock")
                                .push(clean(entry.path()));
                        }
                    }
                    Err(error) => errors
                        .lock()
                        .expect("no panics while holding the lock")
                        .push(error.to_string()),
                }
                WalkState::Continue
            })
        });
    let errors = errors
        .into_inner()
        .expect("no panics while holding the lock");
    if let Some(error) = errors.into_iter().next() {
        return Err(WorkspaceError::Other(format!(
            "while walking {}: {error}",
            root.display()
        )));
    }
    Ok(found
        .into_inner()
        .expect("no panics while holding the lock"))
}

/// `./specs/a.md` -> `specs/a.md`, for display.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_markdown_respecting_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("specs/old")).unwrap();
        std::fs::create_dir_all(root.join("ignored")).unwrap();
        for file in [
            "specs/b.md",
            "specs/a.MD",
            "specs/old/c.md",
            "ignored/d.md",
            "specs/notes.txt",
            "t.md",
        ] {
            std::fs::write(root.join(file), "# x\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let files = discover(&[root.to_path_buf()], Some(&root.join("t.md"))).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["specs/a.MD", "specs/b.md", "specs/old/c.md"]);
    }

    #[test]
    fn missing_path_is_named() {
        let error = discover(&[PathBuf::from("no/such/dir")], None).unwrap_err();
        assert_eq!(error.to_string(), "no/such/dir: no such file or directory");
    }
}
