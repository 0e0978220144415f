//! The journal of a change in progress: written before the first temporary file, so the next
//! run can tell what a crash interrupted and finish it (or undo it) by comparing each file with
//! the hashes of its old and new content.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{StateDir, exchange, rename_new, sync_dir};
use crate::WorkspaceError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Phase {
    /// Temporary files being written; nothing is in place yet.
    Prepare,
    /// Files being put in place.
    Apply,
    /// A file refused at the last moment: the ones in place are being put back.
    Rollback,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Op {
    Replace,
    Create,
    Remove,
}

/// One file of the change. After a replacement is applied, `temp` holds the old content.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) op: Op,
    pub(crate) target: PathBuf,
    pub(crate) temp: PathBuf,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub(crate) phase: Phase,
    pub(crate) entries: Vec<Entry>,
}

/// FNV-1a, 64 bits, with the length: the same on every machine and Rust version, and enough to
/// tell the versions of one file apart (nobody is forging them).
pub(crate) fn hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}-{}", bytes.len())
}

fn hash_of(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| hash(&b))
}

/// Where the old content waits before it is renamed to `temp` (platforms without exchange).
pub(crate) fn backup_path(temp: &Path) -> PathBuf {
    let mut name = temp.as_os_str().to_owned();
    name.push(".old");
    PathBuf::from(name)
}

impl Journal {
    /// Writes the journal through a temporary name and a rename, synced.
    pub(crate) fn save(&self, state: &StateDir) -> Result<(), WorkspaceError> {
        let path = state.journal();
        let next = state.dir.join("journal.json.next");
        let error = |error| WorkspaceError::Write {
            path: path.clone(),
            error,
        };
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        std::fs::create_dir_all(&state.dir).map_err(error)?;
        {
            let mut file = std::fs::File::create(&next).map_err(error)?;
            std::io::Write::write_all(&mut file, text.as_bytes()).map_err(error)?;
            file.sync_all().map_err(error)?;
        }
        std::fs::rename(&next, &path).map_err(error)?;
        sync_dir(&state.dir);
        Ok(())
    }
}

/// Removes the change's temporary files and its journal: the change is over.
pub(crate) fn discard(state: &StateDir, journal: &Journal) {
    for entry in &journal.entries {
        let _ = std::fs::remove_file(&entry.temp);
        let _ = std::fs::remove_file(backup_path(&entry.temp));
    }
    let _ = std::fs::remove_file(state.journal());
    sync_dir(&state.dir);
}

/// Puts back the old content of one applied entry (its `temp` holds it), unless the target
/// no longer holds the new content.
pub(crate) fn undo(entry: &Entry) {
    let target = hash_of(&entry.target);
    match entry.op {
        Op::Replace
            if target == entry.new
                && hash_of(&entry.temp) == entry.old
                && !exchange(&entry.temp, &entry.target).unwrap_or(false) =>
        {
            let _ = std::fs::rename(&entry.temp, &entry.target);
        }
        Op::Create if target == entry.new => {
            let _ = std::fs::remove_file(&entry.target);
        }
        _ => {}
    }
}

/// Finishes (or undoes) the change a killed run left, and says what it did.
pub(crate) fn recover(state: &StateDir) -> Vec<String> {
    let path = state.journal();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    let Ok(journal) = serde_json::from_str::<Journal>(&text) else {
        // Not a journal specbook wrote whole (it is saved by a rename): nothing to finish.
        let _ = std::fs::remove_file(&path);
        return vec![format!(
            "removed an unreadable journal of an interrupted change ({}); no spec was changed",
            path.display()
        )];
    };
    let mut said = Vec::new();
    match journal.phase {
        Phase::Prepare => {
            said.push("an interrupted change had not started; nothing to finish".to_owned());
        }
        Phase::Apply => {
            let mut finished = 0;
            for entry in &journal.entries {
                match finish(entry) {
                    Finished::Done => {}
                    Finished::Completed => finished += 1,
                    Finished::Kept(message) => said.push(message),
                }
            }
            // Removals come last, once every other file is in place.
            for entry in journal.entries.iter().filter(|e| e.op == Op::Remove) {
                if entry.target.exists() && hash_of(&entry.target) == entry.old {
                    let _ = std::fs::remove_file(&entry.target);
                    finished += 1;
                }
            }
            said.insert(
                0,
                format!(
                    "completed a change that an interrupted specbook run had begun ({} file{} of {} finished now)",
                    finished,
                    if finished == 1 { "" } else { "s" },
                    journal.entries.len()
                ),
            );
        }
        Phase::Rollback => {
            for entry in journal.entries.iter().rev() {
                undo(entry);
            }
            said.push(
                "rolled back a change that an interrupted specbook run was undoing".to_owned(),
            );
        }
    }
    discard(state, &journal);
    said
}

enum Finished {
    /// In place already (or nothing to do).
    Done,
    /// Put in place now.
    Completed,
    /// Left as it is, with why.
    Kept(String),
}

/// Completes one entry of an interrupted change.
fn finish(entry: &Entry) -> Finished {
    let target = hash_of(&entry.target);
    let temp = hash_of(&entry.temp).or_else(|| hash_of(&backup_path(&entry.temp)));
    match entry.op {
        Op::Replace => {
            if target == entry.new {
                // In place; `temp` is the file it displaced. Unless that is the old content (or
                // the old content is already saved beside), a save landed before the final
                // check ran: put the save back.
                if temp.is_some() && temp != entry.old && temp != entry.new {
                    if !exchange(&entry.temp, &entry.target).unwrap_or(false) {
                        let _ = std::fs::rename(&entry.temp, &entry.target);
                    }
                    return Finished::Kept(format!(
                        "{}: kept an edit saved while specbook was writing it (the change to it was not applied)",
                        entry.target.display()
                    ));
                }
                Finished::Done
            } else if target == entry.old && temp == entry.new {
                if std::fs::rename(&entry.temp, &entry.target).is_ok() {
                    Finished::Completed
                } else {
                    Finished::Kept(format!(
                        "{}: could not finish the interrupted change to it",
                        entry.target.display()
                    ))
                }
            } else if target.is_none() {
                Finished::Kept(format!(
                    "{}: missing; the interrupted change to it was not applied",
                    entry.target.display()
                ))
            } else {
                Finished::Kept(format!(
                    "{}: edited since; the interrupted change to it was not applied",
                    entry.target.display()
                ))
            }
        }
        Op::Create => {
            if target.is_none() && temp == entry.new {
                match rename_new(&entry.temp, &entry.target) {
                    Ok(()) => Finished::Completed,
                    Err(_) => Finished::Kept(format!(
                        "{}: could not finish creating it",
                        entry.target.display()
                    )),
                }
            } else {
                Finished::Done
            }
        }
        Op::Remove => Finished::Done,
    }
}
