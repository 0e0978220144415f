//! Hover: spec ids and links, field labels, findings.

use serde_json::{Value, json};

use super::complete::{SPEC, cursor, edited};
use super::{Client, fixture_named, uri};
use crate::commands::lsp::Ended;

/// The hover at the `‸` of `marked`, opened as the fixture spec: its Markdown and range.
fn hover(client: &mut Client, marked: &str) -> Value {
    let path = client.root.join(SPEC);
    let (text, position) = cursor(marked);
    client.open(&path, &text);
    let response = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": position}),
    );
    let result = &response["result"];
    if result.is_null() {
        return Value::Null;
    }
    let range = &result["range"];
    json!({
        "range": format!(
            "{}:{}-{}:{}",
            range["start"]["line"], range["start"]["character"],
            range["end"]["line"], range["end"]["character"]
        ),
        "markdown": result["contents"]["value"].as_str().unwrap_or_default().lines().collect::<Vec<_>>(),
    })
}

fn start() -> Client {
    Client::start_in(fixture_named("lsp-complete"))
}

#[test]
fn spec_ids_and_links_show_the_spec() {
    let mut client = start();
    let related = edited("- **Related:** 0002, 0003", "- **Related:** 00‸02, 0003");
    insta::assert_json_snapshot!("relation_entry", hover(&mut client, &related));
    let link = edited("[the search spec]", "[the sea‸rch spec]");
    insta::assert_json_snapshot!("link_to_spec", hover(&mut client, &link));
    let text_id = edited("rate limits follow 0003.", "rate limits follow 00‸03.");
    insta::assert_json_snapshot!("id_in_text", hover(&mut client, &text_id));
    // Plain numbers and dates are not ids.
    let number = edited("Peak load is 2,000 events", "Peak load is 2,0‸00 events");
    assert_eq!(hover(&mut client, &number), Value::Null);
    let date = edited("- **Created:** 2026-09-14", "- **Created:** 2026-0‸9-14");
    assert_eq!(hover(&mut client, &date), Value::Null);
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn field_labels_show_what_they_hold() {
    let mut client = start();
    let status = edited("- **Status:** Review", "- **Sta‸tus:** Review");
    insta::assert_json_snapshot!("status_label", hover(&mut client, &status));
    let created = edited("- **Created:**", "- **Crea‸ted:**");
    insta::assert_json_snapshot!("date_label", hover(&mut client, &created));
    let related = edited("- **Related:**", "- **Rel‸ated:**");
    insta::assert_json_snapshot!("relation_label", hover(&mut client, &related));
    assert_eq!(client.stop(), Ended::Shutdown);
}

#[test]
fn a_finding_shows_its_rule() {
    let mut client = start();
    // `[Target]` after `é` and `𝄞`: the position and range count UTF-16 units.
    let placeholder = edited("- Délivrer 𝄞 [Target]", "- Délivrer 𝄞 [Tar‸get]");
    insta::assert_json_snapshot!("placeholder_finding", hover(&mut client, &placeholder));
    let plain = edited("Customers want to react", "Customers wa‸nt to react");
    assert_eq!(hover(&mut client, &plain), Value::Null);
    assert_eq!(client.stop(), Ended::Shutdown);
}
