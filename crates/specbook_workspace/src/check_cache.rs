//! What checking each spec found, kept between runs in specbook's state folder: a spec whose
//! text, sidecar, git facts and path are what they were, checked by the same program with the
//! same templates and settings, is not parsed and linted again.
//!
//! Every spec is still read: an entry is found by the hash of the text as it is now, never by
//! a file's size or date, so a cached finding is always the finding of the text on disk.

use std::collections::HashMap;
use std::hash::{BuildHasher as _, Hasher};
use std::io::{BufRead as _, Read as _, Write as _};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use bincode::Options as _;
use serde::{Deserialize, Serialize};
use specbook_diagnostics::{FileReport, Located, LocatedFix, Severity};
use specbook_linter::GitFacts;
use specbook_markdown::Schema;

use crate::catalog::{SpecFacts, SpecMeta};
use crate::check::{Checker, Sidecar};
use crate::write::StateDir;

/// The first line of the file; another program's format is simply not read.
const MAGIC: &str = "specbook-check-cache v1";

/// The largest cache file read (a corrupt length must not allocate without bound).
const MAX_CACHE: u64 = 1 << 30;

/// The file name under specbook's state folder ([`crate::state_dir`]).
pub const CHECK_CACHE: &str = "check-v1.bin";

/// The findings and facts of the specs checked before, and those checked in this run.
pub struct CheckCache {
    state: StateDir,
    /// Of the program, the checker and its inputs: a cache of another key is not used.
    key: u64,
    /// The folder the run started in: a relative path names another file elsewhere. Entries
    /// are by absolute path, and keyed by the path as shown too (the output shows it).
    cwd: std::path::PathBuf,
    old: HashMap<String, (Stored, AtomicBool)>,
    fresh: Mutex<Vec<(String, Stored)>>,
}

/// The file as written: the checker's key and one entry per spec path.
#[derive(Serialize, Deserialize)]
struct File {
    key: u64,
    entries: Vec<(String, Stored)>,
}

/// What checking one spec found, keyed by everything it was found from.
#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    key: u64,
    findings: Vec<Finding>,
    candidates: Vec<Finding>,
    meta: SpecMeta,
    /// [`SpecMeta::stub`], which its own serialisation (JSON output) leaves out.
    stub: bool,
}

/// A [`Located`] as stored: its rule by name, with the fields its JSON form leaves out.
#[derive(Clone, Serialize, Deserialize)]
struct Finding {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: String,
    severity: Severity,
    message: String,
    snippet: String,
    snippet_span: (usize, usize),
    fix: Option<LocatedFix>,
    file: Option<String>,
}

impl Finding {
    fn of(located: &Located) -> Self {
        Self {
            line: located.line,
            column: located.column,
            end_line: located.end_line,
            end_column: located.end_column,
            rule: located.rule.to_owned(),
            severity: located.severity,
            message: located.message.clone(),
            snippet: located.snippet.clone(),
            snippet_span: (located.snippet_span.start, located.snippet_span.end),
            fix: located.fix.clone(),
            file: located.file.clone(),
        }
    }

    /// The finding, when its rule is one this program has (else the spec is checked again).
    fn located(&self) -> Option<Located> {
        let rule = specbook_linter::rule(&self.rule)?.name;
        Some(Located {
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
            rule,
            severity: self.severity,
            message: self.message.clone(),
            snippet: self.snippet.clone(),
            snippet_span: self.snippet_span.0..self.snippet_span.1,
            fix: self.fix.clone(),
            file: self.file.clone(),
        })
    }
}

fn hasher() -> impl Hasher {
    foldhash::quality::FixedState::with_seed(0xc4ec_cac4).build_hasher()
}

fn options() -> impl bincode::Options {
    bincode::DefaultOptions::new().with_limit(MAX_CACHE)
}

