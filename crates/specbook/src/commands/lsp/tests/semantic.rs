//! Semantic help: placeholders as semantic tokens, the inlay hint at the title.

use serde_json::{Value, json};

use super::navigate::{WEBHOOKS, at, opened, root};
use super::{Client, uri};
use crate::commands::lsp::Ended;

/// Delta-encoded tokens as absolute `L13:11 len 8 type 0 mods 1` lines.
fn decoded(data: &Value) -> Vec<String> {
    let numbers: Vec<u64> = data
        .as_array()
        .unwrap_or_else(|| panic!("token data: {data}"))
        .iter()
        .map(|n| n.as_u64().expect("a number"))
        .collect();
    let (mut line, mut start) = (0, 0);
    numbers
        .chunks(5)
        .map(|token| {
            line += token[0];
            start = if token[0] == 0 {
                start + token[1]
            } else {
                token[1]
            };
            format!(
                "L{line}:{start} len {} type {} mods {}",
                token[2], token[3], token[4]
            )
        })
        .collect()
}

#[test]
fn placeholders_are_semantic_tokens_one_per_line() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri(&path)}}),
    );
    let lf = decoded(&tokens["result"]["data"]);
    // `[Target]` after `Délivrer 𝄞 ` (12 UTF-16 units), `[TODO: merge with` + `the first]`
    // (one placeholder on two lines), `[Owner]`.
    insta::assert_json_snapshot!("placeholder_tokens", lf);
    assert_eq!(at(&text, "[Target]"), json!({"line": 13, "character": 12}));

    // The same tokens with CRLF line ends.
    let crlf = text.replace('\n', "\r\n");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(&path), "version": 2},
            "contentChanges": [{"text": crlf}]
        }),
    );
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri(&path)}}),
    );
    assert_eq!(decoded(&tokens["result"]["data"]), lf);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn the_legend_names_the_placeholder_tokens() {
    let capabilities = crate::commands::lsp::capabilities();
    let value = serde_json::to_value(capabilities).expect("JSON");
    insta::assert_json_snapshot!(
        "semantic_capabilities",
        json!({
            "semanticTokensProvider": value["semanticTokensProvider"],
            "inlayHintProvider": value["inlayHintProvider"],
        })
    );
}

fn hints(client: &mut Client, path: &std::path::Path, end_line: u32) -> Value {
    client.request(
        "textDocument/inlayHint",
        json!({
            "textDocument": {"uri": uri(path)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": end_line, "character": 0}}
        }),
    )["result"]
        .clone()
}

#[test]
fn the_title_shows_the_status_and_the_template() {
    let root = root();
    let (mut client, text) = opened(&root, WEBHOOKS);
    let path = root.join(WEBHOOKS);
    let webhooks = hints(&mut client, &path, 30);
    // The status as the editor has it, not as saved.
    let retries = root.join("specs/0002-retry-policy.md");
    let retries_text = std::fs::read_to_string(&retries)
        .expect("fixture")
        .replace("Draft", "Review");
    client.open(&retries, &retries_text);
    let edited = hints(&mut client, &retries, 30);
    // A range that misses the title: nothing.
    let path_text = text.replace("# Webhook", "Intro.\n\n# Webhook");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(&path), "version": 2},
            "contentChanges": [{"text": path_text}]
        }),
    );
    let missed = hints(&mut client, &path, 1);
    insta::assert_json_snapshot!(
        "inlay_hints",
        json!({"0001": webhooks, "0002 edited": edited, "outside the range": missed})
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}
