//! Where a build puts the site's files: in memory (`serve`), or streamed into a fresh folder
//! that replaces the output folder at the end (`build`), so that no more than a page at a time
//! per core is held in memory.
//!
//! A folder build leaves a manifest in the site ([`MANIFEST`]): for each spec's page the key of
//! everything it showed and its search counts, and for every file its content hash and stamp.
//! The next build reuses a page whose key is the same as a hard link to the old file, without
//! rendering it, as long as the old file is still as recorded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::hash::{BuildHasher as _, Hasher as _};
use std::io::{BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bincode::Options as _;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::search::DocCounts;
use crate::site::{SITE_MARKER, SiteError};

/// The manifest's file in the site.
pub const MANIFEST: &str = ".specbook-manifest";

/// The first line of the manifest.
const MAGIC: &str = "specbook-manifest v3";

/// The largest manifest read: a damaged file is not an allocation.
const MAX_MANIFEST: u64 = 1 << 32;

/// The size and modification time of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    len: u64,
    secs: u64,
    nanos: u32,
}

impl Stamp {
    /// `None` for a file that is not there (or cannot be looked at).
    pub(crate) fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        let modified = metadata
            .modified()
            .ok()?
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?;
        Some(Self {
            len: metadata.len(),
            secs: modified.as_secs(),
            nanos: modified.subsec_nanos(),
        })
    }

    /// Whether the file changed less than `window` before `now`: it may change again within
    /// the same clock tick without its stamp changing.
    pub(crate) fn within(self, window: Duration, now: SystemTime) -> bool {
        let modified = SystemTime::UNIX_EPOCH + Duration::new(self.secs, self.nanos);
        now.duration_since(modified)
            .map_or(true, |age| age < window)
    }
}

/// A hasher that gives the same value in every run of the same program.
pub(crate) fn hasher() -> impl std::hash::Hasher {
    foldhash::quality::FixedState::with_seed(0x5bec_b00c).build_hasher()
}

/// The hash of `bytes` with [`hasher`]: the hash [`crate::Built::files`] gives each file.
#[must_use]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = hasher();
    hasher.write(bytes);
    hasher.finish()
}

/// What one spec's page was made from and made, as the manifest keeps it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct PageRecord {
    /// Of everything the page shows of its spec and the catalog (see `site::page_key`).
    pub key: u64,
    /// Each relative link to a Markdown file the page looked up, and the page it became.
    pub links: Vec<(String, Option<String>)>,
    /// The local images the page shows, as written in the spec.
    pub images: Vec<String>,
    /// The files the page is (its page and its source view).
    pub files: Vec<String>,
    /// What search counts of it, its terms numbered in [`Manifest::terms`].
    pub counts: DocCounts,
}

/// What a build made: enough for the next one to reuse what did not change.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Of the program, the templates, the options and what every page shows of the whole
    /// catalog: a build with another key reuses no page.
    pub(crate) generation: u64,
    /// Each spec's page, by the spec's path.
    pub(crate) pages: HashMap<PathBuf, PageRecord>,
    /// The terms [`PageRecord::counts`] number.
    pub(crate) terms: Vec<String>,
    /// Every file of the site (but the manifest): its content's hash and its stamp.
    pub(crate) files: BTreeMap<String, (u64, Option<Stamp>)>,
}

fn options() -> impl bincode::Options {
    bincode::DefaultOptions::new().with_limit(MAX_MANIFEST)
}

impl Manifest {
    /// The manifest of the site in `out`; `None` when there is none or it cannot be read (the
    /// build then renders everything, and compares with the old files before replacing them).
    pub(crate) fn read(out: &Path) -> Option<Self> {
        let file = std::fs::File::open(out.join(MANIFEST)).ok()?;
        // Read as it is decoded: the bytes of a 40,000-spec manifest are 90 MB. The limit is
        // under the buffer, so that bincode's many small reads are the buffer's fast path.
        let mut file = std::io::BufReader::with_capacity(1 << 16, file.take(MAX_MANIFEST));
        let mut line = String::new();
        file.read_line(&mut line).ok()?;
        if line.trim_end() != MAGIC {
            return None;
        }
        options().deserialize_from(file).ok()
    }

