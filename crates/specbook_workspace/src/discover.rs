//! Which files are specs: the configured sources (folders and glob patterns) or the paths
//! given on the command line, walked for Markdown; and which files were left out, and why.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{GlobBuilder, GlobMatcher};
use ignore::{WalkBuilder, WalkState};

use crate::WorkspaceError;
use crate::catalog::{is_folder_spec, lexical, spec_id};

/// A glob pattern over paths relative to a folder (the configuration's): `*` stays within a
/// folder, `**` crosses folders.
#[derive(Clone, Debug)]
pub struct PathPattern {
    /// As written, for messages.
    pub written: String,
    root: PathBuf,
    matcher: GlobMatcher,
}

impl PathPattern {
    /// `pattern` relative to `root`.
    pub fn new(root: &Path, pattern: &str) -> Result<Self, String> {
        let trimmed = pattern.trim().trim_start_matches("./");
        let matcher = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .build()
            .map_err(|error| format!("`{pattern}` is not a valid pattern: {error}"))?
            .compile_matcher();
        Ok(Self {
            written: pattern.to_owned(),
            root: root.to_path_buf(),
            matcher,
        })
    }

    /// Whether `path` (as the walk or the user gave it) matches.
    #[must_use]
    pub fn matches(&self, path: &Path) -> bool {
        let path = lexical(path);
        let root = lexical(&self.root);
        path.strip_prefix(&root)
            .is_ok_and(|relative| self.matcher.is_match(relative))
    }

    /// The same pattern with its folder shortened by `shorten` (relative to the current
    /// folder), as the paths it is matched against are.
    #[must_use]
    pub fn map_paths(self, shorten: impl Fn(PathBuf) -> PathBuf) -> Self {
        Self {
            root: shorten(self.root),
            ..self
        }
    }
}

/// One entry of `specs` in specbook.toml: a folder walked for `*.md`, or a glob pattern
/// (`keps/*/*/README.md`, `spec/**/README.md`) matched against paths relative to the
/// configuration's folder. `*` stays within a folder; `**` crosses folders.
#[derive(Clone, Debug)]
pub struct Source {
    /// As written, for messages.
    pub written: String,
    /// The folder walked: the folder itself, or the pattern's leading literal folders.
    pub base: PathBuf,
    pattern: Option<PathPattern>,
}

/// A Markdown file a walk found and did not take as a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: &'static str,
}

/// The specs a walk found, sorted and without duplicates, and the files it left out.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
    /// Folders and files the walk could not read, with why: reported, the rest is checked.
    pub unreadable: Vec<(PathBuf, String)>,
}

const README_REASON: &str = "a README.md whose folder has no number introduces the folder; it is not a spec (name it in `specs` with a pattern to check it)";
const TEMPLATE_REASON: &str = "the template in use";
const INDEX_REASON: &str =
    "the catalog `specbook index` writes (it holds the index markers); it is not a spec";

/// Why a Markdown file named on the command line is not a spec, if it is not: a README that
/// introduces an unnumbered folder, or the index `specbook index` writes. A pre-commit hook
/// passes every changed Markdown file; these would fail every check.
fn not_a_spec(path: &Path) -> Option<&'static str> {
    // Only a regular file of reasonable size is looked into; the reader reports the rest.
    not_a_spec_text(path, || crate::input::read(path).ok().map(Cow::Owned))
}

/// [`not_a_spec`] for a file whose text an editor holds (`specbook lsp`).
#[must_use]
pub fn not_a_spec_with_text(path: &Path, text: &str) -> Option<&'static str> {
    not_a_spec_text(path, || Some(Cow::Borrowed(text.as_bytes())))
}

/// Why the Markdown file at `path` is not a spec; `text` gives its bytes when the name does
/// not tell.
fn not_a_spec_text<'t>(
    path: &Path,
    text: impl FnOnce() -> Option<Cow<'t, [u8]>>,
) -> Option<&'static str> {
    let is_markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if !is_markdown {
        return None;
    }
    if is_folder_spec(path) && spec_id(path).is_none() {
        return Some(README_REASON);
    }
    let text = text()?;
    memchr::memmem::find(&text, crate::listing::INDEX_START.as_bytes()).map(|_| INDEX_REASON)
}

fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

