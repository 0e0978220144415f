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
    render_human_with_summary(reports, Some(&Summary::of(reports)), options, out)
}

/// [`render_human`] with a summary that says more than the reports do (what a baseline hid).
pub fn render_human_with_summary(
    reports: &[FileReport],
    summary: Option<&Summary>,
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
            writeln!(
                out,
                "{}\n",
                render_one(&renderer, diagnostic.path_in(report), diagnostic)
            )?;
        }
    }
    match summary {
        Some(summary) => writeln!(out, "{}", summary_line(summary, true)),
        None => Ok(()),
    }
}

fn render_one(renderer: &Renderer, path: &str, diagnostic: &Located) -> String {
    // A file name, a message quoting the file or its line may hold escape sequences.
    let path = crate::escape_controls(path, &[]);
    let path = path.as_ref();
    let message = format!(
        "{}{}",
        fix_marker(diagnostic),
        crate::escape_controls(&diagnostic.message, &[])
    );
    if diagnostic.snippet.is_empty() {
        // The source line was too long to keep (see `Located::snippet`).
        return format!(
            "{}[{}]: {}\n --> {path}:{}:{}",
            diagnostic.severity.as_str(),
            diagnostic.rule,
            message,
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
    let (source, span) = crate::escape_controls_in(source, span, &['\n', '\t']);
    let source = source.as_str();
    let report = &[level
        .primary_title(message.as_str())
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

/// `[*] ` before a finding `--fix` fixes, as ruff marks them; nothing before the others.
fn fix_marker(diagnostic: &Located) -> &'static str {
    if diagnostic.is_fixable() {
        FIX_MARKER
    } else {
        ""
    }
}

/// The marker, also before the summary's count of fixable findings: the legend.
const FIX_MARKER: &str = "[*] ";

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// The summary; with `legend` when the findings above carry [`FIX_MARKER`], the count of
/// fixable ones starts with it, which says what it means.
fn summary_line(summary: &Summary, legend: bool) -> String {
    let files = plural(summary.files, "file");
    let hidden = match summary.baselined {
        Some(hidden) if hidden > 0 => format!(" ({hidden} hidden by the baseline)"),
        _ => String::new(),
    };
    if summary.errors == 0 && summary.warnings == 0 && summary.infos == 0 {
        return format!("Checked {files}: no problems found{hidden}.");
    }
    let mut parts = vec![
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    ];
    if summary.infos > 0 {
        parts.push(plural(summary.infos, "note"));
    }
    let fixable = match summary.fixable {
        0 => String::new(),
        n => {
            let legend = if legend { FIX_MARKER } else { "" };
            format!(" {legend}{n} fixable with `specbook check --fix`.")
        }
    };
    format!("Checked {files}: {}{hidden}.{fixable}", parts.join(", "))
}

/// One line per finding, `path:line:col: severity[rule] message` (`[*]` before the message
/// of a fixable one), for editors' quickfix lists and grep; then the summary line.
pub fn render_concise(
    reports: &[FileReport],
    summary: Option<&Summary>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for report in reports {
        for diagnostic in &report.diagnostics {
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}{}",
                crate::escape_controls(diagnostic.path_in(report), &[]),
                diagnostic.line,
                diagnostic.column,
                diagnostic.severity.as_str(),
                diagnostic.rule,
                fix_marker(diagnostic),
                crate::escape_controls(&diagnostic.message, &[])
            )?;
        }
    }
    if let Some(summary) = summary {
        writeln!(out, "{}", summary_line(summary, true))?;
    }
    Ok(())
}

/// `--statistics`: the findings counted per rule, most first, with how many `--fix` fixes;
/// then the summary line.
pub fn render_statistics(
    reports: &[FileReport],
    summary: Option<&Summary>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut counts: std::collections::BTreeMap<(&str, &str), (usize, usize)> =
        std::collections::BTreeMap::new();
    for diagnostic in reports.iter().flat_map(|r| &r.diagnostics) {
        let entry = counts
            .entry((diagnostic.rule, diagnostic.severity.as_str()))
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(diagnostic.is_fixable());
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let width = rows
        .iter()
        .map(|((rule, _), _)| rule.len())
        .max()
        .unwrap_or(0);
    for ((rule, severity), (count, fixable)) in rows {
        let fixable = if fixable == 0 {
            String::new()
        } else {
            format!("  {fixable} fixable")
        };
        let line = format!("{count:>6}  {rule:<width$}  {severity:<7}{fixable}");
        writeln!(out, "{}", line.trim_end())?;
    }
    // The fixable counts are a column here; no finding carries the marker.
    if let Some(summary) = summary {
        writeln!(out, "{}", summary_line(summary, false))?;
    }
    Ok(())
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
    /// Only when a baseline is in use, so the output without one stays as it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<usize>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

/// Prints one JSON object: `{"diagnostics": [...], "summary": {...}}`.
pub fn render_json(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    render_json_with_summary(reports, &Summary::of(reports), out)
}

/// [`render_json`] with a summary that says more than the reports do: `baselined`, the
/// findings a baseline hid, when one is in use.
pub fn render_json_with_summary(
    reports: &[FileReport],
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    let output = JsonOutput {
        diagnostics: reports
            .iter()
            .flat_map(|report| {
                report.diagnostics.iter().map(|located| JsonDiagnostic {
                    path: located.path_in(report),
                    located,
                })
            })
            .collect(),
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            baselined: summary.baselined,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(io::Error::from)?;
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

    /// A finding `--fix` fixes and one it does not, in one file.
    fn fixable_and_not() -> Vec<FileReport> {
        let text = "# T\n\n## Front Matter\n\n- [Question 1]\n";
        let index = LineIndex::new(text);
        let heading = text.find("## Front").unwrap();
        let question = text.find("[Question").unwrap();
        let missing = Diagnostic::new(
            "missing-field",
            Severity::Error,
            heading..heading + "## Front Matter".len(),
            "missing field `Team`",
        )
        .with_fix(crate::Fix::safe(
            "add the field",
            vec![crate::Edit {
                range: question - 2..question - 2,
                content: "- **Team:** [Team Name]\n".into(),
            }],
        ));
        let unsafe_fix = Diagnostic::new(
            "placeholder",
            Severity::Warning,
            question..question + "[Question 1]".len(),
            "placeholder `[Question 1]` left from the template",
        )
        .with_fix(crate::Fix {
            applicability: crate::Applicability::Unsafe,
            ..crate::Fix::safe("drop it", Vec::new())
        });
        vec![FileReport {
            path: "specs/a.md".into(),
            diagnostics: vec![
                missing.locate(text, &index),
                unsafe_fix.locate(text, &index),
            ],
        }]
    }

    /// `[*]` marks the findings `--fix` fixes (a safe fix), as ruff does, and the summary's
    /// count of them; a finding with no fix or an unsafe one has no marker.
    #[test]
    fn fixable_findings_are_marked() {
        let reports = fixable_and_not();
        let mut out = Vec::new();
        render_human(&reports, HumanOptions::default(), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
        error[missing-field]: [*] missing field `Team`
         --> specs/a.md:3:1
          |
        3 | ## Front Matter
          | ^^^^^^^^^^^^^^^

        warning[placeholder]: placeholder `[Question 1]` left from the template
         --> specs/a.md:5:3
          |
        5 | - [Question 1]
          |   ^^^^^^^^^^^^

        Checked 1 file: 1 error, 1 warning. [*] 1 fixable with `specbook check --fix`.
        ");
        let mut out = Vec::new();
        render_concise(&reports, Some(&Summary::of(&reports)), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
        specs/a.md:3:1: error[missing-field] [*] missing field `Team`
        specs/a.md:5:3: warning[placeholder] placeholder `[Question 1]` left from the template
        Checked 1 file: 1 error, 1 warning. [*] 1 fixable with `specbook check --fix`.
        ");
        let mut out = Vec::new();
        render_statistics(&reports, Some(&Summary::of(&reports)), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
             1  missing-field  error    1 fixable
             1  placeholder    warning
        Checked 1 file: 1 error, 1 warning. 1 fixable with `specbook check --fix`.
        ");
    }

    #[test]
    fn json_output_has_the_documented_shape() {
        let mut out = Vec::new();
        render_json(&report(), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn summaries_count_what_a_baseline_hid() {
        let reports = report();
        let summary = Summary {
            baselined: Some(12),
            ..Summary::of(&reports)
        };
        let mut out = Vec::new();
        render_human_with_summary(&reports, Some(&summary), HumanOptions::default(), &mut out)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("Checked 1 file: 0 errors, 1 warning (12 hidden by the baseline).\n"),
            "{text}"
        );
        let mut out = Vec::new();
        render_json_with_summary(&reports, &summary, &mut out).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["summary"]["baselined"], 12);
        let clean = Summary {
            baselined: Some(3),
            ..Summary::of(&[])
        };
        assert_eq!(
            summary_line(&clean, true),
            "Checked 0 files: no problems found (3 hidden by the baseline)."
        );
    }
}
