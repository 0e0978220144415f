//! One file per command.

mod build;
mod check;
mod completions;
mod explain;
mod graph;
mod index;
mod init;
mod list;
mod lsp;
mod new;
mod relate;
mod rules;
mod search;
mod serve;
mod show;
mod status;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use specbook_markdown::Schema;
use specbook_workspace::{
    Catalog, Checker, Config, Discovered, GitContext, History, Surroundings, Template, discover,
    discover_sources,
};

use crate::cli::{Cli, Command};

/// `--config FILE`, when given: every command reads that configuration.
static CONFIG_FILE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// `--no-cache`: no command reads or writes the check cache.
static NO_CACHE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn run(cli: Cli) -> Result<u8> {
    if let Some(file) = cli.config {
        if !file.is_file() {
            anyhow::bail!("--config {}: no such file", shown(&file));
        }
        let _ = CONFIG_FILE.set(std::path::absolute(&file).unwrap_or(file));
    }
    NO_CACHE.store(cli.no_cache, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&args),
        Command::Status(args) => status::run(&args),
        Command::List(args) => list::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Index(args) => index::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Supersede(args) => relate::supersede(&args),
        Command::Link(args) => relate::link(&args),
        Command::Renumber(args) => relate::renumber(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Completions(args) => Ok(completions::completions(&args)),
        Command::Man(args) => completions::man(&args),
    }
}

/// The configuration for the current folder.
/// A path as human output shows it: control characters escaped (a file name may hold an
/// escape sequence meant for the terminal).
pub(crate) fn shown(path: &Path) -> String {
    specbook_diagnostics::escape_controls(&path.display().to_string(), &[]).into_owned()
}

/// A `--status` or `--team` filter must name something that exists: `what` (`status`,
/// `team`) among `known` (compared in any case). A typo otherwise filters everything out
/// silently.
pub(crate) fn check_filter<'k>(
    (what, whats): (&str, &str),
    value: Option<&str>,
    known: impl IntoIterator<Item = &'k str>,
) -> Result<()> {
    let Some(value) = value.map(str::trim) else {
        return Ok(());
    };
    let mut known: Vec<&str> = known.into_iter().filter(|k| !k.is_empty()).collect();
    known.sort_unstable_by_key(|k| k.to_lowercase());
    known.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    if known.iter().any(|k| k.eq_ignore_ascii_case(value)) {
        return Ok(());
    }
    let hint = specbook_linter::nearest(value, known.iter().copied())
        .map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
    if known.is_empty() {
        anyhow::bail!("no spec has a {what}, so `--{what} {value}` matches nothing");
    }
    if what == "status" {
        anyhow::bail!(
            "`{value}` is not a status{hint}; the statuses are {}",
            known.join(", ")
        )
    }
    anyhow::bail!(
        "no spec has the {what} `{value}`{hint}; the {whats} are {}",
        known.join(", ")
    )
}

/// Text from a spec (a title, a team) as human output shows it.
pub(crate) fn shown_text(text: &str) -> String {
    specbook_diagnostics::escape_controls(text, &[]).into_owned()
}

fn config() -> Result<Config> {
    config_for(&[])
}

/// Takes the repository's writer lock before a command reads the specs it will change (a
/// second writer waits for it), and says what finishing an interrupted change did.
fn hold_writer(config: &Config) -> Result<()> {
    for message in specbook_workspace::hold_writer(&config.root)? {
        eprintln!("note: {message}");
    }
    Ok(())
}

