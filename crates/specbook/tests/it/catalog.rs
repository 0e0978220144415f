//! The catalog commands on a dated repository: `list`, `show`, `graph`, `index`.

use std::fs;
use std::path::Path;

use crate::history::{dated_repository, git};
use crate::{fixtures, run, today};

/// `dated_repository` plus two specs: 0002 (Approved, then superseded by 0003, Platform team)
/// and 0003 (a Draft full of placeholders that supersedes 0002 and relates to 0001).
fn catalog_repository() -> tempfile::TempDir {
    let dir = dated_repository();
    let root = dir.path();
    let finished = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    let rate_limiter = finished
        .replace(
            "# Webhook Delivery Technical Specification",
            "# Rate Limiter Technical Specification",
        )
        .replace("**Team:** Integrations", "**Team:** Platform")
        .replace(
            "**Author(s):** Radia Perlman, Barbara Liskov",
            "**Author(s):** Grace Hopper",
        )
        .replace(
            "**Status:** Approved",
            "**Status:** Superseded\n- **Superseded By:** 0003",
        );
    fs::write(root.join("specs/0002-rate-limiter.md"), rate_limiter).unwrap();
    let out = run(
        root,
        &[
            "new",
            "Quota Service",
            "--author",
            "Lin Chen",
            "--team",
            "Platform",
        ],
    );
    assert_eq!(
        out.stdout, "specs/0003-quota-service.md\n",
        "{}",
        out.stderr
    );
    let path = root.join("specs/0003-quota-service.md");
    let draft = fs::read_to_string(&path)
        .unwrap()
        .replace(&today(), "2026-03-05")
        .replace(
            "- **Status:** Draft\n",
            "- **Status:** Draft\n- **Supersedes:** 0002\n- **Related:** 0001\n",
        );
    fs::write(&path, draft).unwrap();
    git(
        root,
        &["add", "-A"],
        "Lin Chen",
        "2026-03-05T12:00:00+01:00",
    );
    git(
        root,
        &["commit", "-q", "-m", "Rate limiter and quota service"],
        "Lin Chen",
        "2026-03-05T12:00:00+01:00",
    );
    dir
}

