//! `superseded-without-successor`: a spec marked Superseded that does not say by what.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::RelationKind;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "superseded-without-successor",
    summary: "A superseded spec does not name the spec that replaces it",
    doc: r"## What it does
Reports a spec whose status is the terminal `Superseded` status but whose front matter has no
`Superseded By` entry naming a spec number.

## Why is this bad?
A reader who lands on a superseded spec needs the one that replaced it; without the link, they
act on a dead design or give up. `specbook supersede OLD NEW` writes both sides at once.

## Example
```markdown
- **Status:** Superseded
```

Use instead:
```markdown
- **Status:** Superseded
- **Superseded By:** 0012
```
",
    severity: SeverityPolicy::Always(Severity::Warning),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(superseded) = cx.settings.superseded_status() else {
        return;
    };
    if cx.status != Some(superseded) {
        return;
    }
    let has_successor = cx
        .relations
        .iter()
        .any(|r| r.kind == RelationKind::SupersededBy && r.id.is_some());
    if has_successor {
        return;
    }
    let Some(status) = cx.schema.status_field().and_then(|spec| cx.field_of(spec)) else {
        return;
    };
    out.push(Diagnostic::new(
        RULE.name,
        Severity::Warning,
        status.value_span.clone(),
        format!(
            "the spec is {superseded} but names no successor; add `Superseded By: NNNN` (or run `specbook supersede OLD NEW`)"
        ),
    ));
}
