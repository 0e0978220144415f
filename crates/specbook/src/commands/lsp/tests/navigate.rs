//! Navigation: definition, references, rename and workspace symbols, on the `lsp-navigate`
//! fixture (three specs that link to each other's files and headings and relate by id).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Client, fixture_named, relative, uri};
use crate::commands::lsp::Ended;

pub(super) const WEBHOOKS: &str = "specs/0001-webhook-delivery.md";
const RETRIES: &str = "specs/0002-retry-policy.md";
const LEGACY: &str = "specs/0003-legacy-webhooks.md";

pub(super) fn root() -> PathBuf {
    fixture_named("lsp-navigate")
}

/// A session with the spec at `file` under `root` open, and its text.
pub(super) fn opened(root: &Path, file: &str) -> (Client, String) {
    let client = Client::start_in(root.to_path_buf());
    let text = std::fs::read_to_string(root.join(file)).expect("fixture");
    client.open(&root.join(file), &text);
    (client, text)
}

/// The position (UTF-16) where `needle` starts in `text`.
pub(super) fn at(text: &str, needle: &str) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in the text"));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// `textDocument/...` parameters at `needle` in the file at `path`.
fn place(path: &Path, text: &str, needle: &str) -> Value {
    json!({"textDocument": {"uri": uri(path)}, "position": at(text, needle)})
}

/// A location as one line: `$FIXTURE/specs/x.md L3:0-L3:12`.
fn shown(location: &Value, root: &Path) -> String {
    let location = relative(location, root);
    let range = &location["range"];
    format!(
        "{} L{}:{}-L{}:{}",
        location["uri"].as_str().unwrap_or("?"),
        range["start"]["line"],
        range["start"]["character"],
        range["end"]["line"],
        range["end"]["character"],
    )
}

fn all_shown(locations: &Value, root: &Path) -> Vec<String> {
    let mut shown: Vec<String> = locations
        .as_array()
        .unwrap_or_else(|| panic!("locations: {locations}"))
        .iter()
        .map(|l| shown(l, root))
        .collect();
    shown.sort();
    shown
}

/// Each file's edits as `L3:0-L3:12 -> new text`, by file.
fn edits_shown(edit: &Value, root: &Path) -> Vec<String> {
    let changes = relative(&edit["changes"], root);
    let mut shown = Vec::new();
    for (file, edits) in changes.as_object().expect("changes") {
        for edit in edits.as_array().expect("edits") {
            let range = &edit["range"];
            shown.push(format!(
                "{file} L{}:{}-L{}:{} -> {}",
                range["start"]["line"],
                range["start"]["character"],
                range["end"]["line"],
                range["end"]["character"],
                edit["newText"],
            ));
        }
    }
    shown.sort();
    shown
}

