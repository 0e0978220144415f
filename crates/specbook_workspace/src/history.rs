//! Git history of spec files: the commit that added each file, the last commit that changed it,
//! and every change of its status, read with a handful of `git` processes whatever the number of
//! files and commits.
//!
//! `git rev-parse` finds the work tree and `HEAD`; then, side by side, `git ls-tree` lists the
//! files at `HEAD`, and one pass of `git log --raw` gives every commit's added, modified,
//! renamed and deleted files with their blobs (followed back through renames from `HEAD`). A
//! long history is read by two `git log` processes at once, each over its own part (see
//! [`split_point`]), so that the pass costs about half the time on two cores. A status change
//! is read from the blobs themselves: `git cat-file --batch` prints the two versions of each
//! change to a file that exists at `HEAD`, and the first status field of each (outside code
//! blocks) is compared. Added files are not read: see [`FileHistory::status_changes`].
//!
//! The log costs git a read of the folder's tree for every commit: seconds in a large
//! repository. It is cached in the git folder, by folder and status field, with the commit it
//! was computed for and the status of every blob read; a later load reuses it as is when `HEAD`
//! has not moved, and asks git only for the new commits (and blobs) when `HEAD` has just gained
//! commits on top of it. Anything else (rewritten history, a merge, a damaged cache) reads the
//! whole history again.
//!
//! Merge commits are skipped: a change counts for the commit that made it on its branch, and a
//! change made only while resolving a merge is not seen. A file moved into the folder from
//! outside it starts its history with that move.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use specbook_markdown::{Document, field_key};

use crate::WorkspaceError;

/// Starts each commit's header in git's output. No path, status letter or diff line starts
/// with it, so a header is never mistaken for anything else.
const COMMIT_MARKER: u8 = 0x1e;

/// One commit as far as a spec is concerned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CommitInfo {
    /// The full hash.
    pub hash: String,
    /// The author date, in the author's own UTC offset.
    #[serde(serialize_with = "serialize_date")]
    pub date: Date,
    /// The author date, seconds since the epoch.
    pub timestamp: i64,
    /// The author's name.
    pub author: String,
}

/// A change of a spec's status field recorded in git.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatusChange {
    pub commit: CommitInfo,
    /// `None` when the file was created in this commit or had no status before it.
    pub from: Option<String>,
    /// `None` when the status line was removed (or, for the creation, see [`FileHistory`]).
    pub to: Option<String>,
}

/// What git knows about one spec file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FileHistory {
    /// The commit that added the file, following renames.
    pub first: CommitInfo,
    /// The latest commit that changed the file's content or name.
    pub last: CommitInfo,
    /// Oldest first. The first entry is always the creation (`from: None`, commit `first`);
    /// its `to` is the status the later changes show the file was created with: the `from` of
    /// the next entry. When there is no next entry the status never changed in git and `to` is
    /// `None`: the file's current status is its creation status. Reading every file's first
    /// version to know it for sure would cost as much as reading the whole repository.
    pub status_changes: Vec<StatusChange>,
}

/// The history of the files under a folder, by their absolute path in the work tree.
#[derive(Clone, Debug, Default)]
pub struct History {
    files: HashMap<PathBuf, FileHistory>,
    /// In a shallow clone, the commits where the history is cut (`.git/shallow`): a file
    /// last changed there may have changed long before, so its dates are not known.
    shallow: std::collections::HashSet<String>,
}

impl History {
    /// Reads the history of the files under `dir` (a folder inside a work tree). `status_label`
    /// is the label of the status field, e.g. "Status" (matched like any field label: case,
    /// spacing, `_` and `-` do not matter).
    ///
    /// With `cache`, the output of the `git log` pass and the status of each blob read are kept
    /// in the repository's git folder (`specbook/history-v2-*`) for the next load: when `HEAD`
    /// has not moved git is not asked at all, and when it only gained commits git reads only
    /// those. A cache that cannot be read, written or trusted is ignored.
    ///
    /// Returns `Ok(None)` when `dir` is not inside a git work tree (or git refuses to use the
    /// repository there), git is not installed, or the repository has no commits.
    pub fn load(
        dir: &Path,
        status_label: &str,
        cache: bool,
    ) -> Result<Option<History>, WorkspaceError> {
        if !dir.is_dir() {
            return Err(WorkspaceError::NotFound {
                path: dir.to_path_buf(),
            });
        }
        let Some(head) = Head::find(dir)? else {
            return Ok(None);
        };
        let pathspec = if head.prefix.is_empty() {
            "."
        } else {
            head.prefix.as_str()
        };
        let key = field_key(status_label);
        let commit = head.commit.as_str();
        let root = head.root.as_path();
        let cache = cache.then(|| LogCache::new(&head.git_dir, pathspec, &key));
        let (files, logs) = std::thread::scope(|scope| {
            let files = scope.spawn(|| {
                git(
                    root,
                    &[
                        "ls-tree",
                        "-r",
                        "-z",
                        "--name-only",
                        "--full-name",
                        commit,
                        "--",
                        pathspec,
                    ],
                )
            });
            let logs = Logs::read(root, commit, pathspec, cache.as_ref());
            (join(files), logs)
        });
        let files = files?;
        let (mut logs, mut origin) = logs?;
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (histories, read_blobs) =
            match read_history(root, &files, &mut logs, &key, &canonical_root) {
                // The cached part may be what does not parse: ask git for all of it before
                // failing.
                Err(_) if origin != Origin::Git => {
                    logs = Logs::run_whole(root, commit, pathspec, SPLIT_AT)?;
                    origin = Origin::Git;
                    read_history(root, &files, &mut logs, &key, &canonical_root)?
                }
                result => result?,
            };
        if (origin != Origin::Cache || read_blobs)
            && let Some(cache) = &cache
        {
            // A cache that cannot be written only costs the next load its speed.
            let _ = cache.write(commit, &logs);
        }
        Ok(Some(History {
            files: histories,
            shallow: shallow_commits(&head.git_dir),
        }))
    }

    /// Whether the repository is a shallow clone.
    #[must_use]
    pub fn is_shallow(&self) -> bool {
        !self.shallow.is_empty()
    }

    /// Whether a file's history is cut by a shallow clone: its last change shows as the
    /// commit where the clone's history begins, which may not have changed it at all.
    #[must_use]
    pub fn is_cut(&self, file: &FileHistory) -> bool {
        self.shallow.contains(&file.last.hash)
    }

    /// How many files have a history cut by a shallow clone.
    #[must_use]
    pub fn cut_files(&self) -> usize {
        self.files.values().filter(|f| self.is_cut(f)).count()
    }

