//! Placeholder detection on source text: `[bracketed]` template text and TODO-style markers.
//!
//! Works on the source rather than a rendered tree because `- [Metric 1]: [Target]` is a link
//! reference definition in CommonMark and would vanish from one.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::{memchr, memchr_iter, memmem, memrchr};

use crate::document::{Placeholder, PlaceholderKind};

const MARKERS: &[&str] = &["TODO", "TBD", "FIXME"];

/// Searchers for [`MARKERS`], built once: building one costs more than searching a small file.
static FINDERS: LazyLock<Vec<memmem::Finder<'static>>> = LazyLock::new(|| {
    MARKERS
        .iter()
        .map(|m| memmem::Finder::new(m.as_bytes()))
        .collect()
});

/// Every placeholder in `text[from..]` outside the `verbatim` regions, in order.
pub(crate) fn find_placeholders(
    text: &str,
    from: usize,
    verbatim: &[Range<usize>],
) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut shortcuts: Vec<(Placeholder, Range<usize>)> = Vec::new();
    let mut definitions: HashSet<String> = HashSet::new();
    let mut lines = LineCache::default();
    let bytes = text.as_bytes();
    let mut skip_to = from;
    let mut region = 0;
    for hit in memchr_iter(b'[', &bytes[from..]).map(|i| from + i) {
        if hit < skip_to || in_regions(verbatim, &mut region, hit) {
            continue;
        }
        let line = lines.get(text, hit);
        if line.is_masked(hit) || is_escaped(bytes, hit) {
            continue;
        }
        match classify(text, hit, line) {
            Bracket::NotAPlaceholder { end } => skip_to = end,
            Bracket::Definition { label, end } => {
                definitions.insert(label);
                skip_to = end;
            }
            Bracket::Placeholder { end } => {
                found.push(Placeholder {
                    kind: PlaceholderKind::Bracket,
                    span: hit..end,
                });
                skip_to = end;
            }
            Bracket::Shortcut { end } => {
                shortcuts.push((
                    Placeholder {
                        kind: PlaceholderKind::Bracket,
                        span: hit..end,
                    },
                    hit + 1..end - 1,
                ));
                skip_to = end;
            }
        }
    }
    // `[label]` is a link when the document defines `label` anywhere.
    for (placeholder, label) in shortcuts {
        if !definitions.contains(&normalize_label(&text[label])) {
            found.push(placeholder);
        }
    }
    for finder in FINDERS.iter() {
        let mut region = 0;
        let len = finder.needle().len();
        for hit in finder.find_iter(&bytes[from..]).map(|i| from + i) {
            let end = hit + len;
            let word_before = hit > 0 && is_word_byte(bytes[hit - 1]);
            let word_after = end < bytes.len() && is_word_byte(bytes[end]);
            if word_before || word_after || in_regions(verbatim, &mut region, hit) {
                continue;
            }
            if lines.get(text, hit).is_masked(hit) {
                continue;
            }
            found.push(Placeholder {
                kind: PlaceholderKind::Marker,
                span: hit..end,
            });
        }
    }
    found.sort_by_key(|p| (p.span.start, p.span.end));
    // A marker inside a bracket placeholder (`[TBD]`) is one finding, not two.
    let mut last_end = 0;
    found.retain(|p| {
        let keep = p.span.start >= last_end || p.kind == PlaceholderKind::Bracket;
        if keep {
            last_end = last_end.max(p.span.end);
        }
        keep
    });
    found
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `offset` is inside one of the sorted `regions`; `cursor` remembers progress for
/// increasing offsets.
fn in_regions(regions: &[Range<usize>], cursor: &mut usize, offset: usize) -> bool {
    while *cursor < regions.len() && regions[*cursor].end <= offset {
        *cursor += 1;
    }
    regions.get(*cursor).is_some_and(|r| r.contains(&offset))
}

