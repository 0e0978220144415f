//! `specbook serve` as a process: what it serves, what it refuses, and live rebuilds.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::{examples, run};

/// A running `specbook serve`, stopped when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    start_with(root, &[])
}

fn start_with(root: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_specbook"))
        .current_dir(root)
        .args(["serve", "--port", "0"])
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("specbook serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    Server { child, address }
}

/// One raw HTTP/1.1 request (paths are sent exactly as given): status and body.
fn request(address: SocketAddr, method: &str, path: &str) -> (u16, String) {
    request_for(address, &address.to_string(), method, path)
}

/// [`request`] with its own `Host` header.
fn request_for(address: SocketAddr, host: &str, method: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    for name in ["0001-webhook-delivery.md", "0002-search-indexing.md"] {
        fs::copy(examples().join(name), root.join("specs").join(name)).unwrap();
    }
    fs::write(root.join("outside.txt"), "secret\n").unwrap();
    // A spec shows an image that is a symlink out of the spec folder: building must not copy
    // what it points at into the site.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("outside.txt"), root.join("specs/leak.png")).unwrap();
    let spec = root.join("specs/0001-webhook-delivery.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(
        &spec,
        text.replacen(
            "## 1. Introduction\n",
            "## 1. Introduction\n\n![leak](leak.png)\n",
            1,
        ),
    )
    .unwrap();
    dir
}

#[test]
fn serves_the_site_and_nothing_else() {
    let dir = project();
    let server = start(dir.path());
    let (status, body) = request(server.address, "GET", "/");
    assert_eq!(status, 200);
    assert!(body.contains("<table id=\"catalog\""), "{body}");
    assert!(
        body.contains("/__specbook/events"),
        "pages reload themselves"
    );
    let (status, _) = request(server.address, "GET", "/specs/0001-webhook-delivery.html");
    assert_eq!(status, 200);
    let (status, body) = request(server.address, "HEAD", "/board.html");
    assert_eq!((status, body.as_str()), (200, ""));
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e/outside.txt",
        "/specs/leak.png",
        "//etc/passwd",
        "/nothing.html",
    ] {
        let (status, body) = request(server.address, "GET", path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("secret"), "{path}");
    }
    let (status, _) = request(server.address, "POST", "/");
    assert_eq!(status, 405);
    let (status, _) = request(server.address, "DELETE", "/index.html");
    assert_eq!(status, 405);
}

/// DNS rebinding: a page on `evil.example` whose name now resolves to 127.0.0.1 sends
/// `Host: evil.example:PORT`. Only the server's own names are answered.
#[test]
fn a_request_for_another_host_is_refused() {
    let dir = project();
    let server = start(dir.path());
    let port = server.address.port();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, _) = request_for(server.address, &host, "GET", "/");
        assert_eq!(status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let (status, body) = request_for(server.address, &host, "GET", "/");
        assert_eq!(status, 403, "{host}");
        assert!(
            body.starts_with(&format!(
                "specbook serve answers only requests for 127.0.0.1:{port}, localhost:{port}"
            )),
            "{body}"
        );
        assert!(!body.contains("catalog"), "{body}");
        let (status, _) = request_for(server.address, &host, "GET", "/__specbook/events");
        assert_eq!(status, 403, "the reload events too: {host}");
    }
}

/// 200 clients that open a connection and send their headers a byte at a time (slowloris)
/// do not keep anyone else waiting, and each is cut off once the header timeout passes.
#[test]
fn slow_clients_neither_block_others_nor_stay_forever() {
    let dir = project();
    let server = start_with(dir.path(), &[("SPECBOOK_HEADER_TIMEOUT_MS", "1500")]);
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = TcpStream::connect(server.address).unwrap();
            stream.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
            stream
        })
        .collect();
    // Others are answered while all 200 hold their connections.
    for _ in 0..5 {
        let started = Instant::now();
        let (status, _) = request(server.address, "GET", "/board.html");
        assert_eq!(status, 200);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        for stream in &mut slow {
            // Another byte: still sending its headers, never finishing them.
            let _ = stream.write_all(b"s");
        }
    }
    // Past the header timeout the server has closed every one of them.
    std::thread::sleep(Duration::from_millis(2500));
    let mut closed = 0;
    for stream in &mut slow {
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        let mut buffer = [0u8; 512];
        // Closed: end of file, a reset, or hyper's 408 before it closes.
        let timed_out = matches!(
            stream.read(&mut buffer),
            Err(error) if matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
        );
        closed += usize::from(!timed_out);
    }
    assert_eq!(closed, 200);
    // An idle keep-alive connection is closed the same way.
    let mut idle = TcpStream::connect(server.address).unwrap();
    write!(
        idle,
        "GET /board.html HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
    let started = Instant::now();
    let mut all = Vec::new();
    let _ = idle.read_to_end(&mut all);
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the idle connection was closed after {:?}",
        started.elapsed()
    );
}

