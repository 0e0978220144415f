//! The template's own text that a finished spec must not keep, beyond its `[placeholders]`:
//! guidance paragraphs ("When filling out this template, ..."), `<angle>` and
//! `(parenthesised instruction ...)` phrases, `NNNN`/`XXXX`/`YYYY-MM-DD` tokens and italic
//! instructions (`*if applicable*`), each with the template line it is on.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::Document;
use crate::guidance::is_guidance;
use crate::normalize::rendered_text;

/// Template text found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateLeftover {
    pub span: Range<usize>,
    /// The template line it comes from.
    pub line: usize,
    /// What it is, for the message: `guidance`, `instruction`, `token`.
    pub kind: LeftoverKind,
}

/// The form of template text left in a spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftoverKind {
    /// A paragraph of the template's guidance.
    Guidance,
    /// An `<angle>`, `(parenthesised)` or italic instruction.
    Instruction,
    /// `NNNN`, `XXXX`, `YYYY-MM-DD`.
    Token,
}

/// What of a template's text a spec must not keep.
#[derive(Clone, Debug, Default)]
pub struct TemplateText {
    /// Guidance paragraphs, normalised (see [`normalise`]), with their template line.
    guidance: HashMap<String, usize>,
    /// The first words of each guidance paragraph, as written and as normalised: a spec's
    /// paragraph is normalised only when its first words are one of them.
    guidance_starts: HashSet<String>,
    /// Phrases found as written, with their kind and template line.
    phrases: Vec<(String, LeftoverKind, usize)>,
    matcher: Option<AhoCorasick>,
}

/// Paragraph text as compared: rendered (links, emphasis and code marks reduced to text),
/// quote markers dropped, whitespace collapsed.
fn normalise(text: &str) -> String {
    rendered_text(text)
        .split_whitespace()
        .filter(|w| *w != ">")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first three runs of letters and digits, space-joined: the same in a paragraph as
/// written, rewrapped, quoted or with its emphasis reduced (`> **When** filling out` and
/// `When filling out`). A cheap key that rules out most paragraphs before [`normalise`].
fn first_words(text: &str) -> String {
    let mut key = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// Words that make an emphasised phrase an instruction (`*if applicable*`).
const ITALIC_CUES: &[&str] = &[
    "applicable",
    "optional",
    "if any",
    "as needed",
    "delete",
    "remove",
    "replace",
    "fill",
    "describe",
    "example",
];

/// The line of any offset of one text, by binary search over its line ends.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Self(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&end| end < offset) + 1
    }
}

/// Whether `offset` lies in one of `ranges`, which are in order and do not overlap.
fn within(ranges: &[Range<usize>], offset: usize) -> bool {
    let after = ranges.partition_point(|r| r.start <= offset);
    after > 0 && ranges[after - 1].contains(&offset)
}

impl TemplateText {
    /// The leftovers of a template `doc` whose front matter (fields) ends at `body_start`:
    /// field values are checked as fields, not here.
    #[must_use]
    pub fn of(doc: &Document<'_>, fields_end: usize) -> Self {
        let text = doc.text;
        let mut found = Self::default();
        let lines = Lines::new(text);
        let headings: Vec<Range<usize>> = doc.headings.iter().map(|h| h.span.clone()).collect();
        for block in &doc.inline_blocks {
            if block.start < fields_end
                || within(&headings, block.start)
                || within(&doc.table_rows, block.start)
            {
                continue;
            }
            let paragraph = &text[block.clone()];
            if is_guidance(paragraph) {
                let key = normalise(paragraph);
                if key.split(' ').count() >= 4 {
                    found.guidance_starts.insert(first_words(paragraph));
                    found.guidance_starts.insert(first_words(&key));
                    found
                        .guidance
                        .entry(key)
                        .or_insert_with(|| lines.of(block.start));
                }
                continue;
            }
            found.phrases_in(paragraph, block.start, &lines);
        }
        found.phrases.sort_by(|a, b| a.0.cmp(&b.0));
        found.phrases.dedup_by(|a, b| a.0 == b.0);
        if !found.phrases.is_empty() {
            found.matcher = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(found.phrases.iter().map(|(p, _, _)| p.as_str()))
                .ok();
        }
        found
    }

