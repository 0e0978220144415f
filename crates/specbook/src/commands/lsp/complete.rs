//! Completion: the template's missing sections where the cursor is, front matter fields and
//! their values, spec ids in relation fields and links, and file paths and `#anchors` in link
//! destinations.

use std::path::{Component, Path, PathBuf};

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, CompletionResponse,
    CompletionTextEdit, InsertTextFormat, Position, ServerCapabilities, TextEdit, Uri,
};
use specbook_linter::Context;
use specbook_markdown::{Document, Field, FieldKind, FieldPlace, FieldSource, FieldSpec, Schema};
use specbook_workspace::{Entry, Lifecycle};

use super::{Server, Spec, convert};

pub(super) fn capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.completion_provider = Some(CompletionOptions {
        trigger_characters: Some(["#", "(", "[", "/", ":", " "].map(str::to_owned).to_vec()),
        ..CompletionOptions::default()
    });
}

/// The open spec, parsed and matched to its template, and where the cursor is in it.
pub(super) struct Cursor<'c, 'a> {
    pub spec: &'c Spec<'c>,
    pub cx: &'c Context<'c, 'a>,
    /// The byte offset of the cursor.
    pub offset: usize,
    /// The start of the cursor's line.
    pub line_start: usize,
    /// The end of the cursor's line (its line break excluded).
    pub line_end: usize,
}

impl<'a> Cursor<'_, 'a> {
    fn text(&self) -> &'a str {
        self.cx.doc.text
    }

    /// The line's text before the cursor.
    fn before(&self) -> &'a str {
        &self.text()[self.line_start..self.offset]
    }

    /// The line's text after the cursor.
    fn after(&self) -> &'a str {
        &self.text()[self.offset..self.line_end]
    }

    /// The template the spec is checked against.
    pub fn schema(&self) -> &Schema {
        self.cx.schema
    }

    /// Every other spec of the catalog, in catalog order.
    pub fn others(&self) -> impl Iterator<Item = &Entry> {
        let own = specbook_workspace::lexical(&self.spec.path);
        self.spec
            .project
            .catalog()
            .entries
            .iter()
            .filter(move |e| specbook_workspace::lexical(&e.path) != own)
    }

    fn edit(&self, range: std::ops::Range<usize>, new_text: String) -> CompletionTextEdit {
        CompletionTextEdit::Edit(TextEdit {
            range: self.spec.lines.range(range),
            new_text,
        })
    }
}

