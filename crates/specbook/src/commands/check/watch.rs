//! `specbook check --watch`: the check again after each change to what it reads (the specs,
//! specbook.toml, the templates, the baseline), on a cleared screen, until Ctrl-C.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::cli::{CheckArgs, Format};
use crate::exit;

/// How long changes settle before the next check: an editor's save is often several events
/// (a temporary file written, then renamed over the spec).
const DEBOUNCE: Duration = Duration::from_millis(200);

/// What wakes the watch loop.
enum Wake {
    /// Paths that changed (some of them may be of no interest: see [`Targets::covers`]).
    Changed(Vec<PathBuf>),
    /// The watcher's own errors; watching goes on.
    Failed(String),
    /// Ctrl-C.
    Stop,
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

pub(crate) fn run(args: &CheckArgs) -> Result<u8> {
    if matches!(args.format, Format::Json | Format::Sarif | Format::Github) {
        anyhow::bail!(
            "--watch shows its reports to a person: use --format human or --format concise"
        );
    }
    let (sender, wakes) = mpsc::channel();
    let stop = sender.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    })
    .context("--watch: cannot catch Ctrl-C")?;
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let wake = match result {
            Ok(events) => Wake::Changed(
                events
                    .into_iter()
                    .filter(|e| !e.kind.is_access())
                    .flat_map(|e| e.event.paths)
                    .collect(),
            ),
            Err(errors) => Wake::Failed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = sender.send(wake);
    })
    .context("--watch: cannot watch for changes")?;
    let mut watched = Watched::default();
    let mut heading = "Starting check in watch mode...".to_owned();
    loop {
        // Before the check, so that nothing changed while it runs goes unseen; again each
        // time, since a change to specbook.toml may name other specs or templates.
        let targets = Targets::of(args, &watched.targets);
        watched.update(&mut debouncer, targets);
        clear_screen();
        if !args.quiet {
            // A closed pipe ends the run quietly in main.
            announce(&heading)?;
        }
        match super::check(args) {
            Ok(_) => {}
            // The reader went away: main ends quietly.
            Err(error) if crate::closed_pipe(&error) => return Err(error),
            // A configuration or template error is shown; the next change may fix it.
            Err(error) => crate::print_error(&error),
        }
        let _ = std::io::stdout().flush();
        match next_change(&wakes, &watched.targets) {
            Some(changed) => heading = format!("File change detected: {changed}"),
            None => return Ok(exit::OK),
        }
    }
}

/// Waits for a change to something checked and names it; `None` on Ctrl-C.
fn next_change(wakes: &mpsc::Receiver<Wake>, targets: &Targets) -> Option<String> {
    loop {
        let mut changed: Vec<PathBuf> = Vec::new();
        // Whatever else is already waiting belongs to the same change.
        for wake in std::iter::once(wakes.recv().ok()?).chain(wakes.try_iter()) {
            match wake {
                Wake::Stop => return None,
                Wake::Failed(message) => eprintln!("warning: --watch: {message}"),
                Wake::Changed(paths) => {
                    changed.extend(paths.into_iter().filter(|p| targets.covers(p)));
                }
            }
        }
        changed.sort();
        changed.dedup();
        if let Some(first) = changed.first() {
            let cwd = std::env::current_dir()
                .ok()
                .and_then(|cwd| cwd.canonicalize().ok());
            let shown = cwd
                .as_deref()
                .and_then(|cwd| first.strip_prefix(cwd).ok())
                .unwrap_or(first);
            let more = match changed.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            return Some(format!("{}{more}", crate::commands::shown(shown)));
        }
    }
}

/// Clears the terminal (and its scrollback) before each check; output to a file or a pipe
/// gets no escape codes.
fn clear_screen() {
    let mut stdout = std::io::stdout();
    if stdout.is_terminal() {
        let _ = stdout.write_all(b"\x1b[2J\x1b[3J\x1b[H");
    }
}

/// `[HH:MM:SS] what happened`, as ruff's watch mode says it.
fn announce(what: &str) -> std::io::Result<()> {
    let time = jiff::ZonedDateTime::now().strftime("%H:%M:%S");
    writeln!(std::io::stdout(), "[{time}] {what}")
}

/// What a check reads, as absolute paths: the folders of specs (watched with everything
/// under them) and single files (watched through their folder, since an editor that saves by
/// renaming replaces the file a watch would follow).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Targets {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
    /// `metadata`: the sidecar file name beside each spec (`kep.yaml`).
    sidecar: Option<String>,
}

