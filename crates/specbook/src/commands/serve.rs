//! `specbook serve`: the site built into a folder of its own in the system's temporary
//! folder (`specbook-serve-PID`, removed by the next `serve` once this one has ended), rebuilt
//! when specs, the template or the config change.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Result;
use specbook_server::{Build, Builder, ServeOptions, Whole};
use specbook_site::Site;
use specbook_workspace::{CheckOutcome, Surroundings};

use super::build::Prepared;

use crate::cli::ServeArgs;
use crate::exit;

pub(crate) fn run(args: &ServeArgs) -> Result<u8> {
    let project = super::project(args.site.template.as_deref(), &args.site.paths)?;
    if !args.host.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the specs",
            args.host
        );
    }
    let mut watch = if args.site.paths.is_empty() {
        project.config.spec_folders()
    } else {
        args.site.paths.clone()
    };
    watch.extend(project.config.path.clone());
    watch.extend(project.templates.clone());
    watch.extend(
        args.site
            .theme
            .clone()
            .or_else(|| project.config.site.theme.clone()),
    );
    let folder = site_folder();
    let build: Builder = Arc::new(Serving {
        args: args.site.clone(),
        folder: folder.clone(),
        last: Mutex::new(None),
    });
    let options = ServeOptions {
        address: (args.host, args.port).into(),
        watch,
        debounce: Duration::from_millis(150),
        // Tests shorten the wait for a client's headers.
        header_timeout: std::env::var("SPECBOOK_HEADER_TIMEOUT_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(specbook_server::HEADER_TIMEOUT, Duration::from_millis),
        ignore: folder
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .into_iter()
            .collect(),
    };
    let open = args.open;
    specbook_server::serve(&options, &build, |address| {
        let url = format!("http://{address}/");
        println!("serving the specs at {url} (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
        if open {
            open_browser(&url);
        }
    })?;
    Ok(exit::OK)
}

/// Where this process builds the site: `specbook-serve-PID` in the system's temporary folder.
/// The folders of `serve` processes that have ended (and what their builds left) are removed
/// on another thread, while this one starts: a `serve` is stopped with Ctrl-C, which leaves
/// no time to remove its own, and removing the 200,000 files of a large site takes seconds.
fn site_folder() -> PathBuf {
    let temporary = std::env::temp_dir();
    let folder = temporary.join(format!("specbook-serve-{}", std::process::id()));
    let ended = ended_site_folders(&temporary);
    if !ended.is_empty() {
        // Cut short when the process ends: the next `serve` goes on with it.
        let _ = std::thread::Builder::new()
            .name("specbook-remove".to_owned())
            .spawn(move || {
                for folder in ended {
                    let _ = std::fs::remove_dir_all(folder);
                }
            });
    }
    folder
}

/// The site folders in `temporary` of `serve` processes that have ended.
fn ended_site_folders(temporary: &Path) -> Vec<PathBuf> {
    let prefix = "specbook-serve-";
    let mut ended = Vec::new();
    if let Ok(entries) = std::fs::read_dir(temporary) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name
                .strip_prefix(prefix)
                .or_else(|| name.strip_prefix('.').and_then(|n| n.strip_prefix(prefix)))
            else {
                continue;
            };
            let pid: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if !pid.is_empty() && has_ended(&pid) {
                ended.push(entry.path());
            }
        }
    }
    ended
}

/// Whether the process `pid` has ended; `false` when that cannot be told (no `/proc`).
fn has_ended(pid: &str) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid).exists()
}

/// Opens `url` with the system's opener; a failure only costs the convenience.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({opener}: {error}); open {url} yourself");
    }
}

/// The site `serve` shows: built whole after every change (the spec pages that would come out
/// the same kept), and an edited spec's page made at once from the last whole build.
struct Serving {
    args: crate::cli::SiteArgs,
    /// Where the whole site is built, each time over the last one: only the pages whose spec
    /// (or what it shows) changed are rendered.
    folder: PathBuf,
    last: Mutex<Option<Last>>,
}

/// The last whole build: what it was made from, what the workspace rules see around one spec
/// checked again, and each spec's place in the catalog by its file's real path.
struct Last {
    prepared: Prepared,
    around: Surroundings,
    places: HashMap<PathBuf, usize>,
    /// Each spec's place by the names of its page and source view in the site.
    pages: HashMap<String, usize>,
}

impl Last {
    fn of(prepared: Prepared) -> Self {
        let around = prepared.project.around_catalog(&prepared.catalog);
        let entries = &prepared.catalog.entries;
        let places = entries
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| Some((entry.path.canonicalize().ok()?, i)))
            .collect();
        let pages = entries
            .iter()
            .enumerate()
            .flat_map(|(i, entry)| specbook_site::spec_page_names(entry).map(|name| (name, i)))
            .collect();
        Self {
            prepared,
            around,
            places,
            pages,
        }
    }
}

