//! Every rule on its fixtures: `tests/fixtures/<rule>/*.md`, checked with the built-in
//! template, each with a snapshot of all findings.

use std::path::Path;

use specbook_diagnostics::LineIndex;
use specbook_linter::{
    Context, GitFacts, PathId, RULES, Scope, Settings, check_context, check_with_git,
};
use specbook_markdown::{Document, FieldKind, Schema};

mod docs;
mod properties;

/// What git says about the fixtures of the history rules: last changed 2026-10-20, checked
/// on 2026-11-27 (38 days later). Other fixtures are checked outside git.
pub(crate) fn git_for(rule: &str) -> Option<GitFacts> {
    matches!(rule, "stale" | "stale-updated").then(|| GitFacts {
        last_changed: jiff::civil::date(2026, 10, 20),
        last_commit: "1a2b3c4".to_owned(),
        last_author: "Ada Lovelace".to_owned(),
        today: jiff::civil::date(2026, 11, 27),
        stale_after_days: 30,
    })
}

fn findings(text: &str) -> Vec<(String, String)> {
    findings_with(text, None)
}

fn findings_with(text: &str, git: Option<&GitFacts>) -> Vec<(String, String)> {
    findings_in(&Setup::default(), text, git)
}

/// What a rule's fixtures are checked with beyond the built-in template: `id-mismatch` needs
/// the path's number (the fixtures stand for `0007-webhook-delivery.md`), `invalid-value` a
/// `[fields.Team]` setting (one of Integrations, Platform).
struct Setup {
    schema: Schema,
    path_id: Option<PathId>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            schema: Schema::builtin(),
            path_id: None,
        }
    }
}

fn setup_for(rule: &str) -> Setup {
    let mut setup = Setup::default();
    match rule {
        "id-mismatch" => {
            setup.path_id = Some(PathId {
                number: 7,
                component: "0007-webhook-delivery.md".to_owned(),
                word: None,
            });
        }
        // The transitions `specbook status` records are not placeholders.
        "placeholder" => setup
            .schema
            .set_history_field(specbook_markdown::DEFAULT_HISTORY_FIELD),
        "invalid-value" => {
            let team = setup.schema.field_mut("Team");
            team.kind = FieldKind::Enum(vec!["Integrations".to_owned(), "Platform".to_owned()]);
            team.configured = true;
        }
        _ => {}
    }
    setup
}

fn findings_in(setup: &Setup, text: &str, git: Option<&GitFacts>) -> Vec<(String, String)> {
    let settings = Settings::default();
    let doc = Document::parse(text);
    let index = LineIndex::new(text);
    let cx = Context::new(&doc, &setup.schema, &settings)
        .with_git(git)
        .with_path_id(setup.path_id.as_ref());
    let mut found = check_context(&cx);
    found.retain(|d| specbook_linter::rule(d.rule).is_none_or(|r| r.scope == Scope::Document));
    found
        .iter()
        .map(|d| {
            let at = d.locate(text, &index);
            let line = format!(
                "{}:{}-{}:{} {} {}: {}",
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                at.severity.as_str(),
                at.rule,
                at.message
            );
            (at.rule.to_owned(), line)
        })
        .collect()
}

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

#[test]
fn every_rule_has_fixtures() {
    for rule in RULES.iter().filter(|r| r.scope == Scope::Document) {
        let dir = fixture_dir().join(rule.name);
        assert!(
            dir.join("valid.md").is_file(),
            "{} has no valid.md",
            rule.name
        );
        assert!(
            dir.join("invalid.md").is_file(),
            "{} has no invalid.md",
            rule.name
        );
    }
}

#[test]
fn fixtures() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            let found = findings_in(&setup_for(&rule), &text, git_for(&rule).as_ref());
            if stem == "valid" {
                assert!(
                    found.is_empty(),
                    "{rule}/valid.md should be clean:\n{found:#?}"
                );
            } else if stem == "invalid" {
                assert!(
                    found.iter().any(|(r, _)| *r == rule),
                    "{rule}/invalid.md should trigger {rule}"
                );
            }
            let lines: Vec<String> = found.into_iter().map(|(_, line)| line).collect();
            insta::assert_snapshot!(format!("{rule}__{stem}"), lines.join("\n"));
        }
    }
}

#[test]
fn line_endings_and_bom_do_not_change_findings() {
    for rule in ["placeholder", "missing-section", "invalid-date"] {
        let text = std::fs::read_to_string(fixture_dir().join(rule).join("invalid.md")).unwrap();
        let lf = findings(&text);
        let crlf = findings(&text.replace('\n', "\r\n"));
        let bom = findings(&format!("\u{feff}{}", text.replace('\n', "\r\n")));
        assert_eq!(lf, crlf, "{rule}: CRLF changed the findings");
        assert_eq!(lf, bom, "{rule}: a BOM changed the findings");
    }
}

#[test]
fn a_finished_spec_is_clean_in_every_status() {
    let text = std::fs::read_to_string(fixture_dir().join("missing-section/valid.md")).unwrap();
    for status in ["Draft", "Review", "Approved", "Superseded", "Withdrawn"] {
        let mut text = text.replace("- **Status:** Approved", &format!("- **Status:** {status}"));
        if status == "Superseded" {
            text = text.replace(
                "- **Status:** Superseded",
                "- **Status:** Superseded\n- **Superseded By:** 0012",
            );
        }
        for variant in [
            text.clone(),
            text.replace('\n', "\r\n"),
            format!("\u{feff}{text}"),
        ] {
            assert_eq!(findings(&variant), vec![], "status {status}");
        }
    }
}

#[test]
fn doc_examples_are_in_rule_docs() {
    for rule in RULES.iter().filter(|r| r.scope == Scope::Document) {
        assert!(
            rule.doc.contains("```markdown"),
            "{} docs have no Markdown example",
            rule.name
        );
    }
}

