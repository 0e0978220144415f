//! `check --write-baseline` and `check --baseline`: legacy findings recorded once, only new
//! ones reported.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::{field, fixtures, run};

const BASELINE: &str = "specbook-baseline.json";
const SPEC: &str = "specs/0001-legacy.md";

/// A folder with `specs/0001-legacy.md`: a Review spec without its Team field and with four
/// placeholders in three sections (five errors).
fn legacy_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("specs")).unwrap();
    fs::copy(
        fixtures().join("baseline/0001-legacy.md"),
        dir.path().join(SPEC),
    )
    .unwrap();
    dir
}

fn edit(dir: &Path, change: impl FnOnce(String) -> String) {
    let path = dir.join(SPEC);
    let text = fs::read_to_string(&path).unwrap();
    let changed = change(text.clone());
    assert_ne!(changed, text, "the edit changes the spec");
    fs::write(path, changed).unwrap();
}

fn write_baseline(dir: &Path) {
    let out = run(dir, &["check", "specs", "--write-baseline", BASELINE]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (
            0,
            "",
            "specbook-baseline.json: recorded 5 findings in 1 file\n"
        )
    );
}

#[test]
fn the_baseline_survives_lines_inserted_above_and_edits_elsewhere() {
    let dir = legacy_folder();
    assert_eq!(run(dir.path(), &["check", "specs"]).code, 1);
    write_baseline(dir.path());
    insta::assert_snapshot!(fs::read_to_string(dir.path().join(BASELINE)).unwrap());

    edit(dir.path(), |text| {
        format!("<!-- Imported from the wiki in 2023. -->\n\n{text}")
            .replace(
                "There is none: integrations poll",
                "Nothing pushes events yet.\n\nIntegrations poll",
            )
            .replace(
                "### Scalability\n",
                "### Scalability\nMeasured in September on the staging cluster.\n\n",
            )
    });
    let out = run(dir.path(), &["check", "specs", "--baseline", BASELINE]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (
            0,
            "Checked 1 file: no problems found (5 hidden by the baseline).\n",
            ""
        )
    );
    // The findings are all still there, on other lines.
    let out = run(dir.path(), &["check", "specs", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(field(&json, "rule").len(), 5);
    assert_eq!(field(&json, "line")[1], "105", "{}", out.stdout);
}

#[test]
fn new_findings_are_reported_beside_the_baseline() {
    let dir = legacy_folder();
    write_baseline(dir.path());
    edit(dir.path(), |text| {
        text.replace("TBD", "TBD\n\nTBD").replace(
            "Senders scale horizontally;",
            "[Describe the expected load] Senders scale horizontally;",
        )
    });
    let out = run(
        dir.path(),
        &["check", "specs", "--baseline", BASELINE, "--color", "never"],
    );
    assert_eq!(out.code, 1, "new placeholders in Review are errors");
    assert_eq!(out.stderr, "");
    insta::assert_snapshot!(out.stdout);

    let out = run(
        dir.path(),
        &["check", "specs", "--baseline", BASELINE, "--format", "json"],
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(field(&json, "line"), ["78", "113"]);
    assert_eq!(
        json["summary"],
        // `TBD` is an error in Review; bracketed text the template lacks only a warning.
        serde_json::json!({"files": 1, "errors": 1, "warnings": 1, "baselined": 5})
    );
    let out = run(dir.path(), &["check", "specs", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "errors": 6, "warnings": 1}),
        "no `baselined` without a baseline"
    );

    let out = run(
        dir.path(),
        &[
            "check",
            "specs",
            "--baseline",
            BASELINE,
            "--format",
            "github",
        ],
    );
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    let out = run(
        dir.path(),
        &[
            "check",
            "specs",
            "--baseline",
            BASELINE,
            "--format",
            "sarif",
        ],
    );
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);

    // In Draft the same findings are warnings: the baseline still hides the old ones, and the
    // new ones warn without failing.
    edit(dir.path(), |text| {
        text.replace("**Status:** Review", "**Status:** Draft")
    });
    let out = run(dir.path(), &["check", "specs", "--baseline", BASELINE]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("Checked 1 file: 0 errors, 2 warnings (5 hidden by the baseline).\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn fixed_findings_leave_removable_entries() {
    let dir = legacy_folder();
    write_baseline(dir.path());
    edit(dir.path(), |text| {
        text.replace("TBD", "A dashboard from launch day.")
    });
    let out = run(dir.path(), &["check", "specs", "--baseline", BASELINE]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "Checked 1 file: no problems found (4 hidden by the baseline).\n\
         1 baseline entry no longer matches (fixed or changed):\n  \
         specs/0001-legacy.md: placeholder in `Measurement Plan`: `TBD` marker left in the text\n"
    );
    assert_eq!(
        out.stderr,
        "note: 1 baseline entry no longer matches; \
         `specbook check --write-baseline specbook-baseline.json` drops it\n"
    );
    let out = run(
        dir.path(),
        &["check", "specs", "--baseline", BASELINE, "--format", "json"],
    );
    assert!(out.stderr.starts_with("note: 1 baseline entry"));
    let json: Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["summary"]["baselined"], 4);

    let out = run(
        dir.path(),
        &["check", "specs", "--write-baseline", BASELINE],
    );
    assert_eq!(
        out.stderr,
        "specbook-baseline.json: recorded 4 findings in 1 file\n"
    );
    let out = run(dir.path(), &["check", "specs", "--baseline", BASELINE]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (
            0,
            "Checked 1 file: no problems found (4 hidden by the baseline).\n",
            ""
        )
    );
}

#[test]
fn the_configured_baseline_is_relative_to_the_configuration() {
    let dir = legacy_folder();
    fs::write(
        dir.path().join("specbook.toml"),
        "specs = \"specs\"\nbaseline = \"ci/specbook-baseline.json\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("baseline ci/specbook-baseline.json does not exist"),
        "{}",
        out.stderr
    );

    let out = run(
        dir.path(),
        &["check", "--write-baseline", "ci/specbook-baseline.json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let baseline: Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("ci/specbook-baseline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(baseline["entries"][0]["path"], "../specs/0001-legacy.md");

    for folder in [dir.path().to_path_buf(), dir.path().join("specs")] {
        let out = run(&folder, &["check"]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (
                0,
                "Checked 1 file: no problems found (5 hidden by the baseline).\n"
            ),
            "from {}",
            folder.display()
        );
    }

    // The flag wins over the configuration.
    fs::write(
        dir.path().join("empty.json"),
        "{\"version\": 1, \"entries\": []}",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--baseline", "empty.json"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.ends_with(
            "Checked 1 file: 5 errors, 0 warnings. [*] 1 fixable with `specbook check --fix`.\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn write_baseline_leaves_an_unrelated_file_alone() {
    let dir = legacy_folder();
    fs::write(dir.path().join("package.json"), "{\"name\": \"site\"}\n").unwrap();
    let out = run(
        dir.path(),
        &["check", "specs", "--write-baseline", "package.json"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(
            "error: package.json exists and is not a specbook baseline (unknown field `name`"
        ) && out.stderr.ends_with("; not overwriting it\n"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("package.json")).unwrap(),
        "{\"name\": \"site\"}\n"
    );

    // And `--baseline` with it says what is wrong.
    let out = run(
        dir.path(),
        &["check", "specs", "--baseline", "package.json"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: package.json is not a specbook baseline:"),
        "{}",
        out.stderr
    );
}
