//! `specbook serve`: the site served on 127.0.0.1, rebuilt when a watched file changes
//! (debounced), with open pages reloading themselves through server-sent events. The whole
//! site is read from the folder it was built into (so memory does not hold every page); what
//! is shown before it and the pages made at once after an edit are served from memory.
//!
//! Only files of the built site can be served: a request is looked up among the names the
//! build made, never as a path on the disk, so `..`, encoded dots, absolute paths and
//! symlinks reach nothing else. Only
//! requests naming the server's own address in `Host` are answered, so a web page cannot
//! read the specs through DNS rebinding. A connection must send its request headers within
//! [`HEADER_TIMEOUT`] (also the limit on an idle keep-alive connection), and at most
//! [`MAX_CONNECTIONS`] are open at once; more wait to be accepted.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify_debouncer_full::notify::RecursiveMode;
use specbook_site::{Site, hash_bytes};
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

/// How long a connection may take to send its request headers, and may stay idle between
/// requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections open at once; the next ones wait in the listen queue until one closes.
pub const MAX_CONNECTIONS: usize = 512;

/// Where the pages listen for "reload".
pub const EVENTS_PATH: &str = "/__specbook/events";

/// Added to every HTML page the server sends (not to built sites).
/// A page reloads when a "reload" event names its file (one name a line), or says `*`.
const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__specbook/events\");s.addEventListener(\"reload\",function(e){var here=decodeURIComponent(location.pathname).replace(/^\\//,\"\");if(here===\"\"||here.slice(-1)===\"/\")here+=\"index.html\";var names=String(e.data).split(\"\\n\");if(names.indexOf(\"*\")>=0||names.indexOf(here)>=0)location.reload();});})();</script>";

