//! `missing-section`: a section of the template the spec does not have.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};
use specbook_markdown::section_key;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "missing-section",
    summary: "A section or subsection of the template is missing",
    doc: r"## What it does
Reports every section of the template that has no heading in the spec. Headings match by title,
ignoring `N.` numbering, case and spacing. When a whole section is missing, its subsections are
not reported separately.

## Why is this bad?
The template is the team's checklist: a missing section is a question nobody answered, such as
how the change is monitored or what it costs. Sections that may be left out are listed under
`optional_sections` in `specbook.toml`.

## Fix safety
Safe: inserts the template's heading and its placeholder text (and its subsections) where the
template puts the section; the placeholders then remind the author to fill it in. The
template's HTML comments, code examples and guidance paragraphs (`This section should
explain ...`, questions to the author) are not inserted: they are for writing a new spec,
not for a finished one.

## Example
A spec that goes from `## 6. Impact Analysis` straight to:
```markdown
## 8. Implementation Plan
```

Use instead:
```markdown
## 7. Success Metrics

### Key Performance Indicators
- Delivery latency p99: under 2 seconds
- Polling traffic: down 30% within three months

### Measurement Plan
Dashboards from launch day; a review with the API team after eight weeks.

## 8. Implementation Plan
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: true,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    // A stub that points elsewhere ("This file was moved to ...") is not a spec to complete.
    if cx.is_stub() {
        return;
    }
    check_front_matter(cx, out);
    let sections = &cx.schema.sections;
    for (s, section) in sections.iter().enumerate() {
        if !is_required_here(cx, s) {
            continue;
        }
        let hashes = "#".repeat(usize::from(section.level));
        let mut message = match section.parent {
            Some(p) => format!(
                "missing subsection `{}` of `{}` (`{hashes} {}`)",
                section.name, sections[p].title, section.title
            ),
            None => format!(
                "missing section `{}` (`{hashes} {}`)",
                section.name, section.title
            ),
        };
        let subsections = sections
            .iter()
            .filter(|c| is_descendant(sections, c.parent, s))
            .count();
        if subsections > 0 {
            let plural = if subsections == 1 { "" } else { "s" };
            message.push_str(&format!(" and its {subsections} subsection{plural}"));
        }
        // Point where the section belongs: before the next template section the spec has.
        let next = (s + 1..sections.len())
            .filter(|&t| !is_descendant(sections, sections[t].parent, s))
            .find_map(|t| cx.section_match[t]);
        let text = cx.doc.text;
        // Subsections the spec already has (under the wrong parent): insert only the heading,
        // right above the first of them, so they become its subsections again.
        let present_descendant = (s + 1..sections.len())
            .take_while(|&t| is_descendant(sections, sections[t].parent, s))
            .filter_map(|t| cx.section_match[t])
            .min();
        let block = match present_descendant {
            Some(_) => section_text(&sections[s]),
            None => template_block(sections, s),
        };
        let anchor = present_descendant.or(next);
        let mut edits = Vec::new();
        let span = if let Some(h) = anchor {
            message.push_str(&format!("; expected before `{}`", cx.doc.heading_title(h)));
            let start = cx.heading_span(h).start;
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            // One blank line before the inserted heading (shared by every insertion here).
            let previous_line = text[..line_start.saturating_sub(1)]
                .rsplit('\n')
                .next()
                .unwrap_or("");
            if line_start > 0 && !previous_line.trim().is_empty() {
                edits.push(Edit {
                    range: line_start..line_start,
                    content: "\n".to_owned(),
                });
            }
            edits.push(Edit {
                range: line_start..line_start,
                content: block + "\n",
            });
            cx.heading_span(h)
        } else {
            let span = match (0..s).rev().find_map(|t| cx.section_match[t]) {
                Some(h) => {
                    message.push_str(&format!(
                        "; expected after the section `{}`",
                        cx.doc.heading_title(h)
                    ));
                    cx.heading_span(h)
                }
                None => cx.start_span(),
            };
            // At the end of the file: the file's end trimmed to one line end (an edit every
            // insertion here shares), then a blank line and the section.
            let trimmed = text.trim_end_matches(['\n', '\r']).len();
            edits.push(Edit {
                range: trimmed..text.len(),
                content: "\n".to_owned(),
            });
            edits.push(Edit {
                range: text.len()..text.len(),
                content: format!("\n{block}"),
            });
            span
        };
        debug_assert_eq!(section_key(&section.title), section.key);
        let diagnostic = Diagnostic::new(RULE.name, Severity::Error, span, message);
        // Text inserted at the end of a file that ends inside code or a comment would be code.
        let end_is_verbatim = anchor.is_none() && cx.doc.is_verbatim(text.len().saturating_sub(1));
        if end_is_verbatim {
            out.push(diagnostic);
        } else {
            let fix = Fix::safe(
                format!("insert the template's `{}` section", section.name),
                edits,
            );
            out.push(diagnostic.with_fix(fix));
        }
    }
}

/// Whether the spec must have template section `s`: it is not there, not optional, and its
/// parent (if any) is there (a missing parent is reported once, with its subsections).
fn is_required_here(cx: &Context<'_, '_>, s: usize) -> bool {
    let section = &cx.schema.sections[s];
    cx.section_match[s].is_none()
        && !section.optional
        && !cx.settings.optional_sections.contains(&section.key)
        && section.parent.is_none_or(|p| cx.section_match[p].is_some())
}

/// Whether a section whose parent is `parent` lies (at any depth) under section `ancestor`.
fn is_descendant(
    sections: &[specbook_markdown::SectionSpec],
    mut parent: Option<usize>,
    ancestor: usize,
) -> bool {
    while let Some(p) = parent {
        if p == ancestor {
            return true;
        }
        parent = sections[p].parent;
    }
    false
}

/// One section's heading and what of its template body a fix inserts (its placeholders, no
/// HTML comments or guidance; see `fix_text`), ending in a line end.
fn section_text(section: &specbook_markdown::SectionSpec) -> String {
    let mut text = format!(
        "{} {}\n",
        "#".repeat(usize::from(section.level)),
        section.title
    );
    let body = &section.fix_body;
    if !body.trim().is_empty() {
        text.push_str(body.trim_end());
        text.push('\n');
    }
    text
}

/// The template's text for section `s` and its subsections, a blank line between sections,
/// ending in a line end: what the fix inserts (and the editor's completion offers).
#[must_use]
pub fn template_block(sections: &[specbook_markdown::SectionSpec], s: usize) -> String {
    let mut parts = Vec::new();
    for (t, section) in sections.iter().enumerate().skip(s) {
        if t != s && !is_descendant(sections, section.parent, s) {
            break;
        }
        parts.push(section_text(section));
    }
    parts.join("\n")
}

/// A spec with neither the front matter section nor a YAML block.
fn check_front_matter(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    if let Some(front_matter) = &cx.schema.front_matter_title
        && cx.front_matter.is_none()
        && cx.doc.yaml.is_none()
    {
        out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                cx.start_span(),
                format!("missing section `{front_matter}`: the spec has no front matter (no `## {front_matter}` bullets and no YAML block)"),
            ));
    }
}