impl Source {
    /// A source as written in the configuration file in folder `root`.
    pub fn new(root: &Path, written: &str) -> Result<Self, String> {
        let trimmed = written.trim().trim_start_matches("./");
        if trimmed.is_empty() {
            return Err("specs: an entry is empty; write a folder or a pattern such as \"specs\" or \"text/*.md\"".to_owned());
        }
        if !is_glob(trimmed) {
            return Ok(Self {
                written: written.to_owned(),
                base: root.join(trimmed),
                pattern: None,
            });
        }
        let literal: Vec<&str> = trimmed
            .split('/')
            .take_while(|part| !is_glob(part))
            .collect();
        // The last literal part of `spec/README.md`-like patterns is a file, not a folder.
        let parts = trimmed.split('/').count();
        let literal = &literal[..literal.len().min(parts - 1)];
        let base = literal
            .iter()
            .fold(root.to_path_buf(), |p, part| p.join(part));
        let pattern = PathPattern::new(root, written).map_err(|error| format!("specs: {error}"))?;
        Ok(Self {
            written: written.to_owned(),
            base,
            pattern: Some(pattern),
        })
    }

    /// A folder or file named on the command line.
    #[must_use]
    pub fn path(path: &Path) -> Self {
        Self {
            written: path.display().to_string(),
            base: path.to_path_buf(),
            pattern: None,
        }
    }

    /// Whether this is a glob pattern rather than a folder.
    #[must_use]
    pub fn is_pattern(&self) -> bool {
        self.pattern.is_some()
    }

    /// The same source with its paths shortened by `shorten` (relative to the current folder).
    #[must_use]
    pub fn map_paths(self, shorten: impl Fn(PathBuf) -> PathBuf) -> Self {
        Self {
            pattern: self.pattern.map(|p| p.map_paths(&shorten)),
            base: shorten(self.base),
            ..self
        }
    }

    /// The file name of a one-folder-per-spec pattern (`README.md` of `rfd/*/README.md`):
    /// where `new` puts a spec in its own folder.
    #[must_use]
    pub fn folder_file(&self) -> Option<&str> {
        let pattern = self.pattern.as_ref()?;
        let text = pattern.written.trim().trim_start_matches("./");
        let (folders, file) = text.rsplit_once('/')?;
        let base_part = folders
            .strip_suffix("/*")
            .or(folders.strip_prefix('*').filter(|r| r.is_empty()))?;
        let is_literal = !is_glob(base_part) && !is_glob(file);
        (is_literal && is_folder_spec(Path::new(file))).then_some(file)
    }

    /// Whether this source takes the Markdown file at `path` (which need not exist yet).
    #[must_use]
    pub fn would_take(&self, path: &Path) -> bool {
        lexical(path).starts_with(lexical(&self.base)) && self.selects(path)
    }

    /// Whether the pattern (if any) selects `path`, a path found under [`Source::base`].
    fn selects(&self, path: &Path) -> bool {
        self.pattern.as_ref().is_none_or(|p| p.matches(path))
    }

    /// The nearest folder that exists at or above the source's base, for hints.
    fn nearest_existing(&self) -> Option<PathBuf> {
        self.base
            .ancestors()
            .find(|p| !p.as_os_str().is_empty() && p.is_dir())
            .map(Path::to_path_buf)
    }
}

/// The specs of the configured `sources`. A source that matches no file is an error naming
/// it and the nearest folder that exists; an existing empty folder is not (a new project).
pub fn discover_sources(
    sources: &[Source],
    skip: &[PathBuf],
    config: &Path,
) -> Result<Discovered, WorkspaceError> {
    let skip_canonical = canonical(skip);
    let mut found = Discovered::default();
    for source in sources {
        let no_match = |what: &str| {
            let hint = source.nearest_existing().map_or_else(
                || " (no folder of it exists)".to_owned(),
                |folder| {
                    format!(
                        "; the nearest existing folder is {}",
                        display_folder(&folder)
                    )
                },
            );
            WorkspaceError::Config {
                path: config.to_path_buf(),
                message: format!("specs: `{}` {what}{hint}", source.written),
            }
        };
        if !source.base.exists() {
            return Err(no_match(if source.is_pattern() {
                "matches no file"
            } else {
                "does not exist"
            }));
        }
        let before = found.files.len();
        walk_into(source, &skip_canonical, &mut found);
        if source.is_pattern() && found.files.len() == before {
            return Err(no_match("matches no file"));
        }
    }
    finish(&mut found, sources.len() > 1);
    Ok(found)
}

fn display_folder(folder: &Path) -> String {
    let shown = folder.display().to_string();
    if shown.ends_with('/') {
        shown
    } else {
        format!("{shown}/")
    }
}

