//! The lifecycle: which statuses a spec may move between, and `specbook status`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use specbook_diagnostics::{FileReport, Severity};
use specbook_linter::{Context, Strictness};
use specbook_markdown::{Document, Field, FieldSource, RecordedTransition, Schema};

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
    /// The entry added to the spec's status-history field (see [`Recording`]); `None` when
    /// the status does not change or the template has no lifecycle to record.
    pub recorded: Option<RecordedTransition>,
    /// The spec's file and, when its lifecycle lives there, its sidecar metadata file.
    changes: Vec<crate::FileChange>,
}

/// Who moves a spec and why: what `specbook status` records with the transition.
#[derive(Clone, Copy, Debug, Default)]
pub struct Recording<'a> {
    /// `--by` (or git's `user.name`).
    pub by: Option<&'a str>,
    /// `--reason`.
    pub reason: Option<&'a str>,
}

impl Recording<'_> {
    /// Refuses a name or reason that is empty or not one line of text: each entry of the
    /// history is one line, and an escape sequence would reach whoever prints the file.
    fn check(&self) -> Result<(), WorkspaceError> {
        for (what, value) in [("--by name", self.by), ("--reason", self.reason)] {
            let Some(value) = value else { continue };
            crate::scaffold::one_line(what, value)?;
            if value.trim().is_empty() {
                return Err(WorkspaceError::Other(format!(
                    "the {what} is empty; say it in a few words"
                )));
            }
        }
        Ok(())
    }
}

impl StatusPlan {
    /// The files the move changes, with their new text: the spec's, and its sidecar's when
    /// the lifecycle lives there.
    #[must_use]
    pub fn files(&self) -> &[crate::FileChange] {
        &self.changes
    }

    /// Whether the spec already has the status asked for.
    #[must_use]
    pub fn unchanged(&self) -> bool {
        self.from.as_deref() == Some(self.to.as_str())
    }

    /// Writes the new status and date, atomically (all files or none).
    pub fn write(&self) -> Result<(), WorkspaceError> {
        crate::write_changes(&self.changes)
    }
}

/// A spec's text and its sidecar metadata file's, read and edited together. Offsets at or
/// past [`SpecTexts::base`] are in the sidecar, as its fields' spans are (see
/// `sidecar_fields`), so one list of edits can change both files.
#[derive(Clone, Debug)]
pub(crate) struct SpecTexts {
    pub spec_path: PathBuf,
    pub spec_before: Vec<u8>,
    pub spec: String,
    pub sidecar: Option<SidecarText>,
}

/// A sidecar metadata file's bytes as read and its text now.
#[derive(Clone, Debug)]
pub(crate) struct SidecarText {
    pub path: PathBuf,
    pub before: Vec<u8>,
    pub text: String,
}

impl SpecTexts {
    /// The spec at `path` and its sidecar (when `metadata` names one and it exists). A sidecar
    /// that is not UTF-8 or not a YAML mapping is an error: it is not changed blindly.
    pub(crate) fn read(checker: &Checker, path: &Path) -> Result<Self, WorkspaceError> {
        let (spec_before, spec) = read_text(path)?;
        Self::with_spec(checker, path, spec_before, spec)
    }

    /// The spec at `path` as `spec` (an editor's text, not yet saved) and its sidecar, read.
    pub(crate) fn with_spec(
        checker: &Checker,
        path: &Path,
        spec_before: Vec<u8>,
        spec: String,
    ) -> Result<Self, WorkspaceError> {
        let sidecar = match checker.sidecar(Some(path), spec.len()) {
            None => None,
            Some(sidecar) => {
                if let Some(error) = &sidecar.error {
                    return Err(WorkspaceError::Other(format!(
                        "{} {error}; not changing it",
                        sidecar.path.display()
                    )));
                }
                Some(SidecarText {
                    path: sidecar.path,
                    before: sidecar.bytes,
                    text: sidecar.text,
                })
            }
        };
        Ok(Self {
            spec_path: path.to_path_buf(),
            spec_before,
            spec,
            sidecar,
        })
    }

    /// Where the sidecar starts in the combined text.
    pub(crate) fn base(&self) -> usize {
        self.spec.len() + 1
    }

    /// The spec, a line break, then the sidecar: where every field's span is.
    pub(crate) fn combined(&self) -> String {
        match &self.sidecar {
            Some(sidecar) => format!("{}\n{}", self.spec, sidecar.text),
            None => self.spec.clone(),
        }
    }

    /// The sidecar's fields, spans past the spec's end.
    pub(crate) fn sidecar_fields(&self) -> Vec<Field> {
        self.sidecar.as_ref().map_or_else(Vec::new, |s| {
            specbook_markdown::sidecar_fields(&s.text, self.base()).0
        })
    }

    /// The texts with `edits` (in combined offsets) made.
    pub(crate) fn apply(&self, edits: Vec<(Range<usize>, String)>) -> Self {
        let base = self.base();
        let (spec_edits, sidecar_edits): (Vec<_>, Vec<_>) =
            edits.into_iter().partition(|(span, _)| span.start < base);
        let mut next = self.clone();
        next.spec = apply(&self.spec, spec_edits);
        if let Some(sidecar) = &mut next.sidecar {
            let shifted = sidecar_edits
                .into_iter()
                .map(|(span, text)| (span.start - base..span.end - base, text))
                .collect();
            sidecar.text = apply(&sidecar.text, shifted);
        }
        next
    }

