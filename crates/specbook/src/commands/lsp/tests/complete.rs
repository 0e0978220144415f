//! Completion: sections, fields and their values, spec ids, link paths and anchors.

use serde_json::{Value, json};

use super::{Client, fixture_named, uri};
use crate::commands::lsp::Ended;

pub(super) const SPEC: &str = "specs/0001-webhook-delivery.md";

/// `marked` without its `‸`, and the LSP position (UTF-16) of the `‸`.
pub(super) fn cursor(marked: &str) -> (String, Value) {
    let at = marked.find('‸').expect("a cursor");
    let before = &marked[..at];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    (
        marked.replacen('‸', "", 1),
        json!({"line": line, "character": character}),
    )
}

/// The fixture spec's text with `from` replaced by `to` (which holds the cursor).
pub(super) fn edited(from: &str, to: &str) -> String {
    let path = fixture_named("lsp-complete").join(SPEC);
    let text = std::fs::read_to_string(path).expect("fixture");
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// The completions at the `‸` of `marked`, opened as the fixture spec: `label | detail |
/// new text @ range`.
fn complete(client: &mut Client, marked: &str) -> Vec<String> {
    let path = client.root.join(SPEC);
    let (text, position) = cursor(marked);
    client.open(&path, &text);
    let response = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(&path)}, "position": position}),
    );
    let mut items = response["result"].as_array().expect("a list").clone();
    items.sort_by_key(|item| {
        item["sortText"]
            .as_str()
            .map_or_else(|| item["label"].to_string(), str::to_owned)
    });
    items
        .iter()
        .map(|item| {
            let edit = &item["textEdit"];
            let range = &edit["range"];
            format!(
                "{} | {} | {} @ {}:{}-{}:{}",
                item["label"].as_str().unwrap_or_default(),
                item["detail"].as_str().unwrap_or_default(),
                edit["newText"].as_str().unwrap_or_default(),
                range["start"]["line"],
                range["start"]["character"],
                range["end"]["line"],
                range["end"]["character"],
            )
        })
        .collect()
}

fn start() -> Client {
    Client::start_in(fixture_named("lsp-complete"))
}

