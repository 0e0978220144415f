//! A rebuild over a site that has a manifest, made in place: only the files that changed are
//! written, each into a temporary file renamed over the old one once the old one is kept in a
//! journal folder in the site ([`JOURNAL`]). A build that fails puts the old files back at
//! once; one that is killed is put back by the next build, before it reads the manifest. The
//! new manifest goes in last, then the journal is renamed (in one step: the build is done) and
//! removed.
//!
//! A rebuild of a 10,000-spec site that changed one spec writes a few files where a fresh
//! folder linked 20,000 old ones and removed 20,000 more.
//!
//! The journal holds `changes`, the names of the files changed so far, each ended by a NUL
//! byte and written before its file changes, and `kept/`, the old file of each name that had
//! one (a hard link, so that its date comes back with it). A name in `changes` with nothing in
//! `kept/` was made by the build, and is removed when it is rolled back.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::output::{
    MANIFEST, Made, Manifest, Sink, Stamp, hash_bytes, hashes, remove_tree, write_error,
};
use crate::site::{SITE_MARKER, SiteError};

/// The journal of a build updating the site, in the site.
pub(crate) const JOURNAL: &str = ".specbook-update";

/// The journal of a build that is done, while it is removed.
const DONE: &str = ".specbook-update-done";

/// The journal's list of changed names.
const CHANGES: &str = "changes";

/// The journal's folder of old files.
const KEPT: &str = "kept";

/// The site in `out` updated in place (see the module's documentation).
pub(crate) struct Update {
    out: PathBuf,
    journal: PathBuf,
    before: Manifest,
    changes: Mutex<Changes>,
    /// The files of the new site so far, and the folders known to be there (in the site and
    /// in the journal).
    made: Made,
    /// Numbers the temporary files.
    temporary: AtomicUsize,
    done: bool,
}

/// The journal's list and the names in it.
struct Changes {
    file: File,
    names: HashSet<String>,
}

impl Update {
    /// Starts updating the site in `out` when it is a specbook site with a manifest this
    /// program reads, of the build generation `generation` (`None` otherwise: the build then
    /// makes a fresh folder). The caller holds the site's lock and has rolled back what a
    /// killed build left ([`recover`]).
    pub(crate) fn start(out: &Path, generation: u64) -> Result<Option<Self>, SiteError> {
        if !out.join(SITE_MARKER).is_file() {
            return Ok(None);
        }
        let Some(before) = Manifest::read(out).filter(|m| m.generation == generation) else {
            return Ok(None);
        };
        let journal = out.join(JOURNAL);
        std::fs::create_dir(&journal).map_err(write_error(&journal))?;
        let list = journal.join(CHANGES);
        let file = File::create(&list).map_err(write_error(&list))?;
        Ok(Some(Self {
            out: out.to_path_buf(),
            journal,
            before,
            changes: Mutex::new(Changes {
                file,
                names: HashSet::new(),
            }),
            made: Made::default(),
            temporary: AtomicUsize::new(0),
            done: false,
        }))
    }

    /// The manifest of the site being updated.
    pub(crate) fn before(&self) -> &Manifest {
        &self.before
    }