    /// The hash and stamp of the file `name` of the site in `out` that this manifest is of,
    /// when the file is still as recorded (the same size and modification time).
    pub(crate) fn recorded(&self, out: &Path, name: &str) -> Option<(u64, Option<Stamp>)> {
        let &(hash, stamp) = self.files.get(name)?;
        let stamp = stamp?;
        (Stamp::of(&out.join(name)) == Some(stamp)).then_some((hash, Some(stamp)))
    }

    /// Writes the manifest to `path`, encoded as it is written.
    pub(crate) fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        file.write_all(format!("{MAGIC}\n").as_bytes())?;
        options()
            .serialize_into(&mut file, self)
            .map_err(std::io::Error::other)?;
        file.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        Ok(())
    }
}

/// Where a build puts its files. A name is put once.
pub(crate) trait Sink: Sync {
    /// Adds the file `name` with `bytes`.
    fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), SiteError>;

    /// Adds the files `names` as the earlier build made them, unchanged; `false` (and nothing
    /// added) when one of them is not there as it was made.
    fn keep(&self, names: &[String]) -> bool;
}

/// The site in memory, with the files of the build before (shared by [`Sink::keep`]).
pub(crate) struct Memory {
    pub files: Mutex<BTreeMap<String, Arc<[u8]>>>,
    pub before: BTreeMap<String, Arc<[u8]>>,
}

impl Sink for Memory {
    fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), SiteError> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_owned(), Arc::from(bytes));
        Ok(())
    }

    fn keep(&self, names: &[String]) -> bool {
        let before = &self.before;
        if !names.iter().all(|n| before.contains_key(n)) {
            return false;
        }
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        for name in names {
            if let Some(bytes) = before.get(name) {
                files.insert(name.clone(), Arc::clone(bytes));
            }
        }
        true
    }
}

/// The files a build has put so far, with their hashes and stamps (for the next manifest),
/// and the folders it has made: what a fresh folder and an update in place both keep.
#[derive(Default)]
pub(crate) struct Made {
    files: Mutex<BTreeMap<String, (u64, Option<Stamp>)>>,
    folders: Mutex<HashSet<PathBuf>>,
}