/// The configuration of the current folder; when it has none, that of the first of `paths`
/// (so `specbook check ~/other-repo/specs` uses that repository's `specbook.toml`).
fn config_for(paths: &[PathBuf]) -> Result<Config> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    if let Some(file) = CONFIG_FILE.get() {
        let config = Config::load(file)?;
        if specbook_workspace::interrupted(&config.root) {
            hold_writer(&config)?;
        }
        return Ok(relative_to(config, &cwd));
    }
    let mut config = Config::discover(&cwd)?;
    // A change a killed run left half done is finished before anything reads the specs.
    if specbook_workspace::interrupted(&config.root) {
        hold_writer(&config)?;
    }
    if config.path.is_none()
        && let Some(first) = paths.first()
    {
        let start = if first.is_dir() {
            first.clone()
        } else {
            first.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        if let Ok(start) = cwd.join(start).canonicalize() {
            let found = Config::discover(&start)?;
            if found.path.is_some() {
                config = found;
            }
        }
    }
    Ok(relative_to(config, &cwd))
}

/// Shows configured paths relative to the current folder when they are under it.
fn relative_to(mut config: Config, cwd: &Path) -> Config {
    let shorten = |p: PathBuf| p.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or(p);
    config.template = config.template.map(shorten);
    config.templates = std::mem::take(&mut config.templates)
        .into_iter()
        .map(|t| t.map_paths(shorten))
        .collect();
    config.ids.by_path = std::mem::take(&mut config.ids.by_path)
        .into_iter()
        .map(|(patterns, prefix)| {
            let patterns = patterns.into_iter().map(|p| p.map_paths(shorten)).collect();
            (patterns, prefix)
        })
        .collect();
    config.baseline = config.baseline.map(shorten);
    let dot = |p: PathBuf| {
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p
        }
    };
    config.specs = std::mem::take(&mut config.specs)
        .into_iter()
        .map(|s| s.map_paths(|p| dot(shorten(p))))
        .collect();
    config
}

/// A template file read as a schema fitted to the configuration (see [`Config::settle`]).
fn read_template(path: &Path, config: &mut Config) -> Result<Schema> {
    let text = specbook_workspace::read_input_to_string(path)
        .with_context(|| format!("cannot read template {}", path.display()))?;
    let mut schema =
        Schema::from_template(&text).with_context(|| format!("template {}", path.display()))?;
    // A template's sidecar (`kep.yaml` beside it) holds the fields of the specs' sidecars.
    if let Some(name) = &config.metadata {
        let sidecar = path.parent().unwrap_or(Path::new("")).join(name);
        if sidecar.is_file() {
            let text = specbook_workspace::read_input_to_string(&sidecar)
                .with_context(|| format!("cannot read template metadata {}", sidecar.display()))?;
            schema
                .add_sidecar(&text)
                .with_context(|| format!("template metadata {}", sidecar.display()))?;
        }
    }
    config.settle(&mut schema);
    Ok(schema)
}

/// The file `--template` names: a `[[templates]]` entry's name, or a path.
fn template_flag(flag: &Path, config: &Config) -> PathBuf {
    config
        .templates
        .iter()
        .find(|t| !flag.exists() && Path::new(&t.name) == flag)
        .map_or_else(|| flag.to_path_buf(), |t| t.file.clone())
}

/// The default template: `--template`, else the configured one, else the built-in one, fitted
/// to the configuration. Returns the file it came from, if any.
fn load_schema(flag: Option<&Path>, config: &mut Config) -> Result<(Schema, Option<PathBuf>)> {
    let path = flag
        .map(|flag| template_flag(flag, config))
        .or_else(|| config.template.clone());
    let mut schema = match &path {
        None => Schema::builtin(),
        Some(path) => read_template(path, config)?,
    };
    if path.is_none() {
        config.settle(&mut schema);
    }
    Ok((schema, path))
}

