//! `specbook.toml`: found by walking up from the current folder.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use specbook_diagnostics::Severity;
use specbook_linter::Settings;
use specbook_markdown::{Schema, section_key};

use crate::WorkspaceError;
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
    baseline: Option<PathBuf>,
    #[serde(default)]
    optional_sections: Vec<String>,
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
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
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
}

#[derive(Debug, Clone, Copy)]
enum RuleLevel {
    Error,
    Warning,
    Info,
    Off,
}

/// `rule = "warning"` or `rule = { severity = "warning" }`, with a message naming the choices.
fn rule_level(name: &str, value: &toml::Value) -> Result<RuleLevel, String> {
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
    fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        }
    }
}

/// Every name a rule setting may use: the rules and `invalid-utf8`.
fn rule_names() -> impl Iterator<Item = &'static str> {
    specbook_linter::RULES
        .iter()
        .map(|r| r.name)
        .chain([crate::INVALID_UTF8])
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifecycle {
    field: Option<String>,
    statuses: Option<Vec<String>>,
    terminal: Option<Vec<String>>,
    strict: Option<Vec<String>>,
    transitions: Option<Vec<String>>,
    stale_after_days: Option<u32>,
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
    /// `title_field`: the field that holds a spec's title, for templates without a title
    /// heading.
    pub title_field: Option<String>,
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
        for folder in start.ancestors() {
            let candidate = folder.join(CONFIG_FILE);
            if candidate.is_file() {
                return Self::load(&candidate);
            }
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
            title_field: None,
            transitions: None,
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
            site: SiteConfig::default(),
        })
    }

    pub fn load(path: &Path) -> Result<Self, WorkspaceError> {
        let text = std::fs::read_to_string(path).map_err(|source| WorkspaceError::Read {
            path: path.to_path_buf(),
            error: source,
        })?;
        let raw: RawConfig = toml::from_str(&text).map_err(|error| WorkspaceError::Config {
            path: path.to_path_buf(),
            message: describe_toml_error(&text, &error),
        })?;
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        check_rule_names(raw.rules.keys(), "[rules]").map_err(|message| {
            WorkspaceError::Config {
                path: path.to_path_buf(),
                message,
            }
        })?;
        let rule_levels = raw
            .rules
            .iter()
            .map(|(name, value)| Ok((name.clone(), rule_level(name, value)?.severity())))
            .collect::<Result<Vec<_>, String>>()
            .map_err(|message| WorkspaceError::Config {
                path: path.to_path_buf(),
                message,
            })?;
        let optional_sections = raw.optional_sections.clone();
        let mut settings = Settings {
            optional_sections: raw
                .optional_sections
                .iter()
                .map(|s| section_key(s))
                .collect(),
            ..Settings::default()
        };
        let transitions = raw
            .lifecycle
            .transitions
            .as_deref()
            .map(|list| {
                list.iter()
                    .map(|t| transition(t))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .map_err(|message| WorkspaceError::Config {
                path: path.to_path_buf(),
                message,
            })?;
        let stale_after_days = raw
            .lifecycle
            .stale_after_days
            .unwrap_or(DEFAULT_STALE_AFTER_DAYS);
        let site = SiteConfig {
            theme: raw.site.theme.as_ref().map(|t| root.join(t)),
            ..raw.site.clone()
        };
        let terminal_configured = raw.lifecycle.terminal.is_some();
        let lifecycle_field = raw.lifecycle.field.clone();
        if let Some(terminal) = raw.lifecycle.terminal {
            settings.terminal_statuses = terminal;
        }
        settings.strict_statuses = raw.lifecycle.strict;
        settings.statuses = raw.lifecycle.statuses;
        settings.rule_levels = rule_levels;
        let specs = sources(&root, raw.specs).map_err(|message| WorkspaceError::Config {
            path: path.to_path_buf(),
            message,
        })?;
        if let Some(prefix) = &raw.id_prefix {
            check_id_prefix(prefix).map_err(|message| WorkspaceError::Config {
                path: path.to_path_buf(),
                message,
            })?;
        }
        Ok(Self {
            path: Some(path.to_path_buf()),
            template: raw.template.map(|t| root.join(t)),
            specs,
            ids: IdScheme {
                prefix: raw.id_prefix,
            },
            baseline: raw.baseline.map(|b| root.join(b)),
            root,
            settings,
            optional_sections,
            terminal_configured,
            lifecycle_field,
            title_field: raw.title_field,
            transitions,
            stale_after_days,
            site,
        })
    }

    /// Where `specbook new` writes: the first configured folder (else the first pattern's
    /// folder), or `specs/` beside the configuration.
    #[must_use]
    pub fn new_spec_folder(&self) -> PathBuf {
        self.specs
            .iter()
            .find(|s| !s.is_pattern())
            .or_else(|| self.specs.first())
            .map_or_else(|| self.root.join("specs"), |s| s.base.clone())
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
    pub fn validate(&self, schema: &Schema) -> Result<(), WorkspaceError> {
        let path = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
        for (name, key) in self
            .optional_sections
            .iter()
            .zip(&self.settings.optional_sections)
        {
            if !schema.sections.iter().any(|s| &s.key == key) {
                return Err(WorkspaceError::Config {
                    path,
                    message: format!(
                        "optional_sections: `{name}` is not a section of the template"
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
        let lifecycle = self
            .settings
            .statuses
            .as_deref()
            .unwrap_or(&schema.statuses);
        let config_error = |message: String| WorkspaceError::Config {
            path: path.clone(),
            message,
        };
        if let Some(statuses) = &self.settings.statuses {
            if statuses.is_empty() {
                return Err(config_error(
                    "[lifecycle] statuses: the list is empty; name at least one status".to_owned(),
                ));
            }
            if let Some(twice) = statuses
                .iter()
                .enumerate()
                .find_map(|(i, s)| statuses[..i].contains(s).then_some(s))
            {
                return Err(config_error(format!(
                    "[lifecycle] statuses: `{twice}` is listed twice"
                )));
            }
        }
        // Only a list the user wrote: the default `Superseded` may also be a template status.
        let configured_terminal = if self.terminal_configured {
            self.settings.terminal_statuses.as_slice()
        } else {
            &[]
        };
        if let Some(both) = configured_terminal.iter().find(|s| lifecycle.contains(s)) {
            return Err(config_error(format!(
                "[lifecycle] terminal: `{both}` is already a status of the lifecycle; terminal statuses come after it"
            )));
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
                return Err(config_error(format!(
                    "[lifecycle] strict: `{status}` is not a status; the statuses are {}",
                    all()
                )));
            }
        }
        for (from, to) in self.transitions.iter().flatten() {
            for status in [from, to] {
                if !is_status(status) {
                    return Err(config_error(format!(
                        "[lifecycle] transitions: `{from} -> {to}`: `{status}` is not a status; the statuses are {}",
                        all()
                    )));
                }
            }
        }
        Ok(())
    }
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
fn check_id_prefix(prefix: &str) -> Result<(), String> {
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
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_a_location() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "template = \"t.md\"\ntemplte = 1\n").unwrap();
        let error = Config::load(&path).unwrap_err().to_string();
        assert!(error.contains("line 2, column 1"), "{error}");
        assert!(error.contains("templte"), "{error}");
    }

    #[test]
    fn names_must_exist_in_the_template() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        let schema = Schema::builtin();
        std::fs::write(
            &path,
            "optional_sections = [\"User Interface\"]\n[lifecycle]\nstrict = [\"Review\"]\n",
        )
        .unwrap();
        Config::load(&path).unwrap().validate(&schema).unwrap();
        std::fs::write(&path, "optional_sections = [\"Nonexistent\"]\n").unwrap();
        let error = Config::load(&path)
            .unwrap()
            .validate(&schema)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`Nonexistent` is not a section of the template"),
            "{error}"
        );
        for (config, expected) in [
            ("[lifecycle]\nstatuses = []\n", "the list is empty"),
            (
                "[lifecycle]\nstatuses = [\"Draft\", \"Draft\"]\n",
                "`Draft` is listed twice",
            ),
            (
                "[lifecycle]\nterminal = [\"Approved\"]\n",
                "`Approved` is already a status",
            ),
        ] {
            std::fs::write(&path, config).unwrap();
            let error = Config::load(&path)
                .unwrap()
                .validate(&schema)
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
        std::fs::write(&path, "[lifecycle]\nstrict = [\"Nope\"]\n").unwrap();
        let error = Config::load(&path)
            .unwrap()
            .validate(&schema)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`Nope` is not a status"), "{error}");
    }

    #[test]
    fn terminal_statuses_take_the_lifecycle_case() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        let mut schema =
            Schema::from_template("---\nstage: draft | candidate | final\n---\n## Synopsis\n")
                .unwrap();
        assert_eq!(schema.statuses, vec!["draft", "candidate", "final"]);
        std::fs::write(&path, "[lifecycle]\nfield = \"stage\"\n").unwrap();
        let mut config = Config::load(&path).unwrap();
        config.settle(&mut schema);
        assert_eq!(
            config.settings.terminal_statuses,
            vec!["superseded", "withdrawn"]
        );
        assert_eq!(schema.status_field().unwrap().label, "stage");
        // Renamed or turned off, they are as written.
        std::fs::write(&path, "[lifecycle]\nterminal = []\n").unwrap();
        let mut config = Config::load(&path).unwrap();
        config.settle(&mut schema);
        assert!(config.settings.terminal_statuses.is_empty());
        // A field the template lacks becomes the lifecycle field.
        let mut schema = Schema::builtin();
        std::fs::write(
            &path,
            "[lifecycle]\nfield = \"Phase\"\nstatuses = [\"Idea\", \"Done\"]\n",
        )
        .unwrap();
        let mut config = Config::load(&path).unwrap();
        config.settle(&mut schema);
        assert_eq!(schema.status_field().unwrap().label, "Phase");
        assert_eq!(
            config.settings.terminal_statuses,
            vec!["Superseded", "Withdrawn"]
        );
    }

    #[test]
    fn rule_levels_and_unknown_rules() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(
            &path,
            "[rules]\nunknown-section = \"off\"\nplaceholder = { severity = \"error\" }\n",
        )
        .unwrap();
        let settings = Config::load(&path).unwrap().settings;
        assert_eq!(settings.grade("unknown-section", Severity::Warning), None);
        assert_eq!(
            settings.grade("placeholder", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            settings.grade("title", Severity::Error),
            Some(Severity::Error)
        );
        std::fs::write(&path, "[rules]\nplacehloder = \"off\"\n").unwrap();
        let error = Config::load(&path).unwrap_err().to_string();
        assert!(
            error.contains("unknown rule `placehloder` in [rules]; did you mean `placeholder`?"),
            "{error}"
        );
        std::fs::write(&path, "[rules]\nplaceholder = \"warn\"\n").unwrap();
        let error = Config::load(&path).unwrap_err().to_string();
        assert!(error.contains("[rules] placeholder = \"warn\": expected \"error\", \"warning\", \"info\" or \"off\""), "{error}");
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "template = \"templates/t.md\"\nspecs = \"specs\"\n",
        )
        .unwrap();
        let config = Config::discover(&dir.path().join("sub")).unwrap();
        assert_eq!(config.template.unwrap(), dir.path().join("templates/t.md"));
        assert_eq!(config.specs[0].base, dir.path().join("specs"));
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "specs = [\"text/*.md\", \"keps/*/*/README.md\"]\nid_prefix = \"KEP-\"\n",
        )
        .unwrap();
        let config = Config::discover(dir.path()).unwrap();
        let bases: Vec<_> = config.specs.iter().map(|s| s.base.clone()).collect();
        assert_eq!(
            bases,
            vec![dir.path().join("text"), dir.path().join("keps")]
        );
        assert_eq!(config.ids.prefix.as_deref(), Some("KEP-"));
        std::fs::write(dir.path().join(CONFIG_FILE), "id_prefix = \"SE 1\"\n").unwrap();
        let error = Config::discover(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("id_prefix = \"SE 1\": expected letters"),
            "{error}"
        );
    }
}
