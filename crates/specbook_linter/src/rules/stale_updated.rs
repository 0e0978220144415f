//! `stale-updated`: the file changed in git after its Last Updated date.

use specbook_diagnostics::{Diagnostic, Edit, Fix, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::parse_date;

pub(crate) const RULE: Rule = Rule {
    name: "stale-updated",
    summary: "The file changed in a commit later than its Last Updated date",
    doc: r"## What it does
Compares the date of the last commit that changed the spec's file with its `Last Updated`
field. Outside a git repository, or for a file git does not track yet, the rule is silent.

## Why is this bad?
Readers judge a spec by its Last Updated date: a design edited last week but dated last year
looks abandoned, and `stale` and the catalog sort on a wrong date.

## Example
```markdown
- **Last Updated:** 2026-10-02
```
in a file last changed by a commit of 2026-11-20.

Use instead:
```markdown
- **Last Updated:** 2026-11-20
```

## Fix safety
Safe: sets Last Updated to today, the day the fix is made and, usually, committed. A date
earlier than today would be out of date again as soon as the fix is committed.
",
    severity: SeverityPolicy::Always(Severity::Warning),
    fixable: true,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let Some(git) = cx.git else {
        return;
    };
    let Some(field) = cx.schema.updated_field().and_then(|spec| cx.field_of(spec)) else {
        return;
    };
    let Some(updated) = parse_date(&field.value) else {
        return; // `invalid-date` reports it.
    };
    if git.last_changed <= updated {
        return;
    }
    let today = git.today.to_string();
    let fix = Fix::safe(
        format!("set {} to today ({today})", field.label),
        vec![Edit {
            range: field.value_span.clone(),
            content: today,
        }],
    );
    out.push(
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            field.value_span.clone(),
            format!(
                "the file changed on {} (commit {} by {}), after its {} date {updated}",
                git.last_changed, git.last_commit, git.last_author, field.label
            ),
        )
        .with_fix(fix),
    );
}