    /// Records that `name` is about to change: its old file, if it has one, is kept in the
    /// journal first, then its name is written to the list. Once per name.
    fn journal(&self, name: &str) -> Result<(), SiteError> {
        let mut changes = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        if changes.names.contains(name) {
            return Ok(());
        }
        let target = self.out.join(name);
        let kept = self.journal.join(KEPT).join(name);
        match std::fs::symlink_metadata(&target) {
            Ok(metadata) => {
                if let Some(folder) = kept.parent() {
                    self.made.folder(folder)?;
                }
                if metadata.is_dir() {
                    // A folder where the new site has a file: moved aside whole.
                    std::fs::rename(&target, &kept).map_err(write_error(&target))?;
                } else if std::fs::hard_link(&target, &kept).is_err() {
                    // A file system without hard links: a copy (its date is not kept).
                    std::fs::copy(&target, &kept).map_err(write_error(&kept))?;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(SiteError::Write {
                    path: target,
                    error,
                });
            }
        }
        let list = self.journal.join(CHANGES);
        let mut entry = Vec::with_capacity(name.len() + 1);
        entry.extend_from_slice(name.as_bytes());
        entry.push(0);
        changes.file.write_all(&entry).map_err(write_error(&list))?;
        changes.names.insert(name.to_owned());
        specbook_workspace::crash_point();
        Ok(())
    }

    /// Replaces (or creates) the site's file `name` with `bytes`, in one rename.
    fn replace(&self, name: &str, bytes: &[u8]) -> Result<(), SiteError> {
        let target = self.out.join(name);
        if let Some(folder) = target.parent() {
            self.made.folder(folder)?;
        }
        let number = self.temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = self.journal.join(format!("new-{number}"));
        std::fs::write(&temporary, bytes).map_err(write_error(&temporary))?;
        self.journal(name)?;
        std::fs::rename(&temporary, &target).map_err(write_error(&target))
    }

    /// Removes the site's file `name`, kept in the journal first.
    fn remove(&self, name: &str) -> Result<(), SiteError> {
        self.journal(name)?;
        let target = self.out.join(name);
        match std::fs::remove_file(&target) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(SiteError::Write {
                path: target,
                error,
            }),
            _ => Ok(()),
        }
    }

    /// Removes what the new site does not have, writes the manifest and ends the journal.
    /// Returns the hash of each file of the site (but the manifest).
    pub(crate) fn finish(
        mut self,
        mut manifest: Manifest,
    ) -> Result<BTreeMap<String, u64>, SiteError> {
        manifest.files = self.made.take();
        let (files, folders) = site_files(&self.out);
        for name in files.iter().filter(|n| !manifest.files.contains_key(*n)) {
            self.remove(name)?;
        }
        // A clean build makes no empty folder; the deepest first.
        for folder in folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
        let temporary = self.journal.join("new-manifest");
        manifest
            .write(&temporary)
            .map_err(write_error(&temporary))?;
        self.journal(MANIFEST)?;
        let target = self.out.join(MANIFEST);
        std::fs::rename(&temporary, &target).map_err(write_error(&target))?;
        let hashes = hashes(&manifest.files);
        drop(manifest);
        // Done, in one step; then the old files go.
        let done = self.out.join(DONE);
        std::fs::rename(&self.journal, &done).map_err(write_error(&done))?;
        self.done = true;
        specbook_workspace::crash_point();
        remove_tree(&done);
        Ok(hashes)
    }
}

impl Drop for Update {
    /// A build that did not finish puts the old site back.
    fn drop(&mut self) {
        if !self.done {
            roll_back(&self.out, &self.journal);
        }
    }
}

impl Sink for Update {
    fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), SiteError> {
        let hash = hash_bytes(&bytes);
        let target = self.out.join(name);
        // The same as the old file: left as it is. Known from the manifest where the old file
        // is as recorded, else by reading it.
        let same = match self.before.recorded(&self.out, name) {
            Some((old_hash, stamp)) => (old_hash == hash).then_some(stamp),
            None => std::fs::read(&target)
                .is_ok_and(|old| old == bytes)
                .then(|| Stamp::of(&target)),
        };
        if let Some(stamp) = same {
            self.made.record(name, hash, stamp);
            return Ok(());
        }
        self.replace(name, &bytes)?;
        self.made.record(name, hash, Stamp::of(&target));
        Ok(())
    }

    fn keep(&self, names: &[String]) -> bool {
        let Some(recorded) = names
            .iter()
            .map(|name| self.before.recorded(&self.out, name))
            .collect::<Option<Vec<_>>>()
        else {
            return false;
        };
        for (name, (hash, stamp)) in names.iter().zip(recorded) {
            self.made.record(name, hash, stamp);
        }
        true
    }
}

