//! Navigation between specs: go to definition (links, anchors, reference definitions, spec
//! ids), find references (to a spec, to a heading), rename a heading with every link to it,
//! and every spec of the workspace as a symbol.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_server::ErrorCode;
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, OneOf, PrepareRenameResponse,
    ReferenceParams, RenameOptions, RenameParams, ServerCapabilities, SymbolInformation,
    SymbolKind, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};
use specbook_markdown::{Document, IdRef, SpecId};
use specbook_workspace::{anchor_key, lexical, link_target};

use super::convert::{self, Lines};
use super::project::{Loaded, Project};
use super::{Failure, Server};

/// At most this many workspace symbols: a client filters further as the user types.
const MAX_SYMBOLS: usize = 200;

pub(super) fn capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.definition_provider = Some(OneOf::Left(true));
    capabilities.references_provider = Some(OneOf::Left(true));
    capabilities.rename_provider = Some(OneOf::Right(RenameOptions {
        prepare_provider: Some(true),
        work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
    }));
    capabilities.workspace_symbol_provider = Some(OneOf::Left(true));
}

/// The open documents by path, with the URIs the client knows them by.
type Open<'s> = HashMap<PathBuf, (&'s Uri, &'s str)>;

fn open_documents<'s>(server: &'s Server<'_>) -> Open<'s> {
    server
        .documents
        .iter()
        .filter_map(|(uri, document)| {
            let path = lexical(&convert::path_of(uri)?);
            Some((path, (uri, document.text.as_str())))
        })
        .collect()
}

/// An open spec, its project and the text of every other file as the editor has it.
struct Workspace<'s> {
    uri: &'s Uri,
    path: PathBuf,
    text: &'s str,
    project: &'s Project,
    open: Open<'s>,
}

/// The open spec at `uri` and its workspace, when it is a spec of a project.
fn workspace<'s>(server: &'s mut Server<'_>, uri: &'s Uri) -> Option<Workspace<'s>> {
    // Loads the project when needed, and says whether the document is one of its specs.
    server.spec(uri)?;
    let server: &'s Server<'_> = server;
    let path = convert::path_of(uri)?;
    let key = server.project_file(&path)?;
    let Some(Loaded {
        project: Ok(project),
        ..
    }) = server.projects.get(&key)
    else {
        return None;
    };
    Some(Workspace {
        uri,
        path: lexical(&path),
        text: &server.documents.get(uri)?.text,
        project,
        open: open_documents(server),
    })
}

/// One file of the workspace, parsed.
struct File<'t> {
    path: &'t Path,
    doc: Document<'t>,
    lines: Lines<'t>,
}

/// A relative link in a file: where its destination is, what it names.
struct Link {
    destination: Range<usize>,
    target: PathBuf,
    /// Percent-decoded.
    fragment: Option<String>,
    /// Where the fragment is written (after the `#`).
    fragment_span: Option<Range<usize>>,
}

