//! The server driven by a scripted client over lsp-server's in-memory connection: the
//! harness, and one test module per feature, each on its own fixture workspace under
//! `tests/fixtures/`.

mod actions;
mod complete;
mod diagnostics;
mod hover;
mod navigate;
mod outline;
mod semantic;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

use super::{Ended, Log, serve};
use crate::cli::LogLevel;

/// The fixture workspace `tests/fixtures/NAME`.
pub(super) fn fixture_named(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    dir.canonicalize().expect("the fixture exists")
}

/// The first fixture workspace, `tests/fixtures/lsp`.
pub(super) fn fixture() -> PathBuf {
    fixture_named("lsp")
}

pub(super) fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Every `file://` URI under `root` in `value` made `$FIXTURE/...`, for snapshots.
pub(super) fn relative(value: &Value, root: &Path) -> Value {
    let prefix = uri(root);
    match value {
        Value::String(s) => Value::String(s.replace(&prefix, "$FIXTURE")),
        Value::Array(items) => Value::Array(items.iter().map(|v| relative(v, root)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.replace(&prefix, "$FIXTURE"), relative(v, root)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub(super) const SPEC: &str = "specs/0001-webhook-delivery.md";

/// A client talking to a server on its own thread.
pub(super) struct Client {
    connection: Connection,
    server: std::thread::JoinHandle<anyhow::Result<Ended>>,
    next_id: i32,
    /// The fixture workspace: URIs under it are shown as `$FIXTURE/...`.
    pub(super) root: PathBuf,
}

impl Client {
    /// A session on the first fixture workspace.
    pub(super) fn start() -> Self {
        Self::start_in(fixture())
    }

    /// A session on the fixture workspace `root` (see [`fixture_named`]).
    pub(super) fn start_in(root: PathBuf) -> Self {
        Self::start_with(root, &json!({}))
    }

    /// A session whose client declares `capabilities`.
    pub(super) fn start_with(root: PathBuf, capabilities: &Value) -> Self {
        let (server, connection) = Connection::memory();
        let server = std::thread::spawn(move || serve(&server, Log(LogLevel::Off), None));
        let mut client = Self {
            connection,
            server,
            next_id: 0,
            root,
        };
        let result = client.request("initialize", json!({ "capabilities": capabilities }));
        assert_eq!(
            result["result"]["capabilities"]["textDocumentSync"]["change"], 1,
            "full sync: {result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    pub(super) fn notify(&self, method: &str, params: Value) {
        let message = Notification::new(method.to_owned(), params);
        self.connection.sender.send(message.into()).expect("sent");
    }

    /// The response to a request, as JSON (`result` or `error`).
    pub(super) fn request(&mut self, method: &str, params: Value) -> Value {
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

    pub(super) fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers")
    }

    /// The next diagnostics published, with the URI made relative to the fixture.
    pub(super) fn diagnostics(&self) -> Value {
        loop {
            if let Message::Notification(n) = self.receive()
                && n.method == "textDocument/publishDiagnostics"
            {
                return relative(&n.params, &self.root);
            }
        }
    }

    pub(super) fn open(&self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri(path), "languageId": "markdown", "version": 1, "text": text
            }}),
        );
    }

    pub(super) fn stop(mut self) -> Ended {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.server
            .join()
            .expect("the server does not panic")
            .expect("the server ends cleanly")
    }
}
