//! `invalid-status`: a status outside the lifecycle.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::is_placeholder_value;
use crate::same_status;
use crate::suggest::nearest;
use specbook_markdown::StatusValue;

pub(crate) const RULE: Rule = Rule {
    name: "invalid-status",
    summary: "The status is not one of the template's statuses",
    doc: r"## What it does
Reports a `Status` value that is not one of the statuses the template lists
(`[Draft/Review/Approved]` by default) or the terminal statuses (`Superseded`, `Withdrawn`).
Emphasis around the value is markup (`**Implemented**`) and a trailing parenthesis is a
qualifier kept apart (`Implemented (Swift 5.5)` is the status `Implemented`). A value that
differs only in case or spacing is the same status: it is checked as that status, and an info
finding offers the lifecycle's spelling. A value that is no status is an error, with the
nearest status when it looks like a typo.

## Why is this bad?
The status decides how strictly a spec is checked and where it appears on the status board. An
unknown status, such as `Pending`, puts the spec outside the lifecycle.

## Fix safety
Safe for a status that differs only in case or spacing (`approved` -> `Approved`); other values
need the author to choose.

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
        if is_placeholder_value(value) {
            continue;
        }
        if value.is_empty() {
            if !spec.optional {
                out.push(Diagnostic::new(
                    RULE.name,
                    Severity::Error,
                    field.label_span.clone(),
                    format!(
                        "field `{}` is empty; expected one of {}",
                        field.label,
                        allowed.join(", ")
                    ),
                ));
            }
            continue;
        }
        let split = StatusValue::split(value);
        let written = &value[split.status.clone()];
        // Where the status is in the file: exact when the value is written as it reads.
        let exact = cx.doc.text.get(field.value_span.clone()) == Some(value);
        let span = if exact {
            field.value_span.start + split.status.start..field.value_span.start + split.status.end
        } else {
            field.value_span.clone()
        };
        if allowed.contains(&written) {
            continue;
        }
        if let Some(correct) = allowed.iter().find(|s| same_status(s, written)) {
            // The status is valid; only its spelling differs from the lifecycle's.
            let mut diagnostic = Diagnostic::new(
                RULE.name,
                Severity::Info,
                span.clone(),
                format!("status `{written}` is written `{correct}` in the lifecycle"),
            );
            if exact {
                let edit = Edit {
                    range: span,
                    content: (*correct).to_owned(),
                };
                diagnostic =
                    diagnostic.with_fix(Fix::safe(format!("write `{correct}`"), vec![edit]));
            }
            out.push(diagnostic);
            continue;
        }
        let mut message = format!("status `{written}` is not one of {}", allowed.join(", "));
        if let Some(suggestion) = nearest(written, allowed.iter().copied()) {
            message.push_str(&format!("; did you mean `{suggestion}`?"));
        }
        out.push(Diagnostic::new(RULE.name, Severity::Error, span, message));
    }
}
