//! Unit tests of the generator as a whole.

use std::collections::BTreeMap;

use crate::outline::OUTLINE;
use crate::{RULES, generate};

#[test]
fn same_seed_same_output() {
    assert_eq!(generate(30, 42, 50), generate(30, 42, 50));
    assert_ne!(generate(5, 42, 50), generate(5, 43, 50));
}

#[test]
fn smaller_corpus_is_a_prefix() {
    assert_eq!(generate(40, 9, 30)[..10], generate(10, 9, 30)[..]);
}

#[test]
fn rules_are_sorted_and_unique() {
    assert!(RULES.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn every_defect_appears_in_a_large_run() {
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for spec in generate(2_000, 7, 30) {
        for (rule, n) in spec.planted {
            assert!(n >= 1);
            *totals.entry(rule).or_default() += n;
        }
    }
    for rule in RULES {
        assert!(
            totals.get(rule).copied().unwrap_or(0) > 0,
            "{rule} never planted"
        );
    }
}

#[test]
fn average_size_is_about_eleven_kilobytes() {
    let specs = generate(500, 3, 0);
    let sizes: Vec<usize> = specs.iter().map(|s| s.text.len()).collect();
    let average = sizes.iter().sum::<usize>() / sizes.len();
    assert!((9_000..=13_000).contains(&average), "average {average}");
    let min = sizes.iter().min().copied().unwrap_or(0);
    let max = sizes.iter().max().copied().unwrap_or(0);
    assert!(min >= 5_500 && max <= 17_000, "min {min} max {max}");
}

#[test]
fn finished_spec_has_every_template_heading_in_order() {
    let template = include_str!("../../specbook_markdown/templates/tech-spec.md");
    let expected: Vec<&str> = template.lines().filter(|l| l.starts_with("##")).collect();
    assert_eq!(expected.len(), OUTLINE.len());
    for spec in generate(50, 11, 0) {
        assert!(spec.planted.is_empty());
        let headings: Vec<&str> = outside_code(&spec.text)
            .into_iter()
            .filter(|l| l.starts_with('#'))
            .collect();
        assert!(
            headings[0].ends_with(" Technical Specification"),
            "{}",
            headings[0]
        );
        assert_eq!(headings[1..], expected[..], "{}", spec.file_name);
    }
}

/// Lines outside fenced code blocks.
fn outside_code(text: &str) -> Vec<&str> {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let marker = if line.starts_with("```") {
            Some("```")
        } else if line.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m && line.trim() == m => fence = None,
            (None, None) => out.push(line),
            _ => {}
        }
    }
    out
}

/// Brackets outside code that are not links, citations, footnotes or task boxes, and
/// TODO-style markers outside code.
fn stray_placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in outside_code(text) {
        // Drop code spans.
        let mut plain = String::new();
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                plain.push(c);
            }
        }
        for marker in ["TODO", "TBD", "FIXME"] {
            if plain.contains(marker) {
                found.push(format!("{marker} in {line:?}"));
            }
        }
        let mut rest = plain.as_str();
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            let Some(close) = after.find(']') else { break };
            let inner = &after[..close];
            let next = after[close + 1..].chars().next();
            let allowed = inner.starts_with('^')
                || inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
                || (inner == "x" && matches!(rest[..open].trim(), "" | "-"))
                || matches!(next, Some('(' | '['))
                || line.starts_with(&format!("[{inner}]: http"))
                || text.contains(&format!("\n[{inner}]: http"));
            if !allowed {
                found.push(format!("[{inner}] in {line:?}"));
            }
            rest = &after[close + 1..];
        }
    }
    found
}

#[test]
fn finished_specs_have_no_placeholders_outside_code() {
    for spec in generate(300, 5, 0) {
        assert_eq!(
            stray_placeholders(&spec.text),
            Vec::<String>::new(),
            "{}",
            spec.file_name
        );
    }
}

#[test]
fn planted_placeholders_are_counted_exactly() {
    for spec in generate(400, 13, 100) {
        let expected = spec.planted.get("placeholder").copied().unwrap_or(0);
        assert_eq!(
            stray_placeholders(&spec.text).len(),
            expected,
            "{}",
            spec.file_name
        );
    }
}

#[test]
fn specs_use_code_tables_links_and_footnotes() {
    let specs = generate(200, 17, 0);
    let share = |needle: &str| specs.iter().filter(|s| s.text.contains(needle)).count();
    assert!(share("\n```") > 50);
    assert!(share("\n| --- |") > 50);
    assert!(share("](https://") > 150);
    assert!(share("[^1]: ") > 20);
    assert!(share("# not a heading") > 20);
}