impl CheckCache {
    /// The cache of the workspace at `root` (in its state folder, see [`crate::state_dir`])
    /// for `checker`, empty when there is none, it cannot be read or it was written for
    /// another program, checker or `inputs` (the program's identity and the bytes of the
    /// configuration and template files). `cwd` is the folder relative spec paths start from.
    #[must_use]
    pub fn open(root: &Path, checker: &Checker, inputs: &[&[u8]], cwd: &Path) -> Self {
        let state = StateDir::of(root);
        let path = state.dir.join(CHECK_CACHE);
        let key = checker_key(checker, inputs);
        let old = read(&path)
            .filter(|file| file.key == key)
            .map(|file| {
                file.entries
                    .into_iter()
                    .map(|(name, stored)| (name, (stored, AtomicBool::new(false))))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            state,
            key,
            cwd: cwd.to_path_buf(),
            old,
            fresh: Mutex::new(Vec::new()),
        }
    }

    /// The key of the spec shown as `path` with text hash `text_hash`, its sidecar and git's
    /// facts about it.
    pub(crate) fn key_of(
        path: &str,
        text_hash: u64,
        sidecar: Option<&Sidecar>,
        git: Option<&GitFacts>,
    ) -> u64 {
        let mut hasher = hasher();
        hasher.write_u64(path.len() as u64);
        hasher.write(path.as_bytes());
        hasher.write_u64(text_hash);
        match sidecar {
            Some(sidecar) => {
                hasher.write_u8(1);
                hasher.write_u64(sidecar.bytes.len() as u64);
                hasher.write(&sidecar.bytes);
                hasher.write(sidecar.error.as_deref().unwrap_or("").as_bytes());
            }
            None => hasher.write_u8(0),
        }
        match git {
            Some(git) => {
                hasher.write_u8(1);
                hasher.write(format!("{git:?}").as_bytes());
            }
            None => hasher.write_u8(0),
        }
        hasher.finish()
    }

    /// What checking the spec shown as `path` found, when it was checked with this `key`.
    pub(crate) fn get(
        &self,
        path: &str,
        key: u64,
        text_hash: u64,
    ) -> Option<(FileReport, SpecFacts)> {
        let (stored, used) = self.old.get(&self.name(path))?;
        if stored.key != key {
            return None;
        }
        let diagnostics = stored
            .findings
            .iter()
            .map(Finding::located)
            .collect::<Option<Vec<_>>>()?;
        let candidates = stored
            .candidates
            .iter()
            .map(Finding::located)
            .collect::<Option<Vec<_>>>()?;
        used.store(true, Ordering::Relaxed);
        let mut meta = stored.meta.clone();
        meta.stub = stored.stub;
        Some((
            FileReport {
                path: path.to_owned(),
                diagnostics,
            },
            SpecFacts {
                meta,
                candidates,
                text_hash: Some(text_hash),
            },
        ))
    }

    /// Keeps what checking the spec shown as `path` with `key` found.
    pub(crate) fn put(&self, path: &str, key: u64, report: &FileReport, facts: &SpecFacts) {
        let stored = Stored {
            key,
            findings: report.diagnostics.iter().map(Finding::of).collect(),
            candidates: facts.candidates.iter().map(Finding::of).collect(),
            meta: facts.meta.clone(),
            stub: facts.meta.stub,
        };
        let name = self.name(path);
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.push((name, stored));
        }
    }

    /// The name of the entry of the spec shown as `path`: its absolute path.
    fn name(&self, path: &str) -> String {
        self.cwd.join(path).to_string_lossy().into_owned()
    }

    /// How many specs of this run were found in the cache.
    #[must_use]
    pub fn hits(&self) -> usize {
        self.old
            .values()
            .filter(|(_, used)| used.load(Ordering::Relaxed))
            .count()
    }

    /// Writes the cache back when this run checked a spec it did not hold, replaced at once
    /// so that a run at the same time reads the old file or the new. Entries of specs this
    /// run did not check are kept while their files exist.
    pub fn save(self) -> std::io::Result<()> {
        let fresh = self.fresh.into_inner().unwrap_or_default();
        if fresh.is_empty() {
            return Ok(());
        }
        let mut entries: HashMap<String, Stored> = self
            .old
            .into_iter()
            .filter(|(path, (_, used))| used.load(Ordering::Relaxed) || Path::new(path).exists())
            .map(|(path, (stored, _))| (path, stored))
            .collect();
        entries.extend(fresh);
        let mut entries: Vec<(String, Stored)> = entries.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let bytes = options()
            .serialize(&File {
                key: self.key,
                entries,
            })
            .map_err(std::io::Error::other)?;
        self.state.create()?;
        let mut file = atomic_write_file::AtomicWriteFile::open(self.state.dir.join(CHECK_CACHE))?;
        writeln!(file, "{MAGIC}")?;
        file.write_all(&bytes)?;
        file.commit()
    }
}

