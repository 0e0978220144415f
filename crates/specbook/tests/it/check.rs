//! `specbook check` on fixture trees.

use std::fs;

use serde_json::Value;

use crate::{examples, field, fields, fixtures, run, specbook};

#[test]
fn examples_in_human_format() {
    let out = run(
        &examples().join(".."),
        &["check", "examples", "--color", "never"],
    );
    assert_eq!(out.code, 1, "the flawed example has errors");
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn examples_in_json_format() {
    let out = run(
        &examples().join(".."),
        &["check", "examples", "--format", "json"],
    );
    assert_eq!(out.code, 1);
    let json: Value = serde_json::from_str(&out.stdout).expect("one JSON object");
    assert_eq!(json["summary"]["files"], 2);
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        for key in [
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "rule",
            "severity",
            "message",
        ] {
            assert!(
                diagnostic.get(key).is_some(),
                "missing `{key}` in {diagnostic}"
            );
        }
    }
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn finished_spec_is_clean_with_lf_crlf_cr_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    fs::write(dir.path().join("lf.md"), &text).unwrap();
    fs::write(dir.path().join("crlf.md"), text.replace('\n', "\r\n")).unwrap();
    fs::write(dir.path().join("cr.md"), text.replace('\n', "\r")).unwrap();
    fs::write(
        dir.path().join("bom.md"),
        format!("\u{feff}{}", text.replace('\n', "\r\n")),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Checked 4 files: no problems found.\n")
    );
}

#[test]
fn positions_are_the_same_with_crlf_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(examples().join("0002-search-indexing.md")).unwrap();
    fs::write(dir.path().join("a-lf.md"), &text).unwrap();
    fs::write(
        dir.path().join("b-bom-crlf.md"),
        format!("\u{feff}{}", text.replace('\n', "\r\n")),
    )
    .unwrap();
    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let positions = |path: &str| -> Vec<(Value, Value, Value, Value, Value)> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == path)
            .map(|d| {
                (
                    d["line"].clone(),
                    d["column"].clone(),
                    d["end_line"].clone(),
                    d["end_column"].clone(),
                    d["rule"].clone(),
                )
            })
            .collect()
    };
    assert!(!positions("a-lf.md").is_empty());
    assert_eq!(positions("a-lf.md"), positions("b-bom-crlf.md"));
}

#[test]
fn draft_placeholders_warn_and_review_placeholders_fail() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace(
            "Four small sender instances and one database: about $900 a month.",
            "[Infrastructure, development, operational costs]",
        );
    fs::write(
        dir.path().join("draft.md"),
        text.replace("**Status:** Approved", "**Status:** Draft"),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "draft.md"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains(
        "warning[placeholder]: placeholder `[Infrastructure, development, operational costs]`"
    ));
    fs::write(
        dir.path().join("review.md"),
        text.replace("**Status:** Approved", "**Status:** Review"),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "review.md"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("error[placeholder]"));
}

#[test]
fn invalid_utf8_is_a_finding_and_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a-broken.md"), b"# Title\nbad \xff byte\n").unwrap();
    fs::copy(
        examples().join("0002-search-indexing.md"),
        dir.path().join("b-flawed.md"),
    )
    .unwrap();
    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(out.code, 1);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let first = &json["diagnostics"][0];
    assert_eq!(first["path"], "a-broken.md");
    assert_eq!(first["rule"], "invalid-utf8");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(5))
    );
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("not valid UTF-8")
    );
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == "b-flawed.md")
    );
    assert_eq!(json["summary"]["files"], 2);
}

#[test]
fn missing_path_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check", "no-such-specs"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no-such-specs: no such file or directory\n"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn unknown_flag_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check", "--formt", "json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--formt"), "{}", out.stderr);
    assert!(
        out.stderr.contains("--format"),
        "clap suggests the right flag: {}",
        out.stderr
    );
}

#[test]
fn other_template_by_flag() {
    let adr = fixtures().join("adr");
    let out = run(
        &adr,
        &[
            "check",
            "0001-use-postgresql.md",
            "--template",
            "template.md",
        ],
    );
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Checked 1 file: no problems found.\n")
    );
    let out = run(
        &adr,
        &[
            "check",
            ".",
            "--template",
            "template.md",
            "--color",
            "never",
        ],
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn other_template_by_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("decisions")).unwrap();
    fs::copy(
        fixtures().join("adr/template.md"),
        dir.path().join("adr-template.md"),
    )
    .unwrap();
    fs::copy(
        fixtures().join("adr/0002-drop-kafka.md"),
        dir.path().join("decisions/0002-drop-kafka.md"),
    )
    .unwrap();
    fs::write(
        dir.path().join("specbook.toml"),
        "template = \"adr-template.md\"\nspecs = \"decisions\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, 1);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = field(&json, "rule");
    assert_eq!(rules, vec!["invalid-status", "missing-section"]);
}

