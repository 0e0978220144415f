//! Section titles as match keys: numbering, case and spacing do not matter.

/// Strips a leading section number such as `7.`, `7.2`, `7.2.` or `7)` and the space after it.
#[must_use]
pub fn strip_numbering(title: &str) -> &str {
    let trimmed = title.trim();
    let bytes = trimmed.as_bytes();
    let mut i = 0;
    let mut saw_digit = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => saw_digit = true,
            b'.' if saw_digit => {}
            _ => break,
        }
        i += 1;
    }
    if !saw_digit {
        return trimmed;
    }
    if i < bytes.len() && bytes[i] == b')' {
        i += 1;
    }
    // "2024 Roadmap" is a title, not a number: numbering must end in `.`/`)` or be dotted.
    let numbering = &trimmed[..i];
    let is_numbering =
        numbering.ends_with('.') || numbering.ends_with(')') || numbering.contains('.');
    let rest = &trimmed[i..];
    if !is_numbering || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return trimmed;
    }
    rest.trim_start()
}

/// `**Title**` -> `Title`; the check first, because most titles have no emphasis and this runs
/// on every heading of every file.
fn unwrap_emphasis(title: &str) -> &str {
    const MARKS: [char; 3] = ['*', '_', '`'];
    if title.starts_with(MARKS) || title.ends_with(MARKS) {
        title.trim_matches(MARKS)
    } else {
        title
    }
}

/// A heading's text as GitHub renders it: `[text](url)` and `[text]` give their text,
/// emphasis (`*`, `**`, `_` at word edges), code backticks, backslash escapes, HTML tags and
/// comments (`<!-- omit in toc -->`) are markup. `snake_case` keeps its `_`.
#[must_use]
pub fn rendered_text(title: &str) -> std::borrow::Cow<'_, str> {
    if !title.contains(['[', ']', '<', '*', '_', '`', '\\']) {
        return std::borrow::Cow::Borrowed(title);
    }
    let bytes = title.as_bytes();
    let mut out = String::with_capacity(title.len());
    let mut i = 0;
    while i < title.len() {
        let rest = &title[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let before = i.checked_sub(1).map(|j| bytes[j]);
        match c {
            '\\' if rest.len() > 1 && rest.as_bytes()[1].is_ascii_punctuation() => {
                out.push(char::from(rest.as_bytes()[1]));
                i += 2;
                continue;
            }
            '`' => {
                // A code span is literal: `Option<T>` keeps its `<T>`.
                let ticks = rest.bytes().take_while(|&b| b == b'`').count();
                let fence = &rest[..ticks];
                if let Some(close) = rest[ticks..].find(fence) {
                    out.push_str(&rest[ticks..ticks + close]);
                    i += ticks + close + ticks;
                } else {
                    i += ticks;
                }
                continue;
            }
            ']' if rest[1..].starts_with('(') => {
                // `[text](url)`: keep the text, skip the destination.
                i = rest.find(')').map_or(title.len(), |j| i + j + 1);
                continue;
            }
            ']' if rest[1..].starts_with('[') => {
                // `[text][label]`: keep the text, skip the label.
                i = rest[1..].find(']').map_or(title.len(), |j| i + 1 + j + 1);
                continue;
            }
            '<' if rest.starts_with("<!--") => {
                i = rest.find("-->").map_or(title.len(), |j| i + j + 3);
                continue;
            }
            '<' if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                if let Some(end) = rest.find('>') {
                    i += end + 1;
                    continue;
                }
                out.push(c);
            }
            '_' => {
                // Emphasis opens or closes at a word's edge; inside a word it is a letter.
                let after = bytes.get(i + 1).copied();
                let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
                if word(before) && word(after) {
                    out.push('_');
                }
            }
            '[' | ']' | '*' => {}
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    std::borrow::Cow::Owned(out)
}

/// Markers that make a template section optional, written after its title: `(Optional)`,
/// `[optional]`, `(if applicable)`.
const OPTIONAL_MARKERS: &[&str] = &["optional", "if applicable", "if any", "if needed"];

/// The title without a trailing optional marker, and whether it had one.
#[must_use]
pub fn strip_optional_marker(title: &str) -> (&str, bool) {
    let trimmed = title.trim_end();
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = trimmed.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
            && OPTIONAL_MARKERS
                .iter()
                .any(|m| inner[at + 1..].trim().eq_ignore_ascii_case(m))
            && !inner[..at].trim().is_empty()
        {
            return (inner[..at].trim_end(), true);
        }
    }
    (trimmed, false)
}