fn canonical(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter_map(|p| p.canonicalize().ok()).collect()
}

/// The specs under `paths` as given on the command line: files as they are, folders walked.
/// `skip` (the templates in use) is left out of walks; files named explicitly are kept.
pub fn discover(paths: &[PathBuf], skip: &[PathBuf]) -> Result<Discovered, WorkspaceError> {
    let skip_canonical = canonical(skip);
    let mut found = Discovered::default();
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
            walk_into(&Source::path(path), &skip_canonical, &mut found);
        } else if let Some(reason) = not_a_spec(path) {
            // Named, but still not a spec: said, and checked only when asked (`--no-skip`).
            found.skipped.push(Skipped {
                path: clean(path),
                reason,
            });
        } else {
            found.files.push(clean(path));
        }
    }
    finish(&mut found, paths.len() > 1);
    Ok(found)
}

/// Every Markdown file under `paths`, READMEs included: where links to a spec may be.
pub fn discover_markdown(
    paths: &[PathBuf],
    skip: &[PathBuf],
) -> Result<Vec<PathBuf>, WorkspaceError> {
    let mut found = discover(paths, skip)?;
    found.files.extend(found.skipped.drain(..).map(|s| s.path));
    finish(&mut found, true);
    Ok(found.files)
}

fn finish(found: &mut Discovered, several: bool) {
    found.files.sort();
    found.files.dedup();
    // `specs` and `/abs/specs` name the same files: keep the first spelling of each.
    if several {
        let mut seen = std::collections::HashSet::new();
        found
            .files
            .retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    }
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    found.skipped.dedup();
    // A file one source skips and another takes is not skipped.
    found
        .skipped
        .retain(|s| found.files.binary_search(&s.path).is_err());
}

fn walk_into(source: &Source, skip: &[PathBuf], found: &mut Discovered) {
    let files = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let lock = "no panics while holding the lock";
    WalkBuilder::new(&source.base)
        .require_git(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        let path = entry.path();
                        // Anything but a folder: a symlink or a FIFO named like a spec is
                        // taken, and the bounded reader says what it is.
                        let is_markdown = entry.file_type().is_some_and(|t| !t.is_dir())
                            && path.extension().is_some_and(|e| {
                                e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                            });
                        if is_markdown && source.selects(path) {
                            let is_template = !skip.is_empty()
                                && path.canonicalize().is_ok_and(|p| skip.contains(&p));
                            // A pattern names its files; a folder walk takes a README only
                            // when its folder carries the spec's number.
                            let introduction = !source.is_pattern()
                                && is_folder_spec(path)
                                && spec_id(path).is_none();
                            if is_template || introduction {
                                skipped.lock().expect(lock).push(Skipped {
                                    path: clean(path),
                                    reason: if is_template {
                                        TEMPLATE_REASON
                                    } else {
                                        README_REASON
                                    },
                                });
                            } else {
                                files.lock().expect(lock).push(clean(path));
                            }
                        }
                    }
                    Err(error) => errors.lock().expect(lock).push(error),
                }
                WalkState::Continue
            })
        });
    // A folder or file that cannot be read is reported as such; the walk goes on.
    for error in errors.into_inner().expect(lock) {
        let (path, message) = walk_error(&error, &source.base);
        found.unreadable.push((clean(&path), message));
    }
    found.files.extend(files.into_inner().expect(lock));
    found.skipped.extend(skipped.into_inner().expect(lock));
}

/// The path a walk error is about (else the walk's base) and what went wrong, in words.
fn walk_error(error: &ignore::Error, base: &Path) -> (PathBuf, String) {
    match error {
        ignore::Error::WithPath { path, err } => (path.clone(), walk_error(err, base).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err, base)
        }
        ignore::Error::Partial(errors) if !errors.is_empty() => walk_error(&errors[0], base),
        ignore::Error::Io(error) => (base.to_path_buf(), io_message(error)),
        ignore::Error::Loop { child, .. } => {
            (child.clone(), "a symlink loop; not followed".to_owned())
        }
        other => (base.to_path_buf(), other.to_string()),
    }
}

/// `permission denied` rather than `Permission denied (os error 13)`.
fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        _ => error.to_string(),
    }
}

