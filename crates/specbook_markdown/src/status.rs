//! A lifecycle value as specs write it: `Draft`, `**Implemented (Swift 5.5)**`, `_approved_`.

use std::ops::Range;

/// The parts of a status value: the status itself and a trailing qualifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusValue {
    /// Where the status is in the value (`Implemented` of `**Implemented (Swift 5.5)**`).
    pub status: Range<usize>,
    /// Where the qualifier is: a trailing parenthesis (`Swift 5.5`), or what follows the
    /// emphasised status (`**Implemented** except for the amendment`).
    pub qualifier: Option<Range<usize>>,
}

const EMPHASIS: [&str; 4] = ["**", "__", "*", "_"];

impl StatusValue {
    /// Splits a field value. Emphasis around the status is markup, not part of it; a
    /// parenthesis at its end and text after the emphasis are the qualifier.
    #[must_use]
    pub fn split(value: &str) -> Self {
        let trimmed_start = value.len() - value.trim_start().len();
        let mut inner = trimmed_start..value.trim_end().len().max(trimmed_start);
        let mut after: Option<Range<usize>> = None;
        for marker in EMPHASIS {
            let text = &value[inner.clone()];
            if let Some(rest) = text.strip_prefix(marker)
                && let Some(close) = rest.find(marker)
                && close > 0
            {
                let start = inner.start + marker.len();
                let end = start + close;
                let tail = end + marker.len()..inner.end;
                if !value[tail.clone()].trim().is_empty() {
                    after = Some(trimmed(value, tail));
                }
                inner = start..end;
                break;
            }
        }
        // `**Partially implemented (Swift 5.9):** ...`: the colon ends the status.
        let text = &value[inner.clone()];
        let text_trimmed = text.trim_end().trim_end_matches(':').trim_end();
        inner = trimmed(value, inner.start..inner.start + text_trimmed.len());
        let mut qualifier = None;
        let text = &value[inner.clone()];
        if text.ends_with(')')
            && let Some(open) = text.rfind('(')
            && open > 0
        {
            let status = trimmed(value, inner.start..inner.start + open);
            if !status.is_empty() {
                qualifier = Some(trimmed(value, inner.start + open + 1..inner.end - 1));
                inner = status;
            }
        }
        Self {
            status: inner,
            qualifier: qualifier.or(after),
        }
    }
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = (range.start + slice.trim_end().len()).max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(value: &str) -> (&str, Option<&str>) {
        let split = StatusValue::split(value);
        (&value[split.status], split.qualifier.map(|q| &value[q]))
    }

    #[test]
    fn emphasis_and_qualifiers() {
        assert_eq!(parts("Draft"), ("Draft", None));
        assert_eq!(parts(" In Review  "), ("In Review", None));
        assert_eq!(
            parts("**Implemented (Swift 5.5)**"),
            ("Implemented", Some("Swift 5.5"))
        );
        assert_eq!(parts("_approved_"), ("approved", None));
        assert_eq!(
            parts("**Partially implemented (Swift 5.9):** Implemented the manifest API"),
            ("Partially implemented", Some("Swift 5.9"))
        );
        assert_eq!(
            parts("**Implemented** except for the amendment"),
            ("Implemented", Some("except for the amendment"))
        );
        assert_eq!(
            parts("**Returned for revision**"),
            ("Returned for revision", None)
        );
        assert_eq!(parts("(none)"), ("(none)", None));
        assert_eq!(parts(""), ("", None));
        assert_eq!(parts("**"), ("**", None));
    }
}
