//! GitHub Actions workflow commands: one annotation line per finding.

use std::io::{self, Write};

use crate::{FileReport, Severity};

/// Escapes workflow-command data (the message): `%`, CR and LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value: data escapes plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Prints `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=RULE::MESSAGE`
/// for every finding (`::warning` and `::notice` by severity).
pub fn render_github(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        for d in &report.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(d.path_in(report)),
                d.line,
                d.column,
                d.end_line,
                d.end_column,
                escape_property(d.rule),
                escape_data(&d.message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, LineIndex};

    #[test]
    fn lines_follow_the_documented_syntax_with_escapes() {
        let text = "# T\n[x]\n";
        let index = LineIndex::new(text);
        let diagnostic = Diagnostic::new(
            "placeholder",
            Severity::Warning,
            4..7,
            "100% done,\nor: not",
        );
        let report = FileReport {
            path: "specs/a,b:c.md".into(),
            diagnostics: vec![diagnostic.locate(text, &index)],
        };
        let mut out = Vec::new();
        render_github(&[report], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=specs/a%2Cb%3Ac.md,line=2,col=1,endLine=2,endColumn=4,title=placeholder::100%25 done,%0Aor: not\n"
        );
    }
}
