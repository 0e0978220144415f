//! `duplicate-id`: two spec files with the same number.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "duplicate-id",
    summary: "Two or more spec files share a number",
    doc: r"## What it does
Reports every spec file whose number (the `0007` of `0007-rate-limiter.md`) another checked file
also has. It happens when two branches each add the next free number.

## Why is this bad?
A spec's number is its identity: links, `Supersedes` fields and conversations say `0007`. Two
specs with one number make every such reference ambiguous.

## Example
```text
specs/0007-rate-limiter.md
specs/0007-audit-log.md
```

Use instead:
```text
specs/0007-rate-limiter.md
specs/0008-audit-log.md
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Workspace,
    check,
};

/// The workspace reports this rule after checking each file; a document alone cannot.
fn check(_cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
