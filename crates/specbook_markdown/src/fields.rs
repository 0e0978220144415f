//! Front-matter fields: `- **Label:** value` bullets or YAML `key: value` entries.

use std::ops::Range;

use crate::document::Document;

/// Where a field was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldSource {
    /// A `- **Label:** value` bullet in the front matter section.
    Bullet,
    /// A `key: value` entry of a YAML block.
    Yaml,
    /// A `key: value` entry of a sidecar metadata file beside the spec (`kep.yaml`). Its spans
    /// are offsets into that file plus the base the caller chose (see [`sidecar_fields`]).
    Sidecar,
}

/// The top-level entries of a sidecar metadata file (a YAML mapping), as fields whose spans
/// are `base` plus offsets into `text`: a base past the end of the spec's text keeps them
/// apart from the spec's own spans. An unreadable file gives its error (span offset alike).
#[must_use]
pub fn sidecar_fields(text: &str, base: usize) -> (Vec<Field>, Option<crate::YamlError>) {
    let (entries, error) = crate::yaml::parse_whole(text);
    let shift = |r: &Range<usize>| r.start + base..r.end + base;
    let fields = entries
        .into_iter()
        .map(|entry| Field {
            label: entry.key,
            label_span: shift(&entry.key_span),
            value: entry.value.trim().to_owned(),
            value_span: shift(&entry.value_span),
            items: entry.items,
            source: FieldSource::Sidecar,
        })
        .collect();
    let error = error.map(|e| crate::YamlError {
        span: shift(&e.span),
        message: e.message,
    });
    (fields, error)
}

/// One metadata field of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub label_span: Range<usize>,
    /// The value as written (trimmed); YAML sequences joined with ", ".
    pub value: String,
    /// Where the value is (empty at the end of the label when there is no value).
    pub value_span: Range<usize>,
    /// The entries of a list value, in order: a YAML sequence's items, or the items nested
    /// under a field bullet (the first line of each, trimmed). Empty for a single value.
    pub items: Vec<String>,
    pub source: FieldSource,
}

/// Where a document's field bullets are, besides its YAML front matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldPlace {
    /// Nowhere: only YAML front matter holds fields.
    Yaml,
    /// Directly under the heading at this index (a `## Front Matter` section, or the title).
    Heading(usize),
    /// Before the first heading.
    Top,
}

impl Document<'_> {
    /// The document's fields: its YAML front matter entries, then the field bullets directly
    /// under `heading` (the front matter section). A field given both ways appears twice.
    #[must_use]
    pub fn fields(&self, heading: Option<usize>) -> Vec<Field> {
        self.fields_at(heading.map_or(FieldPlace::Yaml, FieldPlace::Heading))
    }

    /// The document's fields: its YAML front matter entries, then the field bullets at
    /// `place`. A field given both ways appears twice.
    #[must_use]
    pub fn fields_at(&self, place: FieldPlace) -> Vec<Field> {
        let mut fields = Vec::new();
        if let Some(yaml) = &self.yaml {
            fields = yaml
                .entries
                .iter()
                .map(|entry| Field {
                    label: entry.key.clone(),
                    label_span: entry.key_span.clone(),
                    value: entry.value.trim().to_owned(),
                    value_span: entry.value_span.clone(),
                    items: entry.items.clone(),
                    source: FieldSource::Yaml,
                })
                .collect();
        }
        let heading = match place {
            FieldPlace::Yaml => return fields,
            FieldPlace::Heading(heading) => Some(heading),
            FieldPlace::Top => None,
        };
        // The field list's own items: a nested item (`  * https://...` under `* Discussions
        // at:`) is part of its parent's value, not a field.
        let items: Vec<&crate::ListItem> = self
            .list_items
            .iter()
            .filter(|item| item.heading == heading)
            .collect();
        let outer = items.iter().map(|i| i.indent).min().unwrap_or(0);
        fields.extend(
            items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.indent == outer)
                .filter_map(|(i, item)| {
                    let mut field = bullet_field(self.text, item.content.clone())
                        .map(|field| continued(self.text, field, item))?;
                    field.items = nested_items(self.text, &items[i + 1..], outer);
                    Some(field)
                }),
        );
        fields
    }
}