fn is_escaped(bytes: &[u8], offset: usize) -> bool {
    bytes[..offset]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

/// Lowercase with single spaces, as CommonMark compares link labels.
fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One line's inline code spans and comments, computed once per line that has a candidate.
#[derive(Default)]
struct LineCache {
    range: Range<usize>,
    masks: Vec<Range<usize>>,
}

impl LineCache {
    fn get(&mut self, text: &str, offset: usize) -> &Self {
        if !self.range.contains(&offset) {
            let bytes = text.as_bytes();
            let start = memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
            let end = memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
            self.range = start..end;
            self.masks = masks(&bytes[start..end], start);
        }
        self
    }

    fn is_masked(&self, offset: usize) -> bool {
        self.masks.iter().any(|m| m.contains(&offset))
    }
}

/// Code spans and HTML comments within one line, as absolute ranges.
fn masks(line: &[u8], base: usize) -> Vec<Range<usize>> {
    let mut masks = Vec::new();
    if memchr(b'`', line).is_some() {
        let mut i = 0;
        while i < line.len() {
            if line[i] != b'`' || (i > 0 && line[i - 1] == b'\\') {
                i += 1;
                continue;
            }
            let run = line[i..].iter().take_while(|&&b| b == b'`').count();
            let mut j = i + run;
            let mut closed = None;
            while j < line.len() {
                if line[j] == b'`' {
                    let close = line[j..].iter().take_while(|&&b| b == b'`').count();
                    if close == run {
                        closed = Some(j + close);
                        break;
                    }
                    j += close;
                } else {
                    j += 1;
                }
            }
            match closed {
                Some(end) => {
                    masks.push(base + i..base + end);
                    i = end;
                }
                None => i += run,
            }
        }
    }
    let mut from = 0;
    while let Some(open) = memmem::find(&line[from..], b"<!--").map(|i| from + i) {
        let end = memmem::find(&line[open + 4..], b"-->").map_or(line.len(), |i| open + 4 + i + 3);
        masks.push(base + open..base + end);
        from = end;
    }
    masks
}

enum Bracket {
    NotAPlaceholder { end: usize },
    Definition { label: String, end: usize },
    Placeholder { end: usize },
    Shortcut { end: usize },
}

/// Classifies the `[` at `open`.
fn classify(text: &str, open: usize, line: &LineCache) -> Bracket {
    let bytes = text.as_bytes();
    let line_end = line.range.end;
    let Some(close) = matching(bytes, open, b'[', b']', line_end, line) else {
        return Bracket::NotAPlaceholder { end: open + 1 };
    };
    let inner = &text[open + 1..close];
    let after = close + 1;
    let is_image = open > 0 && bytes[open - 1] == b'!';
    let prefix = &text[line.range.start..open];
    let at_block_start = is_block_start(prefix);
    let trimmed = inner.trim();
    if trimmed.is_empty()
        || inner.starts_with('^')
        || inner.starts_with('!')
        || (at_block_start && (inner == "x" || inner == "X"))
        || inner
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'-' | b' '))
    {
        return Bracket::NotAPlaceholder { end: after };
    }
    match bytes.get(after) {
        Some(b'(') => {
            if let Some(paren) = matching(bytes, after, b'(', b')', line_end, line) {
                return Bracket::NotAPlaceholder { end: paren + 1 };
            }
        }
        Some(b'[') => {
            if let Some(second) = matching(bytes, after, b'[', b']', line_end, line) {
                return Bracket::NotAPlaceholder { end: second + 1 };
            }
        }
        Some(b':') if at_block_start && !is_image => {
            let destination = text[after + 1..line_end].trim();
            if looks_like_destination(destination) {
                return Bracket::Definition {
                    label: normalize_label(inner),
                    end: line_end,
                };
            }
            return Bracket::Placeholder { end: after };
        }
        _ => {}
    }
    if is_image {
        return Bracket::NotAPlaceholder { end: after };
    }
    Bracket::Shortcut { end: after }
}

