//! A project as the server holds it: the configuration and checker `check` would load for
//! a spec, kept until specbook.toml or a template changes, and which files are its specs.

use std::cell::{OnceCell, RefCell};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Result;
use specbook_diagnostics::Located;
use specbook_workspace::{
    Catalog, CheckOutcome, Checker, Config, Neighbour, SpecFacts, Surroundings,
    add_workspace_findings,
};

/// A loaded project, or why it could not be loaded, and the files it was loaded from.
pub(crate) struct Loaded {
    pub project: Result<Project, String>,
    /// specbook.toml and the templates, with their modification times at load.
    stamps: Vec<(PathBuf, Option<SystemTime>)>,
}

pub(crate) struct Project {
    pub config: Config,
    pub checker: Checker,
    /// The template files in use: not specs.
    pub templates: Vec<PathBuf>,
    /// What the workspace rules see around the checked spec.
    around: Surroundings,
    /// Every spec of the project as saved, checked: read the first time a feature needs it
    /// and again after a spec is saved.
    workspace: OnceCell<Workspace>,
    /// The last [`Project::check`]: a spec, its text and its findings. The code actions at
    /// each cursor move ask for the findings of the text the last edit checked.
    last: RefCell<Option<Checked>>,
}

struct Checked {
    path: PathBuf,
    text: String,
    found: Vec<Located>,
}

/// The saved specs of a project, and what the workspace rules see of them.
struct Workspace {
    catalog: Catalog,
    /// `around` with every saved spec as a neighbour.
    around: Surroundings,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Loaded {
    /// The project of the configuration file `file`, as `check` loads it.
    pub(crate) fn load(file: &Path) -> Self {
        let mut watched = vec![file.to_path_buf()];
        let project = Project::load(file, &mut watched).map_err(|error| format!("{error:#}"));
        let stamps = watched
            .into_iter()
            .map(|path| {
                let time = modified(&path);
                (path, time)
            })
            .collect();
        Self { project, stamps }
    }

    /// Whether specbook.toml or a template changed since the load (a save in any editor,
    /// or a `git checkout`).
    pub(crate) fn is_stale(&self) -> bool {
        self.stamps
            .iter()
            .any(|(path, time)| modified(path) != *time)
    }

    /// Whether `path` is one of the files the project was loaded from.
    pub(crate) fn reads(&self, path: &Path) -> bool {
        self.stamps.iter().any(|(p, _)| p == path)
    }
}

/// A finding about a whole file, at its start.
fn whole_file(rule: &'static str, message: String) -> Located {
    Located {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
        rule,
        severity: specbook_diagnostics::Severity::Error,
        message,
        snippet: String::new(),
        snippet_span: 0..0,
        fix: None,
        file: None,
    }
}

/// Every spec file of the project: the configured sources, else every Markdown file under
/// the project's folder. None when they cannot be listed (the error is `check`'s to show).
fn spec_files(config: &Config, templates: &[PathBuf]) -> Vec<PathBuf> {
    let found = if config.specs.is_empty() {
        specbook_workspace::discover(std::slice::from_ref(&config.root), templates)
    } else {
        let file = config
            .path
            .clone()
            .unwrap_or_else(|| config.root.join(specbook_workspace::CONFIG_FILE));
        specbook_workspace::discover_sources(&config.specs, templates, &file)
    };
    found.map(|found| found.files).unwrap_or_default()
}

impl Project {
    /// `watched` gets the template files as soon as the configuration names them, so that
    /// fixing a broken template reloads the project.
    fn load(file: &Path, watched: &mut Vec<PathBuf>) -> Result<Self> {
        let mut config = Config::load(file)?;
        watched.extend(config.template.clone());
        watched.extend(config.templates.iter().map(|t| t.file.clone()));
        let (checker, templates) = super::super::load_checker(None, &mut config)?;
        let files = spec_files(&config, &templates);
        let around = super::super::surroundings(&config, &templates, &files);
        Ok(Self {
            config,
            checker,
            templates,
            around,
            workspace: OnceCell::new(),
            last: RefCell::new(None),
        })
    }

    /// The ids of the project's specs again, after a spec was saved (a new one, or a renamed
    /// one), and the catalog to be read again.
    pub(crate) fn refresh_surroundings(&mut self) {
        let files = spec_files(&self.config, &self.templates);
        self.around = super::super::surroundings(&self.config, &self.templates, &files);
        self.workspace = OnceCell::new();
        self.last = RefCell::new(None);
    }

