//! Hover: what a spec id or a link to a spec names (from the catalog), what a field holds
//! (from the template), and the documentation of the rule a finding comes from.

use std::ops::Range;

use lsp_types::{
    Hover, HoverContents, HoverParams, HoverProviderCapability, MarkupContent, MarkupKind,
    ServerCapabilities,
};
use specbook_markdown::{FieldSource, RelationKind};
use specbook_workspace::{Entry, Lifecycle};

use super::complete::{Cursor, at_cursor, kind_text, relative_path, spec_label};
use super::{Server, convert};

pub(super) fn capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.hover_provider = Some(HoverProviderCapability::Simple(true));
}

/// One thing the cursor is on: its text and where it is.
struct Part {
    markdown: String,
    range: lsp_types::Range,
}

/// `textDocument/hover`.
pub(super) fn hover(server: &mut Server<'_>, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let spec = server.spec(&at.text_document.uri)?;
    let mut parts: Vec<Part> = at_cursor(&spec, at.position, |cursor| {
        field_part(cursor)
            .into_iter()
            .chain(spec_part(cursor))
            .collect()
    });
    parts.extend(finding_parts(&spec, at.position));
    let range = Some(parts.first()?.range);
    let value = parts
        .iter()
        .map(|p| p.markdown.as_str())
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    })
}

/// Whether `offset` is in `span`, its end included (a cursor right after a word is on it).
fn on(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

// ---- Fields ----

/// On a field's label: what the template says it holds.
fn field_part(cursor: &Cursor<'_, '_>) -> Option<Part> {
    let cx = cursor.cx;
    let (field, spec) = cx
        .fields
        .iter()
        .zip(&cx.field_specs)
        .find(|(f, _)| f.source != FieldSource::Sidecar && on(&f.label_span, cursor.offset))?;
    let mut lines = vec![format!("**{}**", field.label)];
    if let Some(kind) = RelationKind::of(&field.label) {
        let what = match kind {
            RelationKind::Supersedes => "the specs this one replaces",
            RelationKind::SupersededBy => "the specs that replace this one",
            RelationKind::Related => "related specs",
        };
        lines.push(format!(
            "Spec ids, comma-separated (`0002`, `#2`, `[0002](0002-x.md)`): {what}."
        ));
    } else if let Some(spec) = spec {
        let schema = cursor.schema();
        let is_status = schema.status_field().is_some_and(|s| s.key == spec.key);
        if is_status {
            lines.extend(status_lines(cursor, &field.value));
        } else {
            lines.push(format!("{}.", capitalized(&kind_text(spec))));
        }
        let required = if spec.optional {
            "Optional"
        } else {
            "Required"
        };
        lines.push(format!(
            "{required}. The template writes `{}`.",
            spec.placeholder
        ));
    } else {
        lines.push("Not a field of the template.".to_owned());
    }
    Some(Part {
        markdown: lines.join("\n\n"),
        range: cursor.spec.lines.range(field.label_span.clone()),
    })
}

/// The status field: the statuses and the moves allowed from the current one.
fn status_lines(cursor: &Cursor<'_, '_>, value: &str) -> Vec<String> {
    let lifecycle = Lifecycle::new(cursor.schema(), &cursor.spec.project.config);
    let mut lines = vec![format!(
        "The status: one of {}.",
        lifecycle.all().collect::<Vec<_>>().join(", ")
    )];
    let moves: Vec<String> = lifecycle
        .transitions
        .iter()
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    if !moves.is_empty() {
        lines.push(format!("Moves: {}.", moves.join(", ")));
    }
    if let Some(current) = lifecycle.canonical(value) {
        let next = lifecycle.next(Some(current));
        let next = if next.is_empty() {
            "none".to_owned()
        } else {
            next.join(", ")
        };
        lines.push(format!("From {current}: {next}."));
    }
    lines
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

// ---- Specs ----

/// On a spec id (a relation entry, or an id in the text) or a link to a spec: the spec as
/// the catalog has it.
fn spec_part(cursor: &Cursor<'_, '_>) -> Option<Part> {
    let project = cursor.spec.project;
    let ids = &project.checker.ids;
    let own = ids.id(&cursor.spec.path);
    let catalog = project.catalog();
    if let Some(entry) = cursor
        .cx
        .relations
        .iter()
        .find(|r| on(&r.span, cursor.offset))
    {
        let found = ids.read(&entry.text, own).and_then(|id| catalog.by_id(id));
        let markdown = found.map_or_else(
            || format!("No spec has the id `{}`.", entry.text),
            |e| spec_text(cursor, e),
        );
        return Some(Part {
            markdown,
            range: cursor.spec.lines.range(entry.span.clone()),
        });
    }
    if let Some((span, entry)) = linked_spec(cursor) {
        return Some(Part {
            markdown: spec_text(cursor, entry),
            range: cursor.spec.lines.range(span),
        });
    }
    let (span, word) = id_word(cursor)?;
    let entry = ids.read(word, own).and_then(|id| catalog.by_id(id))?;
    Some(Part {
        markdown: spec_text(cursor, entry),
        range: cursor.spec.lines.range(span),
    })
}

fn spec_text(cursor: &Cursor<'_, '_>, entry: &Entry) -> String {
    let meta = &entry.meta;
    let unknown = || "—".to_owned();
    let root = &cursor.spec.project.config.root;
    format!(
        "**{}**\n\n- Status: {}\n- Team: {}\n- Last updated: {}\n- File: `{}`",
        spec_label(entry),
        meta.status.clone().unwrap_or_else(unknown),
        meta.team.clone().unwrap_or_else(unknown),
        meta.last_updated.clone().unwrap_or_else(unknown),
        relative_path(root, &entry.path),
    )
}

/// The link (its text and destination) the cursor is on, when it leads to a spec.
fn linked_spec<'c>(cursor: &'c Cursor<'_, '_>) -> Option<(Range<usize>, &'c Entry)> {
    let text = cursor.cx.doc.text;
    let link = cursor.cx.doc.links.iter().find(|link| {
        let text_start = text[..link.start]
            .strip_suffix("](")
            .and_then(|before| before.rfind('['))
            .filter(|&open| open >= cursor.line_start)
            .unwrap_or(link.start);
        on(&(text_start..link.end), cursor.offset)
    })?;
    let destination = &text[link.clone()];
    let file = destination.split('#').next().unwrap_or_default();
    if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
        return None;
    }
    let target = specbook_workspace::lexical(&cursor.spec.path.parent()?.join(file));
    let entry = cursor
        .spec
        .project
        .catalog()
        .entries
        .iter()
        .find(|e| specbook_workspace::lexical(&e.path) == target)?;
    let start = text[..link.start]
        .strip_suffix("](")
        .and_then(|before| before.rfind('['))
        .unwrap_or(link.start);
    Some((
        start..link.end + usize::from(text[link.end..].starts_with(')')),
        entry,
    ))
}

