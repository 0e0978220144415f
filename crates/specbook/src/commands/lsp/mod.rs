//! `specbook lsp`: a language server on stdin and stdout that publishes `check`'s findings for
//! every open spec, computed on the editor's text.

mod actions;
mod complete;
mod convert;
mod hover;
mod navigate;
mod outline;
mod project;
mod semantic;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Initialized, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{self, Request as _};
use lsp_types::request::{RegisterCapability, WorkspaceDiagnosticRefresh};
use lsp_types::{
    InitializeResult, MessageType, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use specbook_workspace::Config;

use crate::cli::{LogLevel, LspArgs};
use crate::exit;
use project::Loaded;

pub(crate) fn run(args: &LspArgs) -> Result<u8> {
    let log = Log(args.log_level);
    let (connection, threads) = Connection::stdio();
    let config = super::CONFIG_FILE.get().cloned();
    let ended = serve(&connection, log, config);
    // The writer thread ends when the last sender is gone.
    drop(connection);
    let ended = ended?;
    threads
        .join()
        .context("the LSP connection on stdin and stdout failed")?;
    log.at(LogLevel::Info, || "stopped".to_owned());
    Ok(match ended {
        Ended::Shutdown => exit::OK,
        // LSP: `exit` without `shutdown` first exits with 1.
        Ended::WithoutShutdown => exit::FINDINGS,
    })
}

/// How the session ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    Shutdown,
    WithoutShutdown,
}

/// Logging on standard error at the level asked for.
#[derive(Clone, Copy)]
pub(crate) struct Log(pub LogLevel);

impl Log {
    fn at(self, level: LogLevel, message: impl FnOnce() -> String) {
        if level <= self.0 && level != LogLevel::Off {
            let name = format!("{level:?}").to_lowercase();
            eprintln!("specbook lsp: {name}: {}", message());
        }
    }
}

/// The handshake, then messages until `exit`.
pub(crate) fn serve(connection: &Connection, log: Log, config: Option<PathBuf>) -> Result<Ended> {
    let (id, params) = connection
        .initialize_start()
        .context("LSP: no initialize request")?;
    // Malformed client capabilities are none: the session still starts.
    let client: lsp_types::ClientCapabilities = params
        .get("capabilities")
        .cloned()
        .and_then(|c| serde_json::from_value(c).ok())
        .unwrap_or_default();
    let pull = client
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    let mut capabilities = capabilities();
    if pull {
        capabilities.diagnostic_provider = Some(lsp_types::DiagnosticServerCapabilities::Options(
            lsp_types::DiagnosticOptions {
                identifier: Some("specbook".to_owned()),
                // A spec's findings depend on the other specs (duplicate ids, cycles, links).
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
            },
        ));
    }
    let result = InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "specbook".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection
        .initialize_finish(id, serde_json::to_value(result)?)
        .context("LSP: the initialize handshake failed")?;
    log.at(LogLevel::Info, || "initialized".to_owned());
    let workspace = client.workspace.as_ref();
    let mut server = Server {
        connection,
        log,
        config,
        documents: HashMap::new(),
        projects: HashMap::new(),
        pull,
        refresh: workspace
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        watch: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        disabled_actions: client
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.disabled_support)
            .unwrap_or(false),
        queue: std::collections::VecDeque::new(),
        cancelled: std::collections::HashSet::new(),
        unchecked: Vec::new(),
        next_id: 0,
    };
    server.run()
}

/// What the server offers: each feature module adds its own.
fn capabilities() -> ServerCapabilities {
    let mut capabilities = ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    };
    actions::capabilities(&mut capabilities);
    navigate::capabilities(&mut capabilities);
    outline::capabilities(&mut capabilities);
    complete::capabilities(&mut capabilities);
    hover::capabilities(&mut capabilities);
    semantic::capabilities(&mut capabilities);
    capabilities
}

/// Why a request got no result: an LSP error code and a message.
pub(crate) struct Failure {
    code: ErrorCode,
    message: String,
}

impl Failure {
    #[allow(dead_code, reason = "the feature modules use it")]
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// An open spec of a project, as a request sees it.
#[allow(dead_code, reason = "the feature modules read them")]
pub(crate) struct Spec<'s> {
    pub path: PathBuf,
    /// The editor's text.
    pub text: &'s str,
    pub lines: convert::Lines<'s>,
    pub project: &'s project::Project,
}