impl Made {
    pub(crate) fn record(&self, name: &str, hash: u64, stamp: Option<Stamp>) {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_owned(), (hash, stamp));
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(name)
    }

    /// Makes the folder `path` (and those above it) unless this build made it already.
    pub(crate) fn folder(&self, path: &Path) -> Result<(), SiteError> {
        let known = || self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if known().contains(path) {
            return Ok(());
        }
        std::fs::create_dir_all(path).map_err(write_error(path))?;
        known().insert(path.to_path_buf());
        Ok(())
    }

    /// The files put, for the manifest.
    pub(crate) fn take(&mut self) -> BTreeMap<String, (u64, Option<Stamp>)> {
        std::mem::take(self.files.get_mut().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The hash of each file of a manifest's `files`: what [`crate::Built::files`] holds.
pub(crate) fn hashes(files: &BTreeMap<String, (u64, Option<Stamp>)>) -> BTreeMap<String, u64> {
    files
        .iter()
        .map(|(name, &(hash, _))| (name.clone(), hash))
        .collect()
}

/// The folder `out` is in, and the start of the names of what builds into it leave beside it
/// (`.NAME.specbook-`); `None` for a path without a folder name (`/`, `..`).
fn beside(out: &Path) -> Option<(PathBuf, String)> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((parent, format!(".{name}.specbook-")))
}

/// The site written file by file into a fresh folder beside `out`, swapped in by one rename
/// (an exchange on Linux) when the build is done, so a build that fails or is killed at any
/// moment leaves the old site whole (and what it left is removed by the next build). A file
/// that is the same as the old site's is a hard link to it, so its date is kept.
pub(crate) struct Folder {
    out: PathBuf,
    fresh: PathBuf,
    parent: PathBuf,
    leftover: String,
    /// Whether `out` is there (an empty folder, or a site), to be swapped with.
    exists: bool,
    /// Whether `out` holds a site, whose files may be linked.
    is_site: bool,
    /// The old site's manifest.
    before: Option<Manifest>,
    made: Made,
    done: bool,
}

pub(crate) fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError {
    let path = path.to_path_buf();
    move |error| SiteError::Write { path, error }
}

impl Folder {
    /// Starts a site for `out`, which must be missing, empty or a specbook site (one with
    /// [`SITE_MARKER`]); reads its manifest when it has one.
    pub(crate) fn create(out: &Path) -> Result<Self, SiteError> {
        let exists = out.exists();
        let is_site = exists && out.join(SITE_MARKER).is_file();
        if exists && !is_site && std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some()) {
            return Err(SiteError::NotASite {
                path: out.to_path_buf(),
            });
        }
        let (parent, leftover) = beside(out).ok_or_else(|| SiteError::Write {
            path: out.to_path_buf(),
            error: std::io::Error::other("not a folder name"),
        })?;
        std::fs::create_dir_all(&parent).map_err(write_error(&parent))?;
        let fresh = parent.join(format!("{leftover}new-{}", std::process::id()));
        std::fs::create_dir(&fresh).map_err(write_error(&fresh))?;
        Ok(Self {
            before: if is_site { Manifest::read(out) } else { None },
            out: out.to_path_buf(),
            fresh,
            parent,
            leftover,
            exists,
            is_site,
            made: Made::default(),
            done: false,
        })
    }

    /// The manifest of the site being replaced, if it had a readable one.
    pub(crate) fn before(&self) -> Option<&Manifest> {
        self.before.as_ref()
    }

    /// `name`'s path in the fresh folder, with its folders made.
    fn path(&self, name: &str) -> Result<PathBuf, SiteError> {
        let path = self.fresh.join(name);
        if let Some(folder) = path.parent() {
            self.made.folder(folder)?;
        }
        Ok(path)
    }

    /// The old site's file `name`, when it is still as its manifest recorded it.
    fn recorded(&self, name: &str) -> Option<(u64, Option<Stamp>)> {
        self.before.as_ref()?.recorded(&self.out, name)
    }

    /// Writes the manifest and puts the fresh folder in the place of `out`. Returns the hash
    /// of each file of the site (but the manifest).
    pub(crate) fn finish(
        mut self,
        mut manifest: Manifest,
    ) -> Result<BTreeMap<String, u64>, SiteError> {
        manifest.files = self.made.take();
        let files = hashes(&manifest.files);
        let path = self.fresh.join(MANIFEST);
        manifest.write(&path).map_err(write_error(&path))?;
        drop(manifest);
        self.done = true;
        let (fresh, out) = (&self.fresh, &self.out);
        if !self.exists {
            std::fs::rename(fresh, out).map_err(write_error(out))?;
            return Ok(files);
        }
        if specbook_workspace::exchange(fresh, out).map_err(write_error(out))? {
            // `fresh` now holds the old site.
            remove_tree(fresh);
            return Ok(files);
        }
        let old = self
            .parent
            .join(format!("{}old-{}", self.leftover, std::process::id()));
        std::fs::rename(out, &old).map_err(write_error(out))?;
        std::fs::rename(fresh, out).map_err(write_error(out))?;
        remove_tree(&old);
        Ok(files)
    }
}

/// Holds the lock of the site folder `out` (made if it is not there) until dropped: one
/// build at a time changes a site. A build that finds the site locked waits for the other to
/// end; the operating system releases the lock when a process ends, however it ends.
pub(crate) struct SiteLock {
    #[cfg(unix)]
    _folder: File,
}

