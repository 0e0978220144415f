//! Writes that cannot lose a user's work: `check --fix` racing an editor's saves, concurrent
//! writers waiting for the lock, and changes that are all or nothing when the process dies at
//! any step.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use crate::{run, specbook};

/// `specbook` as a plain process, to run several at once.
fn process(root: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin!("specbook"));
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    command
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", repository)
        .env("SPECBOOK_EDIT_GUARD_MS", "0")
        .env_remove("GIT_DIR");
    command
}

pub(crate) const TEMPLATE: &str = "# [Name] Technical Specification

## Front Matter

- **Author(s):** [Names]
- **Status:** [Draft/Review/Approved]
- **Related:** [Specs]

## Summary

[One paragraph]

## Design

[How it works]
";

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// A workspace with the template and `specs/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("specbook.toml"),
        "template = \"template.md\"\nspecs = \"specs\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("template.md"), TEMPLATE).unwrap();
    fs::create_dir(dir.path().join("specs")).unwrap();
    dir
}

/// Version `n` of the spec an editor is saving: complete but for its `Design` section, which
/// `check --fix` adds. Long enough that an in-place save takes several writes.
fn version(n: usize) -> String {
    let filler = "The limiter counts requests per client in a sliding window. ".repeat(40);
    format!(
        "# Rate Limiter Technical Specification\n\n## Front Matter\n\n- **Author(s):** Ada\n- **Status:** Draft\n\n## Summary\n\nVersion {n}. {filler}\n"
    )
}

/// The temporary files and journal specbook keeps: none may remain after a run.
fn leftovers(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = fs::read_dir(root.join(".specbook/tmp")) {
        found.extend(entries.flatten().map(|e| e.path()));
    }
    let journal = root.join(".specbook/journal.json");
    if journal.exists() {
        found.push(journal);
    }
    for entry in fs::read_dir(root.join("specs")).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            found.push(entry.path());
        }
    }
    found
}

#[derive(Default, Debug)]
struct Race {
    trials: usize,
    corrupt: usize,
    /// Saves lost that finished after specbook's final check of the file (the contract
    /// allows them).
    lost_after_check: usize,
    /// Saves lost that finished before it (the contract forbids them).
    lost_before_check: usize,
    fixed: usize,
}

/// Saves versions `1..=saves` of the spec, in place (truncate, then several writes) or by
/// rename, a few milliseconds apart; returns when each save finished.
fn edit(path: &Path, saves: usize, in_place: bool) -> Vec<u128> {
    let mut done = Vec::new();
    for n in 1..=saves {
        let text = version(n);
        if in_place {
            use std::io::Write as _;
            let mut file = fs::File::create(path).unwrap();
            for chunk in text.as_bytes().chunks(text.len() / 4 + 1) {
                file.write_all(chunk).unwrap();
                file.flush().unwrap();
                std::thread::sleep(Duration::from_micros(500));
            }
        } else {
            let temp = path.with_extension("md.editor-swap");
            fs::write(&temp, &text).unwrap();
            fs::rename(&temp, path).unwrap();
        }
        done.push(nanos());
        std::thread::sleep(Duration::from_millis(2));
    }
    done
}

