//! `unknown-field`: a front-matter field the template does not have, or unreadable front matter.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::field_key;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::RELATION_FIELDS;
use crate::suggest::nearest;

pub(crate) const RULE: Rule = Rule {
    name: "unknown-field",
    summary: "A front-matter field is not in the template, or is given twice",
    doc: r"## What it does
Reports front-matter fields the template does not define (with the nearest field name when it
looks like a typo) and fields given twice. The relation fields `Supersedes`, `Superseded By` and
`Related` are allowed with any template, and so are the field stating the spec's number (`eip:
1559` in `eip-1559.md`, see `id-mismatch`) and the fields `allow_unknown_fields` in
specbook.toml lists.

## Why is this bad?
A misspelt field is a missing field that nobody notices: `Stauts: Approved` leaves the spec
without a status. Tools reading the catalog see only the fields the template defines.

## Example
```markdown
- **Stauts:** Approved
```

Use instead:
```markdown
- **Status:** Approved
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    if cx.doc.yaml.as_ref().is_some_and(|y| y.error.is_some()) {
        return; // `invalid-front-matter` reports it; the fields are unknown.
    }
    let mut seen: Vec<String> = Vec::new();
    for (field, spec) in cx.fields_with_specs() {
        if let Some(spec) = spec {
            if seen.contains(&spec.key) {
                out.push(Diagnostic::new(
                    RULE.name,
                    Severity::Error,
                    field.label_span.clone(),
                    format!("field `{}` is given more than once", field.label),
                ));
            }
            seen.push(spec.key.clone());
            continue;
        }
        let key = field_key(&field.label);
        if RELATION_FIELDS.contains(&key.as_str()) || cx.settings.allowed_fields.contains(&key) {
            continue;
        }
        // The field stating the spec's number (`eip: 1559`) belongs to the path, not the
        // template.
        if cx.id_field().is_some_and(|(id, _)| std::ptr::eq(id, field)) {
            continue;
        }
        let mut message = format!("field `{}` is not in the template", field.label);
        if let Some(suggestion) = nearest(
            &field.label,
            cx.schema.fields.iter().map(|f| f.label.as_str()),
        ) {
            message.push_str(&format!("; did you mean `{suggestion}`?"));
        }
        out.push(Diagnostic::new(
            RULE.name,
            Severity::Error,
            field.label_span.clone(),
            message,
        ));
    }
}
