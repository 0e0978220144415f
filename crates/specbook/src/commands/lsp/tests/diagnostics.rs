//! Diagnostics: published on open, change and close.

use serde_json::{Value, json};

use super::{Client, SPEC, fixture, uri};
use crate::commands::lsp::Ended;

#[test]
fn diagnostics_follow_open_change_and_close() {
    let client = Client::start();
    let path = fixture().join(SPEC);
    let text = std::fs::read_to_string(&path).expect("fixture");
    client.open(&path, &text);
    let opened = client.diagnostics();
    insta::assert_json_snapshot!("opened", opened);

    // The placeholder filled in: one finding fewer.
    let fixed = text.replace("[Target]", "exactly");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(&path), "version": 2},
            "contentChanges": [{"text": fixed}]
        }),
    );
    let changed = client.diagnostics();
    assert_eq!(changed["version"], 2);
    let count = |v: &Value| v["diagnostics"].as_array().map_or(0, Vec::len);
    assert_eq!(count(&opened), 2, "{opened}");
    assert_eq!(count(&changed), 1, "{changed}");
    assert_eq!(changed["diagnostics"][0]["code"], "missing-section");

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&path)}}),
    );
    let closed = client.diagnostics();
    assert_eq!(closed["diagnostics"], json!([]), "{closed}");
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_file_outside_the_layout_gets_no_diagnostics() {
    let client = Client::start();
    let path = fixture().join("notes/scratch.md");
    client.open(&path, "# Notes\n\n[TODO] not a spec\n");
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    // Nor a buffer that is not a file, nor a file outside every project.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": "untitled:Untitled-1", "languageId": "markdown", "version": 1, "text": "# [X]"
        }}),
    );
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_folders_readme_and_the_index_file_get_no_diagnostics() {
    let client = Client::start();
    let text = "# X\n\n[TODO] unfinished\n";
    // A spec in the layout with that text has findings...
    client.open(&fixture().join("specs/0009-x.md"), text);
    assert_ne!(client.diagnostics()["diagnostics"], json!([]));
    // ...a README introducing the spec folder and the index `specbook index` writes do not.
    client.open(&fixture().join("specs/README.md"), text);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    let index = format!("{text}{}\n", specbook_workspace::INDEX_START);
    client.open(&fixture().join("specs/0010-index.md"), &index);
    assert_eq!(client.diagnostics()["diagnostics"], json!([]));
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn bad_messages_get_errors_and_the_session_goes_on() {
    let mut client = Client::start();
    let unknown = client.request("specbook/nonsense", json!({"nonsense": true}));
    assert_eq!(
        unknown["error"]["code"], -32601,
        "MethodNotFound: {unknown}"
    );
    let again = client.request("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600, "InvalidRequest: {again}");
    // A notification with params of the wrong shape is logged and dropped.
    client.notify("textDocument/didOpen", json!({"textDocument": 42}));
    client.notify("textDocument/didChange", json!(["not", "params"]));
    // The server still works.
    let path = fixture().join(SPEC);
    let text = std::fs::read_to_string(&path).expect("fixture");
    client.open(&path, &text);
    assert_eq!(
        client.diagnostics()["diagnostics"]
            .as_array()
            .map_or(0, Vec::len),
        2
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn exit_without_shutdown_is_reported() {
    let client = Client::start();
    client.notify("exit", Value::Null);
    let ended = client.server.join().expect("no panic").expect("clean end");
    assert_eq!(ended, Ended::WithoutShutdown);
}

/// Each diagnostic as `LINE:COL rule: message`, with its related places.
fn compact(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let related: Vec<String> = d["relatedInformation"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| format!(" (also {})", r["location"]["uri"].as_str().unwrap_or("?")))
                .collect();
            format!(
                "{}:{} {}: {}{}",
                d["range"]["start"]["line"],
                d["range"]["start"]["character"],
                d["code"].as_str().unwrap_or("?"),
                d["message"].as_str().unwrap_or("?"),
                related.concat()
            )
        })
        .collect()
}

#[test]
fn the_workspace_rules_see_every_saved_spec() {
    // No `specs` in specbook.toml: every Markdown file under the project is a spec.
    let root = super::fixture_named("lsp-workspace");
    let client = Client::start_in(root.clone());
    let open = |name: &str| {
        let path = root.join("specs").join(name);
        let text = std::fs::read_to_string(&path).expect("fixture");
        client.open(&path, &text);
        (path, text)
    };
    // The cycle runs through two files that are not open.
    open("0001-a.md");
    let cycle = client.diagnostics();
    // The id another saved file has too, named relative to the project, with its place.
    let (replay, text) = open("0003-replay.md");
    let duplicate = client.diagnostics();
    insta::assert_json_snapshot!(
        "workspace_rules",
        json!({"0001-a.md": compact(&cycle), "0003-replay.md": compact(&duplicate)})
    );
    // The editor's text wins over the saved one: a relation changed in the editor is
    // checked before it is saved, and the saved file is not counted twice.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(&replay), "version": 2},
            "contentChanges": [{"text": text.replace("**Related:** 0001", "**Related:** 0009")}]
        }),
    );
    let changed = compact(&client.diagnostics());
    assert!(
        changed.iter().any(|d| d.contains("dangling-relation")),
        "{changed:?}"
    );
    assert!(
        changed.iter().any(|d| d.contains("duplicate-id")),
        "{changed:?}"
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}