impl Workspace<'_> {
    /// A file's text as the editor has it, else as saved; `None` when it cannot be read (it
    /// was deleted, say).
    fn text_of(&self, path: &Path) -> Option<Cow<'_, str>> {
        match self.open.get(path) {
            Some((_, text)) => Some(Cow::Borrowed(text)),
            None => std::fs::read_to_string(path).ok().map(Cow::Owned),
        }
    }

    fn uri_for(&self, path: &Path) -> Option<Uri> {
        match self.open.get(path) {
            Some((uri, _)) => Some((*uri).clone()),
            None => convert::uri_of(path),
        }
    }

    /// This spec first, then every other spec of the project.
    fn files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.path.clone()];
        for entry in &self.project.catalog().entries {
            let path = lexical(&entry.path);
            if !files.contains(&path) {
                files.push(path);
            }
        }
        files
    }

    /// Runs `visit` on every spec of the project, parsed from its current text.
    fn each_file(&self, mut visit: impl FnMut(&File<'_>)) {
        for path in self.files() {
            let Some(text) = self.text_of(&path) else {
                continue;
            };
            let view = specbook_markdown::lf_view(&text);
            visit(&File {
                path: &path,
                doc: Document::parse(&view),
                lines: Lines::new(&text),
            });
        }
    }

    /// The relative links of a file in the workspace.
    fn links(&self, file: &File<'_>) -> Vec<Link> {
        file.doc
            .links
            .iter()
            .filter_map(|span| {
                let destination = file.doc.slice(span);
                let (target, fragment) = self.resolve(file.path, destination)?;
                let fragment_span = destination
                    .find('#')
                    .map(|hash| span.start + hash + 1..span.end);
                Some(Link {
                    destination: span.clone(),
                    target,
                    fragment,
                    fragment_span,
                })
            })
            .collect()
    }

    /// The file and `#fragment` a link destination in the file at `from` names, as
    /// `broken-link` reads it: `#x` is the file itself, `/x` starts at the project's root.
    fn resolve(&self, from: &Path, destination: &str) -> Option<(PathBuf, Option<String>)> {
        if !specbook_linter::is_relative(destination) {
            return None;
        }
        let (target, fragment) =
            link_target(from.parent()?, Some(&self.project.config.root), destination)?;
        let target = if destination.starts_with('#') {
            from.to_path_buf()
        } else {
            lexical(&target)
        };
        Some((target, fragment))
    }

    /// The heading `#fragment` names in the file at `target`; the file's start without a
    /// fragment or when no heading has it. `None` when the file does not exist.
    fn anchor_location(&self, target: &Path, fragment: Option<&str>) -> Option<Location> {
        if !self.open.contains_key(target) && !target.exists() {
            return None;
        }
        let uri = self.uri_for(target)?;
        let start = Location::new(uri.clone(), lsp_types::Range::default());
        let (Some(fragment), Some(text)) = (fragment, self.text_of(target)) else {
            return Some(start);
        };
        let view = specbook_markdown::lf_view(&text);
        let doc = Document::parse(&view);
        let key = anchor_key(fragment);
        let Some(index) = doc
            .heading_anchors()
            .iter()
            .position(|a| anchor_key(a) == key)
        else {
            return Some(start);
        };
        let range = Lines::new(&text).range(doc.headings[index].span.clone());
        Some(Location::new(uri, range))
    }

    /// Where a spec starts: its title heading, else its first line.
    fn spec_location(&self, path: &Path) -> Option<Location> {
        // A spec deleted since the catalog was read leads nowhere.
        let text = self.text_of(path)?;
        Some(title_location(self.uri_for(path)?, Some(&text)))
    }

    /// The relation entries of a document, read where its template puts its fields.
    fn relations(&self, path: &Path, doc: &Document<'_>) -> Vec<IdRef> {
        let (schema, _) = self.project.checker.template_for(Some(path), doc);
        specbook_markdown::relations(doc.text, &schema.fields_in(doc))
    }

    /// The spec id a relation entry of the spec at `path` names, in the project's scheme.
    fn relation_id(&self, path: &Path, entry: &IdRef) -> Option<SpecId> {
        let ids = &self.project.checker.ids;
        entry.id.map(|id| ids.settle(id, ids.id(path)))
    }
}

/// The title heading of a spec's text, else its first line.
fn title_location(uri: Uri, text: Option<&str>) -> Location {
    let range = text
        .and_then(|text| {
            let view = specbook_markdown::lf_view(text);
            let doc = Document::parse(&view);
            let title = doc.title_heading()?;
            Some(Lines::new(text).range(doc.headings[title].span.clone()))
        })
        .unwrap_or_default();
    Location::new(uri, range)
}

