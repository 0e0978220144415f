//! Recording a transition in the spec's status-history field, written in the spec's own
//! style: a bullet with one nested item per transition for bullet front matter, a YAML list
//! for YAML front matter and sidecars.

use std::ops::Range;

use specbook_linter::Context;
use specbook_markdown::{Field, FieldSource, RecordedTransition, field_end};

use crate::lifecycle::SpecTexts;
use crate::scaffold::yaml_scalar;

/// The texts with `record` added as the last entry of the status-history field of the spec's
/// template, the field created right after the lifecycle field when the spec has none. The
/// texts as they are when the template has no history field or the spec no lifecycle field.
pub(crate) fn record(
    checker: &crate::Checker,
    texts: &SpecTexts,
    record: &RecordedTransition,
) -> Result<SpecTexts, String> {
    let view = specbook_markdown::lf_view(&texts.spec);
    let doc = specbook_markdown::Document::parse(&view);
    let schema = checker.template_for(Some(&texts.spec_path), &doc).0;
    let cx = Context::with_fields(&doc, schema, &checker.settings, texts.sidecar_fields());
    let (Some(history), Some(status)) = (
        schema.history_field(),
        schema.status_field().and_then(|spec| cx.field_of(spec)),
    ) else {
        return Ok(texts.clone());
    };
    let combined = texts.combined();
    let entry = record.to_string();
    let edit = match cx.field_of(history) {
        Some(field) => append(&combined, field, &entry)?,
        None => insert(&combined, &cx, status, &history.label, &entry),
    };
    Ok(texts.apply(vec![edit]))
}

/// A new entry after the field's last one, in the indent and marker of its first.
fn append(text: &str, field: &Field, entry: &str) -> Result<(Range<usize>, String), String> {
    let view = specbook_markdown::lf_view(text);
    let yaml = field.source != FieldSource::Bullet;
    let end = field_end(&view, field.label_span.start, yaml);
    let newline = newline_at(text, end);
    let own = line_indent(&view, field.label_span.start);
    let first = next_line(&view, field.label_span.start)
        .filter(|&at| at < end)
        .map(|at| entry_style(&view, at))
        .filter(|(_, marker)| !marker.is_empty());
    if !yaml {
        let (indent, marker) = first.unwrap_or_else(|| nested_style(&view, field.label_span.start));
        return Ok((end..end, format!("{newline}{indent}{marker} {entry}")));
    }
    let item = yaml_scalar(entry);
    let key_line_end = view[field.label_span.start..]
        .find('\n')
        .map_or(view.len(), |i| field.label_span.start + i);
    let on_key_line = field.value_span.start <= key_line_end;
    let value = if on_key_line {
        text[field.value_span.clone()].trim()
    } else {
        ""
    };
    if !value.is_empty() && !value.starts_with('#') {
        // `[]` or a one-line flow list becomes a block list; a single value is not a list.
        let is_flow = value.starts_with('[') && value.ends_with(']');
        if !is_flow || end > field.value_span.end {
            return Err(format!(
                "`{}` holds `{value}`, not a list of transitions; make it a list (or remove it) and try again",
                field.label
            ));
        }
        let indent = format!("{own}  ");
        let lines: String = field
            .items
            .iter()
            .map(|old| format!("{newline}{indent}- {}", yaml_scalar(old)))
            .chain([format!("{newline}{indent}- {item}")])
            .collect();
        let start = text[..field.value_span.start]
            .trim_end_matches([' ', '\t'])
            .len();
        return Ok((start..field.value_span.end, lines));
    }
    let indent = first.map_or_else(|| format!("{own}  "), |(indent, _)| indent);
    Ok((end..end, format!("{newline}{indent}- {item}")))
}

