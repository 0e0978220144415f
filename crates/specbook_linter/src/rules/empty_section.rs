//! `empty-section`: a section with nothing in it.

use specbook_diagnostics::Diagnostic;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "empty-section",
    summary: "A section has a heading but no content",
    doc: r"## What it does
Reports a template section whose heading is followed by nothing (HTML comments do not count)
before the next heading. Sections whose template has subsections are not reported; their
subsections are.

## Why is this bad?
An empty section looks answered in the outline but is not. In the first status (Draft) this is
a warning; from Review on it is an error. Write `None.` or `Not applicable.` when that is the
answer.

## Example
```markdown
### Future Work

```

Use instead (say so when there is nothing to write):
```markdown
### Future Work
None.
```
",
    severity: SeverityPolicy::Lifecycle,
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let headings = &cx.doc.headings;
    for (s, section) in cx.schema.sections.iter().enumerate() {
        let Some(h) = cx.section_match[s] else {
            continue;
        };
        if !cx.is_empty_section(s) {
            continue;
        }
        out.push(Diagnostic::new(
            RULE.name,
            cx.unfinished_severity(),
            headings[h].span.clone(),
            format!("section `{}` is empty", section.name),
        ));
    }
}