/// Output with what changes from day to day replaced: today's date, the age in days, and
/// commit hashes (which change whenever `init` writes something new).
fn stable(text: &str) -> String {
    let mut hashless = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        let is_hash = matches!(word.len(), 7 | 40)
            && word
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && word.bytes().any(|b| b.is_ascii_digit());
        hashless.push_str(if is_hash { "HASH" } else { &word });
        word.clear();
        hashless.push(c);
    }
    hashless.pop();
    let text = hashless;
    let text = text.replace(&today(), "TODAY");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("unchanged for ") {
        let after = &rest[i + "unchanged for ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..i]);
        out.push_str("unchanged for N");
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn list_in_every_format_and_with_filters() {
    let dir = catalog_repository();
    let root = dir.path();
    let out = run(root, &["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout, @r"
    ID    TITLE             STATUS      TEAM          AUTHORS                        UPDATED     ERRORS
    0001  Webhook Delivery  Review      Integrations  Radia Perlman, Barbara Liskov  2026-02-10  0
    0002  Rate Limiter      Superseded  Platform      Grace Hopper                   2026-10-02  0
    0003  Quota Service     Draft       Platform      Lin Chen                       2026-03-05  0
    ");
    let out = run(root, &["list", "--format", "csv", "--team", "platform"]);
    insta::assert_snapshot!(out.stdout, @r"
    id,title,status,team,authors,last_updated,errors
    0002,Rate Limiter,Superseded,Platform,Grace Hopper,2026-10-02,0
    0003,Quota Service,Draft,Platform,Lin Chen,2026-03-05,0
    ");
    let out = run(root, &["list", "--status", "review", "--format", "csv"]);
    assert_eq!(
        out.stdout,
        "id,title,status,team,authors,last_updated,errors\n0001,Webhook Delivery,Review,Integrations,Radia Perlman; Barbara Liskov,2026-02-10,0\n"
    );
    let out = run(root, &["list", "--author", "grace"]);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    let out = run(root, &["list", "--stale", "--format", "csv"]);
    assert_eq!(
        out.stdout.lines().count(),
        2,
        "only 0001 is stale: {}",
        out.stdout
    );
    assert!(out.stdout.contains("\n0001,"), "{}", out.stdout);
    let out = run(root, &["list", "--format", "json"]);
    insta::assert_snapshot!("list_json", stable(&out.stdout));
}

#[test]
fn show_reports_the_status_history_from_git() {
    let dir = catalog_repository();
    let out = run(dir.path(), &["show", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("show_text", stable(&out.stdout));
    let out = run(dir.path(), &["show", "quota-service", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["status_history"][0]["to"], "Draft");
    assert_eq!(json["status_history"][0]["author"], "Lin Chen");
    assert_eq!(json["sections"]["present"], json["sections"]["sections"]);
    assert!(json["findings"].as_array().unwrap().len() > 30);
}

#[test]
fn graph_as_mermaid_and_dot() {
    let dir = catalog_repository();
    let out = run(dir.path(), &["graph"]);
    insta::assert_snapshot!(out.stdout, @r#"
    flowchart LR
      s0001["0001 Webhook Delivery (Review)"]
      s0002["0002 Rate Limiter (Superseded)"]
      s0003["0003 Quota Service (Draft)"]
      s0003 -->|supersedes| s0002
      s0001 ---|related| s0003
    "#);
    let out = run(dir.path(), &["graph", "--format", "dot"]);
    insta::assert_snapshot!(out.stdout, @r#"
    digraph specs {
      rankdir=LR;
      node [shape=box];
      "0001" [label="0001 Webhook Delivery (Review)"];
      "0002" [label="0002 Rate Limiter (Superseded)"];
      "0003" [label="0003 Quota Service (Draft)"];
      "0003" -> "0002" [label="supersedes"];
      "0001" -> "0003" [label="related", dir=none, style=dashed];
    }
    "#);
}

fn index_of(root: &Path) -> String {
    fs::read_to_string(root.join("docs/INDEX.md")).unwrap()
}

#[test]
fn index_writes_between_the_markers_and_check_follows_status_changes() {
    let dir = catalog_repository();
    let root = dir.path();
    fs::create_dir(root.join("docs")).unwrap();
    let intro = "# Our specs\n\nWritten by hand.\n\n<!-- specbook-index:start -->\n";
    let outro = "<!-- specbook-index:end -->\n\nMore hand-written text.\n";
    fs::write(
        root.join("docs/INDEX.md"),
        format!("{intro}old rows\n{outro}"),
    )
    .unwrap();
    let args = ["index", "--output", "docs/INDEX.md"];
    let out = run(root, &[&args[..], &["--check"]].concat());
    assert_eq!(out.code, 1, "{}", out.stdout);
    let out = run(root, &args);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "wrote 3 specs to docs/INDEX.md\n")
    );
    let index = index_of(root);
    assert!(
        index.starts_with(intro) && index.ends_with(outro),
        "{index}"
    );
    insta::assert_snapshot!(index, @r"
    # Our specs

    Written by hand.

    <!-- specbook-index:start -->
    | ID | Title | Status | Team | Author(s) | Last Updated |
    | --- | --- | --- | --- | --- | --- |
    | 0001 | [Webhook Delivery](../specs/0001-webhook-delivery.md) | Review | Integrations | Radia Perlman, Barbara Liskov | 2026-02-10 |
    | 0002 | [Rate Limiter](../specs/0002-rate-limiter.md) | Superseded | Platform | Grace Hopper | 2026-10-02 |
    | 0003 | [Quota Service](../specs/0003-quota-service.md) | Draft | Platform | Lin Chen | 2026-03-05 |
    <!-- specbook-index:end -->

    More hand-written text.
    ");
    let out = run(root, &[&args[..], &["--check"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);

    let out = run(root, &["status", "3", "Withdrawn", "--by", "Lin"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(root, &[&args[..], &["--check"]].concat());
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: docs/INDEX.md is out of date; run `specbook index --output docs/INDEX.md`\n"
    );
    assert_eq!(run(root, &args).code, 0);
    assert!(index_of(root).contains("| Withdrawn |"));
    let out = run(root, &[&args[..], &["--check"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn index_creates_the_default_file_in_the_spec_folder_and_check_ignores_it() {
    let dir = catalog_repository();
    let root = dir.path();
    let out = run(root, &["index"]);
    assert_eq!(
        out.stdout, "wrote 3 specs to specs/README.md\n",
        "{}",
        out.stderr
    );
    let readme = fs::read_to_string(root.join("specs/README.md")).unwrap();
    assert!(
        readme.contains("[Quota Service](0003-quota-service.md)"),
        "{readme}"
    );
    let out = run(root, &["list", "--format", "csv"]);
    assert_eq!(out.stdout.lines().count(), 4, "README.md is not a spec");
    let out = run(root, &["index", "--check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn index_adds_markers_to_a_file_without_them_and_says_so() {
    let dir = catalog_repository();
    let root = dir.path();
    fs::write(root.join("SPECS.md"), "# Specs\n\nHand-written intro.\n").unwrap();
    let out = run(root, &["index", "--output", "SPECS.md"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("note: SPECS.md had no index markers"),
        "{}",
        out.stderr
    );
    let text = fs::read_to_string(root.join("SPECS.md")).unwrap();
    assert!(
        text.starts_with("# Specs\n\nHand-written intro.\n\n<!-- specbook-index:start -->\n| ID |"),
        "{text}"
    );
    let out = run(root, &["index", "--output", "SPECS.md"]);
    assert_eq!(out.stdout, "SPECS.md is up to date\n");
    assert_eq!(out.stderr, "");
}

/// A title with brackets and a pipe: `new` escapes the brackets in the heading, and `index`
/// keeps those escapes (it once doubled their backslash, which broke the link) and escapes
/// the pipe for the table cell.
#[test]
fn index_escapes_titles_once_for_the_cell_and_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let out = run(root, &["new", "Parser [v2] | pipes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let spec = fs::read_to_string(root.join("specs/0001-parser-v2-pipes.md")).unwrap();
    assert!(
        spec.starts_with("# Parser \\[v2\\] | pipes Technical Specification\n"),
        "{spec}"
    );
    assert_eq!(run(root, &["index"]).code, 0);
    let readme = fs::read_to_string(root.join("specs/README.md")).unwrap();
    assert!(
        readme.contains("| 0001 | [Parser \\[v2\\] \\| pipes](0001-parser-v2-pipes.md) | Draft |"),
        "{readme}"
    );
}

/// `index --output` through a symlink to a file outside the repository is refused, and the
/// file it points to is left alone.
#[test]
fn index_never_writes_through_a_symlink_out_of_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim.md");
    fs::write(&target, "not yours\n").unwrap();
    let dir = catalog_repository();
    let root = dir.path();
    std::os::unix::fs::symlink(&target, root.join("INDEX.md")).unwrap();
    let out = run(root, &["index", "--output", "INDEX.md"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("INDEX.md") && out.stderr.contains("outside the repository"),
        "{}",
        out.stderr
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "not yours\n");
    assert!(
        fs::symlink_metadata(root.join("INDEX.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A field left as the template's placeholder (`[Team Name]`) is not set: never a team in
/// the list, the index or `show`, and still a finding.
#[test]
fn placeholder_fields_are_not_catalog_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    assert_eq!(run(root, &["new", "Webhooks", "--author", "Ada"]).code, 0);
    let spec = fs::read_to_string(root.join("specs/0001-webhooks.md")).unwrap();
    assert!(spec.contains("- **Team:** [Team Name]"), "{spec}");
    let out = run(root, &["list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list[0]["team"], serde_json::Value::Null, "{}", out.stdout);
    assert_eq!(list[0]["authors"], serde_json::json!(["Ada"]));
    let out = run(root, &["show", "1"]);
    assert!(out.stdout.contains("\nteam          -\n"), "{}", out.stdout);
    assert_eq!(run(root, &["index"]).code, 0);
    let index = fs::read_to_string(root.join("specs/README.md")).unwrap();
    assert!(!index.contains("Team Name"), "{index}");
    let out = run(root, &["check", "--format", "concise"]);
    assert!(
        out.stdout.contains("placeholder `[Team Name]`"),
        "{}",
        out.stdout
    );
}

/// `show` and `check` share one definition of an empty section: a section whose text is
/// all under a subheading of its own is not empty; one with nothing is empty for both.
#[test]
fn show_and_check_agree_on_empty_sections() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    let text = fs::read_to_string(fixtures().join("finished.md")).unwrap();
    let start = text.find("### Data Model\n").unwrap() + "### Data Model\n".len();
    let end = text.find("### Business Logic").unwrap();
    let text = format!(
        "{}#### Tables\n\nTwo tables.\n\n{}",
        &text[..start],
        &text[end..]
    );
    let start = text.find("### API Design\n").unwrap() + "### API Design\n".len();
    let end = text.find("### User Interface").unwrap();
    let text = format!("{}\n{}", &text[..start], &text[end..]);
    fs::write(root.join("specs/0001-webhook-delivery.md"), text).unwrap();
    let out = run(root, &["show", "1"]);
    let empty: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("empty    "))
        .collect();
    assert_eq!(empty, ["API Design"], "{}", out.stdout);
    let out = run(
        root,
        &["check", "--format", "concise", "--select", "empty-section"],
    );
    let flagged: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("[empty-section]"))
        .collect();
    assert_eq!(flagged.len(), 1, "{}", out.stdout);
    assert!(
        flagged[0].contains("`API Design` is empty"),
        "{}",
        out.stdout
    );
}
