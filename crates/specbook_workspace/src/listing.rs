//! The catalog: every spec with its metadata, findings and git history, for `list`, `show`,
//! `index` and `graph`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use specbook_diagnostics::{FileReport, Severity};
use specbook_linter::Context;
use specbook_markdown::Document;

use specbook_markdown::SpecId;

use crate::catalog::{SpecMeta, lexical, naming_component};
use crate::{Checker, FileHistory, Surroundings, WorkspaceError, check_files};

/// One spec in the catalog.
#[derive(Clone, Debug)]
pub struct Entry {
    pub path: PathBuf,
    /// The id its path gives it (see `spec_id`), in the configured series.
    pub spec_id: Option<SpecId>,
    pub meta: SpecMeta,
    /// Every finding of `check`, the workspace rules included.
    pub report: FileReport,
    pub history: Option<FileHistory>,
    /// The [`crate::text_hash`] of the text checked (`None` for a file that is not text).
    pub text_hash: Option<u64>,
}

impl Entry {
    /// `0007`, `A14`, `SE-0300`; for a spec without a number, the name of its file (or of its
    /// folder, for a `README.md`).
    #[must_use]
    pub fn id(&self) -> String {
        self.spec_id.map_or_else(
            || naming_component(&self.path).unwrap_or_default().to_owned(),
            |id| id.to_string(),
        )
    }

    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether `check` reports the spec as stale.
    #[must_use]
    pub fn is_stale(&self) -> bool {
        self.report.diagnostics.iter().any(|d| d.rule == "stale")
    }

    /// The title, else `Untitled spec` and the id.
    #[must_use]
    pub fn title_or_id(&self) -> String {
        // A bare number tells a reader nothing: say that the spec has no title.
        self.meta
            .title
            .clone()
            .unwrap_or_else(|| format!("Untitled spec {}", self.id()))
    }

    /// The status history with the creation's status filled in: git records a status only
    /// when it changes, so a spec whose status never changed was created in its current one.
    #[must_use]
    pub fn status_history(&self) -> Vec<crate::StatusChange> {
        let Some(history) = &self.history else {
            return Vec::new();
        };
        let mut changes = history.status_changes.clone();
        let only_creation = changes.len() == 1;
        if let Some(first) = changes.first_mut()
            && first.to.is_none()
            && only_creation
        {
            first.to.clone_from(&self.meta.status);
        }
        changes
    }
}

/// The catalog's order: specs with a number first, by number, then by path.
#[must_use]
pub fn catalog_key(spec_id: Option<SpecId>, path: &Path) -> (bool, Option<SpecId>, &Path) {
    (spec_id.is_none(), spec_id, path)
}

/// Every spec of `files`, checked (with the workspace rules) and sorted by number, then path.
pub struct Catalog {
    pub entries: Vec<Entry>,
    /// Files that could not be read.
    pub errors: Vec<WorkspaceError>,
}

impl Catalog {
    #[must_use]
    pub fn load(checker: &Checker, files: &[PathBuf], around: &Surroundings) -> Self {
        let outcome = check_files(checker, files, around);
        let mut entries: Vec<Entry> = outcome
            .reports
            .into_iter()
            .zip(outcome.facts)
            .map(|(report, facts)| {
                let path = PathBuf::from(&report.path);
                let history = checker
                    .git
                    .as_ref()
                    .and_then(|git| git.history.get(&path))
                    .cloned();
                Entry {
                    spec_id: checker.ids.id(&path),
                    path,
                    meta: facts.meta,
                    report,
                    history,
                    text_hash: facts.text_hash,
                }
            })
            .collect();
        entries
            .sort_by(|a, b| catalog_key(a.spec_id, &a.path).cmp(&catalog_key(b.spec_id, &b.path)));
        Self {
            entries,
            errors: outcome.errors,
        }
    }

    /// The entry with id `id`, if exactly one has it.
    #[must_use]
    pub fn by_id(&self, id: SpecId) -> Option<&Entry> {
        let mut found = self.entries.iter().filter(|e| e.spec_id == Some(id));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }
}

