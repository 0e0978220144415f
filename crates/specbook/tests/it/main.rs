//! The `specbook` command as a user runs it: fixture trees, commands, output and exit codes.

mod accuracy;
mod adopt;
mod baseline;
mod catalog;
mod changed;
mod check;
mod corpus;
mod crash;
mod fields;
mod fix;
mod formats;
mod history;
mod hygiene;
mod inputs;
mod layouts;
mod lifecycle;
mod lifecycles;
mod lsp;
mod placeholders;
mod rules;
mod scaffold;
mod sections;
mod serve;
mod sidecars;
mod site;
mod status_history;
mod templates;
mod watch;
mod workspace_rules;
mod writes;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// `specbook` run in `dir`, with no colour and no user configuration leaking in. The
/// repository's own fixtures and examples are seen outside git, so their findings do not
/// depend on when they were committed (tests of history build their own repositories).
pub(crate) fn specbook(dir: &Path) -> Command {
    Command::from_std(specbook_process(dir))
}

/// [`specbook`] as a process to spawn, for commands that run until stopped.
pub(crate) fn specbook_process(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_specbook"));
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repository = repository.canonicalize().unwrap_or(repository);
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", repository)
        // Fixtures are written a moment before the command runs; the guard against fixing a
        // file being edited has its own tests (`writes.rs`).
        .env("SPECBOOK_EDIT_GUARD_MS", "0")
        .env_remove("GIT_DIR");
    command
}

pub(crate) struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) fn run(dir: &Path, args: &[&str]) -> Output {
    let output = specbook(dir).args(args).output().expect("specbook runs");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

pub(crate) fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// One field (`rule`, `path`, ...) of every finding in `check --format json` output, in order.
pub(crate) fn field(json: &serde_json::Value, key: &str) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| text_of(&d[key]))
        .collect()
}

/// Several fields of every finding, one row per finding.
pub(crate) fn fields(json: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    json["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| keys.iter().map(|key| text_of(&d[*key])).collect())
        .collect()
}

fn text_of(value: &serde_json::Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}
