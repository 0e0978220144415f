//! YAML front matter (`---` ... `---` at the top of a file), parsed with serde-saphyr.

use std::fmt;
use std::ops::Range;

use memchr::memchr;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// One `key: value` of the YAML block, with spans into the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlEntry {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value as text: scalars as written, sequences joined with ", ".
    pub value: String,
    pub value_span: Range<usize>,
    /// A sequence's items, each as text (see `value`); empty for any other value.
    pub items: Vec<String>,
}

/// A YAML block that could not be read, with where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub span: Range<usize>,
}

/// The front matter block and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlFrontMatter {
    /// From the opening `---` to the end of the closing line (terminator included).
    pub block: Range<usize>,
    pub entries: Vec<YamlEntry>,
    pub error: Option<YamlError>,
}

/// Finds and parses front matter starting at `start` (after any BOM).
pub(crate) fn detect(text: &str, start: usize) -> Option<YamlFrontMatter> {
    let bytes = text.as_bytes();
    let first_end = memchr(b'\n', &bytes[start..]).map(|i| start + i)?;
    if text[start..first_end].trim_end() != "---" {
        return None;
    }
    let content_start = first_end + 1;
    let mut pos = content_start;
    while pos < bytes.len() {
        let line_end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end();
        if line == "---" || line == "..." {
            let block_end = (line_end + 1).min(bytes.len());
            let (entries, error) = parse(text, content_start..pos);
            return Some(YamlFrontMatter {
                block: start..block_end,
                entries,
                error,
            });
        }
        pos = line_end + 1;
    }
    None
}

/// A whole file read as a YAML mapping (a sidecar metadata file).
pub(crate) fn parse_whole(text: &str) -> (Vec<YamlEntry>, Option<YamlError>) {
    // A BOM is not YAML.
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    parse(text, start..text.len())
}

fn parse(text: &str, content: Range<usize>) -> (Vec<YamlEntry>, Option<YamlError>) {
    let source = &text[content.clone()];
    if source.trim().is_empty() {
        return (Vec::new(), None);
    }
    let map = match serde_saphyr::from_str::<Entries>(source) {
        Ok(Entries(map)) => map,
        Err(error) => {
            let offset = error
                .location()
                .map_or(0, |l| offset_of(source, l.line(), l.column()));
            let offset = content.start + offset.min(source.len());
            let message =
                plain_message(&error).unwrap_or_else(|| first_line_message(&error.to_string()));
            return (
                Vec::new(),
                Some(YamlError {
                    message,
                    span: offset..line_end(text, offset),
                }),
            );
        }
    };
    let mut entries: Vec<YamlEntry> = map
        .into_iter()
        .map(|(key, value)| {
            let key_start =
                content.start + offset_of(source, key.referenced.line(), key.referenced.column());
            let value_start = content.start
                + offset_of(source, value.referenced.line(), value.referenced.column());
            let value_start = value_start.max(key_start);
            YamlEntry {
                key_span: key_start
                    ..key_start + key.value.len().min(line_end(text, key_start) - key_start),
                key: key.value,
                value: value_text(&value.value),
                items: match &value.value {
                    serde_json::Value::Array(items) => items.iter().map(value_text).collect(),
                    _ => Vec::new(),
                },
                value_span: value_start..line_end(text, value_start),
            }
        })
        .collect();
    entries.sort_by_key(|e| e.key_span.start);
    (entries, None)
}

