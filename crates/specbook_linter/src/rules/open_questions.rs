//! `open-questions`: an Approved spec with questions still open.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::{excerpt, is_placeholder_value};

pub(crate) const RULE: Rule = Rule {
    name: "open-questions",
    summary: "An Approved spec still has unresolved open questions",
    doc: r"## What it does
In a spec with the template's final status (Approved), reports every item of the Open Questions
section that is not resolved. An item is resolved when it starts with `Resolved:`, is struck
through (`~~...~~`) or is a checked task box (`- [x]`). A section that says `None.` has no open
questions.

## Why is this bad?
Approving a design with open questions approves an unknown. Resolve each question (and say how)
before approval, or move the spec back to Review.

## Example
In a spec whose status is Approved:
```markdown
## 9. Open Questions and Discussion
- Do we retry on HTTP 429?
```

Use instead (or `- Resolved: ...` for each answered question):
```markdown
## 9. Open Questions and Discussion
None.
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    if !cx.is_final_status() {
        return;
    }
    let status = cx.status.unwrap_or("Approved");
    for (s, section) in cx.schema.sections.iter().enumerate() {
        if !section.key.contains("open questions") {
            continue;
        }
        let Some(h) = cx.section_match[s] else {
            continue;
        };
        let top_indent = cx
            .doc
            .items_in_section(h)
            .map(|item| item.indent)
            .min()
            .unwrap_or(0);
        for item in cx
            .doc
            .items_in_section(h)
            .filter(|item| item.indent == top_indent)
        {
            let content = cx.doc.slice(&item.content);
            if is_resolved(content) || is_placeholder_value(content) {
                continue;
            }
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                item.content.clone(),
                format!(
                    "open question `{}` is unresolved in a spec with status {status}",
                    excerpt(content.strip_prefix("[ ]").unwrap_or(content), 60)
                ),
            ));
        }
    }
}

fn is_resolved(item: &str) -> bool {
    let text = item.trim();
    let plain = text.trim_start_matches(['*', '_']);
    let lower = plain.to_lowercase();
    lower.starts_with("resolved")
        || lower.starts_with("none")
        || (text.starts_with("~~") && text[2..].contains("~~"))
        || text.starts_with("[x]")
        || text.starts_with("[X]")
}
