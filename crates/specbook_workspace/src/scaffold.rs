//! `init` and `new`: a workspace and specs written from the template, never over a user's file.

use std::path::{Path, PathBuf};

use specbook_markdown::{Document, FieldKind, FieldSource, Schema};

use crate::write::{Change, Mode};
use crate::{CONFIG_FILE, Config, Source, WorkspaceError};

/// Where `init` puts the template, relative to the workspace.
pub const TEMPLATE_PATH: &str = "templates/tech-spec.md";

/// The `specbook.toml` that `init` writes.
pub const DEFAULT_CONFIG: &str = r#"# specbook configuration. Paths are relative to this file.

# The template specs are checked against. Edit it to change what every spec must have.
template = "templates/tech-spec.md"

# Where specs live: `specbook new` writes here, `specbook check` checks here by default.
specs = "specs"

# Sections a spec may leave out, by title (numbering and case ignored).
# optional_sections = ["User Interface"]

[lifecycle]
# The statuses in order (default: the template's `[Draft/Review/Approved]`).
# statuses = ["Draft", "Review", "Approved"]
# Statuses allowed besides, ending a spec's life; checked leniently, like the first status.
# terminal = ["Superseded", "Withdrawn"]
# Statuses in which placeholders and empty sections are errors (default: every status of
# the list above after the first).
# strict = ["Review", "Approved"]
# Moves `specbook status` allows (default: each status to the next). Any status may always
# move to a terminal one.
# transitions = ["Draft -> Review", "Review -> Draft", "Review -> Approved"]
# Days a spec in a status under way (Review) may go unchanged before `stale` reports it.
# stale_after_days = 30
# The field `specbook status` records each transition in (date, statuses, --by, --reason);
# default: a status-history field of the template, else "Status History".
# history_field = "Status History"

[site]
# title = "Specs"         # the name in every page's header (specbook build, serve)
# theme = "theme"         # templates and assets replacing the built-in ones
# mermaid = true          # show ```mermaid code blocks as diagrams
# edit_url = "https://github.com/org/repo/edit/main/{path}"  # "Edit this file" on each spec

[rules]
# Each rule's level: "error", "warning", "info" or "off" (`specbook rules` lists the rules).
# unknown-section = "warning"
# stale = "off"
"#;

/// The `.gitignore` `init` writes when there is none: the site `build` writes is output.
pub const DEFAULT_GITIGNORE: &str =
    "# The site `specbook build` writes (rebuilt from the specs).\n/site/\n";

/// Writes `specbook.toml`, the built-in template, `specs/` and, when there is none, a
/// `.gitignore` for the built site under `dir`. Refuses, writing nothing, when the
/// configuration or the template already exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, WorkspaceError> {
    let config = dir.join(CONFIG_FILE);
    let template = dir.join(TEMPLATE_PATH);
    for path in [&config, &template] {
        if path.exists() {
            return Err(WorkspaceError::Exists { path: path.clone() });
        }
    }
    let specs = dir.join("specs");
    create_dir(&specs)?;
    write_new(&config, DEFAULT_CONFIG)?;
    write_new(&template, specbook_markdown::BUILTIN_TEMPLATE)?;
    let mut created = vec![config, template, specs];
    // An existing .gitignore is the user's: left alone.
    let ignore = dir.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        write_new(&ignore, DEFAULT_GITIGNORE)?;
        created.push(ignore);
    }
    Ok(created)
}

/// What to put in a new spec.
pub struct NewSpec<'a> {
    pub title: &'a str,
    pub author: Option<&'a str>,
    pub team: Option<&'a str>,
    /// Today, `YYYY-MM-DD`.
    pub today: &'a str,
}

/// Refuses a value with a line break or another control character: written into a heading or
/// a field, a line break would start a line of its own (a second `Status`), and an escape
/// sequence would reach the terminal of whoever prints the file.
pub(crate) fn one_line(what: &str, value: &str) -> Result<(), WorkspaceError> {
    let Some(bad) = value.chars().find(|c| c.is_control()) else {
        return Ok(());
    };
    let kind = match bad {
        '\n' | '\r' => "a line break",
        '\t' => "a tab",
        _ => "a control character",
    };
    Err(WorkspaceError::Other(format!(
        "the {what} `{}` has {kind} ({}); give it as one line of text",
        value.escape_debug(),
        bad.escape_unicode()
    )))
}