/// The heading whose line holds `offset`.
fn heading_at(doc: &Document<'_>, offset: usize) -> Option<usize> {
    doc.headings
        .iter()
        .position(|h| h.span.start <= offset && offset <= h.span.end)
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// `textDocument/definition`: the heading or file a link names, the definition of a
/// reference's label, the spec a spec id names.
pub(super) fn definition(
    server: &mut Server<'_>,
    params: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let at = &params.text_document_position_params;
    let workspace = workspace(server, &at.text_document.uri)?;
    let lines = Lines::new(workspace.text);
    let offset = lines.offset(at.position);
    let view = specbook_markdown::lf_view(workspace.text);
    let doc = Document::parse(&view);
    // In a link's destination, only the link leads anywhere (`0002-x.md` is no spec id there).
    let location = match doc.links.iter().find(|l| contains(l, offset)) {
        Some(link) => link_definition(&workspace, &doc, link),
        None => reference_definition(&workspace, &doc, &lines, offset)
            .or_else(|| id_definition(&workspace, &doc, offset)),
    }?;
    Some(GotoDefinitionResponse::Scalar(location))
}

fn link_definition(
    workspace: &Workspace<'_>,
    doc: &Document<'_>,
    link: &Range<usize>,
) -> Option<Location> {
    let (target, fragment) = workspace.resolve(&workspace.path, doc.slice(link))?;
    workspace.anchor_location(&target, fragment.as_deref())
}

fn reference_definition(
    workspace: &Workspace<'_>,
    doc: &Document<'_>,
    lines: &Lines<'_>,
    offset: usize,
) -> Option<Location> {
    let label = normalize_label(reference_label(doc.text, offset)?);
    let definition = doc.link_definitions.iter().find(|span| {
        let written = doc.slice(span);
        let written = written.strip_prefix('[').unwrap_or(written);
        let written = written.strip_suffix(']').unwrap_or(written);
        normalize_label(written) == label
    })?;
    let rest = &doc.text[definition.start..];
    let line = rest.find('\n').map_or(rest, |end| &rest[..end]);
    let end = definition.start + line.trim_end_matches('\r').len();
    Some(Location::new(
        workspace.uri.clone(),
        lines.range(definition.start..end),
    ))
}

/// A link label as CommonMark matches it: case and runs of spaces do not matter.
fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The label of the reference (`[text][label]`, `[text][]`, `[label]`) at `offset`.
fn reference_label(text: &str, offset: usize) -> Option<&str> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let at = offset - line_start;
    let open = if line[at..].starts_with('[') {
        at
    } else {
        line[..at].rfind('[')?
    };
    let close = open + line[open..].find(']')?;
    if close < at {
        return None;
    }
    let inner = &line[open + 1..close];
    let before = &line[..open];
    let after = &line[close + 1..];
    if before.ends_with(']') {
        // On the label part of `[text][label]`; `[text][]` is labelled by its text.
        if !inner.is_empty() {
            return Some(inner);
        }
        let text_open = before.rfind('[')?;
        return Some(&before[text_open + 1..before.len() - 1]);
    }
    if let Some(rest) = after.strip_prefix('[') {
        let label = &rest[..rest.find(']')?];
        return Some(if label.is_empty() { inner } else { label });
    }
    // An inline link, or the definition itself.
    if after.starts_with('(') || after.starts_with(':') {
        return None;
    }
    Some(inner)
}

fn id_definition(workspace: &Workspace<'_>, doc: &Document<'_>, offset: usize) -> Option<Location> {
    let ids = &workspace.project.checker.ids;
    let id = match workspace
        .relations(&workspace.path, doc)
        .iter()
        .find(|entry| contains(&entry.span, offset))
    {
        Some(entry) => workspace.relation_id(&workspace.path, entry)?,
        None => ids.read(id_in_text(doc.text, offset)?, ids.id(&workspace.path))?,
    };
    let entry = workspace.project.catalog().by_id(id)?;
    workspace.spec_location(&lexical(&entry.path))
}

/// The word at `offset` when it is written as a spec id is in text: `0003`, `#3`, `A14`,
/// `SE-0300`. A bare short number (`1 min`) is not one.
fn id_in_text(text: &str, offset: usize) -> Option<&str> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'#';
    let bytes = text.as_bytes();
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| !word(b))
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| !word(b))
        .map_or(bytes.len(), |i| offset + i);
    let found = text[start..end].trim_matches('-');
    let bare = found.trim_start_matches('#');
    let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
    let lettered = bare.starts_with(|c: char| c.is_ascii_alphabetic())
        && bare.bytes().any(|b| b.is_ascii_digit());
    (found.starts_with('#') || digits >= 4 || lettered).then_some(found)
}

