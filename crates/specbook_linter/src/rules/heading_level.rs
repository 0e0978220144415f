//! `heading-level`: a section heading at a different level than the template's.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "heading-level",
    summary: "A section heading has a different level than in the template",
    doc: r"## What it does
Reports a heading that matches a template section by title but not by level, such as
`#### Data Model` where the template has `### Data Model`.

## Why is this bad?
The level says what a section belongs to. A subsection promoted or demoted changes the outline,
the table of contents and the section that is checked for emptiness.

## Fix safety
Safe: sets the heading to the template's level (ATX headings; a setext heading is left to the
author).

## Example
```markdown
#### Data Model
```

Use instead:
```markdown
### Data Model
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: true,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (s, section) in cx.schema.sections.iter().enumerate() {
        let Some(h) = cx.section_match[s] else {
            continue;
        };
        let heading = &cx.doc.headings[h];
        if heading.level != section.level {
            let text = cx.doc.text;
            let hashes = text[heading.span.start..]
                .bytes()
                .take_while(|&b| b == b'#')
                .count();
            // ATX headings only: a setext heading's level is its underline.
            let fix = (hashes == usize::from(heading.level)).then(|| {
                let edit = Edit {
                    range: heading.span.start..heading.span.start + hashes,
                    content: "#".repeat(usize::from(section.level)),
                };
                Fix::safe(
                    format!("make it a level {} heading", section.level),
                    vec![edit],
                )
            });
            let mut diagnostic = Diagnostic::new(
                RULE.name,
                Severity::Error,
                heading.span.clone(),
                format!(
                    "section `{}` is a level {} heading; the template has it at level {} (`{} {}`)",
                    section.name,
                    heading.level,
                    section.level,
                    "#".repeat(usize::from(section.level)),
                    section.title
                ),
            );
            diagnostic.fix = fix;
            out.push(diagnostic);
        }
    }
}
