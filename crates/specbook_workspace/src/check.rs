//! Checking many files in parallel, in a deterministic order.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use specbook_diagnostics::{Diagnostic, FileReport, LineIndex, Located, Severity};
use specbook_linter::{Context, GitFacts, Scope, Settings};
use specbook_markdown::{Document, Schema};

use crate::Selector;
use crate::catalog::{IdScheme, SpecFacts, SpecMeta};
use crate::{History, WorkspaceError};

/// A template besides the default one, and the specs it is for.
pub struct Template {
    pub name: String,
    pub file: PathBuf,
    pub schema: Schema,
    pub selector: Selector,
}

impl Template {
    /// Whether the template is for the spec at `path` with text `doc`.
    fn takes(&self, path: Option<&Path>, doc: &Document<'_>) -> bool {
        match &self.selector {
            Selector::Paths(patterns) => {
                path.is_some_and(|p| patterns.iter().any(|pattern| pattern.matches(p)))
            }
            Selector::Field { key, value } => self.schema.fields_in(doc).iter().any(|f| {
                specbook_markdown::field_key(&f.label) == *key
                    && specbook_linter::same_status(&f.value, value)
            }),
        }
    }
}

/// Templates and settings, ready to check files.
pub struct Checker {
    /// The default template.
    pub schema: Schema,
    pub settings: Settings,
    /// What git says about the files, for the history rules; `None` outside git.
    pub git: Option<GitContext>,
    /// How paths give spec ids.
    pub ids: IdScheme,
    /// `[[templates]]`, in the order written: the first that takes a spec checks it.
    pub templates: Vec<Template>,
    /// `metadata`: the name of the sidecar file beside each spec that holds (some of) its
    /// fields (`kep.yaml`).
    pub metadata: Option<String>,
    /// What earlier runs found, for the specs whose text and surroundings did not change.
    pub cache: Option<crate::CheckCache>,
}

/// A spec's sidecar metadata file, read.
#[derive(Clone, Debug)]
pub(crate) struct Sidecar {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub text: String,
    /// Where its spans start in the spec's terms: past the end of the spec's text.
    pub base: usize,
    pub fields: Vec<specbook_markdown::Field>,
    pub error: Option<String>,
}

/// The repository's history and the day it is checked on.
pub struct GitContext {
    pub history: History,
    pub today: jiff::civil::Date,
    pub stale_after_days: u32,
}

impl GitContext {
    /// What git says about the file at `path`, if it tracks it.
    #[must_use]
    pub fn facts(&self, path: &Path) -> Option<GitFacts> {
        let file = self.history.get(path)?;
        // A history cut by a shallow clone does not say when the file last changed.
        if self.history.is_cut(file) {
            return None;
        }
        Some(GitFacts {
            last_changed: file.last.date,
            last_commit: file.last.hash.chars().take(7).collect(),
            last_author: file.last.author.clone(),
            today: self.today,
            stale_after_days: self.stale_after_days,
        })
    }
}

impl Sidecar {
    /// The sidecar at `path` with content `bytes`, its spans starting at `base`.
    pub(crate) fn parse(path: PathBuf, bytes: Vec<u8>, base: usize) -> Self {
        let Ok(text) = String::from_utf8(bytes.clone()) else {
            return Self {
                path,
                bytes,
                text: String::new(),
                base,
                fields: Vec::new(),
                error: Some("is not valid UTF-8".to_owned()),
            };
        };
        let (fields, error) = specbook_markdown::sidecar_fields(&text, base);
        Self {
            path,
            bytes,
            error: error.map(|e| e.message),
            text,
            base,
            fields,
        }
    }
}

/// What checking one text found.
struct Analysis {
    diagnostics: Vec<Diagnostic>,
    /// Candidates of the workspace rules (see [`SpecFacts`]).
    candidates: Vec<Diagnostic>,
    meta: SpecMeta,
    sidecar: Option<Sidecar>,
}

/// What a run found: one report per readable file (sorted by path) and the files that could
/// not be read.
pub struct CheckOutcome {
    pub reports: Vec<FileReport>,
    /// What each of `reports` told about its spec, in the same order.
    pub facts: Vec<SpecFacts>,
    pub errors: Vec<WorkspaceError>,
}