/// More changed files than this reload every open page (`*`).
const RELOAD_NAMES: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {address}: {error}")]
    Bind {
        address: SocketAddr,
        error: std::io::Error,
    },
    #[error("cannot watch {path}: {message}")]
    Watch { path: PathBuf, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What to serve and watch.
pub struct ServeOptions {
    pub address: SocketAddr,
    /// Files and folders whose changes rebuild the site (specs, template, config).
    pub watch: Vec<PathBuf>,
    /// How long changes settle before a rebuild.
    pub debounce: Duration,
    /// How long a client may take to send its request headers or stay idle
    /// ([`HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
    /// Names of folders whose changes are not changes to the specs (where the site is
    /// built): a path with a component of such a name `NAME`, or starting with
    /// `.NAME.specbook-` (a build's fresh folder), is not watched.
    pub ignore: Vec<String>,
}

/// A whole site as [`Build::site`] makes it.
pub enum Whole {
    /// In memory.
    Memory(Site),
    /// Written into the folder `path`: each file's name with the hash of its content
    /// ([`hash_bytes`]).
    Folder {
        path: PathBuf,
        files: BTreeMap<String, u64>,
    },
}

/// What the server serves: the whole site, and how to show an edit before the whole site is
/// made again.
pub trait Build: Send + Sync {
    /// The whole site; an `Err` is shown as the page until the next successful build.
    fn site(&self) -> Result<Whole, String>;

    /// The files that change at once when `changed` (files that were written) changed: the
    /// pages of the specs among them, made from the last whole build. Other changes (a new
    /// or deleted spec, the configuration) show when the whole site is made again, which
    /// follows every change.
    fn quick(&self, changed: &[PathBuf]) -> Vec<(String, Vec<u8>)>;

    /// What to serve first, at once, while the whole site is being made; `None`: the whole
    /// site is made before the server listens.
    fn first(&self) -> Option<Result<Site, String>> {
        None
    }

    /// A file of the site being made, made alone (a spec's page asked for before the whole
    /// site is ready); `None` when there is no such file.
    fn file(&self, _name: &str) -> Option<Vec<u8>> {
        None
    }
}

/// The builder the server calls.
pub type Builder = Arc<dyn Build>;

struct Shared {
    /// The `Host` values answered (see [`allowed_hosts`]); empty until the server listens.
    hosts: RwLock<Hosts>,
    served: RwLock<Served>,
    error: RwLock<Option<String>>,
    /// The files whose open pages reload, one a line, or `*` for every page.
    reload: broadcast::Sender<Arc<str>>,
    /// Set when a change waits for the whole site to be made again.
    dirty: std::sync::Mutex<bool>,
    wake: std::sync::Condvar,
    build: Builder,
}

/// The files served: the last whole build's, and over them the pages made at once after an
/// edit, each with the number of the change that made it.
#[derive(Default)]
struct Served {
    files: Arc<Files>,
    quick: Arc<BTreeMap<String, (u64, Vec<u8>)>>,
    /// The number of the last change.
    change: u64,
}

/// The files of a whole site (or of what is shown before it).
#[derive(Default)]
struct Files {
    /// Where the files with a [`Content::Hash`] are.
    folder: Option<PathBuf>,
    names: BTreeMap<String, Content>,
}

/// A file's content: its bytes, or the hash of the bytes in [`Files::folder`].
enum Content {
    Bytes(Arc<[u8]>),
    Hash(u64),
}

impl Content {
    /// Whether both have the same bytes. A page kept from the last build in memory is the
    /// same allocation.
    fn same(&self, other: &Content) -> bool {
        match (self, other) {
            (Content::Bytes(a), Content::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Content::Hash(a), Content::Hash(b)) => a == b,
            (Content::Bytes(bytes), Content::Hash(hash))
            | (Content::Hash(hash), Content::Bytes(bytes)) => hash_bytes(bytes) == *hash,
        }
    }

    fn is(&self, bytes: &[u8]) -> bool {
        match self {
            Content::Bytes(own) => own[..] == *bytes,
            Content::Hash(hash) => hash_bytes(bytes) == *hash,
        }
    }
}

impl From<Site> for Files {
    fn from(site: Site) -> Self {
        Files {
            folder: None,
            names: site
                .files
                .into_iter()
                .map(|(name, bytes)| (name, Content::Bytes(bytes)))
                .collect(),
        }
    }
}

impl From<Whole> for Files {
    fn from(whole: Whole) -> Self {
        match whole {
            Whole::Memory(site) => Files::from(site),
            Whole::Folder { path, files } => Files {
                folder: Some(path),
                names: files
                    .into_iter()
                    .map(|(name, hash)| (name, Content::Hash(hash)))
                    .collect(),
            },
        }
    }
}

impl Files {
    /// The bytes of `name`, from memory or from the folder; `None` when the site has no such
    /// file or it cannot be read.
    fn read(&self, name: &str) -> Option<Arc<[u8]>> {
        match self.names.get(name)? {
            Content::Bytes(bytes) => Some(Arc::clone(bytes)),
            Content::Hash(_) => {
                let folder: &Path = self.folder.as_deref()?;
                std::fs::read(folder.join(name)).ok().map(Arc::from)
            }
        }
    }
}

/// Builds the site, starts watching and serves until the process ends. `ready` is called with
/// the address once the server listens (port 0 picks a free one).
pub fn serve(
    options: &ServeOptions,
    build: &Builder,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (reload, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        hosts: RwLock::new(Hosts::default()),
        served: RwLock::new(Served::default()),
        error: RwLock::new(None),
        reload,
        dirty: std::sync::Mutex::new(false),
        wake: std::sync::Condvar::new(),
        build: Arc::clone(build),
    });
    // Watching first: a change made while the site is first made is not missed.
    let _watcher = watch(options, Arc::clone(&shared), Arc::clone(build))?;
    match build.first() {
        // Served at once; the whole site follows on the rebuilding thread.
        Some(first) => {
            match first {
                Ok(site) => write(&shared.served).files = Arc::new(Files::from(site)),
                Err(message) => *write(&shared.error) = Some(message),
            }
            *shared
                .dirty
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        }
        None => rebuild(&shared, build),
    }
    let _worker = {
        let (shared, build) = (Arc::clone(&shared), Arc::clone(build));
        std::thread::Builder::new()
            .name("specbook-rebuild".to_owned())
            .spawn(move || rebuild_when_dirty(&shared, &build))?
    };
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.address)
            .await
            .map_err(|error| ServerError::Bind {
                address: options.address,
                error,
            })?;
        let address = listener.local_addr()?;
        *shared
            .hosts
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Hosts::for_address(address);
        ready(address);
        let app = Router::new().fallback(handle).with_state(shared);
        accept(listener, app, options.header_timeout).await
    })
}

