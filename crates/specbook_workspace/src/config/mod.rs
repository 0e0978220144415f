//! `specbook.toml`: found by walking up from the current folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use specbook_linter::Settings;
use specbook_markdown::{Schema, section_key};

use crate::WorkspaceError;
use fields::{FieldSetting, RawField};
use rules::rule_level;
pub use rules::{check_rule_names, unknown_rule_message};
use templates::RawTemplate;
pub use templates::{Selector, TemplateSetting};
mod fields;
mod rules;
mod templates;

use crate::catalog::IdScheme;
use crate::discover::Source;

pub const CONFIG_FILE: &str = "specbook.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    template: Option<PathBuf>,
    specs: Option<OneOrMany>,
    id_prefix: Option<String>,
    title_field: Option<String>,
    metadata: Option<String>,
    baseline: Option<PathBuf>,
    /// The largest file specbook reads: bytes, or `"32 MB"`, `"512 KB"`.
    max_file_size: Option<toml::Value>,
    #[serde(default)]
    optional_sections: Vec<String>,
    #[serde(default)]
    allow_unknown_fields: Vec<String>,
    #[serde(default)]
    fields: std::collections::BTreeMap<String, RawField>,
    #[serde(default)]
    templates: Vec<RawTemplate>,
    #[serde(default)]
    sections: RawSections,
    #[serde(default)]
    placeholders: RawPlaceholders,
    #[serde(default)]
    lifecycle: RawLifecycle,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, toml::Value>,
    #[serde(default)]
    site: SiteConfig,
}

/// `specs = "specs"` or `specs = ["text/*.md", "keps/*/*/README.md"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
}

/// `[sections]`: how spec headings match the template's sections.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSections {
    /// Old section names and the template section each stands for.
    #[serde(default)]
    aliases: std::collections::BTreeMap<String, String>,
    /// Report subsections added beside a template section's own subsections.
    #[serde(default)]
    strict_subsections: bool,
}

/// `[placeholders]`: placeholder forms a team adds or silences, as regular expressions.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaceholders {
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// Regular expressions as written, compiled, each error naming its key.
fn regexes(key: &str, patterns: &[String]) -> Result<Vec<regex::Regex>, String> {
    patterns
        .iter()
        .map(|p| {
            regex::Regex::new(p).map_err(|e| {
                let first = e.to_string();
                let first = first.lines().last().unwrap_or_default().trim().to_owned();
                format!("[placeholders] {key}: `{p}` is not a valid regular expression: {first}")
            })
        })
        .collect()
}

/// `[site]`: how `specbook build` and `serve` present the specs.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The name in every page's header.
    pub title: Option<String>,
    /// A folder of templates and assets replacing the built-in ones (relative to the file).
    pub theme: Option<PathBuf>,
    /// Show `mermaid` code blocks as diagrams (with the script shipped with specbook).
    #[serde(default)]
    pub mermaid: bool,
    /// Where a spec is edited: a URL with `{path}` for the file's path from the repository's
    /// root (`https://github.com/org/repo/edit/main/{path}`).
    pub edit_url: Option<String>,
    /// Colours of statuses (`Approved = "#2da44e"`), over the ones from the lifecycle.
    #[serde(default)]
    pub colors: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifecycle {
    field: Option<String>,
    statuses: Option<Vec<String>>,
    terminal: Option<Vec<String>>,
    strict: Option<Vec<String>>,
    transitions: Option<Vec<String>>,
    stale_after_days: Option<u32>,
    history_field: Option<String>,
}

