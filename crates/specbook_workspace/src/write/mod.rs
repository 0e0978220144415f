//! How specbook writes a user's files (DESIGN.md, "Writing files"): under the repository's
//! writer lock, through temporary files kept where specs are never discovered
//! (`.git/specbook/tmp/`), with a journal that lets the next run complete or roll back a change
//! a crash interrupted, and a check at the last moment that each file is still what was read.
//!
//! The contract: a file is always one complete version; a save that finished before
//! specbook's final check of a file is never lost. On Linux the final check comes after the
//! swap: the new content and the file are exchanged in one step (`renameat2(RENAME_EXCHANGE)`)
//! and the file displaced is compared with what was read; when it differs (a save landed),
//! the two are exchanged back. Elsewhere the check comes just before the rename.
//!
//! A file modified less than a second before the check (`SPECBOOK_EDIT_GUARD_MS`) is being
//! edited: it is not changed, and the caller reports it.

mod journal;
mod lock;

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use journal::{Entry, Journal, Op, Phase};
pub(crate) use lock::StateDir;

use crate::WorkspaceError;

/// One file to write.
#[derive(Clone, Debug)]
pub enum Change {
    /// Replace a file that must still hold `expected`.
    Replace {
        path: PathBuf,
        expected: Vec<u8>,
        content: String,
    },
    /// Create a file that must not exist.
    Create { path: PathBuf, content: String },
    /// Remove a file that must still hold `expected` (the old name of a renumbered spec).
    Remove { path: PathBuf, expected: Vec<u8> },
}

impl Change {
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            Self::Replace { path, .. } | Self::Create { path, .. } | Self::Remove { path, .. } => {
                path
            }
        }
    }
}

/// Whether one file that cannot be written stops the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every file or none (`supersede`, `link`, `renumber`, `status`, `new`).
    AllOrNothing,
    /// Each file on its own: one being edited is skipped (`check --fix`).
    EachFile,
}

/// A file left as it was, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotWritten {
    pub path: PathBuf,
    pub reason: String,
}

/// The writer of one workspace: holds the repository's lock while it lives.
#[derive(Debug)]
pub struct Writer {
    state: StateDir,
    _lock: lock::Lock,
    /// What the recovery of an interrupted change did, for the command to say.
    pub recovered: Vec<String>,
}

/// The folder specbook keeps its state in for the workspace at `root` (its lock, journal and
/// caches): `.git/specbook/` of the repository holding it, else `.specbook/` in the workspace.
#[must_use]
pub fn state_dir(root: &Path) -> PathBuf {
    StateDir::of(root).dir
}

/// Whether a previous run left a change half done (a journal): then any command should take
/// the lock (which completes it) before reading specs.
#[must_use]
pub fn interrupted(root: &Path) -> bool {
    StateDir::of(root).journal().exists()
}

impl Writer {
    /// Takes the writer lock of the repository holding `root` (waiting a bounded time for
    /// another writer), completes or rolls back a change a crash interrupted, and removes
    /// leftover temporary files. `command` names the holder for a writer left waiting.
    pub fn acquire(root: &Path, command: &str) -> Result<Self, WorkspaceError> {
        let state = StateDir::of(root);
        let lock = lock::Lock::acquire(&state, command)?;
        let recovered = journal::recover(&state);
        clean_tmp(&state);
        Ok(Self {
            state,
            _lock: lock,
            recovered,
        })
    }