    /// The history of a file; `path` may be relative to the current directory or absolute.
    #[must_use]
    pub fn get(&self, path: &Path) -> Option<&FileHistory> {
        if self.files.is_empty() {
            return None;
        }
        // The path made absolute without touching the disk finds nearly every file; resolving
        // symlinks costs several system calls per file, so it is only the fallback.
        if let Ok(absolute) = std::path::absolute(path)
            && let Some(found) = self.files.get(&crate::catalog::lexical(&absolute))
        {
            return Some(found);
        }
        match path.canonicalize() {
            Ok(path) => self.files.get(&path),
            Err(_) => self.files.get(path),
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The commits `.git/shallow` lists (none in a full clone).
fn shallow_commits(git_dir: &Path) -> std::collections::HashSet<String> {
    std::fs::read_to_string(git_dir.join("shallow"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "the signature serde's serialize_with asks for"
)]
fn serialize_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs git in `root` and returns its standard output.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, WorkspaceError> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["-c", "core.quotepath=off", "--literal-pathspecs"])
        .args(args)
        .output()
        .map_err(|error| {
            WorkspaceError::Other(format!("cannot run git {}: {error}", args.join(" ")))
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(WorkspaceError::Other(format!(
            "git {} failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    Ok(output.stdout)
}

fn unexpected(command: &str, text: &[u8]) -> WorkspaceError {
    WorkspaceError::Other(format!(
        "git {command} printed something unexpected: {:?}",
        String::from_utf8_lossy(text)
    ))
}

/// git's refusal of a repository another user owns (`fatal: detected dubious ownership in
/// repository at '/repo'` and the `git config --global --add safe.directory` line it
/// suggests), as one sentence.
fn dubious_ownership(stderr: &str) -> Option<String> {
    let first = stderr.lines().find(|l| l.contains("dubious ownership"))?;
    let at = first
        .split_once(" at ")
        .map(|(_, path)| path.trim().trim_matches('\''))
        .unwrap_or_default();
    let remedy = stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("git config") && l.contains("safe.directory"))
        .map_or_else(
            || format!("git config --global --add safe.directory '{at}'"),
            str::to_owned,
        );
    Some(format!(
        "git refuses to read the repository at {at}: it is owned by another user (\"dubious ownership\"); if you trust it, run `{remedy}`"
    ))
}

/// The work tree `dir` is in, and what `HEAD` is.
struct Head {
    root: PathBuf,
    /// `dir` relative to `root`, with a trailing `/`; empty at the root.
    prefix: String,
    /// The repository's git folder, shared by all its work trees.
    git_dir: PathBuf,
    commit: String,
}

impl Head {
    fn find(dir: &Path) -> Result<Option<Head>, WorkspaceError> {
        let args = [
            "rev-parse",
            "--show-toplevel",
            "--show-prefix",
            "--git-common-dir",
            "--verify",
            "--quiet",
            "HEAD",
        ];
        let output = match Command::new("git").current_dir(dir).args(args).output() {
            Ok(output) => output,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(WorkspaceError::Other(format!(
                    "cannot run git rev-parse: {error}"
                )));
            }
        };
        // Outside a work tree git fails with nothing on stdout; without a commit yet, `--verify`
        // fails after printing the top level. A repository owned by another user is one git
        // refuses to read: that is said, with git's own remedy.
        if !output.status.success() {
            return match dubious_ownership(&String::from_utf8_lossy(&output.stderr)) {
                Some(message) => Err(WorkspaceError::Other(message)),
                None => Ok(None),
            };
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let mut lines = text.lines();
        let (Some(root), Some(prefix), Some(git_dir), Some(commit)) =
            (lines.next(), lines.next(), lines.next(), lines.next())
        else {
            return Err(unexpected("rev-parse", &output.stdout));
        };
        Ok(Some(Head {
            root: PathBuf::from(root),
            prefix: prefix.to_owned(),
            // Relative to the folder git ran in, unless git printed it absolute.
            git_dir: dir.join(git_dir),
            commit: commit.to_owned(),
        }))
    }
}

/// Where the logs [`History::load`] parses came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// The cache, computed for the same `HEAD`.
    Cache,
    /// The cache, preceded by the logs of the commits made since.
    Extended,
    /// Git, for the whole history.
    Git,
}

/// The output of the `git log` pass, and what the blobs read so far say of the status.
struct Logs {
    /// `git log --raw -z`, read by [`Walk::read_log`].
    names: Vec<u8>,
    /// The first status field of each blob read so far, by its hash (`None`: it has none).
    statuses: HashMap<String, Option<String>>,
}

impl Logs {
    /// The logs up to `commit`: from the cache when it was computed for `commit`; from the cache
    /// and git when `commit` only added commits to it; else from git alone.
    fn read(
        root: &Path,
        commit: &str,
        pathspec: &str,
        cache: Option<&LogCache>,
    ) -> Result<(Logs, Origin), WorkspaceError> {
        if let Some((cached_commit, cached)) = cache.and_then(LogCache::read) {
            if cached_commit == commit {
                return Ok((cached, Origin::Cache));
            }
            let since = format!("{cached_commit}..{commit}");
            if extends_linearly(root, &cached_commit, commit)
                && let Ok(new) = Logs::run(root, &since, pathspec)
            {
                return Ok((new.followed_by(cached), Origin::Extended));
            }
        }
        Ok((
            Logs::run_whole(root, commit, pathspec, SPLIT_AT)?,
            Origin::Git,
        ))
    }

    /// The pass over the whole history of `commit`, in two processes side by side when the
    /// history has at least `split_at` commits and its newest ones have one parent each: the
    /// log of the newer half, `middle..commit`, followed by the log of `middle` is the log of
    /// `commit` (see [`extends_linearly`]), and each half costs git half the tree reads.
    fn run_whole(
        root: &Path,
        commit: &str,
        pathspec: &str,
        split_at: usize,
    ) -> Result<Logs, WorkspaceError> {
        let Some(middle) = split_point(root, commit, split_at) else {
            return Logs::run(root, commit, pathspec);
        };
        let since = format!("{middle}..{commit}");
        let (newer, older) = std::thread::scope(|scope| {
            let newer = scope.spawn(|| Logs::run(root, &since, pathspec));
            let older = Logs::run(root, &middle, pathspec);
            (join(newer), older)
        });
        Ok(newer?.followed_by(older?))
    }

    /// The one pass over `revisions` (a commit, or a range `old..new`); no blob read yet.
    fn run(root: &Path, revisions: &str, pathspec: &str) -> Result<Logs, WorkspaceError> {
        let names = git(
            root,
            &[
                "log",
                "--no-color",
                "--no-show-signature",
                "--no-merges",
                "--topo-order",
                "--encoding=UTF-8",
                "--format=%x1e%H%x09%at%x09%aI%x09%an",
                "--root",
                "-z",
                "--raw",
                "--no-abbrev",
                "-M",
                revisions,
                "--",
                pathspec,
            ],
        )?;
        Ok(Logs {
            names,
            statuses: HashMap::new(),
        })
    }

    /// These logs (of newer commits) followed by `older`: one log of both, as the format
    /// starts each commit with [`COMMIT_MARKER`] once the previous one is terminated.
    fn followed_by(mut self, older: Logs) -> Logs {
        if self.names.last().is_some_and(|&last| last != 0) {
            self.names.push(0);
        }
        self.names.extend_from_slice(&older.names);
        self.statuses.extend(older.statuses);
        self
    }
}

/// Histories shorter than this are read by one process: a second one would save less than it
/// costs to start.
const SPLIT_AT: usize = 1_000;

/// A commit down the history of `commit` (at least `split_at` commits) that splits the cost of
/// its log in two about equal halves, such that every commit after it, up to `commit`, has one
/// parent; `None` when there is none (a short history, or `commit` is a merge).
fn split_point(root: &Path, commit: &str, split_at: usize) -> Option<String> {
    let count = git(root, &["rev-list", "--count", commit]).ok()?;
    let count: usize = String::from_utf8_lossy(&count).trim().parse().ok()?;
    if count < split_at.max(2) {
        return None;
    }
    // A commit costs git a read of the folder's tree, which grows with the folder: with a
    // folder that grew steadily, the newest 29% (1 - 1/sqrt 2) of the commits cost what the
    // rest cost.
    let half = count * 29 / 100;
    let chain = git(
        root,
        &[
            "rev-list",
            "--first-parent",
            "--parents",
            &format!("--max-count={}", half + 1),
            commit,
        ],
    )
    .ok()?;
    let mut middle = None;
    for (at, line) in chain.split(|&b| b == b'\n').enumerate() {
        let mut hashes = line.split(|&b| b == b' ');
        let hash = hashes.next().filter(|hash| !hash.is_empty())?;
        if at > 0 {
            middle = Some(String::from_utf8_lossy(hash).into_owned());
        }
        // A merge (or the first commit) ends the run: it can be the middle, not be after it.
        if at == half || hashes.count() != 1 {
            break;
        }
    }
    middle
}

/// Whether `new` is `old` plus commits with one parent each, so that the log of `new` is the
/// log of `old..new` followed by the log of `old`. Being an ancestor is not enough: at a merge
/// whose files equal one parent's, git follows only that parent, so the log of `new` can leave
/// out commits the log of `old` shows.
fn extends_linearly(root: &Path, old: &str, new: &str) -> bool {
    let Ok(output) = git(root, &["rev-list", "--parents", &format!("{old}..{new}")]) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&output) else {
        return false;
    };
    let commits: Vec<Vec<&str>> = text.lines().map(|line| line.split(' ').collect()).collect();
    let hashes: HashSet<&str> = commits.iter().map(|commit| commit[0]).collect();
    // One parent each, in the range or `old`: a chain from `new` down to `old`.
    !commits.is_empty()
        && commits.iter().all(|commit| {
            matches!(commit.as_slice(), [_, parent] if *parent == old || hashes.contains(parent))
        })
}

/// The history of `files` (NUL-separated paths at `HEAD`) from `logs`, with the paths under
/// `root`. The blobs the log names whose status `logs` does not know yet are read from git
/// (in `git_root`) and added to it: the second value says whether there were any.
fn read_history(
    git_root: &Path,
    files: &[u8],
    logs: &mut Logs,
    key: &str,
    root: &Path,
) -> Result<(HashMap<PathBuf, FileHistory>, bool), WorkspaceError> {
    let mut walk = Walk::new(files);
    walk.read_log(&logs.names)?;
    let wanted = walk.blobs_not_in(&logs.statuses);
    let read = !wanted.is_empty();
    if read {
        logs.statuses.extend(blob_statuses(git_root, &wanted, key)?);
    }
    Ok((walk.finish(root, &logs.statuses), read))
}

/// The first status field (whose label has the key `key`) of each blob in `blobs`, read with
/// one `git cat-file --batch`. A blob git does not have has none.
fn blob_statuses(
    root: &Path,
    blobs: &[String],
    key: &str,
) -> Result<HashMap<String, Option<String>>, WorkspaceError> {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    use std::process::Stdio;

    let failed = |error: io::Error| {
        WorkspaceError::Other(format!("cannot run git cat-file --batch: {error}"))
    };
    let mut child = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "--batch", "--buffer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(failed)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(WorkspaceError::Other(
            "cannot run git cat-file --batch: no pipes".into(),
        ));
    };
    let statuses = std::thread::scope(|scope| {
        // Written from another thread: git answers while it reads, and a full pipe each way
        // would stop both.
        let writer = scope.spawn(move || -> io::Result<()> {
            for blob in blobs {
                stdin.write_all(blob.as_bytes())?;
                stdin.write_all(b"\n")?;
            }
            stdin.flush()
        });
        let mut reader = BufReader::new(stdout);
        let mut statuses = HashMap::with_capacity(blobs.len());
        let mut header = Vec::new();
        let mut content = Vec::new();
        for blob in blobs {
            header.clear();
            reader.read_until(b'\n', &mut header).map_err(failed)?;
            let text = String::from_utf8_lossy(&header);
            let mut fields = text.split_ascii_whitespace();
            let (Some(name), Some(kind)) = (fields.next(), fields.next()) else {
                return Err(unexpected("cat-file --batch", &header));
            };
            if name != blob {
                return Err(unexpected("cat-file --batch", &header));
            }
            let status = match (
                kind,
                fields.next().and_then(|size| size.parse::<u64>().ok()),
            ) {
                ("missing" | "ambiguous", _) => None,
                (_, Some(size)) => {
                    content.clear();
                    // The content, then a newline.
                    let read = (&mut reader)
                        .take(size + 1)
                        .read_to_end(&mut content)
                        .map_err(failed)?;
                    if u64::try_from(read).ok() != Some(size + 1) {
                        return Err(unexpected("cat-file --batch", &header));
                    }
                    content.pop();
                    (kind == "blob")
                        .then(|| first_status(&content, key))
                        .flatten()
                }
                _ => return Err(unexpected("cat-file --batch", &header)),
            };
            statuses.insert(blob.clone(), status);
        }
        join(writer).map_err(failed)?;
        Ok(statuses)
    });
    // The answers are read; what git says at exit adds nothing.
    let _ = child.wait();
    statuses
}

/// The value of the first status field (see [`field_value`]) in `text`, outside code and
/// HTML comments as the checker's scanner finds them: an example's `status: active` in a code
/// block is not the spec's status.
fn first_status(text: &[u8], key: &str) -> Option<String> {
    let text = String::from_utf8_lossy(text);
    let document = Document::parse(&text);
    let mut start = 0;
    for line in text.split('\n') {
        let at = start;
        start += line.len() + 1;
        if line.contains(':')
            && !document.is_verbatim(at)
            && let Some(value) = field_value(line, key)
        {
            return Some(value);
        }
    }
    None
}

/// The log of one folder and status field as of one commit, kept in a file under the git
/// folder: a header line `specbook-history v2 <commit> <key length> <names length>
/// <statuses length> <checksum>`, then the key (pathspec, NUL, the status field's key), the
/// log, and the status of each blob read (`<hash>\0<status>\0`, empty for none).
struct LogCache {
    path: PathBuf,
    key: Vec<u8>,
}

impl LogCache {
    const MAGIC: &'static str = "specbook-history v2";