/// The texts of the items nested right under a field's item: those of `after` (the items that
/// follow it) up to the next item at the field list's `outer` indent, at the indent of the
/// first of them (deeper items belong to the entry above them).
fn nested_items(text: &str, after: &[&crate::ListItem], outer: usize) -> Vec<String> {
    let nested: Vec<&crate::ListItem> = after
        .iter()
        .take_while(|item| item.indent > outer)
        .copied()
        .collect();
    let Some(first) = nested.first() else {
        return Vec::new();
    };
    nested
        .iter()
        .filter(|item| item.indent == first.indent)
        .map(|item| text[item.content.clone()].trim().to_owned())
        .collect()
}

/// Where the text of the field whose label starts at `label_start` ends: the end of the last
/// line (line break excluded) of its bullet or YAML entry, with the lines that belong to it
/// (more indented lines, such as nested items or a YAML block sequence, and for `yaml` the
/// `- ` lines at the key's own indent). `text` may be the spec and its sidecar (see
/// [`sidecar_fields`]): only line breaks and indents matter.
#[must_use]
pub fn field_end(text: &str, label_start: usize, yaml: bool) -> usize {
    let line_start = memchr::memrchr(b'\n', &text.as_bytes()[..label_start]).map_or(0, |i| i + 1);
    let indent_of = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let first = &text[line_start..];
    let first_end = first.find('\n').map_or(text.len(), |i| line_start + i);
    // A bullet's indent is that of its marker; a YAML key's is that of the key.
    let own = indent_of(&text[line_start..first_end]);
    let mut end = first_end;
    let mut at = first_end;
    while at < text.len() {
        let start = at + 1;
        let stop = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[start..stop].trim_end_matches('\r');
        at = stop;
        if line.trim().is_empty() {
            continue; // Part of the field only if a line of it follows.
        }
        let indent = indent_of(line);
        let rest = line[indent..].trim_end();
        let sequence = yaml && indent == own && (rest == "-" || rest.starts_with("- "));
        if indent > own || sequence {
            end = start + line.len();
        } else {
            break;
        }
    }
    // A CR before the line break belongs to the break.
    if text[..end].ends_with('\r') {
        end -= 1;
    }
    end
}

/// A field with no value on its line takes the item's next line when that continues it
/// (indented, not a new item): `* Discussion at:` then `  https://...`.
fn continued(text: &str, mut field: Field, item: &crate::ListItem) -> Field {
    if !field.value.is_empty() {
        return field;
    }
    let after = text[item.span.end..]
        .find('\n')
        .map_or(text.len(), |i| item.span.end + i + 1);
    let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
    let line = text[after..line_end].trim_end_matches('\r');
    let indent = line.len() - line.trim_start().len();
    let next = line.trim();
    let is_item = next.starts_with(['-', '*', '+']) && next[1..].starts_with(' ')
        || next.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ')
        });
    if indent > item.indent && !next.is_empty() && !is_item {
        let start = after + indent;
        next.clone_into(&mut field.value);
        field.value_span = start..start + next.len();
    }
    field
}

