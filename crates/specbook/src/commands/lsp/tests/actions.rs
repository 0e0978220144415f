//! Code actions on the `lsp-actions` fixture (its own small template): quick fixes one by
//! one and by rule, `source.fixAll.specbook` against `check --fix`, suppression comments,
//! and moving a spec along its lifecycle.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::navigate::at;
use super::{Client, fixture_named, relative, uri};
use crate::commands::lsp::Ended;
use crate::commands::lsp::convert::Lines;

const RATE_LIMITS: &str = "specs/0001-rate-limits.md";
const TOKEN_BUCKETS: &str = "specs/0002-token-buckets.md";
const RETRY_BUDGETS: &str = "specs/0003-retry-budgets.md";

fn root() -> PathBuf {
    fixture_named("lsp-actions")
}

/// A session with the fixture's spec `file` open and its first diagnostics read: the
/// client, the spec's path and its text.
fn opened(file: &str) -> (Client, PathBuf, String) {
    let client = Client::start_in(root());
    let path = root().join(file);
    let text = read(file);
    client.open(&path, &text);
    client.diagnostics();
    (client, path, text)
}

fn read(file: &str) -> String {
    std::fs::read_to_string(root().join(file)).expect("fixture")
}

/// `textDocument/codeAction` on the line where `needle` is, with `only` when given.
fn actions(
    client: &mut Client,
    path: &Path,
    text: &str,
    needle: &str,
    only: Option<&[&str]>,
) -> Value {
    let position = at(text, needle);
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri(path)},
            "range": {"start": position, "end": position},
            "context": context,
        }),
    );
    assert!(response.get("error").is_none(), "{response}");
    relative(&response["result"], &client.root)
}

fn titles(actions: &Value) -> Vec<String> {
    actions
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn titled<'a>(actions: &'a Value, title: &str) -> &'a Value {
    actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no action {title:?} in {:?}", titles(actions)))
}

/// `text` with the edits a workspace edit makes to the file `file` of the fixture.
fn applied(text: &str, edit: &Value, file: &str) -> String {
    let edits = edit["changes"][format!("$FIXTURE/{file}")]
        .as_array()
        .unwrap_or_else(|| panic!("edits of {file} in {edit}"));
    let lines = Lines::new(text);
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let position = |p: &Value| {
                serde_json::from_value::<lsp_types::Position>(p.clone()).expect("a position")
            };
            (
                lines.offset(position(&e["range"]["start"])),
                lines.offset(position(&e["range"]["end"])),
                e["newText"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// The rules of the diagnostics published for `text` once it is the document's text.
fn rules_after(client: &Client, path: &Path, text: &str, version: i32) -> Vec<String> {
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [{"text": text}]
        }),
    );
    let published = client.diagnostics();
    assert_eq!(published["version"], version);
    published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("?").to_owned())
        .collect()
}