    fn new(git_dir: &Path, pathspec: &str, status_key: &str) -> LogCache {
        let key = [pathspec.as_bytes(), b"\0", status_key.as_bytes()].concat();
        let name = format!("history-v2-{:016x}", fnv1a(FNV_OFFSET, &key));
        LogCache {
            path: git_dir.join("specbook").join(name),
            key,
        }
    }

    /// The commit the cached logs are for, and the logs; `None` when there is no cache or it is
    /// not one this version wrote for this key, whole.
    fn read(&self) -> Option<(String, Logs)> {
        let bytes = std::fs::read(&self.path).ok()?;
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&bytes[..newline]).ok()?;
        let body = &bytes[newline + 1..];
        let fields = header.strip_prefix(Self::MAGIC)?.strip_prefix(' ')?;
        let [commit, key, names, statuses, checksum] =
            fields.split(' ').collect::<Vec<_>>().try_into().ok()?;
        let is_hash = matches!(commit.len(), 40 | 64)
            && commit
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let key: usize = key.parse().ok()?;
        let names: usize = names.parse().ok()?;
        let statuses: usize = statuses.parse().ok()?;
        let whole = key.checked_add(names)?.checked_add(statuses)? == body.len()
            && format!("{:016x}", fnv1a(FNV_OFFSET, body)) == checksum;
        if !is_hash || !whole || body[..key] != self.key[..] {
            return None;
        }
        let (names, statuses) = body[key..].split_at(names);
        let mut fields = statuses.split(|&b| b == 0);
        let mut blobs = HashMap::new();
        while let Some(blob) = fields.next().filter(|blob| !blob.is_empty()) {
            let status = fields.next()?;
            blobs.insert(
                String::from_utf8(blob.to_vec()).ok()?,
                (!status.is_empty()).then(|| String::from_utf8_lossy(status).into_owned()),
            );
        }
        Some((
            commit.to_owned(),
            Logs {
                names: names.to_vec(),
                statuses: blobs,
            },
        ))
    }

