//! What `specbook.toml` and the command line can tell the rules beyond the template.

use specbook_diagnostics::Severity;

/// Rule settings that derivation from the template cannot know.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Section keys (see `section_key`) that may be left out.
    pub optional_sections: Vec<String>,
    /// Field keys (see `field_key`) that specs may have beside the template's
    /// (`allow_unknown_fields`).
    pub allowed_fields: Vec<String>,
    /// `[sections] aliases`: old section keys and the template section key each stands for.
    pub section_aliases: Vec<(String, String)>,
    /// `[sections] strict_subsections`: subsections a spec adds inside a template section
    /// that has subsections of its own are `unknown-section` (default: allowed).
    pub strict_subsections: bool,
    /// `[placeholders] patterns`: more placeholder forms, one finding per match.
    pub placeholder_patterns: Vec<regex::Regex>,
    /// `[placeholders] ignore`: placeholder findings whose text matches one are dropped.
    pub placeholder_ignore: Vec<regex::Regex>,
    /// The lifecycle, replacing the statuses the template names (`[lifecycle] statuses`).
    pub statuses: Option<Vec<String>>,
    /// Statuses allowed beside the template's own, ending a spec's life.
    pub terminal_statuses: Vec<String>,
    /// Statuses in which unfinished work is an error. `None`: every template status after the first.
    pub strict_statuses: Option<Vec<String>>,
    /// Severities set by `[rules]` in specbook.toml; `None` turns a rule off.
    pub rule_levels: Vec<(String, Option<Severity>)>,
    /// `--select`: only these rules, when not empty.
    pub select: Vec<String>,
    /// `--ignore`: not these rules.
    pub ignore: Vec<String>,
    /// `--warnings-as-errors`: warnings are reported, and count, as errors.
    pub warnings_as_errors: bool,
}

impl Settings {
    /// The terminal status for a spec another one replaced: the one named `Superseded` (or
    /// starting so), if the terminal statuses have it.
    #[must_use]
    pub fn superseded_status(&self) -> Option<&str> {
        self.terminal_statuses
            .iter()
            .find(|s| s.to_ascii_lowercase().starts_with("supersede"))
            .map(String::as_str)
    }

    /// The severity a finding of `rule` is reported with, or `None` when the rule is off.
    #[must_use]
    pub fn grade(&self, rule: &str, severity: Severity) -> Option<Severity> {
        if (!self.select.is_empty() && !self.select.iter().any(|r| r == rule))
            || self.ignore.iter().any(|r| r == rule)
        {
            return None;
        }
        let severity = match self.rule_levels.iter().rev().find(|(name, _)| name == rule) {
            Some((_, level)) => (*level)?,
            None => severity,
        };
        Some(
            if self.warnings_as_errors && severity == Severity::Warning {
                Severity::Error
            } else {
                severity
            },
        )
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            optional_sections: Vec::new(),
            allowed_fields: Vec::new(),
            section_aliases: Vec::new(),
            strict_subsections: false,
            placeholder_patterns: Vec::new(),
            placeholder_ignore: Vec::new(),
            statuses: None,
            terminal_statuses: vec!["Superseded".to_owned(), "Withdrawn".to_owned()],
            strict_statuses: None,
            rule_levels: Vec::new(),
            select: Vec::new(),
            ignore: Vec::new(),
            warnings_as_errors: false,
        }
    }
}
