//! Diagnostics: published on open, change and close.

use lsp_server::{Message, Request, RequestId};
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

#[test]
fn a_client_that_pulls_gets_diagnostics_when_it_asks_and_none_pushed() {
    let capabilities = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostic": {"refreshSupport": true}}
    });
    let mut client = Client::start_with(fixture(), &capabilities);
    let path = fixture().join(SPEC);
    let text = std::fs::read_to_string(&path).expect("fixture");
    client.open(&path, &text);
    let document = json!({"textDocument": {"uri": uri(&path)}});
    let pulled = client.request("textDocument/diagnostic", document.clone());
    assert_eq!(pulled["result"]["kind"], "full", "{pulled}");
    let codes: Vec<&str> = pulled["result"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["placeholder", "missing-section"], "{pulled}");
    // A save asks the client to pull again; nothing was pushed meanwhile.
    client.notify("textDocument/didSave", document);
    loop {
        match client.receive() {
            Message::Request(r) => {
                assert_eq!(r.method, "workspace/diagnostic/refresh");
                break;
            }
            Message::Notification(n) => {
                assert_ne!(n.method, "textDocument/publishDiagnostics", "{n:?}");
            }
            Message::Response(_) => {}
        }
    }
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_request_cancelled_before_it_is_handled_is_answered_as_cancelled() {
    let mut client = Client::start();
    let path = fixture().join(SPEC);
    client.open(&path, "# T\n");
    // The cancellation reaches the server first: the request is never worked on.
    client.notify("$/cancelRequest", json!({"id": 77}));
    let request = Request::new(
        RequestId::from(77),
        "textDocument/documentSymbol".to_owned(),
        json!({"textDocument": {"uri": uri(&path)}}),
    );
    client.connection.sender.send(request.into()).expect("sent");
    let answer = loop {
        if let Message::Response(r) = client.receive()
            && r.id == RequestId::from(77)
        {
            break r;
        }
    };
    let answer = serde_json::to_value(answer).expect("JSON");
    assert_eq!(answer["error"]["code"], -32800, "RequestCanceled: {answer}");
    // The next request with that id is not cancelled.
    let again = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&path)}}),
    );
    assert!(again["result"].is_array(), "{again}");
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_burst_of_changes_ends_with_the_findings_of_the_last_text() {
    let client = Client::start();
    let path = fixture().join(SPEC);
    let text = std::fs::read_to_string(&path).expect("fixture");
    client.open(&path, &text);
    let _ = client.diagnostics();
    for version in 2..=20 {
        // Only the last text has its placeholder filled in.
        let text = if version == 20 {
            text.replace("[Target]", "exactly")
        } else {
            text.clone()
        };
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri(&path), "version": version},
                "contentChanges": [{"text": text}]
            }),
        );
    }
    // Each publication is of a text as it stood; the last is of version 20.
    let mut published = 0;
    loop {
        let d = client.diagnostics();
        published += 1;
        if d["version"] == 20 {
            assert_eq!(compact(&d).len(), 1, "{d}");
            break;
        }
        assert_eq!(compact(&d).len(), 2, "{d}");
    }
    assert!(published <= 19, "{published}");
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_huge_document_and_one_that_is_not_utf8_get_one_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    // The default limit (a smaller `max_file_size` would be the whole process's, and so
    // every other test's).
    std::fs::write(root.join("specbook.toml"), "").expect("write");
    let client = Client::start_in(root.clone());
    let huge = root.join("0001-huge.md");
    client.open(&huge, &"# Huge\n\n[TODO]\n".repeat(1_200_000));
    let found = compact(&client.diagnostics());
    assert_eq!(
        found,
        [
            "0:0 unreadable: 17.2 MB is over the 16.0 MB limit for one file (`max_file_size` in specbook.toml)"
        ]
    );
    // Saved as Latin-1: the editor shows `\u{fffd}` where `é` was; the finding is check's.
    let latin1 = root.join("0002-latin1.md");
    std::fs::write(&latin1, b"# Caf\xe9\n").expect("write");
    client.open(&latin1, "# Caf\u{fffd}\n");
    let found = compact(&client.diagnostics());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("0:5 invalid-utf8:"), "{found:?}");
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn saving_the_configuration_checks_the_open_specs_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    let spec = root.join("specs/0001-webhook-delivery.md");
    std::fs::create_dir_all(spec.parent().expect("folder")).expect("mkdir");
    let text = std::fs::read_to_string(fixture().join(SPEC)).expect("fixture");
    std::fs::write(&spec, &text).expect("write");
    let config = root.join("specbook.toml");
    std::fs::write(&config, "specs = [\"specs\"]\n").expect("write");
    let client = Client::start_in(root.clone());
    client.open(&spec, &text);
    assert_eq!(compact(&client.diagnostics()).len(), 2);
    // Written by an editor (or a checkout), then saved: the rule is off from then on.
    std::fs::write(
        &config,
        "specs = [\"specs\"]\n\n[rules]\nmissing-section = \"off\"\n",
    )
    .expect("write");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&config)}}),
    );
    let after = compact(&client.diagnostics());
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].contains("placeholder"), "{after:?}");
    assert_eq!(client.stop(), Ended::Shutdown);
}
