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

static URL_SCHEME: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("://"));
static COMMENT_OPEN: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("<!--"));
static COMMENT_CLOSE: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("-->"));

/// How far a bracket or parenthesis is searched for its partner; longer is not template text,
/// and the bound keeps a line of ten thousand `[` linear.
const MAX_BRACKET_SPAN: usize = 2_000;

/// What the inline pass finds.
pub(crate) struct Inline {
    pub placeholders: Vec<Placeholder>,
    /// The `[label]` spans of link reference definitions.
    pub definitions: Vec<Range<usize>>,
    /// The destinations of inline links, images and definitions (the URL only), in order.
    pub links: Vec<Range<usize>>,
    /// Full (`[text][label]`) and collapsed (`[text][]`) references whose label the document
    /// does not define: the whole reference, and the label as written.
    pub undefined_references: Vec<(Range<usize>, String)>,
}

/// Every placeholder in `text[from..]` outside the `verbatim` regions, in order, the
/// `[label]` spans of link reference definitions and the link destinations. `blocks` are the
/// scanner's inline blocks, sorted by start.
pub(crate) fn find_placeholders(
    text: &str,
    from: usize,
    verbatim: &[Range<usize>],
    blocks: &[Range<usize>],
    table_rows: &[Range<usize>],
) -> Inline {
    let mut links = Vec::new();
    let mut found = Vec::new();
    let mut definition_labels = Vec::new();
    let mut shortcuts: Vec<(Placeholder, Range<usize>)> = Vec::new();
    let mut references: Vec<(Range<usize>, Range<usize>)> = Vec::new();
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
        let block = cache.get(text, blocks, table_rows, hit);
        if block.is_masked(hit) || is_escaped(bytes, hit) {
            continue;
        }
        match classify(text, hit, block) {
            Bracket::NotAPlaceholder { end } => skip_to = end,
            Bracket::Reference { end, label } => {
                references.push((hit..end, label));
                skip_to = end;
            }
            Bracket::Link { end, destination } => {
                links.push(destination_url(
                    text,
                    destination.start + 1..destination.end - 1,
                ));
                destinations.push(destination);
                skip_to = end;
            }
            Bracket::Definition {
                label,
                label_end,
                end,
            } => {
                definitions.insert(label);
                definition_labels.push(hit..label_end);
                links.push(destination_url(text, label_end + 1..end));
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
    // `[text][^note]` points at a footnote, not a link definition.
    let undefined_references = references
        .into_iter()
        .filter(|(_, label)| {
            !text[label.clone()].starts_with('^')
                && !definitions.contains(&normalize_label(&text[label.clone()]))
        })
        .map(|(span, label)| (span, text[label].to_owned()))
        .collect();
    // `[label]` is a link when the document defines `label` anywhere.
    for (placeholder, label) in shortcuts {
        if !definitions.contains(&normalize_label(&text[label])) {
            found.push(placeholder);
        }
    }
    destinations.sort_by_key(|r| r.start);
    find_markers(
        text,
        from,
        verbatim,
        &destinations,
        &mut |hit| cache.get(text, blocks, table_rows, hit).is_masked(hit),
        &mut found,
    );
    drop_markers_in_brackets(&mut found);
    links.retain(|l| !l.is_empty());
    Inline {
        placeholders: found,
        definitions: definition_labels,
        links,
        undefined_references,
    }
}

/// The `TODO`, `TBD` and `FIXME` markers as whole words, outside `verbatim` regions, link
/// `destinations` and what `masked` says is code.
fn find_markers(
    text: &str,
    from: usize,
    verbatim: &[Range<usize>],
    destinations: &[Range<usize>],
    masked: &mut dyn FnMut(usize) -> bool,
    found: &mut Vec<Placeholder>,
) {
    let bytes = text.as_bytes();
    for finder in FINDERS.iter() {
        let mut region = 0;
        let mut destination = 0;
        let len = finder.needle().len();
        for hit in finder.find_iter(&bytes[from..]).map(|i| from + i) {
            let end = hit + len;
            let word_before = hit > 0
                && (bytes[hit - 1].is_ascii_alphanumeric()
                    || (bytes[hit - 1] == b'_'
                        && hit > 1
                        && bytes[hit - 2].is_ascii_alphanumeric()));
            let word_after = end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric()
                    || (bytes[end] == b'_'
                        && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)));
            if word_before
                || word_after
                || in_regions(verbatim, &mut region, hit)
                || in_regions(destinations, &mut destination, hit)
            {
                continue;
            }
            if masked(hit) {
                continue;
            }
            found.push(Placeholder {
                kind: PlaceholderKind::Marker,
                span: hit..end,
            });
        }
    }
}