#[test]
fn bad_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("specbook.toml"),
        "template = \"t.md\"\nspecz = \"x\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("specbook.toml: line 2, column 1"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("specz"), "{}", out.stderr);
}

#[test]
fn missing_template_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check", ".", "--template", "nope.md"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: cannot read template nope.md"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_naming_nothing_in_the_template_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("specbook.toml"),
        "[lifecycle]\nstrict = [\"Reviewed\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`Reviewed` is not a status"),
        "{}",
        out.stderr
    );
}

#[test]
fn folder_without_markdown_warns() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "x").unwrap();
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, "warning: no Markdown files to check in .\n");
}

#[test]
fn the_same_file_by_two_paths_is_checked_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixtures().join("finished.md"), dir.path().join("a.md")).unwrap();
    let absolute = dir.path().join("a.md");
    let out = run(
        dir.path(),
        &["check", "a.md", absolute.to_str().unwrap(), "."],
    );
    assert_eq!(out.stdout, "Checked 1 file: no problems found.\n");
}

#[test]
fn without_a_title_in_the_template_an_h1_is_a_section() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.md"), "## A\n[a]\n\n## B\n[b]\n").unwrap();
    fs::write(dir.path().join("s.md"), "## A\nx\n\n# B\ny\n").unwrap();
    let out = run(
        dir.path(),
        &["check", "s.md", "--template", "t.md", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let rules = field(&json, "rule");
    assert_eq!(rules, vec!["heading-level"]);
}

#[test]
fn a_template_with_a_plain_status_value_has_a_one_status_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("t.md"),
        "---\ntitle: <title>\nstatus: Draft\n---\n\n## Abstract\n<!-- what -->\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("draft.md"),
        "---\ntitle: X\nstatus: Draft\n---\n\n## Abstract\nTBD\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("final.md"),
        "---\ntitle: X\nstatus: Final\n---\n\n## Abstract\nDone.\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["check", ".", "--template", "t.md", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let found = fields(&json, &["path", "rule", "severity"]);
    assert_eq!(
        found,
        vec![
            vec!["draft.md", "placeholder", "warning"],
            vec!["final.md", "invalid-status", "error"]
        ]
    );
    fs::write(
        dir.path().join("specbook.toml"),
        "[lifecycle]\nstatuses = [\"Draft\", \"Final\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", ".", "--template", "t.md"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn a_path_in_another_repository_uses_its_config() {
    let repo = tempfile::tempdir().unwrap();
    fs::create_dir(repo.path().join("decisions")).unwrap();
    fs::copy(
        fixtures().join("adr/template.md"),
        repo.path().join("adr.md"),
    )
    .unwrap();
    fs::copy(
        fixtures().join("adr/0001-use-postgresql.md"),
        repo.path().join("decisions/0001.md"),
    )
    .unwrap();
    fs::write(repo.path().join("specbook.toml"), "template = \"adr.md\"\n").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = repo.path().join("decisions");
    let out = run(elsewhere.path(), &["check", target.to_str().unwrap()]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Checked 1 file: no problems found.\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn yaml_template_values_left_unchanged_are_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("t.md"),
        "---\ntitle: <title>\ndescription: <one sentence>\nstatus: Draft\n---\n\n## Abstract\n",
    )
    .unwrap();
    fs::write(dir.path().join("s.md"), "---\ntitle: Fee Market\ndescription: <one sentence>\nstatus: Draft\n---\n\n## Abstract\nDone.\n").unwrap();
    let out = run(
        dir.path(),
        &["check", "s.md", "--template", "t.md", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["rule"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("placeholder"), Some(3), Some(14))
    );
    assert_eq!(
        d["message"],
        "field `description` still has the template's value `<one sentence>`"
    );
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);
}

#[test]
fn select_ignore_and_warnings_as_errors() {
    let root = examples().join("..");
    let rules_of = |args: &[&str]| -> (i32, Vec<String>) {
        let mut all = vec!["check", "examples", "--format", "json"];
        all.extend_from_slice(args);
        let out = run(&root, &all);
        let json: Value = serde_json::from_str(&out.stdout).unwrap();
        let mut rules = field(&json, "rule");
        rules.dedup();
        (out.code, rules)
    };
    assert_eq!(
        rules_of(&["--select", "title,invalid-date"]),
        (1, vec!["title".to_owned(), "invalid-date".to_owned()])
    );
    let (_, rules) = rules_of(&["--ignore", "placeholder", "--ignore", "title"]);
    assert!(
        !rules.iter().any(|r| r == "placeholder" || r == "title"),
        "{rules:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let draft = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Status:** Approved", "**Status:** Draft")
        .replace(
            "Four small sender instances and one database: about $900 a month.",
            "TODO",
        );
    fs::write(dir.path().join("draft.md"), draft).unwrap();
    assert_eq!(run(dir.path(), &["check", "draft.md"]).code, 0);
    let out = run(
        dir.path(),
        &["check", "draft.md", "--deny-warnings", "--format", "json"],
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("\"severity\": \"error\""));
}

#[test]
fn rule_levels_from_config() {
    let dir = tempfile::tempdir().unwrap();
    let draft = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("**Status:** Approved", "**Status:** Draft");
    fs::write(
        dir.path().join("a.md"),
        draft.replace(
            "Four small sender instances and one database: about $900 a month.",
            "TODO",
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("specbook.toml"),
        "specs = \".\"\n[rules]\nplaceholder = \"error\"\n",
    )
    .unwrap();
    assert_eq!(run(dir.path(), &["check"]).code, 1);
    fs::write(
        dir.path().join("specbook.toml"),
        "specs = \".\"\n[rules]\nplaceholder = \"off\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Checked 1 file: no problems found.\n")
    );
}

#[test]
fn unknown_rule_names_exit_2_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check", ".", "--ignore", "placehoder"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: unknown rule `placehoder` in --ignore; did you mean `placeholder`? (`specbook rules` lists them)\n"
    );
    fs::write(
        dir.path().join("specbook.toml"),
        "[rules]\nunknown-sections = \"off\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "unknown rule `unknown-sections` in [rules]; did you mean `unknown-section`?"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn two_specs_with_one_number_are_both_reported() {
    let dir = tempfile::tempdir().unwrap();
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    for name in [
        "0007-rate-limiter.md",
        "0007-audit-log.md",
        "0008-search.md",
        "notes.md",
    ] {
        fs::write(dir.path().join(name), &finished).unwrap();
    }
    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(out.code, 1);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let found = fields(&json, &["path", "rule", "message"]);
    assert_eq!(
        found,
        vec![
            vec![
                "0007-audit-log.md",
                "duplicate-id",
                "spec id 0007 is also used by 0007-rate-limiter.md; renumber one of them (`specbook renumber PATH`)"
            ],
            vec![
                "0007-rate-limiter.md",
                "duplicate-id",
                "spec id 0007 is also used by 0007-audit-log.md; renumber one of them (`specbook renumber PATH`)"
            ],
        ]
    );
    let out = run(dir.path(), &["check", "."]);
    assert!(
        out.stdout
            .starts_with("error[duplicate-id]: spec id 0007 is also used by 0007-rate-limiter.md"),
        "{}",
        out.stdout
    );
    assert_eq!(
        run(dir.path(), &["check", ".", "--ignore", "duplicate-id"]).code,
        0
    );
}

/// `--format concise`: one line per finding, for editors' quickfix lists; then the summary,
/// which says how many findings `--fix` can fix.
#[test]
fn concise_format_is_one_line_per_finding() {
    let out = run(
        &examples().join(".."),
        &["check", "examples", "--format", "concise"],
    );
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert_eq!(
        *summary,
        "Checked 2 files: 14 errors, 0 warnings. [*] 2 fixable with `specbook check --fix`."
    );
    for line in findings {
        let parts: Vec<&str> = line.splitn(4, ':').collect();
        assert!(
            parts[0].starts_with("examples/")
                && std::path::Path::new(parts[0])
                    .extension()
                    .is_some_and(|e| e == "md"),
            "{line}"
        );
        assert!(
            parts[1].parse::<usize>().is_ok() && parts[2].parse::<usize>().is_ok(),
            "{line}"
        );
        assert!(
            parts[3].starts_with(" error[") || parts[3].starts_with(" warning["),
            "{line}"
        );
    }
    insta::assert_snapshot!(findings.iter().take(4).copied().collect::<Vec<_>>().join("\n"), @r"
    examples/0002-search-indexing.md:1:1: error[title] title `Search Indexing` does not follow the template's `<System/Feature Name> Technical Specification`
    examples/0002-search-indexing.md:3:1: error[missing-field] [*] missing field `Team` (the template has `Team: [Team Name]`)
    examples/0002-search-indexing.md:5:16: error[invalid-date] `2026-13-45` is not a valid date in field `Created`; expected YYYY-MM-DD
    examples/0002-search-indexing.md:8:5: error[unknown-field] field `Reviewer` is not in the template
    ");
}

/// `--statistics` counts per rule, `-q` drops the summary and notes, `--exit-zero` keeps
/// exit 0 with errors found.
#[test]
fn statistics_quiet_and_exit_zero() {
    let root = examples().join("..");
    let out = run(&root, &["check", "examples", "--statistics"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout, @r"
         7  placeholder      error
         1  empty-section    error
         1  invalid-date     error
         1  missing-field    error    1 fixable
         1  missing-section  error    1 fixable
         1  section-order    error
         1  title            error
         1  unknown-field    error
    Checked 2 files: 14 errors, 0 warnings. 2 fixable with `specbook check --fix`.
    ");

    let out = run(
        &root,
        &["check", "examples", "--quiet", "--format", "concise"],
    );
    assert_eq!(out.code, 1);
    assert!(!out.stdout.contains("Checked"), "{}", out.stdout);
    assert_eq!(out.stdout.lines().count(), 14);
    let out = run(&root, &["check", "examples", "-q"]);
    assert!(!out.stdout.contains("Checked 2 files"), "{}", out.stdout);
    assert!(out.stdout.contains("error[missing-section]"));

    let out = run(
        &root,
        &[
            "check",
            "examples",
            "--exit-zero",
            "-q",
            "--format",
            "concise",
        ],
    );
    assert_eq!((out.code, out.stdout.lines().count()), (0, 14));
    let out = run(
        &root,
        &["check", "examples", "--statistics", "--format", "json"],
    );
    assert_eq!(out.code, 2, "--statistics has a format of its own");
}

/// A reader that stops early (`check | head -1`) ends the run quietly, in every format.
#[test]
fn a_closed_pipe_ends_quietly() {
    for format in ["human", "json", "sarif", "github", "concise"] {
        let script = format!(
            "\"$SPECBOOK\" check examples --format {format} | head -c 20 > /dev/null; echo \"${{PIPESTATUS[0]}}\""
        );
        let out = std::process::Command::new("bash")
            .current_dir(examples().join(".."))
            .env("SPECBOOK", assert_cmd::cargo::cargo_bin!("specbook"))
            .args(["-c", &script])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("Broken pipe"), "{format}: {stderr}");
        let code: i32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        assert!(code < 2, "{format}: exit {code}");
    }
}

/// What a pre-commit hook passes: every changed Markdown file. The index `specbook index`
/// writes and a README introducing a folder are skipped with a note, even named; `--no-skip`
/// checks them anyway.
#[test]
fn named_files_that_are_not_specs_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    fs::copy(
        fixtures().join("finished.md"),
        root.join("specs/0001-webhook-delivery.md"),
    )
    .unwrap();
    assert_eq!(run(root, &["index"]).code, 0);
    fs::write(root.join("README.md"), "# Our project\n\nHello.\n").unwrap();
    fs::write(
        root.join("CATALOG.md"),
        fs::read_to_string(root.join("specs/README.md")).unwrap(),
    )
    .unwrap();
    let files = [
        "README.md",
        "CATALOG.md",
        "specs/README.md",
        "specs/0001-webhook-delivery.md",
    ];
    let out = run(root, &[&["check"][..], &files[..]].concat());
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "Checked 1 file: no problems found.\n");
    insta::assert_snapshot!(out.stderr, @r"
    note: 3 Markdown files not checked:
      CATALOG.md: the catalog `specbook index` writes (it holds the index markers); it is not a spec
      README.md: a README.md whose folder has no number introduces the folder; it is not a spec (name it in `specs` with a pattern to check it)
      specs/README.md: a README.md whose folder has no number introduces the folder; it is not a spec (name it in `specs` with a pattern to check it)
    ");
    let out = run(
        root,
        &[&["check", "--no-skip", "-q"][..], &files[..]].concat(),
    );
    assert_eq!(out.code, 1, "forced, the non-specs fail: {}", out.stdout);
}

/// `--config FILE` (before or after the command) replaces the search for specbook.toml: its
/// paths are relative to it, its rule levels apply, and a missing file is exit 2.
#[test]
fn config_flag_names_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let draft = fs::read_to_string(fixtures().join("finished.md"))
        .unwrap()
        .replace("- **Team:** Integrations", "- **Team:** [Team Name]");
    fs::write(root.join("specs/0001-webhook-delivery.md"), draft).unwrap();
    fs::write(
        root.join("quiet.toml"),
        "template = \"templates/tech-spec.md\"\nspecs = \"specs\"\n[rules]\nplaceholder = \"off\"\n",
    )
    .unwrap();
    fs::create_dir(root.join("elsewhere")).unwrap();
    let elsewhere = root.join("elsewhere");
    let out = run(&elsewhere, &["check", "--config", "../quiet.toml"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Checked 1 file: no problems found.\n"),
        "{}",
        out.stderr
    );
    let out = run(
        &elsewhere,
        &["--config", "../quiet.toml", "list", "--format", "csv"],
    );
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stderr);
    let out = run(root, &["check"]);
    assert_eq!(
        out.code, 1,
        "the project's own specbook.toml reports the placeholder"
    );
    let out = run(root, &["check", "--config", "missing.toml"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (2, "error: --config missing.toml: no such file\n")
    );
}

/// `--stdin-filename PATH`: an editor's unsaved text checked as the spec at PATH, with that
/// path's configuration, and the file on disk untouched.
#[test]
fn stdin_filename_checks_unsaved_text_as_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    let on_disk = root.join("specs/0001-webhook-delivery.md");
    fs::write(&on_disk, &finished).unwrap();
    let unsaved = finished.replace("- **Team:** Integrations\n", "");
    let out = specbook(root)
        .args([
            "check",
            "--stdin-filename",
            "specs/0001-webhook-delivery.md",
            "--format",
            "concise",
        ])
        .write_stdin(unsaved)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with(
            "specs/0001-webhook-delivery.md:3:1: error[missing-field] [*] missing field `Team`"
        ),
        "{stdout}"
    );
    assert_eq!(fs::read_to_string(&on_disk).unwrap(), finished);
    let out = specbook(root)
        .args([
            "check",
            "--stdin-filename",
            "specs/x.md",
            "-q",
            "--format",
            "concise",
        ])
        .write_stdin(vec![0xff, 0xfe])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[invalid-utf8]"));
    let out = run(root, &["check", "specs", "--stdin-filename", "specs/x.md"]);
    assert_eq!(out.code, 2, "a path and --stdin-filename conflict");
}

