//! `invalid-date`: a date field that is not an ISO 8601 calendar date.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::FieldKind;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::{is_placeholder_value, parse_date};

pub(crate) const RULE: Rule = Rule {
    name: "invalid-date",
    summary: "A date field is not a valid YYYY-MM-DD date",
    doc: r#"## What it does
Reports a value of a date field (a field whose template placeholder is `[Date]` or
`YYYY-MM-DD`, or one `[fields.NAME] type = "date"` types) that is empty (unless the field is
optional) or not a real calendar date written `YYYY-MM-DD`. An ISO 8601 date-time
(`2019-02-25T00:00:00.000Z`) is a valid date and counts as the day it is written on.

## Why is this bad?
Dates drive ordering, staleness and the catalog. `2026-13-45`, `03/04/2026` or `next week`
cannot be compared and mean different things to different readers.

## Example
```markdown
- **Created:** 2026-13-45
```

Use instead:
```markdown
- **Created:** 2026-09-14
```
"#,
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for (field, spec) in cx.fields_with_specs() {
        let Some(spec) = spec else {
            continue;
        };
        if spec.kind != FieldKind::Date || is_placeholder_value(&field.value) {
            continue;
        }
        if field.value.is_empty() {
            if spec.optional {
                continue;
            }
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                field.label_span.clone(),
                format!("field `{}` has no date; expected YYYY-MM-DD", field.label),
            ));
        } else if parse_date(&field.value).is_none() {
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                field.value_span.clone(),
                format!(
                    "`{}` is not a valid date in field `{}`; expected YYYY-MM-DD",
                    field.value, field.label
                ),
            ));
        }
    }
}