/// The checker for the project: the default template (see [`load_schema`]) and the
/// `[[templates]]`, and the files of every template in use (left out of spec walks).
fn load_checker(flag: Option<&Path>, config: &mut Config) -> Result<(Checker, Vec<PathBuf>)> {
    let (schema, default_file) = load_schema(flag, config)?;
    let mut templates = Vec::new();
    for setting in config.templates.clone() {
        let schema = read_template(&setting.file, config)
            .with_context(|| format!("[[templates]] `{}`", setting.name))?;
        templates.push(Template {
            name: setting.name,
            file: setting.file,
            schema,
            selector: setting.selector,
        });
    }
    let others: Vec<&Schema> = templates.iter().map(|t| &t.schema).collect();
    config.validate(&schema, &others)?;
    let mut files: Vec<PathBuf> = default_file.into_iter().collect();
    files.extend(templates.iter().map(|t| t.file.clone()));
    let mut checker = Checker::new(schema, config.settings.clone(), config.ids.clone());
    checker.templates = templates;
    checker.metadata.clone_from(&config.metadata);
    Ok((checker, files))
}

/// The specs of the current folder's project, ready to be checked.
struct Project {
    config: Config,
    checker: Checker,
    /// The template files in use (none for the built-in template alone).
    templates: Vec<PathBuf>,
    /// Every spec file, sorted by path.
    files: Vec<PathBuf>,
}

impl Project {
    /// What the workspace rules see around one of the project's specs checked again: every
    /// spec of `catalog` as a neighbour.
    fn around_catalog(&self, catalog: &specbook_workspace::Catalog) -> Surroundings {
        let mut around = surroundings(&self.config, &self.templates, &self.files);
        around.neighbours = catalog
            .entries
            .iter()
            .map(|entry| specbook_workspace::Neighbour {
                path: entry.path.clone(),
                facts: specbook_workspace::SpecFacts {
                    meta: entry.meta.clone(),
                    candidates: Vec::new(),
                    text_hash: entry.text_hash,
                },
            })
            .collect();
        around
    }
}

/// The specs `paths` name, or without paths the configured sources (else the current
/// folder).
fn spec_files(config: &Config, paths: &[PathBuf], templates: &[PathBuf]) -> Result<Discovered> {
    if !paths.is_empty() {
        return Ok(discover(paths, templates)?);
    }
    if config.specs.is_empty() {
        return Ok(discover(&[PathBuf::from(".")], templates)?);
    }
    let config_path = config
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(specbook_workspace::CONFIG_FILE));
    Ok(discover_sources(&config.specs, templates, &config_path)?)
}

/// The configuration, templates and spec files of the current folder (or of `paths`).
fn project(template: Option<&Path>, paths: &[PathBuf]) -> Result<Project> {
    let mut config = config_for(paths)?;
    let (checker, templates) = load_checker(template, &mut config)?;
    let found = spec_files(&config, paths, &templates)?;
    Ok(Project {
        config,
        checker,
        templates,
        files: found.files,
    })
}

/// The folder every one of `folders` is in.
fn common_folder(folders: &[PathBuf]) -> PathBuf {
    let mut folders = folders.iter().map(|f| specbook_workspace::lexical(f));
    let Some(mut common) = folders.next() else {
        return PathBuf::from(".");
    };
    for folder in folders {
        while !folder.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    if common.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        common
    }
}

/// Today's date, `YYYY-MM-DD`, in the local time zone.
fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// `git config user.name`, when git is installed and the name is set.
fn git_user_name() -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()?;
    let name = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !name.is_empty()).then_some(name)
}

/// What the workspace rules see beyond the checked `files`: every spec of the configured
/// sources and the project root.
fn surroundings(config: &Config, templates: &[PathBuf], files: &[PathBuf]) -> Surroundings {
    let mut around = Surroundings::of(files, &config.ids);
    if !config.specs.is_empty()
        && let Ok(all) = spec_files(config, &[], templates)
    {
        around
            .spec_ids
            .extend(Surroundings::of(&all.files, &config.ids).spec_ids);
    }
    around.root = Some(config.root.clone());
    around
}

