//! The crash harness: each writing command killed with SIGKILL at random moments of its run.
//! Right after the kill every file must be byte for byte its old or its new content; after
//! the next specbook run (which completes or rolls back an interrupted change) no temporary
//! file or journal remains and a multi-file change is all or nothing.
//!
//! `cargo test` kills each command `CRASH_KILLS` times (default 12); `bench/crash.sh` runs the
//! same harness with hundreds and prints the counts. `CRASH_SEED` changes the moments.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::run;
use crate::writes::TEMPLATE;

fn spec(title: &str, body: &str) -> String {
    format!(
        "# {title} Technical Specification\n\n## Front Matter\n\n- **Author(s):** Ada\n- **Status:** Draft\n\n## Summary\n\n{body}\n\n## Design\n\nA sliding window.\n"
    )
}

/// The project every trial starts from: five specs (two missing their `Design` section, for
/// `check --fix`; one linking to another, for `renumber`), and a site built before the last
/// edit, so that `build` has an old site to replace.
fn base() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("specbook.toml"),
        "template = \"template.md\"\nspecs = \"specs\"\n",
    )
    .unwrap();
    fs::write(root.join("template.md"), TEMPLATE).unwrap();
    fs::create_dir(root.join("specs")).unwrap();
    let filler = "The limiter counts requests per client in a sliding window. ".repeat(30);
    for (name, title) in [
        ("0001-limiter.md", "Rate Limiter"),
        ("0002-quota.md", "Quota"),
        ("0003-billing.md", "Billing"),
    ] {
        let body = format!("{filler} See [the audit log](0005-audit.md).");
        fs::write(root.join("specs").join(name), spec(title, &body)).unwrap();
    }
    for (name, title) in [("0004-cache.md", "Cache"), ("0005-audit.md", "Audit Log")] {
        let text = spec(title, &filler);
        let cut = text.find("## Design").unwrap();
        fs::write(root.join("specs").join(name), &text[..cut]).unwrap();
    }
    let out = run(root, &["build", "--out", "site"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let quota = root.join("specs/0002-quota.md");
    let text = fs::read_to_string(&quota).unwrap();
    fs::write(&quota, text.replace("Quota Technical", "Quotas Technical")).unwrap();
    dir
}

/// Every regular file under `root` but specbook's own state folder, by relative path.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            if relative == Path::new(".specbook") {
                continue;
            }
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                folders.push(path);
            } else if entry.file_name() == specbook_site::MANIFEST {
                // The stamps of the files a build wrote, different in every build: only
                // whether there is one is compared.
                files.insert(relative, b"a manifest".to_vec());
            } else {
                files.insert(relative, fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

/// The journal and temporary files specbook keeps in its state folder.
fn state_leftovers(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(root.join(".specbook/tmp"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    let journal = root.join(".specbook/journal.json");
    if journal.exists() {
        found.push(journal);
    }
    found
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in snapshot(from) {
        let path = to.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

fn command(root: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("specbook"));
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    command
        .current_dir(root)
        .args(args)
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", repository)
        .env("SPECBOOK_EDIT_GUARD_MS", "0")
        .env_remove("GIT_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// xorshift64*: reproducible moments without a dependency.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % below.max(1)
    }
}

#[derive(Debug, Default)]
struct Counts {
    trials: usize,
    /// Killed while it ran (the others had finished before the kill).
    killed_running: usize,
    corrupt: usize,
    half_applied: usize,
    leftovers: usize,
}

struct Case {
    args: &'static [&'static str],
    /// The run after the kill: what completes or rolls back the change.
    next: &'static [&'static str],
    /// Files must be all old or all new (one change); else each file on its own.
    all_or_nothing: bool,
}

const CASES: &[Case] = &[
    Case {
        args: &["new", "Crash Test"],
        next: &["list"],
        all_or_nothing: true,
    },
    Case {
        args: &["status", "1", "Review", "--force", "--reason", "crash test"],
        next: &["list"],
        all_or_nothing: true,
    },
    Case {
        args: &["supersede", "1", "2"],
        next: &["list"],
        all_or_nothing: true,
    },
    Case {
        args: &["link", "2", "3"],
        next: &["list"],
        all_or_nothing: true,
    },
    Case {
        args: &["renumber", "5"],
        next: &["list"],
        all_or_nothing: true,
    },
    Case {
        args: &["index"],
        next: &["list"],
        all_or_nothing: true,
    },
    Case {
        args: &["check", "--fix"],
        next: &["list"],
        all_or_nothing: false,
    },
    Case {
        args: &["build", "--out", "site"],
        next: &["build", "--out", "site"],
        all_or_nothing: true,
    },
];

/// Whether `state` is, file by file, `old` or `new` (temporary files aside when `temporary`
/// is allowed); the paths that are neither.
fn mixed(
    state: &BTreeMap<PathBuf, Vec<u8>>,
    old: &BTreeMap<PathBuf, Vec<u8>>,
    new: &BTreeMap<PathBuf, Vec<u8>>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut corrupt = Vec::new();
    let mut unknown = Vec::new();
    let paths: std::collections::BTreeSet<&PathBuf> =
        state.keys().chain(old.keys()).chain(new.keys()).collect();
    for path in paths {
        let (now, before, after) = (state.get(path), old.get(path), new.get(path));
        if now == before || now == after {
            continue;
        }
        if before.is_none() && after.is_none() {
            unknown.push(path.clone());
        } else {
            corrupt.push(path.clone());
        }
    }
    (corrupt, unknown)
}

fn harness(kills: usize, seed: u64) -> Vec<(String, Counts, Duration)> {
    let base = base();
    let old = snapshot(base.path());
    let mut moments = Moments(seed | 1);
    let mut report = Vec::new();
    for case in CASES {
        // The new state, and how long a whole run takes.
        // The shortest of three runs: the first of a new binary is slow (its pages are not
        // cached yet), and kills timed by it would land after the later runs have ended.
        let mut took = Duration::MAX;
        let mut reference = tempfile::tempdir().unwrap();
        let mut status = None;
        for _ in 0..3 {
            reference = tempfile::tempdir().unwrap();
            copy_tree(base.path(), reference.path());
            let started = Instant::now();
            status = Some(command(reference.path(), case.args).status().unwrap());
            took = took.min(started.elapsed());
        }
        let status = status.expect("ran three times");
        // `check --fix` exits 1 when findings remain.
        assert!(
            status.code().is_some_and(|c| c < 2),
            "{:?} failed on the base project",
            case.args
        );
        let new = snapshot(reference.path());
        assert_ne!(old, new, "{:?} changed nothing", case.args);

        let mut counts = Counts::default();
        let window = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        for _ in 0..kills {
            let trial = tempfile::tempdir().unwrap();
            let root = trial.path();
            copy_tree(base.path(), root);
            let mut child = command(root, case.args).spawn().unwrap();
            std::thread::sleep(Duration::from_micros(moments.next(window)));
            let running = child.try_wait().unwrap().is_none();
            let _ = child.kill();
            let _ = child.wait();
            counts.trials += 1;
            counts.killed_running += usize::from(running);

            // Right after the kill: each file one whole version.
            let state = snapshot(root);
            let (corrupt, _temporary) = mixed(&state, &old, &new);
            if !corrupt.is_empty() {
                eprintln!("{:?}: corrupt right after the kill: {corrupt:?}", case.args);
                counts.corrupt += 1;
            }

            // After the next run: all or nothing, nothing left behind.
            let out = run(root, case.next);
            assert!(
                out.code < 2,
                "{:?} after a killed {:?}: {}",
                case.next,
                case.args,
                out.stderr
            );
            let state = snapshot(root);
            let (corrupt, unknown) = mixed(&state, &old, &new);
            if !corrupt.is_empty() {
                eprintln!("{:?}: corrupt after the next run: {corrupt:?}", case.args);
                counts.corrupt += 1;
            }
            let whole = state == old || state == new;
            if case.all_or_nothing && !whole && corrupt.is_empty() && unknown.is_empty() {
                eprintln!("{:?}: half applied after the next run", case.args);
                counts.half_applied += 1;
            }
            let left: Vec<PathBuf> = unknown.into_iter().chain(state_leftovers(root)).collect();
            if !left.is_empty() {
                eprintln!("{:?}: left behind after the next run: {left:?}", case.args);
                counts.leftovers += 1;
            }
        }
        report.push((case.args.join(" "), counts, took));
    }
    report
}

#[test]
fn every_writing_command_killed_at_random_moments_is_whole_and_leaves_nothing() {
    let kills = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(12);
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let report = harness(kills, seed);
    println!(
        "{:<44} {:>6} {:>8} {:>8} {:>6} {:>10} {:>8}",
        "command", "kills", "running", "corrupt", "half", "leftovers", "run ms"
    );
    for (command, counts, took) in &report {
        println!(
            "{command:<44} {:>6} {:>8} {:>8} {:>6} {:>10} {:>8}",
            counts.trials,
            counts.killed_running,
            counts.corrupt,
            counts.half_applied,
            counts.leftovers,
            took.as_millis()
        );
    }
    for (command, counts, _) in &report {
        assert_eq!(
            (counts.corrupt, counts.half_applied, counts.leftovers),
            (0, 0, 0),
            "{command}: {counts:?}"
        );
        assert!(
            counts.killed_running * 4 >= counts.trials,
            "{command}: too few kills landed while it ran: {counts:?}"
        );
    }
}