impl Checker {
    /// A checker with the default template only.
    #[must_use]
    pub fn new(schema: Schema, settings: Settings, ids: IdScheme) -> Self {
        Self {
            schema,
            settings,
            git: None,
            ids,
            templates: Vec::new(),
            metadata: None,
            cache: None,
        }
    }

    /// Where the sidecar metadata file of the spec at `path` would be (whether or not it
    /// exists), when `metadata` names one.
    #[must_use]
    pub fn sidecar_path(&self, path: &Path) -> Option<PathBuf> {
        Some(path.parent()?.join(self.metadata.as_deref()?))
    }

    /// The sidecar metadata file beside the spec at `path` whose text is `len` bytes long,
    /// when `metadata` names one and it exists. A file that cannot be read or parsed comes
    /// with its error and no fields.
    pub(crate) fn sidecar(&self, path: Option<&Path>, len: usize) -> Option<Sidecar> {
        let name = self.metadata.as_deref()?;
        let path = path?.parent()?.join(name);
        let base = len + 1;
        let bytes = match crate::input::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
            Err(error) => {
                return Some(Sidecar {
                    path,
                    bytes: Vec::new(),
                    text: String::new(),
                    base,
                    fields: Vec::new(),
                    error: Some(format!("cannot be read: {error}")),
                });
            }
        };
        Some(Sidecar::parse(path, bytes, base))
    }

    /// The template the spec at `path` (with text `doc`) is checked against and its name
    /// (`None`: the default template).
    #[must_use]
    pub fn template_for(&self, path: Option<&Path>, doc: &Document<'_>) -> (&Schema, Option<&str>) {
        self.templates
            .iter()
            .find(|t| t.takes(path, doc))
            .map_or((&self.schema, None), |t| (&t.schema, Some(t.name.as_str())))
    }

    /// The graded findings of one text, the candidates of workspace rules (see
    /// [`SpecFacts`]) and what the catalog shows of it.
    fn analyze(&self, path: Option<&Path>, text: &str) -> Analysis {
        self.analyze_with(path, text, self.sidecar(path, text.len()))
    }

    /// [`Checker::analyze`] with the spec's sidecar as given (a change not yet written).
    fn analyze_with(&self, path: Option<&Path>, text: &str, sidecar: Option<Sidecar>) -> Analysis {
        let view = specbook_markdown::lf_view(text);
        let doc = Document::parse(&view);
        let git = self.git_facts(path);
        let path_id = path.and_then(crate::catalog::path_id);
        let (schema, template) = self.template_for(path, &doc);
        let extra = sidecar
            .as_ref()
            .map(|s| s.fields.clone())
            .unwrap_or_default();
        let cx = Context::with_fields(&doc, schema, &self.settings, extra)
            .with_git(git.as_ref())
            .with_path_id(path_id.as_ref());
        let mut diagnostics = specbook_linter::check_context(&cx);
        if let Some(sidecar) = &sidecar
            && let Some(error) = &sidecar.error
        {
            let at = sidecar.base;
            diagnostics.push(Diagnostic::new(
                "invalid-front-matter",
                Severity::Error,
                at..at,
                format!(
                    "the metadata file {} {error}",
                    sidecar
                        .path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                ),
            ));
        }
        diagnostics.retain_mut(|d| match self.settings.grade(d.rule, d.severity) {
            Some(severity) => {
                d.severity = severity;
                true
            }
            None => false,
        });
        let (mut candidates, diagnostics): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(|d| {
                specbook_linter::rule(d.rule).is_some_and(|r| r.scope == Scope::Workspace)
            });
        let own = path.and_then(|p| self.ids.id(p));
        let mut meta = SpecMeta::of(&cx, &self.ids, own, path);
        meta.template = template.map(str::to_owned);
        let mut diagnostics = diagnostics;
        crate::workspace_rules::resolve_local(&doc, &mut candidates, &mut diagnostics);
        Analysis {
            diagnostics,
            candidates,
            meta,
            sidecar,
        }
    }

    /// Checks one text; `path` is only used for display.
    #[must_use]
    pub fn check_text(&self, path: &str, text: &str) -> FileReport {
        self.check_text_with_facts(path, text).0
    }

    /// What git says about the spec at `path`.
    fn git_facts(&self, path: Option<&Path>) -> Option<specbook_linter::GitFacts> {
        self.git
            .as_ref()
            .zip(path)
            .and_then(|(git, path)| git.facts(path))
    }

    /// Checks one text and returns what the workspace rules and the catalog need of it: from
    /// the [`Checker::cache`] when it has this text checked in the same surroundings.
    #[must_use]
    pub fn check_text_with_facts(&self, path: &str, text: &str) -> (FileReport, SpecFacts) {
        let at = Some(Path::new(path));
        let sidecar = self.sidecar(at, text.len());
        let Some(cache) = &self.cache else {
            return Self::report(path, text, self.analyze_with(at, text, sidecar));
        };
        let text_hash = crate::catalog::text_hash(text);
        let key = crate::CheckCache::key_of(
            path,
            text_hash,
            sidecar.as_ref(),
            self.git_facts(at).as_ref(),
        );
        if let Some(found) = cache.get(path, key, text_hash) {
            return found;
        }
        let found = Self::report(path, text, self.analyze_with(at, text, sidecar));
        cache.put(path, key, &found.0, &found.1);
        found
    }

    /// Checks a spec and its sidecar as they will be after a change (`texts`).
    pub(crate) fn check_texts(
        &self,
        path: &Path,
        texts: &crate::lifecycle::SpecTexts,
    ) -> FileReport {
        let sidecar = texts.sidecar.as_ref().map(|s| {
            Sidecar::parse(
                s.path.clone(),
                s.text.clone().into_bytes(),
                texts.spec.len() + 1,
            )
        });
        let analysis = self.analyze_with(Some(path), &texts.spec, sidecar);
        Self::report(&path.display().to_string(), &texts.spec, analysis).0
    }

    /// The located findings and facts of an analysis of `text` (and its sidecar).
    fn report(path: &str, text: &str, analysis: Analysis) -> (FileReport, SpecFacts) {
        let Analysis {
            diagnostics,
            candidates,
            meta,
            sidecar,
        } = analysis;
        let mut located: Vec<Located> = Vec::with_capacity(diagnostics.len());
        let mut candidates_located = Vec::with_capacity(candidates.len());
        if !diagnostics.is_empty() || !candidates.is_empty() {
            let index = LineIndex::new(text);
            let sidecar_index = sidecar.as_ref().map(|s| LineIndex::new(&s.text));
            let locate = |d: &Diagnostic| match (&sidecar, &sidecar_index) {
                (Some(sidecar), Some(index)) if d.span.start >= sidecar.base => {
                    let mut shifted = d.clone();
                    shifted.span = d.span.start - sidecar.base..d.span.end - sidecar.base;
                    shifted.fix = None;
                    let mut at = shifted.locate(&sidecar.text, index);
                    at.file = Some(sidecar.path.display().to_string());
                    at
                }
                _ => d.locate(text, &index),
            };
            located.extend(diagnostics.iter().map(locate));
            candidates_located.extend(candidates.iter().map(locate));
        }
        located.sort_by(|a, b| {
            (a.file.is_some(), a.line, a.column, a.rule).cmp(&(
                b.file.is_some(),
                b.line,
                b.column,
                b.rule,
            ))
        });
        let report = FileReport {
            path: path.to_owned(),
            diagnostics: located,
        };
        let facts = SpecFacts {
            meta,
            candidates: candidates_located,
            text_hash: Some(crate::catalog::text_hash(text)),
        };
        (report, facts)
    }

    /// The findings of one text that carry a fix, in the spec (not its sidecar), with byte
    /// spans into `text`: what an editor offers as quick fixes.
    #[must_use]
    pub fn fixable(&self, path: Option<&Path>, text: &str) -> Vec<Diagnostic> {
        let analysis = self.analyze(path, text);
        let base = analysis.sidecar.as_ref().map_or(usize::MAX, |s| s.base);
        analysis
            .diagnostics
            .into_iter()
            .filter(|d| d.fix.is_some() && d.span.start < base)
            .collect()
    }

    /// The text with every safe fix applied, round after round until none applies (at most
    /// ten rounds), or `None` when nothing changes.
    #[must_use]
    pub fn fixed_text(&self, path: Option<&Path>, text: &str) -> Option<String> {
        let mut current = text.to_owned();
        for _ in 0..10 {
            let analysis = self.analyze(path, &current);
            // Fixes edit the spec; findings in its sidecar are the author's.
            let base = analysis.sidecar.as_ref().map_or(usize::MAX, |s| s.base);
            let diagnostics: Vec<Diagnostic> = analysis
                .diagnostics
                .into_iter()
                .filter(|d| d.span.start < base)
                .collect();
            match specbook_linter::apply_fixes(&current, &diagnostics) {
                Some(fixed) => current = fixed,
                None => break,
            }
        }
        (current != text).then_some(current)
    }

    /// Works out the safe fixes of one file, writing nothing (see [`crate::commit`]). Returns
    /// the report of what remains and, when the fixes change the text, the text before and
    /// after.
    pub fn fix_file(&self, path: &Path) -> Result<FixOutcome, WorkspaceError> {
        let Ok(bytes) = crate::input::read(path) else {
            let (report, facts) = self.check_file_with_facts(path)?;
            return Ok(FixOutcome {
                report,
                facts,
                change: None,
            });
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            let (report, facts) = self.check_file_with_facts(path)?;
            return Ok(FixOutcome {
                report,
                facts,
                change: None,
            });
        };
        let display = path.display().to_string();
        let Some(fixed) = self.fixed_text(Some(path), text) else {
            let (report, facts) = self.check_text_with_facts(&display, text);
            return Ok(FixOutcome {
                report,
                facts,
                change: None,
            });
        };
        let (report, facts) = self.check_text_with_facts(&display, &fixed);
        Ok(FixOutcome {
            report,
            facts,
            change: Some((text.to_owned(), fixed)),
        })
    }

    /// Reads and checks one file. A file that is not UTF-8 is a finding, not a failure.
    pub fn check_file(&self, path: &Path) -> Result<FileReport, WorkspaceError> {
        self.check_file_with_facts(path).map(|(report, _)| report)
    }

    /// Reads and checks one file, returning what the workspace rules and the catalog need.
    pub fn check_file_with_facts(
        &self,
        path: &Path,
    ) -> Result<(FileReport, SpecFacts), WorkspaceError> {
        let display = path.display().to_string();
        let bytes = match crate::input::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                return Ok((
                    self.unreadable_report(&display, &error.to_string()),
                    SpecFacts::default(),
                ));
            }
        };
        Ok(self.check_bytes_with_facts(&display, &bytes))
    }

    /// Checks the bytes of one spec (read from a file or standard input) shown as `display`;
    /// bytes that are not UTF-8 are an `invalid-utf8` finding.
    #[must_use]
    pub fn check_bytes_with_facts(&self, display: &str, bytes: &[u8]) -> (FileReport, SpecFacts) {
        let display = display.to_owned();
        match std::str::from_utf8(bytes) {
            Ok(text) => self.check_text_with_facts(&display, text),
            Err(error) => {
                let mut finding = not_utf8(bytes, error.valid_up_to());
                let diagnostics = match self.settings.grade(finding.rule, finding.severity) {
                    Some(severity) => {
                        finding.severity = severity;
                        vec![finding]
                    }
                    None => Vec::new(),
                };
                (
                    FileReport {
                        path: display,
                        diagnostics,
                    },
                    SpecFacts::default(),
                )
            }
        }
    }
}

