//! Sidecar metadata (`metadata = "kep.yaml"`): fields in a file beside each spec, typed by the
//! template's own sidecar, findings pointing into it, and the lifecycle commands writing it.

use std::fs;
use std::path::Path;

use crate::{fields, run, today};

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

const TEMPLATE: &str = "# KEP-NNNN: Your short, descriptive title

## Summary

A paragraph.

## Motivation

Why.
";

const TEMPLATE_SIDECAR: &str = "title: KEP Template
kep-number: NNNN
authors:
  - \"@jane.doe\"
status: provisional|implementable|implemented|deferred|rejected|withdrawn|replaced
creation-date: yyyy-mm-dd
last-updated: yyyy-mm-dd
";

fn readme(number: u32, title: &str) -> String {
    format!("# KEP-{number}: {title}\n\n## Summary\n\nText.\n\n## Motivation\n\nText.\n")
}

fn sidecar(number: u32, title: &str, status: &str) -> String {
    format!(
        "title: {title}\nkep-number: {number}\nauthors:\n  - \"@ada\"\n  - \"@grace\"\nstatus: {status}\ncreation-date: 2021-01-01\nlast-updated: 2021-06-01\n"
    )
}

fn repository() -> tempfile::TempDir {
    tree(&[
        (
            "specbook.toml",
            "template = \"keps/NNNN-kep-template/README.md\"\nspecs = [\"keps/*/*/README.md\"]\nmetadata = \"kep.yaml\"\nid_prefix = \"KEP-\"\n",
        ),
        ("keps/NNNN-kep-template/README.md", TEMPLATE),
        ("keps/NNNN-kep-template/kep.yaml", TEMPLATE_SIDECAR),
        (
            "keps/sig-node/2625-cpu/README.md",
            &readme(2625, "CPU Manager"),
        ),
        (
            "keps/sig-node/2625-cpu/kep.yaml",
            &sidecar(2625, "CPU Manager", "implementable"),
        ),
        (
            "keps/sig-node/2626-memory/README.md",
            &readme(2626, "Memory QoS"),
        ),
        (
            "keps/sig-node/2626-memory/kep.yaml",
            &sidecar(2626, "Memory QoS", "imlpemented"),
        ),
        (
            "keps/sig-api/2627-apply/README.md",
            &readme(2627, "Server-side Apply"),
        ),
        (
            "keps/sig-api/2627-apply/kep.yaml",
            &sidecar(2628, "Server-side Apply", "provisional")
                .replace("creation-date: 2021-01-01", "creation-date: 2021-13-01"),
        ),
    ])
}

