//! The scanner against a full CommonMark parser: on documents made of the block constructs
//! specs use, both must find the same headings (level and title) and the same code blocks.

mod corpora;

use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use specbook_markdown::Document;

/// Lines a spec is made of, in any order.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Title".to_owned()),
        Just("## 1. Introduction".to_owned()),
        Just("### Data Model ###".to_owned()),
        Just("#### Deep".to_owned()),
        Just("#NoSpace".to_owned()),
        Just("Paragraph text with [a link](http://x.y) and `code`.".to_owned()),
        Just("More text".to_owned()),
        Just("- item".to_owned()),
        Just("- **Status:** Draft".to_owned()),
        Just("1. first".to_owned()),
        Just("  - nested".to_owned()),
        Just("    indented".to_owned()),
        Just("```".to_owned()),
        Just("```rust".to_owned()),
        Just("~~~".to_owned()),
        Just("# in code?".to_owned()),
        Just("<!-- comment -->".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("---".to_owned()),
        Just("===".to_owned()),
        Just("***".to_owned()),
        Just("| a | b |".to_owned()),
        Just("| --- | --- |".to_owned()),
        Just("> quoted".to_owned()),
        Just("> ```".to_owned()),
        Just("> # quoted heading".to_owned()),
        Just("- ```".to_owned()),
        Just("  ```".to_owned()),
        Just("- # item heading".to_owned()),
        Just("<!-->".to_owned()),
        Just(String::new()),
        Just(String::new()),
    ]
}

fn scanner_headings(text: &str) -> Vec<(u8, String)> {
    let doc = Document::parse(text);
    doc.headings
        .iter()
        .map(|h| (h.level, text[h.title.clone()].to_owned()))
        .collect()
}

pub(crate) fn reference_headings(text: &str) -> Vec<(u8, String)> {
    let mut headings = Vec::new();
    let mut current: Option<(u8, String)> = None;
    // Headings inside block quotes and list items are not a spec's sections.
    let mut nested = 0usize;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::Item) => nested += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => nested -= 1,
            Event::Start(Tag::Heading { .. }) if nested > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level as u8, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = current.take() {
                    headings.push((level, title.trim().to_owned()));
                }
            }
            Event::SoftBreak => {
                if let Some((_, title)) = &mut current {
                    title.push(' ');
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title)) = &mut current {
                    title.push_str(&t);
                }
            }
            _ => {}
        }
    }
    headings
}

/// Titles compared as plain text: the scanner keeps inline markup (`code`, links) verbatim.
fn plain(headings: Vec<(u8, String)>) -> Vec<(u8, String)> {
    headings
        .into_iter()
        .map(|(level, title)| {
            let title: String = title
                .chars()
                .filter(|c| !matches!(c, '`' | '[' | ']' | '(' | ')'))
                .collect();
            (
                level,
                title
                    .replace("http://x.y", "")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn headings_match_commonmark(lines in proptest::collection::vec(line(), 0..40)) {
        // A leading `---` block is YAML front matter for specbook; pulldown-cmark's metadata
        // option also takes such blocks in mid-document, which GitHub does not.
        let mut text = lines.join("\n");
        if text.starts_with("---") {
            text.insert_str(0, "Intro\n\n");
        }
        prop_assert_eq!(plain(scanner_headings(&text)), plain(reference_headings(&text)), "text:\n{}", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The section ends computed in one pass are the definition's: the line start of the next
    /// heading at the same or a higher level, else the end of the text.
    #[test]
    fn section_bodies_end_at_the_next_heading_as_high(lines in proptest::collection::vec(line(), 0..40)) {
        let text = lines.join("\n");
        let doc = Document::parse(&text);
        for (i, heading) in doc.headings.iter().enumerate() {
            let end = doc.headings[i + 1..]
                .iter()
                .find(|h| h.level <= heading.level)
                .map_or(text.len(), |h| text[..h.span.start].rfind('\n').map_or(0, |n| n + 1));
            prop_assert_eq!(doc.section_body(i), heading.span.end.min(end)..end, "text:\n{}", text);
        }
    }
}

/// Pieces of inline text, for the marker comparison.
fn inline_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("TODO".to_owned()),
        Just("TODO:".to_owned()),
        Just("`".to_owned()),
        Just("``".to_owned()),
        Just("`TODO`".to_owned()),
        Just("<!-- TODO -->".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("[link TODO](http://x.y/TODO)".to_owned()),
        Just("\\`".to_owned()),
        Just("word".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\n- ".to_owned()),
        Just("\n> ".to_owned()),
        Just("\n```\n".to_owned()),
        Just("\n    ".to_owned()),
        Just("\n## ".to_owned()),
        Just("| a | TODO |".to_owned()),
    ]
}

/// Whole-word `TODO`s in rendered text: not in code, HTML, or link destinations.
fn reference_markers(text: &str) -> usize {
    let mut count = 0;
    let mut pending = String::new();
    let flush = |pending: &mut String, count: &mut usize| {
        let bytes = pending.as_bytes();
        let mut from = 0;
        while let Some(i) = pending[from..].find("TODO").map(|i| from + i) {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 4).copied();
            let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !word(before) && !word(after) {
                *count += 1;
            }
            from = i + 4;
        }
        pending.clear();
    };
    let mut in_code = false;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => pending.push_str(&t),
            _ => flush(&mut pending, &mut count),
        }
    }
    flush(&mut pending, &mut count);
    count
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn markers_match_commonmark_text(pieces in proptest::collection::vec(inline_piece(), 0..30)) {
        let text = pieces.concat();
        let doc = Document::parse(&text);
        let ours = doc.placeholders.iter().filter(|p| &text[p.span.clone()] == "TODO").count();
        prop_assert_eq!(ours, reference_markers(&text), "text:\n{}", text);
    }
}