/// The index of the bracket closing the one at `open`, on the same line, skipping escapes and
/// code spans.
fn matching(
    bytes: &[u8],
    open: usize,
    left: u8,
    right: u8,
    line_end: usize,
    line: &LineCache,
) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < line_end {
        let b = bytes[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        if b == b'`'
            && let Some(mask) = line.masks.iter().find(|m| m.start == i)
        {
            i = mask.end;
            continue;
        }
        if b == left {
            depth += 1;
        } else if b == right {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// Whether only indentation, block quote markers and a list marker precede a bracket.
fn is_block_start(prefix: &str) -> bool {
    let mut rest = prefix.trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.trim_start();
    }
    if rest.is_empty() {
        return true;
    }
    let marker = rest.trim_end();
    if marker.len() == rest.len() {
        return false;
    }
    if matches!(marker, "-" | "*" | "+") {
        return true;
    }
    marker
        .strip_suffix(['.', ')'])
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the text after `[label]:` is a real link destination rather than more template text.
fn looks_like_destination(destination: &str) -> bool {
    let first = destination.split_whitespace().next().unwrap_or("");
    if first.is_empty() || first.starts_with('[') {
        return false;
    }
    first.starts_with(['#', '/', '.', '<'])
        || first.contains("://")
        || first.starts_with("mailto:")
        || (first.contains('.') && !first.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use crate::Document;

    fn placeholders(text: &str) -> Vec<&str> {
        Document::parse(text)
            .placeholders
            .iter()
            .map(|p| &text[p.span.clone()])
            .collect()
    }

    #[test]
    fn template_text_is_found() {
        assert_eq!(
            placeholders("[What problem does this solve?]\n"),
            vec!["[What problem does this solve?]"]
        );
        assert_eq!(
            placeholders("[Infrastructure, development, operational costs]\n"),
            vec!["[Infrastructure, development, operational costs]"]
        );
        assert_eq!(
            placeholders("# [System/Feature Name] Technical Specification\n"),
            vec!["[System/Feature Name]"]
        );
    }

    #[test]
    fn link_reference_definition_forms_are_found() {
        assert_eq!(
            placeholders("- [Metric 1]: [Target]\n"),
            vec!["[Metric 1]", "[Target]"]
        );
        assert_eq!(
            placeholders("- [Link 1]: [Description]\n"),
            vec!["[Link 1]", "[Description]"]
        );
        assert_eq!(
            placeholders("1. [Phase 1]: [Description and timeline]\n"),
            vec!["[Phase 1]", "[Description and timeline]"]
        );
    }

    #[test]
    fn links_and_friends_are_not_placeholders() {
        let text = "\
See [the RFC](https://example.com/rfc) and ![diagram](d.png).
A footnote[^1] and a citation [1] and [2, 3].
- [ ] open task
- [x] done task
- [Reference][ref] and [collapsed][] and [ref].
> [!NOTE]
> careful

[ref]: https://example.com
[^1]: The note.
[summary]: #summary
Escaped \\[not this] either.
";
        assert_eq!(placeholders(text), Vec::<&str>::new());
    }

    #[test]
    fn nothing_inside_code_or_comments() {
        let text = "\
Use `arr[idx]` or ``a[`b`]``.
```
let x = v[TODO];
```
<!-- [hidden] TODO -->
Inline <!-- [also hidden] --> text.

    [indented code]
";
        assert_eq!(placeholders(text), Vec::<&str>::new());
    }

    #[test]
    fn markers_are_whole_words() {
        let text = "TODO: write this. TBD. FIXME\nTODOS and xTBD are words. [TBD]\n";
        assert_eq!(placeholders(text), vec!["TODO", "TBD", "FIXME", "[TBD]"]);
    }

    #[test]
    fn nested_brackets_are_one_placeholder() {
        assert_eq!(placeholders("[a [b] c] and [d](e)\n"), vec!["[a [b] c]"]);
        assert_eq!(
            placeholders("[![badge](b.svg)](https://x.y)\n"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn bracket_after_multibyte_prefix_does_not_panic() {
        assert_eq!(placeholders("é [a]: [b]\n"), vec!["[a]", "[b]"]);
        assert_eq!(placeholders("é[a]\n"), vec!["[a]"]);
    }

    #[test]
    fn unclosed_bracket_is_not_a_placeholder() {
        assert_eq!(placeholders("[not closed\n]\n"), Vec::<&str>::new());
    }
}
