//! The repository's writer lock and the folder specbook keeps its write state in.

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::WorkspaceError;

/// Where specbook keeps its lock, journal and temporary files for a workspace: `.git/specbook/`
/// of the repository holding it (never committed, never discovered as specs), else a hidden
/// `.specbook/` folder in the workspace.
#[derive(Clone, Debug)]
pub(crate) struct StateDir {
    pub(crate) dir: PathBuf,
    /// The repository's top folder (holding `.git`), else the workspace root: writes stay in it.
    pub(crate) repository: PathBuf,
}

impl StateDir {
    /// Makes the folder. Outside git it sits in the workspace: it ignores itself, so that a
    /// later `git init; git add -A` does not commit it.
    pub(crate) fn create(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        if !self.dir.starts_with(self.repository.join(".git")) {
            let ignore = self.dir.join(".gitignore");
            if !ignore.exists() {
                let _ = std::fs::write(&ignore, "*\n");
            }
        }
        Ok(())
    }

    pub(crate) fn of(root: &Path) -> Self {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for dir in root.ancestors() {
            let git = dir.join(".git");
            if git.is_dir() {
                return Self {
                    dir: git.join("specbook"),
                    repository: dir.to_path_buf(),
                };
            }
            // A worktree or submodule: `.git` is a file naming the real git folder.
            if git.is_file()
                && let Ok(text) = std::fs::read_to_string(&git)
                && let Some(gitdir) = text.trim().strip_prefix("gitdir:")
            {
                let gitdir = dir.join(gitdir.trim());
                return Self {
                    dir: gitdir.join("specbook"),
                    repository: dir.to_path_buf(),
                };
            }
        }
        // No git: the workspace is the nearest folder with a `specbook.toml`.
        let workspace = root
            .ancestors()
            .find(|dir| dir.join(crate::CONFIG_FILE).is_file())
            .map_or_else(|| root.clone(), Path::to_path_buf);
        Self {
            dir: workspace.join(".specbook"),
            repository: workspace,
        }
    }

    pub(crate) fn journal(&self) -> PathBuf {
        self.dir.join("journal.json")
    }

    pub(crate) fn tmp(&self) -> PathBuf {
        self.dir.join("tmp")
    }

    fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }
}

/// How long a writer waits for another one (`SPECBOOK_LOCK_TIMEOUT_MS`, default 10 s).
fn timeout() -> Duration {
    std::env::var("SPECBOOK_LOCK_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis)
}

/// Holds the writer lock until dropped (the operating system releases it when the process
/// ends, however it ends).
#[derive(Debug)]
pub(crate) struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock of `state`, waiting a bounded time for another writer, and records who
    /// holds it (`command`) so that a writer left waiting can name it.
    pub(crate) fn acquire(state: &StateDir, command: &str) -> Result<Self, WorkspaceError> {
        let path = state.lock();
        state.create().map_err(|error| WorkspaceError::Write {
            path: state.dir.clone(),
            error,
        })?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| WorkspaceError::Write {
                path: path.clone(),
                error,
            })?;
        let start = Instant::now();
        let limit = timeout();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < limit => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    let holder = if holder.is_empty() {
                        "another specbook"
                    } else {
                        holder
                    };
                    return Err(WorkspaceError::Other(format!(
                        "another specbook command is writing in this repository ({holder}); waited {:.1} s for it. Run this one again when it is done (the lock is {})",
                        limit.as_secs_f64(),
                        path.display()
                    )));
                }
                Err(std::fs::TryLockError::Error(error)) => {
                    return Err(WorkspaceError::Write { path, error });
                }
            }
        }
        // Who holds it, for a writer that times out waiting.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "pid {}: {command}", std::process::id());
        let _ = file.flush();
        Ok(Self { _file: file })
    }
}
