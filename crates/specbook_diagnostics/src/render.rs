//! Output formats: rustc-style human text and the JSON contract of DESIGN.md.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

use crate::{FileReport, Located, Severity, Summary};

/// Settings for the human renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanOptions {
    /// ANSI colours, for a terminal.
    pub color: bool,
}

/// Prints every diagnostic rustc-style, then a one-line summary.
pub fn render_human(
    reports: &[FileReport],
    options: HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for report in reports {
        for diagnostic in &report.diagnostics {
            writeln!(out, "{}\n", render_one(&renderer, &report.path, diagnostic))?;
        }
    }
    let summary = Summary::of(reports);
    writeln!(out, "{}", summary_line(&summary))
}

fn render_one(renderer: &Renderer, path: &str, diagnostic: &Located) -> String {
    if diagnostic.snippet.is_empty() {
        // The source line was too long to keep (see `Located::snippet`).
        return format!(
            "{}[{}]: {}\n --> {path}:{}:{}",
            diagnostic.severity.as_str(),
            diagnostic.rule,
            diagnostic.message,
            diagnostic.line,
            diagnostic.column
        );
    }
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    // Trailing line terminators would render as an extra empty source line.
    let source = diagnostic.snippet.trim_end_matches(['\n', '\r']);
    let span = diagnostic.snippet_span.start.min(source.len())
        ..diagnostic.snippet_span.end.min(source.len());
    let report = &[level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.rule)
        .element(
            Snippet::source(source)
                .line_start(diagnostic.line)
                .path(path)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span)),
        )];
    renderer.render(report)
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

fn summary_line(summary: &Summary) -> String {
    let files = plural(summary.files, "file");
    if summary.errors == 0 && summary.warnings == 0 && summary.infos == 0 {
        return format!("Checked {files}: no problems found.");
    }
    let mut parts = vec![
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    ];
    if summary.infos > 0 {
        parts.push(plural(summary.infos, "note"));
    }
    format!("Checked {files}: {}.", parts.join(", "))
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    #[serde(flatten)]
    located: &'a Located,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

/// Prints one JSON object: `{"diagnostics": [...], "summary": {...}}`.
pub fn render_json(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let summary = Summary::of(reports);
    let output = JsonOutput {
        diagnostics: reports
            .iter()
            .flat_map(|report| {
                report.diagnostics.iter().map(|located| JsonDiagnostic {
                    path: &report.path,
                    located,
                })
            })
            .collect(),
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, LineIndex};

    fn report() -> Vec<FileReport> {
        let text = "# T\n\n- [Question 1]\r\n";
        let index = LineIndex::new(text);
        let diagnostic = Diagnostic::new(
            "placeholder",
            Severity::Warning,
            7..19,
            "placeholder `[Question 1]` left from the template",
        );
        vec![FileReport {
            path: "specs/a.md".into(),
            diagnostics: vec![diagnostic.locate(text, &index)],
        }]
    }

    #[test]
    fn human_output_is_rustc_style() {
        let mut out = Vec::new();
        render_human(&report(), HumanOptions::default(), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn json_output_has_the_documented_shape() {
        let mut out = Vec::new();
        render_json(&report(), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