/// `textDocument/references`: on a heading (not the title), every link to its anchor; else
/// every spec that links to this one or names it in a relation.
pub(super) fn references(
    server: &mut Server<'_>,
    params: &ReferenceParams,
) -> Option<Vec<Location>> {
    let at = &params.text_document_position;
    let workspace = workspace(server, &at.text_document.uri)?;
    let lines = Lines::new(workspace.text);
    let offset = lines.offset(at.position);
    let view = specbook_markdown::lf_view(workspace.text);
    let doc = Document::parse(&view);
    let include_declaration = params.context.include_declaration;
    let mut found = Vec::new();
    let heading = heading_at(&doc, offset).filter(|&i| Some(i) != doc.title_heading());
    if let Some(heading) = heading {
        if include_declaration {
            let range = lines.range(doc.headings[heading].span.clone());
            found.push(Location::new(workspace.uri.clone(), range));
        }
        let anchor = anchor_key(&doc.heading_anchors()[heading]);
        workspace.each_file(|file| {
            for link in workspace.links(file) {
                if link.target == workspace.path
                    && link.fragment.as_deref().map(anchor_key) == Some(anchor.clone())
                {
                    push(&workspace, &mut found, file, link.destination);
                }
            }
        });
    } else {
        if include_declaration {
            found.push(title_location(workspace.uri.clone(), Some(workspace.text)));
        }
        let own = workspace.project.checker.ids.id(&workspace.path);
        workspace.each_file(|file| {
            for link in workspace.links(file) {
                let into_itself = file.doc.slice(&link.destination).starts_with('#');
                if link.target == workspace.path && !into_itself {
                    push(&workspace, &mut found, file, link.destination);
                }
            }
            if own.is_none() {
                return;
            }
            for entry in workspace.relations(file.path, &file.doc) {
                if workspace.relation_id(file.path, &entry) == own {
                    push(&workspace, &mut found, file, entry.span);
                }
            }
        });
    }
    Some(found)
}

fn push(workspace: &Workspace<'_>, found: &mut Vec<Location>, file: &File<'_>, span: Range<usize>) {
    if let Some(uri) = workspace.uri_for(file.path) {
        found.push(Location::new(uri, file.lines.range(span)));
    }
}

fn not_a_heading() -> Failure {
    Failure::new(
        ErrorCode::RequestFailed,
        "specbook renames headings only: put the cursor on a heading, and every link to its anchor follows",
    )
}

/// `textDocument/prepareRename`: the title of the heading at the cursor; anything else is
/// refused.
pub(super) fn prepare_rename(
    server: &mut Server<'_>,
    params: &TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, Failure> {
    let spec = server.spec(&params.text_document.uri).ok_or_else(|| {
        Failure::new(ErrorCode::RequestFailed, "not a spec of a specbook project")
    })?;
    let view = specbook_markdown::lf_view(spec.text);
    let doc = Document::parse(&view);
    let offset = spec.lines.offset(params.position);
    let heading = heading_at(&doc, offset).ok_or_else(not_a_heading)?;
    let title = &doc.headings[heading].title;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: spec.lines.range(title.clone()),
        placeholder: doc.slice(title).to_owned(),
    }))
}