impl Build for Serving {
    fn site(&self) -> Result<Whole, String> {
        // Tests make the builds after the first slow, to see what shows before them.
        if let Some(ms) = std::env::var("SPECBOOK_SERVE_REBUILD_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            && self
                .last
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_some()
        {
            std::thread::sleep(Duration::from_millis(ms));
        }
        let shown = |error: anyhow::Error| format!("{error:#}");
        let prepared = Prepared::load(&self.args).map_err(shown)?;
        // Whole: the server reads the folder while the next build is made.
        let built = specbook_site::build_into_with(
            &prepared.input(),
            &prepared.options,
            &self.folder,
            specbook_site::Replace::Whole,
        )
        .map_err(|error| format!("cannot build the site: {error}"))?;
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(Last::of(prepared));
        Ok(Whole::Folder {
            path: self.folder.clone(),
            files: built.files,
        })
    }

    fn first(&self) -> Option<Result<Site, String>> {
        let first = Prepared::load(&self.args)
            .map_err(|error| format!("{error:#}"))
            .and_then(|prepared| {
                let site = specbook_site::build_overview(&prepared.input(), &prepared.options)
                    .map_err(|error| format!("cannot build the site: {error}"))?;
                *self.last.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some(Last::of(prepared));
                Ok(site)
            });
        Some(first)
    }

    fn file(&self, name: &str) -> Option<Vec<u8>> {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let last = last.as_ref()?;
        let place = *last.pages.get(name)?;
        let input = last.prepared.input();
        specbook_site::spec_page_files(&input, &last.prepared.options, place)
            .ok()?
            .into_iter()
            .find(|(file, _)| file == name)
            .map(|(_, bytes)| bytes)
    }

    fn quick(&self, changed: &[PathBuf]) -> Vec<(String, Vec<u8>)> {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(last) = last.as_ref() else {
            return Vec::new();
        };
        let mut places: Vec<usize> = changed
            .iter()
            .filter_map(|path| last.places.get(&path.canonicalize().ok()?).copied())
            .collect();
        places.sort_unstable();
        places.dedup();
        if places.is_empty() {
            return Vec::new();
        }
        let checker = &last.prepared.project.checker;
        let mut entries = last.prepared.catalog.entries.clone();
        for &place in &places {
            checked_again(checker, &last.around, &mut entries[place]);
        }
        let input = last.prepared.input_with(&entries);
        places
            .iter()
            .filter_map(|&place| {
                specbook_site::spec_page_files(&input, &last.prepared.options, place).ok()
            })
            .flatten()
            .collect()
    }
}

/// `entry` with its file checked again, as the whole build will check it (the workspace rules
/// seeing the other specs as the last build read them). A file that cannot be read is left
/// to the whole build.
fn checked_again(
    checker: &specbook_workspace::Checker,
    around: &Surroundings,
    entry: &mut specbook_workspace::Entry,
) {
    let Ok(bytes) = specbook_workspace::read_input(Path::new(&entry.path)) else {
        return;
    };
    let (report, facts) = checker.check_bytes_with_facts(&entry.path.display().to_string(), &bytes);
    let mut outcome = CheckOutcome {
        reports: vec![report],
        facts: vec![facts],
        errors: Vec::new(),
    };
    specbook_workspace::add_workspace_findings(checker, &mut outcome, around);
    if let (Some(report), Some(facts)) = (outcome.reports.pop(), outcome.facts.pop()) {
        entry.report = report;
        entry.meta = facts.meta;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folders of ended `serve` processes go, with what their builds left; those of
    /// running ones stay (told from `/proc`).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_site_folders_of_ended_serves_are_removed() {
        let temporary = std::env::temp_dir();
        // No process has this number; process 1 always runs.
        let ended = temporary.join("specbook-serve-4000000000");
        let leftover = temporary.join(".specbook-serve-4000000000.specbook-new-4000000000");
        let running = temporary.join("specbook-serve-1");
        for folder in [&ended, &leftover, &running] {
            std::fs::create_dir_all(folder.join("specs")).unwrap();
        }
        let mut found = ended_site_folders(&temporary);
        found.sort();
        assert!(
            found.contains(&ended) && found.contains(&leftover),
            "{found:?}"
        );
        assert!(!found.contains(&running));
        let own = site_folder();
        assert_eq!(
            own,
            temporary.join(format!("specbook-serve-{}", std::process::id()))
        );
        let start = std::time::Instant::now();
        while (ended.exists() || leftover.exists()) && start.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!ended.exists() && !leftover.exists());
        assert!(running.exists());
        let _ = std::fs::remove_dir_all(&running);
    }
}
