//! `specbook lsp` as an editor starts it: LSP over stdin and stdout with Content-Length framing.

use std::io::Write as _;
use std::process::Stdio;

use crate::{fixtures, specbook_process};

fn framed(message: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{message}", message.len())
}

#[test]
fn lsp_answers_initialize_and_shutdown_then_exits_0() {
    let mut child = specbook_process(&fixtures().join("lsp"))
        .args(["lsp", "--log-level", "off"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("specbook lsp starts");
    let input = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ]
    .map(framed)
    .concat();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("specbook lsp ends");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(stdout.starts_with("Content-Length: "), "{stdout}");
    assert!(stdout.contains(r#""textDocumentSync""#), "{stdout}");
    assert!(stdout.contains(r#""id":2,"result":null"#), "{stdout}");
    assert!(stderr.is_empty(), "--log-level off logs nothing: {stderr}");
}