/// Applies safe fixes until none applies (at most 10 rounds), as `check --fix` does.
fn fix_until_stable(text: &str) -> (String, usize) {
    fix_until_stable_with(text, None)
}

fn fix_until_stable_with(text: &str, git: Option<&GitFacts>) -> (String, usize) {
    let schema = Schema::builtin();
    let settings = Settings::default();
    let mut text = text.to_owned();
    for round in 0..10 {
        let diagnostics = check_with_git(&Document::parse(&text), &schema, &settings, git);
        match specbook_linter::apply_fixes(&text, &diagnostics) {
            Some(fixed) => text = fixed,
            None => return (text, round),
        }
    }
    panic!("fixes did not converge in 10 rounds");
}

#[test]
fn fixes_converge_and_touch_only_their_edits() {
    let schema = Schema::builtin();
    let mut dirs: Vec<_> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let git = git_for(&dir.file_name().unwrap().to_string_lossy());
        let git = git.as_ref();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let original = std::fs::read_to_string(&file).unwrap();
            for text in [
                original.clone(),
                original.replace('\n', "\r\n"),
                format!("\u{feff}{original}"),
            ] {
                // Each fix alone changes nothing outside its edits.
                let diagnostics =
                    check_with_git(&Document::parse(&text), &schema, &Settings::default(), git);
                for diagnostic in diagnostics.iter().filter(|d| d.fix.is_some()) {
                    let fix = diagnostic.fix.as_ref().unwrap();
                    let start = fix.edits.iter().map(|e| e.range.start).min().unwrap();
                    let end = fix.edits.iter().map(|e| e.range.end).max().unwrap();
                    let fixed =
                        specbook_linter::apply_fixes(&text, std::slice::from_ref(diagnostic))
                            .unwrap();
                    assert!(
                        fixed.starts_with(&text[..start]),
                        "{}: a fix changed text before its edit",
                        file.display()
                    );
                    assert!(
                        fixed.ends_with(&text[end..]),
                        "{}: a fix changed text after its edit",
                        file.display()
                    );
                }
                let (once, _) = fix_until_stable_with(&text, git);
                let (twice, rounds) = fix_until_stable_with(&once, git);
                assert_eq!(
                    (rounds, &twice),
                    (0, &once),
                    "{}: fixing twice differs from fixing once",
                    file.display()
                );
                assert_eq!(
                    once.starts_with('\u{feff}'),
                    text.starts_with('\u{feff}'),
                    "the BOM survives"
                );
                assert_eq!(
                    once.matches("\r\n").count(),
                    if text.contains("\r\n") {
                        once.matches('\n').count()
                    } else {
                        0
                    },
                    "line endings survive"
                );
            }
        }
    }
}

#[test]
fn fixed_text_of_fixable_rules() {
    for rule in RULES.iter().filter(|r| r.fixable) {
        let mut files: Vec<_> = std::fs::read_dir(fixture_dir().join(rule.name))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files.iter().filter(|f| !f.ends_with("valid.md")) {
            let stem = file.file_stem().unwrap().to_string_lossy();
            let text = std::fs::read_to_string(file).unwrap();
            let git = git_for(rule.name);
            let (fixed, _) = fix_until_stable_with(&text, git.as_ref());
            let diff = similar::TextDiff::from_lines(&text, &fixed)
                .unified_diff()
                .context_radius(1)
                .header(&format!("{stem}.md"), "fixed")
                .to_string();
            insta::assert_snapshot!(format!("fix__{}__{stem}", rule.name), diff);
            let remaining: Vec<String> = findings_with(&fixed, git.as_ref())
                .into_iter()
                .map(|(_, line)| line)
                .collect();
            insta::assert_snapshot!(
                format!("fix__{}__{stem}__remaining", rule.name),
                remaining.join("\n")
            );
        }
    }
}

#[test]
fn fix_does_not_insert_into_an_unclosed_fence_at_the_end() {
    let text = "# X Technical Specification\n\n## Front Matter\n- **Status:** Draft\n\n```\n";
    let (fixed, _) = fix_until_stable(text);
    assert!(fixed.ends_with("- **Status:** Draft\n\n```\n"), "{fixed}");
    assert!(!fixed.contains("## 1. Introduction"));
}

#[test]
fn fix_inserts_a_missing_parent_above_its_present_subsections() {
    let base = std::fs::read_to_string(fixture_dir().join("missing-section/valid.md")).unwrap();
    let (fixed, _) = fix_until_stable(&base.replace("## 4. Architecture\n\n", ""));
    assert_eq!(fixed, base);
}

#[test]
fn inserted_sections_have_one_blank_line_around_them() {
    let base = std::fs::read_to_string(fixture_dir().join("missing-section/valid.md")).unwrap();
    let cut = base.find("## 9. Open Questions").unwrap();
    let (fixed, _) = fix_until_stable(&base[..cut]);
    assert!(fixed.contains("instead of HTTP.\n\n## 9. Open Questions and Discussion\n- [Question 1]\n- [Question 2]\n\n## 10. References"), "{fixed}");
    assert!(fixed.ends_with("- [Link 2]: [Description]\n"));
    let start = base.find("## 4. Architecture").unwrap();
    let end = base.find("## 5. Implementation").unwrap();
    let squeezed = format!("{}Not applicable.\n{}", &base[..start], &base[end..]);
    let (fixed, _) = fix_until_stable(&squeezed);
    assert!(
        fixed.contains("Not applicable.\n\n## 4. Architecture\n\n### System Components\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("[Third-party services, APIs, libraries]\n\n## 5. Implementation"),
        "{fixed}"
    );
}