/// An open document: the editor's text.
struct Document {
    version: Option<i32>,
    text: String,
}

#[allow(
    clippy::struct_excessive_bools,
    reason = "each is one thing the client declared it supports"
)]
struct Server<'c> {
    connection: &'c Connection,
    log: Log,
    /// `--config FILE`: every document's project.
    config: Option<PathBuf>,
    documents: HashMap<Uri, Document>,
    /// By configuration file.
    projects: HashMap<PathBuf, Loaded>,
    /// The client asks for diagnostics (`textDocument/diagnostic`): none are pushed.
    pull: bool,
    /// The client can be told to pull again (`workspace/diagnostic/refresh`).
    refresh: bool,
    /// The client watches files for the server (`workspace/didChangeWatchedFiles`).
    watch: bool,
    /// The client shows code actions that cannot be applied, with the reason.
    disabled_actions: bool,
    /// Messages read ahead of the one being handled.
    queue: std::collections::VecDeque<Message>,
    /// Requests cancelled before they were handled.
    cancelled: std::collections::HashSet<lsp_server::RequestId>,
    /// Documents changed since their findings were last published.
    unchecked: Vec<Uri>,
    /// The id of the server's next request to the client.
    next_id: i32,
}

impl Server<'_> {
    fn run(&mut self) -> Result<Ended> {
        loop {
            self.read_ahead();
            let message = match self.queue.pop_front() {
                Some(message) => message,
                // Nothing waiting: now the documents changed by a burst of edits are checked,
                // once each, on their last text.
                None if !self.unchecked.is_empty() => {
                    let uris = std::mem::take(&mut self.unchecked);
                    self.check_all(uris)?;
                    continue;
                }
                None => match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => anyhow::bail!("LSP: the client closed the connection without `exit`"),
                },
            };
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .context("LSP: shutdown")?
                    {
                        return Ok(Ended::Shutdown);
                    }
                    let response = if self.cancelled.remove(&request.id) {
                        Response::new_err(
                            request.id,
                            ErrorCode::RequestCanceled as i32,
                            "cancelled".to_owned(),
                        )
                    } else {
                        self.answer(request)
                    };
                    self.send(response.into())?;
                }
                Message::Notification(notification) => {
                    if notification.method == lsp_types::notification::Exit::METHOD {
                        return Ok(Ended::WithoutShutdown);
                    }
                    self.notified(notification)?;
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Reads every message the client has sent so far, noting the requests it cancelled.
    fn read_ahead(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            if let Message::Notification(n) = &message
                && n.method == lsp_types::notification::Cancel::METHOD
            {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::CancelParams>(n.params.clone())
                {
                    let id = match params.id {
                        lsp_types::NumberOrString::Number(n) => lsp_server::RequestId::from(n),
                        lsp_types::NumberOrString::String(s) => lsp_server::RequestId::from(s),
                    };
                    self.cancelled.insert(id);
                }
                continue;
            }
            self.queue.push_back(message);
        }
    }

    /// Sends a request to the client; its response is not waited for.
    fn ask<R: request::Request>(&mut self, params: R::Params) -> Result<()> {
        self.next_id += 1;
        let id = lsp_server::RequestId::from(format!("specbook-{}", self.next_id));
        self.send(Request::new(id, R::METHOD.to_owned(), params).into())
    }

    fn send(&self, message: Message) -> Result<()> {
        self.connection
            .sender
            .send(message)
            .context("LSP: the client went away")
    }

    /// The answer to a request. A handler that panics answers with an error: a bug in one
    /// feature must not end the session the editor depends on.
    fn answer(&mut self, request: Request) -> Response {
        self.log
            .at(LogLevel::Debug, || format!("request {}", request.method));
        let id = request.id.clone();
        let method = request.method.clone();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.dispatch(request)))
                .unwrap_or_else(|_| {
                    Err(Failure::new(
                        ErrorCode::InternalError,
                        format!("specbook failed on {method}"),
                    ))
                });
        match outcome {
            Ok(value) => Response::new_ok(id, value),
            Err(failure) => {
                self.log
                    .at(LogLevel::Warn, || format!("{method}: {}", failure.message));
                Response::new_err(id, failure.code as i32, failure.message)
            }
        }
    }

    /// The request's handler, by method. Each feature module adds its requests here.
    fn dispatch(&mut self, request: Request) -> Result<serde_json::Value, Failure> {
        match request.method.as_str() {
            request::Initialize::METHOD => Err(Failure::new(
                ErrorCode::InvalidRequest,
                "already initialized",
            )),
            request::DocumentDiagnosticRequest::METHOD => {
                self.on::<request::DocumentDiagnosticRequest>(request, Self::pulled)
            }
            request::DocumentSymbolRequest::METHOD => {
                self.on::<request::DocumentSymbolRequest>(request, outline::document_symbols)
            }
            request::FoldingRangeRequest::METHOD => {
                self.on::<request::FoldingRangeRequest>(request, outline::folding_ranges)
            }
            request::Completion::METHOD => {
                self.on::<request::Completion>(request, complete::completion)
            }
            request::HoverRequest::METHOD => {
                self.on::<request::HoverRequest>(request, hover::hover)
            }
            request::GotoDefinition::METHOD => {
                self.on::<request::GotoDefinition>(request, navigate::definition)
            }
            request::References::METHOD => {
                self.on::<request::References>(request, navigate::references)
            }
            request::PrepareRenameRequest::METHOD => {
                self.try_on::<request::PrepareRenameRequest>(request, navigate::prepare_rename)
            }
            request::Rename::METHOD => self.try_on::<request::Rename>(request, navigate::rename),
            request::WorkspaceSymbolRequest::METHOD => {
                self.on::<request::WorkspaceSymbolRequest>(request, navigate::workspace_symbols)
            }
            request::SemanticTokensFullRequest::METHOD => {
                self.on::<request::SemanticTokensFullRequest>(request, semantic::semantic_tokens)
            }
            request::CodeActionRequest::METHOD => {
                self.on::<request::CodeActionRequest>(request, actions::code_actions)
            }
            request::InlayHintRequest::METHOD => {
                self.on::<request::InlayHintRequest>(request, semantic::inlay_hints)
            }
            _ => Err(Failure::new(
                ErrorCode::MethodNotFound,
                format!("specbook does not serve {}", request.method),
            )),
        }
    }

    /// `textDocument/diagnostic`: the findings of an open document, as pushed otherwise.
    fn pulled(
        &mut self,
        params: &lsp_types::DocumentDiagnosticParams,
    ) -> lsp_types::DocumentDiagnosticReportResult {
        let items = self.diagnostics(&params.text_document.uri);
        lsp_types::DocumentDiagnosticReportResult::Report(
            lsp_types::DocumentDiagnosticReport::Full(
                lsp_types::RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: lsp_types::FullDocumentDiagnosticReport {
                        result_id: None,
                        items,
                    },
                },
            ),
        )
    }

    /// Runs a typed handler on a request's parameters.
    fn on<R: request::Request>(
        &mut self,
        request: Request,
        handler: fn(&mut Self, &R::Params) -> R::Result,
    ) -> Result<serde_json::Value, Failure> {
        self.try_on::<R>(request, |server, params| Ok(handler(server, params)))
    }

    /// Runs a typed handler that can refuse (a rename that cannot be done).
    fn try_on<R: request::Request>(
        &mut self,
        request: Request,
        handler: impl FnOnce(&mut Self, &R::Params) -> Result<R::Result, Failure>,
    ) -> Result<serde_json::Value, Failure> {
        let params: R::Params = serde_json::from_value(request.params).map_err(|error| {
            Failure::new(
                ErrorCode::InvalidParams,
                format!("{}: {error}", request.method),
            )
        })?;
        let result = handler(self, &params)?;
        serde_json::to_value(result)
            .map_err(|error| Failure::new(ErrorCode::InternalError, error.to_string()))
    }

    /// The open document at `uri` and its project, when it is a spec of one.
    fn spec(&mut self, uri: &Uri) -> Option<Spec<'_>> {
        let path = convert::path_of(uri)?;
        let key = self.project_key(&path)?;
        let (
            Some(Loaded {
                project: Ok(project),
                ..
            }),
            Some(document),
        ) = (self.projects.get(&key), self.documents.get(uri))
        else {
            return None;
        };
        if !project.takes(&path, &document.text) {
            return None;
        }
        Some(Spec {
            path,
            text: &document.text,
            lines: convert::Lines::new(&document.text),
            project,
        })
    }

    /// The configuration file of the project of `path`, loaded (again, when stale).
    fn project_key(&mut self, path: &Path) -> Option<PathBuf> {
        let key = self.project_file(path)?;
        if self.projects.get(&key).is_none_or(Loaded::is_stale) {
            let loaded = Loaded::load(&key);
            if let Err(error) = &loaded.project {
                self.log.at(LogLevel::Error, || error.clone());
                let params = ShowMessageParams {
                    typ: MessageType::ERROR,
                    message: format!("specbook: {error}"),
                };
                let _ = self.send(Notification::new(ShowMessage::METHOD.to_owned(), params).into());
            }
            self.projects.insert(key.clone(), loaded);
        }
        Some(key)
    }

    fn notified(&mut self, notification: Notification) -> Result<()> {
        let method = notification.method.clone();
        self.log
            .at(LogLevel::Debug, || format!("notification {method}"));
        let mut closed = None;
        let outcome = match method.as_str() {
            DidOpenTextDocument::METHOD => notification.extract(&method).map(|p| {
                let p: lsp_types::DidOpenTextDocumentParams = p;
                let document = Document {
                    version: Some(p.text_document.version),
                    text: p.text_document.text,
                };
                self.documents.insert(p.text_document.uri.clone(), document);
                // Its project is loaded now, before its first check: the requests that follow
                // (workspace symbols) see it.
                if let Some(path) = convert::path_of(&p.text_document.uri) {
                    self.project_key(&path);
                }
                vec![p.text_document.uri]
            }),
            DidChangeTextDocument::METHOD => notification.extract(&method).map(|p| {
                let p: lsp_types::DidChangeTextDocumentParams = p;
                // Full sync: the last change is the whole text.
                if let (Some(change), Some(document)) = (
                    p.content_changes.into_iter().last(),
                    self.documents.get_mut(&p.text_document.uri),
                ) {
                    document.text = change.text;
                    document.version = Some(p.text_document.version);
                }
                vec![p.text_document.uri]
            }),
            DidSaveTextDocument::METHOD => notification.extract(&method).map(|p| {
                let p: lsp_types::DidSaveTextDocumentParams = p;
                self.saved(&p.text_document.uri)
            }),
            DidChangeWatchedFiles::METHOD => notification.extract(&method).map(|p| {
                let p: lsp_types::DidChangeWatchedFilesParams = p;
                // A file changed outside the editor (a `git checkout`, another tool): as if saved.
                let mut uris = Vec::new();
                for change in p.changes {
                    uris = self.saved(&change.uri);
                }
                uris
            }),
            Initialized::METHOD => {
                if self.watch {
                    self.watch_files()?;
                }
                return Ok(());
            }
            DidCloseTextDocument::METHOD => notification.extract(&method).map(|p| {
                let p: lsp_types::DidCloseTextDocumentParams = p;
                self.documents.remove(&p.text_document.uri);
                closed = Some(p.text_document.uri);
                Vec::new()
            }),
            // `initialized`, `$/cancelRequest`, `$/setTrace` and the rest need nothing.
            _ => return Ok(()),
        };
        if let Some(uri) = closed
            && !self.pull
        {
            // Closed: its findings leave the editor's problem list.
            self.unchecked.retain(|u| *u != uri);
            self.publish(uri, None, Vec::new())?;
        }
        let cross_file =
            [DidSaveTextDocument::METHOD, DidChangeWatchedFiles::METHOD].contains(&method.as_str());
        match outcome {
            Ok(uris) if self.pull => {
                // The client pulls after its own changes; after a save other documents'
                // findings may have changed too.
                if cross_file && self.refresh && !uris.is_empty() {
                    self.ask::<WorkspaceDiagnosticRefresh>(())?;
                }
                Ok(())
            }
            Ok(uris) => {
                self.unchecked.extend(uris);
                Ok(())
            }
            Err(error) => {
                // A notification has no answer: the error is logged, the session goes on.
                self.log
                    .at(LogLevel::Error, || format!("{method}: {error:?}"));
                Ok(())
            }
        }
    }

    /// Asks the client to tell the server about changes to specs, configurations, templates
    /// and sidecars made outside the editor.
    fn watch_files(&mut self) -> Result<()> {
        let watchers = [
            "**/*.md",
            "**/*.markdown",
            "**/specbook.toml",
            "**/*.{yaml,yml}",
        ]
        .into_iter()
        .map(|glob| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(glob.to_owned()),
            kind: None,
        })
        .collect();
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp_types::Registration {
            id: "specbook-watch".to_owned(),
            method: DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.ask::<RegisterCapability>(lsp_types::RegistrationParams {
            registrations: vec![registration],
        })
    }

    /// After a save: a saved specbook.toml or template reloads its project, a saved spec
    /// updates the spec ids its project knows; every open document is checked again.
    fn saved(&mut self, uri: &Uri) -> Vec<Uri> {
        let path = convert::path_of(uri);
        self.projects.retain(|_, loaded| {
            !loaded.is_stale() && path.as_deref().is_none_or(|p| !loaded.reads(p))
        });
        if let Some(key) = path.as_deref().and_then(|p| self.project_file(p))
            && let Some(Loaded {
                project: Ok(project),
                ..
            }) = self.projects.get_mut(&key)
        {
            project.refresh_surroundings();
        }
        self.documents.keys().cloned().collect()
    }

    /// The configuration file of the document at `path`: `--config`, else the nearest
    /// specbook.toml, as `check` finds it.
    fn project_file(&self, path: &Path) -> Option<PathBuf> {
        if let Some(file) = &self.config {
            return Some(file.clone());
        }
        Config::find(path.parent()?)
    }

    fn check_all(&mut self, mut uris: Vec<Uri>) -> Result<()> {
        uris.sort();
        uris.dedup();
        for uri in uris {
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            let version = document.version;
            let diagnostics = self.diagnostics(&uri);
            self.publish(uri, version, diagnostics)?;
        }
        Ok(())
    }

    /// The findings of an open document; none when it is not a spec of a project.
    fn diagnostics(&mut self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        let Some(path) = convert::path_of(uri) else {
            return Vec::new();
        };
        let Some(key) = self.project_key(&path) else {
            return Vec::new();
        };
        let (
            Some(Loaded {
                project: Ok(project),
                ..
            }),
            Some(document),
        ) = (self.projects.get(&key), self.documents.get(uri))
        else {
            return Vec::new();
        };
        if !project.takes(&path, &document.text) {
            self.log.at(LogLevel::Info, || {
                format!("{}: not a spec of {}", path.display(), key.display())
            });
            return Vec::new();
        }
        // A bug in a rule must not end the session the editor depends on.
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            project.check(&path, &document.text)
        }));
        let Ok(found) = found else {
            self.log.at(LogLevel::Error, || {
                format!("{}: the check failed", path.display())
            });
            return Vec::new();
        };
        let lines = convert::Lines::new(&document.text);
        let mut diagnostics: Vec<_> = found
            .iter()
            .map(|finding| {
                let mut diagnostic = convert::diagnostic(finding, &lines);
                let related: Vec<_> = project
                    .related(&path, finding)
                    .iter()
                    .filter_map(|other| convert::uri_of(other))
                    .map(|uri| lsp_types::DiagnosticRelatedInformation {
                        location: lsp_types::Location {
                            uri,
                            range: lsp_types::Range::default(),
                        },
                        message: "the same spec id".to_owned(),
                    })
                    .collect();
                if !related.is_empty() {
                    diagnostic.related_information = Some(related);
                }
                diagnostic
            })
            .collect();
        diagnostics.sort_by(|a, b| {
            let key = |d: &lsp_types::Diagnostic| {
                (
                    d.range.start.line,
                    d.range.start.character,
                    d.range.end.line,
                    d.range.end.character,
                )
            };
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        diagnostics
    }

    fn publish(
        &self,
        uri: Uri,
        version: Option<i32>,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) -> Result<()> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into())
    }
}