/// The key a heading is matched by: its rendered text (see [`rendered_text`]) with numbering
/// and an optional marker stripped, lower case, single spaces.
#[must_use]
pub fn section_key(title: &str) -> String {
    // `## **Abstract**`, `## _1. Intro_` and `` ## `Data Model` `` match like the plain titles;
    // so do `## [Motivation](#motivation)` and `## Drawbacks (optional)`.
    // This runs on every heading of every file: one byte pass decides what work there is.
    let markup = |t: &str| {
        t.bytes()
            .any(|b| matches!(b, b'[' | b'<' | b'\\' | b'_' | b'*' | b'`'))
    };
    let marked = |t: &str| t.trim_end().ends_with([')', ']']);
    let title = if marked(title) {
        strip_optional_marker(title).0
    } else {
        title
    };
    let rendered = if markup(title) {
        // Not for emphasis around the whole title: unwrapped below without allocating.
        let inner = unwrap_emphasis(title.trim());
        if markup(inner) {
            std::borrow::Cow::Owned(rendered_text(inner).into_owned())
        } else {
            std::borrow::Cow::Borrowed(inner)
        }
    } else {
        std::borrow::Cow::Borrowed(title)
    };
    let title = if marked(&rendered) {
        strip_optional_marker(&rendered).0
    } else {
        &rendered
    };
    // `### Related Proposals:` is the section `Related Proposals`.
    let title = title.trim_end().trim_end_matches(':');
    let unwrapped = unwrap_emphasis(title.trim());
    let stripped = unwrap_emphasis(strip_numbering(unwrapped));
    let mut key = String::with_capacity(stripped.len());
    if stripped.is_ascii() {
        // The common case, on every heading of every file: no Unicode case tables.
        let mut pending_space = false;
        for b in stripped.bytes() {
            if b.is_ascii_whitespace() {
                pending_space = !key.is_empty();
            } else {
                if pending_space {
                    key.push(' ');
                    pending_space = false;
                }
                key.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return key;
    }
    for word in stripped.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            key.extend(c.to_lowercase());
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_ignored() {
        assert_eq!(strip_numbering("7. Success Metrics"), "Success Metrics");
        assert_eq!(strip_numbering("7.2 Success Metrics"), "Success Metrics");
        assert_eq!(strip_numbering("7) Success Metrics"), "Success Metrics");
        assert_eq!(strip_numbering("Success Metrics"), "Success Metrics");
        assert_eq!(strip_numbering("2024 Roadmap"), "2024 Roadmap");
        assert_eq!(strip_numbering("3.14159"), "");
    }

    #[test]
    fn keys_ignore_case_and_spacing() {
        assert_eq!(section_key("  7.  Success   METRICS "), "success metrics");
        assert_eq!(section_key("## Odd"), "## odd");
        assert_eq!(section_key("Ünïcode  Tïtle"), "ünïcode tïtle");
        assert_eq!(section_key("**Abstract**"), "abstract");
        assert_eq!(section_key("1. *Data Model*"), "data model");
        assert_eq!(section_key("_1. Intro_"), "intro");
        assert_eq!(section_key("`Data Model`"), "data model");
        assert_eq!(section_key(" 1. A\tB "), "a b");
    }

    #[test]
    fn keys_are_of_the_rendered_text() {
        assert_eq!(section_key("[Motivation](#motivation)"), "motivation");
        assert_eq!(section_key("Goals \\> Non-goals"), "goals > non-goals");
        assert_eq!(section_key("Design <!-- omit in toc -->"), "design");
        assert_eq!(
            section_key("An _exec-style_ plugin"),
            "an exec-style plugin"
        );
        assert_eq!(section_key("The `snake_case` API"), "the snake_case api");
        assert_eq!(
            section_key("Wrapping `Option<T>` values"),
            "wrapping option<t> values"
        );
        assert_eq!(section_key("[Part 1][part1]"), "part 1");
        assert_eq!(section_key("Related Proposals:"), "related proposals");
        assert_eq!(section_key("Drawbacks (Optional)"), "drawbacks");
        assert_eq!(section_key("Open issues (if applicable)"), "open issues");
        assert_eq!(section_key("Alternatives [optional]"), "alternatives");
        assert_eq!(section_key("(Optional)"), "(optional)");
        assert_eq!(strip_optional_marker("Design (optional)"), ("Design", true));
        assert_eq!(strip_optional_marker("Design (v2)"), ("Design (v2)", false));
    }
}
