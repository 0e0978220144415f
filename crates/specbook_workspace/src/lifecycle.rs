//! The lifecycle: which statuses a spec may move between, and `specbook status`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use specbook_diagnostics::{FileReport, Severity};
use specbook_linter::{Context, Strictness};
use specbook_markdown::{Document, Field, FieldSource, Schema};

use crate::{Checker, Config, WorkspaceError};

/// The statuses in force and the moves between them.
#[derive(Clone, Debug)]
pub struct Lifecycle {
    /// The statuses a spec goes through, in order (`Draft`, `Review`, `Approved`).
    pub statuses: Vec<String>,
    /// Statuses that end a spec's life (`Superseded`, `Withdrawn`); any status may move to them.
    pub terminal: Vec<String>,
    /// The allowed moves between `statuses`.
    pub transitions: Vec<(String, String)>,
}

impl Lifecycle {
    /// The lifecycle of `config` for specs of `schema`: `[lifecycle]` settings, else the
    /// template's statuses, each moving to the next.
    #[must_use]
    pub fn new(schema: &Schema, config: &Config) -> Self {
        let statuses = config
            .settings
            .statuses
            .clone()
            .unwrap_or_else(|| schema.statuses.clone());
        let terminal = config
            .settings
            .terminal_statuses
            .iter()
            .filter(|s| !statuses.contains(s))
            .cloned()
            .collect();
        let transitions = config.transitions.clone().unwrap_or_else(|| {
            statuses
                .windows(2)
                .map(|pair| (pair[0].clone(), pair[1].clone()))
                .collect()
        });
        Self {
            statuses,
            terminal,
            transitions,
        }
    }

    /// Every status, terminal ones last.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.statuses
            .iter()
            .chain(&self.terminal)
            .map(String::as_str)
    }

    /// The status named `name`, in its configured spelling (`review` -> `Review`), through
    /// emphasis and a qualifier (`**Implemented (Swift 5.5)**` -> `Implemented`).
    #[must_use]
    pub fn canonical(&self, name: &str) -> Option<&str> {
        let split = specbook_markdown::StatusValue::split(name);
        let name = &name[split.status];
        self.all().find(|s| specbook_linter::same_status(s, name))
    }

    #[must_use]
    pub fn is_terminal(&self, status: &str) -> bool {
        self.terminal.iter().any(|s| s == status)
    }

    /// Whether a spec in `from` may move to `to`: a configured transition, or any status
    /// that is not terminal to a terminal one.
    #[must_use]
    pub fn allows(&self, from: Option<&str>, to: &str) -> bool {
        let Some(from) = from else {
            return false;
        };
        if self.is_terminal(to) {
            return !self.is_terminal(from);
        }
        self.transitions.iter().any(|(f, t)| f == from && t == to)
    }

    /// The statuses a spec in `from` may move to.
    #[must_use]
    pub fn next(&self, from: Option<&str>) -> Vec<&str> {
        self.all().filter(|to| self.allows(from, to)).collect()
    }
}

/// A status change worked out but not yet written.
#[derive(Debug)]
pub struct StatusPlan {
    pub path: PathBuf,
    /// The status as written before (in its configured spelling when it is one).
    pub from: Option<String>,
    pub to: String,
    /// Whether the lifecycle allows the move.
    pub allowed: bool,
    /// The errors `check` would report for the spec in its new status, when that status is
    /// strict: the gate. Empty when the gate passes.
    pub blocking: FileReport,
    before: Vec<u8>,
    after: String,
}

impl StatusPlan {
    /// Whether the spec already has the status asked for.
    #[must_use]
    pub fn unchanged(&self) -> bool {
        self.from.as_deref() == Some(self.to.as_str())
    }

    /// Writes the new status and date, atomically.
    pub fn write(&self) -> Result<(), WorkspaceError> {
        crate::scaffold::replace_file(&self.path, &self.before, &self.after)
    }
}