    /// The files whose text is no longer what was read.
    pub(crate) fn changes(&self) -> Vec<crate::FileChange> {
        let mut changes = Vec::new();
        if self.spec.as_bytes() != self.spec_before.as_slice() {
            changes.push(crate::FileChange::new(
                self.spec_path.clone(),
                self.spec_before.clone(),
                self.spec.clone(),
            ));
        }
        if let Some(sidecar) = &self.sidecar
            && sidecar.text.as_bytes() != sidecar.before.as_slice()
        {
            changes.push(crate::FileChange::new(
                sidecar.path.clone(),
                sidecar.before.clone(),
                sidecar.text.clone(),
            ));
        }
        changes
    }
}

/// Works out moving the spec at `path` to status `to` (any case): the edit of its Status and
/// Last Updated (`today`) fields, the entry recording it in its status-history field (the
/// date, the statuses, and `recording`; `forced` when the move overrides the lifecycle),
/// whether the lifecycle allows it, and what would block it.
pub fn plan_status(
    checker: &Checker,
    lifecycle: &Lifecycle,
    path: &Path,
    to: &str,
    today: &str,
    recording: Recording<'_>,
) -> Result<StatusPlan, WorkspaceError> {
    let texts = SpecTexts::read(checker, path)?;
    plan_texts(checker, lifecycle, &texts, to, today, recording)
}

/// [`plan_status`] for the spec at `path` whose text is `text` (an editor's, not yet saved);
/// its sidecar is read from disk.
pub fn plan_status_of_text(
    checker: &Checker,
    lifecycle: &Lifecycle,
    path: &Path,
    text: &str,
    to: &str,
    today: &str,
    recording: Recording<'_>,
) -> Result<StatusPlan, WorkspaceError> {
    let texts = SpecTexts::with_spec(checker, path, text.as_bytes().to_vec(), text.to_owned())?;
    plan_texts(checker, lifecycle, &texts, to, today, recording)
}

fn plan_texts(
    checker: &Checker,
    lifecycle: &Lifecycle,
    texts: &SpecTexts,
    to: &str,
    today: &str,
    recording: Recording<'_>,
) -> Result<StatusPlan, WorkspaceError> {
    let path = texts.spec_path.clone();
    let path = path.as_path();
    recording.check()?;
    let Some(to) = lifecycle.canonical(to) else {
        return Err(WorkspaceError::Other(format!(
            "`{to}` is not a status; the statuses are {}",
            lifecycle.all().collect::<Vec<_>>().join(", ")
        )));
    };
    let view = specbook_markdown::lf_view(&texts.spec);
    let doc = Document::parse(&view);
    let schema = checker.template_for(Some(path), &doc).0;
    let Some(status_spec) = schema.status_field() else {
        return Err(WorkspaceError::Other(format!(
            "the template has no Status field, so {} has no status to change",
            path.display()
        )));
    };
    let cx = Context::with_fields(&doc, schema, &checker.settings, texts.sidecar_fields());
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
    let combined = texts.combined();
    let mut edits = vec![status_edit(&combined, status_field, to)];
    if let Some(updated) = schema.updated_field().and_then(|spec| cx.field_of(spec)) {
        edits.push(field_edit(&combined, updated, today));
    }
    let after = texts.apply(edits);
    let mut blocking = FileReport {
        path: path.display().to_string(),
        diagnostics: Vec::new(),
    };
    let after_view = specbook_markdown::lf_view(&after.spec);
    let after_doc = Document::parse(&after_view);
    let after_cx = Context::with_fields(
        &after_doc,
        schema,
        &checker.settings,
        after.sidecar_fields(),
    );
    if after_cx.strictness == Strictness::Strict {
        blocking = checker.check_texts(path, &after);
        blocking
            .diagnostics
            .retain(|d| d.severity == Severity::Error);
    }
    let allowed = lifecycle.allows(from.as_deref(), to);
    // The gate is the spec's own text in its new status; the entry is the record of passing
    // (or forcing) it, never a finding of its own.
    let changed = from.as_deref() != Some(to);
    let recorded = (changed && schema.history_field().is_some()).then(|| {
        let forced = !allowed || !blocking.diagnostics.is_empty();
        RecordedTransition::new(today, from.as_deref(), to).with(
            recording.by,
            forced,
            recording.reason,
        )
    });
    let after = match &recorded {
        Some(entry) => crate::status_history::record(checker, &after, entry)
            .map_err(|message| WorkspaceError::Other(format!("{}: {message}", path.display())))?,
        None => after,
    };
    Ok(StatusPlan {
        path: path.to_path_buf(),
        allowed,
        from,
        to: to.to_owned(),
        blocking,
        recorded,
        changes: after.changes(),
    })
}

/// The edit that sets a status: within the value's emphasis, its qualifier dropped
/// (`**Accepted**` -> `**Implemented**`).
pub(crate) fn status_edit(text: &str, field: &Field, status: &str) -> (Range<usize>, String) {
    let exact = field.source != FieldSource::Yaml
        && text.get(field.value_span.clone()) == Some(field.value.as_str());
    if exact {
        let value = &field.value;
        let split = specbook_markdown::StatusValue::split(value);
        let before = &value[..split.status.start];
        let marker = before.trim_start();
        if !marker.is_empty() && value[split.status.end..].contains(marker) {
            return (
                field.value_span.clone(),
                format!("{marker}{status}{marker}"),
            );
        }
    }
    field_edit(text, field, status)
}

/// A file's bytes and its text, or an error naming it when it is not UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<(Vec<u8>, String), WorkspaceError> {
    let bytes = crate::input::read(path).map_err(|error| WorkspaceError::Read {
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
        FieldSource::Yaml | FieldSource::Sidecar => crate::scaffold::yaml_scalar(value),
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