/// The name findings about files that are not UTF-8 carry.
pub const INVALID_UTF8: &str = "invalid-utf8";

/// The name findings about files and folders specbook cannot read carry.
pub const UNREADABLE: &str = "unreadable";

impl Checker {
    /// The report for a file or folder that cannot be read (`message` says why): one
    /// finding, so the run goes on with the other files and the output names it.
    #[must_use]
    pub fn unreadable_report(&self, path: &str, message: &str) -> FileReport {
        let finding = Located {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            rule: UNREADABLE,
            severity: Severity::Error,
            message: format!("specbook cannot read this: {message}"),
            snippet_span: 0..0,
            fix: None,
            file: None,
            snippet: String::new(),
        };
        let diagnostics = match self.settings.grade(finding.rule, finding.severity) {
            Some(severity) => vec![Located {
                severity,
                ..finding
            }],
            None => Vec::new(),
        };
        FileReport {
            path: path.to_owned(),
            diagnostics,
        }
    }
}

/// What fixing one file did.
pub struct FixOutcome {
    /// The findings that remain.
    pub report: FileReport,
    pub facts: SpecFacts,
    /// The text before and after, when the fixes changed it.
    pub change: Option<(String, String)>,
}

/// Works out the fixes of `files` in parallel, writing nothing; outcomes come back in the
/// order of `files`.
#[must_use]
pub fn fix_files(checker: &Checker, files: &[PathBuf]) -> Vec<Result<FixOutcome, WorkspaceError>> {
    files.par_iter().map(|f| checker.fix_file(f)).collect()
}

