//! Template text left in a spec, in every form a template uses, each finding naming the
//! template line; text that only looks like a placeholder is left alone; and
//! `[placeholders] patterns` and `ignore`.

use std::fs;
use std::path::Path;

use crate::{fields, run};

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn findings(root: &Path) -> String {
    let out = run(root, &["check", "--format", "json"]);
    assert!(out.code < 2, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    fields(&json, &["path", "line", "severity", "rule", "message"])
        .iter()
        .map(|row| row.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

const TEMPLATE: &str = "# Feature name

* Proposal: [SE-NNNN](NNNN-filename.md)
* Vision: *if applicable* [Vision Name](https://example.com)
* Discussion at: <google group thread> (filled after thread exists)

When filling out this template, you should delete or replace all of
the text except for the section headers and the header fields above.

## Synopsis

(high-level description of and rationale for specification)

## Motivation

Why are we doing this? What use cases does it support?

[Measurable goals]

## Copyright

All content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).
";

#[test]
fn every_form_of_template_text_is_reported_with_its_line() {
    let spec = "# Continuations

* Proposal: [SE-NNNN](NNNN-filename.md)
* Vision: *if applicable* [Vision Name](https://example.com)
* Discussion at: <google group thread> (filled after thread exists)

When filling out this template, you should delete or replace all of the text
except for the section headers and the header fields above.

## Synopsis

(high-level description of and rationale for specification)

## Motivation

Why are we doing this? Because polling is slow.

[Measurable goals]

## Copyright

All content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).
";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"proposals\"\n",
        ),
        ("template.md", TEMPLATE),
        ("proposals/0001-continuations.md", spec),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    proposals/0001-continuations.md 3 error placeholder the template's placeholder `NNNN` is still here (its line 3)
    proposals/0001-continuations.md 3 error broken-link link target `NNNN-filename.md` does not exist
    proposals/0001-continuations.md 4 error placeholder the template's instruction `*if applicable*` is still here (its line 4)
    proposals/0001-continuations.md 5 error placeholder the template's instruction `<google group thread>` is still here (its line 5)
    proposals/0001-continuations.md 5 error placeholder the template's instruction `(filled after thread exists)` is still here (its line 5)
    proposals/0001-continuations.md 7 error placeholder the template's guidance is still here (its line 7): `When filling out this template, you should delete or replace…`
    proposals/0001-continuations.md 12 error placeholder the template's instruction `(high-level description of and rationale for specification)` is still here (its line 12)
    proposals/0001-continuations.md 18 error placeholder placeholder `[Measurable goals]` left from the template (its line 18)
    ");
}

#[test]
fn what_only_looks_like_a_placeholder_is_left_alone() {
    let spec = "# Continuations

* Proposal: [SE-0001](0001-continuations.md)
* Discussion at: https://forums.example.com/t/1

## Synopsis

Continuations for async code (a short description of what we did not change).

## Motivation

[x] I/we understand the owners may require updates to [sig-node] and [LinuxOnly] tests,
/proc/[pid]/status and \"[T]he retry budget\" as in RFC 7231.

Rounding is exact (ties to even [except for casts, which round towards zero]).
Some behaviour is \"To Be Determined\" (TBD): we mean to specify it later.

> Let us land this first.
> [quantheory, Apr 1, 2015]

- [Blog post on the design of continuations]
  (https://blog.example.com/continuations.html), the first sketch.

## Copyright

All content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).
";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"proposals\"\n",
        ),
        ("template.md", TEMPLATE),
        ("proposals/0001-continuations.md", spec),
    ]);
    assert_eq!(findings(dir.path()), "");
}

#[test]
fn patterns_add_forms_and_ignore_silences_them() {
    let spec = "# Continuations

* Proposal: [SE-0001](0001-continuations.md)
* Discussion at: https://forums.example.com/t/1

## Synopsis

Done.

## Motivation

<<[UNRESOLVED open question]>>
Is this the right name?
<<[/UNRESOLVED]>>

We keep [Internal Note] markers, per our style guide.

## Copyright

All content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).
";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"proposals\"\n[placeholders]\npatterns = ['(?s)<<\\[UNRESOLVED.*?<<\\[/UNRESOLVED\\]>>']\nignore = ['^\\[Internal Note\\]$']\n",
        ),
        ("template.md", TEMPLATE),
        ("proposals/0001-continuations.md", spec),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    proposals/0001-continuations.md 12 error placeholder `<<[UNRESOLVED open question]>> Is this the right name? <<[/U…` matches the placeholder pattern `(?s)<<\[UNRESOLVED.*?<<\[/UNRESOLVED\]>>`
    ");
    fs::write(
        dir.path().join("specbook.toml"),
        "[placeholders]\npatterns = ['(unclosed']\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("[placeholders] patterns: `(unclosed` is not a valid regular expression"),
        "{}",
        out.stderr
    );
}

#[test]
fn references_without_definitions_are_broken_links() {
    let template = "# Title

## Checklist

- [ ] Docs updated in [kubernetes/website], for [kubernetes.io]

[kubernetes/website]: https://git.k8s.io/website
[kubernetes.io]: https://kubernetes.io/
";
    let spec = "# Quotas

## Checklist

- [x] Docs updated in [kubernetes/website], for [kubernetes.io]

See the [design notes][notes], the [glossary][] and the [FAQ][faq].

[faq]: https://example.com/faq
[kubernetes.io]: https://kubernetes.io/
";
    let dir = tree(&[
        (
            "specbook.toml",
            "template = \"template.md\"\nspecs = \"specs\"\n",
        ),
        ("template.md", template),
        ("specs/0001-quotas.md", spec),
    ]);
    insta::assert_snapshot!(findings(dir.path()), @r"
    specs/0001-quotas.md 5 error broken-link no link definition for `[kubernetes/website]` (the template defines it; copy its `[kubernetes/website]: ...` line)
    specs/0001-quotas.md 7 error broken-link no link definition for `[notes]`
    specs/0001-quotas.md 7 error broken-link no link definition for `[glossary]`
    ");
}
