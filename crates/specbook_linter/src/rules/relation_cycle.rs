//! `relation-cycle`: specs that supersede each other in a circle.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::RelationKind;

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "relation-cycle",
    summary: "Specs supersede each other in a cycle (A supersedes B supersedes A)",
    doc: r"## What it does
Follows the `Supersedes` fields (and the `Superseded By` fields, read backwards) across the
checked specs and reports each entry that lies on a cycle, with the cycle spelled out.

## Why is this bad?
Supersession orders designs in time: a newer spec replaces an older one. A cycle means one of
the entries points the wrong way, and no spec in it can be found as the current one.

## Example
```markdown
- **Supersedes:** 0002
```
in `0001-a.md`, while `0002-b.md` says `Supersedes: 0001`.

Use instead:
```markdown
- **Superseded By:** 0002
```
in `0001-a.md`.
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Workspace,
    check,
};

/// Every supersession entry is a candidate; the workspace keeps those on a cycle. The message
/// is the entry, after `>` for `Supersedes` and `<` for `Superseded By`.
fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    for entry in &cx.relations {
        let direction = match entry.kind {
            RelationKind::Supersedes => '>',
            RelationKind::SupersededBy => '<',
            RelationKind::Related => continue,
        };
        if entry.id.is_some() {
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                entry.span.clone(),
                format!("{direction}{}", entry.text),
            ));
        }
    }
}