    /// Writes `changes`. With [`Mode::AllOrNothing`] the first file that cannot be written
    /// (changed since read, being edited, read-only, outside the repository) stops the change
    /// and nothing is written; with [`Mode::EachFile`] that file is skipped and returned.
    pub fn commit(
        &self,
        changes: &[Change],
        mode: Mode,
    ) -> Result<Vec<NotWritten>, WorkspaceError> {
        let mut skipped = Vec::new();
        let mut planned = Vec::new();
        for change in changes {
            match self.plan(change) {
                Ok(entry) => planned.push((change, entry)),
                Err(Refusal::Skip(reason)) if mode == Mode::EachFile => {
                    trace("skipped", change.path());
                    skipped.push(NotWritten {
                        path: change.path().to_path_buf(),
                        reason,
                    });
                }
                Err(Refusal::Skip(reason)) => {
                    return Err(WorkspaceError::Other(format!(
                        "{}: {reason}; nothing was changed (run the command again)",
                        change.path().display()
                    )));
                }
                Err(Refusal::Fail(error)) => return Err(error),
            }
        }
        if planned.is_empty() {
            return Ok(skipped);
        }
        let mut journal = Journal {
            phase: Phase::Prepare,
            entries: planned.iter().map(|(_, e)| e.clone()).collect(),
        };
        journal.save(&self.state)?;
        crash_point();
        for (change, entry) in &planned {
            crash_point();
            if let Err(error) = prepare(change, entry) {
                journal::discard(&self.state, &journal);
                return Err(error);
            }
        }
        journal.phase = Phase::Apply;
        journal.save(&self.state)?;
        let mut applied: Vec<usize> = Vec::new();
        let mut failed: Vec<usize> = Vec::new();
        for (i, (change, entry)) in planned.iter().enumerate() {
            crash_point();
            match apply(change, entry) {
                Ok(()) => applied.push(i),
                Err(Refusal::Skip(reason)) if mode == Mode::EachFile => {
                    skipped.push(NotWritten {
                        path: change.path().to_path_buf(),
                        reason,
                    });
                    failed.push(i);
                }
                Err(refusal) => {
                    journal.phase = Phase::Rollback;
                    journal.save(&self.state)?;
                    for &done in applied.iter().rev() {
                        journal::undo(&planned[done].1);
                    }
                    journal::discard(&self.state, &journal);
                    return Err(match refusal {
                        Refusal::Skip(reason) => WorkspaceError::Other(format!(
                            "{}: {reason}; nothing was changed (run the command again)",
                            change.path().display()
                        )),
                        Refusal::Fail(error) => error,
                    });
                }
            }
        }
        crash_point();
        // Removals last: once a file is gone it cannot be put back.
        for &i in &applied {
            let (change, entry) = &planned[i];
            if let Change::Remove { .. } = change {
                let _ = std::fs::remove_file(&entry.target);
            }
        }
        for (_, entry) in &planned {
            if let Some(parent) = entry.target.parent() {
                sync_dir(parent);
            }
        }
        crash_point();
        journal::discard(&self.state, &journal);
        Ok(skipped)
    }

    /// Checks one change against the disk and works out where its temporary file goes.
    fn plan(&self, change: &Change) -> Result<Entry, Refusal> {
        let path = change.path();
        let (target, op, old, new) = match change {
            Change::Replace {
                expected, content, ..
            } => {
                let target = self.inside(path)?;
                check_current(path, &target, expected)?;
                (
                    target,
                    Op::Replace,
                    Some(journal::hash(expected)),
                    Some(journal::hash(content.as_bytes())),
                )
            }
            Change::Create { content, .. } => {
                if std::fs::symlink_metadata(path).is_ok() {
                    return Err(Refusal::Fail(WorkspaceError::Exists {
                        path: path.to_path_buf(),
                    }));
                }
                let parent = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                std::fs::create_dir_all(parent).map_err(|error| {
                    Refusal::Fail(WorkspaceError::Write {
                        path: parent.to_path_buf(),
                        error,
                    })
                })?;
                let parent = self.inside(parent)?;
                let name = path.file_name().ok_or_else(|| {
                    Refusal::Fail(WorkspaceError::Other(format!(
                        "{} is not a file name",
                        path.display()
                    )))
                })?;
                (
                    parent.join(name),
                    Op::Create,
                    None,
                    Some(journal::hash(content.as_bytes())),
                )
            }
            Change::Remove { expected, .. } => {
                let target = self.inside(path)?;
                check_current(path, &target, expected)?;
                (target, Op::Remove, Some(journal::hash(expected)), None)
            }
        };
        let temp = self.temp_for(&target);
        Ok(Entry {
            op,
            target,
            temp,
            old,
            new,
        })
    }

    /// The file `path` resolves to (a symlink is followed), which must be inside the
    /// repository: a link to a file elsewhere is not written through.
    fn inside(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let target = path.canonicalize().map_err(|error| {
            Refusal::Fail(WorkspaceError::Read {
                path: path.to_path_buf(),
                error,
            })
        })?;
        if !target.starts_with(&self.state.repository) {
            return Err(Refusal::Fail(WorkspaceError::Other(format!(
                "{} leads to {}, outside the repository ({}); not writing through it",
                path.display(),
                target.display(),
                self.state.repository.display()
            ))));
        }
        Ok(target)
    }