impl SiteLock {
    pub(crate) fn take(out: &Path) -> Result<Self, SiteError> {
        std::fs::create_dir_all(out).map_err(write_error(out))?;
        #[cfg(unix)]
        loop {
            use std::os::unix::fs::MetadataExt as _;
            let folder = File::open(out).map_err(write_error(out))?;
            // A file system that cannot lock a folder (some network ones) builds unlocked, as
            // before there was a lock.
            if folder.lock().is_err() {
                return Ok(Self { _folder: folder });
            }
            // The build this one waited for may have put a new folder in its place.
            let (held, now) = (
                folder.metadata().map_err(write_error(out))?,
                std::fs::metadata(out).map_err(write_error(out))?,
            );
            if (held.dev(), held.ino()) == (now.dev(), now.ino()) {
                return Ok(Self { _folder: folder });
            }
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }
}

/// Removes what killed builds into `out` left beside it: `.NAME.specbook-new-PID`,
/// `.NAME.specbook-old-PID`; not the folder of a build that is still running.
pub(crate) fn remove_leftovers(out: &Path) {
    let Some((parent, leftover)) = beside(out) else {
        return;
    };
    if let Ok(entries) = std::fs::read_dir(parent) {
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with(&leftover) && !of_a_running_build(&file_name) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Whether the leftover folder `name` (`.NAME.specbook-new-PID`) is another process's that
/// still runs (known where `/proc` lists processes; elsewhere every leftover is removed).
fn of_a_running_build(name: &str) -> bool {
    let Some(pid) = name
        .rsplit('-')
        .next()
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    pid != std::process::id() && Path::new("/proc").join(pid.to_string()).is_dir()
}

/// Removes the folder `path` and all in it, a folder per core (tens of thousands of files
/// in a few folders; each folder's removals wait on each other); what cannot be removed is
/// left to the next build.
pub(crate) fn remove_tree(path: &Path) {
    fn folders(path: &Path, out: &mut Vec<PathBuf>) {
        out.push(path.to_path_buf());
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    folders(&entry.path(), out);
                }
            }
        }
    }
    let mut all = Vec::new();
    folders(path, &mut all);
    all.par_iter().for_each(|folder| {
        if let Ok(entries) = std::fs::read_dir(folder) {
            for entry in entries.flatten() {
                if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    });
    let _ = std::fs::remove_dir_all(path);
}

impl Drop for Folder {
    /// A build that did not finish leaves nothing behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.fresh);
        }
    }
}

impl Sink for Folder {
    fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), SiteError> {
        let path = self.path(name)?;
        let hash = hash_bytes(&bytes);
        let old = self.out.join(name);
        if self.is_site {
            // The same as the old file: a link to it. Known from the manifest where the old
            // file is as recorded, else by reading it.
            let same = match self.recorded(name) {
                Some((old_hash, _)) => old_hash == hash,
                None => std::fs::read(&old).is_ok_and(|old| old == bytes),
            };
            if same && std::fs::hard_link(&old, &path).is_ok() {
                self.made.record(name, hash, Stamp::of(&path));
                return Ok(());
            }
        }
        // Never through a link to the old site: a name put twice is replaced, not written into.
        if self.made.contains(name) {
            let _ = std::fs::remove_file(&path);
        }
        let mut file = std::fs::File::create(&path).map_err(write_error(&path))?;
        file.write_all(&bytes).map_err(write_error(&path))?;
        drop(file);
        self.made.record(name, hash, Stamp::of(&path));
        Ok(())
    }

    fn keep(&self, names: &[String]) -> bool {
        let Some(recorded) = names
            .iter()
            .map(|name| self.recorded(name))
            .collect::<Option<Vec<_>>>()
        else {
            return false;
        };
        for (name, (hash, stamp)) in names.iter().zip(recorded) {
            let Ok(path) = self.path(name) else {
                return false;
            };
            if self.made.contains(name) {
                let _ = std::fs::remove_file(&path);
            }
            if std::fs::hard_link(self.out.join(name), &path).is_err() {
                return false;
            }
            self.made.record(name, hash, stamp);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build leaves alone the folder of another build that is still running, and removes
    /// what a build that ended left.
    #[test]
    fn only_the_leftovers_of_ended_builds_are_removed() {
        // No process has a number this large (Linux's limit is 2^22).
        assert!(!of_a_running_build(".site.specbook-new-4000000000"));
        assert!(!of_a_running_build(".site.specbook-old-not-a-number"));
        assert!(!of_a_running_build(&format!(
            ".site.specbook-new-{}",
            std::process::id()
        )));
        #[cfg(target_os = "linux")]
        assert!(of_a_running_build(&format!(
            ".site.specbook-new-{}",
            std::os::unix::process::parent_id()
        )));
    }
}
