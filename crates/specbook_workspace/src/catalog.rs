//! Spec identity: the number in a file name, and finding a spec by number, slug or path.

use std::path::{Path, PathBuf};

use specbook_diagnostics::Located;
use specbook_linter::Context;
use specbook_markdown::{FieldSpec, RelationKind};

use crate::WorkspaceError;

/// The number a spec's file name starts with: `0007-rate-limiter.md` -> 7.
#[must_use]
pub fn spec_number(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !name[digits..].starts_with('-') {
        return None;
    }
    name[..digits].parse().ok()
}

/// `a/./b/../c` -> `a/c`: `.` removed and `..` resolved without touching the disk (symlinks
/// are not followed, which is what makes it cheap for thousands of files).
#[must_use]
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A spec number as it is shown: `0007`.
#[must_use]
pub fn format_id(number: u32) -> String {
    format!("{number:04}")
}

/// The slug of a spec's file name: `0007-rate-limiter.md` -> `rate-limiter`.
#[must_use]
pub fn spec_slug(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    Some(
        stem[digits..]
            .strip_prefix('-')
            .filter(|_| digits > 0)
            .unwrap_or(stem),
    )
}

/// The spec among `files` that `id` names: a number (`7`, `0007`), a slug (`rate-limiter`), a
/// file name or a path.
pub fn resolve<'f>(files: &'f [PathBuf], id: &str) -> Result<&'f PathBuf, WorkspaceError> {
    let id = id.trim();
    let matches: Vec<&PathBuf> = if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        let number: Option<u32> = id.parse().ok();
        files
            .iter()
            .filter(|f| number.is_some() && spec_number(f) == number)
            .collect()
    } else if id.contains(['/', '\\'])
        || Path::new(id)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
    {
        let wanted = Path::new(id).canonicalize().ok();
        files
            .iter()
            .filter(|f| {
                f.file_name().and_then(|n| n.to_str()) == Some(id)
                    || (wanted.is_some() && f.canonicalize().ok() == wanted)
            })
            .collect()
    } else {
        files.iter().filter(|f| spec_slug(f) == Some(id)).collect()
    };
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(WorkspaceError::Other(format!(
            "no spec `{id}`: give a number (7 or 0007), a slug or a path (`specbook list` shows the specs)"
        ))),
        many => Err(WorkspaceError::Other(format!(
            "`{id}` names {} specs: {}; give the path, or renumber one (`specbook renumber PATH`)",
            many.len(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<PathBuf> {
        [
            "specs/0007-rate-limiter.md",
            "specs/0012-search.md",
            "specs/notes.md",
        ]
        .iter()
        .map(PathBuf::from)
        .collect()
    }

    #[test]
    fn ids_by_number_slug_and_name() {
        let files = files();
        for id in ["7", "0007", "rate-limiter", "0007-rate-limiter.md"] {
            assert_eq!(resolve(&files, id).unwrap(), &files[0], "{id}");
        }
        assert_eq!(resolve(&files, "notes").unwrap(), &files[2]);
        let error = resolve(&files, "8").unwrap_err().to_string();
        assert!(error.contains("no spec `8`"), "{error}");
    }

    #[test]
    fn a_shared_number_is_ambiguous() {
        let mut files = files();
        files.push(PathBuf::from("specs/0007-other.md"));
        let error = resolve(&files, "7").unwrap_err().to_string();
        assert!(error.contains("names 2 specs"), "{error}");
        assert_eq!(resolve(&files, "other").unwrap(), &files[3]);
    }

    #[test]
    fn numbers_and_slugs() {
        assert_eq!(spec_number(Path::new("0007-x.md")), Some(7));
        assert_eq!(spec_number(Path::new("0007.md")), None);
        assert_eq!(spec_slug(Path::new("a/0007-x-y.md")), Some("x-y"));
        assert_eq!(format_id(7), "0007");
        assert_eq!(lexical(Path::new("a/./b/../c")), Path::new("a/c"));
    }
}

/// What the catalog shows of a spec, read from its front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SpecMeta {
    pub title: Option<String>,
    /// The status as written.
    pub status: Option<String>,
    pub team: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<String>,
    pub last_updated: Option<String>,
    /// Spec numbers in `Supersedes`.
    pub supersedes: Vec<u32>,
    /// Spec numbers in `Superseded By`.
    pub superseded_by: Vec<u32>,
    /// Spec numbers in `Related`.
    pub related: Vec<u32>,
}

impl SpecMeta {
    /// The metadata of a document matched to its template.
    #[must_use]
    pub fn of(cx: &Context<'_, '_>) -> Self {
        let schema = cx.schema;
        let value = |spec: Option<&FieldSpec>| {
            spec.and_then(|spec| cx.field_of(spec))
                .map(|f| f.value.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let title = cx.title.map(|h| {
            let raw = cx.doc.heading_title(h).trim();
            schema
                .title
                .as_ref()
                .and_then(|pattern| pattern.extract(raw))
                .unwrap_or(raw)
                .to_owned()
        });
        let authors = value(schema.field_starting("author"))
            .map(|v| {
                v.split(',')
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let ids = |kind: RelationKind| {
            cx.relations
                .iter()
                .filter(|r| r.kind == kind)
                .filter_map(|r| r.id)
                .collect()
        };
        Self {
            title,
            status: value(schema.status_field()),
            team: value(schema.field_starting("team")),
            authors,
            created: value(schema.created_field()),
            last_updated: value(schema.updated_field()),
            supersedes: ids(RelationKind::Supersedes),
            superseded_by: ids(RelationKind::SupersededBy),
            related: ids(RelationKind::Related),
        }
    }
}

/// What checking one file tells the workspace rules and the catalog.
#[derive(Clone, Debug, Default)]
pub struct SpecFacts {
    pub meta: SpecMeta,
    /// Findings of workspace rules that stand only if other files say so; each message is the
    /// target (a link destination, a relation entry).
    pub candidates: Vec<Located>,
}
