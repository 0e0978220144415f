//! `heading-level`: a section heading at a different level than the template's.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "heading-level",
    summary: "A section heading has a different level than in the template",
    doc: r"## What it does
Reports a heading that matches a template section by title but not by level, such as
`#### Data Model` where the template has `### Data Model`.

## Why is this bad?
The level says what a section belongs to. A subsection promoted or demoted changes the outline,
the table of contents and the section that is checked for emptiness.

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
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (s, section) in cx.schema.sections.iter().enumerate() {
        let Some(h) = cx.section_match[s] else {
            continue;
        };
        let heading = &cx.doc.headings[h];
        if heading.level != section.level {
            out.push(Diagnostic::new(
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
            ));
        }
    }
}