#[test]
fn definition_follows_links_anchors_references_and_ids() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    let mut definition = |needle: &str| {
        let answer = client.request("textDocument/definition", place(&path, &text, needle));
        match &answer["result"] {
            Value::Null => "none".to_owned(),
            location => shown(location, &root),
        }
    };
    let found: Vec<(&str, String)> = [
        // A link to a heading of another file.
        "0002-retry-policy.md#retry-schedule",
        "retry-schedule)",
        // A heading of this file, with UTF-16 columns (`𝄞` is two code units).
        "#délivery--goals",
        // A reference's label, and its text, lead to the definition.
        "retry]\n",
        "Retry policy][retry]",
        // A link reference definition's destination is a link.
        "0002-retry-policy.md\n",
        // A spec id in a relation field, and in text.
        "0002\n",
        "0003.",
        // Not an id: a date.
        "2026-09-14",
        // A link to a file that does not exist.
        "0009-gone.md",
        // A placeholder is no reference.
        "Target]",
    ]
    .into_iter()
    .map(|needle| (needle, definition(needle)))
    .collect();
    insta::assert_json_snapshot!("definitions", found);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn definition_reads_the_target_as_the_editor_has_it() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    // The retry spec open with two lines more above its heading.
    let retries = root.join(RETRIES);
    let saved = std::fs::read_to_string(&retries).expect("fixture");
    let edited = saved.replace("## Retry Schedule", "## Added\nText.\n\n## Retry Schedule");
    client.open(&retries, &edited);
    let answer = client.request(
        "textDocument/definition",
        place(&root.join(WEBHOOKS), &text, "0002-retry-policy.md#retry"),
    );
    assert_eq!(
        shown(&answer["result"], &root),
        "$FIXTURE/specs/0002-retry-policy.md L12:0-L12:17"
    );
    // From the other side: an encoded anchor and a link from the root (`/specs/...`).
    let answer = client.request(
        "textDocument/definition",
        place(
            &retries,
            &edited,
            "./0001-webhook-delivery.md#d%C3%A9livery--goals",
        ),
    );
    assert_eq!(
        shown(&answer["result"], &root),
        "$FIXTURE/specs/0001-webhook-delivery.md L12:0-L12:21"
    );
    let legacy = root.join(LEGACY);
    let legacy_text = std::fs::read_to_string(&legacy).expect("fixture");
    client.open(&legacy, &legacy_text);
    let answer = client.request(
        "textDocument/definition",
        place(
            &legacy,
            &legacy_text,
            "/specs/0001-webhook-delivery.md#notes",
        ),
    );
    assert_eq!(
        shown(&answer["result"], &root),
        "$FIXTURE/specs/0001-webhook-delivery.md L16:0-L16:9"
    );
    // `1 min` is no spec id, though spec 0001 exists.
    let answer = client.request("textDocument/definition", place(&retries, &edited, "1 min"));
    assert_eq!(answer["result"], Value::Null, "{answer}");
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn definition_in_a_crlf_document() {
    let root = root();
    let client = Client::start_in(root.clone());
    let mut client = client;
    let path = root.join(WEBHOOKS);
    let text = std::fs::read_to_string(&path)
        .expect("fixture")
        .replace('\n', "\r\n");
    client.open(&path, &text);
    let answer = client.request("textDocument/definition", place(&path, &text, "#délivery"));
    assert_eq!(
        shown(&answer["result"], &root),
        "$FIXTURE/specs/0001-webhook-delivery.md L12:0-L12:21",
        "the CR is not a column"
    );
    let answer = client.request("textDocument/definition", place(&path, &text, "retry]\r"));
    assert_eq!(
        shown(&answer["result"], &root),
        "$FIXTURE/specs/0001-webhook-delivery.md L27:0-L27:29"
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

fn references(
    client: &mut Client,
    path: &Path,
    text: &str,
    needle: &str,
    declaration: bool,
) -> Value {
    let mut params = place(path, text, needle);
    params["context"] = json!({"includeDeclaration": declaration});
    client.request("textDocument/references", params)["result"].clone()
}

#[test]
fn references_to_a_spec_and_to_a_heading() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    let on_title = references(&mut client, &path, &text, "Webhook Délivery", false);
    let with_declaration = references(&mut client, &path, &text, "Webhook Délivery", true);
    // Anywhere outside a heading is the spec too.
    let in_text = references(&mut client, &path, &text, "The first notes", false);
    assert_eq!(in_text, on_title);
    let on_heading = references(&mut client, &path, &text, "Délivery 𝄞 Goals", true);
    let second_notes = references(&mut client, &path, &text, "Notes\nThe second", false);
    let retries = root.join(RETRIES);
    let retries_text = std::fs::read_to_string(&retries).expect("fixture");
    client.open(&retries, &retries_text);
    let to_retries = references(&mut client, &retries, &retries_text, "Retries at", false);
    insta::assert_json_snapshot!(
        "references",
        json!({
            "the webhooks spec": all_shown(&on_title, &root),
            "the webhooks spec, declaration included": all_shown(&with_declaration, &root),
            "### Délivery 𝄞 Goals, declaration included": all_shown(&on_heading, &root),
            "the second ### Notes": all_shown(&second_notes, &root),
            "the retry spec": all_shown(&to_retries, &root),
        })
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn rename_a_heading_moves_every_link_to_its_anchor() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    let prepared = client.request("textDocument/prepareRename", place(&path, &text, "𝄞 Goals"));
    let mut rename = |needle: &str, name: &str| {
        let mut params = place(&path, &text, needle);
        params["newName"] = json!(name);
        let answer = client.request("textDocument/rename", params);
        edits_shown(&answer["result"], &root)
    };
    let goals = rename("Délivery 𝄞 Goals", "Delivery Goals");
    // The first `Notes` renamed: the second one's anchor is `notes` now, not `notes-1`.
    let notes = rename("Notes\nThe first", "First Notes");
    insta::assert_json_snapshot!(
        "renames",
        json!({
            "prepared": prepared["result"],
            "### Délivery 𝄞 Goals -> Delivery Goals": goals,
            "### Notes -> First Notes": notes,
        })
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn rename_refuses_anything_but_a_heading() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    let prepared = client.request(
        "textDocument/prepareRename",
        place(&path, &text, "first notes"),
    );
    let mut params = place(&path, &text, "first notes");
    params["newName"] = json!("x");
    let renamed = client.request("textDocument/rename", params);
    let mut params = place(&path, &text, "Notes\nThe first");
    params["newName"] = json!("  ");
    let empty = client.request("textDocument/rename", params);
    insta::assert_json_snapshot!(
        "rename_refused",
        json!([prepared["error"], renamed["error"], empty["error"]])
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn workspace_symbols_are_the_specs_by_id_and_title() {
    let root = root();
    let (mut client, _) = opened(&root, WEBHOOKS);
    let mut symbols = |query: &str| {
        let answer = client.request("workspace/symbol", json!({"query": query}));
        answer["result"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .iter()
            .map(|s| {
                format!(
                    "{} ({}, {}): {}",
                    s["name"].as_str().unwrap_or("?"),
                    s["kind"],
                    s["containerName"].as_str().unwrap_or("-"),
                    shown(&s["location"], &root)
                )
            })
            .collect::<Vec<_>>()
    };
    let found = json!({
        "": symbols(""),
        "RETRY": symbols("RETRY"),
        "0003": symbols("0003"),
        "whd (in order)": symbols("whd"),
        "nothing": symbols("zzz"),
    });
    insta::assert_json_snapshot!("workspace_symbols", found);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_file_deleted_under_the_server_is_not_a_crash() {
    let copy = tempfile::tempdir().expect("temporary folder");
    let root = copy.path().canonicalize().expect("the folder exists");
    std::fs::create_dir(root.join("specs")).expect("specs folder");
    for file in ["specbook.toml", WEBHOOKS, RETRIES, LEGACY] {
        std::fs::copy(self::root().join(file), root.join(file)).expect("copied");
    }
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    // The catalog is read, then a spec goes away.
    let before = references(&mut client, &path, &text, "The first notes", false);
    assert_eq!(all_shown(&before, &root).len(), 5, "{before}");
    std::fs::remove_file(root.join(RETRIES)).expect("removed");
    let definition = client.request(
        "textDocument/definition",
        place(&path, &text, "0002-retry-policy.md#retry"),
    );
    assert_eq!(definition["result"], Value::Null, "{definition}");
    let after = references(&mut client, &path, &text, "The first notes", false);
    assert_eq!(
        all_shown(&after, &root),
        vec!["$FIXTURE/specs/0003-legacy-webhooks.md L8:31-L8:68"]
    );
    let mut params = place(&path, &text, "Délivery 𝄞 Goals");
    params["newName"] = json!("Goals");
    let renamed = client.request("textDocument/rename", params);
    assert_eq!(edits_shown(&renamed["result"], &root).len(), 2, "{renamed}");
    let symbols = client.request("workspace/symbol", json!({"query": "retry"}));
    assert!(symbols["result"].is_array(), "{symbols}");
    assert_eq!(client.stop(), Ended::Shutdown);
}
