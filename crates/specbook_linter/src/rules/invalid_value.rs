//! `invalid-value`: a field value that does not fit the type `[fields.NAME]` gives it.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::FieldKind;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::is_placeholder_value;
use crate::suggest::nearest;

pub(crate) const RULE: Rule = Rule {
    name: "invalid-value",
    summary: "A field's value does not fit the type specbook.toml gives it",
    doc: r#"## What it does
Checks the fields that `[fields.NAME]` in specbook.toml types: a `one-of` field must hold one of
its `values` (any case), a `number` field a number, a `link` field a URL or a Markdown link. A
`list` field's entries (comma-separated, or a YAML sequence) are checked one by one. Dates have
their own rule (`invalid-date`) and the lifecycle field its own (`invalid-status`). Choices a
template merely suggests in its placeholder are not enforced: only configured fields are.

## Why is this bad?
The catalog, the site and scripts read these fields. A `category` of `Core ` in one spec and
`core` in another, or `requires: see above`, cannot be filtered or followed.

## Example
```toml
[fields.category]
type = "one-of"
values = ["Core", "Networking", "Interface", "ERC"]
```
```markdown
category: Consensus
```

Use instead:
```markdown
category: Core
```
"#,
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let lifecycle = cx.schema.status_field();
    for (field, spec) in cx.fields_with_specs() {
        let Some(spec) = spec.filter(|s| s.configured) else {
            continue;
        };
        if lifecycle.is_some_and(|l| std::ptr::eq(l, spec))
            || field.value.is_empty()
            || is_placeholder_value(&field.value)
        {
            continue;
        }
        let entries: Vec<&str> = if spec.list {
            field
                .value
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .collect()
        } else {
            vec![field.value.as_str()]
        };
        for entry in entries {
            let problem = match &spec.kind {
                FieldKind::Enum(values) => (!values.iter().any(|v| v.eq_ignore_ascii_case(entry)))
                    .then(|| {
                        let mut message = format!(
                            "`{entry}` is not one of {} (field `{}`)",
                            values.join(", "),
                            field.label
                        );
                        if let Some(suggestion) = nearest(entry, values.iter().map(String::as_str))
                        {
                            message.push_str(&format!("; did you mean `{suggestion}`?"));
                        }
                        message
                    }),
                FieldKind::Number => entry
                    .parse::<f64>()
                    .is_err()
                    .then(|| format!("`{entry}` is not a number (field `{}`)", field.label)),
                FieldKind::Link => (!is_link(entry)).then(|| {
                    format!(
                        "`{entry}` is not a link (field `{}`); write a URL or [text](url)",
                        field.label
                    )
                }),
                FieldKind::Date | FieldKind::Text => None,
            };
            if let Some(message) = problem {
                out.push(Diagnostic::new(
                    RULE.name,
                    Severity::Error,
                    field.value_span.clone(),
                    message,
                ));
            }
        }
    }
}

/// A URL (`https://...`, `mailto:`), an autolink `<https://...>` or a Markdown link.
fn is_link(text: &str) -> bool {
    let text = text.trim().trim_start_matches('<').trim_end_matches('>');
    let url = |t: &str| {
        t.split_once(':').is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+')
                && !rest.is_empty()
                && !rest.contains(char::is_whitespace)
        })
    };
    url(text) || (text.starts_with('[') && text.contains("](") && text.ends_with(')'))
}

#[cfg(test)]
mod tests {
    use super::is_link;

    #[test]
    fn links() {
        for yes in [
            "https://ethereum-magicians.org/t/x/1",
            "<https://example.com>",
            "[thread](https://forums.swift.org/t/1)",
            "mailto:ada@example.com",
        ] {
            assert!(is_link(yes), "{yes}");
        }
        for no in ["see above", "TBD", "forums", "a: b c"] {
            assert!(!is_link(no), "{no}");
        }
    }
}
