//! The server driven by a scripted client over lsp-server's in-memory connection.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

use super::{Ended, Log, serve};
use crate::cli::LogLevel;

fn fixture() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp");
    dir.canonicalize().expect("the fixture exists")
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

const SPEC: &str = "specs/0001-webhook-delivery.md";

/// A client talking to a server on its own thread.
struct Client {
    connection: Connection,
    server: std::thread::JoinHandle<anyhow::Result<Ended>>,
    next_id: i32,
}

impl Client {
    fn start() -> Self {
        let (server, connection) = Connection::memory();
        let server = std::thread::spawn(move || serve(&server, Log(LogLevel::Off), None));
        let mut client = Self {
            connection,
            server,
            next_id: 0,
        };
        let result = client.request("initialize", json!({"capabilities": {}}));
        assert_eq!(
            result["result"]["capabilities"]["textDocumentSync"]["change"], 1,
            "full sync: {result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        let message = Notification::new(method.to_owned(), params);
        self.connection.sender.send(message.into()).expect("sent");
    }

    /// The response to a request, as JSON (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let message = Request::new(id.clone(), method.to_owned(), params);
        self.connection.sender.send(message.into()).expect("sent");
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return serde_json::to_value(response).expect("JSON");
                }
                _ => {}
            }
        }
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers")
    }

    /// The next diagnostics published, with the URI made relative to the fixture.
    fn diagnostics(&self) -> Value {
        loop {
            if let Message::Notification(n) = self.receive()
                && n.method == "textDocument/publishDiagnostics"
            {
                let mut params = n.params;
                let shown = params["uri"]
                    .as_str()
                    .map(|u| u.replace(&uri(&fixture()), "$FIXTURE"));
                params["uri"] = json!(shown);
                return params;
            }
        }
    }

    fn open(&self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri(path), "languageId": "markdown", "version": 1, "text": text
            }}),
        );
    }

    fn stop(mut self) -> Ended {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.server
            .join()
            .expect("the server does not panic")
            .expect("the server ends cleanly")
    }
}

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
    let unknown = client.request("textDocument/hover", json!({"nonsense": true}));
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