/// Parses `**Label:** value`, `**Label**: value` or `Label: value`.
fn bullet_field(text: &str, content: Range<usize>) -> Option<Field> {
    let line = &text[content.clone()];
    let (label, label_start, value_start) = if let Some(bold) =
        line.strip_prefix("**").or_else(|| line.strip_prefix("__"))
    {
        let delimiter = &line[..2];
        let close = bold.find(delimiter)?;
        let inside = &bold[..close];
        let after = &bold[close + 2..];
        if let Some(label) = inside.strip_suffix(':') {
            (label, 2, 2 + close + 2)
        } else {
            after.strip_prefix(':')?;
            (inside, 2, 2 + close + 3)
        }
    } else {
        let colon = line.find(':')?;
        let label = &line[..colon];
        // `Author(s)` is a label; other brackets mean prose or a link.
        let bare = label.replace("(s)", "");
        if label.is_empty() || label.len() > 60 || bare.contains(['[', ']', '(', ')', '`', '*']) {
            return None;
        }
        (label, 0, colon + 1)
    };
    let label_trimmed = label.trim();
    if label_trimmed.is_empty() {
        return None;
    }
    let label_offset = label_start + (label.len() - label.trim_start().len());
    let raw_value = &line[value_start.min(line.len())..];
    let value = raw_value.trim();
    let value_offset = value_start + (raw_value.len() - raw_value.trim_start().len());
    let base = content.start;
    Some(Field {
        label: label_trimmed.to_owned(),
        label_span: base + label_offset..base + label_offset + label_trimmed.len(),
        value: value.to_owned(),
        value_span: base + value_offset..base + value_offset + value.len(),
        items: Vec::new(),
        source: FieldSource::Bullet,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(String, String, &str)> {
        let doc = Document::parse(text);
        doc.fields(Some(0))
            .into_iter()
            .map(|f| (f.label, f.value, &text[f.value_span]))
            .collect()
    }

    #[test]
    fn bullet_forms() {
        let text = "## Front Matter\n- **Author(s):** Ada, Grace\n- **Team**: Core\n- Status: Draft\n- **Created:**\n- plain item\n- Reviewer(s): Lin\n- see (this): no\n";
        assert_eq!(
            fields(text),
            vec![
                ("Author(s)".into(), "Ada, Grace".into(), "Ada, Grace"),
                ("Team".into(), "Core".into(), "Core"),
                ("Status".into(), "Draft".into(), "Draft"),
                ("Created".into(), String::new(), ""),
                ("Reviewer(s)".into(), "Lin".into(), "Lin"),
            ]
        );
    }

    #[test]
    fn nested_items_and_continued_values() {
        let text = "## Front Matter\n* Discussions at:\n  * https://x.y/1\n  * https://x.y/2\n* Discussion at:\n  https://groups.example.com/t\n* Status: Draft\n";
        assert_eq!(
            fields(text),
            vec![
                ("Discussions at".into(), String::new(), ""),
                (
                    "Discussion at".into(),
                    "https://groups.example.com/t".into(),
                    "https://groups.example.com/t"
                ),
                ("Status".into(), "Draft".into(), "Draft"),
            ]
        );
    }

    #[test]
    fn list_values_have_their_items() {
        let text = "## Front Matter\n- **Rust Issues:**\n  - [1](https://x.y/1)\n    - deeper\n  - [2](https://x.y/2)\n- **Status:** Draft\n";
        let doc = Document::parse(text);
        let fields = doc.fields(Some(0));
        assert_eq!(
            fields[0].items,
            vec!["[1](https://x.y/1)", "[2](https://x.y/2)"]
        );
        assert!(fields[1].items.is_empty());
        let text = "---\nauthors:\n  - Ada\n  - \"Grace: H\"\nstatus: Draft\n---\n";
        let fields = Document::parse(text).fields(None);
        assert_eq!(fields[0].items, vec!["Ada", "Grace: H"]);
        assert!(fields[1].items.is_empty());
    }

    #[test]
    fn a_field_ends_after_the_lines_that_belong_to_it() {
        fn block<'t>(text: &'t str, field: &Field, yaml: bool) -> &'t str {
            &text[field.label_span.start..field_end(text, field.label_span.start, yaml)]
        }
        let text =
            "## Front Matter\n- **History:**\n  - a\n\n  - b\n- **Status:** Draft\r\n\nText.\n";
        let fields = Document::parse(text).fields(Some(0));
        assert_eq!(block(text, &fields[0], false), "History:**\n  - a\n\n  - b");
        assert_eq!(block(text, &fields[1], false), "Status:** Draft");
        let text = "---\nhistory:\n- a\n-\n  - b\nstatus: Draft\n---\n";
        let fields = Document::parse(text).fields(None);
        assert_eq!(block(text, &fields[0], true), "history:\n- a\n-\n  - b");
        assert_eq!(block(text, &fields[1], true), "status: Draft");
    }

    #[test]
    fn yaml_and_bullets_both_count() {
        let text = "---\nstatus: Draft\n---\n## Front Matter\n- **Team:** Core\n";
        let doc = Document::parse(text);
        let labels: Vec<String> = doc.fields(Some(0)).into_iter().map(|f| f.label).collect();
        assert_eq!(labels, vec!["status", "Team"]);
    }
}