#[test]
fn check_fix_racing_an_editor_never_corrupts_and_loses_only_later_saves() {
    let dir = workspace();
    let root = dir.path();
    let spec = root.join("specs/0001-rate-limiter.md");
    // What --fix makes of version 0, and so of every version.
    fs::write(&spec, version(0)).unwrap();
    let out = run(root, &["check", "--fix", "specs/0001-rate-limiter.md"]);
    assert!(out.stderr.contains("fixed 1 file"), "{}", out.stderr);
    let fixed_0 = fs::read_to_string(&spec).unwrap();
    assert_ne!(fixed_0, version(0));
    let fixed = |n: usize| fixed_0.replace("Version 0.", &format!("Version {n}."));
    let saves = 4;
    let mut race = Race::default();
    let trace = root.join("trace.txt");
    for trial in 0..200 {
        let in_place = trial % 2 == 0;
        fs::write(&spec, version(0)).unwrap();
        let _ = fs::remove_file(&trace);
        let editor = {
            let spec = spec.clone();
            std::thread::spawn(move || edit(&spec, saves, in_place))
        };
        // `check --fix` again and again while the editor saves, and once after. An in-place
        // save is a file being rewritten: the edit guard (a quiet time longer than the pauses
        // between its writes) keeps specbook off it. A rename is atomic: no guard is needed,
        // the exchange and the check of the displaced file do the work.
        let guard = if in_place { "20" } else { "0" };
        let mut runs = 0;
        while !editor.is_finished() || runs == 0 {
            let status = process(root)
                .args(["check", "--fix", "specs/0001-rate-limiter.md"])
                .env("SPECBOOK_EDIT_GUARD_MS", guard)
                .env("SPECBOOK_WRITE_TRACE", &trace)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.code().is_some_and(|c| c < 2), "{status}");
            runs += 1;
        }
        let done = editor.join().unwrap();
        race.trials += 1;
        let last = fs::read_to_string(&spec).unwrap();
        let Some((n, was_fixed)) = (0..=saves).find_map(|n| {
            if last == version(n) {
                Some((n, false))
            } else if last == fixed(n) {
                Some((n, true))
            } else {
                None
            }
        }) else {
            race.corrupt += 1;
            continue;
        };
        if was_fixed {
            race.fixed += 1;
            // The final check of the write that left this content.
            let checked: u128 = fs::read_to_string(&trace)
                .unwrap_or_default()
                .lines()
                .filter(|l| l.contains(" wrote "))
                .filter_map(|l| l.split(' ').next()?.parse().ok())
                .max()
                .expect("a fixed file was written");
            for &finished in &done[n..] {
                if finished < checked {
                    race.lost_before_check += 1;
                } else {
                    race.lost_after_check += 1;
                }
            }
        } else if n != saves {
            // The editor's last save replaced by an older version: no write of specbook's
            // can do that.
            race.lost_before_check += saves - n;
        }
        assert_eq!(leftovers(root), Vec::<PathBuf>::new(), "trial {trial}");
    }
    eprintln!("editor race: {race:?}");
    assert_eq!(race.corrupt, 0, "{race:?}");
    assert_eq!(race.lost_before_check, 0, "{race:?}");
    assert!(
        race.fixed > 0,
        "the fixes must have happened sometimes: {race:?}"
    );
}

