//! `check --fix` and `check --diff` on files.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::{field, fixtures, run};

/// A Review spec missing `## 7. Success Metrics`, `### Data Model` and the Team field.
fn broken_spec() -> String {
    let text = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Status:** Approved", "**Status:** Review");
    let start = text.find("## 7. Success Metrics").unwrap();
    let end = text.find("## 8. Implementation Plan").unwrap();
    let text = format!("{}{}", &text[..start], &text[end..]);
    let start = text.find("### Data Model").unwrap();
    let end = text.find("### Business Logic").unwrap();
    format!("{}{}", &text[..start], &text[end..]).replace("- **Team:** Integrations\n", "")
}

#[test]
fn fix_leaves_only_placeholders_and_keeps_crlf_bom_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let lf = dir.path().join("a.md");
    let crlf = dir.path().join("b.md");
    fs::write(&lf, broken_spec()).unwrap();
    fs::write(
        &crlf,
        format!("\u{feff}{}", broken_spec().replace('\n', "\r\n")),
    )
    .unwrap();
    fs::set_permissions(&crlf, fs::Permissions::from_mode(0o640)).unwrap();

    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = field(&json, "rule");
    assert_eq!(
        rules.iter().filter(|r| **r == "missing-section").count(),
        4,
        "{rules:?}"
    );
    assert_eq!(rules.iter().filter(|r| **r == "missing-field").count(), 2);

    // --diff shows the change and writes nothing.
    let before = (fs::read(&lf).unwrap(), fs::read(&crlf).unwrap());
    let out = run(dir.path(), &["check", ".", "--diff"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("+## 7. Success Metrics")
            && out.stdout.contains("+- **Team:** [Team Name]"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stderr, "2 files would be changed by --fix\n");
    assert_eq!(before, (fs::read(&lf).unwrap(), fs::read(&crlf).unwrap()));

    let out = run(dir.path(), &["check", ".", "--fix", "--format", "json"]);
    assert_eq!(out.stderr, "fixed 2 files\n");
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let remaining: Vec<&Value> = json["diagnostics"].as_array().unwrap().iter().collect();
    assert!(!remaining.is_empty());
    assert!(
        remaining.iter().all(|d| d["rule"] == "placeholder"),
        "{remaining:#?}"
    );

    let fixed = fs::read_to_string(&crlf).unwrap();
    assert!(fixed.starts_with('\u{feff}'), "the BOM survives");
    assert_eq!(
        fixed.matches("\r\n").count(),
        fixed.matches('\n').count(),
        "CRLF survives"
    );
    assert_eq!(
        fs::metadata(&crlf).unwrap().permissions().mode() & 0o777,
        0o640,
        "the file mode survives"
    );
    let lf_fixed = fs::read_to_string(&lf).unwrap();
    assert_eq!(
        fixed.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
        lf_fixed
    );
    assert!(
        lf_fixed
            .contains("- **Author(s):** Radia Perlman, Barbara Liskov\n- **Team:** [Team Name]\n")
    );

    // Fixing again changes nothing.
    let out = run(dir.path(), &["check", ".", "--fix"]);
    assert_eq!(out.stderr, "");
    assert_eq!(fs::read_to_string(&lf).unwrap(), lf_fixed);
    let out = run(dir.path(), &["check", ".", "--diff"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

/// A file whose lines end with lone CRs (classic Mac OS, some exports): the same findings at
/// the same lines as its LF twin, and `--fix` inserts CR-ended lines, not LF ones, changing
/// nothing else.
#[test]
fn a_cr_only_file_is_checked_and_fixed_in_its_own_line_ending() {
    let dir = tempfile::tempdir().unwrap();
    let lf = dir.path().join("a.md");
    let cr = dir.path().join("b.md");
    fs::write(&lf, broken_spec()).unwrap();
    fs::write(&cr, broken_spec().replace('\n', "\r")).unwrap();

    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let findings = |path: &str| -> Vec<(Value, Value, Value, Value)> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == path)
            .map(|d| {
                (
                    d["rule"].clone(),
                    d["line"].clone(),
                    d["column"].clone(),
                    d["end_line"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(findings("a.md").len(), 3, "{}", out.stdout);
    assert_eq!(findings("a.md"), findings("b.md"));
    // The human output shows the CR file's line as a line.
    let out = run(dir.path(), &["check", "b.md"]);
    assert!(out.stdout.contains("--> b.md:"), "{}", out.stdout);

    let before = fs::read(&cr).unwrap();
    let out = run(dir.path(), &["check", ".", "--fix"]);
    assert_eq!(out.stderr, "fixed 2 files\n");
    let fixed = fs::read(&cr).unwrap();
    assert!(!fixed.contains(&b'\n'), "no LF was added to a CR file");
    assert_eq!(
        String::from_utf8(fixed).unwrap().replace('\r', "\n"),
        fs::read_to_string(&lf).unwrap(),
        "the same fix as the LF file's"
    );
    assert_ne!(fs::read(&cr).unwrap(), before);
    let out = run(dir.path(), &["check", ".", "--diff"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}