/// `./specs/a.md` -> `specs/a.md`, for display.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# x\n").unwrap();
        }
        dir
    }

    fn names(root: &Path, files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn walks_markdown_respecting_gitignore() {
        let dir = tree(&[
            "specs/b.md",
            "specs/a.MD",
            "specs/old/c.md",
            "ignored/d.md",
            "specs/notes.txt",
            "t.md",
        ]);
        let root = dir.path();
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let found = discover(&[root.to_path_buf()], &[root.join("t.md")]).unwrap();
        assert_eq!(
            names(root, &found.files),
            vec!["specs/a.MD", "specs/b.md", "specs/old/c.md"]
        );
        assert_eq!(names(root, &[found.skipped[0].path.clone()]), vec!["t.md"]);
    }

    #[test]
    fn readmes_are_specs_when_their_folder_is_numbered() {
        let dir = tree(&[
            "text/README.md",
            "text/0001-flat.md",
            "text/0002-folder/README.md",
            "text/0002-folder/diagram.md",
            "rfd/0042/README.md",
            "rfd/README.md",
        ]);
        let root = dir.path();
        let found = discover(&[root.to_path_buf()], &[]).unwrap();
        assert_eq!(
            names(root, &found.files),
            vec![
                "rfd/0042/README.md",
                "text/0001-flat.md",
                "text/0002-folder/README.md",
                "text/0002-folder/diagram.md",
            ]
        );
        let skipped: Vec<PathBuf> = found.skipped.iter().map(|s| s.path.clone()).collect();
        assert_eq!(
            names(root, &skipped),
            vec!["rfd/README.md", "text/README.md"]
        );
        assert!(found.skipped[0].reason.contains("introduces the folder"));
    }

    #[test]
    fn patterns_select_files_under_their_literal_folder() {
        let dir = tree(&[
            "keps/sig-node/2625-cpu/README.md",
            "keps/sig-node/2625-cpu/kep.yaml.md",
            "keps/README.md",
            "spec/core/ics-002-client/README.md",
            "spec/core/ics-002-client/UPGRADES.md",
            "spec/README.md",
        ]);
        let root = dir.path();
        let sources = [
            Source::new(root, "keps/*/*/README.md").unwrap(),
            Source::new(root, "spec/**/README.md").unwrap(),
        ];
        assert_eq!(sources[0].base, root.join("keps"));
        let found = discover_sources(&sources, &[], &root.join("specbook.toml")).unwrap();
        assert_eq!(
            names(root, &found.files),
            vec![
                "keps/sig-node/2625-cpu/README.md",
                "spec/README.md",
                "spec/core/ics-002-client/README.md",
            ]
        );
        assert!(found.skipped.is_empty());
    }

    #[test]
    fn a_source_matching_nothing_is_an_error_with_a_hint() {
        let dir = tree(&["keps/x.md"]);
        let root = dir.path();
        let config = root.join("specbook.toml");
        let error = discover_sources(
            &[Source::new(root, "keps/*/README.md").unwrap()],
            &[],
            &config,
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("`keps/*/README.md` matches no file"),
            "{error}"
        );
        assert!(error.contains("the nearest existing folder is"), "{error}");
        assert!(error.contains("keps/"), "{error}");
        let error = discover_sources(&[Source::new(root, "proposals").unwrap()], &[], &config)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`proposals` does not exist"), "{error}");
        std::fs::create_dir(root.join("empty")).unwrap();
        let found = discover_sources(&[Source::new(root, "empty").unwrap()], &[], &config).unwrap();
        assert!(found.files.is_empty());
        assert!(Source::new(root, "text/[").is_err());
    }

    #[test]
    fn one_folder_per_spec_patterns() {
        let root = Path::new("/r");
        let folder = |p: &str| {
            Source::new(root, p)
                .unwrap()
                .folder_file()
                .map(str::to_owned)
        };
        assert_eq!(folder("rfd/*/README.md").as_deref(), Some("README.md"));
        assert_eq!(folder("*/README.md").as_deref(), Some("README.md"));
        assert_eq!(folder("keps/*/*/README.md"), None);
        assert_eq!(folder("text/*.md"), None);
        assert_eq!(folder("text"), None);
        let source = Source::new(root, "EIPS/eip-*.md").unwrap();
        assert!(source.would_take(Path::new("/r/EIPS/eip-7.md")));
        assert!(!source.would_take(Path::new("/r/EIPS/0007-x.md")));
        assert!(
            Source::new(root, "specs")
                .unwrap()
                .would_take(Path::new("/r/specs/0001-x.md"))
        );
    }

    #[test]
    fn missing_path_is_named() {
        let error = discover(&[PathBuf::from("no/such/dir")], &[]).unwrap_err();
        assert_eq!(error.to_string(), "no/such/dir: no such file or directory");
    }
}
