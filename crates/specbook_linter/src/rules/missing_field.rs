//! `missing-field`: a front-matter field of the template the spec does not have.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};
use specbook_markdown::{FieldKind, FieldPlace, FieldSource, FieldSpec, TemplatePlace};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "missing-field",
    summary: "A front-matter field of the template is missing",
    doc: r"## What it does
Reports every field of the template's front matter (such as `Team` or `Status`) that the spec
does not have, or has with no value, as a `- **Label:** value` bullet or a YAML key. Labels match ignoring case,
`_`/`-`/space differences and a plural `s` for `(s)` labels.

## Why is this bad?
The catalog, the status board and the lifecycle gates read these fields. A spec without a
`Team` cannot be routed; one without `Status` has no lifecycle.

## Fix safety
Safe: inserts the template's line for the field (its label and placeholder, in the template's
bullet style) after the field before it, so the spec then has a placeholder to fill in rather
than a silent gap. YAML front matter is left to the author.

## Example
```markdown
- **Author(s):** Radia Perlman, Barbara Liskov
- **Created:** 2026-09-14
```

Use instead:
```markdown
- **Author(s):** Radia Perlman, Barbara Liskov
- **Team:** Integrations
- **Created:** 2026-09-14
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: true,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    // A stub that points elsewhere ("This file was moved to ...") is not a spec to complete.
    if cx.is_stub() {
        return;
    }
    let section_missing =
        cx.schema.field_place == TemplatePlace::Section && cx.front_matter.is_none();
    let yaml_missing = cx.schema.field_place == TemplatePlace::Yaml;
    if (section_missing || yaml_missing) && cx.doc.yaml.is_none() {
        // A bullet front matter section is a section: `missing-section` reports it once.
        // YAML front matter is not, so its absence is reported here.
        if cx.schema.yaml_front_matter && cx.fields.is_empty() {
            let required: Vec<&str> = cx
                .schema
                .fields
                .iter()
                .filter(|f| !f.optional)
                .map(|f| f.label.as_str())
                .collect();
            if !required.is_empty() {
                out.push(Diagnostic::new(
                    RULE.name,
                    Severity::Error,
                    cx.start_span(),
                    format!(
                        "the spec has no front matter; the template starts with a `---` block of fields ({})",
                        required.join(", ")
                    ),
                ));
            }
        }
        return;
    }
    if cx.doc.yaml.as_ref().is_some_and(|y| y.error.is_some()) {
        return; // `invalid-front-matter` reports the unreadable YAML.
    }
    let lifecycle = cx.schema.status_field();
    for spec in &cx.schema.fields {
        if let Some(field) = cx.field_of(spec) {
            // Dates and the lifecycle have their own rules for empty values.
            let typed =
                spec.kind == FieldKind::Date || lifecycle.is_some_and(|l| std::ptr::eq(l, spec));
            if field.value.is_empty() && field.items.is_empty() && !typed && !spec.optional {
                out.push(Diagnostic::new(
                    RULE.name,
                    Severity::Error,
                    field.label_span.clone(),
                    format!(
                        "field `{}` has no value (the template has `{}`)",
                        field.label, spec.placeholder
                    ),
                ));
            }
            continue;
        }
        if spec.optional {
            continue;
        }
        let message = if spec.placeholder.is_empty() {
            format!("missing field `{}`", spec.label)
        } else {
            format!(
                "missing field `{}` (the template has `{}: {}`)",
                spec.label, spec.label, spec.placeholder
            )
        };
        let diagnostic =
            Diagnostic::new(RULE.name, Severity::Error, cx.front_matter_span(), message);
        out.push(match insertion(cx, spec) {
            Some(edit) => diagnostic.with_fix(Fix::safe(
                format!("insert `{}` with the template's placeholder", spec.label),
                vec![edit],
            )),
            None => diagnostic,
        });
    }
}

/// A bullet for the missing field, after the bullet of the template field before it (or right
/// under the heading the bullets belong to), written as the template writes it. YAML front
/// matter is left to the author.
fn insertion(cx: &Context<'_, '_>, spec: &FieldSpec) -> Option<Edit> {
    let FieldPlace::Heading(heading) = cx.field_place else {
        return None;
    };
    if cx.doc.yaml.is_some() {
        return None;
    }
    let text = cx.doc.text;
    let position = cx.schema.fields.iter().position(|f| f == spec)?;
    let previous = cx.schema.fields[..position].iter().rev().find_map(|f| {
        cx.field_of(f)
            .filter(|field| field.source == FieldSource::Bullet)
    });
    let after = previous.map_or(cx.doc.headings[heading].span.end, |field| {
        field.value_span.end.max(field.label_span.end)
    });
    let at = text[after..]
        .find('\n')
        .map_or(text.len(), |i| after + i + 1);
    let newline = if at == text.len() && !text.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    let line = if spec.line.is_empty() {
        format!("- **{}:** {}", spec.label, spec.placeholder)
    } else {
        spec.line.clone()
    };
    Some(Edit {
        range: at..at,
        content: format!("{newline}{line}\n"),
    })
}
