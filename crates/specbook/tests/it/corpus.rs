//! A generated corpus with planted defects: `check` finds exactly what was planted.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::run;

#[test]
fn planted_defects_are_found_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    let planted = specbook_corpus::write_corpus(&specs, 3000, 20_261_127, 40).unwrap();
    let out = run(dir.path(), &["check", "specs", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 3000);
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        *found
            .entry(diagnostic["rule"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let planted: BTreeMap<String, usize> = planted
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(rule, n)| (rule.to_owned(), n))
        .collect();
    assert_eq!(
        planted.len(),
        specbook_corpus::RULES.len(),
        "every rule is planted at least once"
    );
    assert_eq!(found, planted);
}
