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

/// What a rule needs to see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One document and its template: `check` runs it per file.
    Document,
    /// Every spec checked together. Per document, such a rule emits candidates whose message
    /// is their target (a link destination, a relation entry); the workspace keeps those that
    /// the other files make findings, and words them.
    Workspace,
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
    /// Whether some of its findings carry a safe fix (`check --fix`).
    pub fixable: bool,
    /// What the rule looks at: one document, or every spec checked together.
    pub scope: Scope,
    pub check: fn(&Context<'_, '_>, &mut Vec<Diagnostic>),
}

impl Rule {
    /// The default grade, as words: `error`, `warning`, `info`, or `warning in Draft, error later`.
    #[must_use]
    pub fn severity_text(&self) -> &'static str {
        match self.severity {
            SeverityPolicy::Always(severity) => severity.as_str(),
            SeverityPolicy::Lifecycle => "warning in the first status, error later",
        }
    }

    /// The rule's full documentation as one Markdown page: what `specbook explain` prints and
    /// `docs/rules/<name>.md` holds.
    #[must_use]
    pub fn page(&self) -> String {
        let fixable = if self.fixable {
            "yes, with `specbook check --fix`"
        } else {
            "no"
        };
        format!(
            "# {}\n\n{}\n\nDefault severity: {}. Fixable: {fixable}.\n\n{}\n",
            self.name,
            self.summary,
            self.severity_text(),
            self.doc_with_fix_safety().trim_end()
        )
    }

    /// The documentation, with a `## Fix safety` section saying there is no fix when the rule
    /// has none.
    #[must_use]
    pub fn doc_with_fix_safety(&self) -> String {
        if self.doc.contains("## Fix safety") {
            return self.doc.to_owned();
        }
        format!(
            "{}\n\n## Fix safety\nNo automatic fix: what to write is the author's decision.\n",
            self.doc.trim_end()
        )
    }
}

/// The rule called `name`.
#[must_use]
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.name == name)
}

/// Every rule, sorted by name.
pub static RULES: &[Rule] = &[
    rules::broken_link::RULE,
    rules::dangling_relation::RULE,
    rules::date_order::RULE,
    rules::duplicate_id::RULE,
    rules::empty_section::RULE,
    rules::heading_level::RULE,
    rules::id_mismatch::RULE,
    rules::invalid_date::RULE,
    rules::invalid_front_matter::RULE,
    rules::invalid_status::RULE,
    rules::invalid_value::RULE,
    rules::missing_field::RULE,
    rules::missing_section::RULE,
    rules::open_questions::RULE,
    rules::placeholder::RULE,
    rules::relation_cycle::RULE,
    rules::section_order::RULE,
    rules::stale::RULE,
    rules::stale_updated::RULE,
    rules::superseded_without_successor::RULE,
    rules::title::RULE,
    rules::unknown_field::RULE,
    rules::unknown_section::RULE,
    rules::unused_suppression::RULE,
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
