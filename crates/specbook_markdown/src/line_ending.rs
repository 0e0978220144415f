//! Line endings. As in CommonMark, a line ends at LF, CRLF or a lone CR. The scanner and the
//! rules read lines at LF; a text whose lines end with lone CRs is read through
//! [`lf_view`], which turns each lone CR into an LF. That is one byte for one byte, so every
//! offset found in the view is the same offset in the file, and edits made at those offsets
//! keep the file's own bytes everywhere else.

use std::borrow::Cow;

/// The text with each lone CR (one not followed by LF) replaced by LF; the same length and
/// the same offsets as `text`. Borrowed when there is none.
#[must_use]
pub fn lf_view(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut view = bytes.to_vec();
    for i in memchr::memchr_iter(b'\r', bytes) {
        if lone(i) {
            view[i] = b'\n';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    Cow::Owned(String::from_utf8(view).unwrap_or_else(|_| text.to_owned()))
}

/// The line ending a file uses: that of its first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    Cr,
}

impl LineEnding {
    /// The ending of the first line of `text`; LF for a text of one line.
    #[must_use]
    pub fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        match memchr::memchr2(b'\n', b'\r', bytes) {
            Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => Self::CrLf,
            Some(i) if bytes[i] == b'\r' => Self::Cr,
            _ => Self::Lf,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lf => "\n",
            Self::CrLf => "\r\n",
            Self::Cr => "\r",
        }
    }

    /// `content` (written with any endings) with this ending on every line.
    #[must_use]
    pub fn apply(self, content: &str) -> Cow<'_, str> {
        if !content.contains(['\n', '\r']) {
            return Cow::Borrowed(content);
        }
        let lf = content.replace("\r\n", "\n").replace('\r', "\n");
        match self {
            Self::Lf => Cow::Owned(lf),
            Self::CrLf => Cow::Owned(lf.replace('\n', "\r\n")),
            Self::Cr => Cow::Owned(lf.replace('\n', "\r")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds_in_place() {
        assert!(matches!(lf_view("a\nb\r\nc"), Cow::Borrowed(_)));
        assert_eq!(lf_view("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert_eq!(lf_view("é\rü").len(), "é\rü".len());
    }

    #[test]
    fn the_first_line_says_the_ending() {
        assert_eq!(LineEnding::of("a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::of("a\rb"), LineEnding::Cr);
        assert_eq!(LineEnding::of("a\nb\r\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of("a"), LineEnding::Lf);
        assert_eq!(LineEnding::Cr.apply("x\ny\r\nz\r"), "x\ry\rz\r");
        assert_eq!(LineEnding::CrLf.apply("x\ny\r\n"), "x\r\ny\r\n");
        assert_eq!(LineEnding::Lf.apply("x\ry\r\n"), "x\ny\n");
    }
}
