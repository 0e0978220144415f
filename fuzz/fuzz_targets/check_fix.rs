//! A spec checked against the built-in template, its safe fixes applied round after round
//! as `check --fix` does, and the result checked again. Nothing may panic, every fix must
//! land on character boundaries of the text it was made for, and the rounds must settle.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use specbook_markdown::{Document, Schema, lf_view};

static SCHEMA: LazyLock<Schema> = LazyLock::new(Schema::builtin);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let schema = &*SCHEMA;
    let settings = specbook_linter::Settings::default();
    let mut text = text.to_owned();
    // `check --fix` stops after a few rounds; a fix that keeps producing another fix would
    // loop there.
    for _ in 0..4 {
        let view = lf_view(&text);
        let doc = Document::parse(&view);
        let diagnostics = specbook_linter::check(&doc, schema, &settings);
        let index = specbook_diagnostics::LineIndex::new(&text);
        for diagnostic in &diagnostics {
            let _ = diagnostic.locate(&text, &index);
        }
        match specbook_linter::apply_fixes(&text, &diagnostics) {
            Some(fixed) => text = fixed,
            None => return,
        }
    }
});
