//! The list of rules. One sorted line per rule.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::rules;

/// How a rule's findings are graded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeverityPolicy {
    Always(Severity),
    /// Warning in the template's first status, error in later (strict) statuses.
    Lifecycle,
}

/// A rule: its stable name, its documentation and its check.
pub struct Rule {
    /// Stable kebab-case name: API for config, JSON and suppressions.
    pub name: &'static str,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown: what it does, why, an example, what to write instead.
    pub doc: &'static str,
    pub severity: SeverityPolicy,
    pub check: fn(&Context<'_, '_>, &mut Vec<Diagnostic>),
}

/// Every rule, sorted by name.
pub static RULES: &[Rule] = &[
    rules::date_order::RULE,
    rules::empty_section::RULE,
    rules::heading_level::RULE,
    rules::invalid_date::RULE,
    rules::invalid_front_matter::RULE,
    rules::invalid_status::RULE,
    rules::missing_field::RULE,
    rules::missing_section::RULE,
    rules::open_questions::RULE,
    rules::placeholder::RULE,
    rules::section_order::RULE,
    rules::title::RULE,
    rules::unknown_field::RULE,
    rules::unknown_section::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_kebab_case_and_documented() {
        let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "rules must be sorted by name and unique");
        for rule in RULES {
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                rule.name
            );
            assert!(!rule.summary.is_empty(), "{} has no summary", rule.name);
            for heading in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(
                    rule.doc.contains(heading),
                    "{} docs lack `{heading}`",
                    rule.name
                );
            }
        }
    }
}
