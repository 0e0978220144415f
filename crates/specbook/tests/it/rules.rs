//! `specbook rules` and `specbook explain`.

use serde_json::Value;

use crate::{examples, run};

#[test]
fn rules_lists_every_rule() {
    let out = run(&examples(), &["rules"]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.stdout);
    let out = run(&examples(), &["rules", "--format", "json"]);
    let rules: Value = serde_json::from_str(&out.stdout).unwrap();
    // The rules, and invalid-utf8 and unreadable from the file reader.
    assert_eq!(
        rules.as_array().unwrap().len(),
        specbook_linter::RULES.len() + 2
    );
    assert_eq!(rules[0]["name"], "broken-link");
    assert_eq!(rules[0]["fixable"], false);
}

#[test]
fn explain_prints_the_generated_page() {
    let out = run(&examples(), &["explain", "placeholder"]);
    assert_eq!(out.code, 0);
    let page = std::fs::read_to_string(examples().join("../docs/rules/placeholder.md")).unwrap();
    assert_eq!(out.stdout, page);
}

#[test]
fn explain_suggests_the_nearest_rule() {
    let out = run(&examples(), &["explain", "missing-sectoin"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no rule is called `missing-sectoin`; did you mean `missing-section`? (`specbook rules` lists them)\n"
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&examples(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(
            out.stdout.contains("specbook") && out.stdout.contains("warnings-as-errors"),
            "{shell}"
        );
    }
    let out = run(&examples(), &["man"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains(".TH specbook 1"));
    assert!(out.stdout.contains("explain"));
    assert_eq!(run(&examples(), &["completions", "tcsh"]).code, 2);
    let out = run(&examples(), &["man", "check"]);
    assert!(
        out.stdout.contains(".TH specbook-check 1")
            && out.stdout.contains("warnings\\-as\\-errors"),
        "{}",
        out.stdout
    );
    assert_eq!(run(&examples(), &["man", "nope"]).code, 2);
}

#[test]
fn pre_commit_hook_runs_specbook_check() {
    let hooks = std::fs::read_to_string(examples().join("../.pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("- id: specbook-check") && hooks.contains("entry: specbook check"));
}