/// `textDocument/rename` on a heading: its new title, and every link across the workspace
/// to an anchor the new title changes (its own, and those numbered after it).
#[allow(
    clippy::mutable_key_type,
    reason = "lsp-types' WorkspaceEdit keys its changes by Uri"
)]
pub(super) fn rename(
    server: &mut Server<'_>,
    params: &RenameParams,
) -> Result<Option<WorkspaceEdit>, Failure> {
    let at = &params.text_document_position;
    let workspace = workspace(server, &at.text_document.uri).ok_or_else(|| {
        Failure::new(ErrorCode::RequestFailed, "not a spec of a specbook project")
    })?;
    let lines = Lines::new(workspace.text);
    let offset = lines.offset(at.position);
    let view = specbook_markdown::lf_view(workspace.text);
    let doc = Document::parse(&view);
    let heading = heading_at(&doc, offset).ok_or_else(not_a_heading)?;
    let new_title = params.new_name.trim();
    if new_title.is_empty() || new_title.contains(['\n', '\r']) {
        return Err(Failure::new(
            ErrorCode::InvalidParams,
            "a heading's new title is one line of text",
        ));
    }
    let title = doc.headings[heading].title.clone();
    let renamed = format!("{}{new_title}{}", &view[..title.start], &view[title.end..]);
    let moved = moved_anchors(&doc, &Document::parse(&renamed)).ok_or_else(|| {
        Failure::new(
            ErrorCode::RequestFailed,
            format!("`{new_title}` would change the document's headings, not rename one"),
        )
    })?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    changes
        .entry(workspace.uri.clone())
        .or_default()
        .push(TextEdit::new(
            lines.range(title.clone()),
            new_title.to_owned(),
        ));
    workspace.each_file(|file| {
        for link in workspace.links(file) {
            let (Some(fragment), Some(span)) = (&link.fragment, link.fragment_span) else {
                continue;
            };
            let Some(new_anchor) = moved.get(&anchor_key(fragment)) else {
                continue;
            };
            // A link inside the renamed title goes with the old title.
            let in_title =
                file.path == workspace.path && span.start < title.end && title.start < span.end;
            if link.target != workspace.path || in_title {
                continue;
            }
            if let Some(uri) = workspace.uri_for(file.path) {
                changes
                    .entry(uri)
                    .or_default()
                    .push(TextEdit::new(file.lines.range(span), new_anchor.clone()));
            }
        }
    });
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

/// Old anchor (as matched) -> new anchor, for each heading whose anchor the rename changes;
/// `None` when the new text has other headings.
fn moved_anchors(old: &Document<'_>, new: &Document<'_>) -> Option<HashMap<String, String>> {
    if old.headings.len() != new.headings.len()
        || old
            .headings
            .iter()
            .zip(&new.headings)
            .any(|(a, b)| a.level != b.level)
    {
        return None;
    }
    Some(
        old.heading_anchors()
            .into_iter()
            .zip(new.heading_anchors())
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (anchor_key(&a), b))
            .collect(),
    )
}

/// `workspace/symbol`: every spec of the loaded projects whose id and title match the query
/// (a substring first, then the query's characters in order), at most [`MAX_SYMBOLS`].
#[allow(
    clippy::unnecessary_wraps,
    reason = "a handler returns the request's result type, which is optional"
)]
pub(super) fn workspace_symbols(
    server: &mut Server<'_>,
    params: &WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let server: &Server<'_> = server;
    let open = open_documents(server);
    let query = params.query.to_lowercase();
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut keys: Vec<&PathBuf> = server.projects.keys().collect();
    keys.sort();
    for key in keys {
        let Ok(project) = &server.projects[key].project else {
            continue;
        };
        for entry in &project.catalog().entries {
            let name = format!("{} {}", entry.id(), entry.title_or_id());
            if let Some(score) = matches(&query, &name.to_lowercase())
                && seen.insert(lexical(&entry.path))
            {
                found.push((score, name, entry));
            }
        }
    }
    // Stable: catalog order within a score.
    found.sort_by_key(|(score, ..)| *score);
    found.truncate(MAX_SYMBOLS);
    let symbols = found
        .into_iter()
        .filter_map(|(_, name, entry)| {
            let path = lexical(&entry.path);
            let (uri, text) = match open.get(&path) {
                Some((uri, text)) => ((*uri).clone(), Some(Cow::Borrowed(*text))),
                None => (
                    convert::uri_of(&path)?,
                    std::fs::read_to_string(&path).ok().map(Cow::Owned),
                ),
            };
            #[allow(deprecated, reason = "`deprecated` is a required field of the type")]
            Some(SymbolInformation {
                name,
                kind: SymbolKind::FILE,
                tags: None,
                deprecated: None,
                location: title_location(uri, text.as_deref()),
                container_name: entry.meta.status.clone(),
            })
        })
        .collect();
    Some(WorkspaceSymbolResponse::Flat(symbols))
}

/// How well `name` matches `query` (both lower case): 0 for a substring, 1 for the query's
/// characters in order; `None` for no match.
fn matches(query: &str, name: &str) -> Option<u8> {
    if name.contains(query) {
        return Some(0);
    }
    let mut rest = name.chars();
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| rest.any(|n| n == c))
        .then_some(1)
}