    /// Replaces the cache atomically, so a concurrent load reads the old cache or the new one.
    fn write(&self, commit: &str, logs: &Logs) -> io::Result<()> {
        use std::io::Write;

        let mut blobs: Vec<(&String, &Option<String>)> = logs.statuses.iter().collect();
        blobs.sort_unstable();
        let mut statuses = Vec::with_capacity(blobs.len() * 50);
        for (blob, status) in blobs {
            statuses.extend_from_slice(blob.as_bytes());
            statuses.push(0);
            // A status is one line of text: it has no NUL.
            statuses.extend_from_slice(status.as_deref().unwrap_or_default().as_bytes());
            statuses.push(0);
        }
        let parts = [
            self.key.as_slice(),
            logs.names.as_slice(),
            statuses.as_slice(),
        ];
        let checksum = parts
            .iter()
            .fold(FNV_OFFSET, |hash, part| fnv1a(hash, part));
        let header = format!(
            "{} {commit} {} {} {} {checksum:016x}\n",
            Self::MAGIC,
            self.key.len(),
            logs.names.len(),
            statuses.len(),
        );
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = atomic_write_file::AtomicWriteFile::open(&self.path)?;
        file.write_all(header.as_bytes())?;
        for part in parts {
            file.write_all(part)?;
        }
        file.commit()
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a of `bytes`, continuing from `hash` (start with [`FNV_OFFSET`]). Unlike std's
/// hashers it is the same in every build, so cache names and checksums stay valid.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The value of `line` when it is the field whose label has the key `key`: a Markdown bullet
/// (`- **Status:** Draft`, `* **Status**: Draft`, `- Status: Draft`) or a YAML entry
/// (`status: "Draft"`). Emphasis and quotes around the value are removed; an empty value is
/// no value.
fn field_value(line: &str, key: &str) -> Option<String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = line.strip_prefix('\u{feff}').unwrap_or(line).trim();
    let line = ['-', '*', '+']
        .iter()
        .find_map(|marker| {
            line.strip_prefix(*marker)
                .filter(|rest| rest.starts_with([' ', '\t']))
        })
        .map_or(line, str::trim_start);
    let (label, value) = split_field(line)?;
    if field_key(label.trim().trim_matches(['"', '\''])) != key {
        return None;
    }
    let value = unwrap_value(value.trim());
    (!value.is_empty()).then(|| value.to_owned())
}

/// `**Label:** value`, `**Label**: value` or `Label: value` as label and value.
fn split_field(line: &str) -> Option<(&str, &str)> {
    for delimiter in ["**", "__"] {
        if let Some(bold) = line.strip_prefix(delimiter) {
            let close = bold.find(delimiter)?;
            let inside = &bold[..close];
            let after = &bold[close + delimiter.len()..];
            return match inside.strip_suffix(':') {
                Some(label) => Some((label, after)),
                None => Some((inside, after.trim_start().strip_prefix(':')?)),
            };
        }
    }
    let (label, value) = line.split_once(':')?;
    let plain =
        !label.is_empty() && label.len() <= 60 && !label.contains(['[', ']', '(', '`', '*']);
    plain.then_some((label, value))
}

/// `**Draft**`, `"Draft"` or `` `Draft` `` -> `Draft`.
fn unwrap_value(mut value: &str) -> &str {
    const MARKS: [&str; 7] = ["**", "__", "\"", "'", "`", "*", "_"];
    while let Some(inner) = MARKS.iter().find_map(|mark| {
        value
            .strip_prefix(mark)
            .and_then(|rest| rest.strip_suffix(mark))
    }) {
        value = inner.trim();
    }
    value
}

/// One file at `HEAD`, followed back through its renames.
struct Lineage {
    path: String,
    /// Indexes into `Walk::commits`.
    last: Option<usize>,
    first: usize,
    /// Newest first: the commits that changed the file's content, with its blob before and
    /// after.
    changes: Vec<(usize, String, String)>,
}

/// One entry of `git log --raw`.
struct Entry<'a> {
    status: u8,
    /// The blob before the change and after it (all zeros for none).
    blobs: (&'a str, &'a str),
    /// The source of a rename or copy.
    source: Option<Cow<'a, str>>,
    path: Cow<'a, str>,
}

/// Walks `git log --raw` from `HEAD` back, keeping which path each file at `HEAD` had at the
/// commit being read.
struct Walk {
    commits: Vec<CommitInfo>,
    lineages: Vec<Lineage>,
    /// Path at the commit being read -> index into `lineages`. A path not here belongs to a
    /// file that no longer exists.
    live: HashMap<String, usize>,
}

impl Walk {
    fn new(files: &[u8]) -> Self {
        let mut lineages = Vec::new();
        let mut live = HashMap::new();
        for name in files.split(|&b| b == 0).filter(|name| !name.is_empty()) {
            let path = String::from_utf8_lossy(name).into_owned();
            live.insert(path.clone(), lineages.len());
            lineages.push(Lineage {
                path,
                last: None,
                first: 0,
                changes: Vec::new(),
            });
        }
        Walk {
            commits: Vec::new(),
            lineages,
            live,
        }
    }

    /// Reads the `-z` output: per commit `\x1e<header>\0`, then `\n` and
    /// `:<mode> <mode> <blob> <blob> <status>\0<path>\0` entries (with `<source>\0` before the
    /// path for renames and copies).
    fn read_log(&mut self, log: &[u8]) -> Result<(), WorkspaceError> {
        let mut tokens = log.split(|&b| b == 0);
        let mut entries = Vec::new();
        while let Some(token) = tokens.next() {
            let token = token.strip_prefix(b"\n").unwrap_or(token);
            if let Some(header) = token.strip_prefix(&[COMMIT_MARKER]) {
                self.apply(&entries);
                entries.clear();
                self.commits.push(parse_header(header)?);
                continue;
            }
            if token.is_empty() {
                continue;
            }
            let raw = std::str::from_utf8(token)
                .ok()
                .and_then(|raw| raw.strip_prefix(':'))
                .map(|raw| raw.split(' ').collect::<Vec<_>>());
            let Some([_, _, old, new, letters]) = raw.as_deref() else {
                return Err(unexpected("log --raw", token));
            };
            let status = letters.bytes().next().unwrap_or_default();
            let mut path = || {
                tokens
                    .next()
                    .filter(|path| !path.is_empty())
                    .map(String::from_utf8_lossy)
                    .ok_or_else(|| unexpected("log --raw", token))
            };
            let first = path()?;
            let (source, path) = if matches!(status, b'R' | b'C') {
                (Some(first), path()?)
            } else {
                (None, first)
            };
            let entry = Entry {
                status,
                blobs: (old, new),
                source,
                path,
            };
            entries.push(entry);
        }
        self.apply(&entries);
        Ok(())
    }

    /// Applies the newest commit read to the lineages. All lookups happen before any update,
    /// so a commit that swaps two names is followed correctly.
    fn apply(&mut self, entries: &[Entry]) {
        let Some(commit) = self.commits.len().checked_sub(1) else {
            return;
        };
        let slots: Vec<Option<usize>> = entries
            .iter()
            .map(|entry| self.live.get(entry.path.as_ref()).copied())
            .collect();
        for (entry, slot) in entries.iter().zip(&slots) {
            let Some(index) = *slot else {
                continue;
            };
            // A deletion of a file that exists at `HEAD` can only come from a merged branch
            // whose deletion was undone; it is not the file's history.
            if entry.status == b'D' {
                continue;
            }
            let lineage = &mut self.lineages[index];
            lineage.last.get_or_insert(commit);
            lineage.first = commit;
            let (old, new) = entry.blobs;
            if matches!(entry.status, b'M' | b'R') && old != new {
                lineage
                    .changes
                    .push((commit, old.to_owned(), new.to_owned()));
            }
        }
        // Before a file was added, renamed or copied to its path, the path was free (or held a
        // file that was deleted since).
        for entry in entries {
            if matches!(entry.status, b'A' | b'R' | b'C') {
                self.live.remove(entry.path.as_ref());
            }
        }
        for (entry, slot) in entries.iter().zip(&slots) {
            if entry.status != b'R' {
                continue;
            }
            let Some(source) = &entry.source else {
                continue;
            };
            match slot {
                Some(index) => self.live.insert(source.clone().into_owned(), *index),
                None => self.live.remove(source.as_ref()),
            };
        }
    }

    /// The blobs before and after each change that are not in `known`, each once.
    fn blobs_not_in(&self, known: &HashMap<String, Option<String>>) -> Vec<String> {
        let mut wanted: Vec<String> = self
            .lineages
            .iter()
            .flat_map(|lineage| &lineage.changes)
            .flat_map(|(_, old, new)| [old, new])
            .filter(|blob| !known.contains_key(*blob))
            .cloned()
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        wanted
    }

