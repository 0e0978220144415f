//! `heading-level`: a section heading at a different level than the template's.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "heading-level",
    summary: "A section heading has a different level than in the template",
    doc: r"## What it does
Reports a heading that matches a template section by title but sits at the wrong depth: a
subsection not below its parent section, or further below it than the template puts it (such
as `#### Data Model` under `## Architecture` where the template has `### Data Model`). Nesting
is what counts, not the absolute level: a spec whose top-level sections are all one level off
the template's is consistent, and where the template skips a level (`###` then `#####`) a
subsection one level below its parent is fine.

## Why is this bad?
The level says what a section belongs to. A subsection promoted or demoted changes the outline,
the table of contents and the section that is checked for emptiness.

## Fix safety
Safe: sets the heading to the level its parent calls for (ATX headings; a setext heading is
left to the author).

## Example
```markdown
#### Data Model
```

Use instead:
```markdown
### Data Model
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: true,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let sections = &cx.schema.sections;
    let level_of = |s: usize| cx.section_match[s].map(|h| cx.doc.headings[h].level);
    // A spec may put all its top-level sections one level off the template's (`##` where the
    // template has `#`): consistent, so fine.
    let top: Vec<u8> = (0..sections.len())
        .filter(|&s| sections[s].parent.is_none())
        .filter_map(level_of)
        .collect();
    let shifted_top = top.first().copied().filter(|l| top.iter().all(|t| t == l));
    for (s, section) in sections.iter().enumerate() {
        let Some(h) = cx.section_match[s] else {
            continue;
        };
        let heading = &cx.doc.headings[h];
        // The levels allowed: below the matched parent by as much as the template goes below
        // it (a template that skips a level allows either), else the template's own level.
        // The parent counts only when the heading is inside it: one written elsewhere is
        // measured against the template's own level.
        let parent = section.parent.filter(|&p| {
            cx.section_match[p]
                .is_some_and(|ph| cx.doc.section_body(ph).contains(&heading.span.start))
        });
        let (low, high) = match parent.and_then(|p| level_of(p).map(|l| (p, l))) {
            Some((p, parent_level)) => {
                let depth = section.level.saturating_sub(sections[p].level).max(1);
                (parent_level + 1, parent_level + depth)
            }
            None if section.parent.is_none() => {
                let level = shifted_top.unwrap_or(section.level);
                (level, level)
            }
            None => {
                // Shifted like the spec's top-level sections, when they all are.
                let shift = shifted_top
                    .zip(
                        sections
                            .iter()
                            .find(|s| s.parent.is_none())
                            .map(|s| s.level),
                    )
                    .map_or(0, |(spec, template)| i16::from(spec) - i16::from(template));
                let level = u8::try_from(i16::from(section.level) + shift).unwrap_or(section.level);
                (level, level)
            }
        };
        if (low..=high).contains(&heading.level) || in_outline_copy(cx, h) {
            continue;
        }
        let expected = if heading.level < low { low } else { high };
        let text = cx.doc.text;
        let hashes = text[heading.span.start..]
            .bytes()
            .take_while(|&b| b == b'#')
            .count();
        // ATX headings only: a setext heading's level is its underline.
        let fix = (hashes == usize::from(heading.level) && expected <= 6).then(|| {
            let edit = Edit {
                range: heading.span.start..heading.span.start + hashes,
                content: "#".repeat(usize::from(expected)),
            };
            Fix::safe(format!("make it a level {expected} heading"), vec![edit])
        });
        let mut diagnostic = Diagnostic::new(
            RULE.name,
            Severity::Error,
            heading.span.clone(),
            format!(
                "section `{}` is a level {} heading; {}",
                section.name,
                heading.level,
                match parent.and_then(|p| cx.section_match[p].map(|ph| (p, ph))) {
                    Some((p, ph)) => format!(
                        "under `{}` (level {}) it belongs at level {expected}, as in the template (`{} {}`)",
                        sections[p].name,
                        cx.doc.headings[ph].level,
                        "#".repeat(usize::from(section.level)),
                        section.title
                    ),
                    None => format!(
                        "the template has it at level {expected} (`{} {}`)",
                        "#".repeat(usize::from(section.level)),
                        section.title
                    ),
                }
            ),
        );
        diagnostic.fix = fix;
        out.push(diagnostic);
    }
}

/// Whether heading `h` is one of a nested copy of the template's outline: under a heading
/// that is not the template's, beside another heading named like a template section that the
/// spec has elsewhere, at its own place (ICS-1's `## Components` lists `### Synopsis`,
/// `### History` and `### Copyright` to describe the format; its own `## History` follows).
fn in_outline_copy(cx: &Context<'_, '_>, h: usize) -> bool {
    let headings = &cx.doc.headings;
    let level = headings[h].level;
    let Some(parent) = (0..h).rev().find(|&p| headings[p].level < level) else {
        return false;
    };
    if cx.heading_match[parent].is_some() {
        return false;
    }
    let body = cx.doc.section_body(parent);
    (parent + 1..headings.len())
        .take_while(|&o| body.contains(&headings[o].span.start))
        .filter(|&o| o != h && cx.heading_match[o].is_none())
        .any(|o| {
            cx.schema.sections.iter().enumerate().any(|(s, section)| {
                section.key == headings[o].key && cx.section_match[s].is_some_and(|m| m != o)
            })
        })
}
