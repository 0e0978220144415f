//! Spec identity: the number in a file name, and finding a spec by number, slug or path.

use std::path::{Path, PathBuf};

use specbook_diagnostics::Located;
use specbook_linter::Context;
use specbook_markdown::{FieldSpec, RelationKind, SpecId};

use crate::WorkspaceError;

/// File names that stand for their folder in a folder-per-spec layout (`0007-x/README.md`).
const FOLDER_SPEC_NAMES: &[&str] = &["readme", "index"];

/// Whether a file is named for its folder (`README.md`, `index.md`): in a folder-per-spec
/// layout the folder's name carries the spec's id and slug.
#[must_use]
pub fn is_folder_spec(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| FOLDER_SPEC_NAMES.iter().any(|n| s.eq_ignore_ascii_case(n)))
}

/// The path component that names a spec: its file's stem, or for a `README.md` the nearest
/// of its two enclosing folders that carries an id (else its own folder). Hidden folders
/// (temporary and tool folders) are never a spec's name.
pub(crate) fn naming_component(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    if !is_folder_spec(path) {
        return Some(stem);
    }
    let mut own = None;
    for folder in path.parent()?.ancestors().take(2) {
        let name = folder.file_name()?.to_str()?;
        if name.starts_with('.') {
            break;
        }
        own.get_or_insert(name);
        if SpecId::from_name(name).is_some() {
            return Some(name);
        }
    }
    own.or(Some(stem))
}

/// A spec's id: the number in the nearest path component that has one (`0007-x.md`,
/// `0007-x/README.md`, `rfd/0042/README.md`, `ics-002-client/README.md`, `eip-1559.md`,
/// `A14-channelz.md`), without any display prefix.
#[must_use]
pub fn spec_id(path: &Path) -> Option<SpecId> {
    naming_component(path).and_then(SpecId::from_name)
}

