//! Bounded, regular inputs: a device, a FIFO, a huge file or an unreadable folder named as a
//! spec, template or configuration is a clear finding or error for that path, never a hang
//! or a run that eats the memory, and the other files are still checked.

use std::fs;
use std::path::Path;

use crate::fixtures;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs specbook in `root` under a 2 GB address-space limit (a run reading `/dev/zero` would
/// hit it and die) and a 60 s timeout (one blocked on a FIFO would hit that).
fn bounded(root: &Path, args: &[&str]) -> Run {
    let binary = assert_cmd::cargo::cargo_bin!("specbook");
    let script = "ulimit -v 2000000; exec timeout 60 \"$SPECBOOK_BINARY\" \"$@\"";
    let out = std::process::Command::new("sh")
        .current_dir(root)
        .env("SPECBOOK_BINARY", binary)
        .env("NO_COLOR", "1")
        .env("SPECBOOK_EDIT_GUARD_MS", "0")
        .args(["-c", script, "sh"])
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("specs")).unwrap();
    fs::copy(
        fixtures().join("finished.md"),
        root.join("specs/0001-good.md"),
    )
    .unwrap();
    fs::write(root.join("specbook.toml"), "specs = \"specs\"\n").unwrap();
    dir
}

fn mkfifo(path: &Path) {
    assert!(
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn dev_zero_and_fifo_templates_are_errors_naming_the_path() {
    let dir = workspace();
    let root = dir.path();
    std::os::unix::fs::symlink("/dev/zero", root.join("t.md")).unwrap();
    mkfifo(&root.join("fifo.md"));
    for (template, what) in [
        ("t.md", "a character device"),
        ("/dev/zero", "a character device"),
        ("fifo.md", "a FIFO"),
    ] {
        fs::write(
            root.join("specbook.toml"),
            format!("specs = \"specs\"\ntemplate = \"{template}\"\n"),
        )
        .unwrap();
        let out = bounded(root, &["check"]);
        assert_eq!(out.code, Some(2), "{template}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "not a regular file ({what}); specbook reads only regular files"
            )) && out.stderr.contains(template),
            "{template}: {}",
            out.stderr
        );
    }
}

#[test]
fn dev_zero_fifo_and_huge_specs_are_findings_and_the_rest_is_checked() {
    let dir = workspace();
    let root = dir.path();
    std::os::unix::fs::symlink("/dev/zero", root.join("specs/0002-zero.md")).unwrap();
    mkfifo(&root.join("specs/0003-fifo.md"));
    fs::write(root.join("specs/0004-huge.md"), "# Huge\n".repeat(1500)).unwrap();
    fs::write(
        root.join("specbook.toml"),
        "specs = \"specs\"\nmax_file_size = \"8 KB\"\n",
    )
    .unwrap();
    let out = bounded(root, &["check"]);
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    let findings: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("error[unreadable]"))
        .collect();
    assert_eq!(
        findings,
        [
            "error[unreadable]: specbook cannot read this: not a regular file (a character device); specbook reads only regular files",
            "error[unreadable]: specbook cannot read this: not a regular file (a FIFO); specbook reads only regular files",
            "error[unreadable]: specbook cannot read this: 10.3 KB is over the 8.0 KB limit for one file (`max_file_size` in specbook.toml)",
        ],
        "{}",
        out.stdout
    );
    // The good spec was checked (and is clean).
    assert!(out.stdout.contains("4 files"), "{}", out.stdout);
    assert!(!out.stdout.contains("0001-good.md:"), "{}", out.stdout);
}

#[test]
fn a_bad_size_limit_is_a_configuration_error() {
    let dir = workspace();
    fs::write(
        dir.path().join("specbook.toml"),
        "specs = \"specs\"\nmax_file_size = \"lots\"\n",
    )
    .unwrap();
    let out = bounded(dir.path(), &["check"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("max_file_size: `\"lots\"` is not a size; write a number of bytes or a size such as \"32 MB\""),
        "{}",
        out.stderr
    );
}

/// Runs specbook as an unprivileged user (root reads everything, so the test drops to
/// `nobody` when it runs as root).
fn unprivileged(root: &Path, args: &[&str]) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin!("specbook");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut command = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(binary);
        c
    } else {
        std::process::Command::new(binary)
    };
    command
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("HOME", root)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_unreadable_folder_or_file_is_a_finding_not_an_abort() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace();
    let root = dir.path();
    fs::create_dir(root.join("specs/private")).unwrap();
    fs::copy(
        fixtures().join("finished.md"),
        root.join("specs/private/0005-secret.md"),
    )
    .unwrap();
    fs::copy(
        fixtures().join("finished.md"),
        root.join("specs/0006-locked.md"),
    )
    .unwrap();
    let mode = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    };
    // Everything readable by anyone, but the two.
    mode(root, 0o755);
    mode(&root.join("specs"), 0o755);
    for file in ["specbook.toml", "specs/0001-good.md"] {
        mode(&root.join(file), 0o644);
    }
    mode(&root.join("specs/private"), 0o000);
    mode(&root.join("specs/0006-locked.md"), 0o000);
    let out = unprivileged(root, &["check"]);
    mode(&root.join("specs/private"), 0o755);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("error[unreadable]: specbook cannot read this: permission denied")
            && stdout.contains("specs/private"),
        "{stdout}{stderr}"
    );
    assert!(
        stdout.contains("specs/0006-locked.md") && stdout.matches("error[unreadable]").count() == 2,
        "{stdout}"
    );
}