/// The top-level mapping in document order, keys and values with their locations (`Spanned`
/// has no `Ord`, so no `BTreeMap`).
struct Entries(Vec<(Spanned<String>, Spanned<serde_json::Value>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of front matter fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// What serde-saphyr says in its own terms (`budget breached: Nodes { nodes: 250001 }`), as
/// a sentence about the front matter.
fn plain_message(error: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    // Past the wrappers that carry a snippet or an alias's location.
    let mut error = error.without_snippet();
    while let serde_saphyr::Error::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    let message = match error {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } | BudgetBreach::PropertyExpansionDepth { .. } => {
                "it nests values too deeply to be read".to_owned()
            }
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::MergeKeys { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => {
                "it repeats values through too many anchors and aliases (`&name`, `*name`) to be read"
                    .to_owned()
            }
            _ => "it is too large to be read (front matter holds a few fields, not a data set)"
                .to_owned(),
        },
        serde_saphyr::Error::RecursiveReferencesRequireWeakTypes { .. } => {
            "an alias (`*name`) refers to the value that holds it, which makes a loop".to_owned()
        }
        _ if error.to_string().contains("recursion limit exceeded") => {
            "it nests values too deeply to be read".to_owned()
        }
        _ => return None,
    };
    Some(message)
}

/// serde-saphyr's messages start with "line L column C: " and carry a rendered snippet after
/// the first line; we render our own.
fn first_line_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or(rendered);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let message = match first.find(": ") {
        Some(i) if first.starts_with("line ") => &first[i + 2..],
        _ => first,
    };
    // The parser's advice about its own options means nothing to a spec author.
    message.split(", set ").next().unwrap_or(message).to_owned()
}

fn line_end(text: &str, offset: usize) -> usize {
    let end = memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i);
    if end > offset && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Byte offset of a 1-based line and character column within `source`.
fn offset_of(source: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match memchr(b'\n', &source.as_bytes()[offset..]) {
            Some(i) => offset += i + 1,
            None => return source.len(),
        }
    }
    let rest = &source[offset..];
    let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    offset + rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_limits_are_plain_sentences() {
        let wide = format!("---\nk: [{}]\n---\n", vec!["a"; 300_000].join(", "));
        let deep = format!("---\nk: {}{}\n---\n", "[".repeat(3000), "]".repeat(3000));
        let laughs = {
            let mut yaml = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i", "j"]
                .iter()
                .enumerate()
            {
                let previous = ["a", "b", "c", "d", "e", "f", "g", "h", "i"][i];
                let aliases = vec![format!("*{previous}"); 10].join(", ");
                yaml.push_str(&format!("{name}: &{name} [{aliases}]\n"));
            }
            yaml + "---\n"
        };
        let looped = "---\na: &a [x, *a]\n---\n".to_owned();
        for (text, expected) in [
            (
                &wide,
                "it is too large to be read (front matter holds a few fields, not a data set)",
            ),
            (&deep, "it nests values too deeply to be read"),
            (
                &looped,
                "an alias (`*name`) refers to the value that holds it, which makes a loop",
            ),
        ] {
            let error = detect(text, 0).unwrap().error.unwrap();
            assert_eq!(error.message, expected);
        }
        let error = detect(&laughs, 0).unwrap().error.map(|e| e.message);
        assert!(
            error
                .as_deref()
                .is_none_or(|m| !m.contains('{') && !m.contains("budget")),
            "{error:?}"
        );
    }

    #[test]
    fn entries_carry_spans() {
        let text = "---\ntitle: Rate Limiter\nauthors:\n  - Ada\n  - Grace\n---\n# Body\n";
        let fm = detect(text, 0).unwrap();
        assert_eq!(fm.error, None);
        let title = &fm.entries[0];
        assert_eq!(
            (title.key.as_str(), title.value.as_str()),
            ("title", "Rate Limiter")
        );
        assert_eq!(&text[title.key_span.clone()], "title");
        assert_eq!(&text[title.value_span.clone()], "Rate Limiter");
        assert_eq!(fm.entries[1].value, "Ada, Grace");
        assert_eq!(
            &text[fm.block.clone()],
            "---\ntitle: Rate Limiter\nauthors:\n  - Ada\n  - Grace\n---\n"
        );
    }

    #[test]
    fn duplicate_keys_are_an_error_with_a_location() {
        let text = "---\na: 1\na: 2\n---\n";
        let fm = detect(text, 0).unwrap();
        let error = fm.error.unwrap();
        assert!(error.message.contains("duplicate"), "{}", error.message);
        assert_eq!(&text[error.span.clone()], "a: 2");
    }

    #[test]
    fn unclosed_block_is_not_front_matter() {
        assert_eq!(detect("---\na: 1\n", 0), None);
        assert_eq!(detect("# T\n---\n", 0), None);
    }
}