/// What `id-mismatch` needs of a spec's path: its number, the component it is in, and the
/// word before it (`eip` of `eip-1559.md`).
#[must_use]
pub fn path_id(path: &Path) -> Option<specbook_linter::PathId> {
    let component = naming_component(path)?;
    let id = SpecId::from_name(component)?;
    let words: Vec<&str> = component
        .split(['-', '_', '.', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let at = words.iter().position(|w| {
        let letters = w.bytes().take_while(u8::is_ascii_alphabetic).count();
        letters < w.len() && w[letters..].bytes().all(|b| b.is_ascii_digit())
    })?;
    let word = at
        .checked_sub(1)
        .map(|i| words[i])
        .filter(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_owned);
    let shown = if is_folder_spec(path) {
        format!("{component}/")
    } else {
        path.file_name()?.to_string_lossy().into_owned()
    };
    Some(specbook_linter::PathId {
        number: id.number,
        component: shown,
        word,
    })
}

/// The number a spec's path gives it (see [`spec_id`]), whatever its series.
#[must_use]
pub fn spec_number(path: &Path) -> Option<u32> {
    spec_id(path).map(|id| id.number)
}

/// The display prefix of the specs some path patterns select.
pub type PathPrefix = (Vec<crate::discover::PathPattern>, String);

/// How paths give ids: [`spec_id`], in the series of the configured display prefix.
#[derive(Clone, Debug, Default)]
pub struct IdScheme {
    /// `id_prefix` in specbook.toml: shown before ids that have no series of their own.
    pub prefix: Option<String>,
    /// A `[[templates]]` entry's `id_prefix`, for the paths it selects.
    pub by_path: Vec<PathPrefix>,
}

impl IdScheme {
    /// The id of the spec at `path`.
    #[must_use]
    pub fn id(&self, path: &Path) -> Option<SpecId> {
        let id = spec_id(path)?;
        let prefix = self
            .by_path
            .iter()
            .find(|(patterns, _)| patterns.iter().any(|p| p.matches(path)))
            .map(|(_, prefix)| prefix)
            .or(self.prefix.as_ref());
        Some(match prefix {
            Some(prefix) => id.in_series(prefix),
            None => id,
        })
    }

    /// The id a relation entry names, read in this scheme (see [`IdScheme::settle`]).
    #[must_use]
    pub fn read(&self, entry: &str, context: Option<SpecId>) -> Option<SpecId> {
        SpecId::parse(entry).map(|id| self.settle(id, context))
    }

    /// An id as a spec wrote it, in this scheme: a bare number is in the series of `context`
    /// (the spec that names it), else of the display prefix.
    #[must_use]
    pub fn settle(&self, id: SpecId, context: Option<SpecId>) -> SpecId {
        if !id.series().is_empty() {
            return id;
        }
        match (context, &self.prefix) {
            (Some(context), _) if !context.series().is_empty() => id.in_series_of(context),
            (_, Some(prefix)) => id.in_series(prefix),
            _ => id,
        }
    }
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

/// The slug of a spec's name: `0007-rate-limiter.md` -> `rate-limiter`,
/// `ics-002-client-semantics/README.md` -> `client-semantics`; a name without an id, or with
/// nothing after it, is its own slug.
#[must_use]
pub fn spec_slug(path: &Path) -> Option<&str> {
    let name = naming_component(path)?;
    if SpecId::from_name(name).is_none() {
        return Some(name);
    }
    // The words after the one carrying the id.
    let mut words = name.split_inclusive(['-', '_', '.', ' ']);
    let mut consumed = 0;
    for word in words.by_ref() {
        consumed += word.len();
        let bare = word.trim_end_matches(['-', '_', '.', ' ']);
        let letters = bare.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters < bare.len() && bare[letters..].bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
    }
    let rest = &name[consumed.min(name.len())..];
    Some(if rest.is_empty() { name } else { rest })
}

/// A spec's name turned into words, for a spec with no title: `0007-rate-limiter.md` ->
/// `Rate limiter`, `ics-002-client-semantics/README.md` -> `Client semantics`.
#[must_use]
pub fn title_from_path(path: &Path) -> Option<String> {
    let slug = spec_slug(path)?;
    let mut words: Vec<&str> = slug
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    if words.iter().all(|w| w.bytes().all(|b| b.is_ascii_digit())) {
        // `rfd/0042/README.md`: the folder of the numbered folders names the series.
        let series = Path::new(naming_component(path)?);
        let parent = path
            .ancestors()
            .map(Path::file_name)
            .skip_while(|name| name != &Some(series.as_os_str()))
            .nth(1)
            .flatten()
            .and_then(|n| n.to_str())
            .filter(|n| !n.starts_with('.'))?;
        words.insert(0, parent);
    }
    let mut title = words.join(" ");
    if let Some(first) = title.chars().next() {
        let upper: String = first.to_uppercase().collect();
        title.replace_range(..first.len_utf8(), &upper);
    }
    Some(title)
}

/// The spec among `files` that `id` names: a number (`7`, `0007`, in any series), an id
/// (`A14`, `SE-0300`), a slug (`rate-limiter`), a file name or a path.
pub fn resolve<'f>(
    files: &'f [PathBuf],
    ids: &IdScheme,
    id: &str,
) -> Result<&'f PathBuf, WorkspaceError> {
    let id = id.trim();
    let as_id = SpecId::parse(id).filter(|_| {
        id.trim_start_matches('#')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let matches: Vec<&PathBuf> = if let Some(wanted) = as_id.filter(|_| {
        id.trim_start_matches('#')
            .bytes()
            .all(|b| b.is_ascii_digit())
    }) {
        files
            .iter()
            .filter(|f| spec_id(f).is_some_and(|n| n.number == wanted.number))
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
        let by_id: Vec<&PathBuf> = match as_id {
            Some(wanted) => files
                .iter()
                .filter(|f| ids.id(f) == Some(wanted) || spec_id(f) == Some(wanted))
                .collect(),
            None => Vec::new(),
        };
        if by_id.is_empty() {
            files.iter().filter(|f| spec_slug(f) == Some(id)).collect()
        } else {
            by_id
        }
    };
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(WorkspaceError::Other(format!(
            "no spec `{id}`: give a number (7 or 0007), an id, a slug or a path (`specbook list` shows the specs)"
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
        let ids = IdScheme::default();
        for id in ["7", "0007", "rate-limiter", "0007-rate-limiter.md"] {
            assert_eq!(resolve(&files, &ids, id).unwrap(), &files[0], "{id}");
        }
        assert_eq!(resolve(&files, &ids, "notes").unwrap(), &files[2]);
        let error = resolve(&files, &ids, "8").unwrap_err().to_string();
        assert!(error.contains("no spec `8`"), "{error}");
    }

    #[test]
    fn a_shared_number_is_ambiguous() {
        let mut files = files();
        files.push(PathBuf::from("specs/0007-other.md"));
        let ids = IdScheme::default();
        let error = resolve(&files, &ids, "7").unwrap_err().to_string();
        assert!(error.contains("names 2 specs"), "{error}");
        assert_eq!(resolve(&files, &ids, "other").unwrap(), &files[3]);
    }

    #[test]
    fn numbers_and_slugs() {
        assert_eq!(spec_number(Path::new("0007-x.md")), Some(7));
        assert_eq!(spec_number(Path::new("0007.md")), Some(7));
        assert_eq!(spec_number(Path::new("notes.md")), None);
        assert_eq!(spec_slug(Path::new("a/0007-x-y.md")), Some("x-y"));
        assert_eq!(format_id(7), "0007");
        assert_eq!(lexical(Path::new("a/./b/../c")), Path::new("a/c"));
    }

    #[test]
    fn layouts_give_ids_slugs_and_titles() {
        for (path, id, slug, title) in [
            (
                "specs/0007-rate-limiter.md",
                "0007",
                "rate-limiter",
                Some("Rate limiter"),
            ),
            ("text/0007-x/README.md", "0007", "x", Some("X")),
            ("rfd/0042/README.md", "0042", "0042", Some("Rfd 0042")),
            (
                "spec/core/ics-002-client-semantics/README.md",
                "002",
                "client-semantics",
                Some("Client semantics"),
            ),
            (
                "spec/app/ics-020-transfer/deprecated/README.md",
                "020",
                "transfer",
                Some("Transfer"),
            ),
            ("EIPS/eip-1559.md", "1559", "eip-1559", Some("Eip 1559")),
            ("A14-channelz.md", "A14", "channelz", Some("Channelz")),
            ("text/1504-int128.md", "1504", "int128", Some("Int128")),
            (
                "keps/sig-node/2625-cpu/README.md",
                "2625",
                "cpu",
                Some("Cpu"),
            ),
        ] {
            let path = Path::new(path);
            assert_eq!(spec_id(path).unwrap().to_string(), id, "{}", path.display());
            assert_eq!(spec_slug(path), Some(slug), "{}", path.display());
            assert_eq!(
                title_from_path(path).as_deref(),
                title,
                "{}",
                path.display()
            );
        }
        assert_eq!(spec_id(Path::new("specs/README.md")), None);
        assert_eq!(spec_id(Path::new("/tmp/.tmp1a2/README.md")), None);
        assert_eq!(spec_id(Path::new("docs/guide/README.md")), None);
        assert_eq!(spec_slug(Path::new("docs/guide/README.md")), Some("guide"));
    }

    #[test]
    fn letter_series_and_display_prefixes() {
        let files: Vec<PathBuf> = ["A14-channelz.md", "G1-binary.md", "L14-node.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let ids = IdScheme::default();
        assert_eq!(resolve(&files, &ids, "A14").unwrap(), &files[0]);
        assert_eq!(resolve(&files, &ids, "g1").unwrap(), &files[1]);
        let error = resolve(&files, &ids, "14").unwrap_err().to_string();
        assert!(error.contains("names 2 specs"), "{error}");
        let swift = IdScheme {
            prefix: Some("SE-".to_owned()),
            by_path: Vec::new(),
        };
        let files = vec![PathBuf::from("proposals/0300-continuation.md")];
        assert_eq!(swift.id(&files[0]).unwrap().to_string(), "SE-0300");
        for name in ["SE-0300", "se-300", "300", "0300", "continuation"] {
            assert_eq!(resolve(&files, &swift, name).unwrap(), &files[0], "{name}");
        }
        assert_eq!(
            swift.read("0300", None).unwrap(),
            swift.id(&files[0]).unwrap()
        );
        let a14 = spec_id(Path::new("A14-x.md"));
        assert_eq!(ids.read("15", a14).unwrap().to_string(), "A15");
    }
}

/// What the catalog shows of a spec, read from its front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpecMeta {
    pub title: Option<String>,
    /// The status: in the lifecycle's spelling when it is one, else as written (emphasis and
    /// qualifier left out).
    pub status: Option<String>,
    /// What the status value says besides the status (`Swift 5.5` of `Implemented (Swift 5.5)`).
    pub qualifier: Option<String>,
    /// The `[[templates]]` entry the spec was checked against (`None`: the default template).
    pub template: Option<String>,
    /// Whether the file is only a pointer to another (see `Context::is_stub`).
    #[serde(skip)]
    pub stub: bool,
    pub team: Option<String>,
    pub authors: Vec<String>,
    pub created: Option<String>,
    pub last_updated: Option<String>,
    /// Spec ids in `Supersedes`.
    pub supersedes: Vec<SpecId>,
    /// Spec ids in `Superseded By`.
    pub superseded_by: Vec<SpecId>,
    /// Spec ids in `Related`.
    pub related: Vec<SpecId>,
    /// The transitions recorded in the spec's status-history field (`Status History`, or the
    /// template's or `[lifecycle] history_field`), oldest first, as `specbook status` writes
    /// them: `2026-12-02: Draft -> Review by Ana Lima (forced: sign-off waived)`. An entry
    /// written in another form keeps only its `text`.
    pub recorded_transitions: Vec<specbook_markdown::RecordedTransition>,
}

impl SpecMeta {
    /// The metadata of a document matched to its template; `own` is its id, the series bare
    /// numbers in its relations are read in.
    #[must_use]
    pub fn of(
        cx: &Context<'_, '_>,
        ids: &IdScheme,
        own: Option<SpecId>,
        path: Option<&Path>,
    ) -> Self {
        let schema = cx.schema;
        // A value that is only template text left in (`[Team Name]`, `TBD`) is not set: the
        // catalog never shows it as a team, an author or a status (`placeholder` reports it).
        let value = |spec: Option<&FieldSpec>| {
            spec.and_then(|spec| cx.field_of(spec))
                .filter(|f| !only_placeholders(cx, f))
                .map(|f| f.value.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        // The title heading, else the title field, else the file or folder name as words.
        let heading = cx.title.map(|h| {
            let raw = cx.doc.heading_title(h).trim();
            schema
                .title
                .as_ref()
                .and_then(|pattern| pattern.extract(raw))
                .unwrap_or(raw)
                .to_owned()
        });
        let title = heading
            .filter(|t| !t.is_empty())
            .or_else(|| {
                value(schema.title_field())
                    .filter(|v| !(v.starts_with(['[', '(', '<']) && v.ends_with([']', ')', '>'])))
            })
            .or_else(|| path.and_then(title_from_path));
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
                .filter_map(|r| r.id.map(|id| ids.settle(id, own)))
                .collect()
        };
        let (status, qualifier) = match value(schema.status_field()) {
            Some(raw) => {
                let split = specbook_markdown::StatusValue::split(&raw);
                let written = raw[split.status.clone()].to_owned();
                (
                    Some(cx.status.map_or(written, str::to_owned)).filter(|s| !s.is_empty()),
                    split.qualifier.map(|q| raw[q].to_owned()),
                )
            }
            None => (None, None),
        };
        Self {
            title,
            status,
            qualifier,
            template: None,
            stub: cx.is_stub(),
            team: value(schema.field_starting("team")),
            authors,
            created: value(schema.created_field()),
            last_updated: value(schema.updated_field()),
            supersedes: ids(RelationKind::Supersedes),
            superseded_by: ids(RelationKind::SupersededBy),
            related: ids(RelationKind::Related),
            recorded_transitions: recorded_transitions(cx),
        }
    }
}

/// The entries of the spec's status-history field; a single value that reads as one (a YAML
/// scalar) is one entry.
fn recorded_transitions(cx: &Context<'_, '_>) -> Vec<specbook_markdown::RecordedTransition> {
    use specbook_markdown::RecordedTransition;
    let Some(field) = cx.schema.history_field().and_then(|spec| cx.field_of(spec)) else {
        return Vec::new();
    };
    if field.items.is_empty() {
        let single = RecordedTransition::parse(&field.value);
        return if single.to.is_some() {
            vec![single]
        } else {
            Vec::new()
        };
    }
    field
        .items
        .iter()
        .map(|item| RecordedTransition::parse(item))
        .collect()
}

/// Whether a field's value is nothing but placeholders found in the document (and
/// punctuation between them).
fn only_placeholders(cx: &Context<'_, '_>, field: &specbook_markdown::Field) -> bool {
    let span = field.value_span.clone();
    let Some(text) = cx.doc.text.get(span.clone()) else {
        return false;
    };
    let inside: Vec<_> = cx
        .doc
        .placeholders
        .iter()
        .filter(|p| span.start <= p.span.start && p.span.end <= span.end)
        .collect();
    if inside.is_empty() {
        return false;
    }
    let mut rest = String::with_capacity(text.len());
    let mut at = span.start;
    for placeholder in inside {
        rest.push_str(&cx.doc.text[at..placeholder.span.start]);
        at = placeholder.span.end;
    }
    rest.push_str(&cx.doc.text[at..span.end]);
    rest.chars().all(|c| !c.is_alphanumeric())
}

/// What checking one file tells the workspace rules and the catalog.
#[derive(Clone, Debug, Default)]
pub struct SpecFacts {
    pub meta: SpecMeta,
    /// Findings of workspace rules that stand only if other files say so; each message is the
    /// target (a link destination, a relation entry).
    pub candidates: Vec<Located>,
    /// The [`text_hash`] of the text checked (`None` for a file that is not text).
    pub text_hash: Option<u64>,
}

/// A hash of a spec's text, the same in every run of the same program: what tells the site
/// that a spec's page would come out as it did, without reading the file again.
#[must_use]
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = foldhash::quality::FixedState::with_seed(0x7e47_5bec).build_hasher();
    hasher.write(text.as_bytes());
    hasher.finish()
}
