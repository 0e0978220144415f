//! Code blocks highlighted at build time with syntect's grammars (Sublime Text's, the ones
//! bat and Zola use). A token gets one short class (`hl-k` for a keyword, `hl-s` for a
//! string...) that the stylesheet colours for light and dark, so a page carries no colours of
//! its own and stays small: one flat `<span>` per token, never syntect's nested scope spans.

use std::fmt::Write as _;
use std::str::FromStr as _;
use std::sync::LazyLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::render::escape_into;

/// A block larger than this, or with a line longer than [`MAX_LINE`], is shown plain: a
/// grammar's regexes on a megabyte of minified JSON would cost more than the whole page.
const MAX_BLOCK: usize = 64 * 1024;
const MAX_LINE: usize = 2_000;

/// The classes, by the index a theme rule's colour carries in its red channel (0 is plain).
const CLASSES: [&str; 9] = ["", "c", "s", "n", "k", "f", "t", "a", "d"];

/// Scope selectors for each class, most specific last (syntect lets the later, more
/// specific rule win), in the spirit of GitHub's colours.
const RULES: [(&str, u8); 17] = [
    ("comment, punctuation.definition.comment", 1),
    (
        "string, constant.character, punctuation.definition.string",
        2,
    ),
    (
        "constant.numeric, constant.language, constant.other, variable.language",
        3,
    ),
    ("keyword, storage, keyword.operator.word", 4),
    ("keyword.operator, punctuation.separator.key-value", 0),
    (
        "entity.name.function, support.function, variable.function, meta.function-call entity.name",
        5,
    ),
    (
        "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, support.type, support.class, entity.other.inherited-class",
        6,
    ),
    (
        "storage.type.primitive, storage.type.numeric, storage.type.builtin",
        6,
    ),
    ("entity.name.tag", 4),
    (
        "entity.other.attribute-name, support.type.property-name, meta.mapping.key string, meta.object-literal.key",
        7,
    ),
    ("string.unquoted.plain.out.yaml", 0),
    ("markup.heading, markup.bold", 4),
    ("markup.inserted", 2),
    ("markup.deleted, invalid", 8),
    ("markup.quote, markup.italic", 1),
    ("markup.raw, markup.underline.link", 2),
    (
        "meta.attribute, meta.annotation, entity.name.label, punctuation.definition.annotation",
        7,
    ),
];

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

static THEME: LazyLock<Theme> = LazyLock::new(|| {
    let colour = |index: u8| Color {
        r: index,
        g: 0,
        b: 0,
        a: 0xFF,
    };
    Theme {
        settings: ThemeSettings {
            foreground: Some(colour(0)),
            ..ThemeSettings::default()
        },
        scopes: RULES
            .iter()
            .filter_map(|(selectors, class)| {
                Some(ThemeItem {
                    scope: ScopeSelectors::from_str(selectors).ok()?,
                    style: StyleModifier {
                        foreground: Some(colour(*class)),
                        background: None,
                        font_style: None,
                    },
                })
            })
            .collect(),
        ..Theme::default()
    }
});

/// `code` as HTML for the inside of `<code>`, highlighted as `language` (a fence's first word:
/// `rust`, `sql`, `yaml`, a file extension...); `None` when there is no such grammar or the
/// block is too large, and the block is shown plain.
pub(crate) fn highlight(language: &str, code: &str) -> Option<String> {
    if language.is_empty()
        || code.len() > MAX_BLOCK
        || code.lines().any(|line| line.len() > MAX_LINE)
    {
        return None;
    }
    let syntax = SYNTAXES.find_syntax_by_token(language)?;
    if syntax.name == "Plain Text" {
        return None;
    }
    let mut lines = HighlightLines::new(syntax, &THEME);
    let mut html = String::with_capacity(code.len() * 2);
    // Adjacent tokens of one class share a span; spaces between them stay outside.
    let mut open: u8 = 0;
    for line in LinesWithEndings::from(code) {
        let tokens = lines.highlight_line(line, &SYNTAXES).ok()?;
        for (style, token) in tokens {
            // A token's trailing space (a newline, indentation) stays outside its span.
            let text = token.trim_end();
            let class = style.foreground.r;
            let class = if (class as usize) < CLASSES.len() {
                class
            } else {
                0
            };
            for (class, text) in [(class, text), (0, &token[text.len()..])] {
                if text.is_empty() {
                    continue;
                }
                if class != open {
                    if open != 0 {
                        html.push_str("</span>");
                    }
                    if class != 0 {
                        let _ = write!(html, "<span class=\"hl-{}\">", CLASSES[class as usize]);
                    }
                    open = class;
                }
                escape_into(&mut html, text);
            }
        }
    }
    if open != 0 {
        html.push_str("</span>");
    }
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_gets_flat_classed_spans() {
        let html = highlight("rust", "// note\nfn main() { let s = \"<x>\"; 42 }\n").unwrap();
        assert!(
            html.contains("<span class=\"hl-c\">// note</span>\n"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-k\">fn</span> "), "{html}");
        assert!(html.contains("<span class=\"hl-f\">main</span>"), "{html}");
        assert!(
            html.contains("<span class=\"hl-s\">&quot;&lt;x&gt;&quot;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-n\">42</span>"), "{html}");
        assert!(!html.contains("<span class=\"hl-k\"><span"), "{html}");
    }

    #[test]
    fn the_text_is_kept_exactly() {
        let code = "SELECT id, name\n  FROM users -- all\n WHERE id = 'a&b';\n";
        let html = highlight("sql", code).unwrap();
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.replace("&amp;", "&").replace("&#x27;", "'");
        assert_eq!(text, code);
    }

    #[test]
    fn unknown_languages_and_huge_blocks_stay_plain() {
        assert_eq!(highlight("no-such-language", "x\n"), None);
        assert_eq!(highlight("", "x\n"), None);
        assert_eq!(highlight("json", &"1,".repeat(MAX_LINE)), None);
        assert_eq!(highlight("json", &"1,\n".repeat(MAX_BLOCK / 2)), None);
        assert!(highlight("json", "{\"a\": 1}\n").is_some());
    }
}