#[test]
fn missing_sections_are_offered_where_they_belong() {
    let mut client = start();
    // Between `1. Introduction` and `3. Proposed Solution`: the optional `2. Current Solution`.
    let gap = "within 10 seconds or are treated as failed.\n\n## 3.";
    let marked = edited(gap, "within 10 seconds or are treated as failed.\n‸\n## 3.");
    insta::assert_json_snapshot!("sections_between", complete(&mut client, &marked));
    // After `##` typed, the same, replacing the `##`.
    let marked = edited(
        gap,
        "within 10 seconds or are treated as failed.\n\n## ‸\n## 3.",
    );
    let typed = complete(&mut client, &marked);
    assert_eq!(typed.len(), 1, "{typed:?}");
    assert!(typed[0].starts_with("2. Current Solution |"), "{typed:?}");
    // A subsection removed: offered inside its parent, and later sections are not.
    let marked = edited(
        "### Non-Goals\n- Exactly-once delivery; receivers deduplicate by event id.\n- A general-purpose message bus for internal services.\n\n",
        "‸\n",
    );
    insta::assert_json_snapshot!("subsection_inside_parent", complete(&mut client, &marked));
    // Nothing mid-line, nor on a line with text.
    let marked = edited("### Assumptions", "### Assump‸tions");
    assert_eq!(complete(&mut client, &marked), Vec::<String>::new());
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn sections_in_a_crlf_document() {
    let mut client = start();
    let gap = "within 10 seconds or are treated as failed.\n\n## 3.";
    let marked =
        edited(gap, "within 10 seconds or are treated as failed.\n‸\n## 3.").replace('\n', "\r\n");
    let items = complete(&mut client, &marked);
    assert_eq!(items.len(), 1, "{items:?}");
    let (_, position) = cursor(&marked);
    let line = position["line"].as_u64().expect("line");
    assert!(
        items[0].ends_with(&format!("@ {line}:0-{line}:0")),
        "{items:?} at line {line}"
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn field_labels_and_values() {
    let mut client = start();
    // A field left out: offered in the template's style.
    let marked = edited("- **Team:** Integrations\n", "- ‸\n");
    insta::assert_json_snapshot!("field_labels", complete(&mut client, &marked));
    let marked = edited("- **Status:** Review", "- **Status:** Review‸");
    insta::assert_json_snapshot!("status_values", complete(&mut client, &marked));
    let marked = edited("- **Team:** Integrations", "- **Team:** ‸");
    insta::assert_json_snapshot!("team_values", complete(&mut client, &marked));
    let marked = edited(
        "- **Author(s):** Radia Perlman, Barbara Liskov",
        "- **Author(s):** Radia Perlman, ‸",
    );
    insta::assert_json_snapshot!("author_values", complete(&mut client, &marked));
    let marked = edited("- **Related:** 0002, 0003", "- **Related:** 0002, 00‸");
    insta::assert_json_snapshot!("relation_values", complete(&mut client, &marked));
    let marked = edited("- **Created:** 2026-09-14", "- **Created:** ‸");
    let today = crate::commands::today();
    let dates = complete(&mut client, &marked);
    assert_eq!(dates.len(), 1, "{dates:?}");
    assert!(
        dates[0].starts_with(&format!("{today} | today | {today} @")),
        "{dates:?}"
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn yaml_front_matter_keys() {
    let mut client = start();
    let marked = "---\nstatus: Draft\nteam: Search\n‸\n---\n# Yaml Spec Technical Specification\n\n## 1. Introduction\n";
    insta::assert_json_snapshot!("yaml_keys", complete(&mut client, marked));
    let marked = "---\nstatus: Dr‸\n---\n# Yaml Spec Technical Specification\n";
    insta::assert_json_snapshot!("yaml_status", complete(&mut client, marked));
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn links_get_specs_paths_and_anchors() {
    let mut client = start();
    // After `[` (and before the `]` the editor closed): every other spec.
    let marked = edited("rate limits follow 0003.", "rate limits follow [‸].");
    insta::assert_json_snapshot!("link_specs", complete(&mut client, &marked));
    // In a destination, on a line with `é` and `𝄞` before it: the paths, in UTF-16 ranges.
    let marked = edited(
        "- Délivrer 𝄞 [Target] every event",
        "- Délivrer 𝄞 [Target](ar‸) every event",
    );
    insta::assert_json_snapshot!("link_paths", complete(&mut client, &marked));
    // After `#`: the anchors of the file, or of this document.
    let marked = edited(
        "(0002-search-indexing.md#data-model)",
        "(0002-search-indexing.md#d‸)",
    );
    let anchors = complete(&mut client, &marked);
    assert!(
        anchors
            .iter()
            .any(|a| a.starts_with("data-model | Data Model | data-model @")),
        "{anchors:?}"
    );
    assert_eq!(anchors.len(), 36, "every heading of 0002: {anchors:?}");
    let marked = edited("(0002-search-indexing.md#data-model)", "(#‸)");
    let own = complete(&mut client, &marked);
    assert_eq!(
        own.first().map(String::as_str),
        Some(
            "webhook-délivery--technical-specification | Webhook Délivery 𝄞 Technical Specification | webhook-délivery--technical-specification @ 40:44-40:44"
        )
    );
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn not_a_spec_gets_no_completion() {
    let mut client = start();
    let path = client.root.join("notes.md");
    client.open(&path, "# Notes\n\n");
    let response = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(&path)}, "position": {"line": 1, "character": 0}}),
    );
    assert_eq!(response["result"], Value::Null, "{response}");
    assert_eq!(client.stop(), Ended::Shutdown);
}