/// A project outside git (a `specbook.toml`) with two specs, one of them flawed.
fn project_with_specs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &["init", "."]).code, 0);
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    fs::write(dir.path().join("specs/0001-finished.md"), &finished).unwrap();
    fs::write(
        dir.path().join("specs/0002-flawed.md"),
        finished.replace("2026-09-14", "2026-13-45"),
    )
    .unwrap();
    dir
}

#[test]
fn a_second_check_takes_its_findings_from_the_cache_and_prints_the_same() {
    let dir = project_with_specs();
    let cache = dir.path().join(".specbook/check-v1.bin");
    let uncached = run(dir.path(), &["--no-cache", "check", "--format", "json"]);
    assert!(!cache.exists(), "--no-cache writes no cache");
    assert_eq!(uncached.code, 1, "{}", uncached.stdout);
    assert!(
        uncached.stdout.contains("invalid-date"),
        "{}",
        uncached.stdout
    );
    for format in ["json", "human", "sarif", "github"] {
        let want = run(dir.path(), &["--no-cache", "check", "--format", format]);
        let first = run(dir.path(), &["check", "--format", format]);
        assert!(cache.exists());
        let second = run(dir.path(), &["check", "--format", format]);
        for got in [&first, &second] {
            assert_eq!(
                (got.code, &got.stdout, &got.stderr),
                (want.code, &want.stdout, &want.stderr),
                "{format}"
            );
        }
    }
    // The flawed spec is mended: its findings are gone at once, the other spec's stay kept.
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    fs::write(dir.path().join("specs/0002-flawed.md"), &finished).unwrap();
    let mended = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(mended.code, 0, "{}", mended.stdout);
    assert_eq!(
        mended.stdout,
        run(dir.path(), &["--no-cache", "check", "--format", "json"]).stdout
    );
    // The catalog commands take the same findings.
    for args in [&["list", "--format", "json"][..], &["show", "2"]] {
        let want = run(dir.path(), &[&["--no-cache"][..], args].concat());
        let got = run(dir.path(), args);
        assert_eq!((got.code, got.stdout), (want.code, want.stdout), "{args:?}");
    }
    // Other rule settings on the command line are another checker: nothing is taken.
    let selected = run(
        dir.path(),
        &["check", "--select", "title", "--format", "json"],
    );
    assert!(
        !selected.stdout.contains("invalid-date"),
        "{}",
        selected.stdout
    );
}

#[test]
fn a_folder_that_is_neither_a_project_nor_in_git_gets_no_cache() {
    let dir = tempfile::tempdir().unwrap();
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    fs::write(dir.path().join("spec.md"), finished).unwrap();
    assert_eq!(run(dir.path(), &["check", "."]).code, 0);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["spec.md"]);
}
