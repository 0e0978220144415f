//! `placeholder`: template text left in a spec.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::PlaceholderKind;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::code;

pub(crate) const RULE: Rule = Rule {
    name: "placeholder",
    summary: "Template placeholder text (`[...]`, TODO, TBD, FIXME) left in the spec",
    doc: r"## What it does
Reports text in square brackets that is not a link, image, footnote, task box or `[1]`-style
citation, and the markers `TODO`, `TBD` and `FIXME`. Code spans, code blocks and HTML comments
are never searched. `- [Metric 1]: [Target]` is reported even though CommonMark reads it as a
link reference definition.

## Why is this bad?
A placeholder is a question the author has not answered yet. In the first status (Draft) that is
normal and the finding is a warning; from Review on it is an error.

## Example
```markdown
### Cost Analysis
[Infrastructure, development, operational costs]
```

Use instead:
```markdown
### Cost Analysis
Four small sender instances and one database: about $900 a month.
```
",
    severity: SeverityPolicy::Lifecycle,
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let severity: Severity = cx.unfinished_severity();
    let from_template = |text: &str| {
        cx.schema
            .placeholders
            .contains(&one_line(&text[1..text.len() - 1]))
    };
    for placeholder in &cx.doc.placeholders {
        let text = cx.doc.slice(&placeholder.span);
        let shown = code(&one_line(text));
        let message = match placeholder.kind {
            PlaceholderKind::Bracket if from_template(text) => {
                format!("placeholder {shown} left from the template")
            }
            PlaceholderKind::Bracket => {
                format!(
                    "placeholder {shown}: bracketed text that is not a link (escape it as `\\[` if it is meant)"
                )
            }
            PlaceholderKind::Marker => format!("{shown} marker left in the text"),
        };
        out.push(Diagnostic::new(
            RULE.name,
            severity,
            placeholder.span.clone(),
            message,
        ));
    }
    // `- [Phase 3]: ./rollout` is a valid link definition, but its label is the template's.
    for label in &cx.doc.link_definitions {
        let text = cx.doc.slice(label);
        if from_template(text) {
            out.push(Diagnostic::new(
                RULE.name,
                severity,
                label.clone(),
                format!(
                    "placeholder {} left from the template",
                    code(&one_line(text))
                ),
            ));
        }
    }
    // A YAML template's `key: <describe this>` value kept as it is.
    for (field, spec) in cx.fields_with_specs() {
        let Some(spec) = spec else { continue };
        let template_value = spec.placeholder.trim();
        let is_angle_placeholder = template_value.starts_with('<') && template_value.ends_with('>');
        if is_angle_placeholder && field.value == template_value {
            out.push(Diagnostic::new(
                RULE.name,
                severity,
                field.value_span.clone(),
                format!(
                    "field `{}` still has the template's value {}",
                    field.label,
                    code(&one_line(template_value))
                ),
            ));
        }
    }
}

/// Text on one line with single spaces (placeholders may wrap; quotes add `>` markers).
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| *word != ">")
        .collect::<Vec<_>>()
        .join(" ")
}
