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

/// The key a heading is matched by: numbering stripped, lower case, single spaces.
#[must_use]
pub fn section_key(title: &str) -> String {
    // `## **Abstract**`, `## _1. Intro_` and `` ## `Data Model` `` match like the plain titles.
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
}