    /// Every spec of the project as saved on disk, checked as `specbook list` sees them,
    /// sorted by number, then path. Paths are absolute.
    #[allow(dead_code, reason = "the catalog features use it")]
    pub(crate) fn catalog(&self) -> &Catalog {
        &self.workspace().catalog
    }

    fn workspace(&self) -> &Workspace {
        self.workspace.get_or_init(|| {
            let files = spec_files(&self.config, &self.templates);
            let catalog = Catalog::load(&self.checker, &files, &self.around);
            let mut around = self.around.clone();
            around.neighbours = catalog
                .entries
                .iter()
                .map(|entry| Neighbour {
                    path: entry.path.clone(),
                    facts: SpecFacts {
                        meta: entry.meta.clone(),
                        candidates: Vec::new(),
                        text_hash: entry.text_hash,
                    },
                })
                .collect();
            Workspace { catalog, around }
        })
    }

    /// Whether the Markdown file at `path`, with text `text`, is one of the project's specs:
    /// where `specs` says (anywhere under the project without it), not a template, not a
    /// README that introduces its folder, not the index `specbook index` writes.
    pub(crate) fn takes(&self, path: &Path, text: &str) -> bool {
        let markdown = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        let placed = if self.config.specs.is_empty() {
            path.starts_with(&self.config.root)
        } else {
            self.config.specs.iter().any(|s| s.would_take(path))
        };
        markdown
            && placed
            && !self.templates.iter().any(|t| t == path)
            // What `check` skips even when named: a folder's README, the index file.
            && specbook_workspace::not_a_spec_with_text(path, text).is_none()
    }

    /// The findings in the spec at `path` with text `text`: what `check --stdin-filename`
    /// reports for it, the workspace rules included.
    pub(crate) fn check(&self, path: &Path, text: &str) -> Vec<Located> {
        if let Some(last) = self.last.borrow().as_ref()
            && last.path == path
            && last.text == text
        {
            return last.found.clone();
        }
        let found = self.check_again(path, text);
        *self.last.borrow_mut() = Some(Checked {
            path: path.to_path_buf(),
            text: text.to_owned(),
            found: found.clone(),
        });
        found
    }

    /// [`Project::check`] without the memo.
    fn check_again(&self, path: &Path, text: &str) -> Vec<Located> {
        let shown = path.display().to_string();
        // Too large: one finding, as `check` reports such a file, and nothing else.
        if let Some(message) = specbook_workspace::over_limit(text.len() as u64) {
            return vec![whole_file(specbook_workspace::UNREADABLE, message)];
        }
        // A file that is not UTF-8 reaches the server decoded by the editor, with U+FFFD for
        // what it could not read: its finding is the one `check` gives the saved bytes.
        let saved = text
            .contains('\u{fffd}')
            .then(|| specbook_workspace::read_input(path).ok())
            .flatten()
            .filter(|bytes| std::str::from_utf8(bytes).is_err());
        let bytes = saved.as_deref().unwrap_or(text.as_bytes());
        let (report, facts) = self.checker.check_bytes_with_facts(&shown, bytes);
        let mut outcome = CheckOutcome {
            reports: vec![report],
            facts: vec![facts],
            errors: Vec::new(),
        };
        add_workspace_findings(&self.checker, &mut outcome, &self.workspace().around);
        // Other files are named from the project's folder, as `check` run there names them.
        let root = format!(
            "{}{}",
            self.config.root.display(),
            std::path::MAIN_SEPARATOR
        );
        outcome
            .reports
            .into_iter()
            .flat_map(|r| r.diagnostics)
            // A finding in a sidecar (`kep.yaml`) is not in this document.
            .filter(|d| d.file.is_none())
            .map(|mut d| {
                if d.message.contains(&root) {
                    d.message = d.message.replace(&root, "");
                }
                d
            })
            .collect()
    }

    /// The other places a finding of the spec at `path` is about: for `duplicate-id`, the
    /// other saved specs with its id.
    pub(crate) fn related(&self, path: &Path, finding: &Located) -> Vec<PathBuf> {
        if finding.rule != "duplicate-id" {
            return Vec::new();
        }
        let Some(id) = self.checker.ids.id(path) else {
            return Vec::new();
        };
        self.catalog()
            .entries
            .iter()
            .filter(|e| e.path != path && !e.meta.stub && self.checker.ids.id(&e.path) == Some(id))
            .map(|e| e.path.clone())
            .collect()
    }
}