/// Runs `with` on the open spec at `uri` parsed and matched to its template, with the cursor
/// at `position`.
pub(super) fn at_cursor<T>(
    spec: &Spec<'_>,
    position: Position,
    with: impl FnOnce(&Cursor<'_, '_>) -> T,
) -> T {
    let view = specbook_markdown::lf_view(spec.text);
    let doc = Document::parse(&view);
    let checker = &spec.project.checker;
    let (schema, _) = checker.template_for(Some(&spec.path), &doc);
    let cx = Context::new(&doc, schema, &checker.settings);
    let offset = spec.lines.offset(position);
    let line_start = view[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = view[offset..].find('\n').map_or(view.len(), |i| offset + i);
    let line_end = if view[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    with(&Cursor {
        spec,
        cx: &cx,
        offset,
        line_start,
        line_end,
    })
}

/// `textDocument/completion`.
pub(super) fn completion(
    server: &mut Server<'_>,
    params: &CompletionParams,
) -> Option<CompletionResponse> {
    let at = &params.text_document_position;
    // The anchors of another file are read before the spec borrows the server.
    let target = anchor_target(server, &at.text_document.uri, at.position);
    let spec = server.spec(&at.text_document.uri)?;
    let items = at_cursor(&spec, at.position, |cursor| {
        if cursor.cx.doc.is_verbatim(cursor.offset) {
            return Vec::new();
        }
        field_items(cursor)
            .or_else(|| link_items(cursor, target.as_ref()))
            .or_else(|| section_items(cursor))
            .unwrap_or_default()
    });
    Some(CompletionResponse::Array(items))
}

/// Escapes text for a snippet: `$`, `}` and `\` are snippet syntax.
fn snippet_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ---- Sections ----

/// On an empty line or after `#`s: the template's sections missing here, in template order.
fn section_items(cursor: &Cursor<'_, '_>) -> Option<Vec<CompletionItem>> {
    let before = cursor.before().trim_start();
    let typed_heading = before.starts_with('#')
        && before.chars().take_while(|&c| c == '#').count() <= 6
        && before
            .trim_start_matches('#')
            .chars()
            .next()
            .is_none_or(|c| c == ' ');
    if !(before.is_empty() || typed_heading) || !cursor.after().trim().is_empty() {
        return None;
    }
    let cx = cursor.cx;
    let headings = &cx.doc.headings;
    // Below the title and the front matter heading.
    let body_start = [cx.title, cx.front_matter]
        .into_iter()
        .flatten()
        .map(|h| headings[h].span.end)
        .max()
        .unwrap_or(cx.doc.body_start);
    if cursor.line_start < body_start {
        return None;
    }
    let sections = &cx.schema.sections;
    let matched = |h: usize| cx.heading_match[h];
    // The present template sections around the cursor's line.
    let previous = (0..headings.len())
        .rev()
        .filter(|&h| headings[h].span.start < cursor.line_start)
        .find_map(matched);
    let next = (0..headings.len())
        .filter(|&h| headings[h].span.start > cursor.line_end)
        .find_map(matched);
    let range = previous.map_or(0, |p| p + 1)..next.unwrap_or(sections.len());
    let numbered = numbers_sections(cx);
    let items = range
        .filter(|&s| cx.section_match[s].is_none())
        .filter(|&s| match sections[s].parent {
            None => true,
            // Under its parent, at the level that makes it the parent's subsection.
            Some(p) => cx.section_match[p].is_some_and(|h| {
                headings[h].span.start < cursor.line_start
                    && cursor.offset <= headings[h].section_end
            }),
        })
        .map(|s| section_item(cursor, s, numbered))
        .collect();
    Some(items)
}

/// Whether the document numbers its sections as the template does (`## 3. Proposed
/// Solution`); a document with no template section yet follows the template.
fn numbers_sections(cx: &Context<'_, '_>) -> bool {
    let mut titles = cx
        .section_match
        .iter()
        .zip(&cx.schema.sections)
        .filter(|(_, s)| s.title != s.name)
        .filter_map(|(h, _)| h.map(|h| cx.doc.heading_title(h)))
        .peekable();
    titles.peek().is_none()
        || titles.any(|title| specbook_markdown::strip_numbering(title) != title.trim())
}

fn section_item(cursor: &Cursor<'_, '_>, s: usize, numbered: bool) -> CompletionItem {
    let schema = cursor.schema();
    let section = &schema.sections[s];
    let hashes = "#".repeat(usize::from(section.level));
    let mut block = specbook_linter::template_block(&schema.sections, s);
    let title = if numbered {
        section.title.clone()
    } else {
        block = block.replacen(
            &format!("{hashes} {}", section.title),
            &format!("{hashes} {}", section.name),
            1,
        );
        section.name.clone()
    };
    let text = cursor.text();
    // One blank line between the section and the text around it.
    let previous_line = text[..cursor.line_start.saturating_sub(1)]
        .rsplit('\n')
        .next()
        .unwrap_or("");
    let next_line = text[(cursor.line_end + 1).min(text.len())..]
        .split('\n')
        .next()
        .unwrap_or("");
    let mut insert = String::new();
    if cursor.line_start > 0 && !previous_line.trim().is_empty() {
        insert.push('\n');
    }
    insert.push_str(&snippet_text(block.trim_end()));
    insert.push_str("$0");
    if !next_line.trim().is_empty() {
        insert.push('\n');
    }
    let subsections = block.lines().filter(|l| l.starts_with('#')).count() - 1;
    let mut detail = if section.optional {
        "optional template section".to_owned()
    } else {
        "template section".to_owned()
    };
    if subsections > 0 {
        let plural = if subsections == 1 { "" } else { "s" };
        detail.push_str(&format!(", with {subsections} subsection{plural}"));
    }
    CompletionItem {
        label: title.clone(),
        kind: Some(CompletionItemKind::SNIPPET),
        detail: Some(detail),
        sort_text: Some(format!("{s:04}")),
        filter_text: Some(format!("{hashes} {title}")),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        text_edit: Some(cursor.edit(cursor.line_start..cursor.offset, insert)),
        ..CompletionItem::default()
    }
}

// ---- Fields ----

/// Whether the cursor is where the document's fields are: its YAML block or its field bullets.
fn in_fields(cursor: &Cursor<'_, '_>) -> Option<FieldSource> {
    let cx = cursor.cx;
    if let Some(yaml) = &cx.doc.yaml {
        let first_line_end = cursor.text()[yaml.block.start..]
            .find('\n')
            .map_or(yaml.block.end, |i| yaml.block.start + i);
        let closing = cursor.text()[..yaml.block.end]
            .trim_end_matches(['\n', '\r'])
            .rfind('\n')
            .map_or(yaml.block.end, |i| i + 1);
        if cursor.offset > first_line_end && cursor.line_start < closing {
            return Some(FieldSource::Yaml);
        }
    }
    let headings = &cx.doc.headings;
    let bullets = match cx.field_place {
        FieldPlace::Heading(h) => {
            cursor.line_start > headings[h].span.end
                && cursor.line_start < headings[h].section_end
                // A subsection of the title is no longer its field list.
                && headings
                    .get(h + 1)
                    .is_none_or(|next| cursor.line_start < next.span.start)
        }
        FieldPlace::Top => headings
            .first()
            .is_none_or(|h| cursor.line_start < h.span.start),
        FieldPlace::Yaml => false,
    };
    bullets.then_some(FieldSource::Bullet)
}

/// In the front matter: the labels of the template's fields the spec lacks, or the values of
/// the field whose value the cursor is in.
fn field_items(cursor: &Cursor<'_, '_>) -> Option<Vec<CompletionItem>> {
    let source = in_fields(cursor)?;
    let field = cursor.cx.fields.iter().find(|f| {
        f.source != FieldSource::Sidecar
            && f.label_span.start >= cursor.line_start
            && f.label_span.end <= cursor.offset
            && f.label_span.start <= cursor.line_end
    });
    if let Some(field) = field {
        return Some(value_items(cursor, field));
    }
    let before = cursor.before();
    if before.trim_start().starts_with('#') {
        // A heading: the front matter ends here.
        return None;
    }
    let label_start = match source {
        FieldSource::Bullet => {
            let rest = before.trim_start();
            let rest = rest
                .strip_prefix(['-', '*', '+'])
                .map_or(rest, str::trim_start);
            rest.trim_start_matches('*')
        }
        _ => before.trim_start(),
    };
    let typing_label = label_start
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '(' | ')'));
    if !typing_label || !cursor.after().trim().is_empty() {
        return Some(Vec::new());
    }
    Some(label_items(cursor, source))
}

