//! Invariants over arbitrary text: parsing and checking never panic, spans stay in bounds.

use std::sync::LazyLock;

use proptest::prelude::*;
use specbook_linter::{Settings, check};
use specbook_markdown::{Document, Schema};

static SCHEMA: LazyLock<Schema> = LazyLock::new(Schema::builtin);

/// Text built from Markdown-ish pieces, so the interesting paths are reached often.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# ".to_owned()),
        Just("## 1. Introduction\n".to_owned()),
        Just("### Data Model\n".to_owned()),
        Just("## Front Matter\n".to_owned()),
        Just("- **Status:** ".to_owned()),
        Just("- **Created:** 2026-".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("](".to_owned()),
        Just("]: ".to_owned()),
        Just("`".to_owned()),
        Just("```\n".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("---\n".to_owned()),
        Just("===\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        Just("    ".to_owned()),
        Just("TODO ".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("é".to_owned()),
        Just("\\".to_owned()),
        "[a-zA-Z0-9 :.*!^>|-]{0,12}",
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn checking_never_panics_and_spans_are_valid(text in markdownish()) {
        let doc = Document::parse(&text);
        for diagnostic in check(&doc, &SCHEMA, &Settings::default()) {
            prop_assert!(diagnostic.span.start <= diagnostic.span.end);
            prop_assert!(diagnostic.span.end <= text.len());
            prop_assert!(text.is_char_boundary(diagnostic.span.start));
            prop_assert!(text.is_char_boundary(diagnostic.span.end));
        }
    }

    #[test]
    fn any_unicode_text_parses(text in "\\PC{0,300}") {
        let doc = Document::parse(&text);
        for heading in &doc.headings {
            prop_assert!(heading.title.end <= text.len());
        }
        let _ = Schema::from_template(&text);
    }
}
