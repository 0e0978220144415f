//! `broken-link`: a relative link to a file that does not exist, or to a missing heading.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "broken-link",
    summary: "A relative link points to a missing file or to a heading the target does not have",
    doc: r"## What it does
Checks links, images and link reference definitions whose destination is a relative path
(`../0003-search.md`, `diagrams/flow.png`, `#goals`): the file must exist, and a `#fragment`
must be the anchor of a heading in the target Markdown file, as GitHub makes anchors (lower
case, punctuation dropped, spaces as `-`). External URLs are not fetched. A full or collapsed
reference (`[text][label]`, `[text][]`) needs a definition of its label, and so does a
shortcut reference (`[label]`) whose label the template defines.

## Why is this bad?
Specs link to each other and to their diagrams. A file renamed or renumbered, or a heading
reworded, leaves links that 404 on the forge and in the published site.

## Example
```markdown
See the [retry policy](#retry-polcy).
```

Use instead:
```markdown
See the [retry policy](#retry-policy).
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Workspace,
    check,
};

/// Marks a candidate that is already a finding: a reference with no definition needs no other
/// file to tell (the workspace drops the mark).
pub const SETTLED: char = '\u{1}';

/// Every relative destination is a candidate; the workspace resolves it against the files.
/// References with no definition are findings at once.
fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (span, label) in &cx.doc.undefined_references {
        out.push(Diagnostic::new(
            RULE.name,
            Severity::Error,
            span.clone(),
            format!("{SETTLED}no link definition for `[{label}]`"),
        ));
    }
    // `[kubernetes/website]`: the template defines it; a spec that copies the text without
    // the definition has a broken link.
    for placeholder in &cx.doc.placeholders {
        let text = cx.doc.slice(&placeholder.span);
        if placeholder.kind == specbook_markdown::PlaceholderKind::Bracket
            && cx.schema.defines_link(&text[1..text.len() - 1])
        {
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                placeholder.span.clone(),
                format!(
                    "{SETTLED}no link definition for `{text}` (the template defines it; copy its `{text}: ...` line)"
                ),
            ));
        }
    }
    for link in &cx.doc.links {
        let destination = cx.doc.slice(link);
        if is_relative(destination) {
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                link.clone(),
                destination.to_owned(),
            ));
        }
    }
}

/// Not `https:`, `mailto:` or `//host`: a path in the repository or a `#fragment`.
#[must_use]
pub fn is_relative(destination: &str) -> bool {
    if destination.is_empty() || destination.starts_with("//") || destination.starts_with('?') {
        return false;
    }
    let scheme = destination.find(':').is_some_and(|colon| {
        let name = &destination[..colon];
        name.len() > 1
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    !scheme
}

#[cfg(test)]
mod tests {
    use super::is_relative;

    #[test]
    fn relative_destinations() {
        for d in [
            "0003-x.md",
            "../a.md#b",
            "#goals",
            "img/a.png",
            "/docs/a.md",
            "C:x",
        ] {
            assert!(is_relative(d), "{d}");
        }
        for d in ["https://x.y", "mailto:a@b.c", "//cdn.x/y", "tel:123", ""] {
            assert!(!is_relative(d), "{d}");
        }
    }
}