fn label_items(cursor: &Cursor<'_, '_>, source: FieldSource) -> Vec<CompletionItem> {
    let cx = cursor.cx;
    let schema = cursor.schema();
    let present = |spec: &FieldSpec| cx.field_specs.iter().flatten().any(|s| s.key == spec.key);
    schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, spec)| !present(spec))
        .map(|(i, spec)| {
            let insert = match source {
                FieldSource::Bullet => bullet_snippet(spec),
                _ => format!("{}: $0", snippet_text(&yaml_key(schema, spec))),
            };
            let optional = if spec.optional { "optional " } else { "" };
            CompletionItem {
                label: spec.label.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(format!("{optional}field: {}", kind_text(spec))),
                sort_text: Some(format!("{i:04}")),
                filter_text: Some(spec.label.clone()),
                insert_text_format: Some(InsertTextFormat::SNIPPET),
                text_edit: Some(cursor.edit(cursor.line_start..cursor.offset, insert)),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// The template's bullet for a field, its placeholder the snippet's first stop.
fn bullet_snippet(spec: &FieldSpec) -> String {
    let line = if spec.line.is_empty() {
        format!("- **{}:** {}", spec.label, spec.placeholder)
    } else {
        spec.line.clone()
    };
    match line.strip_suffix(spec.placeholder.as_str()) {
        Some(head) if !spec.placeholder.is_empty() => format!(
            "{}${{1:{}}}",
            snippet_text(head),
            snippet_text(&spec.placeholder)
        ),
        _ => format!("{}$0", snippet_text(&line)),
    }
}

/// The YAML key of a field: as a YAML template writes it, else the label in the style of
/// YAML keys (`authors`, `last_updated`).
fn yaml_key(schema: &Schema, spec: &FieldSpec) -> String {
    if schema.yaml_front_matter {
        spec.label.clone()
    } else {
        spec.label
            .replace("(s)", "s")
            .to_lowercase()
            .replace([' ', '-'], "_")
    }
}

/// What a field holds, in words.
pub(super) fn kind_text(spec: &FieldSpec) -> String {
    let kind = match &spec.kind {
        FieldKind::Date => "a date (YYYY-MM-DD)".to_owned(),
        FieldKind::Enum(values) => format!("one of {}", values.join(", ")),
        FieldKind::Number => "a number".to_owned(),
        FieldKind::Link => "a URL or a Markdown link".to_owned(),
        FieldKind::Text => "text".to_owned(),
    };
    if spec.list {
        format!("a comma-separated list; each {kind}")
    } else {
        kind
    }
}

/// The byte range a chosen value replaces: the value (for a list, the entry at the cursor),
/// or the cursor when there is none yet.
fn value_range(cursor: &Cursor<'_, '_>, field: &Field, list: bool) -> std::ops::Range<usize> {
    let span = &field.value_span;
    let exact = field.source == FieldSource::Bullet
        || cursor.text().get(span.clone()) == Some(field.value.as_str());
    if field.value.is_empty()
        || !exact
        || !span.contains(&cursor.offset) && cursor.offset != span.end
    {
        return cursor.offset..cursor.offset;
    }
    if !list {
        return span.clone();
    }
    let text = cursor.text();
    let start = text[span.start..cursor.offset]
        .rfind(',')
        .map_or(span.start, |i| span.start + i + 1);
    let start =
        start + (text[start..cursor.offset].len() - text[start..cursor.offset].trim_start().len());
    let end = text[cursor.offset..span.end]
        .find(',')
        .map_or(span.end, |i| cursor.offset + i);
    start..end.max(cursor.offset)
}

fn value_items(cursor: &Cursor<'_, '_>, field: &Field) -> Vec<CompletionItem> {
    let schema = cursor.schema();
    let spec = schema.field_for(&field.label);
    let is = |found: Option<&FieldSpec>| found.zip(spec).is_some_and(|(a, b)| a.key == b.key);
    let item = |label: String, detail: Option<String>, insert: String, list: bool| CompletionItem {
        filter_text: Some(label.clone()),
        label,
        kind: Some(CompletionItemKind::VALUE),
        detail,
        text_edit: Some(cursor.edit(value_range(cursor, field, list), insert)),
        ..CompletionItem::default()
    };
    let mut items: Vec<CompletionItem> =
        if specbook_markdown::RelationKind::of(&field.label).is_some() {
            cursor
                .others()
                .map(|entry| {
                    let mut item = item(
                        spec_label(entry),
                        entry.meta.status.clone(),
                        entry.id(),
                        true,
                    );
                    item.kind = Some(CompletionItemKind::REFERENCE);
                    item
                })
                .collect()
        } else if is(schema.status_field()) {
            status_values(cursor, &field.value)
                .into_iter()
                .map(|(status, detail)| item(status.clone(), detail, status, false))
                .collect()
        } else if is(schema.field_starting("team")) || is(schema.field_starting("author")) {
            let authors = is(schema.field_starting("author"));
            let written: Vec<&str> = field.value.split(',').map(str::trim).collect();
            let mut seen: Vec<String> = cursor
                .spec
                .project
                .catalog()
                .entries
                .iter()
                .flat_map(|e| {
                    if authors {
                        e.meta.authors.clone()
                    } else {
                        e.meta.team.clone().into_iter().collect()
                    }
                })
                .filter(|v| !(v.is_empty() || authors && written.contains(&v.as_str())))
                .collect();
            seen.sort();
            seen.dedup();
            let list = spec.is_some_and(|s| s.list);
            seen.into_iter()
                .map(|v| item(v.clone(), Some("in the catalog".to_owned()), v, list))
                .collect()
        } else {
            match spec.map(|s| &s.kind) {
                Some(FieldKind::Date) => {
                    let today = super::super::today();
                    vec![item(today.clone(), Some("today".to_owned()), today, false)]
                }
                Some(FieldKind::Enum(values)) => values
                    .iter()
                    .map(|v| item(v.clone(), None, v.clone(), spec.is_some_and(|s| s.list)))
                    .collect(),
                _ => Vec::new(),
            }
        };
    for (i, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{i:04}"));
    }
    items
}

/// The statuses the lifecycle allows from `value`: the current one first, then where it
/// may move; every status when the value names none.
fn status_values(cursor: &Cursor<'_, '_>, value: &str) -> Vec<(String, Option<String>)> {
    let lifecycle = Lifecycle::new(cursor.schema(), &cursor.spec.project.config);
    match lifecycle.canonical(value) {
        Some(current) => std::iter::once((current.to_owned(), Some("current status".to_owned())))
            .chain(
                lifecycle
                    .next(Some(current))
                    .into_iter()
                    .map(|to| (to.to_owned(), Some(format!("allowed from {current}")))),
            )
            .collect(),
        None => lifecycle.all().map(|s| (s.to_owned(), None)).collect(),
    }
}

// ---- Spec ids and links ----

/// `0002 Search indexing`.
pub(super) fn spec_label(entry: &Entry) -> String {
    match &entry.meta.title {
        Some(title) => format!("{} {title}", entry.id()),
        None => entry.id(),
    }
}

/// The path of `to` relative to the folder `from`, with `/` separators.
pub(super) fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The link destination the cursor is in: its start and the text before the cursor.
fn destination(before: &str, line_start: usize) -> Option<(usize, &str)> {
    let at = before.rfind("](")?;
    let typed = &before[at + 2..];
    (!typed.contains([' ', '\t', ')', '('])).then_some((line_start + at + 2, typed))
}

/// In a link destination after `#` with a file before it: that file, resolved against the
/// document's folder.
fn anchor_target(server: &Server<'_>, uri: &Uri, position: Position) -> Option<(PathBuf, String)> {
    let path = convert::path_of(uri)?;
    let text = &server.documents.get(uri)?.text;
    let lines = convert::Lines::new(text);
    let offset = lines.offset(position);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let (_, typed) = destination(&text[line_start..offset], line_start)?;
    let (file, _) = typed.split_once('#')?;
    if file.is_empty() {
        return None;
    }
    let target = specbook_workspace::lexical(&path.parent()?.join(file));
    let open = server
        .documents
        .iter()
        .find(|(uri, _)| convert::path_of(uri).is_some_and(|p| p == target))
        .map(|(_, document)| document.text.clone());
    let text = open.or_else(|| std::fs::read_to_string(&target).ok())?;
    Some((target, text))
}

/// In a link: after `](`, the specs' files and the anchors after `#`; after `[`, the specs.
fn link_items(
    cursor: &Cursor<'_, '_>,
    target: Option<&(PathBuf, String)>,
) -> Option<Vec<CompletionItem>> {
    let folder = cursor.spec.path.parent()?;
    if let Some((start, typed)) = destination(cursor.before(), cursor.line_start) {
        if let Some((file, _)) = typed.split_once('#') {
            let hash = start + file.len() + 1;
            let items = if file.is_empty() {
                anchor_items(cursor, cursor.cx.doc, hash)
            } else {
                let (_, text) = target?;
                let view = specbook_markdown::lf_view(text);
                anchor_items(cursor, &Document::parse(&view), hash)
            };
            return Some(items);
        }
        let items = cursor
            .others()
            .map(|entry| {
                let path = relative_path(folder, &entry.path);
                CompletionItem {
                    label: path.clone(),
                    kind: Some(CompletionItemKind::FILE),
                    detail: Some(spec_label(entry)),
                    filter_text: Some(format!("{path} {}", spec_label(entry))),
                    text_edit: Some(cursor.edit(start..cursor.offset, path)),
                    ..CompletionItem::default()
                }
            })
            .collect();
        return Some(items);
    }
    let open = cursor.before().rfind('[')?;
    let typed = &cursor.before()[open + 1..];
    if typed.contains([']', '[']) {
        return None;
    }
    // An editor that closed the bracket: the `]` is part of what the item writes.
    let end = cursor.offset + usize::from(cursor.after().starts_with(']'));
    let start = cursor.line_start + open + 1;
    let items = cursor
        .others()
        .enumerate()
        .map(|(i, entry)| {
            let path = relative_path(folder, &entry.path);
            CompletionItem {
                label: spec_label(entry),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: entry.meta.status.clone(),
                sort_text: Some(format!("{i:04}")),
                filter_text: Some(spec_label(entry)),
                text_edit: Some(cursor.edit(start..end, format!("{}]({path})", entry.id()))),
                ..CompletionItem::default()
            }
        })
        .collect();
    Some(items)
}

/// The heading anchors of `doc`, replacing the text from `start` to the cursor.
fn anchor_items(cursor: &Cursor<'_, '_>, doc: &Document<'_>, start: usize) -> Vec<CompletionItem> {
    doc.heading_anchors()
        .into_iter()
        .enumerate()
        .map(|(i, anchor)| CompletionItem {
            label: anchor.clone(),
            kind: Some(CompletionItemKind::REFERENCE),
            detail: Some(doc.heading_title(i).trim().to_owned()),
            sort_text: Some(format!("{i:04}")),
            text_edit: Some(cursor.edit(start..cursor.offset, anchor)),
            ..CompletionItem::default()
        })
        .collect()
}
