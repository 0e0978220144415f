//! One file per rule; each exports `RULE` for the registry.

pub mod broken_link;
pub(crate) mod dangling_relation;
pub(crate) mod date_order;
pub(crate) mod duplicate_id;
pub(crate) mod empty_section;
pub(crate) mod heading_level;
pub(crate) mod id_mismatch;
pub(crate) mod invalid_date;
pub(crate) mod invalid_front_matter;
pub(crate) mod invalid_status;
pub(crate) mod invalid_value;
pub(crate) mod missing_field;
pub(crate) mod missing_section;
pub(crate) mod open_questions;
pub(crate) mod placeholder;
pub(crate) mod relation_cycle;
pub(crate) mod section_order;
pub(crate) mod stale;
pub(crate) mod stale_updated;
pub(crate) mod superseded_without_successor;
pub(crate) mod title;
pub(crate) mod unknown_field;
pub(crate) mod unknown_section;
pub(crate) mod unused_suppression;

/// Relation fields recognised with any template (see the lifecycle design).
pub(crate) const RELATION_FIELDS: &[&str] = &["supersedes", "superseded by", "related"];

/// An ISO 8601 calendar date, `YYYY-MM-DD`, or a date-time starting with one
/// (`2019-02-25T00:00:00.000Z`, `2019-02-25 10:30`, with or without an offset), which counts
/// as the date it is written on.
pub(crate) fn parse_date(value: &str) -> Option<jiff::civil::Date> {
    let bytes = value.as_bytes();
    let shape = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let date: jiff::civil::Date = value[..10].parse().ok()?;
    if bytes.len() == 10 {
        return Some(date);
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let valid =
        value.parse::<jiff::Timestamp>().is_ok() || value.parse::<jiff::civil::DateTime>().is_ok();
    valid.then_some(date)
}

/// Whether a field value is still the template's placeholder (reported by `placeholder`).
pub(crate) fn is_placeholder_value(value: &str) -> bool {
    let value = value.trim();
    value.starts_with('[') && value.ends_with(']')
}

/// Shortens text for a message.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// `text` as a Markdown code span, with enough backticks that backticks inside stay literal.
pub(crate) fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::{code, parse_date};

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("[x]"), "`[x]`");
        assert_eq!(code("[`ptr::write`]"), "`` [`ptr::write`] ``");
    }

    #[test]
    fn dates_and_date_times() {
        let day = |text: &str| parse_date(text).map(|d| d.to_string());
        assert_eq!(day("2026-09-14").as_deref(), Some("2026-09-14"));
        assert_eq!(
            day("2019-02-25T00:00:00.000Z").as_deref(),
            Some("2019-02-25")
        );
        assert_eq!(
            day("2019-02-25T23:30:00-08:00").as_deref(),
            Some("2019-02-25")
        );
        assert_eq!(day("2019-02-25 10:30").as_deref(), Some("2019-02-25"));
        assert_eq!(day("2019-02-25T10:30:00").as_deref(), Some("2019-02-25"));
        for bad in [
            "2025-30-01",
            "2026-13-45",
            "03/04/2026",
            "2019-02-25T25:00:00Z",
            "2019-02-25 soon",
            "2019-02-25x",
            "next week",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
