//! The configuration file: keys, errors with locations, and how it fits the template.

use super::*;
use specbook_diagnostics::Severity;

#[test]
fn unknown_keys_are_errors_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE);
    std::fs::write(&path, "template = \"t.md\"\ntemplte = 1\n").unwrap();
    let error = Config::load(&path).unwrap_err().to_string();
    assert!(error.contains("line 2, column 1"), "{error}");
    assert!(error.contains("templte"), "{error}");
}

#[test]
fn names_must_exist_in_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE);
    let schema = Schema::builtin();
    std::fs::write(
        &path,
        "optional_sections = [\"User Interface\"]\n[lifecycle]\nstrict = [\"Review\"]\n",
    )
    .unwrap();
    Config::load(&path).unwrap().validate(&schema, &[]).unwrap();
    std::fs::write(&path, "optional_sections = [\"Nonexistent\"]\n").unwrap();
    let error = Config::load(&path)
        .unwrap()
        .validate(&schema, &[])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`Nonexistent` is not a section of the template"),
        "{error}"
    );
    for (config, expected) in [
        ("[lifecycle]\nstatuses = []\n", "the list is empty"),
        (
            "[lifecycle]\nstatuses = [\"Draft\", \"Draft\"]\n",
            "`Draft` is listed twice",
        ),
        (
            "[lifecycle]\nterminal = [\"Approved\"]\n",
            "`Approved` is already a status",
        ),
    ] {
        std::fs::write(&path, config).unwrap();
        let error = Config::load(&path)
            .unwrap()
            .validate(&schema, &[])
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{error}");
    }
    std::fs::write(&path, "[lifecycle]\nstrict = [\"Nope\"]\n").unwrap();
    let error = Config::load(&path)
        .unwrap()
        .validate(&schema, &[])
        .unwrap_err()
        .to_string();
    assert!(error.contains("`Nope` is not a status"), "{error}");
}

#[test]
fn terminal_statuses_take_the_lifecycle_case() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE);
    let mut schema =
        Schema::from_template("---\nstage: draft | candidate | final\n---\n## Synopsis\n").unwrap();
    assert_eq!(schema.statuses, vec!["draft", "candidate", "final"]);
    std::fs::write(&path, "[lifecycle]\nfield = \"stage\"\n").unwrap();
    let mut config = Config::load(&path).unwrap();
    config.settle(&mut schema);
    assert_eq!(
        config.settings.terminal_statuses,
        vec!["superseded", "withdrawn"]
    );
    assert_eq!(schema.status_field().unwrap().label, "stage");
    // Renamed or turned off, they are as written.
    std::fs::write(&path, "[lifecycle]\nterminal = []\n").unwrap();
    let mut config = Config::load(&path).unwrap();
    config.settle(&mut schema);
    assert!(config.settings.terminal_statuses.is_empty());
    // A field the template lacks becomes the lifecycle field.
    let mut schema = Schema::builtin();
    std::fs::write(
        &path,
        "[lifecycle]\nfield = \"Phase\"\nstatuses = [\"Idea\", \"Done\"]\n",
    )
    .unwrap();
    let mut config = Config::load(&path).unwrap();
    config.settle(&mut schema);
    assert_eq!(schema.status_field().unwrap().label, "Phase");
    assert_eq!(
        config.settings.terminal_statuses,
        vec!["Superseded", "Withdrawn"]
    );
}

#[test]
fn rule_levels_and_unknown_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE);
    std::fs::write(
        &path,
        "[rules]\nunknown-section = \"off\"\nplaceholder = { severity = \"error\" }\n",
    )
    .unwrap();
    let settings = Config::load(&path).unwrap().settings;
    assert_eq!(settings.grade("unknown-section", Severity::Warning), None);
    assert_eq!(
        settings.grade("placeholder", Severity::Warning),
        Some(Severity::Error)
    );
    assert_eq!(
        settings.grade("title", Severity::Error),
        Some(Severity::Error)
    );
    std::fs::write(&path, "[rules]\nplacehloder = \"off\"\n").unwrap();
    let error = Config::load(&path).unwrap_err().to_string();
    assert!(
        error.contains("unknown rule `placehloder` in [rules]; did you mean `placeholder`?"),
        "{error}"
    );
    std::fs::write(&path, "[rules]\nplaceholder = \"warn\"\n").unwrap();
    let error = Config::load(&path).unwrap_err().to_string();
    assert!(
        error.contains(
            "[rules] placeholder = \"warn\": expected \"error\", \"warning\", \"info\" or \"off\""
        ),
        "{error}"
    );
}

#[test]
fn paths_are_relative_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join(CONFIG_FILE),
        "template = \"templates/t.md\"\nspecs = \"specs\"\n",
    )
    .unwrap();
    let config = Config::discover(&dir.path().join("sub")).unwrap();
    assert_eq!(config.template.unwrap(), dir.path().join("templates/t.md"));
    assert_eq!(config.specs[0].base, dir.path().join("specs"));
    std::fs::write(
        dir.path().join(CONFIG_FILE),
        "specs = [\"text/*.md\", \"keps/*/*/README.md\"]\nid_prefix = \"KEP-\"\n",
    )
    .unwrap();
    let config = Config::discover(dir.path()).unwrap();
    let bases: Vec<_> = config.specs.iter().map(|s| s.base.clone()).collect();
    assert_eq!(
        bases,
        vec![dir.path().join("text"), dir.path().join("keps")]
    );
    assert_eq!(config.ids.prefix.as_deref(), Some("KEP-"));
    std::fs::write(dir.path().join(CONFIG_FILE), "id_prefix = \"SE 1\"\n").unwrap();
    let error = Config::discover(dir.path()).unwrap_err().to_string();
    assert!(
        error.contains("id_prefix = \"SE 1\": expected letters"),
        "{error}"
    );
}
