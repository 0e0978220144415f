//! `stale`: a spec under way that nobody has touched for a long time.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "stale",
    summary: "A spec in a status under way (Review) has not changed for longer than stale_after_days",
    doc: r"## What it does
Reports a spec whose status is under way (after the first status and before the last one:
`Review` in `Draft/Review/Approved`) when the last commit that changed its file is more than
`stale_after_days` days old (`[lifecycle]` in specbook.toml, default 30). Draft, Approved and
terminal statuses (Superseded, Withdrawn) are never stale. Outside a git repository the rule
is silent.

## Why is this bad?
A spec left in Review for months blocks the work it describes and tells readers it is about to
change when nobody is working on it. Either finish the review or move the spec back or out.

## Example
```markdown
- **Status:** Review
```
in a file last changed 90 days ago.

Use instead:
```markdown
- **Status:** Approved
```
after the review, with `specbook status 7 Approved`.
",
    severity: SeverityPolicy::Always(Severity::Warning),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(git) = cx.git else {
        return;
    };
    let Some(status) = cx.status else {
        return;
    };
    let statuses = cx.statuses();
    let under_way =
        statuses.len() > 2 && statuses[1..statuses.len() - 1].iter().any(|s| s == status);
    if !under_way {
        return;
    }
    let Ok(age) = git.last_changed.until(git.today) else {
        return;
    };
    let days = age.get_days();
    if days <= i32::try_from(git.stale_after_days).unwrap_or(i32::MAX) {
        return;
    }
    let Some(field) = cx.schema.status_field().and_then(|spec| cx.field_of(spec)) else {
        return;
    };
    out.push(Diagnostic::new(
        RULE.name,
        Severity::Warning,
        field.value_span.clone(),
        format!(
            "in {status} and unchanged for {days} days (since {}, commit {} by {}); the limit is {} days",
            git.last_changed, git.last_commit, git.last_author, git.stale_after_days
        ),
    ));
}