/// Checks `files` in parallel, then runs the workspace rules over all of them; reports come
/// back in the order of `files`.
#[must_use]
pub fn check_files(checker: &Checker, files: &[PathBuf], around: &Surroundings) -> CheckOutcome {
    let results: Vec<Result<(FileReport, SpecFacts), WorkspaceError>> = files
        .par_iter()
        .map(|f| checker.check_file_with_facts(f))
        .collect();
    let mut outcome = CheckOutcome {
        reports: Vec::with_capacity(results.len()),
        facts: Vec::with_capacity(results.len()),
        errors: Vec::new(),
    };
    for result in results {
        match result {
            Ok((report, facts)) => {
                outcome.reports.push(report);
                outcome.facts.push(facts);
            }
            Err(error) => outcome.errors.push(error),
        }
    }
    add_workspace_findings(checker, &mut outcome, around);
    outcome
}

/// What lies around the checked files: the ids of every spec of the project (checked or not),
/// for `dangling-relation`.
#[derive(Clone, Debug, Default)]
pub struct Surroundings {
    pub spec_ids: std::collections::BTreeSet<specbook_markdown::SpecId>,
    /// Where links starting with `/` start: the repository's root.
    pub root: Option<PathBuf>,
    /// The other specs of the project as `check` saw them, when the caller has them (the
    /// language server checks one document among saved ones): `duplicate-id` and
    /// `relation-cycle` then span the whole project. A neighbour whose path is among the
    /// checked files is left out: the checked text wins.
    pub neighbours: Vec<Neighbour>,
}

