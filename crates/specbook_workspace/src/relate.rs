//! Changes that span several specs: `supersede`, `link` and `renumber`. Each is worked out in
//! memory first and written all or nothing.

use std::ops::Range;
use std::path::{Path, PathBuf};

use specbook_linter::Context;
use specbook_markdown::{Document, Field, FieldSource, RelationKind, SpecId};

use crate::catalog::{format_id, is_folder_spec, spec_slug};
use crate::lifecycle::{SpecTexts, apply, field_edit, read_text, status_edit};
use crate::write::{Change, Mode};
use crate::{Checker, Lifecycle, WorkspaceError};

/// One file's new content, not yet written.
#[derive(Debug)]
pub struct FileChange {
    pub path: PathBuf,
    before: Vec<u8>,
    pub after: String,
}

impl FileChange {
    /// The file's bytes the change was worked out from.
    #[must_use]
    pub fn before(&self) -> &[u8] {
        &self.before
    }

    pub(crate) fn new(path: PathBuf, before: Vec<u8>, after: String) -> Self {
        Self {
            path,
            before,
            after,
        }
    }
}

/// Writes every change, all or nothing (see `replace_files`).
pub fn write_changes(changes: &[FileChange]) -> Result<(), WorkspaceError> {
    let list: Vec<(&Path, &[u8], &str)> = changes
        .iter()
        .map(|c| (c.path.as_path(), c.before.as_slice(), c.after.as_str()))
        .collect();
    crate::scaffold::replace_files(&list)
}

/// The relations between the specs of `entries`, each once: `supersedes` as (newer, older),
/// `related` as (lower, higher), a spec related to itself left out. What `specbook graph` and
/// the site's graph draw.
#[must_use]
pub fn relation_edges(entries: &[crate::Entry]) -> RelationEdges {
    let mut edges = RelationEdges::default();
    for entry in entries {
        let Some(n) = entry.spec_id else { continue };
        let meta = &entry.meta;
        edges
            .supersedes
            .extend(meta.supersedes.iter().map(|&old| (n, old)));
        edges
            .supersedes
            .extend(meta.superseded_by.iter().map(|&new| (new, n)));
        edges.related.extend(
            meta.related
                .iter()
                .filter(|&&other| other != n)
                .map(|&other| (n.min(other), n.max(other))),
        );
    }
    edges
}

/// See [`relation_edges`].
#[derive(Clone, Debug, Default)]
pub struct RelationEdges {
    /// (newer, older): newer supersedes older.
    pub supersedes: std::collections::BTreeSet<(SpecId, SpecId)>,
    /// (lower, higher): related, undirected.
    pub related: std::collections::BTreeSet<(SpecId, SpecId)>,
}

impl RelationEdges {
    /// Every spec that takes part in a relation, in order.
    #[must_use]
    pub fn specs(&self) -> std::collections::BTreeSet<SpecId> {
        self.supersedes
            .iter()
            .chain(&self.related)
            .flat_map(|&(a, b)| [a, b])
            .collect()
    }
}

/// What `supersede` did to the old spec.
#[derive(Debug)]
pub struct Supersession {
    pub changes: Vec<FileChange>,
    /// The old spec's status before.
    pub old_status: Option<String>,
    pub superseded: String,
}

