//! Any spec rendered as a site page: the HTML may hold no script, no event handler and no
//! `javascript:` (or `vbscript:`, `data:`) URL, whatever the Markdown or raw HTML says.

#![no_main]

use libfuzzer_sys::fuzz_target;
use specbook_markdown::{Document, lf_view};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let view = lf_view(text);
    let doc = Document::parse(&view);
    let placeholders: Vec<_> = doc.placeholders.iter().map(|p| p.span.clone()).collect();
    let link = |destination: &str| Some(destination.to_owned());
    let rendered = specbook_site::render(text, doc.body_start, &[], &placeholders, &link, true);
    assert_safe(&rendered.html);
});

/// Every tag of the page: no dangerous element, no `on...` attribute, no script URL. Text is
/// escaped by the sanitiser, so each `<` opens a tag; a tag ends at the first `>` outside
/// quotes (attribute values may hold `>`).
fn assert_safe(html: &str) {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(open) = html[at..].find('<').map(|i| at + i) {
        let mut quote = None;
        let mut end = open + 1;
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (None, b'"' | b'\'') => quote = Some(bytes[end]),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        let tag = html[open + 1..end.min(html.len())].to_ascii_lowercase();
        at = (end + 1).min(html.len());
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            ![
                "script", "iframe", "object", "embed", "form", "svg", "math", "style", "base",
                "meta", "link",
            ]
            .contains(&name.as_str()),
            "a <{name}> tag survived: <{tag}>\n{html}"
        );
        for (key, value) in attributes(&tag) {
            assert!(
                !key.starts_with("on"),
                "an event handler survived: <{tag}>\n{html}"
            );
            if matches!(
                key.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                // As a browser reads a URL (the WHATWG URL standard): C0 controls and spaces
                // at either end dropped, tabs and line breaks dropped anywhere. Another
                // control inside the scheme (`jav\u{8}ascript:`) makes it no scheme at all.
                let compact: String = decode(&value)
                    .trim_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect::<String>()
                    .to_ascii_lowercase();
                // A scheme is what comes before a `:` that no `/`, `?` or `#` precedes.
                let scheme = match compact.find(':') {
                    Some(i) if !compact[..i].contains(['/', '?', '#']) => &compact[..i],
                    _ => "",
                };
                assert!(
                    !["javascript", "vbscript", "data"].contains(&scheme),
                    "a {scheme}: URL survived: <{tag}>\n{html}"
                );
            }
        }
    }
}

/// The `key="value"` pairs of one tag's text (after its name).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let body = tag.split_once(char::is_whitespace).map_or("", |(_, b)| b);
    let mut chars = body.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() || c == '/' {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let key = body[start..end].to_owned();
        let mut value = String::new();
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            match chars.peek().map(|&(_, c)| c) {
                Some(quote @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(&(_, c)) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        found.push((key, value));
    }
    found
}

/// HTML character references in an attribute value (`&#106;` is `j`).
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(end) = after.find(';') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let entity = &after[..end];
        let decoded = if let Some(hex) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(decimal) = entity.strip_prefix('#') {
            decimal.parse().ok().and_then(char::from_u32)
        } else {
            match entity {
                "colon" => Some(':'),
                "amp" => Some('&'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