/// A loaded configuration, paths resolved against the folder holding the file.
#[derive(Clone, Debug)]
pub struct Config {
    /// The configuration file, when there is one.
    pub path: Option<PathBuf>,
    /// The folder that relative paths in the file are relative to.
    pub root: PathBuf,
    pub template: Option<PathBuf>,
    /// `specs`: the folders and patterns where specs are (empty: not configured).
    pub specs: Vec<Source>,
    /// How paths give spec ids (`id_prefix`).
    pub ids: IdScheme,
    /// The findings baseline `check` hides accepted findings with.
    pub baseline: Option<PathBuf>,
    pub settings: Settings,
    /// `optional_sections` as written, for messages.
    pub optional_sections: Vec<String>,
    /// Whether `[lifecycle] terminal` was written rather than defaulted.
    pub terminal_configured: bool,
    /// `[lifecycle] field`: the field that holds the lifecycle, when not the template's.
    pub lifecycle_field: Option<String>,
    /// `[lifecycle] history_field`: the field `specbook status` records transitions in, when
    /// not the template's (default: a `Status History`-like field of the template, else
    /// [`specbook_markdown::DEFAULT_HISTORY_FIELD`]).
    pub history_field: Option<String>,
    /// `title_field`: the field that holds a spec's title, for templates without a title
    /// heading.
    pub title_field: Option<String>,
    /// `[fields.NAME]` settings, in name order.
    pub fields: Vec<FieldSetting>,
    /// `metadata`: the sidecar file beside each spec (and beside each template) that holds
    /// fields, e.g. `kep.yaml`.
    pub metadata: Option<String>,
    /// `[[templates]]`: more templates, each for the specs its selector chooses.
    pub templates: Vec<TemplateSetting>,
    /// `[lifecycle] transitions` as `(from, to)` pairs; `None`: each status to the next.
    pub transitions: Option<Vec<(String, String)>>,
    /// `[lifecycle] stale_after_days`: how long a spec under way may go unchanged.
    pub stale_after_days: u32,
    /// `[site]`, its theme resolved against the file's folder.
    pub site: SiteConfig,
}

/// How long a spec in a status under way may go unchanged before `stale` reports it.
pub const DEFAULT_STALE_AFTER_DAYS: u32 = 30;

/// `"Draft -> Review"` as a pair.
fn transition(text: &str) -> Result<(String, String), String> {
    match text.split_once("->") {
        Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
            Ok((from.trim().to_owned(), to.trim().to_owned()))
        }
        _ => Err(format!(
            "[lifecycle] transitions: `{text}` is not of the form \"From -> To\""
        )),
    }
}

impl Config {
    /// The configuration for `start`: the nearest `specbook.toml` in it or a parent folder, or
    /// defaults rooted at `start`.
    pub fn discover(start: &Path) -> Result<Self, WorkspaceError> {
        if let Some(file) = Self::find(start) {
            return Self::load(&file);
        }
        Ok(Self {
            path: None,
            root: start.to_path_buf(),
            template: None,
            specs: Vec::new(),
            ids: IdScheme::default(),
            baseline: None,
            settings: Settings::default(),
            optional_sections: Vec::new(),
            terminal_configured: false,
            lifecycle_field: None,
            history_field: None,
            title_field: None,
            fields: Vec::new(),
            metadata: None,
            templates: Vec::new(),
            transitions: None,
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
            site: SiteConfig::default(),
        })
    }