/// Works out moving the spec at `path` to status `to` (any case): the edit of its Status and
/// Last Updated (`today`) fields, whether the lifecycle allows it, and what would block it.
pub fn plan_status(
    checker: &Checker,
    lifecycle: &Lifecycle,
    path: &Path,
    to: &str,
    today: &str,
) -> Result<StatusPlan, WorkspaceError> {
    let Some(to) = lifecycle.canonical(to) else {
        return Err(WorkspaceError::Other(format!(
            "`{to}` is not a status; the statuses are {}",
            lifecycle.all().collect::<Vec<_>>().join(", ")
        )));
    };
    let (before, text) = read_text(path)?;
    let doc = Document::parse(&text);
    let schema = checker.template_for(Some(path), &doc).0;
    let Some(status_spec) = schema.status_field() else {
        return Err(WorkspaceError::Other(format!(
            "the template has no Status field, so {} has no status to change",
            path.display()
        )));
    };
    let cx = Context::new(&doc, schema, &checker.settings);
    let Some(status_field) = cx.field_of(status_spec) else {
        return Err(WorkspaceError::Other(format!(
            "{} has no {} field; add it (`specbook check --fix` does) and try again",
            path.display(),
            status_spec.label
        )));
    };
    let from = lifecycle
        .canonical(&status_field.value)
        .map_or_else(|| status_field.value.clone(), str::to_owned);
    let from = (!from.is_empty()).then_some(from);
    let mut edits = vec![field_edit(&text, status_field, to)];
    if let Some(updated) = schema.updated_field().and_then(|spec| cx.field_of(spec)) {
        edits.push(field_edit(&text, updated, today));
    }
    let after = apply(&text, edits);
    let display = path.display().to_string();
    let mut blocking = FileReport {
        path: display.clone(),
        diagnostics: Vec::new(),
    };
    let after_doc = Document::parse(&after);
    if Context::new(&after_doc, schema, &checker.settings).strictness == Strictness::Strict {
        blocking = checker.check_text(&display, &after);
        blocking
            .diagnostics
            .retain(|d| d.severity == Severity::Error);
    }
    Ok(StatusPlan {
        path: path.to_path_buf(),
        allowed: lifecycle.allows(from.as_deref(), to),
        from,
        to: to.to_owned(),
        blocking,
        before,
        after,
    })
}

/// A file's bytes and its text, or an error naming it when it is not UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<(Vec<u8>, String), WorkspaceError> {
    let bytes = std::fs::read(path).map_err(|error| WorkspaceError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|error| {
        WorkspaceError::Other(format!(
            "{} is not valid UTF-8 (invalid byte at offset {}); not changing it",
            path.display(),
            error.utf8_error().valid_up_to()
        ))
    })?;
    Ok((bytes, text))
}

/// The edit that sets a field's value, as YAML or as a bullet's text.
pub(crate) fn field_edit(text: &str, field: &Field, value: &str) -> (Range<usize>, String) {
    let value = match field.source {
        FieldSource::Yaml => crate::scaffold::yaml_scalar(value),
        FieldSource::Bullet => value.to_owned(),
    };
    let span = field.value_span.clone();
    // An empty value sits right after the label's colon: keep a space before the new one.
    let spaced = span.is_empty() && !text[..span.start].ends_with(char::is_whitespace);
    (span, if spaced { format!(" {value}") } else { value })
}

/// Applies non-overlapping edits.
pub(crate) fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_owned();
    for (span, value) in edits {
        out.replace_range(span, &value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifecycle(transitions: Option<Vec<(&str, &str)>>) -> Lifecycle {
        let mut config = Config::discover(Path::new("/nonexistent")).unwrap();
        config.transitions = transitions.map(|list| {
            list.into_iter()
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .collect()
        });
        Lifecycle::new(&Schema::builtin(), &config)
    }

    #[test]
    fn default_transitions_go_one_step_and_to_terminal_statuses() {
        let lifecycle = lifecycle(None);
        assert!(lifecycle.allows(Some("Draft"), "Review"));
        assert!(lifecycle.allows(Some("Review"), "Approved"));
        assert!(!lifecycle.allows(Some("Draft"), "Approved"));
        assert!(!lifecycle.allows(Some("Approved"), "Draft"));
        assert!(lifecycle.allows(Some("Draft"), "Withdrawn"));
        assert!(lifecycle.allows(Some("Approved"), "Superseded"));
        assert!(!lifecycle.allows(Some("Withdrawn"), "Superseded"));
        assert!(!lifecycle.allows(None, "Review"));
        assert_eq!(
            lifecycle.next(Some("Draft")),
            vec!["Review", "Superseded", "Withdrawn"]
        );
        assert_eq!(lifecycle.canonical(" review "), Some("Review"));
    }

    #[test]
    fn configured_transitions_replace_the_default() {
        let lifecycle = lifecycle(Some(vec![("Review", "Draft"), ("Draft", "Review")]));
        assert!(lifecycle.allows(Some("Review"), "Draft"));
        assert!(!lifecycle.allows(Some("Review"), "Approved"));
    }

    #[test]
    fn field_edits_keep_yaml_valid_and_space_empty_bullets() {
        let text = "## Front Matter\n- **Status:**\n";
        let doc = Document::parse(text);
        let field = &doc.fields(Some(0))[0];
        let out = apply(text, vec![field_edit(text, field, "Review")]);
        assert_eq!(out, "## Front Matter\n- **Status:** Review\n");
    }
}
