//! A parsed spec: headings, list items, placeholders and front matter, all as byte spans of the
//! original text.

use std::ops::Range;

use crate::normalize::section_key;
use crate::yaml::YamlFrontMatter;

/// An ATX (`## Title`) or setext (`Title` over `---`) heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The whole heading, from its first character to the end of its last line (no terminator).
    pub span: Range<usize>,
    /// The title text: markers, closing `#`s and surrounding spaces excluded.
    pub title: Range<usize>,
    /// The match key (see [`section_key`]).
    pub key: String,
    /// Whether the body before the next heading has any content (comments excluded).
    pub has_content: bool,
    /// Where its section ends: the start of the line of the next heading at the same or a
    /// higher level, or the end of the text.
    pub section_end: usize,
}

/// A list item's first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// The marker (`-`, `1.`) and content up to the end of the line.
    pub span: Range<usize>,
    /// The content after the marker and its spaces.
    pub content: Range<usize>,
    /// Columns of indentation before the marker.
    pub indent: usize,
    /// Index of the heading the item belongs to, `None` before the first heading.
    pub heading: Option<usize>,
}

/// Why a piece of text counts as template text left in a spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// `[bracketed text]` that is not a link, image, footnote, task box or citation.
    Bracket,
    /// `TODO`, `TBD` or `FIXME`.
    Marker,
}

/// Template text left in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub kind: PlaceholderKind,
    /// The whole placeholder, brackets included.
    pub span: Range<usize>,
}

/// One spec (or template) as parsed from its text.
#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    /// Where Markdown starts: after a BOM and YAML front matter.
    pub body_start: usize,
    pub headings: Vec<Heading>,
    pub list_items: Vec<ListItem>,
    pub placeholders: Vec<Placeholder>,
    /// Regions that are code or HTML comments, in order.
    pub verbatim: Vec<Range<usize>>,
    /// Paragraphs, headings and table rows: the units inline syntax (code spans, links) lives in.
    pub inline_blocks: Vec<Range<usize>>,
    /// GFM table rows (header, delimiter and body rows), in order.
    pub table_rows: Vec<Range<usize>>,
    /// The `[label]` of every link reference definition (`[label]: https://...`).
    pub link_definitions: Vec<Range<usize>>,
    /// The destination (URL only) of every inline link, image and link reference definition.
    pub links: Vec<Range<usize>>,
    /// Full and collapsed references (`[text][label]`, `[text][]`) with no definition of
    /// their label in the document: the reference and its label.
    pub undefined_references: Vec<(Range<usize>, String)>,
    pub yaml: Option<YamlFrontMatter>,
}

impl<'a> Document<'a> {
    /// Parses a spec. Never fails: every text is some Markdown document.
    #[must_use]
    pub fn parse(text: &'a str) -> Self {
        crate::scan::scan(text)
    }

    #[must_use]
    pub fn slice(&self, span: &Range<usize>) -> &'a str {
        &self.text[span.clone()]
    }

    #[must_use]
    pub fn heading_title(&self, index: usize) -> &'a str {
        self.slice(&self.headings[index].title)
    }

    /// The first level-1 heading, if it comes before any other heading.
    #[must_use]
    pub fn title_heading(&self) -> Option<usize> {
        self.headings.iter().position(|h| h.level == 1)
    }

    /// The byte range from the end of heading `index` to the start of the next heading at the
    /// same or a higher level (its subsections included), or the end of the text.
    #[must_use]
    pub fn section_body(&self, index: usize) -> Range<usize> {
        let heading = &self.headings[index];
        heading.span.end.min(heading.section_end)..heading.section_end
    }

    /// The list items between heading `index` and the next heading of the same or a higher level.
    pub fn items_in_section(&self, index: usize) -> impl Iterator<Item = &ListItem> {
        let body = self.section_body(index);
        self.list_items
            .iter()
            .filter(move |item| body.contains(&item.span.start))
    }

    /// Whether a byte offset lies inside code or an HTML comment.
    #[must_use]
    pub fn is_verbatim(&self, offset: usize) -> bool {
        let i = self.verbatim.partition_point(|r| r.end <= offset);
        self.verbatim.get(i).is_some_and(|r| r.contains(&offset))
    }
}

/// The start of the line containing `offset`.
#[must_use]
pub(crate) fn line_start(text: &str, offset: usize) -> usize {
    memchr::memrchr(b'\n', &text.as_bytes()[..offset]).map_or(0, |i| i + 1)
}

pub(crate) fn heading(level: u8, span: Range<usize>, title: Range<usize>, text: &str) -> Heading {
    Heading {
        level,
        key: section_key(&text[title.clone()]),
        span,
        title,
        has_content: false,
        section_end: text.len(),
    }
}

/// Sets each heading's `section_end`, in one pass with the stack of open sections.
pub(crate) fn set_section_ends(text: &str, headings: &mut [Heading]) {
    let mut open: Vec<usize> = Vec::new();
    for j in 0..headings.len() {
        let start = line_start(text, headings[j].span.start);
        while let Some(&i) = open.last() {
            if headings[i].level < headings[j].level {
                break;
            }
            headings[i].section_end = start;
            open.pop();
        }
        open.push(j);
    }
    for i in open {
        headings[i].section_end = text.len();
    }
}
