//! `dangling-relation`: a relation field naming a spec that does not exist.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "dangling-relation",
    summary: "A Supersedes, Superseded By or Related entry names no existing spec",
    doc: r"## What it does
Checks every entry of the `Supersedes`, `Superseded By` and `Related` fields: each must be the
number of a spec in the spec folder (`7`, `0007`, `#7`, `0007-rate-limiter` or a link whose
text is the number). An entry that is not a number is reported too.

## Why is this bad?
A relation to a spec that was renumbered, deleted or never merged sends readers nowhere, and the
catalog and the relation graph lose the edge.

## Example
```markdown
- **Supersedes:** 0042
```
when there is no `0042-*.md`.

Use instead:
```markdown
- **Supersedes:** 0004
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Workspace,
    check,
};

/// Entries that are not spec numbers are findings here; the others are candidates that the
/// workspace keeps when no spec has the number.
fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for entry in &cx.relations {
        out.push(Diagnostic::new(
            RULE.name,
            Severity::Error,
            entry.span.clone(),
            entry.text.clone(),
        ));
    }
}
