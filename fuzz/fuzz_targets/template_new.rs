//! Any text as a template: read as a schema, a new spec scaffolded from it as `new` does, and
//! that spec checked against it. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use specbook_markdown::{Document, Schema, lf_view};
use specbook_workspace::NewSpec;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(schema) = Schema::from_template(text) else {
        return;
    };
    let spec = NewSpec {
        title: "Fuzzed [v2] | title",
        author: Some("Ada Lovelace"),
        team: Some("Core"),
        today: "2026-12-02",
    };
    let scaffold = specbook_workspace::fill(&schema, &spec);
    let settings = specbook_linter::Settings::default();
    let view = lf_view(&scaffold);
    let doc = Document::parse(&view);
    let diagnostics = specbook_linter::check(&doc, &schema, &settings);
    let _ = specbook_linter::apply_fixes(&scaffold, &diagnostics);
});