/// How much of the template a spec has.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Completeness {
    /// Template sections, required or optional.
    pub sections: usize,
    pub present: usize,
    /// Titles of the template sections the spec lacks.
    pub missing: Vec<String>,
    /// Titles of the sections that are there but empty.
    pub empty: Vec<String>,
}

/// The sections of its template the spec at `path` (with `text`) has, lacks and leaves empty.
#[must_use]
pub fn completeness(checker: &Checker, path: &Path, text: &str) -> Completeness {
    let view = specbook_markdown::lf_view(text);
    let doc = Document::parse(&view);
    let schema = checker.template_for(Some(path), &doc).0;
    let cx = Context::new(&doc, schema, &checker.settings);
    let mut result = Completeness {
        sections: schema.sections.len(),
        ..Completeness::default()
    };
    for (s, section) in schema.sections.iter().enumerate() {
        if cx.section_match[s].is_none() {
            result.missing.push(section.title.clone());
            continue;
        }
        result.present += 1;
        if cx.is_empty_section(s) {
            result.empty.push(section.title.clone());
        }
    }
    result
}

/// The Markdown catalog table `index` writes: one row per spec, titles linking to the files
/// relative to `index_folder`.
#[must_use]
pub fn index_table(entries: &[Entry], index_folder: &Path) -> String {
    let mut out = String::from(
        "| ID | Title | Status | Team | Author(s) | Last Updated |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for entry in entries {
        let link = relative_link(&entry.path, index_folder);
        let cell = |value: Option<&str>| escape_cell(value.unwrap_or(""));
        out.push_str(&format!(
            "| {} | [{}]({}) | {} | {} | {} | {} |\n",
            entry.id(),
            escape(&entry.title_or_id(), true),
            link,
            cell(entry.meta.status.as_deref()),
            cell(entry.meta.team.as_deref()),
            escape_cell(&entry.meta.authors.join(", ")),
            cell(entry.meta.last_updated.as_deref()),
        ));
    }
    out
}

fn escape_cell(text: &str) -> String {
    escape(text, false)
}

/// Markdown source (a title as written in its heading) made safe for a table cell, and with
/// `in_link` for a link's text: `|` and, in a link, `[` and `]` escaped unless the source
/// already escapes them; line breaks as spaces; a backslash at the very end doubled so it
/// does not escape what follows. Escapes already in the source are kept as they are, so the
/// cell shows what the heading shows.
fn escape(text: &str, in_link: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // A hard line break: one line in a cell.
                Some('\n' | '\r') => out.push(' '),
                // Escaped already (`\|` is GFM's escaped pipe, `\]` a literal bracket).
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push_str("\\\\"),
            },
            '|' => out.push_str("\\|"),
            '[' | ']' if in_link => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `path` relative to `folder`, with `/` separators and spaces encoded, for a Markdown link.
