//! `unused-suppression`: a suppression comment that hides nothing (see `suppression.rs`).

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "unused-suppression",
    summary: "A specbook-disable comment hides no finding, or names an unknown rule",
    doc: r"## What it does
Reports a suppression comment (`<!-- specbook-disable-next-line RULE -->`,
`<!-- specbook-disable RULE -->` ... `<!-- specbook-enable RULE -->`,
`<!-- specbook-disable-file RULE -->`) that hides no finding, and one that names a rule that
does not exist. A suppression must be an HTML comment on a line of its own.

## Why is this bad?
A stale suppression hides the next real problem of its kind, and a misspelt rule name hides
nothing while looking like it does.

## Example
```markdown
### Cost Analysis
<!-- specbook-disable-next-line placeholder -->
Four small sender instances and one database: about $900 a month.
```

Use instead:
```markdown
### Cost Analysis
Four small sender instances and one database: about $900 a month.
```
",
    severity: SeverityPolicy::Always(Severity::Warning),
    fixable: false,
    scope: Scope::Document,
    check,
};

/// The suppression pass reports these findings; the rule exists for its name and docs.
fn check(_cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
