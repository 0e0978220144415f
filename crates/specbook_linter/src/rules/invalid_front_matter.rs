//! `invalid-front-matter`: a YAML front matter block that cannot be read.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "invalid-front-matter",
    summary: "The YAML front matter cannot be read",
    doc: r"## What it does
Reports a YAML front matter block (`---` ... `---` at the top of the file) that is not valid
YAML, is not a mapping of fields, or repeats a key, at the place the YAML parser stopped.

## Why is this bad?
None of the spec's fields can be read, so its status, dates and owners are unknown to every
other rule, the catalog and the lifecycle.

## Example
The end of a YAML block that gives `status` twice:
```markdown
status: Approved
status: Review
---
```

Use instead:
```markdown
status: Approved
---
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    if let Some(error) = cx.doc.yaml.as_ref().and_then(|y| y.error.as_ref()) {
        out.push(Diagnostic::new(
            RULE.name,
            Severity::Error,
            error.span.clone(),
            format!("the YAML front matter cannot be read: {}", error.message),
        ));
    }
}