/// The cache file at `path`, when it is one this program wrote.
fn read(path: &Path) -> Option<File> {
    let file = std::fs::File::open(path).ok()?;
    let mut file = std::io::BufReader::with_capacity(1 << 16, file.take(MAX_CACHE));
    let mut line = String::new();
    file.read_line(&mut line).ok()?;
    if line.trim_end() != MAGIC {
        return None;
    }
    options().deserialize_from(file).ok()
}

/// The key of everything a spec's findings depend on besides the spec: the program and the
/// files (`inputs`), and the checker made of them (the command line changes its settings).
fn checker_key(checker: &Checker, inputs: &[&[u8]]) -> u64 {
    let mut hasher = hasher();
    hasher.write(MAGIC.as_bytes());
    hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
    for input in inputs {
        hasher.write_u64(input.len() as u64);
        hasher.write(input);
    }
    schema_key(&checker.schema, &mut hasher);
    for template in &checker.templates {
        hasher.write(template.name.as_bytes());
        hasher.write(template.file.as_os_str().as_encoded_bytes());
        hasher.write(format!("{:?}", template.selector).as_bytes());
        schema_key(&template.schema, &mut hasher);
    }
    hasher.write(
        format!(
            "{:?}{:?}{:?}{}",
            checker.settings,
            checker.ids,
            checker.metadata,
            checker.git.is_some()
        )
        .as_bytes(),
    );
    hasher.finish()
}

