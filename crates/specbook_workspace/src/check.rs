//! Checking many files in parallel, in a deterministic order.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use specbook_diagnostics::{Diagnostic, FileReport, LineIndex, Located, Severity};
use specbook_linter::Settings;
use specbook_markdown::{Document, Schema};

use crate::WorkspaceError;
use crate::catalog::spec_number;

/// A template and settings, ready to check files.
pub struct Checker {
    pub schema: Schema,
    pub settings: Settings,
}

/// What a run found: one report per readable file (sorted by path) and the files that could
/// not be read.
pub struct CheckOutcome {
    pub reports: Vec<FileReport>,
    pub errors: Vec<WorkspaceError>,
}

impl Checker {
    /// The graded findings of one text (rules, suppressions, `[rules]` and flags applied).
    #[must_use]
    pub fn diagnostics(&self, text: &str) -> Vec<Diagnostic> {
        let doc = Document::parse(text);
        let mut diagnostics = specbook_linter::check(&doc, &self.schema, &self.settings);
        diagnostics.retain_mut(|d| match self.settings.grade(d.rule, d.severity) {
            Some(severity) => {
                d.severity = severity;
                true
            }
            None => false,
        });
        diagnostics
    }

    /// Checks one text; `path` is only used for display.
    #[must_use]
    pub fn check_text(&self, path: &str, text: &str) -> FileReport {
        let diagnostics = self.diagnostics(text);
        let mut located: Vec<Located> = Vec::with_capacity(diagnostics.len());
        if !diagnostics.is_empty() {
            let index = LineIndex::new(text);
            located.extend(diagnostics.iter().map(|d| d.locate(text, &index)));
        }
        located.sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
        FileReport {
            path: path.to_owned(),
            diagnostics: located,
        }
    }

    /// The text with every safe fix applied, round after round until none applies (at most
    /// ten rounds), or `None` when nothing changes.
    #[must_use]
    pub fn fixed_text(&self, text: &str) -> Option<String> {
        let mut current = text.to_owned();
        for _ in 0..10 {
            match specbook_linter::apply_fixes(&current, &self.diagnostics(&current)) {
                Some(fixed) => current = fixed,
                None => break,
            }
        }
        (current != text).then_some(current)
    }

    /// Applies the safe fixes to one file. With `write`, the file is replaced atomically (its
    /// permissions kept) unless it changed on disk since it was read. Returns the report of
    /// what remains and, when the fixes change the text, the text before and after.
    pub fn fix_file(&self, path: &Path, write: bool) -> Result<FixOutcome, WorkspaceError> {
        let bytes = std::fs::read(path).map_err(|error| WorkspaceError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Ok(FixOutcome {
                report: self.check_file(path)?,
                change: None,
            });
        };
        let display = path.display().to_string();
        let Some(fixed) = self.fixed_text(text) else {
            return Ok(FixOutcome {
                report: self.check_text(&display, text),
                change: None,
            });
        };
        if write {
            crate::scaffold::replace_file(path, &bytes, &fixed)?;
        }
        Ok(FixOutcome {
            report: self.check_text(&display, &fixed),
            change: Some((text.to_owned(), fixed)),
        })
    }

    /// Reads and checks one file. A file that is not UTF-8 is a finding, not a failure.
    pub fn check_file(&self, path: &Path) -> Result<FileReport, WorkspaceError> {
        let bytes = std::fs::read(path).map_err(|source| WorkspaceError::Read {
            path: path.to_path_buf(),
            error: source,
        })?;
        let display = path.display().to_string();
        match std::str::from_utf8(&bytes) {
            Ok(text) => Ok(self.check_text(&display, text)),
            Err(error) => {
                let mut finding = not_utf8(&bytes, error.valid_up_to());
                let diagnostics = match self.settings.grade(finding.rule, finding.severity) {
                    Some(severity) => {
                        finding.severity = severity;
                        vec![finding]
                    }
                    None => Vec::new(),
                };
                Ok(FileReport {
                    path: display,
                    diagnostics,
                })
            }
        }
    }
}

/// The name findings about files that are not UTF-8 carry.
pub const INVALID_UTF8: &str = "invalid-utf8";

/// What fixing one file did.
pub struct FixOutcome {
    /// The findings that remain.
    pub report: FileReport,
    /// The text before and after, when the fixes changed it.
    pub change: Option<(String, String)>,
}

/// Fixes `files` in parallel; outcomes come back in the order of `files`.
#[must_use]
pub fn fix_files(
    checker: &Checker,
    files: &[PathBuf],
    write: bool,
) -> Vec<Result<FixOutcome, WorkspaceError>> {
    files
        .par_iter()
        .map(|f| checker.fix_file(f, write))
        .collect()
}

/// Adds the findings of workspace rules (`duplicate-id`), which need every report at once.
pub fn add_workspace_findings(checker: &Checker, reports: &mut [FileReport]) {
    let mut by_number: std::collections::BTreeMap<u32, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, report) in reports.iter().enumerate() {
        if let Some(number) = spec_number(Path::new(&report.path)) {
            by_number.entry(number).or_default().push(i);
        }
    }
    for (number, indices) in by_number
        .into_iter()
        .filter(|(_, indices)| indices.len() > 1)
    {
        let Some(severity) = checker.settings.grade("duplicate-id", Severity::Error) else {
            return;
        };
        for &i in &indices {
            let others: Vec<&str> = indices
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| reports[j].path.as_str())
                .collect();
            let finding = Located {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                rule: "duplicate-id",
                severity,
                message: format!(
                    "spec number {number:04} is also used by {}; renumber one of them",
                    others.join(", ")
                ),
                snippet: String::new(),
                snippet_span: 0..0,
                fix: None,
            };
            reports[i].diagnostics.insert(0, finding);
        }
    }
}

/// Checks `files` in parallel; reports come back in the order of `files`.
#[must_use]
pub fn check_files(checker: &Checker, files: &[PathBuf]) -> CheckOutcome {
    let results: Vec<Result<FileReport, WorkspaceError>> =
        files.par_iter().map(|f| checker.check_file(f)).collect();
    let mut outcome = CheckOutcome {
        reports: Vec::with_capacity(results.len()),
        errors: Vec::new(),
    };
    for result in results {
        match result {
            Ok(report) => outcome.reports.push(report),
            Err(error) => outcome.errors.push(error),
        }
    }
    add_workspace_findings(checker, &mut outcome.reports);
    outcome
}

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