    /// The instruction phrases and tokens of one paragraph of the template.
    fn phrases_in(&mut self, paragraph: &str, at: usize, lines: &Lines) {
        let line = |offset: usize| lines.of(at + offset);
        // `<describe it>` (not a tag, not an autolink) and `(fill me in ...)`.
        for (open, close, min_words) in [('<', '>', 2), ('(', ')', 3)] {
            let mut from = 0;
            while let Some(start) = paragraph[from..].find(open).map(|i| from + i) {
                let Some(end) = paragraph[start + 1..]
                    .find([close, '\n'])
                    .map(|i| start + 1 + i)
                    .filter(|&e| paragraph[e..].starts_with(close))
                else {
                    from = start + 1;
                    continue;
                };
                let inner = &paragraph[start + 1..end];
                let words = inner.split_whitespace().count();
                let is_autolink = inner.contains("://") || inner.starts_with("mailto:");
                if words >= min_words && !is_autolink && !inner.contains(['<', '(', '[']) {
                    self.phrases.push((
                        paragraph[start..=end].to_owned(),
                        LeftoverKind::Instruction,
                        line(start),
                    ));
                }
                from = end + 1;
            }
        }
        // `*if applicable*`, `_if applicable_`: an opener before a word, a closer after one.
        let bytes = paragraph.as_bytes();
        for marker in [b'*', b'_'] {
            let mut i = 0;
            while i < bytes.len() {
                let opens = bytes[i] == marker
                    && bytes
                        .get(i + 1)
                        .is_some_and(|b| !b.is_ascii_whitespace() && *b != marker)
                    && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
                if !opens {
                    i += 1;
                    continue;
                }
                let close = (i + 2..bytes.len()).find(|&j| {
                    bytes[j] == marker
                        && !bytes[j - 1].is_ascii_whitespace()
                        && bytes.get(j + 1).is_none_or(|b| !b.is_ascii_alphanumeric())
                });
                let Some(end) = close else { break };
                let inner = &paragraph[i + 1..end];
                let lower = inner.to_lowercase();
                if inner.split_whitespace().count() <= 5
                    && !inner.contains('\n')
                    && ITALIC_CUES.iter().any(|cue| lower.contains(cue))
                {
                    self.phrases.push((
                        paragraph[i..=end].to_owned(),
                        LeftoverKind::Instruction,
                        line(i),
                    ));
                }
                i = end + 1;
            }
        }
        // `NNNN`, `XXXX` and `YYYY-MM-DD` as words.
        if let Some(offset) = paragraph.find("YYYY-MM-DD") {
            self.phrases
                .push(("YYYY-MM-DD".to_owned(), LeftoverKind::Token, line(offset)));
        }
        let mut offset = 0;
        for word in paragraph.split(|c: char| !c.is_ascii_alphanumeric()) {
            let is_token = word.len() >= 4
                && (word.bytes().all(|b| b == b'N') || word.bytes().all(|b| b == b'X'));
            if is_token {
                let at = paragraph[offset..].find(word).map_or(0, |i| offset + i);
                self.phrases
                    .push((word.to_owned(), LeftoverKind::Token, line(at)));
            }
            offset += word.len() + 1;
        }
    }

    /// Whether there is anything to look for (most templates' text is all `[placeholders]`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.guidance.is_empty() && self.phrases.is_empty()
    }

    /// The template text left in `doc`, outside code, comments and link destinations.
    #[must_use]
    pub fn leftovers(&self, doc: &Document<'_>) -> Vec<TemplateLeftover> {
        let mut found = Vec::new();
        if self.is_empty() {
            return found;
        }
        let text = doc.text;
        if !self.guidance.is_empty() {
            for block in &doc.inline_blocks {
                if doc.headings.iter().any(|h| h.span.contains(&block.start)) {
                    continue;
                }
                let paragraph = &text[block.clone()];
                if !self.guidance_starts.contains(&first_words(paragraph)) {
                    continue;
                }
                if let Some(&line) = self.guidance.get(&normalise(paragraph)) {
                    found.push(TemplateLeftover {
                        span: block.clone(),
                        line,
                        kind: LeftoverKind::Guidance,
                    });
                }
            }
        }
        if let Some(matcher) = &self.matcher {
            let bytes = text.as_bytes();
            let word = |i: Option<usize>| {
                i.and_then(|i| bytes.get(i))
                    .is_some_and(u8::is_ascii_alphanumeric)
            };
            for hit in matcher.find_iter(text) {
                let (phrase, kind, line) = &self.phrases[hit.pattern().as_usize()];
                let span = hit.start()..hit.end();
                let inside_guidance = found.iter().any(|f| f.span.contains(&span.start));
                let in_link = doc
                    .links
                    .iter()
                    .any(|l| l.start <= span.start && span.end <= l.end);
                // A token inside a bare URL (`.../proposals/NNNN-x.md` on a fork) is a path.
                let word_start = text[..span.start]
                    .rfind(char::is_whitespace)
                    .map_or(0, |i| i + 1);
                let in_url = text[word_start..span.start].contains("://");
                let bounded = *kind != LeftoverKind::Token
                    || (!word(span.start.checked_sub(1)) && !word(Some(span.end)) && !in_url);
                if doc.is_verbatim(span.start)
                    || in_code_span(doc, span.start)
                    || inside_guidance
                    || in_link
                    || !bounded
                {
                    continue;
                }
                debug_assert_eq!(&text[span.clone()], phrase);
                found.push(TemplateLeftover {
                    span,
                    line: *line,
                    kind: *kind,
                });
            }
        }
        found.sort_by_key(|f| f.span.start);
        found
    }
}

