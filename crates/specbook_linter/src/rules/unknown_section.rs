//! `unknown-section`: a heading the template does not have.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "unknown-section",
    summary: "A heading matches no section of the template",
    doc: r"## What it does
Reports headings that match no template section, and a template section written twice.
Headings a spec adds inside a template section are its own structure and are not reported
(`[sections] strict_subsections = true` reports those added beside the template's own
subsections); under an unknown heading only the outermost one is reported. Headings match by
their rendered text, with numbering, case, an `(Optional)` marker and `[sections] aliases`
taken into account, and a numbered example continues (`Story 3` after the template's `Story 1`
and `Story 2`).

## Why is this bad?
Usually it is a renamed or misspelt section (which then also shows up as missing), or content
that belongs in one of the template's sections. It is a warning: teams may add sections.

## Example
```markdown
## 4. Architecture Overview
```

Use instead:
```markdown
## 4. Architecture
```
",
    severity: SeverityPolicy::Always(Severity::Warning),
    fixable: false,
    scope: Scope::Document,
    check,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Matched {
        has_children: bool,
    },
    /// Structure inside a leaf section, or the title/front matter.
    Free,
    Unknown,
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let headings = &cx.doc.headings;
    let mut kinds: Vec<Kind> = Vec::with_capacity(headings.len());
    // Enclosing headings (the title excluded), innermost last.
    let mut stack: Vec<usize> = Vec::new();
    for (h, heading) in headings.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&p| headings[p].level >= heading.level)
        {
            stack.pop();
        }
        let parent = stack.last().copied();
        if Some(h) != cx.title {
            stack.push(h);
        }
        if Some(h) == cx.title || Some(h) == cx.front_matter {
            kinds.push(Kind::Free);
            continue;
        }
        if let Some(s) = cx.heading_match[h] {
            kinds.push(Kind::Matched {
                has_children: cx.schema.sections[s].has_children,
            });
            continue;
        }
        let kind = match parent.map(|p| kinds[p]) {
            Some(Kind::Matched { has_children })
                if !has_children || !cx.settings.strict_subsections =>
            {
                Kind::Free
            }
            Some(Kind::Free) => Kind::Free,
            Some(Kind::Unknown) => {
                kinds.push(Kind::Free);
                continue;
            }
            _ => Kind::Unknown,
        };
        if kind == Kind::Unknown {
            let title = cx.doc.heading_title(h);
            let duplicate = cx.schema.sections.iter().any(|s| s.key == heading.key);
            let message = if duplicate {
                format!("section `{title}` appears more than once; the template has it once")
            } else {
                format!("section `{title}` is not in the template")
            };
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Warning,
                heading.span.clone(),
                message,
            ));
        }
        kinds.push(kind);
    }
}