    /// A temporary name in the state folder when it is on the target's file system (a rename
    /// cannot cross file systems), else a hidden name beside the target. Either way the journal
    /// records it, so the next run removes it whatever happens.
    fn temp_for(&self, target: &Path) -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("specbook-{}-{n}.tmp", std::process::id());
        let tmp = self.state.tmp();
        let parent = target.parent().unwrap_or(Path::new("."));
        if std::fs::create_dir_all(&tmp).is_ok() && same_device(&tmp, parent) {
            tmp.join(name)
        } else {
            parent.join(format!(".{name}"))
        }
    }
}

/// Why one file was not written.
enum Refusal {
    /// The file is being edited or changed since read: the user can rerun.
    Skip(String),
    Fail(WorkspaceError),
}

/// The quiet time that tells a finished save from one in progress.
fn edit_guard() -> Duration {
    std::env::var("SPECBOOK_EDIT_GUARD_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// The file still holds `expected`, was not modified within the edit guard, and may be
/// written.
fn check_current(shown: &Path, target: &Path, expected: &[u8]) -> Result<(), Refusal> {
    let read_error = |error| {
        Refusal::Fail(WorkspaceError::Read {
            path: shown.to_path_buf(),
            error,
        })
    };
    let metadata = std::fs::metadata(target).map_err(read_error)?;
    if metadata.permissions().readonly() {
        return Err(Refusal::Fail(WorkspaceError::Other(format!(
            "{} is read-only; not changing it",
            shown.display()
        ))));
    }
    if recently_modified(&metadata) {
        return Err(Refusal::Skip(
            "skipped: being edited (modified less than a second ago)".to_owned(),
        ));
    }
    let current = std::fs::read(target).map_err(read_error)?;
    if current != expected {
        return Err(Refusal::Skip(
            "skipped: changed on disk since specbook read it".to_owned(),
        ));
    }
    Ok(())
}

fn recently_modified(metadata: &std::fs::Metadata) -> bool {
    let guard = edit_guard();
    !guard.is_zero()
        && metadata.modified().is_ok_and(|m| {
            SystemTime::now()
                .duration_since(m)
                .map_or(true, |age| age < guard)
        })
}

/// Writes the new content to the entry's temporary file, with the target's permissions, and
/// syncs it.
fn prepare(change: &Change, entry: &Entry) -> Result<(), WorkspaceError> {
    let content = match change {
        Change::Replace { content, .. } | Change::Create { content, .. } => content,
        Change::Remove { .. } => return Ok(()),
    };
    let error = |error| WorkspaceError::Write {
        path: change.path().to_path_buf(),
        error,
    };
    let mut file = File::options()
        .write(true)
        .create_new(true)
        .open(&entry.temp)
        .map_err(error)?;
    file.write_all(content.as_bytes()).map_err(error)?;
    if entry.op == Op::Replace
        && let Ok(metadata) = std::fs::metadata(&entry.target)
    {
        file.set_permissions(metadata.permissions())
            .map_err(error)?;
    }
    file.sync_all().map_err(error)
}

/// Puts one prepared entry in place, checking the target at the last moment.
fn apply(change: &Change, entry: &Entry) -> Result<(), Refusal> {
    let write_error = |error| {
        Refusal::Fail(WorkspaceError::Write {
            path: change.path().to_path_buf(),
            error,
        })
    };
    match (change, entry.op) {
        (Change::Replace { expected, .. }, Op::Replace) => {
            check_current(change.path(), &entry.target, expected)?;
            match exchange(&entry.temp, &entry.target) {
                Ok(true) => {
                    // The file displaced is what a save that landed in between left: compare.
                    // A save that finished before this read is in what it reads.
                    let checked = SystemTime::now();
                    let displaced = std::fs::read(&entry.temp).unwrap_or_default();
                    if displaced != *expected {
                        let _ = exchange(&entry.temp, &entry.target);
                        trace("skipped", change.path());
                        return Err(Refusal::Skip(
                            "skipped: changed on disk while specbook was writing it".to_owned(),
                        ));
                    }
                    trace_at(checked, "wrote", change.path());
                    Ok(())
                }
                Ok(false) => {
                    trace("wrote", change.path());
                    // No exchange here: keep the old content beside, for a rollback.
                    let backup = journal::backup_path(&entry.temp);
                    std::fs::write(&backup, expected).map_err(write_error)?;
                    std::fs::rename(&entry.temp, &entry.target).map_err(write_error)?;
                    std::fs::rename(&backup, &entry.temp).map_err(write_error)
                }
                Err(error) => Err(write_error(error)),
            }
        }
        (Change::Create { .. }, Op::Create) => match rename_new(&entry.temp, &entry.target) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&entry.temp);
                Err(Refusal::Fail(WorkspaceError::Exists {
                    path: change.path().to_path_buf(),
                }))
            }
            Err(error) => Err(write_error(error)),
        },
        (Change::Remove { expected, .. }, Op::Remove) => {
            check_current(change.path(), &entry.target, expected)
        }
        _ => Ok(()),
    }
}