/// Every file of the site in `out` by its name in the site (not its manifest, nor what the
/// journal folders hold), and every folder below `out`, each after the one holding it.
fn site_files(out: &Path) -> (Vec<String>, Vec<PathBuf>) {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<String>, folders: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let name = format!("{prefix}{file_name}");
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                if prefix.is_empty() && (file_name == JOURNAL || file_name == DONE) {
                    continue;
                }
                folders.push(entry.path());
                walk(&entry.path(), &format!("{name}/"), files, folders);
            } else if !(prefix.is_empty() && file_name == MANIFEST) {
                files.push(name);
            }
        }
    }
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    walk(out, "", &mut files, &mut folders);
    (files, folders)
}

/// Puts back what a build that did not finish changed in the site in `out` (called under the
/// site's lock, before a build reads the manifest), and removes the journal of one that did.
pub(crate) fn recover(out: &Path) {
    // Only in a specbook site (an update never removes its marker): a folder of the user's
    // that happens to hold such names is left alone, and refused by the build.
    if !out.join(SITE_MARKER).is_file() {
        return;
    }
    let done = out.join(DONE);
    if done.is_dir() {
        remove_tree(&done);
    }
    let journal = out.join(JOURNAL);
    if journal.is_dir() {
        roll_back(out, &journal);
    }
}

