//! `--format sarif` and `--format github` as CI consumes them.

use std::fs;

use serde_json::Value;

use crate::{examples, fixtures, run};

/// A folder with an erroneous spec, a Draft spec with warnings, a clean one, and CRLF and BOM
/// copies of the erroneous one.
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let flawed = fs::read_to_string(examples().join("0002-search-indexing.md")).unwrap();
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    fs::write(dir.path().join("a-errors.md"), &flawed).unwrap();
    fs::write(
        dir.path().join("b-errors-crlf-bom.md"),
        format!("\u{feff}{}", flawed.replace('\n', "\r\n")),
    )
    .unwrap();
    fs::write(dir.path().join("c-clean.md"), &finished).unwrap();
    let draft = finished
        .replace("**Status:** Approved", "**Status:** Draft")
        .replace(
            "Four small sender instances and one database: about $900 a month.",
            "[Infrastructure, development, operational costs]",
        );
    fs::write(dir.path().join("d-warnings.md"), draft).unwrap();
    dir
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = mixed_folder();
    let out = run(dir.path(), &["check", ".", "--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut schema: Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The official schema's `language` patterns have a stray `]` that the validator's regex
    // engine rejects while compiling the schema; specbook never writes `language`, so those
    // patterns are replaced by their evident intent for this test only.
    let replaced = fix_language_patterns(&mut schema);
    assert!(
        replaced > 0,
        "the official schema changed; drop this workaround"
    );
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "specbook");
    let rule_ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for rule in specbook_linter::RULES {
        assert!(
            rule_ids.contains(&rule.name),
            "{} missing from tool.driver.rules",
            rule.name
        );
    }
    let results = run["results"].as_array().unwrap();
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert!(levels.contains(&"error") && levels.contains(&"warning"));
    // Every result names a rule in the driver, at the right index.
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rule_ids[index], result["ruleId"]);
    }
    // The CRLF and BOM copy has the same regions as the LF original.
    let regions = |uri: &str| -> Vec<Value> {
        results
            .iter()
            .filter(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .map(|r| r["locations"][0]["physicalLocation"]["region"].clone())
            .collect()
    };
    assert!(!regions("a-errors.md").is_empty());
    assert_eq!(regions("a-errors.md"), regions("b-errors-crlf-bom.md"));
    let first = &regions("a-errors.md")[0];
    assert_eq!(
        (first["startLine"].as_u64(), first["startColumn"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let dir = mixed_folder();
    let out = run(dir.path(), &["check", ".", "--format", "github"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let (command, rest) = line[2..].split_once(' ').unwrap();
        assert!(
            line.starts_with("::") && ["error", "warning", "notice"].contains(&command),
            "{line}"
        );
        let (properties, message) = rest.split_once("::").unwrap();
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        assert!(!message.contains('\n'));
    }
    insta::assert_snapshot!(
        lines
            .iter()
            .filter(|l| l.contains("a-errors.md"))
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn fix_language_patterns(value: &mut Value) -> usize {
    match value {
        Value::String(pattern) if pattern == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
            "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".clone_into(pattern);
            1
        }
        Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        Value::Object(map) => map.values_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

/// SARIF and GitHub annotations name files from the repository's root wherever specbook
/// runs (the root, the spec folder, another folder), SARIF through `%SRCROOT%`.
#[test]
fn sarif_and_github_paths_are_relative_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    fs::create_dir(root.join(".git")).unwrap();
    fs::create_dir(root.join("docs")).unwrap();
    let flawed = fs::read_to_string(examples().join("0002-search-indexing.md")).unwrap();
    fs::write(root.join("specs/0002-search-indexing.md"), flawed).unwrap();
    let root_uri = format!("file://{}/", root.canonicalize().unwrap().display());
    for (folder, target) in [
        (root.to_path_buf(), "specs"),
        (root.join("specs"), "."),
        (root.join("docs"), "../specs"),
    ] {
        let out = run(&folder, &["check", target, "--format", "sarif"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
        let run0 = &sarif["runs"][0];
        let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        assert_eq!(
            std::path::Path::new(base.trim_start_matches("file://"))
                .canonicalize()
                .ok(),
            root.canonicalize().ok(),
            "{base} vs {root_uri}"
        );
        for result in run0["results"].as_array().unwrap() {
            let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(
                location["uri"], "specs/0002-search-indexing.md",
                "from {folder:?}"
            );
            assert_eq!(location["uriBaseId"], "%SRCROOT%");
        }
        let out = run(&folder, &["check", target, "--format", "github"]);
        for line in out.stdout.lines() {
            assert!(
                line.contains(" file=specs/0002-search-indexing.md,"),
                "from {folder:?}: {line}"
            );
        }
    }
}

/// Every command names its format for people `human`, the default; `table`, the name `list`,
/// `show`, `search` and `rules` used before, still gives the same output.
#[test]
fn every_command_calls_its_format_for_people_human() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    fs::copy(
        fixtures().join("finished.md"),
        root.join("specs/0001-webhook-delivery.md"),
    )
    .unwrap();
    let commands: [&[&str]; 5] = [
        &["check"],
        &["list"],
        &["show", "1"],
        &["search", "webhook"],
        &["rules"],
    ];
    for command in commands {
        let help = run(root, &[command[0], "--help"]).stdout;
        assert!(help.contains("[default: human]"), "{command:?}: {help}");
        assert!(
            help.contains("- human:") && !help.contains("table:"),
            "{command:?}: {help}"
        );
        let default = run(root, command);
        assert_eq!(default.code, 0, "{command:?}: {}", default.stderr);
        // `check` never said `table`.
        let words: &[&str] = if command[0] == "check" {
            &["human"]
        } else {
            &["human", "table"]
        };
        for word in words {
            let named = run(root, &[command, &["--format", word][..]].concat());
            assert_eq!(
                (named.code, &named.stdout),
                (0, &default.stdout),
                "{command:?} --format {word}: {}",
                named.stderr
            );
        }
    }
}
