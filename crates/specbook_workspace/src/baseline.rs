//! The findings baseline: the findings a team has accepted for now, recorded in a file so that
//! `check` reports only new ones.
//!
//! A finding is matched by its rule, its file (relative to the baseline's folder, `/`
//! separated), its message and the title of its section (the nearest heading at or above its
//! line). Line numbers are left out, so an entry survives lines inserted above it and edits
//! elsewhere in the file. Identical findings are counted: an entry hides at most `count` of
//! them.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use specbook_diagnostics::FileReport;
use specbook_markdown::Document;

use crate::WorkspaceError;
use crate::catalog::lexical;

/// The format version this specbook reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// Failures of reading, applying or writing a baseline, each naming its file.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("baseline {path} does not exist (`specbook check --write-baseline {path}` creates it)")]
    Missing { path: PathBuf },
    #[error("cannot read {path}: {error}")]
    Read { path: PathBuf, error: io::Error },
    #[error("{path} is not a specbook baseline: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path} exists and is not a specbook baseline ({message}); not overwriting it")]
    NotABaseline { path: PathBuf, message: String },
    #[error(transparent)]
    Write(#[from] WorkspaceError),
}

/// Accepted findings, sorted by path, rule, section and message, one entry per distinct
/// finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<BaselineEntry>,
}

/// One accepted finding, `count` times over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file, relative to the baseline's folder, with `/` separators.
    pub path: String,
    pub rule: String,
    /// The title of the nearest heading at or above the finding; `None` before the first one.
    pub section: Option<String>,
    pub message: String,
    pub count: usize,
}

impl BaselineEntry {
    fn key(&self) -> Key<'_> {
        (
            &self.path,
            &self.rule,
            self.section.as_deref(),
            &self.message,
        )
    }
}

/// What an entry is matched by: path, rule, section and message, in the file's sort order.
type Key<'a> = (&'a str, &'a str, Option<&'a str>, &'a str);

/// What applying a baseline did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// How many findings it hid.
    pub hidden: usize,
    /// Entries that matched fewer findings than they count, with `count` the number left
    /// unmatched: removable. Only entries that this run could have matched are listed: their
    /// rule is on, and their file was checked or no longer exists.
    pub stale: Vec<BaselineEntry>,
}

/// Where a baseline's paths start (the folder holding it) and where the paths of a run's
/// reports start (the folder the command runs in).
#[derive(Clone, Debug)]
pub struct BaselineRoot {
    folder: PathBuf,
    cwd: PathBuf,
}

impl BaselineRoot {
    /// The root for the baseline file `file` (relative to `cwd` unless absolute), for
    /// reports whose paths are relative to `cwd`.
    #[must_use]
    pub fn new(file: &Path, cwd: &Path) -> Self {
        let file = lexical(&cwd.join(file));
        let folder = file.parent().map(Path::to_path_buf).unwrap_or(file);
        Self {
            folder,
            cwd: cwd.to_path_buf(),
        }
    }

    /// A report's path as a baseline stores it.
    #[must_use]
    pub fn key(&self, report_path: &str) -> String {
        relative(&self.folder, &lexical(&self.cwd.join(report_path)))
    }

    fn on_disk(&self, report_path: &str) -> PathBuf {
        self.cwd.join(report_path)
    }

    fn entry_exists(&self, entry_path: &str) -> bool {
        self.folder.join(entry_path).exists()
    }
}