impl Targets {
    /// The targets of a check with `args`. With a configuration that cannot be read, the
    /// `previous` ones; the first time, the paths given (else the current folder) and the
    /// configuration file.
    fn of(args: &CheckArgs, previous: &Targets) -> Self {
        let mut targets = match Self::configured(args) {
            Ok(targets) => targets,
            Err(_) if *previous != Targets::default() => return previous.clone(),
            Err(_) => Self {
                folders: if args.paths.is_empty() {
                    vec![PathBuf::from(".")]
                } else {
                    args.paths.clone()
                },
                files: config_files(&args.paths),
                sidecar: None,
            },
        };
        let (folders, files): (Vec<PathBuf>, Vec<PathBuf>) = targets
            .folders
            .drain(..)
            .chain(targets.files.drain(..))
            .partition(|p| p.is_dir());
        targets.folders = folders.iter().map(|p| absolute(p)).collect();
        targets.files = files.iter().map(|p| absolute(p)).collect();
        targets.folders.sort();
        targets.folders.dedup();
        targets.files.sort();
        targets.files.dedup();
        targets
    }

    fn configured(args: &CheckArgs) -> Result<Self> {
        let config = crate::commands::config_for(&args.paths)?;
        let folders = if !args.paths.is_empty() {
            args.paths.clone()
        } else if config.specs.is_empty() {
            // As `spec_files` walks: the current folder.
            vec![PathBuf::from(".")]
        } else {
            config.spec_folders()
        };
        let template = args
            .template
            .as_deref()
            .map(|flag| crate::commands::template_flag(flag, &config))
            .or_else(|| config.template.clone());
        let mut files: Vec<PathBuf> = config.path.iter().cloned().collect();
        files.extend(template);
        files.extend(config.templates.iter().map(|t| t.file.clone()));
        files.extend(args.baseline.clone().or_else(|| config.baseline.clone()));
        Ok(Self {
            folders,
            files,
            sidecar: config.metadata.clone(),
        })
    }

    /// Whether a change to `path` can change the check: one of the files, or a Markdown file
    /// or sidecar (or a folder, moved in or out) in a spec folder and not hidden there (the
    /// walk skips hidden files and folders, `.git` among them).
    fn covers(&self, path: &Path) -> bool {
        if self.files.iter().any(|f| f == path) {
            return true;
        }
        let visible = |folder: &PathBuf| {
            path.strip_prefix(folder).is_ok_and(|inside| {
                !inside
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
        };
        let is_spec = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        let is_sidecar = self
            .sidecar
            .as_deref()
            .is_some_and(|name| path.file_name().is_some_and(|n| n == name));
        self.folders.iter().any(visible) && (is_spec || is_sidecar || path.is_dir())
    }

    /// The watches these targets need: each folder with everything under it, each file's
    /// folder alone unless a folder already covers it.
    fn roots(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut roots: Vec<(PathBuf, RecursiveMode)> = self
            .folders
            .iter()
            .filter(|f| !self.folders.iter().any(|o| o != *f && f.starts_with(o)))
            .map(|f| (f.clone(), RecursiveMode::Recursive))
            .collect();
        for file in &self.files {
            let Some(parent) = file.parent() else {
                continue;
            };
            let covered = roots.iter().any(|(root, mode)| {
                root == parent || (*mode == RecursiveMode::Recursive && parent.starts_with(root))
            });
            if !covered && parent.is_dir() {
                roots.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        roots
    }
}

/// The configuration file a check would read, when it cannot be loaded: `--config`, else the
/// nearest specbook.toml above the current folder or the first path.
fn config_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    if let Some(file) = crate::commands::CONFIG_FILE.get() {
        return vec![file.clone()];
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    std::iter::once(cwd.clone())
        .chain(paths.first().map(|first| cwd.join(first)))
        .filter_map(|start| {
            start
                .ancestors()
                .map(|folder| folder.join(specbook_workspace::CONFIG_FILE))
                .find(|candidate| candidate.is_file())
        })
        .collect()
}

/// `path` absolute and with symlinks resolved, as the watcher reports paths; for a file that
/// does not exist (yet), its folder resolved.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(path) = path.canonicalize() {
        return path;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map_or_else(|_| absolute.clone(), |parent| parent.join(name)),
        _ => absolute,
    }
}

/// The watches in place and the targets they were made for.
#[derive(Default)]
struct Watched {
    targets: Targets,
    roots: Vec<(PathBuf, RecursiveMode)>,
}

impl Watched {
    /// Watches what `targets` need and stops watching what they no longer do. A path that
    /// cannot be watched is a warning: the rest still is.
    fn update(&mut self, debouncer: &mut Debouncer, targets: Targets) {
        let roots = targets.roots();
        for root in self.roots.iter().filter(|r| !roots.contains(r)) {
            let _ = debouncer.unwatch(&root.0);
        }
        for (path, mode) in roots.iter().filter(|r| !self.roots.contains(r)) {
            if let Err(error) = debouncer.watch(path, *mode) {
                eprintln!(
                    "warning: --watch: cannot watch {}: {error}",
                    crate::commands::shown(path)
                );
            }
        }
        self.roots = roots;
        self.targets = targets;
    }
}