/// Sorts placeholders; a marker inside a bracket placeholder (`[TBD]`) is one finding, not two.
fn drop_markers_in_brackets(found: &mut Vec<Placeholder>) {
    found.sort_by_key(|p| (p.span.start, p.span.end));
    let mut last_end = 0;
    found.retain(|p| {
        let keep = p.span.start >= last_end || p.kind == PlaceholderKind::Bracket;
        if keep {
            last_end = last_end.max(p.span.end);
        }
        keep
    });
}

/// The URL of a link destination with its optional title: `<a b.md> "t"` -> `a b.md`.
fn destination_url(text: &str, inside: Range<usize>) -> Range<usize> {
    let raw = &text[inside.clone()];
    let start = inside.start + (raw.len() - raw.trim_start().len());
    let rest = &text[start..inside.end];
    if let Some(angled) = rest.strip_prefix('<') {
        return angled
            .find('>')
            .map_or(start..start, |i| start + 1..start + 1 + i);
    }
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    start..start + len
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
pub(crate) fn normalize_label(label: &str) -> String {
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
    /// Matching `[`/`]` pairs outside code, as (open, close), sorted by open.
    pairs: Vec<(usize, usize)>,
}

impl BlockCache {
    fn get(
        &mut self,
        text: &str,
        blocks: &[Range<usize>],
        table_rows: &[Range<usize>],
        offset: usize,
    ) -> &Self {
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
            let table_row = table_rows
                .binary_search_by_key(&range.start, |r| r.start)
                .is_ok();
            self.code = code_and_comments(block, range.start, table_row);
            self.urls = urls(block, range.start);
            self.pairs = bracket_pairs(block, range.start, &self.code);
            self.range = range;
        }
        self
    }

    fn is_masked(&self, offset: usize) -> bool {
        covers(&self.code, offset) || covers(&self.urls, offset)
    }

    /// The end of the code span starting at `offset`, if one does.
    fn code_span_end(&self, offset: usize) -> Option<usize> {
        let i = self.code.partition_point(|m| m.start < offset);
        self.code
            .get(i)
            .filter(|m| m.start == offset)
            .map(|m| m.end)
    }

    /// The bracket closing the one at `open`, if it is near enough.
    fn closing(&self, open: usize) -> Option<usize> {
        let i = self.pairs.partition_point(|&(o, _)| o < open);
        self.pairs
            .get(i)
            .filter(|&&(o, close)| o == open && close - open <= MAX_BRACKET_SPAN)
            .map(|&(_, close)| close)
    }
}