#[test]
fn a_finding_gets_its_safe_fix_and_a_suppression() {
    let (mut client, path, text) = opened(RATE_LIMITS);
    let found = actions(
        &mut client,
        &path,
        &text,
        "draft",
        Some(&["quickfix", "source.fixAll"]),
    );
    insta::assert_json_snapshot!("status_line", found);
    let fix = titled(&found, "Write `Draft`");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "invalid-status");
    let fixed = applied(&text, &fix["edit"], RATE_LIMITS);
    assert!(fixed.contains("- **Status:** Draft\n"), "{fixed}");
    assert!(!rules_after(&client, &path, &fixed, 2).contains(&"invalid-status".to_owned()));
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn every_missing_section_is_inserted_at_once() {
    let (mut client, path, text) = opened(RATE_LIMITS);
    let found = actions(&mut client, &path, &text, "## 3. Open Questions", None);
    let all = titled(&found, "Insert all 2 missing sections");
    assert_eq!(all["diagnostics"].as_array().map(Vec::len), Some(2));
    let fixed = applied(&text, &all["edit"], RATE_LIMITS);
    insta::assert_snapshot!("all_sections_inserted", fixed);
    let rules = rules_after(&client, &path, &fixed, 2);
    assert!(!rules.contains(&"missing-section".to_owned()), "{rules:?}");
    // The missing field is a finding of its own, with its own fix.
    let found = actions(
        &mut client,
        &path,
        &fixed,
        "## Front Matter",
        Some(&["quickfix"]),
    );
    let field = titled(&found, "Insert `Team` with the template's placeholder");
    assert!(
        applied(&fixed, &field["edit"], RATE_LIMITS).contains("- **Team:** [Team Name]\n"),
        "{field}"
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn fix_all_makes_what_check_fix_writes() {
    let (mut client, path, text) = opened(RATE_LIMITS);
    let found = actions(
        &mut client,
        &path,
        &text,
        "# Rate",
        Some(&["source.fixAll"]),
    );
    assert_eq!(titles(&found), ["Fix all safe specbook findings"]);
    assert_eq!(found[0]["kind"], "source.fixAll.specbook");
    let fixed = applied(&text, &found[0]["edit"], RATE_LIMITS);
    // What `check --fix` works out for the saved file.
    let mut config =
        specbook_workspace::Config::load(&root().join("specbook.toml")).expect("config");
    let (checker, _) = crate::commands::load_checker(None, &mut config).expect("checker");
    let outcome = checker.fix_file(&path).expect("fixed");
    let (_, expected) = outcome.change.expect("a change");
    assert_eq!(fixed, expected);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn only_the_kinds_asked_for_are_offered() {
    let (mut client, path, text) = opened(RATE_LIMITS);
    let kinds = |found: &Value| {
        let mut kinds: Vec<String> = found
            .as_array()
            .expect("actions")
            .iter()
            .map(|a| a["kind"].as_str().unwrap_or("?").to_owned())
            .collect();
        kinds.dedup();
        kinds
    };
    let quick = actions(&mut client, &path, &text, "draft", Some(&["quickfix"]));
    assert_eq!(kinds(&quick), ["quickfix"]);
    let source = actions(&mut client, &path, &text, "draft", Some(&["source"]));
    assert_eq!(kinds(&source), ["source.fixAll.specbook"]);
    let rewrite = actions(
        &mut client,
        &path,
        &text,
        "draft",
        Some(&["refactor.rewrite"]),
    );
    assert_eq!(kinds(&rewrite), ["refactor.rewrite"]);
    let none = actions(
        &mut client,
        &path,
        &text,
        "draft",
        Some(&["refactor.extract"]),
    );
    assert_eq!(none, json!([]));
    // Not a spec: nothing.
    let notes = root().join("template.md");
    let template = read("template.md");
    client.open(&notes, &template);
    let on_template = actions(&mut client, &notes, &template, "[Team Name]", None);
    assert_eq!(on_template, Value::Null);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_suppression_comment_hides_the_finding_and_keeps_the_block() {
    let (mut client, path, text) = opened(RETRY_BUDGETS);
    // A line that starts its paragraph: the comment goes before it.
    let found = actions(
        &mut client,
        &path,
        &text,
        "[How it works]",
        Some(&["quickfix"]),
    );
    let line = titled(&found, "Disable placeholder for this line");
    let hidden = applied(&text, &line["edit"], RETRY_BUDGETS);
    assert!(
        hidden.contains("<!-- specbook-disable-next-line placeholder -->\n[How it works]\n"),
        "{hidden}"
    );
    assert_eq!(
        rules_after(&client, &path, &hidden, 2),
        Vec::<String>::new()
    );

    // A list's second item: a comment before it would split the list, so the pair goes
    // around the list.
    let listed = text.replace(
        "- One bucket per tenant, refilled every second.\n",
        "- One bucket per tenant, refilled every second.\n- [Goal]\n",
    );
    assert_eq!(
        rules_after(&client, &path, &listed, 3),
        ["placeholder", "placeholder"]
    );
    let found = actions(&mut client, &path, &listed, "[Goal]", Some(&["quickfix"]));
    let block = titled(&found, "Disable placeholder for this block (lines 16-17)");
    let hidden = applied(&listed, &block["edit"], RETRY_BUDGETS);
    insta::assert_snapshot!("suppressed_block", hidden);
    assert_eq!(rules_after(&client, &path, &hidden, 4), ["placeholder"]);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn inserted_text_takes_the_line_ending_of_the_file() {
    let mut client = Client::start_in(root());
    let path = root().join(RATE_LIMITS);
    let text = read(RATE_LIMITS).replace('\n', "\r\n");
    client.open(&path, &text);
    client.diagnostics();
    let found = actions(
        &mut client,
        &path,
        &text,
        "## Front Matter",
        Some(&["quickfix"]),
    );
    let field = titled(&found, "Insert `Team` with the template's placeholder");
    let fixed = applied(&text, &field["edit"], RATE_LIMITS);
    assert!(fixed.contains("- **Team:** [Team Name]\r\n"), "{fixed:?}");
    assert!(
        !fixed.replace("\r\n", "").contains('\n'),
        "a bare LF: {fixed:?}"
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

/// The client shows actions that cannot be applied, with the reason.
fn disabled_support() -> Value {
    json!({"textDocument": {"codeAction": {"disabledSupport": true}}})
}

#[test]
fn a_spec_moves_to_the_next_status_when_its_gate_passes() {
    let mut client = Client::start_with(root(), &disabled_support());
    let path = root().join(TOKEN_BUCKETS);
    let text = read(TOKEN_BUCKETS);
    client.open(&path, &text);
    client.diagnostics();
    // Not offered away from the Status field.
    let elsewhere = actions(&mut client, &path, &text, "### Goals", None);
    assert!(
        !titles(&elsewhere).iter().any(|t| t.starts_with("Move")),
        "{elsewhere}"
    );
    let found = actions(&mut client, &path, &text, "- **Status:**", None);
    let review = titled(&found, "Move to Review");
    assert_eq!(review["kind"], "refactor.rewrite");
    let moved = applied(&text, &review["edit"], TOKEN_BUCKETS);
    let today = crate::commands::today();
    // What `specbook status` writes: the status, the date, and the move in the history.
    assert!(moved.contains("- **Status:** Review\n"), "{moved}");
    assert!(
        moved.contains(&format!("- **Last Updated:** {today}\n")),
        "{moved}"
    );
    assert!(
        moved.contains(&format!("  - {today}: Draft -> Review")),
        "{moved}"
    );
    assert!(moved.starts_with(&text[..text.find("- **Last Updated:**").expect("field")]));
    assert!(moved.ends_with(&text[text.find("## 1. Introduction").expect("section")..]));
    assert_eq!(rules_after(&client, &path, &moved, 2), Vec::<String>::new());
    // The file on disk is the editor's to write.
    assert_eq!(read(TOKEN_BUCKETS), text);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_move_the_gate_blocks_is_disabled_with_the_reason() {
    let mut client = Client::start_with(root(), &disabled_support());
    let path = root().join(RETRY_BUDGETS);
    let text = read(RETRY_BUDGETS);
    client.open(&path, &text);
    client.diagnostics();
    let found = actions(
        &mut client,
        &path,
        &text,
        "- **Status:**",
        Some(&["refactor"]),
    );
    assert_eq!(
        titles(&found),
        ["Move to Review", "Move to Superseded", "Move to Withdrawn"]
    );
    let review = &found[0];
    assert!(review["edit"].is_null(), "{review}");
    assert_eq!(
        review["disabled"]["reason"],
        "Review would fail its gate: line 22: placeholder `[How it works]` left from the template (its line 22)"
    );
    // Where the lifecycle has no gate, the move is there.
    assert!(found[1]["edit"].is_object(), "{found}");
    // A client that cannot show a disabled action is not offered one.
    let mut plain = Client::start_in(root());
    plain.open(&path, &text);
    plain.diagnostics();
    let found = actions(
        &mut plain,
        &path,
        &text,
        "- **Status:**",
        Some(&["refactor"]),
    );
    assert_eq!(titles(&found), ["Move to Superseded", "Move to Withdrawn"]);
    assert_eq!(plain.stop(), Ended::Shutdown);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_workspace_finding_is_suppressed_too() {
    // A link to a spec that does not exist: broken-link, a finding of the workspace rules
    // (the document alone cannot tell), whose suppression is verified with them.
    let (mut client, path, text) = opened(TOKEN_BUCKETS);
    let linked = format!("{text}\nSee [the old design](0009-nowhere.md).\n");
    assert_eq!(rules_after(&client, &path, &linked, 2), ["broken-link"]);
    let found = actions(
        &mut client,
        &path,
        &linked,
        "0009-nowhere",
        Some(&["quickfix"]),
    );
    let line = titled(&found, "Disable broken-link for this line");
    let hidden = applied(&linked, &line["edit"], TOKEN_BUCKETS);
    assert!(
        hidden.contains("<!-- specbook-disable-next-line broken-link -->\nSee [the old"),
        "{hidden}"
    );
    assert_eq!(
        rules_after(&client, &path, &hidden, 3),
        Vec::<String>::new()
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}