/// The word at the cursor when it is written as a spec id is (`0042`, `#42`, `A14`,
/// `SE-0300`), not as a plain number or a date.
fn id_word<'a>(cursor: &Cursor<'_, 'a>) -> Option<(Range<usize>, &'a str)> {
    let text = cursor.cx.doc.text;
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '#');
    let start = text[..cursor.offset]
        .rfind(|c: char| !is_word(c))
        .map_or(0, |i| i + 1);
    let end = text[cursor.offset..]
        .find(|c: char| !is_word(c))
        .map_or(text.len(), |i| cursor.offset + i);
    let word = text[start..end].trim_end_matches('-');
    let id = specbook_markdown::SpecId::parse(word)?;
    let digits = word.trim_start_matches('#');
    let looks_like_id = word.starts_with('#')
        || !id.series().is_empty()
        || digits.bytes().take_while(u8::is_ascii_digit).count() >= 4 && digits.starts_with('0');
    let is_date = word.parse::<jiff::civil::Date>().is_ok();
    (looks_like_id && !is_date).then_some((start..start + word.len(), word))
}

// ---- Findings ----

/// The findings at the cursor: each rule's name, summary and what it does.
fn finding_parts(spec: &super::Spec<'_>, position: lsp_types::Position) -> Vec<Part> {
    let findings = spec.project.check(&spec.path, spec.text);
    let mut parts: Vec<Part> = Vec::new();
    let mut rules: Vec<&str> = Vec::new();
    for finding in &findings {
        let range = convert::diagnostic(finding, &spec.lines).range;
        if range.start <= position && position <= range.end && !rules.contains(&finding.rule) {
            rules.push(finding.rule);
            parts.extend(rule_text(finding.rule).map(|markdown| Part { markdown, range }));
        }
    }
    parts
}

/// `**rule**: summary`, then the first sentence of what it does.
fn rule_text(name: &str) -> Option<String> {
    let (summary, doc) = match specbook_linter::rule(name) {
        Some(rule) => (rule.summary, rule.doc),
        None => super::super::check::READER_RULES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|&(_, summary, doc)| (summary, doc))?,
    };
    let paragraph = doc
        .trim_start()
        .strip_prefix("## What it does")
        .unwrap_or(doc)
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or_default();
    // A sentence ends at `. ` (or the paragraph's end); lines are joined.
    let first = paragraph
        .split_once(". ")
        .map_or(paragraph.trim_end(), |(sentence, _)| sentence)
        .trim_end_matches('.')
        .replace('\n', " ");
    Some(format!(
        "**{name}**: {summary}\n\n{first}.\n\n`specbook explain {name}` has the whole page."
    ))
}
