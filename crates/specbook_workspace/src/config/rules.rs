//! `[rules]`: each rule's severity, and rule names checked wherever they are written.

use specbook_diagnostics::Severity;

#[derive(Debug, Clone, Copy)]
pub(super) enum RuleLevel {
    Error,
    Warning,
    Info,
    Off,
}

/// `rule = "warning"` or `rule = { severity = "warning" }`, with a message naming the choices.
pub(super) fn rule_level(name: &str, value: &toml::Value) -> Result<RuleLevel, String> {
    let text = match value {
        toml::Value::String(text) => Some(text.as_str()),
        toml::Value::Table(table) if table.len() == 1 => {
            table.get("severity").and_then(toml::Value::as_str)
        }
        _ => None,
    };
    match text {
        Some("error") => Ok(RuleLevel::Error),
        Some("warning") => Ok(RuleLevel::Warning),
        Some("info") => Ok(RuleLevel::Info),
        Some("off") => Ok(RuleLevel::Off),
        _ => Err(format!(
            "[rules] {name} = {value}: expected \"error\", \"warning\", \"info\" or \"off\" (or {{ severity = \"...\" }})"
        )),
    }
}

impl RuleLevel {
    pub(super) fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        }
    }
}

/// Every name a rule setting may use: the rules, `invalid-utf8` and `unreadable`.
fn rule_names() -> impl Iterator<Item = &'static str> {
    specbook_linter::RULES
        .iter()
        .map(|r| r.name)
        .chain([crate::INVALID_UTF8, crate::UNREADABLE])
}

/// An error naming an unknown rule and the nearest known one.
#[must_use]
pub fn unknown_rule_message(name: &str, place: &str) -> String {
    let hint = specbook_linter::nearest(name, rule_names())
        .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
    format!("unknown rule `{name}` in {place}{hint} (`specbook rules` lists them)")
}

/// Checks rule names given on the command line or in the configuration.
pub fn check_rule_names<'n>(
    names: impl IntoIterator<Item = &'n String>,
    place: &str,
) -> Result<(), String> {
    for name in names {
        if !rule_names().any(|known| known == name) {
            return Err(unknown_rule_message(name, place));
        }
    }
    Ok(())
}