#[test]
fn an_edited_spec_is_rebuilt_and_announced_within_two_seconds() {
    let dir = project();
    let root = dir.path();
    let server = start(root);
    // The whole site first (the reload it sends is not the edit's).
    wait_for_the_whole_site(server.address);
    let mut events = TcpStream::connect(server.address).unwrap();
    write!(
        events,
        "GET /__specbook/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        server.address
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    // Let the subscription start before the edit.
    std::thread::sleep(Duration::from_millis(300));
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    let edited = text.replacen(
        "## 1. Introduction\n",
        "## 1. Introduction\n\nFreshly edited paragraph.\n",
        1,
    );
    assert_ne!(text, edited);
    let start = Instant::now();
    fs::write(&spec, edited).unwrap();
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while !seen.contains("event: reload") {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "no reload event within 2 s: {seen:?}"
        );
        if let Ok(n) = events.read(&mut buffer) {
            seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    }
    // The event names the pages that changed: only those reload.
    assert!(
        seen.contains("data: specs/0002-search-indexing.html"),
        "{seen:?}"
    );
    let (status, body) = request(server.address, "GET", "/specs/0002-search-indexing.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("Freshly edited paragraph."),
        "the page shows the new text"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

/// Waits until the server serves the whole site (its search index), and the watcher has seen
/// the reads of the build that made it.
fn wait_for_the_whole_site(address: SocketAddr) {
    served_within(
        address,
        "/search/docs.json",
        Duration::from_secs(15),
        |status, _| status == 200,
    );
    std::thread::sleep(Duration::from_millis(300));
}

/// Asks for `path` until `ok` holds of its status and body, for at most `limit`; the last
/// answer.
fn served_within(
    address: SocketAddr,
    path: &str,
    limit: Duration,
    ok: impl Fn(u16, &str) -> bool,
) -> (u16, String) {
    let start = Instant::now();
    loop {
        let (status, body) = request(address, "GET", path);
        if ok(status, &body) {
            return (status, body);
        }
        assert!(
            start.elapsed() < limit,
            "{path}: not as expected within {limit:?}: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An edited spec's page is made at once, before the whole site is built again (here made
/// to take 4 s): its catalog row follows with the whole build.
#[test]
fn an_edited_spec_shows_before_the_whole_site_is_built_again() {
    let dir = project();
    let root = dir.path();
    let server = start_with(root, &[("SPECBOOK_SERVE_REBUILD_DELAY_MS", "4000")]);
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    let edited = text.replace("Search Indexing", "Search Reindexing");
    assert_ne!(text, edited);
    let start = Instant::now();
    fs::write(&spec, edited).unwrap();
    let limit = Duration::from_millis(2500);
    served_within(
        server.address,
        "/specs/0002-search-indexing.html",
        limit,
        |_, body| body.contains("Search Reindexing"),
    );
    let (_, home) = request(server.address, "GET", "/");
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert!(
        !home.contains("Search Reindexing"),
        "the whole build is not done yet"
    );
    served_within(server.address, "/", Duration::from_secs(10), |_, body| {
        body.contains("Search Reindexing")
    });
}

/// A new spec gets its page and its catalog row; a deleted one loses both.
#[test]
fn a_new_spec_shows_and_a_deleted_one_goes() {
    let dir = project();
    let root = dir.path();
    let server = start(root);
    wait_for_the_whole_site(server.address);
    let text = fs::read_to_string(root.join("specs/0002-search-indexing.md")).unwrap();
    let added = root.join("specs/0003-rate-limits.md");
    fs::write(&added, text.replace("Search Indexing", "Rate Limits")).unwrap();
    let limit = Duration::from_secs(10);
    let page = "/specs/0003-rate-limits.html";
    served_within(server.address, page, limit, |status, body| {
        status == 200 && body.contains("Rate Limits")
    });
    served_within(server.address, "/", limit, |_, body| {
        body.contains("Rate Limits")
    });
    fs::remove_file(&added).unwrap();
    served_within(server.address, page, limit, |status, _| status == 404);
    let (_, home) = served_within(server.address, "/", limit, |_, body| {
        !body.contains("Rate Limits")
    });
    assert!(home.contains("Search Indexing"), "{home}");
}

/// Before the whole site is made (here made to take 4 s), the catalog is served and a spec's
/// page is made alone when asked for, the same as the whole build makes it; the search index
/// comes with the whole site.
#[test]
fn the_first_pages_are_served_before_the_whole_site_is_made() {
    let dir = project();
    let root = dir.path();
    let start = Instant::now();
    let server = start_with(root, &[("SPECBOOK_SERVE_REBUILD_DELAY_MS", "4000")]);
    let (status, home) = request(server.address, "GET", "/");
    assert_eq!(status, 200);
    assert!(home.contains("Search Indexing"), "{home}");
    let path = "/specs/0002-search-indexing.html";
    let (status, early) = request(server.address, "GET", path);
    assert_eq!(status, 200);
    assert!(early.contains("Search Indexing"), "{early}");
    let (status, _) = request(
        server.address,
        "GET",
        "/specs/source/0002-search-indexing.html",
    );
    assert_eq!(status, 200);
    assert_eq!(request(server.address, "GET", "/specs/nothing.html").0, 404);
    let (status, _) = request(server.address, "GET", "/search/docs.json");
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(status, 404, "the search index comes with the whole site");
    served_within(
        server.address,
        "/search/docs.json",
        Duration::from_secs(15),
        |status, _| status == 200,
    );
    assert_eq!(request(server.address, "GET", path), (200, early));
}
