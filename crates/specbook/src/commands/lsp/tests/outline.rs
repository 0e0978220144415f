//! Document symbols and folding ranges.

use serde_json::json;

use super::{Client, SPEC, fixture, uri};
use crate::commands::lsp::Ended;

#[test]
fn the_section_tree_is_the_document_symbols_and_the_folds() {
    let mut client = Client::start();
    let path = fixture().join(SPEC);
    let text = std::fs::read_to_string(&path).expect("fixture");
    client.open(&path, &text);
    let document = json!({"textDocument": {"uri": uri(&path)}});
    let symbols = client.request("textDocument/documentSymbol", document.clone());
    insta::assert_json_snapshot!("document_symbols", symbols["result"]);
    let folds = client.request("textDocument/foldingRange", document);
    insta::assert_json_snapshot!("folding_ranges", folds["result"]);
    // Not a spec: no symbols.
    let scratch = fixture().join("notes/scratch.md");
    client.open(&scratch, "# Notes\n");
    let none = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&scratch)}}),
    );
    assert_eq!(none["result"], serde_json::Value::Null, "{none}");
    assert_eq!(client.stop(), Ended::Shutdown);
}
