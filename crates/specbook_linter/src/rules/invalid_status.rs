//! `invalid-status`: a status outside the lifecycle.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::is_placeholder_value;

pub(crate) const RULE: Rule = Rule {
    name: "invalid-status",
    summary: "The status is not one of the template's statuses",
    doc: r"## What it does
Reports a `Status` value that is not one of the statuses the template lists
(`[Draft/Review/Approved]` by default) or the terminal statuses (`Superseded`, `Withdrawn`).
A value that differs only in case is reported with the correct spelling.

## Why is this bad?
The status decides how strictly a spec is checked and where it appears on the status board. An
unknown status, such as `Pending`, puts the spec outside the lifecycle.

## Fix safety
Safe for a status that differs only in case (`approved` -> `Approved`); other values need the
author to choose.

## Example
```markdown
- **Status:** Pending
```

Use instead:
```markdown
- **Status:** Approved
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: true,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = cx.schema.status_field() else {
        return;
    };
    if cx.statuses().is_empty() {
        return;
    }
    let mut allowed: Vec<&str> = Vec::new();
    for status in cx.statuses().iter().chain(&cx.settings.terminal_statuses) {
        if !allowed.contains(&status.as_str()) {
            allowed.push(status);
        }
    }
    for (field, _) in cx
        .fields_with_specs()
        .filter(|(_, s)| s.is_some_and(|s| std::ptr::eq(s, spec)))
    {
        let value = field.value.as_str();
        if allowed.contains(&value) || is_placeholder_value(value) {
            continue;
        }
        let (span, message) = if value.is_empty() {
            (
                field.label_span.clone(),
                format!(
                    "field `{}` is empty; expected one of {}",
                    field.label,
                    allowed.join(", ")
                ),
            )
        } else if let Some(correct) = allowed.iter().find(|s| s.eq_ignore_ascii_case(value)) {
            let edit = Edit {
                range: field.value_span.clone(),
                content: (*correct).to_owned(),
            };
            let fix = Fix::safe(format!("write `{correct}`"), vec![edit]);
            out.push(
                Diagnostic::new(
                    RULE.name,
                    Severity::Error,
                    field.value_span.clone(),
                    format!("status `{value}` should be written `{correct}`"),
                )
                .with_fix(fix),
            );
            continue;
        } else {
            (
                field.value_span.clone(),
                format!("status `{value}` is not one of {}", allowed.join(", ")),
            )
        };
        out.push(Diagnostic::new(RULE.name, Severity::Error, span, message));
    }
}