/// `OLD` is superseded by `NEW`: OLD gets the terminal Superseded status and `Superseded By:
/// NEW`, NEW gets `Supersedes: OLD`, both get Last Updated `today`.
pub fn supersede(
    checker: &Checker,
    lifecycle: &Lifecycle,
    old: &Path,
    new: &Path,
    today: &str,
) -> Result<Supersession, WorkspaceError> {
    let (old_id, new_id) = distinct_ids(checker, old, new)?;
    let Some(superseded) = checker.settings.superseded_status().map(str::to_owned) else {
        return Err(WorkspaceError::Other(format!(
            "no terminal status named Superseded; the terminal statuses are {} ([lifecycle] terminal in specbook.toml)",
            lifecycle.terminal.join(", ")
        )));
    };
    let old_texts = SpecTexts::read(checker, old)?;
    let view = specbook_markdown::lf_view(&old_texts.spec);
    let doc = Document::parse(&view);
    let schema = checker.template_for(Some(old), &doc).0;
    let cx = Context::with_fields(&doc, schema, &checker.settings, old_texts.sidecar_fields());
    let status_field = schema
        .status_field()
        .and_then(|spec| cx.field_of(spec))
        .ok_or_else(|| {
            WorkspaceError::Other(format!("{} has no Status field to change", old.display()))
        })?;
    let old_status = lifecycle
        .canonical(&status_field.value)
        .map(str::to_owned)
        .or_else(|| Some(status_field.value.clone()).filter(|s| !s.is_empty()));
    if let Some(status) = old_status.as_deref()
        && lifecycle.is_terminal(status)
        && status != superseded
    {
        return Err(WorkspaceError::Other(format!(
            "{} is {status}, a terminal status; it cannot become {superseded}",
            old.display()
        )));
    }
    let status_edit = status_edit(&old_texts.combined(), status_field, &superseded);
    let old_after = add_relation(
        checker,
        &old_texts.apply(vec![status_edit]),
        RelationKind::SupersededBy,
        new_id,
        today,
    )
    .map_err(|message| WorkspaceError::Other(format!("{}: {message}", old.display())))?;
    // The move to Superseded is a transition like any other: recorded, with its reason.
    let old_after = if old_status.as_deref() == Some(superseded.as_str())
        || schema.history_field().is_none()
    {
        old_after
    } else {
        let reason = format!("superseded by {new_id}");
        let entry =
            specbook_markdown::RecordedTransition::new(today, old_status.as_deref(), &superseded)
                .with(None, false, Some(&reason));
        crate::status_history::record(checker, &old_after, &entry)
            .map_err(|message| WorkspaceError::Other(format!("{}: {message}", old.display())))?
    };
    let new_texts = SpecTexts::read(checker, new)?;
    let new_after = add_relation(checker, &new_texts, RelationKind::Supersedes, old_id, today)
        .map_err(|message| WorkspaceError::Other(format!("{}: {message}", new.display())))?;
    let mut changes = old_after.changes();
    changes.extend(new_after.changes());
    Ok(Supersession {
        changes,
        old_status,
        superseded,
    })
}

/// `A` and `B` are related: each gets the other in `Related` and Last Updated `today`.
/// Returns only the files that change.
pub fn link(
    checker: &Checker,
    a: &Path,
    b: &Path,
    today: &str,
) -> Result<Vec<FileChange>, WorkspaceError> {
    let (a_id, b_id) = distinct_ids(checker, a, b)?;
    let mut changes = Vec::new();
    for (path, other) in [(a, b_id), (b, a_id)] {
        let texts = SpecTexts::read(checker, path)?;
        let after = add_relation(checker, &texts, RelationKind::Related, other, today)
            .map_err(|message| WorkspaceError::Other(format!("{}: {message}", path.display())))?;
        changes.extend(after.changes());
    }
    Ok(changes)
}

fn distinct_ids(checker: &Checker, a: &Path, b: &Path) -> Result<(SpecId, SpecId), WorkspaceError> {
    let id = |path: &Path| {
        checker.ids.id(path).ok_or_else(|| {
            WorkspaceError::Other(format!(
                "{} has no number in its path (NNNN-slug.md, NNNN-slug/README.md), so relations cannot name it",
                path.display()
            ))
        })
    };
    let (a_id, b_id) = (id(a)?, id(b)?);
    if a.canonicalize().ok() == b.canonicalize().ok() {
        return Err(WorkspaceError::Other(format!(
            "both names are {}; a spec cannot be related to itself",
            a.display()
        )));
    }
    if a_id == b_id {
        return Err(WorkspaceError::Other(format!(
            "{} and {} have the same id {a_id}; a spec cannot be related to itself (renumber one first)",
            a.display(),
            b.display(),
        )));
    }
    Ok((a_id, b_id))
}

/// Whether the spec at `path` names `id` in its `kind` field.
fn names(
    checker: &Checker,
    path: &Path,
    cx: &Context<'_, '_>,
    kind: RelationKind,
    id: SpecId,
) -> bool {
    let own = checker.ids.id(path);
    cx.relations
        .iter()
        .any(|r| r.kind == kind && r.id.map(|r| checker.ids.settle(r, own)) == Some(id))
}