/// Whether `offset` is inside a code span: an odd number of backticks before it in its block.
fn in_code_span(doc: &Document<'_>, offset: usize) -> bool {
    let i = doc.inline_blocks.partition_point(|b| b.end <= offset);
    doc.inline_blocks
        .get(i)
        .filter(|b| b.start <= offset)
        .is_some_and(|b| doc.text[b.start..offset].matches('`').count() % 2 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(template: &str, spec: &str) -> Vec<(String, usize, LeftoverKind)> {
        let tdoc = Document::parse(template);
        let found = TemplateText::of(&tdoc, tdoc.body_start);
        let doc = Document::parse(spec);
        found
            .leftovers(&doc)
            .into_iter()
            .map(|l| (spec[l.span].to_owned(), l.line, l.kind))
            .collect()
    }

    #[test]
    fn every_form_is_found_with_its_line() {
        let template = "# Feature name\n\n* Vision: *if applicable* [Vision Name](https://x.y)\n\nWhen filling out this template, you should delete or replace all of\nthe text except for the section headers.\n\n## Synopsis\n\n(high-level description of and rationale for specification)\n\n## Motivation\n\nSee <google group thread> and SE-NNNN, due YYYY-MM-DD.\n";
        let spec = "# Continuations\n\nWhen filling out this template, you should delete or replace all of the\ntext except for the section headers.\n\n## Synopsis\n\n(high-level description of and rationale for specification)\n\n## Motivation\n\nVision: *if applicable* and <google group thread>, SE-NNNN on YYYY-MM-DD.\n\n`NNNN` in code and [a link](https://x.y/NNNN) are not.\n";
        assert_eq!(
            leftovers(template, spec),
            vec![
                (
                    "When filling out this template, you should delete or replace all of the\ntext except for the section headers.".to_owned(),
                    5,
                    LeftoverKind::Guidance
                ),
                (
                    "(high-level description of and rationale for specification)".to_owned(),
                    10,
                    LeftoverKind::Instruction
                ),
                ("*if applicable*".to_owned(), 3, LeftoverKind::Instruction),
                ("<google group thread>".to_owned(), 14, LeftoverKind::Instruction),
                ("NNNN".to_owned(), 14, LeftoverKind::Token),
                ("YYYY-MM-DD".to_owned(), 14, LeftoverKind::Token),
            ]
        );
    }

    #[test]
    fn guidance_is_found_rewrapped_and_with_its_emphasis_reduced() {
        let template = "## Motivation\n\nWhen filling out this template, you should delete or replace all of\nthe text except for the section headers.\n";
        let spec = "## Motivation\n\n**When** filling out this template,\nyou should delete or replace all of the text except for the section headers.\n";
        assert_eq!(leftovers(template, spec).len(), 1);
        assert_eq!(first_words("> **When** filling out it"), "When filling out");
    }

    #[test]
    fn the_authors_own_text_is_not_template_text() {
        let template = "## Motivation\n\nWhy are we doing this? What use cases does it support?\n\n## Copyright\n\nAll content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).\n";
        let spec = "## Motivation\n\nWhy are we doing this? Because polling is slow.\n\n## Copyright\n\nAll content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).\n";
        assert_eq!(leftovers(template, spec), vec![]);
        assert!(TemplateText::of(&Document::parse(crate::BUILTIN_TEMPLATE), 0).is_empty());
    }
}