/// The field, with its first entry, on the lines after the lifecycle field `status`, written
/// as that field is: `- **Status History:**` after `- **Status:** Draft`, `status_history:`
/// after `status: draft`.
fn insert(
    text: &str,
    cx: &Context<'_, '_>,
    status: &Field,
    label: &str,
    entry: &str,
) -> (Range<usize>, String) {
    let view = specbook_markdown::lf_view(text);
    let yaml = status.source != FieldSource::Bullet;
    let end = field_end(&view, status.label_span.start, yaml);
    let newline = newline_at(text, end);
    let start = line_start(&view, status.label_span.start);
    if yaml {
        let own = line_indent(&view, status.label_span.start);
        let key = yaml_key(label, &status.label, cx);
        let item = yaml_scalar(entry);
        return (
            end..end,
            format!("{newline}{own}{key}:{newline}{own}  - {item}"),
        );
    }
    // The lifecycle bullet with its label replaced and its value left out.
    let label_line_end = view[status.label_span.end..]
        .find('\n')
        .map_or(view.len(), |i| status.label_span.end + i);
    let between = status.label_span.end
        ..status
            .value_span
            .start
            .clamp(status.label_span.end, label_line_end);
    let head = format!(
        "{}{label}{}",
        &text[start..status.label_span.start],
        &text[between]
    );
    let (indent, marker) = nested_style(&view, status.label_span.start);
    (
        end..end,
        format!(
            "{newline}{}{newline}{indent}{marker} {entry}",
            head.trim_end()
        ),
    )
}

/// A YAML key for `label` in the naming style of the spec's keys: the case of the lifecycle
/// key (`status` -> `status history`), and the separator of its first key of several words
/// (`last-updated` -> `status-history`; `_` when there is none).
pub(crate) fn yaml_key(label: &str, lifecycle: &str, cx: &Context<'_, '_>) -> String {
    let separator = cx
        .fields
        .iter()
        .filter(|f| f.source != FieldSource::Bullet)
        .find_map(|f| {
            let key = f.label.trim();
            key.find([' ', '_', '-']).map(|i| &key[i..=i])
        })
        .unwrap_or("_");
    let words: Vec<&str> = label
        .split([' ', '_', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    let key = words.join(separator);
    let letters = || lifecycle.chars().filter(|c| c.is_alphabetic());
    if letters().all(char::is_lowercase) {
        key.to_lowercase()
    } else if letters().all(char::is_uppercase) {
        key.to_uppercase()
    } else {
        key
    }
}

/// The indent and marker of an item nested under the bullet whose label starts at
/// `label_start`: under its content (`- **Status:**` -> two spaces), with its marker (`-`
/// for an ordered list).
fn nested_style(view: &str, label_start: usize) -> (String, String) {
    let line = &view[line_start(view, label_start)..label_start];
    let rest = line.trim_start_matches([' ', '\t']);
    let marker_end = rest.find(' ').unwrap_or(rest.len());
    let after = &rest[marker_end..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    let column = line.len() - rest.len() + marker_end + spaces;
    let marker = rest.chars().next().filter(|c| "-*+".contains(*c));
    (" ".repeat(column), marker.unwrap_or('-').to_string())
}

/// The indent and list marker of the line at `at` (`  - 2026-...` -> `  `, `-`); no marker
/// when the line is not an item.
fn entry_style(view: &str, at: usize) -> (String, String) {
    let end = view[at..].find('\n').map_or(view.len(), |i| at + i);
    let line = &view[at..end];
    let rest = line.trim_start_matches([' ', '\t']);
    let indent = line[..line.len() - rest.len()].to_owned();
    let marker = rest
        .chars()
        .next()
        .filter(|c| "-*+".contains(*c) && rest[1..].starts_with(' '))
        .map_or_else(String::new, |c| c.to_string());
    (indent, marker)
}

/// The start of the line after the one holding `at`, if there is one.
fn next_line(view: &str, at: usize) -> Option<usize> {
    view[at..]
        .find('\n')
        .map(|i| at + i + 1)
        .filter(|&i| i < view.len())
}

fn line_start(view: &str, at: usize) -> usize {
    view[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The spaces before the text of the line holding `at`.
fn line_indent(view: &str, at: usize) -> String {
    let start = line_start(view, at);
    let line = &view[start..];
    let rest = line.trim_start_matches([' ', '\t']);
    line[..line.len() - rest.len()].to_owned()
}

/// The line break a line inserted at `at` (a line's end) takes: the one that ends that line,
/// else the file's.
fn newline_at(text: &str, at: usize) -> &'static str {
    let rest = &text[at..];
    if rest.starts_with("\r\n") {
        "\r\n"
    } else if rest.starts_with('\r') {
        "\r"
    } else if rest.starts_with('\n') {
        "\n"
    } else {
        specbook_markdown::LineEnding::of(text).as_str()
    }
}