/// The texts with `id` added to the `kind` field (created after the last field when
/// missing) and Last Updated set to `today`; the texts as they are when the spec already names
/// `id` there.
fn add_relation(
    checker: &Checker,
    texts: &SpecTexts,
    kind: RelationKind,
    id: SpecId,
    today: &str,
) -> Result<SpecTexts, String> {
    let path = texts.spec_path.as_path();
    let view = specbook_markdown::lf_view(&texts.spec);
    let doc = Document::parse(&view);
    let schema = checker.template_for(Some(path), &doc).0;
    let cx = Context::with_fields(&doc, schema, &checker.settings, texts.sidecar_fields());
    if names(checker, path, &cx, kind, id) {
        return Ok(texts.clone());
    }
    let text = texts.combined();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    if let Some(updated) = schema.updated_field().and_then(|spec| cx.field_of(spec)) {
        edits.push(field_edit(&text, updated, today));
    }
    let existing = cx
        .fields
        .iter()
        .find(|f| RelationKind::of(&f.label) == Some(kind));
    let shown = id.to_string();
    if let Some(field) = existing {
        let ids: Vec<String> = cx
            .relations
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.text.clone())
            .chain([shown])
            .collect();
        edits.push(field_edit(&text, field, &ids.join(", ")));
    } else {
        let last = cx
            .fields
            .iter()
            .max_by_key(|f| f.value_span.end)
            .ok_or("it has no front matter fields to add the relation to")?;
        // A YAML key in the spec's own style: `superseded-by` beside `discussions-to`.
        let key = crate::status_history::yaml_key(kind.label(), &last.label, &cx);
        edits.push(new_field(&text, last, (kind, &key), &shown));
    }
    Ok(texts.apply(edits))
}

/// The insertion of a `kind` field holding `shown` after the `last` field, in its style: a
/// bullet like it, a YAML line, or a line at the end of the sidecar file.
fn new_field(
    text: &str,
    last: &Field,
    (kind, key): (RelationKind, &str),
    shown: &str,
) -> (Range<usize>, String) {
    let yaml_line = || format!("{key}: {}", crate::scaffold::yaml_scalar(shown));
    if last.source == FieldSource::Sidecar {
        // Its last entry may go on over several lines (a sequence): the end of the file is
        // after all of it.
        let newline = specbook_markdown::LineEnding::of(text).as_str();
        let separator = if text.ends_with(['\n', '\r']) {
            ""
        } else {
            newline
        };
        return (
            text.len()..text.len(),
            format!("{separator}{}{newline}", yaml_line()),
        );
    }
    // Lines end at LF, CRLF or a lone CR: found in the view, where each is an LF at the same
    // offset; the new line takes the ending of the line it follows.
    let view = specbook_markdown::lf_view(text);
    let line_end = view[last.value_span.end..]
        .find('\n')
        .map_or(text.len(), |i| last.value_span.end + i + 1);
    let at_end = !view[..line_end].ends_with('\n');
    let newline = if at_end {
        specbook_markdown::LineEnding::of(text).as_str()
    } else {
        specbook_markdown::LineEnding::of(
            &text[line_end - 1 - usize::from(text[..line_end].ends_with("\r\n"))..],
        )
        .as_str()
    };
    let line = match last.source {
        FieldSource::Yaml | FieldSource::Sidecar => yaml_line(),
        FieldSource::Bullet => {
            let start = view[..last.label_span.start]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            format!(
                "{}{}{}{shown}",
                &text[start..last.label_span.start],
                kind.label(),
                &text[last.label_span.end..last.value_span.start]
            )
        }
    };
    let insertion = if at_end {
        format!("{newline}{line}")
    } else {
        format!("{line}{newline}")
    };
    (line_end..line_end, insertion)
}

/// What `renumber` will do: move the spec and rewrite the links to it.
#[derive(Debug)]
pub struct Renumbering {
    pub from: PathBuf,
    pub to: PathBuf,
    /// The files whose links change (the renumbered spec among them, at its old path).
    pub changes: Vec<FileChange>,
}

