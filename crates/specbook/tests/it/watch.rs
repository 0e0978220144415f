//! `specbook check --watch` as a process: a check after each change, until Ctrl-C.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{fixtures, run, specbook_process};

/// Long enough for a loaded machine; the waits end as soon as the output is there.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `specbook`, its output collected as it comes, killed when dropped.
struct Running {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    /// The threads copying the output, done once the process has ended and they read it all.
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Running {
    fn start(dir: &Path, args: &[&str]) -> Self {
        let mut child = specbook_process(dir)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("specbook starts");
        let mut readers = Vec::new();
        let mut collect = |mut pipe: Box<dyn Read + Send>| {
            let text = Arc::new(Mutex::new(String::new()));
            let sink = Arc::clone(&text);
            readers.push(std::thread::spawn(move || {
                let mut chunk = [0; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                    sink.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            }));
            text
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Self {
            child,
            stdout,
            stderr,
            readers,
        }
    }

    fn output(&self) -> (String, String) {
        (
            self.stdout.lock().unwrap().clone(),
            self.stderr.lock().unwrap().clone(),
        )
    }

    /// Waits until standard output satisfies `ready`; fails, showing the output, when the
    /// process ends first or after [`PATIENCE`].
    fn wait_for(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let (stdout, stderr) = self.output();
            if ready(&stdout) {
                return;
            }
            let ended = self.child.try_wait().unwrap();
            assert!(
                ended.is_none() && start.elapsed() < PATIENCE,
                "no {what} ({ended:?}):\n{stdout}\n-- stderr:\n{stderr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The exit code once the process ends by itself; fails after [`PATIENCE`].
    fn exit_code(&mut self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
                return status.code().unwrap_or(-1);
            }
            let (stdout, stderr) = self.output();
            assert!(
                start.elapsed() < PATIENCE,
                "still running:\n{stdout}\n-- stderr:\n{stderr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The output of the latest check: after the last `[HH:MM:SS] ...` line, that line included.
fn latest(stdout: &str) -> &str {
    stdout
        .rfind("] File change detected: ")
        .or_else(|| stdout.rfind("] Starting check in watch mode..."))
        .map_or("", |i| &stdout[i..])
}

/// A spec gains a finding and loses it again, specbook.toml is broken and mended: each change
/// is checked again, the configuration error is shown and watching goes on, and Ctrl-C ends
/// it with exit 0.
#[cfg(unix)]
#[test]
fn watch_checks_again_after_each_change_until_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    let spec = root.join("specs/0001-webhook-delivery.md");
    fs::write(&spec, &finished).unwrap();
    let mut watching = Running::start(root, &["check", "--watch"]);
    watching.wait_for("first report", |out| {
        latest(out).starts_with("] Starting check in watch mode...\nChecked 1 file: no problems")
    });

    let placeholder = finished.replace("- **Team:** Integrations", "- **Team:** [Team Name]");
    fs::write(&spec, &placeholder).unwrap();
    watching.wait_for("check after the edit", |out| {
        let latest = latest(out);
        latest.starts_with("] File change detected: specs/0001-webhook-delivery.md\n")
            && latest.contains("error[placeholder]: placeholder `[Team Name]`")
            && latest.contains("Checked 1 file: 1 error, 0 warnings.")
    });

    let config = root.join("specbook.toml");
    let good = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{good}\nspecs = [\n")).unwrap();
    watching.wait_for("check after breaking specbook.toml", |out| {
        latest(out).starts_with("] File change detected: specbook.toml\n")
    });
    let start = Instant::now();
    while !watching.output().1.contains("specbook.toml: line") && start.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(50));
    }
    let (stdout, stderr) = watching.output();
    assert!(
        stderr.contains("error: ") && stderr.contains("specbook.toml: line"),
        "the configuration error is shown:\n{stdout}\n-- stderr:\n{stderr}"
    );
    fs::write(&config, &good).unwrap();
    watching.wait_for("check after mending specbook.toml", |out| {
        let latest = latest(out);
        latest.starts_with("] File change detected: specbook.toml\n")
            && latest.contains("Checked 1 file: 1 error, 0 warnings.")
    });

    fs::write(&spec, &finished).unwrap();
    watching.wait_for("check after removing the finding", |out| {
        let latest = latest(out);
        latest.starts_with("] File change detected: specs/0001-webhook-delivery.md\n")
            && latest.contains("Checked 1 file: no problems found.")
    });
    let (stdout, _) = watching.output();
    assert!(
        !stdout.contains('\u{1b}'),
        "no screen clearing into a pipe: {stdout:?}"
    );

    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &watching.child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert_eq!(watching.exit_code(), 0, "Ctrl-C ends watching with exit 0");
}

/// `--watch` checks and shows; it does not fix, diff, record a baseline or read standard
/// input, and it does not print for machines.
#[test]
fn watch_refuses_flags_it_cannot_honour() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let conflict = "error: the argument '--watch' cannot be used with";
    let machine =
        "error: --watch shows its reports to a person: use --format human or --format concise";
    let refused: [(&[&str], &str); 7] = [
        (&["--fix"], conflict),
        (&["--diff"], conflict),
        (&["--write-baseline", "baseline.json"], conflict),
        (&["--stdin-filename", "specs/0001-x.md"], conflict),
        (&["--format", "json"], machine),
        (&["--format", "sarif"], machine),
        (&["--format", "github"], machine),
    ];
    for (flags, refusal) in refused {
        let args = [&["check", "--watch"][..], flags].concat();
        let mut running = Running::start(root, &args);
        let code = running.exit_code();
        let (_, stderr) = running.output();
        assert_eq!(code, 2, "{flags:?}: {stderr}");
        assert!(stderr.starts_with(refusal), "{flags:?}: {stderr}");
    }
    assert!(!root.join("baseline.json").exists());
}