/// Pairs every `[` with its `]` in one pass over a block, skipping escaped characters and code
/// spans (`code`, sorted).
fn bracket_pairs(block: &[u8], base: usize, code: &[Range<usize>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut next_code = 0;
    let mut escaped_until = 0;
    for i in memchr::memchr3_iter(b'[', b']', b'\\', block) {
        if i < escaped_until {
            continue;
        }
        let at = base + i;
        while next_code < code.len() && code[next_code].end <= at {
            next_code += 1;
        }
        if code.get(next_code).is_some_and(|span| span.contains(&at)) {
            continue;
        }
        match block[i] {
            b'\\' => escaped_until = i + 2,
            b'[' => open.push(at),
            _ => {
                if let Some(start) = open.pop() {
                    pairs.push((start, at));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The `)` closing the `(` at `open` within `limit`, skipping escapes, code spans and nested
/// parentheses (link destinations are short, so this scans little).
fn closing_paren(bytes: &[u8], open: usize, limit: usize, block: &BlockCache) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < limit {
        i += memchr::memchr3(b'(', b')', b'`', &bytes[i..limit])?;
        if is_escaped(bytes, i) {
            i += 1;
            continue;
        }
        match bytes[i] {
            b'`' => {
                i = block.code_span_end(i).unwrap_or(i + 1);
                continue;
            }
            b'(' => depth += 1,
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        i += 1;
    }
    None
}

/// Whether one of the sorted, non-overlapping `ranges` contains `offset`.
fn covers(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= offset);
    ranges.get(i).is_some_and(|r| r.contains(&offset))
}

/// Appends the code spans and HTML comments of `text` (one block or table cell), left to right:
/// whichever starts first wins, as in CommonMark. A backtick run is closed by the next run of the
/// same length; each run looks that up, so the pass is linear.
fn code_spans_and_comments(text: &[u8], base: usize, out: &mut Vec<Range<usize>>) {
    // Backtick runs as (start, length, escaped); a backslash before a run stops only its first
    // backtick from opening a span (inside a span backslashes are literal, so it may still close).
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr(b'`', &text[i..]) {
        let start = i + found;
        let len = text[start..].iter().take_while(|&&b| b == b'`').count();
        runs.push((start, len, start > 0 && text[start - 1] == b'\\'));
        i = start + len;
    }
    let mut by_len: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for (k, &(_, len, _)) in runs.iter().enumerate() {
        by_len.entry(len).or_default().push(k);
    }
    let mut k = 0;
    let mut at = 0;
    let mut comments = true;
    // The next `<!--` at or after `at`, searched again only once `at` passes it.
    let mut next_comment: Option<usize> = None;
    loop {
        while k < runs.len() && runs[k].0 < at {
            k += 1;
        }
        if comments && next_comment.is_none_or(|c| c < at) {
            next_comment = COMMENT_OPEN.find(&text[at..]).map(|c| at + c);
            comments = next_comment.is_some();
        }
        let comment = if comments { next_comment } else { None };
        let run = runs.get(k).copied();
        match (comment, run) {
            (Some(open), run) if run.is_none_or(|(start, _, _)| open < start) => {
                // An inline comment must close within its paragraph; an unclosed `<!--` is text.
                if let Some(close) = COMMENT_CLOSE.find(&text[open + 4..]) {
                    let end = open + 4 + close + 3;
                    out.push(base + open..base + end);
                    at = end;
                } else {
                    comments = false;
                    at = open + 4;
                }
            }
            (_, Some((start, len, escaped))) => {
                let (open, open_len) = if escaped {
                    (start + 1, len - 1)
                } else {
                    (start, len)
                };
                let close = by_len
                    .get(&open_len)
                    .and_then(|same| same.get(same.partition_point(|&c| c <= k)).copied());
                match close {
                    Some(close) if open_len > 0 => {
                        let (close_start, close_len, _) = runs[close];
                        out.push(base + open..base + close_start + close_len);
                        at = close_start + close_len;
                    }
                    _ => at = start + len,
                }
            }
            _ => break,
        }
    }
}

/// Code spans and HTML comments within one block, as absolute ranges.
fn code_and_comments(block: &[u8], base: usize, table_row: bool) -> Vec<Range<usize>> {
    let mut masks = Vec::new();
    if memchr(b'`', block).is_none() && COMMENT_OPEN.find(block).is_none() {
        return masks;
    }
    // GFM splits a table row into cells before reading inline syntax.
    let mut cell_start = 0;
    if table_row {
        for (i, &b) in block.iter().enumerate() {
            if b == b'|' && (i == 0 || block[i - 1] != b'\\') {
                code_spans_and_comments(&block[cell_start..i], base + cell_start, &mut masks);
                cell_start = i + 1;
            }
        }
    }
    code_spans_and_comments(&block[cell_start..], base + cell_start, &mut masks);
    masks
}

/// Autolinks (`<https://...>`) and bare `http(s)://` URLs within one block.
fn urls(block: &[u8], base: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for colon in URL_SCHEME.find_iter(block) {
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
        // An autolink runs to its `>`, brackets included.
        if start > 0 && block[start - 1] == b'<' {
            let close = block[colon..]
                .iter()
                .position(|&b| b == b'>' || b.is_ascii_whitespace() || b == b'<');
            if let Some(close) = close.filter(|&c| block[colon + c] == b'>') {
                found.push(base + start - 1..base + colon + close + 1);
                continue;
            }
        }
        let mut end = colon + 3;
        let mut depth = 0usize;
        while end < block.len()
            && !block[end].is_ascii_whitespace()
            && !matches!(block[end], b'<' | b'>' | b'[' | b']')
        {
            match block[end] {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ => {}
            }
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
    /// `[text][label]` or `[text][]`: `label` is where the label is.
    Reference {
        end: usize,
        label: Range<usize>,
    },
    Link {
        end: usize,
        destination: Range<usize>,
    },
    Definition {
        label: String,
        label_end: usize,
        end: usize,
    },
    Shortcut {
        end: usize,
    },
}

/// Classifies the `[` at `open`.
fn classify(text: &str, open: usize, block: &BlockCache) -> Bracket {
    let bytes = text.as_bytes();
    let Some(close) = block.closing(open) else {
        return Bracket::NotAPlaceholder { end: open + 1 };
    };
    let inner = &text[open + 1..close];
    let after = close + 1;
    // Only a short prefix can be indentation, quote and list markers: look back a little, so a
    // long line of brackets stays linear.
    let lookback = open.saturating_sub(64).max(block.range.start);
    let prefix = match memrchr(b'\n', &bytes[lookback..open]) {
        Some(i) => &text[lookback + i + 1..open],
        None if lookback == block.range.start => &text[lookback..open],
        None => "not at the start of a line",
    };
    let at_block_start = is_block_start(prefix);
    let before = open.checked_sub(1).map(|i| bytes[i]);
    let is_image = before == Some(b'!');
    // `items[i]`, `f()[0]`, `x[a][b]`, `#[derive(Debug)]`: indexing and attributes, not
    // template text (`#[issue number]` with a space is).
    let is_index = before
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b')' | b']'))
        || (before == Some(b'#') && !inner.contains(char::is_whitespace));
    // `[0003](0003-old.md)`: a link whatever its text.
    if !is_index && bytes.get(after) == Some(&b'(') && !inner.contains("](") {
        let limit = block.range.end.min(after + MAX_BRACKET_SPAN);
        if let Some(paren) = closing_paren(bytes, after, limit, block) {
            return Bracket::Link {
                end: paren + 1,
                destination: after..paren + 1,
            };
        }
        // A destination longer than the scan looks (a data URL, a long query): still a link,
        // never template text.
        if limit < block.range.end {
            return Bracket::NotAPlaceholder { end: after };
        }
    }
    // `[809]: https://...`: a definition whatever its label (a number too).
    if bytes.get(after) == Some(&b':') && at_block_start && !is_image && !is_index {
        let line_end =
            memchr(b'\n', &bytes[after..block.range.end]).map_or(block.range.end, |i| after + i);
        if !inner.trim().is_empty() && is_definition_tail(&text[after + 1..line_end]) {
            return Bracket::Definition {
                label: normalize_label(inner),
                label_end: after,
                end: line_end,
            };
        }
    }
    let trimmed = inner.trim();
    if trimmed.is_empty()
        || is_index
        || inner.starts_with('^')
        || inner.starts_with('!')
        || (is_list_item_start(prefix) && matches!(inner, "x" | "X"))
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
        Some(b'[') => {
            if let Some(second) = block.closing(after) {
                // `[text][]` is labelled by its text.
                let label = if second == after + 1 {
                    open + 1..close
                } else {
                    after + 1..second
                };
                return Bracket::Reference {
                    end: second + 1,
                    label,
                };
            }
        }
        Some(b':') if at_block_start && !is_image => {
            let line_end = memchr(b'\n', &bytes[after..block.range.end])
                .map_or(block.range.end, |i| after + i);
            if is_definition_tail(&text[after + 1..line_end]) {
                return Bracket::Definition {
                    label: normalize_label(inner),
                    label_end: after,
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

/// Whether a list marker (and only it, after indentation and quote markers) precedes a bracket:
/// where `[x]` is a task box. (`[x]` at a line start without one is left to the rule, which
/// reports it only when the template has it.)
fn is_list_item_start(prefix: &str) -> bool {
    let mut rest = prefix.trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.trim_start();
    }
    !rest.is_empty() && is_block_start(rest)
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

/// `example.com/x`, `notes.md`: a dot followed by at least two letters. `99.9%`, `v1.2` and
/// `1.5M` are values, not destinations.
fn has_domain_or_extension(destination: &str) -> bool {
    destination.split('.').skip(1).any(|part| {
        let letters = part.bytes().take_while(u8::is_ascii_alphabetic).count();
        letters >= 2
            && part[letters..]
                .bytes()
                .next()
                .is_none_or(|b| matches!(b, b'/' | b'#' | b'?'))
    })
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
            || has_domain_or_extension(destination));
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

    fn definitions(text: &str) -> Vec<&str> {
        Document::parse(text)
            .link_definitions
            .iter()
            .map(|d| &text[d.clone()])
            .collect()
    }

    fn links(text: &str) -> Vec<&str> {
        Document::parse(text)
            .links
            .iter()
            .map(|d| &text[d.clone()])
            .collect()
    }

    #[test]
    fn link_destinations_are_recorded() {
        let text = "See [0003](0003-old.md), [x](<a b.md> \"T\"), ![d](d.png#x).\n\n[ref]: ../other.md#anchor \"Title\"\n\n`[c](code.md)`\n";
        assert_eq!(
            links(text),
            vec!["0003-old.md", "a b.md", "d.png#x", "../other.md#anchor"]
        );
    }

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
                    [see [RFC](https://x.y)] #[derive(Debug)]\n";
        assert_eq!(placeholders(text), Vec::<&str>::new());
    }

    #[test]
    fn near_misses_are_still_placeholders() {
        let text = "| a | b | c |\n| - | - | - |\n| Backtick (`) | [Description] | `x` |\n\n\
                    [X]% of requests. We need\n[X] more servers, [N]ms, [Component]s and #[issue number].\n\n\
                    https://x.y.[Owner] _TBD_ __TODO__ x_TODO TODO_x\n";
        assert_eq!(
            placeholders(text),
            vec![
                "[Description]",
                "[X]",
                "[X]",
                "[N]",
                "[Component]",
                "[issue number]",
                "[Owner]",
                "TBD",
                "TODO"
            ]
        );
    }

    #[test]
    fn references_and_their_definitions() {
        let text = "[a][x], [b][], [c][y], [d][^n], [e][809]\n\n[x]: https://x.y\n[809]: ./rfc.md\n[^n]: a note\n";
        let doc = crate::Document::parse(text);
        let labels: Vec<&str> = doc
            .undefined_references
            .iter()
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(labels, vec!["b", "y"]);
    }

    #[test]
    fn definitions_are_recorded() {
        let text = "[RFC 9110]: https://www.rfc-editor.org/rfc/rfc9110\n- [Phase 3]: ./rollout\n- [Metric 1]: 99.9%\n";
        assert_eq!(definitions(text), vec!["[RFC 9110]", "[Phase 3]"]);
        assert_eq!(placeholders(text), vec!["[Metric 1]"]);
    }

    #[test]
    fn lines_full_of_brackets_and_code_spans() {
        // Once quadratic (tens of seconds); the pairing is now one pass per block. Speed is
        // the benchmark's business, so this pins only the result.
        let text = "[`a` ".repeat(50_000) + "\n" + &"`[".repeat(50_000);
        assert_eq!(placeholders(&text), Vec::<&str>::new());
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