/// A spec beyond the checked files, as the workspace rules need it.
#[derive(Clone, Debug)]
pub struct Neighbour {
    pub path: PathBuf,
    pub facts: SpecFacts,
}

impl Surroundings {
    /// The spec ids of `files`.
    #[must_use]
    pub fn of(files: &[PathBuf], ids: &IdScheme) -> Self {
        Self {
            spec_ids: files.iter().filter_map(|f| ids.id(f)).collect(),
            root: None,
            neighbours: Vec::new(),
        }
    }
}

pub use crate::workspace_rules::add_workspace_findings;

/// The finding for a file that is not UTF-8, at its first invalid byte.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Located {
    let valid = &bytes[..valid_up_to];
    let line_start = memchr::memrchr(b'\n', valid).map_or(0, |i| i + 1);
    let line = memchr::memchr_iter(b'\n', valid).count() + 1;
    let prefix = String::from_utf8_lossy(&valid[line_start..]);
    let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(&prefix);
    let column = prefix.chars().count() + 1;
    let line_end =
        memchr::memchr(b'\n', &bytes[valid_up_to..]).map_or(bytes.len(), |i| valid_up_to + i);
    let snippet = String::from_utf8_lossy(&bytes[line_start..line_end]).into_owned();
    let span_start = prefix.len();
    Located {
        line,
        column,
        end_line: line,
        end_column: column + 1,
        rule: INVALID_UTF8,
        severity: Severity::Error,
        message: format!(
            "the file is not valid UTF-8 (invalid byte 0x{:02X} at line {line}, column {column}); specbook reads UTF-8 Markdown only",
            bytes[valid_up_to]
        ),
        snippet_span: span_start..(span_start + 3).min(snippet.len()),
        fix: None,
        file: None,
        snippet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let located = not_utf8(b"# T\nab\xffcd\n", 6);
        assert_eq!((located.line, located.column), (2, 3));
        assert!(located.message.contains("0xFF"), "{}", located.message);
    }
}