/// Hashes what a template checks: its text, and what the configuration changed of what the
/// text gave (the lifecycle, history and title fields). The maps a schema holds are made from
/// its text alone, so they are covered by it (their `Debug` order changes from run to run).
fn schema_key(schema: &Schema, hasher: &mut impl Hasher) {
    hasher.write_u64(schema.source.len() as u64);
    hasher.write(schema.source.as_bytes());
    hasher.write(
        format!(
            "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
            schema.title,
            schema.title_level,
            schema.field_place,
            schema.front_matter_title,
            schema.yaml_front_matter,
            schema.fields,
            schema.sections,
            schema.statuses,
            schema.lifecycle,
            schema.history,
            schema.title_field,
        )
        .as_bytes(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IdScheme, Surroundings, check_files};
    use specbook_linter::Settings;
    use std::path::PathBuf;

    /// A spec with findings of many kinds: placeholders (with fixes), missing sections, a
    /// bad date, a relation.
    const SPEC: &str = "# Payments retry Technical Specification\n\n## Front Matter\n- **Author(s):** [Author Name]\n- **Status:** Draft\n- **Created:** 2026-13-01\n- **Supersedes:** 0002\n\n## 1. Introduction\n\n### Problem Overview\n[Describe the problem.]\n";

    fn checker() -> Checker {
        Checker::new(Schema::builtin(), Settings::default(), IdScheme::default())
    }

    struct Project {
        dir: tempfile::TempDir,
        files: Vec<PathBuf>,
    }

    impl Project {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let files: Vec<PathBuf> = ["0001-a.md", "0002-b.md", "0003-c.md"]
                .iter()
                .map(|name| dir.path().join(name))
                .collect();
            for (n, file) in files.iter().enumerate() {
                std::fs::write(file, SPEC.replace("retry", &format!("retry {n}"))).unwrap();
            }
            Self { dir, files }
        }

        fn cache_path(&self) -> PathBuf {
            self.dir.path().join(".specbook").join(CHECK_CACHE)
        }

        /// Checks the files with `checker` and the cache, which is then saved; also how many
        /// specs came from the cache.
        fn check(&self, mut checker: Checker) -> (String, usize) {
            checker.cache = Some(CheckCache::open(
                self.dir.path(),
                &checker,
                &[b"config"],
                self.dir.path(),
            ));
            let outcome = check_files(&checker, &self.files, &Surroundings::default());
            let cache = checker.cache.take().unwrap();
            let hits = cache.hits();
            cache.save().unwrap();
            (shown(&outcome), hits)
        }
    }

    /// Everything a check gives, as text: the reports, the facts, the errors.
    fn shown(outcome: &crate::CheckOutcome) -> String {
        let mut shown = format!("{:#?}", outcome.reports);
        for facts in &outcome.facts {
            shown.push_str(&format!(
                "{:#?} {} {:#?} {:?}\n",
                facts.meta, facts.meta.stub, facts.candidates, facts.text_hash
            ));
        }
        shown + &format!("{:?}", outcome.errors)
    }

    fn uncached(checker: &Checker, files: &[PathBuf]) -> String {
        shown(&check_files(checker, files, &Surroundings::default()))
    }

    #[test]
    fn a_second_run_takes_every_spec_from_the_cache_and_finds_the_same() {
        let project = Project::new();
        let want = uncached(&checker(), &project.files);
        assert!(want.contains("placeholder") && want.contains("invalid-date"));
        let (first, hits) = project.check(checker());
        assert_eq!((first.as_str(), hits), (want.as_str(), 0));
        let (second, hits) = project.check(checker());
        assert_eq!((second.as_str(), hits), (want.as_str(), 3));
    }

    #[test]
    fn an_edited_spec_is_checked_again() {
        let project = Project::new();
        let (before, _) = project.check(checker());
        let edited = SPEC.replace("[Describe the problem.]", "It fails.\n\n## 2. Goals\n");
        std::fs::write(&project.files[1], edited).unwrap();
        let (got, hits) = project.check(checker());
        assert_eq!(hits, 2);
        assert_eq!(got, uncached(&checker(), &project.files));
        assert_ne!(got, before);
    }

    #[test]
    fn other_settings_or_inputs_take_nothing_from_the_cache() {
        let project = Project::new();
        project.check(checker());
        let mut strict = checker();
        strict.settings.select = vec!["placeholder".to_owned()];
        let want = uncached(&strict, &project.files);
        assert_eq!(project.check(strict), (want, 0));
        // Another program or configuration file (the inputs).
        let mut checker = checker();
        checker.cache = Some(CheckCache::open(
            project.dir.path(),
            &checker,
            &[b"another config"],
            project.dir.path(),
        ));
        let outcome = check_files(&checker, &project.files, &Surroundings::default());
        assert_eq!(checker.cache.as_ref().unwrap().hits(), 0);
        assert_eq!(shown(&outcome), uncached(&checker, &project.files));
    }

    #[test]
    fn a_changed_sidecar_checks_its_spec_again() {
        let project = Project::new();
        let with_sidecar = || {
            let mut checker = checker();
            checker.metadata = Some("meta.yaml".to_owned());
            checker
        };
        let sidecar = project.dir.path().join("meta.yaml");
        std::fs::write(&sidecar, "team: Payments\n").unwrap();
        project.check(with_sidecar());
        std::fs::write(&sidecar, "team: [Payments\n").unwrap();
        let (got, hits) = project.check(with_sidecar());
        assert_eq!(hits, 0, "the three specs share the sidecar's folder");
        assert_eq!(got, uncached(&with_sidecar(), &project.files));
        assert!(got.contains("invalid-front-matter"), "{got}");
    }

    #[test]
    fn a_damaged_cache_is_ignored() {
        let project = Project::new();
        project.check(checker());
        let bytes = std::fs::read(project.cache_path()).unwrap();
        let want = uncached(&checker(), &project.files);
        for damaged in [
            bytes[..bytes.len() / 2].to_vec(),
            [MAGIC.as_bytes(), b"\n\xff\xff\xff\xff\xff\xff\xff\xff"].concat(),
            b"not a cache".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(project.cache_path(), damaged).unwrap();
            assert_eq!(project.check(checker()), (want.clone(), 0));
            assert_eq!(project.check(checker()), (want.clone(), 3));
        }
    }

    #[test]
    fn git_facts_and_paths_are_part_of_the_key() {
        let project = Project::new();
        let cache = CheckCache::open(project.dir.path(), &checker(), &[], project.dir.path());
        let facts = |today: &str| GitFacts {
            last_changed: "2026-01-01".parse().unwrap(),
            last_commit: "abc1234".to_owned(),
            last_author: "Ana".to_owned(),
            today: today.parse().unwrap(),
            stale_after_days: 90,
        };
        let key = |path, git: Option<&GitFacts>| CheckCache::key_of(path, 7, None, git);
        let today = facts("2026-12-01");
        assert_ne!(
            key("a.md", Some(&today)),
            key("a.md", Some(&facts("2026-12-02")))
        );
        assert_ne!(key("a.md", Some(&today)), key("a.md", None));
        assert_ne!(key("a.md", None), key("b.md", None));
        let elsewhere = CheckCache::open(project.dir.path(), &checker(), &[], Path::new("/"));
        assert_ne!(cache.name("a.md"), elsewhere.name("a.md"));
        assert_eq!(cache.name("a.md"), elsewhere.name(&cache.name("a.md")));
    }
}