/// Serves each connection in its own task, with the header and idle timeout, at most
/// [`MAX_CONNECTIONS`] at once.
async fn accept(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
) -> Result<(), ServerError> {
    let open = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        // Waiting for a free slot before accepting leaves the next clients in the listen
        // queue rather than refusing them.
        let Ok(slot) = Arc::clone(&open).acquire_owned().await else {
            return Ok(());
        };
        // Out of file descriptors and the like: wait a little, keep serving.
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A client that goes away or times out ends only its own connection.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// The `Host` header values the server answers: its own address, and when it listens on a
/// loopback address, `localhost`, `127.0.0.1` and `[::1]`; each with the port or without.
/// Listening on every address (`0.0.0.0`, `::`), any IP address is answered (a name in
/// `Host` is what DNS rebinding needs; an address is not), and `localhost`.
#[derive(Default)]
struct Hosts {
    names: Vec<String>,
    port: u16,
    any_address: bool,
}

impl Hosts {
    fn for_address(address: SocketAddr) -> Self {
        let ip = address.ip();
        let shown = |ip: std::net::IpAddr| match ip {
            std::net::IpAddr::V4(v4) => v4.to_string(),
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        };
        let mut names = vec![shown(ip)];
        if ip.is_loopback() || ip.is_unspecified() {
            names.extend(["localhost", "127.0.0.1", "[::1]"].map(str::to_owned));
        }
        Self {
            names,
            port: address.port(),
            any_address: ip.is_unspecified(),
        }
    }

    /// The answered hosts, for the refusal: `127.0.0.1:4000, localhost:4000`.
    fn shown(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for name in &self.names {
            let name = format!("{name}:{}", self.port);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if self.any_address {
            names.push("any IP address".to_owned());
        }
        names.join(", ")
    }

    /// Whether a request with this `Host` header is answered.
    fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]:4000` and `127.0.0.1:4000`; a bare `[::1]` has its colons inside brackets.
            Some((name, port)) if !port.contains(']') => (name.to_owned(), Some(port.to_owned())),
            _ => (host.clone(), None),
        };
        let name = name.strip_suffix('.').unwrap_or(&name).to_owned();
        if port.is_some_and(|p| p.parse::<u16>().ok() != Some(self.port)) {
            return false;
        }
        let is_address = name.parse::<std::net::Ipv4Addr>().is_ok()
            || name
                .strip_prefix('[')
                .and_then(|n| n.strip_suffix(']'))
                .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok());
        self.names.contains(&name) || (self.any_address && is_address)
    }
}

/// Makes the whole site again and serves it; the pages open reload when anything they may
/// show changed.
fn rebuild(shared: &Shared, build: &Builder) {
    let started = read(&shared.served).change;
    match build.site() {
        Ok(site) => {
            let site = Files::from(site);
            let mut served = write(&shared.served);
            // Whether a page was shown (the whole site with the quick pages over it) and is
            // now different.
            let differs = |name: &String, content: &Content| match served.quick.get(name) {
                Some((_, quick)) => !content.is(quick),
                None => served
                    .files
                    .names
                    .get(name)
                    .is_some_and(|old| !old.same(content)),
            };
            // The pages that were shown and now differ or are gone (a page never shown is open
            // nowhere).
            let mut changed: Vec<&str> = site
                .names
                .iter()
                .filter(|(name, content)| differs(name, content))
                .map(|(name, _)| name.as_str())
                .chain(
                    served
                        .files
                        .names
                        .keys()
                        .chain(served.quick.keys())
                        .filter(|name| !site.names.contains_key(*name))
                        .map(String::as_str),
                )
                .collect();
            changed.sort_unstable();
            changed.dedup();
            let names = reload_names(&changed);
            served.files = Arc::new(site);
            // Quick pages of changes made since this build started stay over it.
            let later: BTreeMap<String, (u64, Vec<u8>)> = served
                .quick
                .iter()
                .filter(|(_, (change, _))| *change > started)
                .map(|(name, page)| (name.clone(), page.clone()))
                .collect();
            served.quick = Arc::new(later);
            drop(served);
            let was_error = write(&shared.error).take().is_some();
            if was_error {
                let _ = shared.reload.send(Arc::from("*"));
            } else if !names.is_empty() {
                // Nobody listening is fine.
                let _ = shared.reload.send(Arc::from(names));
            }
        }
        Err(message) => {
            *write(&shared.error) = Some(message);
            let _ = shared.reload.send(Arc::from("*"));
        }
    }
}

/// The "reload" event's data for `changed` files: their names, one a line, or `*` when there
/// are too many to name.
fn reload_names(changed: &[&str]) -> String {
    if changed.len() > RELOAD_NAMES {
        "*".to_owned()
    } else {
        changed.join("\n")
    }
}

/// Makes the whole site again each time a change asks for it (changes made while it is
/// being made ask for the next one).
fn rebuild_when_dirty(shared: &Shared, build: &Builder) {
    loop {
        {
            let mut dirty = shared
                .dirty
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            while !*dirty {
                dirty = shared
                    .wake
                    .wait(dirty)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            *dirty = false;
        }
        rebuild(shared, build);
    }
}

/// Shows the pages of the edited specs at once, then has the whole site made again.
fn changed(shared: &Shared, build: &Builder, paths: &[PathBuf]) {
    let pages = build.quick(paths);
    if !pages.is_empty() {
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        let names = reload_names(&names);
        let mut served = write(&shared.served);
        served.change += 1;
        let change = served.change;
        let mut quick = (*served.quick).clone();
        for (name, bytes) in pages {
            quick.insert(name, (change, bytes));
        }
        served.quick = Arc::new(quick);
        drop(served);
        let _ = shared.reload.send(Arc::from(names));
    }
    *shared
        .dirty
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
    shared.wake.notify_one();
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

fn watch(
    options: &ServeOptions,
    shared: Arc<Shared>,
    build: Builder,
) -> Result<Debouncer, ServerError> {
    let ignore = options.ignore.clone();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        options.debounce,
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            if let Ok(events) = result {
                let paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| !e.kind.is_access())
                    .flat_map(|e| e.paths.iter().cloned())
                    .filter(|path| !is_ignored(path, &ignore))
                    .collect();
                if !paths.is_empty() {
                    changed(&shared, &build, &paths);
                }
            }
        },
    )
    .map_err(|error| ServerError::Watch {
        path: PathBuf::new(),
        message: error.to_string(),
    })?;
    for path in &options.watch {
        if path.exists() {
            debouncer
                .watch(path, RecursiveMode::Recursive)
                .map_err(|error| ServerError::Watch {
                    path: path.clone(),
                    message: error.to_string(),
                })?;
        }
    }
    Ok(debouncer)
}

/// Whether `path` is in one of the folders named `ignore` (see [`ServeOptions::ignore`]).
fn is_ignored(path: &Path, ignore: &[String]) -> bool {
    path.components().any(|component| {
        let component = component.as_os_str().to_string_lossy();
        ignore.iter().any(|name| {
            *component == **name
                || component
                    .strip_prefix('.')
                    .and_then(|rest| rest.strip_prefix(name.as_str()))
                    .is_some_and(|rest| rest.starts_with(".specbook-"))
        })
    })
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let refusal = {
        let hosts = shared
            .hosts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (!hosts.allows(host)).then(|| {
            format!(
                "specbook serve answers only requests for {}, not for `{}`\n",
                hosts.shown(),
                host.escape_debug()
            )
        })
    };
    if let Some(message) = refusal {
        return (StatusCode::FORBIDDEN, message).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    if uri.path() == EVENTS_PATH {
        return events(&shared).into_response();
    }
    if let Some(message) = shared
        .error
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
    {
        let page = format!(
            "<!doctype html><title>Build error</title><h1>The site could not be built</h1><pre>{}</pre>{RELOAD_SCRIPT}",
            message.replace('&', "&amp;").replace('<', "&lt;")
        );
        return (StatusCode::INTERNAL_SERVER_ERROR, html_headers(), page).into_response();
    }
    let Some(name) = site_path(uri.path()) else {
        return not_found();
    };
    let (files, quick) = {
        let served = read(&shared.served);
        (Arc::clone(&served.files), Arc::clone(&served.quick))
    };
    let from_site = if quick.contains_key(&name) {
        None
    } else {
        whole_site_file(&shared, files, &name).await
    };
    let made;
    let content: &[u8] = if let Some((_, bytes)) = quick.get(&name) {
        bytes
    } else if let Some(bytes) = &from_site {
        bytes
    } else {
        // Before the whole site is made: a spec's page made alone, kept until it is.
        let build = Arc::clone(&shared.build);
        let asked = name.clone();
        let Ok(Some(bytes)) = tokio::task::spawn_blocking(move || build.file(&asked)).await else {
            return not_found();
        };
        let mut served = write(&shared.served);
        // Unless the whole site came in the meantime.
        if !served.files.names.contains_key(&name) {
            let mut quick = (*served.quick).clone();
            quick.insert(name.clone(), (0, bytes.clone()));
            served.quick = Arc::new(quick);
        }
        drop(served);
        made = bytes;
        &made
    };
    let kind = content_type(&name);
    let body = if kind.starts_with("text/html") {
        inject_reload(content)
    } else {
        content.to_vec()
    };
    let mut response = Response::new(if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    });
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The file `name` of the whole site `files` (the one served when the request came).
async fn whole_site_file(shared: &Shared, files: Arc<Files>, name: &str) -> Option<Arc<[u8]>> {
    match files.names.get(name)? {
        Content::Bytes(bytes) => Some(Arc::clone(bytes)),
        Content::Hash(_) => {
            if let Some(bytes) = read_file(files, name).await {
                return Some(bytes);
            }
            // Its folder was replaced by a newer build while it was read: read from that.
            let newer = Arc::clone(&read(&shared.served).files);
            read_file(newer, name).await
        }
    }
}

/// The file `name` of `files`, read off the server's threads.
async fn read_file(files: Arc<Files>, name: &str) -> Option<Arc<[u8]>> {
    let name = name.to_owned();
    tokio::task::spawn_blocking(move || files.read(&name))
        .await
        .ok()
        .flatten()
}

fn html_headers() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "text/html; charset=utf-8")]
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

fn events(
    shared: &Shared,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>> + use<>> {
    // A client too slow to read every event is told to reload whatever it shows.
    let stream = BroadcastStream::new(shared.reload.subscribe()).map(|names| {
        let names = names.map_or_else(|_| "*".to_owned(), |names| names.to_string());
        Ok(Event::default().event("reload").data(names))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The site file a request path names: percent-decoded, `/` -> `index.html`, `dir/` ->
/// `dir/index.html`. `None` for anything that is not a plain relative path (`..`, `.`,
/// backslashes, NUL, invalid UTF-8).
#[must_use]
pub fn site_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let trimmed = decoded.strip_prefix('/')?;
    let mut name = trimmed.to_owned();
    if name.is_empty() || name.ends_with('/') {
        name.push_str("index.html");
    }
    let plain = name.split('/').all(|part| {
        !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', '\0', ':'])
    });
    plain.then_some(name)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}

fn inject_reload(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_folder_is_not_watched() {
        let ignore = ["specbook-serve-7".to_owned()];
        for path in [
            "/tmp/specbook-serve-7/specs/a.html",
            "specbook-serve-7",
            "./.specbook-serve-7.specbook-new-7/index.html",
        ] {
            assert!(is_ignored(Path::new(path), &ignore), "{path}");
        }
        for path in [
            "/tmp/specs/0001-a.md",
            "/tmp/specbook-serve-70/x.html",
            "/tmp/.specbook-serve-7x/x",
            "specs/specbook-serve-7.md",
        ] {
            assert!(!is_ignored(Path::new(path), &ignore), "{path}");
        }
    }

    /// A site in a folder is read from it; bytes in memory and a hash of the same bytes are
    /// the same content.
    #[test]
    fn files_in_a_folder_are_read_from_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("specs")).unwrap();
        std::fs::write(dir.path().join("specs/a.html"), "<p>a</p>").unwrap();
        let files = Files::from(Whole::Folder {
            path: dir.path().to_path_buf(),
            files: BTreeMap::from([
                ("specs/a.html".to_owned(), hash_bytes(b"<p>a</p>")),
                ("gone.html".to_owned(), 1),
            ]),
        });
        assert_eq!(
            files.read("specs/a.html").as_deref(),
            Some(&b"<p>a</p>"[..])
        );
        assert_eq!(files.read("gone.html"), None);
        // Only the names the build made: never a path the request makes up.
        assert_eq!(files.read("specs/../specs/a.html"), None);
        let bytes = Content::Bytes(Arc::from(&b"<p>a</p>"[..]));
        assert!(bytes.same(&files.names["specs/a.html"]));
        assert!(files.names["specs/a.html"].is(b"<p>a</p>"));
        assert!(!files.names["specs/a.html"].is(b"<p>b</p>"));
    }

    #[test]
    fn request_paths_map_only_to_site_files() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/specs/0001-a.html").as_deref(),
            Some("specs/0001-a.html")
        );
        assert_eq!(site_path("/specs/").as_deref(), Some("specs/index.html"));
        assert_eq!(site_path("/a%20b.png").as_deref(), Some("a b.png"));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/Cargo.toml",
            "/specs/../../x",
            "/./index.html",
            "/a\\b",
            "/%00",
            "/%zz",
            "//etc/passwd",
            "/C:/x",
            "relative",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_servers_own_host_is_answered() {
        let loopback = Hosts::for_address("127.0.0.1:4000".parse().unwrap());
        for host in [
            "127.0.0.1:4000",
            "127.0.0.1",
            "localhost:4000",
            "LOCALHOST",
            "localhost.:4000",
            "[::1]:4000",
            "[::1]",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:4000",
            "localhost:4001",
            "127.0.0.2:4000",
            "localhost.evil.example",
            "127.0.0.1:4000@evil",
            "192.168.1.10:4000",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let lan = Hosts::for_address("192.168.1.10:8000".parse().unwrap());
        assert!(lan.allows("192.168.1.10:8000"));
        assert!(!lan.allows("localhost:8000"), "not bound to loopback");
        let everywhere = Hosts::for_address("0.0.0.0:8000".parse().unwrap());
        assert!(everywhere.allows("10.1.2.3:8000") && everywhere.allows("[fe80::1]:8000"));
        assert!(everywhere.allows("localhost:8000"));
        assert!(!everywhere.allows("rebound.example:8000"));
        assert_eq!(
            loopback.shown(),
            "127.0.0.1:4000, localhost:4000, [::1]:4000"
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let page = inject_reload(b"<html><body><p>x</p></body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")),
            "{page}"
        );
    }
}
