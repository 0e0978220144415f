//! Control characters in text meant for a terminal. A file name or a line of a spec may hold
//! an escape sequence (`ESC [ 2 J` clears the screen, OSC 8 makes links, some terminals
//! answer queries); printed raw, whoever runs specbook on a pull request gets them. Human
//! output shows each as its Rust escape (`\u{1b}`) instead.

use std::borrow::Cow;
use std::ops::Range;

/// Whether `c` is shown escaped; `keep` are control characters shown as they are (`\n` in a
/// multi-line message, `\t` in a source line).
fn escaped(c: char, keep: &[char]) -> bool {
    (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) && !keep.contains(&c)
}

/// `text` with each control character but those in `keep` as its escape: `\u{1b}`, `\n`.
#[must_use]
pub fn escape_controls<'t>(text: &'t str, keep: &[char]) -> Cow<'t, str> {
    if !text.chars().any(|c| escaped(c, keep)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push(&mut out, c, keep);
    }
    Cow::Owned(out)
}

fn push(out: &mut String, c: char, keep: &[char]) {
    if !escaped(c, keep) {
        out.push(c);
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.extend(c.escape_unicode()),
    }
}

/// [`escape_controls`] of a source line with `span` moved to the same characters in the
/// escaped text.
#[must_use]
pub fn escape_controls_in(text: &str, span: Range<usize>, keep: &[char]) -> (String, Range<usize>) {
    if !text.chars().any(|c| escaped(c, keep)) {
        return (text.to_owned(), span);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut start, mut end) = (None, None);
    for (i, c) in text.char_indices() {
        if i >= span.start && start.is_none() {
            start = Some(out.len());
        }
        if i >= span.end && end.is_none() {
            end = Some(out.len());
        }
        push(&mut out, c, keep);
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert!(matches!(
            escape_controls("plain é.md", &[]),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape_controls("a\u{1b}[2Jb.md", &[]), "a\\u{1b}[2Jb.md");
        assert_eq!(escape_controls("a\nb", &[]), "a\\nb");
        assert_eq!(escape_controls("a\nb\u{7}", &['\n']), "a\nb\\u{7}");
        assert_eq!(
            escape_controls("x\u{9b}y", &[]),
            "x\\u{9b}y",
            "C1 controls too"
        );
        let (text, span) = escape_controls_in("\u{1b}[31m[x] y", 5..8, &['\t']);
        assert_eq!(text, "\\u{1b}[31m[x] y");
        assert_eq!(&text[span], "[x]");
    }
}
