//! The diagnostic types shared by every rule and renderer.

use std::ops::Range;

use serde::Serialize;

use crate::LineIndex;

/// How serious a finding is. `Error` makes `specbook check` exit 1.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding in one file, located by a byte span of the file's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's stable kebab-case name.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the file's text (BOM included). May be empty to point at a position.
    pub span: Range<usize>,
    /// How to repair what the finding is about, when specbook knows.
    pub fix: Option<Fix>,
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the author's meaning; `check --fix` applies it.
    Safe,
    /// Changes meaning; shown, never applied automatically.
    Unsafe,
}

/// A replacement of one byte range of the file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

/// A repair: edits that never overlap, with what they do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    #[must_use]
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            message: message.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }
}

/// A fix resolved to positions, for JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LocatedFix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<LocatedEdit>,
}

/// An edit resolved to positions: replace from `line:column` to `end_line:end_column`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LocatedEdit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: String,
}

impl Diagnostic {
    #[must_use]
    pub fn new(
        rule: &'static str,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            span,
            fix: None,
        }
    }

    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Resolves the byte span to lines and columns and keeps the source lines it covers, so
    /// the file's text can be dropped before output.
    #[must_use]
    pub fn locate(&self, text: &str, index: &LineIndex) -> Located {
        let start = index.position(text, self.span.start);
        let end = index.position(text, self.span.end);
        let (snippet_start, mut snippet_end) =
            index.line_range(text, self.span.start, self.span.end);
        // A minified or generated line would be copied once per finding on it; past this size
        // the human output shows the location without the source line.
        if snippet_end - snippet_start > MAX_SNIPPET {
            snippet_end = snippet_start;
        }
        // Lone CRs as LFs, the line ends the human output draws (the same offsets).
        let snippet = lone_cr_as_lf(&text[snippet_start..snippet_end]);
        let snippet_span = (self.span.start - snippet_start).min(snippet.len())
            ..(self.span.end - snippet_start).min(snippet.len());
        Located {
            rule: self.rule,
            severity: self.severity,
            message: self.message.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            snippet_span,
            snippet,
            file: None,
            fix: self.fix.as_ref().map(|fix| LocatedFix {
                message: fix.message.clone(),
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| {
                        let start = index.position(text, edit.range.start);
                        let end = index.position(text, edit.range.end);
                        LocatedEdit {
                            line: start.line,
                            column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                            content: edit.content.clone(),
                        }
                    })
                    .collect(),
            }),
        }
    }
}

/// The longest source excerpt kept for rendering, in bytes.
const MAX_SNIPPET: usize = 2_000;

/// A diagnostic resolved to user-facing positions, carrying just the source lines it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The full source lines the span touches (line terminators kept), for rendering.
    #[serde(skip)]
    pub snippet: String,
    /// The span relative to `snippet`.
    #[serde(skip)]
    pub snippet_span: Range<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<LocatedFix>,
    /// The file the finding is in, when it is not its report's spec: a sidecar metadata file
    /// (`kep.yaml`) beside the spec.
    #[serde(skip)]
    pub file: Option<String>,
}

impl Located {
    /// The path the finding is shown at: its own file, else its report's.
    #[must_use]
    pub fn path_in<'r>(&'r self, report: &'r FileReport) -> &'r str {
        self.file.as_deref().unwrap_or(&report.path)
    }
}

/// Every finding of one file, in line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The path as it is shown to the user (relative when the user gave a relative path).
    pub path: String,
    pub diagnostics: Vec<Located>,
}

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The findings a baseline hid; `None` when no baseline is in use.
    pub baselined: Option<usize>,
    /// The findings `--fix` can fix (those with a safe fix).
    pub fixable: usize,
}

impl Summary {
    #[must_use]
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for diagnostic in reports.iter().flat_map(|r| &r.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            summary.fixable += usize::from(diagnostic.is_fixable());
        }
        summary
    }
}

impl Located {
    /// Whether `--fix` fixes this finding (it has a safe fix).
    #[must_use]
    pub fn is_fixable(&self) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|fix| fix.applicability == Applicability::Safe)
    }
}

/// `text` with each lone CR as an LF: one ASCII byte for another, so offsets hold.
fn lone_cr_as_lf(text: &str) -> String {
    let bytes = text.as_bytes();
    text.char_indices()
        .map(|(i, c)| {
            if c == '\r' && bytes.get(i + 1) != Some(&b'\n') {
                '\n'
            } else {
                c
            }
        })
        .collect()
}
