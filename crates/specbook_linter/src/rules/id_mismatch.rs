//! `id-mismatch`: a field that states the spec's number disagrees with its path.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::SpecId;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "id-mismatch",
    summary: "A field stating the spec's number disagrees with the number in its path",
    doc: r"## What it does
Compares the field that states a spec's number with the number its path gives it (the number
in the nearest path component that has one). The field is the one named like the word before
the number in the path (`eip: 1559` in `eip-1559.md`, `ics: 2` in `ics-002-client/`), an `id`
or `number` field, or the field whose template value is a number placeholder (`ics: (number)`,
`Proposal: [SE-NNNN](NNNN-filename.md)`). Numbers are compared, so `0300`, `300` and `SE-0300`
agree.

## Why is this bad?
Links, relations and conversations use the number. When the file says 1558 and its name says
1559, one of them is a copy-paste slip, and readers and tools disagree about which spec is
which.

## Example
```markdown
---
eip: 1558
title: Fee market change for ETH 1.0 chain
---
```
in `EIPS/eip-1559.md`.

Use instead:
```markdown
---
eip: 1559
title: Fee market change for ETH 1.0 chain
---
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(path) = cx.path_id else {
        return;
    };
    let Some((field, _)) = cx.id_field() else {
        return;
    };
    // A value that is no number (a placeholder left, `TBD`) is other rules' business.
    let Some(stated) = SpecId::parse(&field.value) else {
        return;
    };
    if stated.number == path.number {
        return;
    }
    out.push(Diagnostic::new(
        RULE.name,
        Severity::Error,
        field.value_span.clone(),
        format!(
            "`{}` says {} but the path says {} ({}); one of them is wrong",
            field.label, stated.number, path.number, path.component
        ),
    ));
}
