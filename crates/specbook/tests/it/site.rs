//! `specbook build`: the static site, its pages and what it refuses to do.

use std::fs;

use crate::{examples, run};

/// A project with the two shipped examples and a spec whose raw HTML tries to run scripts.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    for name in ["0001-webhook-delivery.md", "0002-search-indexing.md"] {
        fs::copy(examples().join(name), root.join("specs").join(name)).unwrap();
    }
    let hostile = fs::read_to_string(examples().join("0001-webhook-delivery.md"))
        .unwrap()
        .replace("# Webhook Delivery Technical Specification", "# Hostile Technical Specification")
        .replace(
            "## 1. Introduction\n",
            "## 1. Introduction\n\n<script>window.pwned = 1</script>\n<img src=\"x.png\" onerror=\"window.pwned = 1\">\n<a href=\"javascript:window.pwned = 1\">click</a>\n<iframe src=\"https://evil.example\"></iframe>\n\nSee [the webhook spec](0001-webhook-delivery.md#1-introduction).\n",
        );
    fs::write(root.join("specs/0003-hostile.md"), hostile).unwrap();
    dir
}

#[test]
fn build_writes_the_pages_and_snapshots_are_stable() {
    let dir = project();
    let root = dir.path();
    let out = run(root, &["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "built 11 pages for 3 specs in site\n");
    let site = root.join("site");
    for file in [
        "index.html",
        "board.html",
        "health.html",
        "assets/style.css",
        "assets/site.js",
        "specs/0001-webhook-delivery.html",
        "specs/0002-search-indexing.html",
        "specs/0003-hostile.html",
        "specs/source/0003-hostile.html",
        "search.html",
        "graph.html",
        "assets/nav.js",
        ".specbook-site",
    ] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }
    insta::assert_snapshot!(
        "home_page",
        fs::read_to_string(site.join("index.html")).unwrap()
    );
    insta::assert_snapshot!(
        "spec_page",
        fs::read_to_string(site.join("specs/0002-search-indexing.html")).unwrap()
    );
    // A second build gives the same bytes.
    let before = fs::read(site.join("specs/0002-search-indexing.html")).unwrap();
    assert_eq!(run(root, &["build"]).code, 0);
    assert_eq!(
        fs::read(site.join("specs/0002-search-indexing.html")).unwrap(),
        before
    );
}

#[test]
fn hostile_html_is_defused_and_links_between_specs_point_at_pages() {
    let dir = project();
    let root = dir.path();
    assert_eq!(run(root, &["build"]).code, 0);
    let page = fs::read_to_string(root.join("site/specs/0003-hostile.html")).unwrap();
    for banned in ["<script>window", "onerror", "javascript:", "<iframe"] {
        assert!(!page.contains(banned), "{banned} survived");
    }
    // The source view shows the raw HTML as text.
    let source = fs::read_to_string(root.join("site/specs/source/0003-hostile.html")).unwrap();
    assert!(
        source.contains("&lt;script&gt;window.pwned = 1&lt;/script&gt;"),
        "{source}"
    );
    assert!(!source.contains("<script>window"), "{source}");
    assert!(
        page.contains("href=\"0001-webhook-delivery.html#1-introduction\""),
        "a link to another spec points at its page"
    );
}

#[test]
fn a_killed_build_leaves_the_old_site_whole_and_never_blocks_the_next() {
    let dir = project();
    let root = dir.path();
    assert_eq!(run(root, &["build"]).code, 0);
    let index = fs::read(root.join("site/index.html")).unwrap();
    // What a build killed half-way leaves: a partial site beside the real one, without its
    // marker, and nothing in the real one.
    fs::create_dir_all(root.join(".site.specbook-new-4000000000/specs")).unwrap();
    fs::write(
        root.join(".site.specbook-new-4000000000/index.html"),
        "<html><bo",
    )
    .unwrap();
    assert_eq!(fs::read(root.join("site/index.html")).unwrap(), index);
    let out = run(root, &["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!root.join(".site.specbook-new-4000000000").exists());
    assert_eq!(fs::read(root.join("site/index.html")).unwrap(), index);
    let names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("specbook-"))
        .collect();
    assert_eq!(names, Vec::<String>::new());
    // A rebuild keeps unchanged pages as they were (the same file, not a rewrite).
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let before = fs::metadata(root.join("site/index.html")).unwrap().ino();
        assert_eq!(run(root, &["build"]).code, 0);
        let after = fs::metadata(root.join("site/index.html")).unwrap().ino();
        assert_eq!(before, after);
    }
}

#[test]
fn build_leaves_a_folder_that_is_not_a_site_alone() {
    let dir = project();
    let root = dir.path();
    fs::create_dir(root.join("site")).unwrap();
    fs::write(root.join("site/notes.txt"), "mine\n").unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a specbook site"),
        "{}",
        out.stderr
    );
    assert_eq!(
        fs::read_to_string(root.join("site/notes.txt")).unwrap(),
        "mine\n"
    );
    let out = run(root, &["build", "--out", "public"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_theme_replaces_templates_and_assets() {
    let dir = project();
    let root = dir.path();
    fs::create_dir_all(root.join("theme/assets")).unwrap();
    fs::write(
        root.join("theme/assets/style.css"),
        "body { color: rebeccapurple; }\n",
    )
    .unwrap();
    fs::write(
        root.join("theme/board.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Our board: {{ columns | length }} columns</p>{% endblock %}",
    )
    .unwrap();
    let out = run(root, &["build", "--theme", "theme"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(root.join("site/assets/style.css")).unwrap(),
        "body { color: rebeccapurple; }\n"
    );
    let board = fs::read_to_string(root.join("site/board.html")).unwrap();
    assert!(board.contains("<p>Our board: 5 columns</p>"), "{board}");
}

#[test]
fn search_ranks_titles_first_and_the_site_carries_the_same_index() {
    let dir = project();
    let root = dir.path();
    let out = run(root, &["search", "webhook", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let results: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let ids: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.first(), Some(&"0001"), "{}", out.stdout);
    let out = run(root, &["search", "index", "--status", "review"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.lines().all(|l| l.contains("(Review)")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("0002  Search Indexing"),
        "{}",
        out.stdout
    );
    let out = run(root, &["search", "qwxyzzy"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (1, "no spec matches `qwxyzzy`\n")
    );

    assert_eq!(run(root, &["build"]).code, 0);
    let docs = fs::read_to_string(root.join("site/search/docs.json")).unwrap();
    assert!(docs.starts_with("[{\"id\":\"0001\""), "{docs}");
    // The search fetches the documents of its results in chunks of 32: the first is this.
    let chunk = fs::read_to_string(root.join("site/search/d/0.json")).unwrap();
    assert_eq!(chunk, docs);
    // "webhook" lives in the shard of "we".
    let shard = fs::read_to_string(root.join("site/search/t/7765.json")).unwrap();
    assert!(shard.contains("\"webhook\":[[0,"), "{shard}");
}

#[test]
fn mermaid_diagrams_when_the_config_enables_them() {
    let dir = project();
    let root = dir.path();
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(
        &spec,
        text.replacen(
            "## 1. Introduction\n",
            "## 1. Introduction\n\n```mermaid\ngraph LR\n  writer --> index\n```\n",
            1,
        ),
    )
    .unwrap();
    assert_eq!(run(root, &["build"]).code, 0);
    let page = fs::read_to_string(root.join("site/specs/0002-search-indexing.html")).unwrap();
    assert!(
        page.contains("<code class=\"language-mermaid\">"),
        "off by default"
    );
    assert!(!root.join("site/assets/mermaid.min.js").exists());

    let config = fs::read_to_string(root.join("specbook.toml")).unwrap();
    fs::write(
        root.join("specbook.toml"),
        config.replace(
            "[site]\n",
            "[site]\nmermaid = true\ntitle = \"Our Specs\"\n",
        ),
    )
    .unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = fs::read_to_string(root.join("site/specs/0002-search-indexing.html")).unwrap();
    assert!(
        page.contains("<pre class=\"mermaid\">graph LR\n  writer --&gt; index\n</pre>"),
        "{page}"
    );
    assert!(
        page.contains("<script src=\"..&#x2f;assets/mermaid.min.js\"></script>"),
        "{page}"
    );
    assert!(
        page.contains("<title>0002 Search Indexing · Our Specs</title>"),
        "{page}"
    );
    assert!(root.join("site/assets/mermaid.min.js").is_file());
    let other = fs::read_to_string(root.join("site/specs/0001-webhook-delivery.html")).unwrap();
    assert!(
        !other.contains("mermaid.min.js"),
        "only pages with diagrams load the script"
    );
}

/// A superseded spec's page opens with a banner linking its successor; a withdrawn one says
/// it is kept for the record.
#[test]
fn superseded_and_withdrawn_pages_say_so_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(run(root, &["init"]).code, 0);
    for title in ["Alpha", "Beta", "Gamma"] {
        assert_eq!(run(root, &["new", title]).code, 0);
    }
    assert_eq!(run(root, &["supersede", "1", "2"]).code, 0);
    assert_eq!(run(root, &["status", "3", "Withdrawn"]).code, 0);
    assert_eq!(run(root, &["build"]).code, 0);
    let page = |name: &str| fs::read_to_string(root.join("site/specs").join(name)).unwrap();
    let alpha = page("0001-alpha.html");
    assert!(
        alpha.contains(
            "<p class=\"banner\" role=\"note\">This spec is superseded by <a href=\"..&#x2f;specs&#x2f;0002-beta.html\">0002 Beta</a>.</p>"
        ),
        "{alpha}"
    );
    assert!(page("0003-gamma.html").contains("This spec is withdrawn: it is kept for the record"),);
    assert!(!page("0002-beta.html").contains("class=\"banner\""));
}

#[test]
fn site_settings_that_cannot_work_are_refused_by_name() {
    let dir = project();
    let root = dir.path();
    let config = root.join("specbook.toml");
    let original = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        original.replace(
            "[site]\n",
            "[site]\nedit_url = \"https://git.example/edit\"\n",
        ),
    )
    .unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r#"error: specbook.toml: [site] edit_url = "https://git.example/edit" must be an http(s) address with {path} where the file's path goes, e.g. "https://github.com/org/repo/edit/main/{path}""#);
    fs::write(
        &config,
        original.replace("[site]\n", "[site]\n[site.colors]\nApproved = \"green\"\n"),
    )
    .unwrap();
    let out = run(root, &["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr, @r##"error: specbook.toml: [site.colors] Approved = "green" is not a colour like "#2da44e""##);
    fs::write(&config, original.replace("[site]\n", "[site]\nedit_url = \"https://git.example/org/repo/edit/main/{path}\"\n[site.colors]\nApproved = \"#2da44e\"\n")).unwrap();
    assert_eq!(run(root, &["build"]).code, 0);
    let page = fs::read_to_string(root.join("site/specs/0001-webhook-delivery.html"))
        .unwrap()
        .replace("&#x2f;", "/");
    assert!(
        page.contains(
            "href=\"https://git.example/org/repo/edit/main/specs/0001-webhook-delivery.md\""
        ),
        "{page}"
    );
    assert!(page.contains("--hue: 137; --sat: 57%"), "{page}");
}

#[test]
fn the_recorded_status_history_is_on_the_spec_page() {
    let dir = project();
    let root = dir.path();
    let out = run(
        root,
        &[
            "status",
            "0001",
            "Draft",
            "--force",
            "--by",
            "Ana Lima",
            "--reason",
            "needs a security review",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(run(root, &["build"]).code, 0);
    let page = fs::read_to_string(root.join("site/specs/0001-webhook-delivery.html")).unwrap();
    let history = &page[page.find("<details class=\"history\"").expect("a history")..];
    let history = &history[..history.find("</details>").unwrap()];
    assert!(
        history.contains("Approved → Draft <span class=\"by\">by Ana Lima</span> <span class=\"note\">(forced: needs a security review)</span>"),
        "{history}"
    );
}

#[test]
fn search_keeps_its_index_and_follows_every_change() {
    let dir = project();
    let root = dir.path();
    let ids = |query: &str| -> Vec<String> {
        let out = run(root, &["search", query, "--format", "json"]);
        assert!(out.code <= 1, "{}", out.stderr);
        let results: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        results
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = run(root, &["search", "webhook", "--format", "json"]);
    // No git here: the index is kept in the project's `.specbook/` folder.
    assert!(root.join(".specbook/search-v1.bin").is_file());
    assert_eq!(
        run(root, &["search", "webhook", "--format", "json"]).stdout,
        first.stdout
    );
    assert!(ids("zebra").is_empty());

    // Edited, added, removed: each shows at once (a change within the clock's tick included).
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, with_paragraph(&text, "A zebra.")).unwrap();
    assert_eq!(ids("zebra"), ["0002"]);
    let added = fs::read_to_string(examples().join("0001-webhook-delivery.md"))
        .unwrap()
        .replace(
            "# Webhook Delivery Technical Specification",
            "# Zebra Crossing Technical Specification",
        );
    fs::write(root.join("specs/0004-zebra.md"), added).unwrap();
    assert_eq!(ids("zebra"), ["0004", "0002"]);
    fs::remove_file(&spec).unwrap();
    assert_eq!(ids("zebra"), ["0004"]);

    // A damaged index is made again.
    fs::write(
        root.join(".specbook/search-v1.bin"),
        "specbook-search v2 5 5 5\nxx",
    )
    .unwrap();
    assert_eq!(ids("zebra"), ["0004"]);
    // A search of one folder ranks among its specs and leaves the index as it is.
    let kept = fs::read(root.join(".specbook/search-v1.bin")).unwrap();
    fs::create_dir(root.join("other")).unwrap();
    fs::copy(
        root.join("specs/0004-zebra.md"),
        root.join("other/0005-zebra.md"),
    )
    .unwrap();
    let out = run(
        root,
        &["search", "zebra", "--path", "other", "--format", "json"],
    );
    assert!(out.stdout.contains("0005"), "{}", out.stdout);
    assert_eq!(
        fs::read(root.join(".specbook/search-v1.bin")).unwrap(),
        kept
    );
}

/// Every file of the site in `dir` but its manifest, by path (with `/`).
fn site_tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(
        root: &std::path::Path,
        dir: &std::path::Path,
        out: &mut std::collections::BTreeMap<String, Vec<u8>>,
    ) {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if name != specbook_site::MANIFEST {
                    out.insert(name, fs::read(&path).unwrap());
                }
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// [`project`] with two more specs: 0004 shows an image, 0005 (not a neighbour of 0001 in
/// the catalog) links to 0001. No finding tells when a link's target goes (broken-link is
/// off): the page's record of its links does.
fn incremental_project() -> tempfile::TempDir {
    let dir = project();
    let (root, specs) = (dir.path(), dir.path().join("specs"));
    let config = root.join("specbook.toml");
    let text = fs::read_to_string(&config).unwrap();
    let text = text.replace("[rules]\n", "[rules]\nbroken-link = \"off\"\n");
    fs::write(&config, text).unwrap();
    let text = fs::read_to_string(specs.join("0002-search-indexing.md")).unwrap();
    let with = |title: &str, paragraph: &str| {
        with_paragraph(&text.replace("Search Indexing", title), paragraph)
    };
    fs::write(
        specs.join("0004-extra.md"),
        with("Extra", "![The flow](img/flow.png)"),
    )
    .unwrap();
    fs::create_dir(specs.join("img")).unwrap();
    fs::write(specs.join("img/flow.png"), b"\x89PNG one").unwrap();
    fs::write(
        specs.join("0005-linker.md"),
        with("Linker", "As [webhooks](0001-webhook-delivery.md) do."),
    )
    .unwrap();
    dir
}

/// `text` (a spec of the built-in template) with `paragraph` at the start of its introduction.
fn with_paragraph(text: &str, paragraph: &str) -> String {
    let intro = "## 1. Introduction\n";
    text.replace(intro, &format!("{intro}\n{paragraph}\n"))
}

/// Builds over the last site with `args`, then into an empty folder, and asserts that both
/// have the same files, byte for byte. Returns what the first build printed.
fn rebuilt_as_clean(root: &std::path::Path, args: &[&str], what: &str) -> String {
    let build = |args: &[&str]| {
        let out = run(root, args);
        assert_eq!(out.code, 0, "{what}: {}", out.stderr);
        out.stdout
    };
    let stdout = build(args);
    let clean: Vec<&str> = args.iter().copied().chain(["--out", "clean"]).collect();
    assert!(!build(&clean).contains("unchanged"), "{what}");
    let (incremental, clean) = (
        site_tree(&root.join("site")),
        site_tree(&root.join("clean")),
    );
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (name, bytes) in &incremental {
        assert!(
            bytes == &clean[name],
            "{what}: {name} differs from a clean build"
        );
    }
    fs::remove_dir_all(root.join("clean")).unwrap();
    stdout
}

/// A change to the project, and what the build after it prints of the pages it kept (`None`:
/// it kept none, every page shows the change).
type Change<'a> = (&'static str, Box<dyn Fn() + 'a>, Option<&'static str>);

/// After each change, a build over the last site renders only the spec pages the change
/// touches and gives the same files, byte for byte, as a build into an empty folder.
#[test]
fn an_incremental_build_is_byte_for_byte_a_clean_one() {
    let dir = incremental_project();
    let (root, specs) = (dir.path(), dir.path().join("specs"));
    let out = run(root, &["build"]);
    assert_eq!(
        out.stdout, "built 15 pages for 5 specs in site\n",
        "{}",
        out.stderr
    );
    let edit = |path: std::path::PathBuf, from: &str, to: &str| {
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{}", path.display());
        fs::write(&path, text.replace(from, to)).unwrap();
    };
    let rename = |from: &str, to: &str| fs::rename(specs.join(from), specs.join(to)).unwrap();
    let changes: Vec<Change<'_>> = vec![
        (
            "nothing",
            Box::new(|| {}),
            Some("0 spec pages rendered, 5 unchanged"),
        ),
        (
            "a spec edited",
            Box::new(|| {
                let intro = "## 1. Introduction\n";
                let path = specs.join("0002-search-indexing.md");
                edit(path, intro, &format!("{intro}\nA new sentence.\n"));
            }),
            Some("1 spec pages rendered, 4 unchanged"),
        ),
        (
            // The page is kept; the image is copied again.
            "an image changed",
            Box::new(|| fs::write(specs.join("img/flow.png"), b"\x89PNG two").unwrap()),
            Some("0 spec pages rendered, 5 unchanged"),
        ),
        (
            // Every page's footer counts the specs: all are made again.
            "a spec added",
            Box::new(|| {
                let text = fs::read_to_string(specs.join("0002-search-indexing.md")).unwrap();
                let text = text.replace("Search Indexing", "Added Later");
                fs::write(specs.join("0006-added.md"), text).unwrap();
            }),
            None,
        ),
        (
            "a spec deleted",
            Box::new(|| fs::remove_file(specs.join("0006-added.md")).unwrap()),
            None,
        ),
        (
            // Its page, the next one's (which names it) and those of the two specs that link
            // to it are made again; 0004's is kept.
            "a spec renamed",
            Box::new(|| rename("0001-webhook-delivery.md", "0001-webhooks.md")),
            Some("4 spec pages rendered, 1 unchanged"),
        ),
        (
            "the link's target back",
            Box::new(|| rename("0001-webhooks.md", "0001-webhook-delivery.md")),
            Some("4 spec pages rendered, 1 unchanged"),
        ),
        (
            "the template changed",
            Box::new(|| {
                let end = "- [Link 2]: [Description]";
                let path = root.join("templates/tech-spec.md");
                edit(path, end, &format!("{end}\n\n## 11. Glossary\n\n[Terms]\n"));
            }),
            None,
        ),
        (
            "the config's title changed",
            Box::new(|| {
                let path = root.join("specbook.toml");
                edit(path, "# title = \"Specs\"", "title = \"Our specs\"");
            }),
            None,
        ),
    ];
    for (what, change, expected) in &changes {
        change();
        let stdout = rebuilt_as_clean(root, &["build"], what);
        match expected {
            Some(kept) => assert!(stdout.contains(kept), "{what}: {stdout}"),
            None => assert!(!stdout.contains("unchanged"), "{what}: {stdout}"),
        }
    }
    assert_eq!(
        fs::read(root.join("site/specs/img/flow.png")).unwrap(),
        b"\x89PNG two"
    );
}

/// A theme's templates and assets, then an edit of its template: every page is made again,
/// as a clean build makes it.
#[test]
fn an_incremental_build_follows_the_theme() {
    let dir = incremental_project();
    let root = dir.path();
    assert_eq!(run(root, &["build"]).code, 0);
    fs::create_dir_all(root.join("theme/assets")).unwrap();
    fs::write(
        root.join("theme/assets/style.css"),
        "body { color: teal; }\n",
    )
    .unwrap();
    for template in ["<p>{{ spec.title }}</p>", "<p>Spec: {{ spec.title }}</p>"] {
        fs::write(
            root.join("theme/spec.html"),
            format!("{{% extends \"base.html\" %}}{{% block main %}}{template}{{% endblock %}}"),
        )
        .unwrap();
        let stdout = rebuilt_as_clean(root, &["build", "--theme", "theme"], template);
        assert!(!stdout.contains("unchanged"), "{stdout}");
    }
    let page = fs::read_to_string(root.join("site/specs/0004-extra.html")).unwrap();
    assert!(page.contains("<p>Spec: Extra</p>"), "{page}");
    let style = fs::read_to_string(root.join("site/assets/style.css")).unwrap();
    assert_eq!(style, "body { color: teal; }\n");
}

/// A manifest that cannot be read (damaged, or of another version) only costs the speed: every
/// page is made again, the same as a clean build.
#[test]
fn a_damaged_manifest_makes_every_page_again() {
    let dir = incremental_project();
    let root = dir.path();
    assert_eq!(run(root, &["build"]).code, 0);
    let manifest = root.join("site").join(specbook_site::MANIFEST);
    let mut bytes = fs::read(&manifest).unwrap();
    let half = bytes.len() / 2;
    bytes.truncate(half);
    fs::write(&manifest, bytes).unwrap();
    let stdout = rebuilt_as_clean(root, &["build"], "a damaged manifest");
    assert_eq!(stdout, "built 15 pages for 5 specs in site\n");
    // And the next build keeps every page again.
    let out = run(root, &["build"]);
    assert!(
        out.stdout.contains("0 spec pages rendered, 5 unchanged"),
        "{}",
        out.stdout
    );
}

/// A rebuild killed at a step of its update of the site (`SPECBOOK_TEST_CRASH_AT`, like
/// `kill -9`) is undone by the next build: built from the old specs, it finds the old site's
/// files as they were (it renders no page again) and nothing of the killed one's journal;
/// killed after its last step, the new site stays. Steps are tried from the first, further
/// and further apart, then the last one is looked for between the last two tried.
#[test]
fn a_rebuild_killed_at_any_step_is_rolled_back_by_the_next() {
    let dir = incremental_project();
    let root = dir.path();
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    let edited = with_paragraph(&text, "A sentence with newword in it.");
    assert_eq!(run(root, &["build"]).code, 0);
    let old = site_tree(&root.join("site"));
    // What the build after one killed at `step` printed, `None` when that one was not killed.
    let killed_at = |step: usize| {
        fs::write(&spec, &edited).unwrap();
        let status = crate::specbook_process(root)
            .args(["build"])
            .env("SPECBOOK_TEST_CRASH_AT", step.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        fs::write(&spec, &text).unwrap();
        if status.success() {
            // Back to the old site for the next step.
            assert_eq!(run(root, &["build"]).code, 0);
            return None;
        }
        assert!(status.code().is_none(), "step {step}: {status}");
        let out = run(root, &["build"]);
        assert_eq!(out.code, 0, "step {step}: {}", out.stderr);
        assert!(site_tree(&root.join("site")) == old, "step {step}");
        Some(out.stdout)
    };
    let mut killed: Vec<(usize, String)> = Vec::new();
    let mut step = 0;
    let ran = loop {
        match killed_at(step) {
            Some(stdout) => killed.push((step, stdout)),
            None => break step,
        }
        step = if step < 4 { step + 1 } else { step * 2 };
    };
    assert!(ran > 4, "an update of one spec has more steps than {ran}");
    let (mut low, mut high) = (killed.last().map_or(0, |k| k.0), ran);
    while high - low > 1 {
        let middle = usize::midpoint(low, high);
        match killed_at(middle) {
            Some(stdout) => {
                killed.push((middle, stdout));
                low = middle;
            }
            None => high = middle,
        }
    }
    for (step, stdout) in &killed {
        // After the last step the journal is ended and the new site in place.
        let kept = if *step == low {
            "1 spec pages rendered, 4 unchanged"
        } else {
            "0 spec pages rendered, 5 unchanged"
        };
        assert!(stdout.contains(kept), "step {step} of {low}: {stdout}");
    }
    assert!(killed.iter().any(|k| k.0 == low));
    fs::write(&spec, &edited).unwrap();
    rebuilt_as_clean(root, &["build"], "after the kills");
}

/// Builds into the same folder at the same time take turns (the site's lock): each one ends
/// well and the site is what a clean build makes.
#[test]
fn builds_at_the_same_time_take_turns() {
    let dir = incremental_project();
    let root = dir.path();
    assert_eq!(run(root, &["build"]).code, 0);
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, with_paragraph(&text, "New.")).unwrap();
    let builds: Vec<std::process::Child> = (0..3)
        .map(|_| {
            crate::specbook_process(root)
                .args(["build"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut build in builds {
        assert!(build.wait().unwrap().success());
    }
    rebuilt_as_clean(root, &["build"], "after builds at the same time");
}

/// A rebuild that keeps pages changes the site's folder in place; one that can keep none (its
/// title changed) makes a fresh folder and swaps it in, which is faster for it.
#[cfg(unix)]
#[test]
fn a_rebuild_that_keeps_no_page_makes_a_fresh_folder() {
    use std::os::unix::fs::MetadataExt as _;
    let dir = incremental_project();
    let root = dir.path();
    let folder = || fs::metadata(root.join("site")).unwrap().ino();
    assert_eq!(run(root, &["build"]).code, 0);
    let first = folder();
    let spec = root.join("specs/0002-search-indexing.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, with_paragraph(&text, "New.")).unwrap();
    let out = run(root, &["build"]);
    assert!(
        out.stdout.contains("1 spec pages rendered"),
        "{}",
        out.stdout
    );
    assert_eq!(folder(), first, "updated in place");
    let out = run(root, &["build", "--title", "Other"]);
    assert!(!out.stdout.contains("unchanged"), "{}", out.stdout);
    assert_ne!(folder(), first, "a fresh folder");
    rebuilt_as_clean(root, &["build", "--title", "Other"], "after a fresh folder");
}