/// Exchanges two files (or folders) in one step; `Ok(false)` where the platform or file
/// system cannot.
pub fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Renames `from` to `to`, failing with `AlreadyExists` when `to` exists (never replacing).
fn rename_new(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::EXIST => {
                return Err(std::io::ErrorKind::AlreadyExists.into());
            }
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    // A hard link fails when the name exists; then the temporary name goes.
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}

fn same_device(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Syncs a folder, so a rename in it survives a power cut (a no-op where folders cannot be
/// opened).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(file) = File::open(dir) {
        let _ = file.sync_all();
    }
}

/// Removes what a killed run left in the temporary folder (the lock is held, so nothing
/// there is in use).
fn clean_tmp(state: &StateDir) {
    if let Ok(entries) = std::fs::read_dir(state.tmp()) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// With `SPECBOOK_WRITE_TRACE=FILE`, appends `NANOS EVENT PATH` lines: `wrote` with the time
/// of the file's final check, `skipped` for a file left as it was. For the editor-race test.
fn trace(event: &str, path: &Path) {
    trace_at(SystemTime::now(), event, path);
}

fn trace_at(at: SystemTime, event: &str, path: &Path) {
    let Some(file) = std::env::var_os("SPECBOOK_WRITE_TRACE") else {
        return;
    };
    let nanos = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    if let Ok(mut out) = File::options().append(true).create(true).open(file) {
        let _ = writeln!(out, "{nanos} {event} {}", path.display());
    }
}

/// The writer this process holds, once a command has taken it.
static HELD: std::sync::Mutex<Option<Writer>> = std::sync::Mutex::new(None);

fn held() -> std::sync::MutexGuard<'static, Option<Writer>> {
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The command line, to name the lock's holder.
fn command_line() -> String {
    let mut line: String = std::env::args()
        .map(|a| {
            std::path::Path::new(&a)
                .file_name()
                .filter(|_| a.contains('/'))
                .map_or(a.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect::<Vec<_>>()
        .join(" ");
    line.retain(|c| !c.is_control());
    line.chars().take(200).collect()
}

/// Takes the writer lock of the repository holding `root` for the rest of the process: a
/// command that changes specs calls it before it reads them. Returns what the recovery of an
/// interrupted change did (see [`Writer::acquire`]), for the command to say.
pub fn hold_writer(root: &Path) -> Result<Vec<String>, WorkspaceError> {
    let mut held = held();
    if held.is_some() {
        return Ok(Vec::new());
    }
    let writer = Writer::acquire(root, &command_line())?;
    let recovered = writer.recovered.clone();
    *held = Some(writer);
    Ok(recovered)
}

/// Writes `changes` with the writer this process holds, or, when none is held (a library
/// caller) or the files are in another repository, with one taken for this change.
pub fn commit(changes: &[Change], mode: Mode) -> Result<Vec<NotWritten>, WorkspaceError> {
    let Some(first) = changes.first() else {
        return Ok(Vec::new());
    };
    let folder = first
        .path()
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder = std::iter::successors(Some(folder), |p| p.parent())
        .find(|p| p.exists())
        .unwrap_or(Path::new("."));
    let folder_real = folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf());
    let held = held();
    if let Some(writer) = held.as_ref()
        && folder_real.starts_with(&writer.state.repository)
    {
        return writer.commit(changes, mode);
    }
    drop(held);
    Writer::acquire(folder, &command_line())?.commit(changes, mode)
}

/// Dates a test's file back past the edit guard, as a file saved a while ago.
#[cfg(test)]
pub(crate) fn settle(path: &Path) {
    let file = File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(5))
        .unwrap();
}

/// With `SPECBOOK_TEST_CRASH_AT=N`, the process aborts (like `kill -9`: no cleanup, no
/// unwinding) at the N-th step of a change (0: right after the journal is written). For the
/// crash tests, which must reach every step, not only the ones a random kill hits. Other
/// crates' steps that may be killed (a site's update) count here too.
#[doc(hidden)]
pub fn crash_point() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static STEP: AtomicUsize = AtomicUsize::new(0);
    let Some(at) = std::env::var("SPECBOOK_TEST_CRASH_AT")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    if STEP.fetch_add(1, Ordering::SeqCst) == at {
        std::process::abort();
    }
}