/// `target` relative to `folder`, both absolute and normalised, `/`-separated; `target` as it
/// is when the two share no root (another drive).
fn relative(folder: &Path, target: &Path) -> String {
    let from: Vec<Component<'_>> = folder.components().collect();
    let to: Vec<Component<'_>> = target.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return slashed(&to);
    }
    let up = from.len() - common;
    let mut parts: Vec<String> = vec!["..".to_owned(); up];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn slashed(components: &[Component<'_>]) -> String {
    let mut out = String::new();
    for component in components {
        match component {
            Component::Prefix(prefix) => out.push_str(&prefix.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

/// The headings of one text by line, to find the section a finding is in.
struct Sections {
    /// `(line, title)` of every heading, in order.
    headings: Vec<(usize, String)>,
}

impl Sections {
    fn of(text: &str) -> Self {
        let view = specbook_markdown::lf_view(text);
        let text = view.as_ref();
        let doc = Document::parse(text);
        let mut headings = Vec::with_capacity(doc.headings.len());
        let (mut line, mut offset) = (1, 0);
        for (index, heading) in doc.headings.iter().enumerate() {
            let start = heading.span.start.max(offset);
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[offset..start]).count();
            offset = start;
            headings.push((line, doc.heading_title(index).trim().to_owned()));
        }
        Self { headings }
    }

    /// Reads the file; one that is not UTF-8 is read with replacement characters, which keeps
    /// its lines.
    fn read(path: &Path) -> Result<Self, BaselineError> {
        let bytes = std::fs::read(path).map_err(|error| BaselineError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        Ok(Self::of(&String::from_utf8_lossy(&bytes)))
    }

    /// The title of the nearest heading at or above `line`.
    fn at(&self, line: usize) -> Option<&str> {
        let after = self.headings.partition_point(|(start, _)| *start <= line);
        after
            .checked_sub(1)
            .map(|index| self.headings[index].1.as_str())
    }
}

/// The file format: what `Baseline` reads and writes.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    entries: &'a [BaselineEntry],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    version: u32,
    entries: Vec<BaselineEntry>,
}

impl Baseline {
    /// A baseline of `entries`, sorted, identical entries merged.
    #[must_use]
    pub fn new(mut entries: Vec<BaselineEntry>) -> Self {
        entries.sort_by(|a, b| a.key().cmp(&b.key()));
        entries.dedup_by(|later, earlier| {
            let same = later.key() == earlier.key();
            if same {
                earlier.count += later.count;
            }
            same
        });
        entries.retain(|entry| entry.count > 0);
        Self { entries }
    }

    /// The entries, sorted by path, rule, section and message.
    #[must_use]
    pub fn entries(&self) -> &[BaselineEntry] {
        &self.entries
    }

    /// How many findings the baseline accepts.
    #[must_use]
    pub fn findings(&self) -> usize {
        self.entries.iter().map(|entry| entry.count).sum()
    }

    /// How many files those findings are in.
    #[must_use]
    pub fn files(&self) -> usize {
        self.entries
            .iter()
            .map(|entry| entry.path.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Records every finding of `reports`. Reads each file with findings, for its headings.
    pub fn record(reports: &[FileReport], root: &BaselineRoot) -> Result<Self, BaselineError> {
        let mut counts: BTreeMap<(String, &str, Option<String>, &str), usize> = BTreeMap::new();
        for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
            let path = root.key(&report.path);
            let sections = Sections::read(&root.on_disk(&report.path))?;
            for finding in &report.diagnostics {
                let section = sections.at(finding.line).map(str::to_owned);
                *counts
                    .entry((path.clone(), finding.rule, section, &finding.message))
                    .or_default() += 1;
            }
        }
        Ok(Self::new(
            counts
                .into_iter()
                .map(|((path, rule, section, message), count)| BaselineEntry {
                    path,
                    rule: rule.to_owned(),
                    section,
                    message: message.to_owned(),
                    count,
                })
                .collect(),
        ))
    }

    /// Removes from `reports` the findings the baseline accepts. `rule_on` tells whether a
    /// rule ran, so that the entries of rules left out of this run are not called stale.
    /// Reads each file that has both findings and entries, for its headings.
    pub fn apply(
        &self,
        reports: &mut [FileReport],
        root: &BaselineRoot,
        rule_on: impl Fn(&str) -> bool,
    ) -> Result<Applied, BaselineError> {
        let mut left: Vec<usize> = self.entries.iter().map(|entry| entry.count).collect();
        let mut checked = BTreeSet::new();
        let mut hidden = 0;
        for report in reports.iter_mut() {
            let path = root.key(&report.path);
            let has_entries = self
                .entries
                .binary_search_by(|entry| entry.path.as_str().cmp(&path))
                .is_ok();
            if has_entries && !report.diagnostics.is_empty() {
                let sections = Sections::read(&root.on_disk(&report.path))?;
                report.diagnostics.retain(|finding| {
                    let key: Key<'_> = (
                        &path,
                        finding.rule,
                        sections.at(finding.line),
                        &finding.message,
                    );
                    match self.entries.binary_search_by(|entry| entry.key().cmp(&key)) {
                        Ok(index) if left[index] > 0 => {
                            left[index] -= 1;
                            hidden += 1;
                            false
                        }
                        _ => true,
                    }
                });
            }
            checked.insert(path);
        }
        let stale = self
            .entries
            .iter()
            .zip(left)
            .filter(|(entry, left)| {
                *left > 0
                    && rule_on(&entry.rule)
                    && (checked.contains(&entry.path) || !root.entry_exists(&entry.path))
            })
            .map(|(entry, left)| BaselineEntry {
                count: left,
                ..entry.clone()
            })
            .collect();
        Ok(Applied { hidden, stale })
    }

    /// The file's text: pretty JSON, entries in their sorted order, ending in a newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let file = FileOut {
            version: BASELINE_VERSION,
            entries: &self.entries,
        };
        let mut text = serde_json::to_string_pretty(&file).expect("a baseline is always JSON");
        text.push('\n');
        text
    }

    /// Reads a baseline from its text; the error says why it is not one.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let file: FileIn = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if file.version != BASELINE_VERSION {
            return Err(format!(
                "version {} is not supported; this specbook reads version {BASELINE_VERSION}",
                file.version
            ));
        }
        if let Some(entry) = file.entries.iter().find(|entry| entry.count == 0) {
            return Err(format!(
                "the entry for `{}` in {} has count 0; a count is at least 1",
                entry.rule, entry.path
            ));
        }
        Ok(Self::new(file.entries))
    }

    /// Reads the baseline file at `path`.
    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let text = crate::input::read_to_string(path).map_err(|error| {
            if error.kind() == io::ErrorKind::NotFound {
                BaselineError::Missing {
                    path: path.to_path_buf(),
                }
            } else {
                BaselineError::Read {
                    path: path.to_path_buf(),
                    error,
                }
            }
        })?;
        Self::from_json(&text).map_err(|message| BaselineError::Invalid {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Writes the baseline to `path` atomically. An earlier baseline there is replaced; any
    /// other file is left alone, and so is a file that changes while this runs.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let text = self.to_json();
        match crate::input::read(path) {
            Ok(bytes) => {
                let earlier = std::str::from_utf8(&bytes)
                    .map_err(|_| "it is not UTF-8 text".to_owned())
                    .and_then(Self::from_json);
                if let Err(message) = earlier {
                    return Err(BaselineError::NotABaseline {
                        path: path.to_path_buf(),
                        message,
                    });
                }
                if bytes != text.as_bytes() {
                    crate::scaffold::write_file(path, Some(&bytes), &text)?;
                }
                Ok(())
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                Ok(crate::scaffold::write_file(path, None, &text)?)
            }
            Err(error) => Err(BaselineError::Read {
                path: path.to_path_buf(),
                error,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use specbook_diagnostics::{Located, Severity};

    use super::*;

    const SPEC: &str = "# Title\n\nIntro [TODO]\n\n## Context\n\nToday.\n\n## Goals\n\n- [Goal 1]\n\n## Design\n\n[Design]\n";

    fn finding(line: usize, rule: &'static str, message: &str) -> Located {
        Located {
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            rule,
            severity: Severity::Warning,
            message: message.to_owned(),
            snippet: String::new(),
            snippet_span: 0..0,
            fix: None,
            file: None,
        }
    }

    fn report(path: &str, findings: Vec<Located>) -> FileReport {
        FileReport {
            path: path.to_owned(),
            diagnostics: findings,
        }
    }

    /// A folder with `specs/a.md` holding `text`, and the root of `baseline.json` in it.
    fn folder(text: &str) -> (tempfile::TempDir, BaselineRoot) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("specs")).unwrap();
        std::fs::write(dir.path().join("specs/a.md"), text).unwrap();
        let root = BaselineRoot::new(Path::new("baseline.json"), dir.path());
        (dir, root)
    }

    /// The findings of `SPEC`, at their lines.
    fn findings_of_spec() -> Vec<Located> {
        vec![
            finding(3, "placeholder", "placeholder `[TODO]`"),
            finding(11, "placeholder", "placeholder `[Goal 1]`"),
            finding(15, "placeholder", "placeholder `[Design]`"),
        ]
    }

    fn messages(reports: &[FileReport]) -> Vec<&str> {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .map(|d| d.message.as_str())
            .collect()
    }

    #[test]
    fn findings_are_recorded_with_their_section() {
        let (_dir, root) = folder(SPEC);
        let baseline =
            Baseline::record(&[report("specs/a.md", findings_of_spec())], &root).unwrap();
        let sections: Vec<Option<&str>> = baseline
            .entries()
            .iter()
            .map(|e| e.section.as_deref())
            .collect();
        assert_eq!(sections, [Some("Design"), Some("Goals"), Some("Title")]);
        assert!(baseline.entries().iter().all(|e| e.path == "specs/a.md"));
        assert_eq!((baseline.findings(), baseline.files()), (3, 1));
    }

    #[test]
    fn matching_survives_a_shifted_line() {
        let (dir, root) = folder(SPEC);
        let baseline =
            Baseline::record(&[report("specs/a.md", findings_of_spec())], &root).unwrap();
        std::fs::write(
            dir.path().join("specs/a.md"),
            format!("<!-- new -->\n\n{SPEC}"),
        )
        .unwrap();
        let shifted = findings_of_spec()
            .into_iter()
            .map(|mut d| {
                d.line += 2;
                d
            })
            .collect();
        let mut reports = [report("specs/a.md", shifted)];
        let applied = baseline.apply(&mut reports, &root, |_| true).unwrap();
        assert_eq!(messages(&reports), Vec::<&str>::new());
        assert_eq!(
            applied,
            Applied {
                hidden: 3,
                stale: vec![]
            }
        );
    }

    #[test]
    fn matching_survives_an_edit_elsewhere_in_the_file() {
        let (dir, root) = folder(SPEC);
        let baseline =
            Baseline::record(&[report("specs/a.md", findings_of_spec())], &root).unwrap();
        // The Context section grows by two lines; the findings below it move down.
        let edited = SPEC.replace("Today.", "Today, a cron job.\n\nIt fails weekly.");
        std::fs::write(dir.path().join("specs/a.md"), edited).unwrap();
        let mut moved = findings_of_spec();
        moved[1].line += 2;
        moved[2].line += 2;
        let mut reports = [report("specs/a.md", moved)];
        let applied = baseline.apply(&mut reports, &root, |_| true).unwrap();
        assert_eq!(messages(&reports), Vec::<&str>::new());
        assert_eq!(applied.hidden, 3);
    }

    #[test]
    fn a_changed_message_or_section_no_longer_matches() {
        let (dir, root) = folder(SPEC);
        let baseline =
            Baseline::record(&[report("specs/a.md", findings_of_spec())], &root).unwrap();
        let mut changed = findings_of_spec();
        changed[1].message = "placeholder `[Goal 2]`".to_owned();
        let mut reports = [report("specs/a.md", changed)];
        let applied = baseline.apply(&mut reports, &root, |_| true).unwrap();
        assert_eq!(messages(&reports), ["placeholder `[Goal 2]`"]);
        assert_eq!(applied.hidden, 2);

        // The same message under another heading is another finding.
        std::fs::write(
            dir.path().join("specs/a.md"),
            SPEC.replace("## Goals", "## Aims"),
        )
        .unwrap();
        let mut reports = [report("specs/a.md", findings_of_spec())];
        baseline.apply(&mut reports, &root, |_| true).unwrap();
        assert_eq!(messages(&reports), ["placeholder `[Goal 1]`"]);
    }

    #[test]
    fn identical_findings_are_counted() {
        let text = "# T\n\n## Goals\n\n- [Goal]\n- [Goal]\n";
        let (_dir, root) = folder(text);
        let one = finding(5, "placeholder", "placeholder `[Goal]`");
        let baseline = Baseline::record(&[report("specs/a.md", vec![one.clone()])], &root).unwrap();
        assert_eq!(baseline.entries()[0].count, 1);
        let two = vec![
            one.clone(),
            finding(6, "placeholder", "placeholder `[Goal]`"),
        ];
        let mut reports = [report("specs/a.md", two.clone())];
        let applied = baseline.apply(&mut reports, &root, |_| true).unwrap();
        assert_eq!(applied.hidden, 1);
        assert_eq!(
            reports[0]
                .diagnostics
                .iter()
                .map(|d| d.line)
                .collect::<Vec<_>>(),
            [6],
            "the first one is hidden, the second reported"
        );
        let both = Baseline::record(&[report("specs/a.md", two.clone())], &root).unwrap();
        assert_eq!(both.entries().len(), 1);
        assert_eq!(both.entries()[0].count, 2);
        let mut reports = [report("specs/a.md", two)];
        assert_eq!(both.apply(&mut reports, &root, |_| true).unwrap().hidden, 2);
    }

    #[test]
    fn stale_entries_are_reported_with_what_is_left() {
        let (dir, root) = folder(SPEC);
        let mut findings = findings_of_spec();
        findings.push(finding(11, "placeholder", "placeholder `[Goal 1]`"));
        let baseline = Baseline::record(&[report("specs/a.md", findings)], &root).unwrap();
        // `[TODO]` was fixed, and one of the two `[Goal 1]`.
        let mut reports = [report("specs/a.md", findings_of_spec()[1..].to_vec())];
        let applied = baseline.apply(&mut reports, &root, |_| true).unwrap();
        let stale: Vec<(&str, usize)> = applied
            .stale
            .iter()
            .map(|e| (e.message.as_str(), e.count))
            .collect();
        assert_eq!(
            stale,
            [("placeholder `[Goal 1]`", 1), ("placeholder `[TODO]`", 1)]
        );

        // A rule that did not run and a file that was not checked leave their entries alone.
        let mut reports = [report("specs/a.md", vec![])];
        assert!(
            baseline
                .apply(&mut reports, &root, |_| false)
                .unwrap()
                .stale
                .is_empty()
        );
        assert!(
            baseline
                .apply(&mut [], &root, |_| true)
                .unwrap()
                .stale
                .is_empty()
        );
        // A file that is gone makes its entries stale.
        std::fs::remove_file(dir.path().join("specs/a.md")).unwrap();
        assert_eq!(
            baseline
                .apply(&mut [], &root, |_| true)
                .unwrap()
                .stale
                .len(),
            3
        );
    }

    #[test]
    fn paths_are_relative_to_the_baseline_folder_from_any_working_folder() {
        let (dir, _) = folder(SPEC);
        let file = dir.path().join("config/baseline.json");
        let from_top = BaselineRoot::new(&file, dir.path());
        let from_specs = BaselineRoot::new(&file, &dir.path().join("specs"));
        assert_eq!(from_top.key("specs/a.md"), "../specs/a.md");
        assert_eq!(from_specs.key("a.md"), "../specs/a.md");
        assert_eq!(from_specs.key("./../specs/a.md"), "../specs/a.md");
        let beside = BaselineRoot::new(Path::new("baseline.json"), dir.path());
        assert_eq!(beside.key("specs/a.md"), "specs/a.md");
    }

    #[test]
    fn serialisation_is_sorted_and_stable() {
        let entry = |path: &str, rule: &str, section: Option<&str>, message: &str| BaselineEntry {
            path: path.to_owned(),
            rule: rule.to_owned(),
            section: section.map(str::to_owned),
            message: message.to_owned(),
            count: 1,
        };
        let entries = vec![
            entry("specs/b.md", "title", None, "m"),
            entry("specs/a.md", "placeholder", Some("Goals"), "z"),
            entry("specs/a.md", "placeholder", Some("Goals"), "a"),
            entry("specs/a.md", "placeholder", None, "a"),
            entry("specs/a.md", "missing-field", Some("Front Matter"), "a"),
            entry("specs/a.md", "placeholder", Some("Goals"), "a"),
        ];
        let mut reversed = entries.clone();
        reversed.reverse();
        let json = Baseline::new(entries).to_json();
        assert_eq!(json, Baseline::new(reversed).to_json());
        assert_eq!(Baseline::from_json(&json).unwrap().to_json(), json);
        let expected = r#"{
  "version": 1,
  "entries": [
    {
      "path": "specs/a.md",
      "rule": "missing-field",
      "section": "Front Matter",
      "message": "a",
      "count": 1
    },
    {
      "path": "specs/a.md",
      "rule": "placeholder",
      "section": null,
      "message": "a",
      "count": 1
    },
    {
      "path": "specs/a.md",
      "rule": "placeholder",
      "section": "Goals",
      "message": "a",
      "count": 2
    },
    {
      "path": "specs/a.md",
      "rule": "placeholder",
      "section": "Goals",
      "message": "z",
      "count": 1
    },
    {
      "path": "specs/b.md",
      "rule": "title",
      "section": null,
      "message": "m",
      "count": 1
    }
  ]
}
"#;
        assert_eq!(json, expected);
    }

    #[test]
    fn what_is_not_a_baseline_is_refused() {
        for (text, expected) in [
            ("{\"name\": \"my-app\"}", "unknown field `name`"),
            ("not json", "expected ident"),
            (
                "{\"version\": 2, \"entries\": []}",
                "version 2 is not supported",
            ),
            ("", "EOF while parsing"),
        ] {
            let error = Baseline::from_json(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn an_unrelated_existing_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("package.json");
        std::fs::write(&path, "{\"name\": \"my-app\"}\n").unwrap();
        let error = Baseline::default().write(&path).unwrap_err().to_string();
        assert!(
            error.contains("exists and is not a specbook baseline")
                && error.contains("not overwriting it"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"name\": \"my-app\"}\n"
        );

        // A baseline is replaced, and a missing file created.
        let path = dir.path().join("baseline.json");
        Baseline::default().write(&path).unwrap();
        let entries = vec![BaselineEntry {
            path: "a.md".to_owned(),
            rule: "title".to_owned(),
            section: None,
            message: "m".to_owned(),
            count: 1,
        }];
        let baseline = Baseline::new(entries);
        crate::write::settle(&path);
        baseline.write(&path).unwrap();
        assert_eq!(Baseline::load(&path).unwrap(), baseline);
    }

    #[test]
    fn a_missing_baseline_names_its_path() {
        let error = Baseline::load(Path::new("nowhere/baseline.json"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("baseline nowhere/baseline.json does not exist"),
            "{error}"
        );
    }
}
