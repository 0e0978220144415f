//! Placeholder detection on source text: `[bracketed]` template text and TODO-style markers.
//!
//! Works on the source rather than a rendered tree because `- [Metric 1]: [Target]` is a link
//! reference definition in CommonMark and would vanish from one. Inline syntax is read per
//! block (a paragraph, heading or table row from the scanner), so code spans and brackets may
//! run across the lines of a paragraph.

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

/// How far a bracket or parenthesis is searched for its partner; longer is not template text,
/// and the bound keeps a line of ten thousand `[` linear.
const MAX_BRACKET_SPAN: usize = 2_000;

/// Every placeholder in `text[from..]` outside the `verbatim` regions, in order. `blocks` are
/// the scanner's inline blocks, sorted by start.
pub(crate) fn find_placeholders(
    text: &str,
    from: usize,
    verbatim: &[Range<usize>],
    blocks: &[Range<usize>],
) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut shortcuts: Vec<(Placeholder, Range<usize>)> = Vec::new();
    let mut definitions: HashSet<String> = HashSet::new();
    // Link destinations: markers there are part of a URL.
    let mut destinations: Vec<Range<usize>> = Vec::new();
    let mut cache = BlockCache::default();
    let bytes = text.as_bytes();
    let mut skip_to = from;
    let mut region = 0;
    for hit in memchr_iter(b'[', &bytes[from..]).map(|i| from + i) {
        if hit < skip_to || in_regions(verbatim, &mut region, hit) {
            continue;
        }
        let block = cache.get(text, blocks, hit);
        if block.is_masked(hit) || is_escaped(bytes, hit) {
            continue;
        }
        match classify(text, hit, block) {
            Bracket::NotAPlaceholder { end } => skip_to = end,
            Bracket::Link { end, destination } => {
                destinations.push(destination);
                skip_to = end;
            }
            Bracket::Definition { label, end } => {
                definitions.insert(label);
                destinations.push(hit..end);
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
    destinations.sort_by_key(|r| r.start);
    for finder in FINDERS.iter() {
        let mut region = 0;
        let mut destination = 0;
        let len = finder.needle().len();
        for hit in finder.find_iter(&bytes[from..]).map(|i| from + i) {
            let end = hit + len;
            let word_before = hit > 0 && is_word_byte(bytes[hit - 1]);
            let word_after = end < bytes.len() && is_word_byte(bytes[end]);
            if word_before
                || word_after
                || in_regions(verbatim, &mut region, hit)
                || in_regions(&destinations, &mut destination, hit)
            {
                continue;
            }
            if cache.get(text, blocks, hit).is_masked(hit) {
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

/// One block's code spans, comments and URLs, computed once per block that has a candidate.
#[derive(Default)]
struct BlockCache {
    range: Range<usize>,
    /// Code spans and HTML comments: nothing in them is a placeholder or a bracket.
    code: Vec<Range<usize>>,
    /// Autolinks and bare URLs: no placeholder starts in them.
    urls: Vec<Range<usize>>,
}

impl BlockCache {
    fn get(&mut self, text: &str, blocks: &[Range<usize>], offset: usize) -> &Self {
        if !self.range.contains(&offset) {
            let i = blocks.partition_point(|b| b.start <= offset);
            let range = match i.checked_sub(1).map(|i| &blocks[i]) {
                Some(block) if block.contains(&offset) => block.clone(),
                // Outside any block (raw HTML): the line is the unit.
                _ => {
                    let bytes = text.as_bytes();
                    let start = memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
                    let end = memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
                    start..end
                }
            };
            let block = &text.as_bytes()[range.clone()];
            self.code = code_and_comments(block, range.start);
            self.urls = urls(block, range.start);
            self.range = range;
        }
        self
    }

    fn is_masked(&self, offset: usize) -> bool {
        self.code
            .iter()
            .chain(&self.urls)
            .any(|m| m.contains(&offset))
    }

    fn code_span_at(&self, offset: usize) -> Option<&Range<usize>> {
        self.code.iter().find(|m| m.start == offset)
    }
}

/// Code spans and HTML comments within one block, as absolute ranges.
fn code_and_comments(block: &[u8], base: usize) -> Vec<Range<usize>> {
    let mut masks = Vec::new();
    if memchr(b'`', block).is_some() {
        let mut i = 0;
        while i < block.len() {
            if block[i] != b'`' || (i > 0 && block[i - 1] == b'\\') {
                i += 1;
                continue;
            }
            let run = block[i..].iter().take_while(|&&b| b == b'`').count();
            let mut j = i + run;
            let mut closed = None;
            while j < block.len() {
                if block[j] == b'`' {
                    let close = block[j..].iter().take_while(|&&b| b == b'`').count();
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
    while let Some(open) = memmem::find(&block[from..], b"<!--").map(|i| from + i) {
        if masks.iter().any(|m| m.contains(&(base + open))) {
            from = open + 4;
            continue;
        }
        // An inline comment must close within its paragraph; an unclosed `<!--` is text.
        let Some(close) = memmem::find(&block[open + 4..], b"-->") else {
            break;
        };
        let end = open + 4 + close + 3;
        masks.push(base + open..base + end);
        from = end;
    }
    masks.sort_by_key(|m| m.start);
    masks
}

/// Autolinks (`<https://...>`) and bare `http(s)://` URLs within one block.
fn urls(block: &[u8], base: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for colon in memmem::find_iter(block, b"://") {
        let mut start = colon;
        while start > 0
            && (block[start - 1].is_ascii_alphanumeric()
                || matches!(block[start - 1], b'+' | b'.' | b'-'))
        {
            start -= 1;
        }
        if start == colon {
            continue;
        }
        let mut end = colon + 3;
        while end < block.len()
            && !block[end].is_ascii_whitespace()
            && !matches!(block[end], b'<' | b'>')
        {
            end += 1;
        }
        found.push(base + start..base + end);
    }
    found
}

enum Bracket {
    NotAPlaceholder {
        end: usize,
    },
    Link {
        end: usize,
        destination: Range<usize>,
    },
    Definition {
        label: String,
        end: usize,
    },
    Shortcut {
        end: usize,
    },
}

/// Classifies the `[` at `open`.
fn classify(text: &str, open: usize, block: &BlockCache) -> Bracket {
    let bytes = text.as_bytes();
    let limit = block.range.end.min(open + MAX_BRACKET_SPAN);
    let Some(close) = matching(bytes, open, b'[', b']', limit, block) else {
        return Bracket::NotAPlaceholder { end: open + 1 };
    };
    let inner = &text[open + 1..close];
    let after = close + 1;
    let line_start = memrchr(b'\n', &bytes[block.range.start..open])
        .map_or(block.range.start, |i| block.range.start + i + 1);
    let line_end =
        memchr(b'\n', &bytes[after..block.range.end]).map_or(block.range.end, |i| after + i);
    let line_end = if line_end > after && bytes[line_end - 1] == b'\r' {
        line_end - 1
    } else {
        line_end
    };
    let at_block_start = is_block_start(&text[line_start..open]);
    let before = open.checked_sub(1).map(|i| bytes[i]);
    let is_image = before == Some(b'!');
    // `items[i]`, `f()[0]`, `x[a][b]`, `#[derive]`: indexing and attributes, not template text;
    // `[B]ecause`: an editorial change inside a word.
    let is_index = before
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b')' | b']' | b'#'))
        || bytes.get(after).is_some_and(u8::is_ascii_alphanumeric);
    let trimmed = inner.trim();
    if trimmed.is_empty()
        || is_index
        || inner.starts_with('^')
        || inner.starts_with('!')
        || (at_block_start && (inner == "x" || inner == "X"))
        || inner
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'-' | b' '))
        || trimmed.chars().all(|c| c == '.' || c == '…')
        || trimmed.eq_ignore_ascii_case("sic")
        || inner.contains("](")
    {
        return Bracket::NotAPlaceholder { end: after };
    }
    match bytes.get(after) {
        Some(b'(') => {
            let limit = block.range.end.min(after + MAX_BRACKET_SPAN);
            if let Some(paren) = matching(bytes, after, b'(', b')', limit, block) {
                return Bracket::Link {
                    end: paren + 1,
                    destination: after..paren + 1,
                };
            }
        }
        Some(b'[') => {
            let limit = block.range.end.min(after + MAX_BRACKET_SPAN);
            if let Some(second) = matching(bytes, after, b'[', b']', limit, block) {
                return Bracket::NotAPlaceholder { end: second + 1 };
            }
        }
        Some(b':') if at_block_start && !is_image => {
            if is_definition_tail(&text[after + 1..line_end]) {
                return Bracket::Definition {
                    label: normalize_label(inner),
                    end: line_end,
                };
            }
            // `[Metric 1]: [Target]`: template text unless `Metric 1` is a defined link.
            return Bracket::Shortcut { end: after };
        }
        _ => {}
    }
    if is_image {
        return Bracket::NotAPlaceholder { end: after };
    }
    Bracket::Shortcut { end: after }
}

/// The index of the bracket closing the one at `open`, before `limit`, skipping escapes and
/// code spans.
fn matching(
    bytes: &[u8],
    open: usize,
    left: u8,
    right: u8,
    limit: usize,
    block: &BlockCache,
) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < limit {
        let b = bytes[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        if b == b'`'
            && let Some(span) = block.code_span_at(i)
        {
            i = span.end;
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

/// Whether the rest of a `[label]:` line is a link reference definition's destination and
/// optional title (so the line is a real definition, not template text).
fn is_definition_tail(tail: &str) -> bool {
    let tail = tail.trim();
    let (destination, title) = if let Some(rest) = tail.strip_prefix('<') {
        match rest.find('>') {
            Some(i) => (&rest[..i], rest[i + 1..].trim()),
            None => return false,
        }
    } else {
        match tail.find(char::is_whitespace) {
            Some(i) => (&tail[..i], tail[i..].trim()),
            None => (tail, ""),
        }
    };
    let looks_like_destination = !destination.is_empty()
        && !destination.starts_with('[')
        && (destination.starts_with(['#', '/', '.'])
            || destination.contains("://")
            || destination.starts_with("mailto:")
            || (destination.contains('.') && !destination.ends_with('.')));
    let is_title = title.is_empty()
        || (title.len() >= 2
            && ((title.starts_with('"') && title.ends_with('"'))
                || (title.starts_with('\'') && title.ends_with('\''))
                || (title.starts_with('(') && title.ends_with(')'))));
    looks_like_destination && is_title
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
    fn placeholders_and_code_spans_may_cross_lines() {
        assert_eq!(
            placeholders("[Current state, why this is\nneeded now]\n"),
            vec!["[Current state, why this is\nneeded now]"]
        );
        assert_eq!(placeholders("Use `a\nb[i]` here.\n"), Vec::<&str>::new());
        assert_eq!(
            placeholders("- one `a\n  b[i]`\n- two [x y]\n"),
            vec!["[x y]"]
        );
        assert_eq!(
            placeholders("A [link\nacross lines](\nhttps://x.y) here.\n"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn code_in_quotes_and_list_items_is_code() {
        assert_eq!(
            placeholders("> ```\n> a[i] [x y]\n> ```\n"),
            Vec::<&str>::new()
        );
        assert_eq!(
            placeholders("- item\n\n      [indented code in item]\n"),
            Vec::<&str>::new()
        );
        assert_eq!(
            placeholders("- item\n\n  [item paragraph]\n"),
            vec!["[item paragraph]"]
        );
    }

    #[test]
    fn definitions_need_a_destination_and_nothing_else() {
        assert_eq!(
            placeholders("- [Metric 1]: 99.9% availability\n"),
            vec!["[Metric 1]"]
        );
        assert_eq!(
            placeholders("- [Phase 1]: v1.2 rollout\n"),
            vec!["[Phase 1]"]
        );
        assert_eq!(
            placeholders("[spec]: https://x.y \"Title\"\n[spec]: as discussed.\n"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn urls_elisions_and_indexing_are_not_placeholders() {
        let text = "<https://x.org/[y]/TBD> https://e.com/FIXME [l](https://e.com/TODO-list)\n\
                    Quote: \"we [...] agree\" [..] [sic] and items[i], f()[0], m[a][b].\n\
                    [see [RFC](https://x.y)] #[derive(Debug)] \"[B]ecause\"\n";
        assert_eq!(placeholders(text), Vec::<&str>::new());
    }

    #[test]
    fn an_unclosed_comment_is_text() {
        assert_eq!(
            placeholders("Use `<!--` to open. [Fill me]\n"),
            vec!["[Fill me]"]
        );
        assert_eq!(
            placeholders("Text <!-- note\n[hidden] --> [shown]\n"),
            vec!["[shown]"]
        );
    }

    #[test]
    fn bracket_after_multibyte_prefix_does_not_panic() {
        assert_eq!(placeholders("é [a]: [b]\n"), vec!["[a]", "[b]"]);
        assert_eq!(placeholders("é [a]\n"), vec!["[a]"]);
    }

    #[test]
    fn unclosed_bracket_is_not_a_placeholder() {
        assert_eq!(placeholders("[not closed\n\n]\n"), Vec::<&str>::new());
        assert_eq!(
            placeholders(&format!("[{}\n", "[".repeat(30_000))),
            Vec::<&str>::new()
        );
    }
}
