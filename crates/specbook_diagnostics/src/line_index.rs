//! Byte offsets to the 1-based lines and character columns an editor shows.

use memchr::memchr2_iter;

/// A 1-based line and 1-based column counted in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line of a text. Lines end at `\n`, `\r\n` or a lone `\r`; the `\r`
/// of a CRLF belongs to the line terminator, so CRLF files report the same columns as LF files. A UTF-8 byte order mark
/// is not a column: editors do not show it.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last position asked for, as (offset, column): findings come in order, and counting
    /// on from the previous one keeps many findings on one long line linear.
    last: std::cell::Cell<(usize, usize)>,
}

const BOM: &str = "\u{feff}";

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        let bytes = text.as_bytes();
        // A lone CR ends a line too (CommonMark); the CR of a CRLF does not start one.
        starts.extend(
            memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        Self {
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 0-based line containing `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Position of a byte offset. Offsets inside a multi-byte character or past the end are
    /// clamped to the nearest character boundary at or before them.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let mut line_start = self.starts[line];
        if line == 0 && text.starts_with(BOM) && offset >= BOM.len() {
            line_start = BOM.len();
        }
        let line_start = line_start.min(offset);
        let (last_offset, last_column) = self.last.get();
        let (from, from_column) = if last_offset >= line_start
            && last_offset <= offset
            && text.is_char_boundary(last_offset)
        {
            (last_offset, last_column)
        } else {
            (line_start, 1)
        };
        let column = from_column + text[from..offset].chars().count();
        self.last.set((offset, column));
        // The `\r` of a CRLF terminator is not a column.
        let crlf = offset > line_start
            && text.as_bytes()[offset - 1] == b'\r'
            && text.as_bytes().get(offset) == Some(&b'\n');
        let column = column - usize::from(crlf);
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte range of the whole lines touched by `start..end` (terminators included).
    #[must_use]
    pub fn line_range(&self, text: &str, start: usize, end: usize) -> (usize, usize) {
        let start = start.min(text.len());
        let end = end.max(start).min(text.len());
        let first = self.line_of(start);
        let last = self.line_of(end.saturating_sub(usize::from(end > start)));
        let from = self.starts[first];
        let to = self.starts.get(last + 1).copied().unwrap_or(text.len());
        (from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (usize, usize) {
        let p = LineIndex::new(text).position(text, offset);
        (p.line, p.column)
    }

    #[test]
    fn lf_and_crlf_give_the_same_positions() {
        let lf = "ab\ncd\n";
        let crlf = "ab\r\ncd\r\n";
        assert_eq!(pos(lf, 3), (2, 1));
        assert_eq!(pos(crlf, 4), (2, 1));
        assert_eq!(pos(lf, 2), (1, 3));
        assert_eq!(pos(crlf, 3), (1, 3), "the \\r is part of the terminator");
        assert_eq!(pos("abc\r[x] de\n", 4), (2, 1), "a lone \\r ends a line");
        assert_eq!(pos("a\rb\r\nc\rd", 5), (3, 1));
        assert_eq!(pos("a\rb\r\nc\rd", 7), (4, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é [x]";
        assert_eq!(pos(text, 3), (1, 3));
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}# T\nx";
        assert_eq!(pos(text, 3), (1, 1));
        assert_eq!(pos(text, 5), (1, 3));
        assert_eq!(pos(text, 7), (2, 1));
    }

    #[test]
    fn line_range_covers_whole_lines() {
        let text = "one\ntwo\nthree";
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(text, 5, 6), (4, 8));
        assert_eq!(index.line_range(text, 5, 10), (4, 13));
        assert_eq!(index.line_range(text, 13, 13), (8, 13));
    }

    proptest::proptest! {
        #[test]
        fn cached_positions_equal_fresh_ones(text in "[a-zé\r\n\u{feff}]{0,40}", offsets in proptest::collection::vec(0usize..45, 0..12)) {
            let shared = LineIndex::new(&text);
            for offset in offsets {
                proptest::prop_assert_eq!(shared.position(&text, offset), LineIndex::new(&text).position(&text, offset));
            }
        }

        #[test]
        fn position_never_panics(text in "\\PC{0,40}", offset in 0usize..80) {
            let index = LineIndex::new(&text);
            let p = index.position(&text, offset);
            proptest::prop_assert!(p.line >= 1 && p.column >= 1);
            let _ = index.line_range(&text, offset, offset + 3);
        }
    }
}