fn relative_link(path: &Path, folder: &Path) -> String {
    let absolute =
        |p: &Path| std::path::absolute(p).map_or_else(|_| p.to_path_buf(), |p| lexical(&p));
    let (path, folder) = (absolute(path), absolute(folder));
    let common = path
        .components()
        .zip(folder.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = folder.components().count() - common;
    let mut parts: Vec<String> = vec!["..".to_owned(); ups];
    parts.extend(
        path.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/").replace(' ', "%20")
}

pub const INDEX_START: &str = "<!-- specbook-index:start -->";
pub const INDEX_END: &str = "<!-- specbook-index:end -->";

/// `existing` (the index file's text, if any) with `table` between the markers; the rest of
/// the file is kept byte for byte. A file without markers gets them at its end.
pub fn splice_index(existing: Option<&str>, table: &str) -> Result<String, String> {
    let Some(existing) = existing else {
        return Ok(format!("# Specs\n\n{INDEX_START}\n{table}{INDEX_END}\n"));
    };
    let newline = specbook_markdown::LineEnding::of(existing).as_str();
    let table = table.replace('\n', newline);
    match (existing.find(INDEX_START), existing.find(INDEX_END)) {
        (Some(start), Some(end)) if start < end => {
            let inner_start = start + INDEX_START.len();
            Ok(format!(
                "{}{newline}{table}{}",
                &existing[..inner_start],
                &existing[end..]
            ))
        }
        (None, None) => {
            let separator = if existing.is_empty() || existing.ends_with("\n\n") {
                ""
            } else if existing.ends_with('\n') {
                newline
            } else {
                "\n\n"
            };
            Ok(format!(
                "{existing}{separator}{INDEX_START}{newline}{table}{INDEX_END}{newline}"
            ))
        }
        _ => Err(format!(
            "has one index marker without the other, or the end before the start; it needs {INDEX_START} and then {INDEX_END}"
        )),
    }
}

/// The spec ids relations name that no entry has.
#[must_use]
pub fn missing_ids(entries: &[Entry]) -> BTreeSet<SpecId> {
    let known: BTreeSet<SpecId> = entries.iter().filter_map(|e| e.spec_id).collect();
    entries
        .iter()
        .flat_map(|e| {
            e.meta
                .supersedes
                .iter()
                .chain(&e.meta.superseded_by)
                .chain(&e.meta.related)
        })
        .copied()
        .filter(|id| !known.contains(id))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_are_escaped_once_for_cells_and_link_text() {
        use super::escape;
        assert_eq!(
            escape(r"Parser \[v2\]", true),
            r"Parser \[v2\]",
            "escapes kept as written"
        );
        assert_eq!(escape("Parser [v2]", true), r"Parser \[v2\]");
        assert_eq!(escape("a ] b", true), r"a \] b");
        assert_eq!(escape("a | b", true), r"a \| b");
        assert_eq!(
            escape(r"a \| b", false),
            r"a \| b",
            "an escaped pipe stays one"
        );
        assert_eq!(
            escape("`x|y`", false),
            r"`x\|y`",
            "GFM escapes pipes in code spans too"
        );
        assert_eq!(escape(r"ends with \", true), r"ends with \\");
        assert_eq!(escape("one\ntwo\\\nthree", false), "one two three");
        assert_eq!(
            escape("[x]", false),
            "[x]",
            "brackets matter in link text only"
        );
    }
    use super::*;

    #[test]
    fn splicing_keeps_everything_outside_the_markers() {
        let table = "| a |\n";
        let file = format!("intro\n{INDEX_START}\nold\n{INDEX_END}\noutro\n");
        assert_eq!(
            splice_index(Some(&file), table).unwrap(),
            format!("intro\n{INDEX_START}\n| a |\n{INDEX_END}\noutro\n")
        );
        assert_eq!(
            splice_index(Some("notes\n"), table).unwrap(),
            format!("notes\n\n{INDEX_START}\n| a |\n{INDEX_END}\n")
        );
        let crlf = format!("a\r\n{INDEX_START}\r\n{INDEX_END}\r\n");
        assert_eq!(
            splice_index(Some(&crlf), table).unwrap(),
            format!("a\r\n{INDEX_START}\r\n| a |\r\n{INDEX_END}\r\n")
        );
        assert!(splice_index(Some(INDEX_END), table).is_err());
        assert!(
            splice_index(None, table)
                .unwrap()
                .starts_with("# Specs\n\n")
        );
    }

    #[test]
    fn links_are_relative_to_the_index() {
        assert_eq!(
            relative_link(Path::new("specs/0001-a b.md"), Path::new("specs")),
            "0001-a%20b.md"
        );
        assert_eq!(
            relative_link(Path::new("specs/0001-a.md"), Path::new("docs")),
            "../specs/0001-a.md"
        );
        assert_eq!(
            relative_link(Path::new("./specs/0001-a.md"), Path::new(".")),
            "specs/0001-a.md"
        );
    }
}
