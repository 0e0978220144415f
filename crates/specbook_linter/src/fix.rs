//! The fix engine: applies the safe fixes of a set of findings to a text.

use specbook_diagnostics::{Applicability, Diagnostic, Edit};

/// The text with every safe fix applied, or `None` when no safe fix applies. A fix whose edits
/// overlap an earlier fix's is left for the next round. Inserted text takes the file's line
/// ending (that of its first line: LF, CRLF or CR); nothing outside the declared edits changes.
#[must_use]
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic]) -> Option<String> {
    let ending = specbook_markdown::LineEnding::of(text);
    let mut accepted: Vec<(usize, &Edit)> = Vec::new();
    for (order, fix) in diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .enumerate()
    {
        if fix.applicability != Applicability::Safe {
            continue;
        }
        // The same edit from several fixes (a blank line before sections inserted at one place)
        // is made once.
        let is_duplicate = |edit: &Edit| {
            accepted
                .iter()
                .any(|(_, other)| other.range == edit.range && other.content == edit.content)
        };
        let overlaps = fix
            .edits
            .iter()
            .filter(|edit| !is_duplicate(edit))
            .any(|edit| {
                accepted.iter().any(|(_, other)| {
                    let both_insertions = edit.range.is_empty() && other.range.is_empty();
                    !both_insertions
                        && edit.range.start < other.range.end.max(other.range.start + 1)
                        && other.range.start < edit.range.end.max(edit.range.start + 1)
                })
            });
        let in_bounds = fix.edits.iter().all(|e| {
            e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        if !overlaps && in_bounds {
            let fresh: Vec<&Edit> = fix
                .edits
                .iter()
                .filter(|edit| !is_duplicate(edit))
                .collect();
            accepted.extend(fresh.into_iter().map(|edit| (order, edit)));
        }
    }
    if accepted.is_empty() {
        return None;
    }
    // Front to back; insertions at one offset keep the order of their findings.
    accepted.sort_by_key(|(order, edit)| (edit.range.start, *order));
    let mut fixed = String::with_capacity(text.len() + 1024);
    let mut at = 0;
    for (_, edit) in accepted {
        fixed.push_str(&text[at..edit.range.start]);
        fixed.push_str(&ending.apply(&edit.content));
        at = edit.range.end.max(at);
    }
    fixed.push_str(&text[at..]);
    (fixed != text).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use specbook_diagnostics::{Fix, Severity};

    fn insertion(at: usize, content: &str) -> Diagnostic {
        Diagnostic::new("missing-section", Severity::Error, at..at, "m").with_fix(Fix::safe(
            "insert",
            vec![Edit {
                range: at..at,
                content: content.to_owned(),
            }],
        ))
    }

    #[test]
    fn insertions_keep_order_and_line_endings() {
        let text = "a\r\nb\r\n";
        let fixed = apply_fixes(text, &[insertion(3, "x\n"), insertion(3, "y\n")]).unwrap();
        assert_eq!(fixed, "a\r\nx\r\ny\r\nb\r\n");
        let fixed = apply_fixes("a\rb\r", &[insertion(2, "x\n\n")]).unwrap();
        assert_eq!(fixed, "a\rx\r\rb\r", "a lone CR file keeps lone CRs");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let replace = |range: std::ops::Range<usize>, content: &str| {
            Diagnostic::new("r", Severity::Error, range.clone(), "m").with_fix(Fix::safe(
                "r",
                vec![Edit {
                    range,
                    content: content.to_owned(),
                }],
            ))
        };
        let fixed = apply_fixes(
            "abcdef",
            &[replace(0..3, "X"), replace(2..4, "Y"), replace(4..5, "Z")],
        )
        .unwrap();
        assert_eq!(fixed, "XdZf");
        assert_eq!(apply_fixes("abc", &[]), None);
    }
}