/// Creates `NNNN-slug.md` with the next free number in the spec folder, filled from `template`
/// (text of the template in use). Returns its path.
pub fn new_spec(
    config: &Config,
    schema: &Schema,
    spec: &NewSpec<'_>,
) -> Result<PathBuf, WorkspaceError> {
    for (what, value) in [
        ("title", Some(spec.title)),
        ("author", spec.author),
        ("team", spec.team),
    ] {
        if let Some(value) = value {
            one_line(what, value)?;
        }
    }
    let slug = slugify(spec.title);
    if slug.is_empty() {
        return Err(WorkspaceError::Other(format!(
            "the title `{}` has no letters or digits to make a file name from",
            spec.title
        )));
    }
    let folder = config.new_spec_folder();
    create_dir(&folder)?;
    // One writer at a time picks a number; a file someone else created meanwhile under that
    // number is never replaced: the next number is taken.
    crate::write::hold_writer(&config.root)?;
    let text = fill(schema, spec);
    let mut number = next_number(&folder)?;
    loop {
        // One folder per spec when the specs are `FOLDER/*/README.md`.
        let path = match config.new_spec_source().and_then(Source::folder_file) {
            Some(file) => folder.join(format!("{number:04}-{slug}")).join(file),
            None => folder.join(format!("{number:04}-{slug}.md")),
        };
        if !config.specs.is_empty() && !config.specs.iter().any(|s| s.would_take(&path)) {
            let written: Vec<&str> = config.specs.iter().map(|s| s.written.as_str()).collect();
            return Err(WorkspaceError::Other(format!(
                "the new spec would be {}, which `specs` ({}) does not take; add its folder to `specs` in specbook.toml or create the spec by hand",
                path.display(),
                written.join(", ")
            )));
        }
        match write_new(&path, &text) {
            Err(WorkspaceError::Exists { .. }) if number < 9999 => {
                number = next_number(&folder)?.max(number + 1);
            }
            result => return result.map(|()| path),
        }
    }
}

/// The template's text with the title, author, team, dates and first status filled in: what
/// `new` writes (also the fuzz target's way in, without a file).
#[must_use]
pub fn fill(schema: &Schema, spec: &NewSpec<'_>) -> String {
    let source = schema.source.as_str();
    let view = specbook_markdown::lf_view(source);
    let doc = Document::parse(&view);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let title = schema.title_in(&doc);
    if let (Some(pattern), Some(h)) = (&schema.title, title) {
        // Brackets in a name (`Parser [v2]`) are text, not placeholders.
        let name = spec.title.replace('[', "\\[").replace(']', "\\]");
        edits.push((doc.headings[h].title.clone(), pattern.fill(&name)));
    }
    let front_matter = schema.front_matter_title.as_deref().and_then(|title| {
        doc.headings
            .iter()
            .position(|h| h.key == specbook_markdown::section_key(title))
    });
    let lifecycle = schema.status_field();
    for field in doc.fields_at(schema.field_place_in(title, front_matter)) {
        let Some(field_spec) = schema.field_for(&field.label) else {
            continue;
        };
        let value = match &field_spec.kind {
            FieldKind::Date => Some(spec.today.to_owned()),
            FieldKind::Enum(values) if lifecycle.is_some_and(|l| l == field_spec) => {
                values.first().cloned()
            }
            _ if field_spec.key.contains("author") => spec.author.map(str::to_owned),
            _ if field_spec.key.contains("team") => spec.team.map(str::to_owned),
            _ if field_spec.key == "title" => Some(spec.title.to_owned()),
            _ => None,
        };
        if let Some(value) = value {
            let value = if field.source == FieldSource::Yaml {
                yaml_scalar(&value)
            } else {
                value
            };
            edits.push((field.value_span.clone(), value));
        }
    }
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut text = source.to_owned();
    for (span, value) in edits {
        text.replace_range(span, &value);
    }
    text
}

/// A YAML scalar for `value`: plain when that reads back the same, else double-quoted.
pub(crate) fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with([':', ' ']);
    if plain {
        return value.to_owned();
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// The number after the highest number a file or folder in `folder` starts with.
pub(crate) fn next_number(folder: &Path) -> Result<u32, WorkspaceError> {
    let entries = std::fs::read_dir(folder).map_err(|source| WorkspaceError::Read {
        path: folder.to_path_buf(),
        error: source,
    })?;
    let mut highest = 0;
    for entry in entries {
        let entry = entry.map_err(|source| WorkspaceError::Read {
            path: folder.to_path_buf(),
            error: source,
        })?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // `0007-x.md`, `0007-x/`, `0042/`: a plain number, not another series' (`A14`).
        let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
        let rest = &name[digits.len()..];
        if !digits.is_empty()
            && (rest.is_empty() || rest.starts_with(['-', '.', '_']))
            && let Ok(number) = digits.parse::<u32>()
        {
            highest = highest.max(number);
        }
    }
    Ok(highest + 1)
}

/// `Webhook Delivery (v2)!` -> `webhook-delivery-v2`.
#[must_use]
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    // Keep file names readable; cut at a word boundary.
    if slug.chars().count() <= 60 {
        return slug.to_owned();
    }
    let cut: String = slug.chars().take(60).collect();
    match cut.rfind('-') {
        Some(i) if i > 20 => cut[..i].to_owned(),
        _ => cut,
    }
}