impl Renumbering {
    /// Rewrites the links and moves the spec, in one change: all of it or none, even if the
    /// process is killed half-way (see [`crate::write`]).
    pub fn apply(&self) -> Result<(), WorkspaceError> {
        if self.to.exists() {
            return Err(WorkspaceError::Exists {
                path: self.to.clone(),
            });
        }
        let from = self
            .from
            .canonicalize()
            .map_err(|error| WorkspaceError::Read {
                path: self.from.clone(),
                error,
            })?;
        let is_spec = |c: &FileChange| c.path.canonicalize().is_ok_and(|p| p == from);
        let mut changes: Vec<Change> = self
            .changes
            .iter()
            .filter(|c| !is_spec(c))
            .map(|c| Change::Replace {
                path: c.path.clone(),
                expected: c.before.clone(),
                content: c.after.clone(),
            })
            .collect();
        let (before, after) = if let Some(c) = self.changes.iter().find(|c| is_spec(c)) {
            (c.before.clone(), c.after.clone())
        } else {
            let before = crate::input::read(&self.from).map_err(|error| WorkspaceError::Read {
                path: self.from.clone(),
                error,
            })?;
            let after = String::from_utf8(before.clone()).map_err(|_| {
                WorkspaceError::Other(format!(
                    "{} is not UTF-8 text; not renumbering it",
                    self.from.display()
                ))
            })?;
            (before, after)
        };
        changes.push(Change::Create {
            path: self.to.clone(),
            content: after,
        });
        changes.push(Change::Remove {
            path: self.from.clone(),
            expected: before,
        });
        crate::write::commit(&changes, Mode::AllOrNothing).map(|_| ())
    }
}

/// The folder a renumbered spec stays in; a folder-per-spec README cannot be renumbered.
fn renumbered_folder(spec: &Path) -> Result<PathBuf, WorkspaceError> {
    if is_folder_spec(spec) {
        return Err(WorkspaceError::Other(format!(
            "{} is a folder-per-spec README: its number is its folder's name; rename the folder (and the links to it) by hand",
            spec.display()
        )));
    }
    let folder = spec
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok(if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder
    })
}

/// Works out giving `spec` the next free number in its folder and rewriting, in every Markdown
/// file of `files`, the links to it and the relation entries naming its old number (when no
/// other spec shares that number).
pub fn renumber(
    checker: &Checker,
    spec: &Path,
    files: &[PathBuf],
) -> Result<Renumbering, WorkspaceError> {
    let folder = renumbered_folder(spec)?;
    let number = crate::scaffold::next_number(&folder)?;
    let slug = spec_slug(spec).unwrap_or("spec");
    let old_name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let new_name = format!("{}-{slug}.md", format_id(number));
    let target = folder.join(&new_name);
    let old_number = checker.ids.id(spec);
    let shared = old_number.is_some_and(|n| {
        files
            .iter()
            .filter(|f| checker.ids.id(f) == Some(n))
            .count()
            > 1
    });
    let canonical = spec.canonicalize().map_err(|error| WorkspaceError::Read {
        path: spec.to_path_buf(),
        error,
    })?;
    let mut changes = Vec::new();
    for file in files {
        let Ok((before, text)) = read_text(file) else {
            continue;
        };
        let view = specbook_markdown::lf_view(&text);
        let doc = Document::parse(&view);
        let dir = file.parent().unwrap_or(Path::new(""));
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for link in &doc.links {
            let destination = doc.slice(link);
            let path_part = destination.split(['#', '?']).next().unwrap_or_default();
            if path_part.is_empty() || !path_part.ends_with(&old_name) {
                continue;
            }
            let resolved = dir.join(path_part).canonicalize().ok();
            if resolved.as_deref() == Some(canonical.as_path()) {
                let start = link.start + path_part.len() - old_name.len();
                edits.push((start..start + old_name.len(), new_name.clone()));
            }
        }
        if let Some(old) = old_number {
            let schema = checker.template_for(Some(file), &doc).0;
            let cx = Context::new(&doc, schema, &checker.settings);
            let own = checker.ids.id(file);
            let settle = |id: SpecId| checker.ids.settle(id, own);
            for entry in cx
                .relations
                .iter()
                .filter(|r| r.id.map(settle) == Some(old))
            {
                // A shared number is ambiguous, unless the entry links to this very file.
                let links_here = edits.iter().any(|(r, _)| entry.span.contains(&r.start));
                if shared && !links_here {
                    continue;
                }
                let text_of = &text[entry.span.clone()];
                if SpecId::parse(text_of).map(settle) != Some(old) {
                    continue; // a YAML sequence: not one entry's own text
                }
                let digits_at = text_of.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
                let digits = text_of[digits_at..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count();
                let start = entry.span.start + digits_at;
                let range = start..start + digits;
                if !edits
                    .iter()
                    .any(|(r, _)| r.start < range.end && range.start < r.end)
                {
                    edits.push((range, format_id(number)));
                }
            }
        }
        if !edits.is_empty() {
            changes.push(FileChange {
                path: file.clone(),
                before,
                after: apply(&text, edits),
            });
        }
    }
    Ok(Renumbering {
        from: spec.to_path_buf(),
        to: target,
        changes,
    })
}
