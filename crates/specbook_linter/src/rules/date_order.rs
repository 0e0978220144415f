//! `date-order`: a later date field before the first one (Last Updated before Created).

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::FieldKind;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::parse_date;

pub(crate) const RULE: Rule = Rule {
    name: "date-order",
    summary: "A date field is earlier than the template's first date field (Last Updated before Created)",
    doc: r"## What it does
Compares the date fields in the template's order: every later date field (such as
`Last Updated`) must be on or after the first one (such as `Created`). Invalid dates are left
to `invalid-date`.

## Why is this bad?
A spec updated before it was created has a typo in one of the two dates, and staleness checks
and the catalog's sorting then go wrong.

## Example
```markdown
- **Created:** 2026-09-14
- **Last Updated:** 2026-09-01
```

Use instead:
```markdown
- **Created:** 2026-09-14
- **Last Updated:** 2026-10-02
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let mut date_specs = cx
        .schema
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Date);
    let Some(first_spec) = date_specs.next() else {
        return;
    };
    let value_of = |spec| {
        cx.field_of(spec)
            .and_then(|f| parse_date(&f.value).map(|d| (f, d)))
    };
    let Some((first, first_date)) = value_of(first_spec) else {
        return;
    };
    for spec in date_specs {
        let Some((field, date)) = value_of(spec) else {
            continue;
        };
        if date < first_date {
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                field.value_span.clone(),
                format!(
                    "`{}` ({date}) is before `{}` ({first_date})",
                    field.label, first.label
                ),
            ));
        }
    }
}