fn create_dir(path: &Path) -> Result<(), WorkspaceError> {
    std::fs::create_dir_all(path).map_err(|source| WorkspaceError::Write {
        path: path.to_path_buf(),
        error: source,
    })
}

/// Replaces a file's content (see [`crate::write`]): unless it no longer holds `expected`
/// (it changed on disk since it was read) or is being edited, when nothing is written and the
/// error says so. A symlink's target is written when it is inside the repository.
pub(crate) fn replace_file(
    path: &Path,
    expected: &[u8],
    content: &str,
) -> Result<(), WorkspaceError> {
    replace_files(&[(path, expected, content)])
}

/// Replaces several files, all or nothing, even if the process is killed half-way (see
/// [`crate::write`]).
pub(crate) fn replace_files(changes: &[(&Path, &[u8], &str)]) -> Result<(), WorkspaceError> {
    let changes: Vec<Change> = changes
        .iter()
        .map(|&(path, expected, content)| Change::Replace {
            path: path.to_path_buf(),
            expected: expected.to_vec(),
            content: content.to_owned(),
        })
        .collect();
    crate::write::commit(&changes, Mode::AllOrNothing).map(|_| ())
}

/// Writes `content` to `path`: a new file when `expected` is `None` (refusing to replace
/// one), else a replacement of a file that must still hold `expected`.
pub fn write_file(
    path: &Path,
    expected: Option<&[u8]>,
    content: &str,
) -> Result<(), WorkspaceError> {
    match expected {
        Some(expected) => replace_file(path, expected, content),
        None => write_new(path, content),
    }
}

/// Writes a new file, refusing to replace one, even one created in the meantime.
fn write_new(path: &Path, text: &str) -> Result<(), WorkspaceError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    let change = Change::Create {
        path: path.to_path_buf(),
        content: text.to_owned(),
    };
    crate::write::commit(&[change], Mode::AllOrNothing).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Webhook Delivery"), "webhook-delivery");
        assert_eq!(slugify("  Rate-limiter (v2)! "), "rate-limiter-v2");
        assert_eq!(slugify("Café Menü"), "café-menü");
        assert_eq!(slugify("!!!"), "");
        assert!(slugify(&"word ".repeat(40)).len() <= 60);
    }

    #[test]
    fn yaml_values_are_quoted_when_needed() {
        assert_eq!(yaml_scalar("Rate Limiter"), "Rate Limiter");
        assert_eq!(yaml_scalar("Proxy: v2"), "\"Proxy: v2\"");
        assert_eq!(yaml_scalar("[draft] \"x\""), "\"[draft] \\\"x\\\"\"");
    }

    #[test]
    fn a_yaml_template_gets_its_title_and_dates() {
        let schema = Schema::from_template("---\ntitle: <title>\nauthor: <names>\nstatus: Draft\ncreated: <date created>\n---\n\n## Abstract\n").unwrap();
        let spec = NewSpec {
            title: "Gas: Repricing",
            author: Some("Ada"),
            team: None,
            today: "2026-11-27",
        };
        assert_eq!(
            fill(&schema, &spec),
            "---\ntitle: \"Gas: Repricing\"\nauthor: Ada\nstatus: Draft\ncreated: 2026-11-27\n---\n\n## Abstract\n"
        );
    }

    #[test]
    fn brackets_in_a_title_are_escaped() {
        let spec = NewSpec {
            title: "Parser [v2]",
            author: None,
            team: None,
            today: "2026-11-27",
        };
        assert!(
            fill(&Schema::builtin(), &spec)
                .starts_with("# Parser \\[v2\\] Technical Specification\n")
        );
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "changed by someone else").unwrap();
        // A save a moment ago may still be under way.
        let error = replace_file(&path, b"changed by someone else", "fixed")
            .unwrap_err()
            .to_string();
        assert!(error.contains("being edited"), "{error}");
        crate::write::settle(&path);
        let error = replace_file(&path, b"what was read", "fixed")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("changed on disk since specbook read it"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "changed by someone else"
        );
        replace_file(&path, b"changed by someone else", "fixed").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed");
    }

    #[test]
    fn numbers_continue_after_the_highest() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["0001-a.md", "0007-b.md", "notes.md", "12x-c.md"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(next_number(dir.path()).unwrap(), 8);
    }

    #[test]
    fn init_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path()).unwrap();
        let error = init(dir.path()).unwrap_err();
        assert!(matches!(error, WorkspaceError::Exists { .. }), "{error}");
    }
}