#[test]
fn a_file_saved_a_moment_ago_is_left_for_the_next_run() {
    let dir = workspace();
    let root = dir.path();
    let spec = root.join("specs/0001-rate-limiter.md");
    fs::write(&spec, version(1)).unwrap();
    let out = specbook(root)
        .args(["check", "--fix"])
        .env("SPECBOOK_EDIT_GUARD_MS", "60000")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("specs/0001-rate-limiter.md: skipped: being edited (modified less than a second ago); run again to fix it"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&spec).unwrap(), version(1));
    // The report is of the file as it is: the section is still missing.
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("missing section `Design`"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Starts `count` commands at once and waits for all of them.
fn at_once(root: &Path, commands: &[Vec<String>]) -> Vec<std::process::Output> {
    let children: Vec<_> = commands
        .iter()
        .map(|args| {
            process(root)
                .args(args)
                .env("SPECBOOK_LOCK_TIMEOUT_MS", "60000")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

#[test]
fn twenty_concurrent_new_get_twenty_numbers_and_overwrite_nothing() {
    for same_title in [true, false] {
        let dir = workspace();
        let root = dir.path();
        let commands: Vec<Vec<String>> = (0..20)
            .map(|i| {
                let title = if same_title {
                    "Rate Limiter".to_owned()
                } else {
                    format!("Feature {i}")
                };
                vec![
                    "new".to_owned(),
                    title,
                    "--author".to_owned(),
                    format!("A{i}"),
                ]
            })
            .collect();
        let outputs = at_once(root, &commands);
        for out in &outputs {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut names: Vec<String> = fs::read_dir(root.join("specs"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let numbers: Vec<String> = names.iter().map(|n| n[..4].to_owned()).collect();
        let expected: Vec<String> = (1..=20).map(|n| format!("{n:04}")).collect();
        assert_eq!(numbers, expected, "same title: {same_title}: {names:?}");
        // Each file is one command's: twenty different authors.
        let mut authors: Vec<String> = names
            .iter()
            .map(|n| {
                let text = fs::read_to_string(root.join("specs").join(n)).unwrap();
                text.lines()
                    .find(|l| l.contains("Author"))
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        authors.sort();
        authors.dedup();
        assert_eq!(authors.len(), 20, "{authors:?}");
    }
}

const FINISHED: &str = "# Rate Limiter Technical Specification

## Front Matter

- **Author(s):** Ada
- **Status:** Draft

## Summary

Limits requests.

## Design

A sliding window.
";

#[test]
fn status_and_link_at_once_both_land() {
    for round in 0..15 {
        let dir = workspace();
        let root = dir.path();
        fs::write(root.join("specs/0001-limiter.md"), FINISHED).unwrap();
        fs::write(
            root.join("specs/0002-quota.md"),
            FINISHED.replace("Rate Limiter", "Quota"),
        )
        .unwrap();
        let outputs = at_once(
            root,
            &[
                vec![
                    "status".into(),
                    "1".into(),
                    "Review".into(),
                    "--force".into(),
                    "--reason".into(),
                    "test".into(),
                ],
                vec!["link".into(), "1".into(), "2".into()],
            ],
        );
        for out in &outputs {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let one = fs::read_to_string(root.join("specs/0001-limiter.md")).unwrap();
        assert!(
            one.contains("- **Status:** Review"),
            "round {round}:\n{one}"
        );
        assert!(one.contains("0002"), "round {round}:\n{one}");
    }
}

#[test]
fn a_writer_waits_then_names_the_holder() {
    let dir = workspace();
    let root = dir.path();
    fs::write(root.join("specs/0001-limiter.md"), FINISHED).unwrap();
    fs::create_dir_all(root.join(".specbook")).unwrap();
    let lock = fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(root.join(".specbook/lock"))
        .unwrap();
    lock.lock().unwrap();
    fs::write(root.join(".specbook/lock"), "pid 4242: specbook renumber 7").unwrap();
    let out = specbook(root)
        .args(["status", "1", "Review", "--force", "--reason", "x"])
        .env("SPECBOOK_LOCK_TIMEOUT_MS", "300")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "another specbook command is writing in this repository (pid 4242: specbook renumber 7); waited 0.3 s for it"
        ),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(root.join("specs/0001-limiter.md")).unwrap(),
        FINISHED
    );
    drop(lock);
    let out = run(root, &["status", "1", "Review", "--force", "--reason", "x"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Runs `args` with the process made to die at `step` of its change; `false` when it ran to
/// the end (there is no such step).
fn crash_at(root: &Path, args: &[&str], step: usize) -> bool {
    let status = process(root)
        .args(args)
        .env("SPECBOOK_TEST_CRASH_AT", step.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    status.code().is_none()
}

#[test]
fn a_change_killed_at_any_step_is_all_or_nothing_after_the_next_run() {
    for step in 0.. {
        let dir = workspace();
        let root = dir.path();
        let one = root.join("specs/0001-limiter.md");
        let two = root.join("specs/0002-quota.md");
        fs::write(&one, FINISHED).unwrap();
        fs::write(&two, FINISHED.replace("Rate Limiter", "Quota")).unwrap();
        let before = (fs::read(&one).unwrap(), fs::read(&two).unwrap());
        if !crash_at(root, &["supersede", "1", "2"], step) {
            assert!(step > 4, "a two-file change has more steps than {step}");
            break;
        }
        // The next command, even one that only reads, finishes the change first.
        let out = run(root, &["list"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let after = (fs::read(&one).unwrap(), fs::read(&two).unwrap());
        let old_kept = after.0 == before.0;
        let new_kept = after.1 == before.1;
        assert_eq!(
            old_kept,
            new_kept,
            "step {step}: half applied:\n{}\n{}",
            String::from_utf8_lossy(&after.0),
            String::from_utf8_lossy(&after.1)
        );
        if !old_kept {
            assert!(
                String::from_utf8_lossy(&after.0).contains("Superseded"),
                "step {step}"
            );
            assert!(
                out.stderr.contains("note: completed a change"),
                "{}",
                out.stderr
            );
        }
        assert_eq!(leftovers(root), Vec::<PathBuf>::new(), "step {step}");
    }
}

#[test]
fn a_renumber_killed_at_any_step_leaves_one_spec_and_its_links_consistent() {
    for step in 0.. {
        let dir = workspace();
        let root = dir.path();
        fs::write(root.join("specs/0001-limiter.md"), FINISHED).unwrap();
        fs::write(
            root.join("specs/0001-quota.md"),
            FINISHED.replace("A sliding window.", "See [the limiter](0001-limiter.md)."),
        )
        .unwrap();
        if !crash_at(root, &["renumber", "specs/0001-limiter.md"], step) {
            assert!(step > 3, "{step}");
            break;
        }
        let out = run(root, &["list"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let old = root.join("specs/0001-limiter.md").exists();
        let new = root.join("specs/0002-limiter.md").exists();
        assert!(old != new, "step {step}: old {old}, new {new}");
        let quota = fs::read_to_string(root.join("specs/0001-quota.md")).unwrap();
        let linked_new = quota.contains("0002-limiter.md");
        assert_eq!(linked_new, new, "step {step}: {quota}");
        assert_eq!(leftovers(root), Vec::<PathBuf>::new(), "step {step}");
    }
}
