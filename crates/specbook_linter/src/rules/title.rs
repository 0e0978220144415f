//! `title`: the H1 is missing or does not follow the template's title pattern.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "title",
    summary: "The title (H1) is missing or does not follow the template's pattern",
    doc: r"## What it does
Checks the spec's first level-1 heading against the template's: the template's fixed words (for
the default template, `Technical Specification`) must be kept and its placeholder replaced by a
name. A title that still contains the placeholder is left to `placeholder`.

## Why is this bad?
The title is how a spec is found in the catalog, the site and search. A consistent pattern
tells readers what kind of document they are opening.

## Example
```markdown
# Webhook Delivery Notes
```

Use instead:
```markdown
# Webhook Delivery Technical Specification
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    // A stub that points elsewhere ("This file was moved to ...") is not a spec to complete.
    if cx.is_stub() {
        return;
    }
    let Some(pattern) = &cx.schema.title else {
        return;
    };
    let Some(h) = cx.title else {
        out.push(Diagnostic::new(
            RULE.name,
            Severity::Error,
            cx.start_span(),
            format!(
                "the spec has no title; the template starts with `# {}`",
                pattern.text
            ),
        ));
        return;
    };
    let heading = &cx.doc.headings[h];
    let has_placeholder = cx
        .doc
        .placeholders
        .iter()
        .any(|p| heading.title.contains(&p.span.start));
    let title = cx.doc.heading_title(h);
    if has_placeholder || pattern.matches(title) {
        return;
    }
    out.push(Diagnostic::new(
        RULE.name,
        Severity::Error,
        heading.span.clone(),
        format!(
            "title `{title}` does not follow the template's `{}`",
            pattern.describe()
        ),
    ));
}