/// Puts each file the journal `journal` lists back as it was in `out`, the last first, then
/// removes the journal.
fn roll_back(out: &Path, journal: &Path) {
    let list = std::fs::read(journal.join(CHANGES)).unwrap_or_default();
    // Only names whose end was written: the change of a cut one had not begun.
    let ended = list.iter().rposition(|&b| b == 0).map_or(0, |end| end + 1);
    for name in list[..ended].split(|&b| b == 0).rev() {
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        // A damaged list moves nothing outside the site.
        if name.is_empty()
            || !Path::new(name)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            continue;
        }
        let (target, kept) = (out.join(name), journal.join(KEPT).join(name));
        match std::fs::symlink_metadata(&kept) {
            Ok(metadata) => {
                if metadata.is_dir() {
                    let _ = std::fs::remove_file(&target);
                } else if let Some(folder) = target.parent() {
                    let _ = std::fs::create_dir_all(folder);
                }
                let _ = std::fs::rename(&kept, &target);
            }
            Err(_) => {
                let _ = std::fs::remove_file(&target);
            }
        }
    }
    remove_tree(journal);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_with(out: &Path, names: &[&str]) -> Manifest {
        let mut manifest = Manifest::default();
        for name in names {
            let bytes = std::fs::read(out.join(name)).unwrap();
            manifest.files.insert(
                (*name).to_owned(),
                (hash_bytes(&bytes), Stamp::of(&out.join(name))),
            );
        }
        manifest
    }

    /// A site of three files with a manifest of them.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join(SITE_MARKER), "built\n").unwrap();
        std::fs::create_dir_all(out.join("specs")).unwrap();
        std::fs::write(out.join("specs/a.html"), "a1").unwrap();
        std::fs::write(out.join("specs/b.html"), "b1").unwrap();
        manifest_with(out, &[SITE_MARKER, "specs/a.html", "specs/b.html"])
            .write(&out.join(MANIFEST))
            .unwrap();
        dir
    }

    fn tree(out: &Path) -> BTreeMap<String, Vec<u8>> {
        let (files, _) = site_files(out);
        files
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(out.join(&name)).unwrap();
                (name, bytes)
            })
            .collect()
    }

    /// An update writes only what changed, removes what the new site lacks (empty folders
    /// too) and leaves no journal.
    #[cfg(unix)]
    #[test]
    fn an_update_changes_only_what_changed() {
        let dir = site();
        let out = dir.path();
        let inode = |name: &str| {
            use std::os::unix::fs::MetadataExt as _;
            std::fs::metadata(out.join(name)).unwrap().ino()
        };
        let (a, marker) = (inode("specs/a.html"), inode(SITE_MARKER));
        let update = Update::start(out, 0).unwrap().unwrap();
        update.put(SITE_MARKER, b"built\n".to_vec()).unwrap();
        assert!(update.keep(&["specs/a.html".to_owned()]));
        update.put("new/c.html", b"c1".to_vec()).unwrap();
        let files = update.finish(Manifest::default()).unwrap();
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            [SITE_MARKER, "new/c.html", "specs/a.html"]
        );
        assert_eq!((inode("specs/a.html"), inode(SITE_MARKER)), (a, marker));
        let names: Vec<String> = tree(out).into_keys().collect();
        assert_eq!(names, [SITE_MARKER, "new/c.html", "specs/a.html"]);
        assert!(!out.join(JOURNAL).exists() && !out.join(DONE).exists());
        // The new manifest knows the files as they are.
        let manifest = Manifest::read(out).unwrap();
        assert!(manifest.recorded(out, "new/c.html").is_some());
        assert!(manifest.recorded(out, "specs/a.html").is_some());
    }

    /// A build that fails puts the old files back, with their dates; one that was killed is
    /// put back by the next.
    #[test]
    fn an_update_that_does_not_finish_is_rolled_back() {
        for killed in [false, true] {
            let dir = site();
            let out = dir.path();
            let before = tree(out);
            let stamps: Vec<_> = ["specs/a.html", "specs/b.html", MANIFEST]
                .iter()
                .map(|name| Stamp::of(&out.join(name)))
                .collect();
            let update = Update::start(out, 0).unwrap().unwrap();
            update.put("specs/a.html", b"a2".to_vec()).unwrap();
            update.put("specs/c.html", b"c2".to_vec()).unwrap();
            update.remove("specs/b.html").unwrap();
            update.put("specs/a.html", b"a3".to_vec()).unwrap();
            assert_eq!(std::fs::read(out.join("specs/a.html")).unwrap(), b"a3");
            if killed {
                std::mem::forget(update);
                assert!(out.join(JOURNAL).is_dir());
                recover(out);
            } else {
                drop(update);
            }
            assert_eq!(tree(out), before, "killed: {killed}");
            let after: Vec<_> = ["specs/a.html", "specs/b.html", MANIFEST]
                .iter()
                .map(|name| Stamp::of(&out.join(name)))
                .collect();
            assert_eq!(after, stamps);
            assert!(!out.join(JOURNAL).exists());
        }
    }

    /// A list cut in the middle of a name, or naming a place outside the site, moves nothing
    /// it should not.
    #[test]
    fn a_damaged_journal_moves_nothing_outside_the_site() {
        let dir = site();
        let out = dir.path();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x"), "mine").unwrap();
        let journal = out.join(JOURNAL);
        std::fs::create_dir_all(journal.join(KEPT)).unwrap();
        let escape = format!("../{}/x", outside.path().display());
        let list = format!("{escape}\0/etc/passwd\0specs/a.ht");
        std::fs::write(journal.join(CHANGES), list).unwrap();
        let before = tree(out);
        recover(out);
        assert_eq!(tree(out), before);
        assert_eq!(std::fs::read(outside.path().join("x")).unwrap(), b"mine");
        assert!(!journal.exists());
    }

    /// A folder that is not a specbook site is never rolled back, whatever it holds.
    #[test]
    fn only_a_site_is_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("index.html"), "mine").unwrap();
        std::fs::create_dir_all(out.join(JOURNAL)).unwrap();
        std::fs::write(out.join(JOURNAL).join(CHANGES), "index.html\0").unwrap();
        recover(out);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"mine");
        assert!(out.join(JOURNAL).join(CHANGES).is_file());
    }
}
