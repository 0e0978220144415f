//! `placeholder`: template text left in a spec.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::PlaceholderKind;

use crate::Context;
use crate::registry::{Rule, SeverityPolicy};
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
Two extra c6g.large instances per region: about $180 a month.
```
",
    severity: SeverityPolicy::Lifecycle,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let severity: Severity = cx.unfinished_severity();
    for placeholder in &cx.doc.placeholders {
        let text = cx.doc.slice(&placeholder.span);
        let message = match placeholder.kind {
            PlaceholderKind::Bracket
                if cx.schema.placeholders.contains(&text[1..text.len() - 1]) =>
            {
                format!("placeholder {} left from the template", code(text))
            }
            PlaceholderKind::Bracket => {
                format!(
                    "placeholder {}: bracketed text that is not a link (escape it as `\\[` if it is meant)",
                    code(text)
                )
            }
            PlaceholderKind::Marker => format!("`{text}` marker left in the text"),
        };
        out.push(Diagnostic::new(
            RULE.name,
            severity,
            placeholder.span.clone(),
            message,
        ));
    }
}