    /// The histories, with each blob's status from `statuses`: a change whose blobs have the
    /// same status (or none) is not a status change.
    fn finish(
        self,
        root: &Path,
        statuses: &HashMap<String, Option<String>>,
    ) -> HashMap<PathBuf, FileHistory> {
        let commits = self.commits;
        let status = |blob: &String| statuses.get(blob).cloned().flatten();
        self.lineages
            .into_iter()
            .filter_map(|lineage| {
                let last = lineage.last?;
                let changes: Vec<(usize, Option<String>, Option<String>)> = lineage
                    .changes
                    .iter()
                    .map(|(commit, old, new)| (*commit, status(old), status(new)))
                    .filter(|(_, from, to)| from != to)
                    .collect();
                let first = commits[lineage.first].clone();
                let created_with = changes.last().and_then(|(_, from, _)| from.clone());
                let mut status_changes = vec![StatusChange {
                    commit: first.clone(),
                    from: None,
                    to: created_with,
                }];
                status_changes.extend(changes.into_iter().rev().map(|(commit, from, to)| {
                    StatusChange {
                        commit: commits[commit].clone(),
                        from,
                        to,
                    }
                }));
                let history = FileHistory {
                    first,
                    last: commits[last].clone(),
                    status_changes,
                };
                Some((root.join(&lineage.path), history))
            })
            .collect()
    }
}

