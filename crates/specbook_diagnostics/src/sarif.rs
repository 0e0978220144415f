//! SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, IDE viewers).

use std::io::{self, Write};

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use crate::{FileReport, Severity};

/// What SARIF says about a rule: from the rule's own documentation.
#[derive(Clone, Copy, Debug)]
pub struct RuleDescription<'a> {
    pub name: &'a str,
    /// One line.
    pub summary: &'a str,
    /// The full documentation, Markdown.
    pub doc: &'a str,
    /// The level a finding has unless the lifecycle or configuration changes it.
    pub default_severity: Severity,
}

/// The tool that produced the log.
#[derive(Clone, Copy, Debug)]
pub struct ToolInfo<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub information_uri: &'a str,
}

/// SARIF integers are `i64`; a line or column past that is not a real file.
fn sarif_int(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph of a rule's documentation after its first heading.
fn first_paragraph(doc: &str) -> String {
    doc.split("\n\n")
        .map(|block| {
            block
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|p| !p.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A path as a URI: a relative reference for a relative path, a `file://` URI for an absolute
/// one; forward slashes, and every byte outside the unreserved set and `/` percent-encoded.
/// The `uriBaseId` of paths relative to the repository root.
const SRCROOT: &str = "%SRCROOT%";

fn uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len() + 7);
    if path.starts_with('/') {
        encoded.push_str("file://");
    }
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Prints one SARIF log with one run: the tool with every rule, then every finding.
pub fn render_sarif(
    reports: &[FileReport],
    rules: &[RuleDescription<'_>],
    tool: ToolInfo<'_>,
    root: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let descriptors: Vec<ReportingDescriptor> = rules
        .iter()
        .map(|rule| {
            ReportingDescriptor::builder()
                .id(rule.name)
                .name(rule.name)
                .short_description(
                    MultiformatMessageString::builder()
                        .text(rule.summary)
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(first_paragraph(rule.doc))
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(rule.doc)
                        .markdown(rule.doc)
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(serde_json::json!(level_name(rule.default_severity)))
                        .build(),
                )
                .build()
        })
        .collect();
    let results: Vec<SarifResult> = reports
        .iter()
        .flat_map(|report| report.diagnostics.iter().map(move |d| (report, d)))
        .map(|(report, d)| {
            let region = Region::builder()
                .start_line(sarif_int(d.line))
                .start_column(sarif_int(d.column))
                .end_line(sarif_int(d.end_line))
                .end_column(sarif_int(d.end_column))
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location({
                            let path = d.path_in(report);
                            let mut location = ArtifactLocation::builder().uri(uri(path)).build();
                            // Paths relative to the repository root, which the run names.
                            if root.is_some() && !path.starts_with('/') {
                                location.uri_base_id = Some(SRCROOT.to_owned());
                            }
                            location
                        })
                        .region(region)
                        .build(),
                )
                .build();
            let mut result = SarifResult::builder()
                .rule_id(d.rule)
                .level(level(d.severity))
                .message(Message::builder().text(d.message.as_str()).build())
                .locations(vec![location])
                .build();
            result.rule_index = rules.iter().position(|r| r.name == d.rule).map(sarif_int);
            result
        })
        .collect();
    let driver = ToolComponent::builder()
        .name(tool.name)
        .version(tool.version)
        .semantic_version(tool.version)
        .information_uri(tool.information_uri)
        .rules(descriptors)
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        // Columns count characters, as everywhere in specbook.
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    if let Some(root) = root {
        let mut folder = uri(&root.display().to_string());
        if !folder.ends_with('/') {
            folder.push('/');
        }
        run.original_uri_base_ids = Some(std::collections::BTreeMap::from([(
            SRCROOT.to_owned(),
            ArtifactLocation::builder().uri(folder).build(),
        )]));
    }
    let log = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("specs/0001-a b.md"), "specs/0001-a%20b.md");
        assert_eq!(uri("specs\\café.md"), "specs/caf%C3%A9.md");
        assert_eq!(uri("/tmp/sub dir/x.md"), "file:///tmp/sub%20dir/x.md");
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        assert_eq!(
            first_paragraph("## What it does\nReports things\nacross lines.\n\n## Why"),
            "Reports things across lines."
        );
    }
}