/// The git history of the specs under `folder`, for the history rules and the catalog. `None`
/// outside a repository, and when git fails (with a warning: the rest still works).
fn git_context(folder: &Path, checker: &Checker, config: &Config) -> Option<GitContext> {
    let label = checker
        .schema
        .status_field()
        .map_or("Status", |f| f.label.as_str());
    match History::load(folder, label, true) {
        Ok(history) => history.map(|history| {
            let cut = history.cut_files();
            if cut > 0 {
                let plural = if cut == 1 { "" } else { "s" };
                eprintln!(
                    "warning: this is a shallow git clone: the history of {cut} file{plural} is cut, so stale and stale-updated skip them; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout; see docs/ci.md)"
                );
            }
            GitContext {
                history,
                today: jiff::ZonedDateTime::now().date(),
                stale_after_days: config.stale_after_days,
            }
        }),
        Err(error) => {
            eprintln!(
                "warning: cannot read the git history ({error}); stale and stale-updated are skipped"
            );
            None
        }
    }
}

/// Whether either history rule is on.
fn history_rules_on(checker: &Checker) -> bool {
    ["stale", "stale-updated"].iter().any(|rule| {
        checker
            .settings
            .grade(rule, specbook_diagnostics::Severity::Warning)
            .is_some()
    })
}

/// The folder whose git history covers the specs: the one folder they are all in.
fn history_folder(config: &Config, paths: &[PathBuf]) -> PathBuf {
    let folders: Vec<PathBuf> = if paths.is_empty() {
        config.spec_folders()
    } else {
        paths
            .iter()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .collect()
    };
    let folder = common_folder(&folders);
    if folder.is_dir() {
        folder
    } else {
        PathBuf::from(".")
    }
}

/// The project and its catalog: every spec checked, with its git history when `history`.
fn catalog(
    template: Option<&Path>,
    paths: &[PathBuf],
    history: bool,
) -> Result<(Project, Catalog)> {
    let mut project = project(template, paths)?;
    if history {
        let folder = history_folder(&project.config, paths);
        project.checker.git = git_context(&folder, &project.checker, &project.config);
    }
    let around = surroundings(&project.config, &project.templates, &project.files);
    open_check_cache(&mut project.checker, &project.config, &project.templates);
    let catalog = Catalog::load(&project.checker, &project.files, &around);
    save_check_cache(&mut project.checker);
    for error in &catalog.errors {
        eprintln!("warning: {error}");
    }
    Ok((project, catalog))
}

/// Gives `checker` what earlier runs found (see [`specbook_workspace::CheckCache`]), unless
/// `--no-cache`. Call it once the checker is complete: the cache is of its settings.
///
/// The cache is kept in the repository's `.git/specbook/`, or in `.specbook/` beside the
/// `specbook.toml` of a project outside git; a folder of Markdown that is neither gets no
/// folder of specbook's written into it.
fn open_check_cache(checker: &mut Checker, config: &Config, templates: &[PathBuf]) {
    if NO_CACHE.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return;
    };
    let state = specbook_workspace::state_dir(&config.root);
    if config.path.is_none() && state.ends_with(".specbook") {
        return;
    }
    let mut inputs = vec![program_identity()];
    for file in config.path.iter().chain(templates) {
        inputs.push(std::fs::read(file).unwrap_or_default());
    }
    let inputs: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
    checker.cache = Some(specbook_workspace::CheckCache::open(
        &config.root,
        checker,
        &inputs,
        &cwd,
    ));
}

/// Writes back what this run found. A cache that cannot be written only costs the next run
/// its speed, so that is not an error.
fn save_check_cache(checker: &mut Checker) {
    if let Some(cache) = checker.cache.take() {
        let _ = cache.save();
    }
}

/// What tells this program from another build of it: its version, and the size and date of
/// its executable (a rebuilt specbook of the same version may find other things).
fn program_identity() -> Vec<u8> {
    let mut identity = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        identity.extend(meta.len().to_le_bytes());
        if let Ok(since) = meta
            .modified()
            .map(|m| m.duration_since(std::time::UNIX_EPOCH).unwrap_or_default())
        {
            identity.extend(since.as_nanos().to_le_bytes());
        }
    }
    identity
}