#[test]
fn findings_on_sidecar_fields_point_into_the_sidecar() {
    let dir = repository();
    let root = dir.path();
    let out = run(root, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    insta::assert_snapshot!(
        fields(&json, &["path", "line", "column", "rule", "message"])
            .iter()
            .map(|row| row.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        @r"
    keps/sig-api/2627-apply/kep.yaml 2 13 id-mismatch `kep-number` says 2628 but the path says 2627 (2627-apply/); one of them is wrong
    keps/sig-api/2627-apply/kep.yaml 7 16 invalid-date `2021-13-01` is not a valid date in field `creation-date`; expected YYYY-MM-DD
    keps/sig-node/2626-memory/kep.yaml 6 9 invalid-status status `imlpemented` is not one of provisional, implementable, implemented, deferred, rejected, withdrawn, replaced, superseded; did you mean `implemented`?
    "
    );
    // The catalog and the site show the sidecar's fields.
    let out = run(root, &["list", "--format", "json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list[0]["id"], "KEP-2625");
    assert_eq!(list[0]["title"], "KEP-2625: CPU Manager");
    assert_eq!(list[0]["status"], "implementable");
    assert_eq!(list[0]["created"], "2021-01-01");
    let out = run(root, &["build", "--out", "site"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = fs::read_to_string(root.join("site/specs/keps-sig-node-2625-cpu.html")).unwrap();
    assert!(page.contains(">implementable</span>"), "{page}");
}

/// Every file under `root` with its bytes, but `except`.
fn snapshot(root: &Path, except: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walk(root) {
        let name = entry
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // specbook's own lock and journal folder (outside git) is not a user's file.
        if !except.contains(&name.as_str()) && !name.starts_with(".specbook/") {
            files.push((name, fs::read(&entry).unwrap()));
        }
    }
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn status_supersede_and_link_write_the_sidecars_and_nothing_else() {
    let dir = repository();
    let root = dir.path();
    let cpu = "keps/sig-node/2625-cpu/kep.yaml";
    let apply = "keps/sig-api/2627-apply/kep.yaml";
    let today = today();

    let before = snapshot(root, &[cpu]);
    let out = run(
        root,
        &[
            "status",
            "2625",
            "implemented",
            "--force",
            "--reason",
            "test",
            "--by",
            "Ada",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // The transition is recorded where the lifecycle is, as a list in the sidecar's key style.
    assert_eq!(
        fs::read_to_string(root.join(cpu)).unwrap(),
        sidecar(2625, "CPU Manager", "implemented")
            .replace(
                "last-updated: 2021-06-01",
                &format!("last-updated: {today}")
            )
            .replace(
                "status: implemented\n",
                &format!(
                    "status: implemented\nstatus-history:\n  - \"{today}: implementable -> implemented by Ada (reason: test)\"\n"
                )
            )
    );
    assert_eq!(snapshot(root, &[cpu]), before, "only the sidecar changes");

    let before = snapshot(root, &[cpu, apply]);
    let out = run(root, &["link", "2625", "2627"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        fs::read_to_string(root.join(cpu))
            .unwrap()
            .ends_with("related: KEP-2627\n"),
        "{}",
        fs::read_to_string(root.join(cpu)).unwrap()
    );
    assert!(
        fs::read_to_string(root.join(apply))
            .unwrap()
            .ends_with("related: KEP-2625\n")
    );
    assert_eq!(snapshot(root, &[cpu, apply]), before);

    let out = run(root, &["supersede", "2625", "2627"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let cpu_text = fs::read_to_string(root.join(cpu)).unwrap();
    assert!(cpu_text.contains("status: superseded\n"), "{cpu_text}");
    // In the sidecar's own key style (`kep-number`), as KEPs write it.
    assert!(
        cpu_text.ends_with("superseded-by: KEP-2627\n"),
        "{cpu_text}"
    );
    assert!(
        cpu_text.contains(&format!(
            "  - \"{today}: implemented -> superseded (reason: superseded by KEP-2627)\"\n"
        )),
        "{cpu_text}"
    );
    let apply_text = fs::read_to_string(root.join(apply)).unwrap();
    assert!(
        apply_text.ends_with("supersedes: KEP-2625\n"),
        "{apply_text}"
    );
    assert_eq!(snapshot(root, &[cpu, apply]), before);
    // What was written reads back: no relation finding, and the YAML is still a mapping.
    let out = run(root, &["check", "--format", "json"]);
    assert!(!out.stdout.contains("dangling-relation"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("invalid-front-matter"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unreadable_sidecar_is_reported_and_not_changed() {
    let dir = repository();
    let root = dir.path();
    let path = "keps/sig-node/2625-cpu/kep.yaml";
    fs::write(root.join(path), "status: [unclosed\n").unwrap();
    let out = run(root, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = fields(&json, &["path", "rule"]);
    assert!(
        rows.contains(&vec![path.to_owned(), "invalid-front-matter".to_owned()]),
        "{rows:?}"
    );
    let out = run(
        root,
        &["status", "2625", "implemented", "--force", "--reason", "x"],
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("not changing it"), "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(root.join(path)).unwrap(),
        "status: [unclosed\n"
    );
}

#[test]
fn search_follows_a_status_changed_in_the_sidecar() {
    let dir = repository();
    let root = dir.path();
    let status_of_cpu = || {
        let out = run(root, &["search", "cpu", "--format", "json"]);
        let results: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        results[0]["status"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(status_of_cpu(), "implementable");
    // The spec's own file is the same: only its sidecar says the spec moved on.
    fs::write(
        root.join("keps/sig-node/2625-cpu/kep.yaml"),
        sidecar(2625, "CPU Manager", "implemented"),
    )
    .unwrap();
    assert_eq!(status_of_cpu(), "implemented");
    let out = run(root, &["search", "cpu", "--status", "implemented"]);
    assert!(out.stdout.contains("KEP-2625"), "{}", out.stdout);
}