    /// The nearest `specbook.toml` in `start` or a parent folder: the file
    /// [`Config::discover`] loads.
    #[must_use]
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|folder| folder.join(CONFIG_FILE))
            .find(|candidate| candidate.is_file())
    }

    pub fn load(path: &Path) -> Result<Self, WorkspaceError> {
        let text = crate::input::read_to_string(path).map_err(|source| WorkspaceError::Read {
            path: path.to_path_buf(),
            error: source,
        })?;
        let config_error = |message| WorkspaceError::Config {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawConfig = toml::from_str(&text)
            .map_err(|error| config_error(describe_toml_error(&text, &error)))?;
        Self::from_raw(path, raw).map_err(config_error)
    }

    /// The configuration a parsed file says, its settings checked.
    fn from_raw(path: &Path, raw: RawConfig) -> Result<Self, String> {
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        check_rule_names(raw.rules.keys(), "[rules]")?;
        if let Some(value) = &raw.max_file_size {
            crate::input::set_max_file_size(file_size(value)?);
        }
        let mut settings = rule_settings(&raw)?;
        let transitions = raw
            .lifecycle
            .transitions
            .as_deref()
            .map(|list| {
                list.iter()
                    .map(|t| transition(t))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let fields = raw
            .fields
            .iter()
            .map(|(name, field)| FieldSetting::new(name, field))
            .collect::<Result<Vec<_>, _>>()?;
        let terminal_configured = raw.lifecycle.terminal.is_some();
        if let Some(terminal) = raw.lifecycle.terminal {
            settings.terminal_statuses = terminal;
        }
        settings.strict_statuses = raw.lifecycle.strict;
        settings.statuses = raw.lifecycle.statuses;
        if let Some(prefix) = &raw.id_prefix {
            check_id_prefix(prefix)?;
        }
        let (templates, by_path) = templates::settings(&root, raw.templates)?;
        if let Some(name) = &raw.metadata
            && (name.trim().is_empty() || name.contains(['/', '\\']))
        {
            return Err(format!(
                "metadata = \"{name}\": expected the name of the file beside each spec, such as \"kep.yaml\""
            ));
        }
        Ok(Self {
            path: Some(path.to_path_buf()),
            template: raw.template.map(|t| root.join(t)),
            specs: sources(&root, raw.specs)?,
            ids: IdScheme {
                prefix: raw.id_prefix,
                by_path,
            },
            templates,
            baseline: raw.baseline.map(|b| root.join(b)),
            settings,
            optional_sections: raw.optional_sections,
            terminal_configured,
            lifecycle_field: raw.lifecycle.field,
            history_field: raw.lifecycle.history_field,
            title_field: raw.title_field,
            fields,
            metadata: raw.metadata,
            transitions,
            stale_after_days: raw
                .lifecycle
                .stale_after_days
                .unwrap_or(DEFAULT_STALE_AFTER_DAYS),
            site: SiteConfig {
                theme: raw.site.theme.as_ref().map(|t| root.join(t)),
                ..raw.site
            },
            root,
        })
    }

    /// Where `specbook new` writes: the first configured folder (else the first pattern's
    /// folder), or `specs/` beside the configuration.
    #[must_use]
    pub fn new_spec_folder(&self) -> PathBuf {
        self.new_spec_source()
            .map_or_else(|| self.root.join("specs"), |s| s.base.clone())
    }

    /// The source `specbook new` writes into (see [`Config::new_spec_folder`]).
    #[must_use]
    pub fn new_spec_source(&self) -> Option<&Source> {
        self.specs
            .iter()
            .find(|s| !s.is_pattern())
            .or_else(|| self.specs.first())
    }

    /// The folders the specs are under (each source's folder), or the configuration's folder.
    #[must_use]
    pub fn spec_folders(&self) -> Vec<PathBuf> {
        if self.specs.is_empty() {
            return vec![self.root.clone()];
        }
        self.specs.iter().map(|s| s.base.clone()).collect()
    }

    /// Fits the configuration and the template together: `[lifecycle] field` names the
    /// template's lifecycle field, and the built-in terminal statuses take the lifecycle's
    /// case (`superseded` beside `draft`, `SUPERSEDED` beside `DRAFT`).
    pub fn settle(&mut self, schema: &mut Schema) {
        if let Some(field) = &self.lifecycle_field {
            schema.set_lifecycle_field(field);
        }
        if let Some(field) = &self.title_field {
            schema.set_title_field(field);
        }
        for field in &self.fields {
            field.apply(schema);
        }
        // Every lifecycle has a history: the configured field, the template's, or the default.
        match &self.history_field {
            Some(field) => schema.set_history_field(field),
            None if schema.history.is_none() && schema.lifecycle.is_some() => {
                schema.set_history_field(specbook_markdown::DEFAULT_HISTORY_FIELD);
            }
            None => {}
        }
        if !self.terminal_configured {
            let lifecycle = self
                .settings
                .statuses
                .as_deref()
                .unwrap_or(&schema.statuses);
            let case = Case::of(lifecycle);
            for status in &mut self.settings.terminal_statuses {
                *status = case.apply(status);
            }
        }
    }

    /// Checks the settings that name template parts against the template in use: a name that
    /// matches nothing is a typo that would silently change what is checked.
    /// `others` are the `[[templates]]`: a section name may be in any of them.
    pub fn validate(&self, schema: &Schema, others: &[&Schema]) -> Result<(), WorkspaceError> {
        let path = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
        for (name, key) in self
            .optional_sections
            .iter()
            .zip(&self.settings.optional_sections)
        {
            let known = std::iter::once(schema)
                .chain(others.iter().copied())
                .any(|schema| schema.sections.iter().any(|s| &s.key == key));
            if !known {
                return Err(WorkspaceError::Config {
                    path,
                    message: format!(
                        "optional_sections: `{name}` is not a section of the template"
                    ),
                });
            }
        }
        for (alias, target) in &self.settings.section_aliases {
            let known = std::iter::once(schema)
                .chain(others.iter().copied())
                .any(|schema| schema.sections.iter().any(|s| &s.key == target));
            if !known {
                return Err(WorkspaceError::Config {
                    path,
                    message: format!(
                        "[sections] aliases: `{alias}` stands for `{target}`, which is not a section of the template"
                    ),
                });
            }
        }
        if let Some(field) = &self.title_field
            && schema
                .title_field()
                .is_none_or(|f| f.key != specbook_markdown::field_key(field))
        {
            return Err(WorkspaceError::Config {
                path,
                message: format!(
                    "title_field = \"{field}\": the template has no such field; its fields are {}",
                    schema
                        .fields
                        .iter()
                        .map(|f| f.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        self.validate_lifecycle(schema)
            .map_err(|message| WorkspaceError::Config { path, message })
    }

    /// The `[lifecycle]` settings against the template's lifecycle.
    fn validate_lifecycle(&self, schema: &Schema) -> Result<(), String> {
        if let Some(field) = &self.history_field {
            let key = specbook_markdown::field_key(field);
            if key.is_empty() {
                return Err("[lifecycle] history_field: the name is empty".to_owned());
            }
            if schema.status_field().is_some_and(|f| f.key == key) {
                return Err(format!(
                    "[lifecycle] history_field = \"{field}\" is the lifecycle field itself; name another field, such as \"{}\"",
                    specbook_markdown::DEFAULT_HISTORY_FIELD
                ));
            }
        }
        let lifecycle = self
            .settings
            .statuses
            .as_deref()
            .unwrap_or(&schema.statuses);
        if let Some(statuses) = &self.settings.statuses {
            if statuses.is_empty() {
                return Err(
                    "[lifecycle] statuses: the list is empty; name at least one status".to_owned(),
                );
            }
            if let Some(twice) = statuses
                .iter()
                .enumerate()
                .find_map(|(i, s)| statuses[..i].contains(s).then_some(s))
            {
                return Err(format!("[lifecycle] statuses: `{twice}` is listed twice"));
            }
        }
        // Only a list the user wrote: the default `Superseded` may also be a template status.
        let configured_terminal = if self.terminal_configured {
            self.settings.terminal_statuses.as_slice()
        } else {
            &[]
        };
        if let Some(both) = configured_terminal.iter().find(|s| lifecycle.contains(s)) {
            return Err(format!(
                "[lifecycle] terminal: `{both}` is already a status of the lifecycle; terminal statuses come after it"
            ));
        }
        let is_status =
            |s: &String| lifecycle.contains(s) || self.settings.terminal_statuses.contains(s);
        let all = || {
            lifecycle
                .iter()
                .chain(&self.settings.terminal_statuses)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        };
        for status in self.settings.strict_statuses.iter().flatten() {
            if !is_status(status) {
                return Err(format!(
                    "[lifecycle] strict: `{status}` is not a status; the statuses are {}",
                    all()
                ));
            }
        }
        for (from, to) in self.transitions.iter().flatten() {
            for status in [from, to] {
                if !is_status(status) {
                    return Err(format!(
                        "[lifecycle] transitions: `{from} -> {to}`: `{status}` is not a status; the statuses are {}",
                        all()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The rule settings of a parsed file: what `[rules]`, `[sections]`, `[placeholders]`,
/// `optional_sections` and `allow_unknown_fields` say.
fn rule_settings(raw: &RawConfig) -> Result<Settings, String> {
    let rule_levels = raw
        .rules
        .iter()
        .map(|(name, value)| Ok((name.clone(), rule_level(name, value)?.severity())))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Settings {
        optional_sections: raw
            .optional_sections
            .iter()
            .map(|s| section_key(s))
            .collect(),
        allowed_fields: raw
            .allow_unknown_fields
            .iter()
            .map(|f| specbook_markdown::field_key(f))
            .collect(),
        rule_levels,
        section_aliases: raw
            .sections
            .aliases
            .iter()
            .map(|(alias, target)| (section_key(alias), section_key(target)))
            .collect(),
        strict_subsections: raw.sections.strict_subsections,
        placeholder_patterns: regexes("patterns", &raw.placeholders.patterns)?,
        placeholder_ignore: regexes("ignore", &raw.placeholders.ignore)?,
        ..Settings::default()
    })
}

/// The configured sources, in the order written.
fn sources(root: &Path, specs: Option<OneOrMany>) -> Result<Vec<Source>, String> {
    specs
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .iter()
        .map(|written| Source::new(root, written))
        .collect()
}

/// `SE-`, `KEP-`, `RFC`: letters, then at most a `-`.
pub(super) fn check_id_prefix(prefix: &str) -> Result<(), String> {
    let letters = prefix.strip_suffix('-').unwrap_or(prefix);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "id_prefix = \"{prefix}\": expected letters, optionally followed by `-` (\"SE-\", \"KEP-\", \"RFC\")"
        ));
    }
    Ok(())
}

/// How a lifecycle writes its statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Lower,
    Upper,
    AsWritten,
}

impl Case {
    fn of(statuses: &[String]) -> Self {
        let letters = || {
            statuses
                .iter()
                .flat_map(|s| s.chars())
                .filter(|c| c.is_alphabetic())
        };
        if statuses.is_empty() || letters().next().is_none() {
            Self::AsWritten
        } else if letters().all(char::is_lowercase) {
            Self::Lower
        } else if letters().all(char::is_uppercase) {
            Self::Upper
        } else {
            Self::AsWritten
        }
    }

    fn apply(self, status: &str) -> String {
        match self {
            Self::Lower => status.to_lowercase(),
            Self::Upper => status.to_uppercase(),
            Self::AsWritten => status.to_owned(),
        }
    }
}

/// `line L, column C: message`, from toml's error and span.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end().to_owned();
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests;

/// `max_file_size`: a number of bytes, or `"32 MB"`, `"512 KB"`, `"1 GB"`.
fn file_size(value: &toml::Value) -> Result<u64, String> {
    let invalid = || {
        format!(
            "max_file_size: `{value}` is not a size; write a number of bytes or a size such as \"32 MB\""
        )
    };
    match value {
        toml::Value::Integer(n) if *n > 0 => u64::try_from(*n).map_err(|_| invalid()),
        toml::Value::String(text) => {
            let text = text.trim();
            let split = text
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len());
            let number: u64 = text[..split].parse().map_err(|_| invalid())?;
            let unit = match text[split..].trim().to_ascii_uppercase().as_str() {
                "" | "B" => 1,
                "KB" | "K" => 1024,
                "MB" | "M" => 1024 * 1024,
                "GB" | "G" => 1024 * 1024 * 1024,
                _ => return Err(invalid()),
            };
            number
                .checked_mul(unit)
                .filter(|n| *n > 0)
                .ok_or_else(invalid)
        }
        _ => Err(invalid()),
    }
}