/// `<hash>\t<unix seconds>\t<strict ISO 8601 author date>\t<author name>`.
fn parse_header(header: &[u8]) -> Result<CommitInfo, WorkspaceError> {
    let bad = || unexpected("log", header);
    let text = String::from_utf8_lossy(header);
    let mut fields = text.splitn(4, '\t');
    let (Some(hash), Some(seconds), Some(iso), Some(author)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(bad());
    };
    let timestamp: i64 = seconds.parse().map_err(|_| bad())?;
    // The date part of `%aI` is the day in the author's offset; a commit with a nonsensical
    // offset falls back to the UTC day.
    let date = iso
        .get(..10)
        .and_then(|day| day.parse::<Date>().ok())
        .or_else(|| {
            Timestamp::from_second(timestamp)
                .ok()
                .map(|instant| instant.to_zoned_datetime(TimeZone::UTC).date())
        })
        .ok_or_else(bad)?;
    Ok(CommitInfo {
        hash: hash.to_owned(),
        date,
        timestamp,
        author: author.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway repository; git's system and global settings are kept out of its commits.
    struct Repo {
        dir: tempfile::TempDir,
    }

    impl Repo {
        fn new() -> Self {
            let repo = Repo {
                dir: tempfile::tempdir().unwrap(),
            };
            repo.git(&["init", "-q", "-b", "main", "."]);
            repo
        }

        fn root(&self) -> &Path {
            self.dir.path()
        }

        fn git(&self, args: &[&str]) {
            self.git_as(args, "Tester", "2026-01-01T00:00:00+00:00");
        }

        fn git_as(&self, args: &[&str], author: &str, date: &str) {
            let status = Command::new("git")
                .current_dir(self.root())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_AUTHOR_NAME", author)
                .env("GIT_AUTHOR_EMAIL", "author@example.com")
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_NAME", author)
                .env("GIT_COMMITTER_EMAIL", "author@example.com")
                .env("GIT_COMMITTER_DATE", date)
                .args([
                    "-c",
                    "user.name=x",
                    "-c",
                    "user.email=y@example.com",
                    "-c",
                    "commit.gpgsign=false",
                    "-c",
                    "core.autocrlf=false",
                    "-c",
                    "core.hooksPath=/dev/null",
                ])
                .args(args)
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?} failed");
        }

        fn write(&self, path: &str, text: &str) {
            let path = self.root().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        fn commit(&self, author: &str, date: &str) {
            self.git(&["add", "-A"]);
            self.git_as(&["commit", "-q", "-m", "change"], author, date);
        }

        fn load(&self, dir: &str, cache: bool) -> History {
            History::load(&self.root().join(dir), "Status", cache)
                .unwrap()
                .unwrap()
        }

        /// The history without the cache, checked against a load that fills the cache and one
        /// that reads it.
        fn history(&self, dir: &str) -> History {
            let history = self.load(dir, false);
            for _ in 0..2 {
                assert_eq!(self.load(dir, true).files, history.files);
            }
            history
        }

        fn head(&self) -> String {
            let output = Command::new("git")
                .current_dir(self.root())
                .args(["rev-parse", "HEAD"])
                .output()
                .unwrap();
            String::from_utf8(output.stdout).unwrap().trim().to_owned()
        }

        /// The cache of the history of `specs`.
        fn cache(&self) -> LogCache {
            LogCache::new(&self.root().join(".git"), "specs/", &field_key("Status"))
        }

        fn get<'h>(&self, history: &'h History, path: &str) -> &'h FileHistory {
            history
                .get(&self.root().join(path))
                .unwrap_or_else(|| panic!("no history for {path}"))
        }
    }

    fn spec(status: &str, body: &str) -> String {
        format!(
            "# Spec\n\n## Front Matter\n- **Status:** {status}\n- **Team:** Core\n\n## Summary\n{body}\n"
        )
    }

    /// (date, author, from, to) of each status change.
    fn statuses(history: &FileHistory) -> Vec<(String, &str, Option<&str>, Option<&str>)> {
        history
            .status_changes
            .iter()
            .map(|change| {
                (
                    change.commit.date.to_string(),
                    change.commit.author.as_str(),
                    change.from.as_deref(),
                    change.to.as_deref(),
                )
            })
            .collect()
    }

    #[test]
    fn first_last_and_status_changes_with_authors_and_dates() {
        let repo = Repo::new();
        repo.write("specs/0001-a.md", &spec("Draft", "Text."));
        repo.commit("Ada", "2026-01-05T10:00:00+01:00");
        repo.write("specs/0001-a.md", &spec("Review", "Text."));
        repo.commit("Grace", "2026-02-10T09:00:00+00:00");
        // Late in the evening west of UTC: already 2026-03-02 in UTC.
        repo.write("specs/0001-a.md", &spec("Approved", "Text."));
        repo.commit("Lin", "2026-03-01T23:30:00-05:00");
        repo.write("specs/0001-a.md", &spec("Approved", "Text, fixed."));
        repo.commit("Ada", "2026-03-05T08:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(history.len(), 1);
        let file = repo.get(&history, "specs/0001-a.md");
        assert_eq!(file.first.author, "Ada");
        assert_eq!(file.first.date.to_string(), "2026-01-05");
        assert_eq!(file.first.timestamp, 1_767_603_600);
        assert_eq!(file.first.hash.len(), 40);
        assert_eq!(file.last.author, "Ada");
        assert_eq!(file.last.date.to_string(), "2026-03-05");
        assert_eq!(
            statuses(file),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-02-10".into(), "Grace", Some("Draft"), Some("Review")),
                ("2026-03-01".into(), "Lin", Some("Review"), Some("Approved")),
            ]
        );
        assert_eq!(file.status_changes[2].commit.timestamp, 1_772_425_800);
    }

    #[test]
    fn creation_status_is_unknown_when_it_never_changed() {
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "One."));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.write("specs/a.md", &spec("Draft", "Two."));
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");

        let history = repo.history("specs");
        let file = repo.get(&history, "specs/a.md");
        assert_eq!(file.first.author, "Ada");
        assert_eq!(file.last.author, "Grace");
        assert_eq!(
            statuses(file),
            vec![("2026-01-05".into(), "Ada", None, None)]
        );
    }

    #[test]
    fn renamed_file_keeps_its_history_under_its_new_name() {
        let repo = Repo::new();
        repo.write("specs/0007-a.md", &spec("Draft", "Text."));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.write("specs/0007-a.md", &spec("Review", "Text."));
        repo.commit("Grace", "2026-02-10T10:00:00+00:00");
        repo.git(&["mv", "specs/0007-a.md", "specs/0008-a.md"]);
        repo.commit("Lin", "2026-03-01T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(history.len(), 1);
        assert!(history.get(&repo.root().join("specs/0007-a.md")).is_none());
        let file = repo.get(&history, "specs/0008-a.md");
        assert_eq!(file.first.author, "Ada");
        assert_eq!(file.last.author, "Lin");
        assert_eq!(
            statuses(file),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-02-10".into(), "Grace", Some("Draft"), Some("Review")),
            ]
        );
    }

    #[test]
    fn rename_with_a_status_change_and_a_new_file_at_the_old_name() {
        let repo = Repo::new();
        let body = "Line of text.\n".repeat(30);
        repo.write("specs/old.md", &spec("Draft", &body));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.git(&["mv", "specs/old.md", "specs/new.md"]);
        repo.write("specs/new.md", &spec("Review", &body));
        repo.commit("Grace", "2026-02-10T10:00:00+00:00");
        repo.write("specs/old.md", &spec("Idea", "Other."));
        repo.commit("Lin", "2026-03-01T10:00:00+00:00");

        let history = repo.history("specs");
        let renamed = repo.get(&history, "specs/new.md");
        assert_eq!(
            statuses(renamed),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-02-10".into(), "Grace", Some("Draft"), Some("Review")),
            ]
        );
        assert_eq!(renamed.last.author, "Grace");
        let reused = repo.get(&history, "specs/old.md");
        assert_eq!(reused.first.author, "Lin");
        assert_eq!(reused.status_changes.len(), 1);
    }

    /// Git reports a swap of two names only with `-B`, which `load` does not pass (it would
    /// read every modified file); the walk still handles it, as it handles any two renames in
    /// one commit.
    #[test]
    fn swapped_names_follow_their_files() {
        let (a, b, none) = (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "0000000000000000000000000000000000000000",
        );
        let log = format!(
            "\x1enew\t3\t2026-01-07T10:00:00+00:00\tLin\0\n:100644 100644 {a} {a} R100\0a.md\0b.md\0\
            :100644 100644 {b} {b} R100\0b.md\0a.md\0\
            \x1emid\t2\t2026-01-06T10:00:00+00:00\tGrace\0\n:000000 100644 {none} {b} A\0b.md\0\
            \x1eold\t1\t2026-01-05T10:00:00+00:00\tAda\0\n:000000 100644 {none} {a} A\0a.md\0"
        );
        let mut walk = Walk::new(b"a.md\0b.md\0");
        walk.read_log(log.as_bytes()).unwrap();
        assert!(walk.blobs_not_in(&HashMap::new()).is_empty());
        let files = walk.finish(Path::new("/r"), &HashMap::new());
        assert_eq!(files[Path::new("/r/a.md")].first.author, "Grace");
        assert_eq!(files[Path::new("/r/b.md")].first.author, "Ada");
        assert_eq!(files[Path::new("/r/b.md")].last.author, "Lin");
    }

    #[test]
    fn deleted_and_readded_files() {
        let repo = Repo::new();
        repo.write("specs/gone.md", &spec("Draft", "x"));
        repo.write("specs/back.md", &spec("Draft", "x"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        std::fs::remove_file(repo.root().join("specs/gone.md")).unwrap();
        std::fs::remove_file(repo.root().join("specs/back.md")).unwrap();
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");
        repo.write("specs/back.md", &spec("Review", "y"));
        repo.commit("Lin", "2026-01-07T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(history.len(), 1);
        let back = repo.get(&history, "specs/back.md");
        assert_eq!(back.first.author, "Lin");
        assert_eq!(
            statuses(back),
            vec![("2026-01-07".into(), "Lin", None, None)]
        );
    }

    #[test]
    fn changes_merged_from_a_branch_count_for_their_own_commits() {
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "x"));
        repo.write("specs/b.md", &spec("Draft", "x"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.git(&["checkout", "-q", "-b", "feature"]);
        repo.write("specs/a.md", &spec("Review", "x"));
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");
        repo.git(&["checkout", "-q", "main"]);
        repo.write("specs/b.md", &spec("Draft", "y"));
        repo.commit("Lin", "2026-01-07T10:00:00+00:00");
        repo.git_as(
            &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
            "Merger",
            "2026-01-08T10:00:00+00:00",
        );

        let history = repo.history("specs");
        let a = repo.get(&history, "specs/a.md");
        assert_eq!(a.last.author, "Grace");
        assert_eq!(
            statuses(a),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-01-06".into(), "Grace", Some("Draft"), Some("Review")),
            ]
        );
        assert_eq!(repo.get(&history, "specs/b.md").last.author, "Lin");
    }

    #[test]
    fn yaml_front_matter() {
        let repo = Repo::new();
        repo.write(
            "specs/y.md",
            "---\ntitle: Y\nstatus: \"Draft\"\n---\n# Y\n\nText.\n",
        );
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.write(
            "specs/y.md",
            "---\ntitle: Y\nstatus: Accepted\n---\n# Y\n\nText.\n",
        );
        repo.commit("Grace", "2026-02-10T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(
            statuses(repo.get(&history, "specs/y.md")),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                (
                    "2026-02-10".into(),
                    "Grace",
                    Some("Draft"),
                    Some("Accepted")
                ),
            ]
        );
    }

    #[test]
    fn files_outside_the_folder_are_not_listed() {
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "x"));
        repo.write("README.md", "# Readme\n- Status: Draft\n");
        repo.write("other/b.md", &spec("Draft", "x"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(history.len(), 1);
        assert!(history.get(&repo.root().join("README.md")).is_none());
        assert!(history.get(&repo.root().join("other/b.md")).is_none());
        // A path spelled differently still finds the file.
        assert!(
            history
                .get(&repo.root().join("other/../specs/a.md"))
                .is_some()
        );
        assert_eq!(repo.history(".").len(), 3);
    }

    #[test]
    fn no_history_outside_git_or_before_the_first_commit() {
        let dir = tempfile::tempdir().unwrap();
        assert!(History::load(dir.path(), "Status", true).unwrap().is_none());
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "x"));
        assert!(
            History::load(repo.root(), "Status", true)
                .unwrap()
                .is_none()
        );
        let missing = History::load(&dir.path().join("missing"), "Status", true);
        assert!(matches!(missing, Err(WorkspaceError::NotFound { .. })));
    }

    #[test]
    fn one_commit_touching_three_files_counts_for_each() {
        let repo = Repo::new();
        for name in ["a", "b", "c"] {
            repo.write(&format!("specs/{name}.md"), &spec("Draft", name));
        }
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        for name in ["a", "b", "c"] {
            repo.write(&format!("specs/{name}.md"), &spec("Accepted", name));
        }
        repo.commit("Grace", "2026-02-10T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(history.len(), 3);
        for name in ["a", "b", "c"] {
            let file = repo.get(&history, &format!("specs/{name}.md"));
            assert_eq!(file.last.author, "Grace");
            assert_eq!(
                statuses(file),
                vec![
                    ("2026-01-05".into(), "Ada", None, Some("Draft")),
                    (
                        "2026-02-10".into(),
                        "Grace",
                        Some("Draft"),
                        Some("Accepted")
                    ),
                ]
            );
        }
    }

    #[test]
    fn dubious_ownership_is_said_with_gits_remedy() {
        let stderr = "fatal: detected dubious ownership in repository at '/srv/specs'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /srv/specs\n";
        assert_eq!(
            dubious_ownership(stderr).as_deref(),
            Some(
                "git refuses to read the repository at /srv/specs: it is owned by another user (\"dubious ownership\"); if you trust it, run `git config --global --add safe.directory /srv/specs`"
            )
        );
        assert_eq!(dubious_ownership("fatal: not a git repository\n"), None);
    }

    #[test]
    fn crlf_lines_and_unusual_paths() {
        let repo = Repo::new();
        let names = ["specs/crlf.md", "specs/with space é.md", "specs/q\"uote.md"];
        for name in names {
            repo.write(name, &spec("Draft", "x").replace('\n', "\r\n"));
        }
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        for name in names {
            repo.write(name, &spec("In Review", "x").replace('\n', "\r\n"));
        }
        repo.commit("Grace", "2026-02-10T10:00:00+00:00");

        let history = repo.history("specs");
        for name in names {
            assert_eq!(
                statuses(repo.get(&history, name)),
                vec![
                    ("2026-01-05".into(), "Ada", None, Some("Draft")),
                    (
                        "2026-02-10".into(),
                        "Grace",
                        Some("Draft"),
                        Some("In Review")
                    ),
                ],
                "{name}"
            );
        }
    }

    #[test]
    fn status_removed_and_added_again() {
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "x"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.write("specs/a.md", "# Spec\n\nNo fields.\n");
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");
        repo.write("specs/a.md", &spec("Review", "x"));
        repo.commit("Lin", "2026-01-07T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(
            statuses(repo.get(&history, "specs/a.md")),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-01-06".into(), "Grace", Some("Draft"), None),
                ("2026-01-07".into(), "Lin", None, Some("Review")),
            ]
        );
    }

    /// Two specs, a status change and a rename: enough for every part of both logs.
    fn repo_with_history() -> Repo {
        let repo = Repo::new();
        let body = "Line of text.\n".repeat(30);
        repo.write("specs/a.md", &spec("Draft", &body));
        repo.write("specs/b.md", &spec("Draft", "b"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.write("specs/a.md", &spec("Review", &body));
        repo.commit("Grace", "2026-02-10T10:00:00+00:00");
        repo
    }

    #[test]
    fn cached_loads_equal_an_uncached_load() {
        let repo = repo_with_history();
        let uncached = repo.load("specs", false);
        assert!(!repo.root().join(".git/specbook").exists());
        assert_eq!(repo.load("specs", true).files, uncached.files);
        assert_eq!(repo.load("specs", true).files, uncached.files);
        assert_eq!(uncached.len(), 2);
    }

    #[test]
    fn new_commits_extend_the_cache() {
        let repo = repo_with_history();
        repo.load("specs", true);
        let body = "Line of text.\n".repeat(30);
        repo.git(&["mv", "specs/a.md", "specs/c.md"]);
        repo.write("specs/c.md", &spec("Approved", &body));
        repo.commit("Lin", "2026-03-01T10:00:00+00:00");
        repo.write("README.md", "Outside the folder.\n");
        repo.commit("Lin", "2026-03-02T10:00:00+00:00");

        let uncached = repo.load("specs", false);
        assert_eq!(repo.load("specs", true).files, uncached.files);
        assert_eq!(
            statuses(repo.get(&uncached, "specs/c.md")).last(),
            Some(&("2026-03-01".into(), "Lin", Some("Review"), Some("Approved")))
        );
        // What was cached and what git printed since make exactly the log of the whole history,
        // and each blob's status is what the blob says.
        let (commit, cached) = repo.cache().read().unwrap();
        assert_eq!(commit, repo.head());
        let full = Logs::run(repo.root(), &commit, "specs/").unwrap();
        assert_eq!(cached.names, full.names);
        let blobs: Vec<String> = cached.statuses.keys().cloned().collect();
        assert_eq!(blobs.len(), 3, "{:?}", cached.statuses);
        let read = blob_statuses(repo.root(), &blobs, "status").unwrap();
        assert_eq!(cached.statuses, read);
    }

    /// The cache is trusted: a cache for `HEAD` that says Bob where git says Ada shows Bob, and
    /// still does once a commit is added on top. Rewriting history drops it.
    #[test]
    fn the_cache_is_reused_until_history_is_rewritten() {
        let repo = repo_with_history();
        repo.load("specs", true);
        let cache = repo.cache();
        let (commit, mut logs) = cache.read().unwrap();
        let names = String::from_utf8(logs.names).unwrap().replace("Ada", "Bob");
        logs.names = names.into_bytes();
        cache.write(&commit, &logs).unwrap();
        let first = |history: &History| repo.get(history, "specs/a.md").first.author.clone();
        assert_eq!(first(&repo.load("specs", true)), "Bob");

        repo.write("specs/b.md", &spec("Review", "b"));
        repo.commit("Lin", "2026-03-01T10:00:00+00:00");
        let extended = repo.load("specs", true);
        assert_eq!(first(&extended), "Bob");
        assert_eq!(repo.get(&extended, "specs/b.md").last.author, "Lin");

        repo.write("specs/b.md", &spec("Approved", "b"));
        repo.git(&["add", "-A"]);
        repo.git_as(
            &["commit", "-q", "--amend", "--reset-author", "-m", "amended"],
            "Zoe",
            "2026-04-01T10:00:00+00:00",
        );
        let uncached = repo.load("specs", false);
        let rewritten = repo.load("specs", true);
        assert_eq!(rewritten.files, uncached.files);
        assert_eq!(first(&rewritten), "Ada");
        assert_eq!(
            statuses(repo.get(&rewritten, "specs/b.md")).last(),
            Some(&("2026-04-01".into(), "Zoe", Some("Draft"), Some("Approved")))
        );
    }

    #[test]
    fn amended_head_is_read_again() {
        let repo = repo_with_history();
        repo.load("specs", true);
        repo.git_as(
            &["commit", "-q", "--amend", "--reset-author", "-m", "amended"],
            "Grace",
            "2026-02-11T10:00:00+00:00",
        );
        let uncached = repo.load("specs", false);
        assert_eq!(repo.load("specs", true).files, uncached.files);
        assert_eq!(
            repo.get(&uncached, "specs/a.md").last.date.to_string(),
            "2026-02-11"
        );
    }

    /// Git's log of a merge that kept one side's files leaves out the other side, so the log
    /// of the new commits followed by the cached log would say too much.
    #[test]
    fn merge_after_the_cached_head_is_read_again() {
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "x"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.git(&["checkout", "-q", "-b", "feature"]);
        repo.write("specs/a.md", &spec("Review", "x"));
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");
        repo.git(&["checkout", "-q", "main"]);
        repo.write("specs/a.md", &spec("Done", "x"));
        repo.commit("Lin", "2026-01-07T10:00:00+00:00");
        repo.load("specs", true);
        repo.git(&[
            "merge", "-q", "-s", "ours", "--no-ff", "-m", "merge", "feature",
        ]);
        repo.git(&["checkout", "-q", "feature", "--", "specs"]);
        repo.git_as(
            &["commit", "-q", "--amend", "-m", "merge"],
            "Merger",
            "2026-01-08T10:00:00+00:00",
        );

        let uncached = repo.load("specs", false);
        assert_eq!(repo.load("specs", true).files, uncached.files);
        assert_eq!(
            statuses(repo.get(&uncached, "specs/a.md")),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-01-06".into(), "Grace", Some("Draft"), Some("Review")),
            ]
        );
    }

    #[test]
    fn damaged_caches_are_ignored_and_replaced() {
        let repo = repo_with_history();
        let uncached = repo.load("specs", false);
        repo.load("specs", true);
        let path = repo.cache().path;
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let damaged = [
            b"\0\xff garbage\nspecbook-history v1".to_vec(),
            good[..good.len() - 1].to_vec(),
            flipped,
            Vec::new(),
        ];
        for bytes in damaged {
            std::fs::write(&path, &bytes).unwrap();
            assert!(repo.cache().read().is_none());
            assert_eq!(repo.load("specs", true).files, uncached.files);
            assert_eq!(std::fs::read(&path).unwrap(), good);
        }
    }

    #[test]
    fn an_unwritable_cache_is_skipped() {
        let repo = repo_with_history();
        // A file where the cache folder should be.
        std::fs::write(repo.root().join(".git/specbook"), "").unwrap();
        let uncached = repo.load("specs", false);
        assert_eq!(repo.load("specs", true).files, uncached.files);
    }

    #[test]
    fn the_cache_lives_in_the_git_folder_by_folder_and_pattern() {
        let repo = repo_with_history();
        repo.load("specs", true);
        repo.load(".", true);
        let folder = repo.root().join(".git/specbook");
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names.len(), 2);
        for name in &names {
            let hash = name.strip_prefix("history-v2-").unwrap();
            assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert!(repo.cache().path.starts_with(&folder));
        assert!(repo.cache().read().is_some());
    }

    #[test]
    fn fnv1a_is_the_standard_one() {
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            fnv1a(fnv1a(FNV_OFFSET, b"foo"), b"bar"),
            fnv1a(FNV_OFFSET, b"foobar")
        );
    }

    #[test]
    fn field_forms() {
        let key = field_key("Status");
        let value = |line: &str| field_value(line, &key);
        assert_eq!(value("- **Status:** Draft").as_deref(), Some("Draft"));
        assert_eq!(value("* **Status**: Draft").as_deref(), Some("Draft"));
        assert_eq!(value("+ __Status:__ Draft").as_deref(), Some("Draft"));
        assert_eq!(value("- Status: Draft").as_deref(), Some("Draft"));
        assert_eq!(value("status: \"Draft\"").as_deref(), Some("Draft"));
        assert_eq!(value("STATUS: 'In Review'\r").as_deref(), Some("In Review"));
        assert_eq!(value("\u{feff}- Status: Draft").as_deref(), Some("Draft"));
        assert_eq!(value("- **Status:** **Draft**").as_deref(), Some("Draft"));
        assert_eq!(value("- **Status:** `Draft`").as_deref(), Some("Draft"));
        assert_eq!(value("- **Status:**"), None);
        assert_eq!(value("- **Status:** \"\""), None);
        assert_eq!(value("- **Statuses:** Draft"), None);
        assert_eq!(value("- **Team:** Draft"), None);
        assert_eq!(value("The status: fine"), None);
    }

    #[test]
    fn the_status_is_the_first_field_outside_code_blocks() {
        let status = |text: &str| first_status(text.as_bytes(), "status");
        assert_eq!(
            status("# A\n\n- **Status:** Draft\n\nstatus: later\n").as_deref(),
            Some("Draft")
        );
        assert_eq!(
            status("---\ntitle: x\nstatus: Final\n---\n").as_deref(),
            Some("Final")
        );
        let fenced = "```yaml\nstatus: active\n```\n- Status: Review\n";
        assert_eq!(status(fenced).as_deref(), Some("Review"));
        let long = "````\n```\nstatus: a\n```\nstatus: b\n````\nStatus: c\n";
        assert_eq!(status(long).as_deref(), Some("c"));
        assert_eq!(
            status("~~~\nstatus: a\n~~~\r\nStatus: d\r\n").as_deref(),
            Some("d")
        );
        // Indented by four spaces: code, not a fence.
        assert_eq!(status("    ```\nStatus: e\n").as_deref(), Some("e"));
        assert_eq!(status("```\nstatus: never closed\n"), None);
        // An HTML comment and an indented code block, as the checker's scanner sees them.
        let hidden = "<!--\nStatus: hidden\n-->\nText.\n\n    status: code\n\nStatus: f\n";
        assert_eq!(status(hidden).as_deref(), Some("f"));
        assert_eq!(first_status(b"No fields.\n\xff\xfe: x\n", "status"), None);
        assert_eq!(status(""), None);
    }

    /// A change to a `status:` line inside a code block, and a change of the body alone, are
    /// not status changes; the same commit's change of the real field is.
    #[test]
    fn only_the_status_field_makes_a_status_change() {
        let repo = Repo::new();
        let example = |state: &str| format!("Example:\n\n```yaml\nstatus: {state}\n```\n");
        repo.write("specs/a.md", &spec("Draft", &example("active")));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.write("specs/a.md", &spec("Draft", &example("paused")));
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");
        repo.write("specs/a.md", &spec("Review", &example("stopped")));
        repo.commit("Lin", "2026-01-07T10:00:00+00:00");

        let history = repo.history("specs");
        assert_eq!(
            statuses(repo.get(&history, "specs/a.md")),
            vec![
                ("2026-01-05".into(), "Ada", None, Some("Draft")),
                ("2026-01-07".into(), "Lin", Some("Draft"), Some("Review")),
            ]
        );
        assert_eq!(repo.get(&history, "specs/a.md").last.author, "Lin");
    }

    /// The blobs of the new commits are read once HEAD moves; those of the cached ones are not
    /// read again.
    #[test]
    fn the_cache_keeps_the_blobs_it_read() {
        let repo = repo_with_history();
        repo.load("specs", true);
        let (_, before) = repo.cache().read().unwrap();
        assert_eq!(before.statuses.len(), 2, "{:?}", before.statuses);
        assert!(before.statuses.values().flatten().any(|s| s == "Review"));
        repo.write("specs/b.md", &spec("Approved", "b"));
        repo.commit("Lin", "2026-03-01T10:00:00+00:00");
        repo.load("specs", true);
        let (_, after) = repo.cache().read().unwrap();
        assert_eq!(after.statuses.len(), 4);
        assert!(
            before
                .statuses
                .iter()
                .all(|(k, v)| after.statuses.get(k) == Some(v))
        );
        // A status the cache says wins: nothing is read again.
        let (commit, mut logs) = repo.cache().read().unwrap();
        for status in logs.statuses.values_mut() {
            if status.as_deref() == Some("Approved") {
                *status = Some("Cached".into());
            }
        }
        repo.cache().write(&commit, &logs).unwrap();
        assert_eq!(
            statuses(repo.get(&repo.load("specs", true), "specs/b.md")).last(),
            Some(&("2026-03-01".into(), "Lin", Some("Draft"), Some("Cached")))
        );
    }

    /// A history read in two halves is exactly the history read at once: with renames, status
    /// changes and a merge before the linear run, at every split.
    #[test]
    fn a_history_read_in_two_halves_is_the_whole_log() {
        let repo = Repo::new();
        repo.write("specs/a.md", &spec("Draft", "x"));
        repo.commit("Ada", "2026-01-05T10:00:00+00:00");
        repo.git(&["checkout", "-q", "-b", "feature"]);
        repo.write("specs/b.md", &spec("Draft", "b"));
        repo.commit("Grace", "2026-01-06T10:00:00+00:00");
        repo.git(&["checkout", "-q", "main"]);
        for hour in 10..18 {
            let status = if hour % 2 == 0 { "Review" } else { "Draft" };
            repo.write("specs/a.md", &spec(status, "x"));
            repo.commit("Lin", &format!("2026-01-07T{hour}:00:00+00:00"));
        }
        repo.git_as(
            &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
            "Merger",
            "2026-01-08T10:00:00+00:00",
        );
        for day in 10..12 {
            let status = if day % 2 == 0 { "Approved" } else { "Review" };
            repo.write("specs/a.md", &spec(status, &format!("day {day}")));
            if day == 11 {
                repo.git(&["mv", "specs/b.md", "specs/c.md"]);
            }
            repo.commit("Zoe", &format!("2026-01-{day}T10:00:00+00:00"));
        }
        let commit = repo.head();
        let whole = Logs::run(repo.root(), &commit, "specs/").unwrap();
        // 13 commits: the middle would be the fourth, but the run of one-parent commits ends
        // at the merge, the third.
        let middle = split_point(repo.root(), &commit, 2).unwrap();
        let merge = Command::new("git")
            .current_dir(repo.root())
            .args(["rev-parse", "HEAD~2"])
            .output()
            .unwrap();
        assert_eq!(middle, String::from_utf8_lossy(&merge.stdout).trim());
        let halves = Logs::run_whole(repo.root(), &commit, "specs/", 2).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&halves.names),
            String::from_utf8_lossy(&whole.names)
        );
        // Too short to split; and a merge at HEAD has no commit after it to split at.
        assert_eq!(split_point(repo.root(), &commit, 100), None);
        repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
        repo.write("specs/d.md", &spec("Draft", "d"));
        repo.commit("Ada", "2026-01-20T10:00:00+00:00");
        repo.git(&["checkout", "-q", "main"]);
        repo.git_as(
            &["merge", "-q", "--no-ff", "-m", "merge", "side"],
            "Merger",
            "2026-01-21T10:00:00+00:00",
        );
        assert_eq!(split_point(repo.root(), &repo.head(), 2), None);
    }

    #[test]
    fn serializes_dates_as_iso_days() {
        let commit = CommitInfo {
            hash: "abc".into(),
            date: jiff::civil::date(2026, 1, 5),
            timestamp: 1,
            author: "Ada".into(),
        };
        let value = toml::Value::try_from(&commit).unwrap();
        assert_eq!(value["date"].as_str(), Some("2026-01-05"));
    }
}
