//! The rules' documentation: generated pages are current, and every documented example does
//! what it says (the bad one triggers the rule, the good one does not).

use std::path::{Path, PathBuf};

use specbook_linter::{RULES, Scope, Settings};
use specbook_markdown::{Document, Schema};

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

fn index() -> String {
    let mut page = String::from(
        "# Rules\n\nGenerated from the rules' own documentation (`specbook explain RULE` prints the same).\n\n\
         | rule | default severity | summary |\n| --- | --- | --- |\n",
    );
    for rule in RULES {
        page.push_str(&format!(
            "| [{0}]({0}.md) | {1} | {2} |\n",
            rule.name,
            rule.severity_text(),
            rule.summary
        ));
    }
    page
}

/// `docs/rules/` is generated; `SPECBOOK_UPDATE_DOCS=1 cargo test -p specbook_linter` rewrites it.
#[test]
fn generated_rule_docs_are_current() {
    let dir = docs_dir();
    let mut expected: Vec<(PathBuf, String)> = RULES
        .iter()
        .map(|r| (dir.join(format!("{}.md", r.name)), r.page()))
        .collect();
    expected.push((dir.join("README.md"), index()));
    if std::env::var_os("SPECBOOK_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (path, text) in &expected {
            std::fs::write(path, text).unwrap();
        }
    }
    for (path, text) in &expected {
        let found = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            &found == text,
            "{} is stale: run SPECBOOK_UPDATE_DOCS=1 cargo test -p specbook_linter",
            path.display()
        );
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut wanted: Vec<String> = expected
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    wanted.sort();
    assert_eq!(
        files, wanted,
        "docs/rules has pages for rules that do not exist"
    );
}

/// The Markdown code blocks of a rule's `## Example` section: the bad example first, the
/// good one (after "Use instead") second.
fn examples(doc: &str) -> (String, String) {
    let section = &doc[doc.find("## Example").expect("an Example section")..];
    let blocks: Vec<&str> = section
        .split("```markdown\n")
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap())
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "an Example section has a bad and a good example"
    );
    (blocks[0].to_owned(), blocks[1].to_owned())
}

/// The finished spec each rule's examples are written against.
fn base_for(rule: &str) -> String {
    let fixture = match rule {
        "empty-section" | "open-questions" | "superseded-without-successor" | "stale-updated" => {
            format!("{rule}/valid.md")
        }
        "invalid-front-matter" => "unknown-field/yaml-valid.md".to_owned(),
        _ => "missing-section/valid.md".to_owned(),
    };
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
    )
    .unwrap()
}

fn rules_found(rule: &str, text: &str) -> Vec<&'static str> {
    let schema = Schema::builtin();
    let git = crate::git_for(rule);
    specbook_linter::check_with_git(
        &Document::parse(text),
        &schema,
        &Settings::default(),
        git.as_ref(),
    )
    .iter()
    .map(|d| d.rule)
    .collect()
}

#[test]
fn documented_examples_do_what_they_say() {
    // Workspace rules need several files, `id-mismatch` a path and `invalid-value` a
    // configuration: the CLI tests show their examples.
    let needs_setup = ["id-mismatch", "invalid-value"];
    for rule in RULES
        .iter()
        .filter(|r| r.scope == Scope::Document && !needs_setup.contains(&r.name))
    {
        let (bad, good) = examples(rule.doc);
        let base = base_for(rule.name);
        assert!(
            base.contains(&good),
            "{}: the good example is not text of its base spec",
            rule.name
        );
        assert!(
            !rules_found(rule.name, &base).contains(&rule.name),
            "{}: the good example triggers the rule",
            rule.name
        );
        let with_bad = base.replacen(&good, &bad, 1);
        assert!(
            rules_found(rule.name, &with_bad).contains(&rule.name),
            "{}: the bad example does not trigger the rule",
            rule.name
        );
    }
}
