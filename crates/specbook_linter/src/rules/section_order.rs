//! `section-order`: sections in a different order than the template's.

use specbook_diagnostics::{Diagnostic, Severity};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};

pub(crate) const RULE: Rule = Rule {
    name: "section-order",
    summary: "Sections appear in a different order than in the template",
    doc: r"## What it does
Compares the order of each section's subsections (and of the top-level sections) with the
template. The fewest sections that explain the difference are reported: swapping two sections
gives one finding, not one per section after them.

## Why is this bad?
Readers of many specs find their way by position: risks after the design, the plan after the
metrics. A shuffled spec is harder to review and to compare.

## Example
```markdown
### Future Work
Event filtering by payload fields, and delivery to message queues instead of HTTP.

### Dependencies and Blockers
The secrets service must support per-tenant keys (planned for early October).
```

Use instead:
```markdown
### Dependencies and Blockers
The secrets service must support per-tenant keys (planned for early October).

### Future Work
Event filtering by payload fields, and delivery to message queues instead of HTTP.
```
",
    severity: SeverityPolicy::Always(Severity::Error),
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let sections = &cx.schema.sections;
    let parents = std::iter::once(None).chain((0..sections.len()).map(Some));
    for parent in parents {
        // Matched children of this parent, in document order, as template indices.
        let mut children: Vec<(usize, usize)> = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.parent == parent)
            .filter_map(|(s, _)| cx.section_match[s].map(|h| (h, s)))
            .collect();
        if children.len() < 2 {
            continue;
        }
        children.sort_unstable();
        let order: Vec<usize> = children.iter().map(|&(_, s)| s).collect();
        let keep = longest_increasing(&order);
        for (i, &(h, s)) in children.iter().enumerate() {
            if keep[i] {
                continue;
            }
            // Name a kept section on the wrong side of this one: the first one before it in the
            // document that the template puts after it, else the last one after it that the
            // template puts before it.
            let kept = || {
                order
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| keep[j])
                    .map(|(j, &t)| (j, t))
            };
            let message = if let Some((_, t)) = kept().find(|&(j, t)| j < i && t > s) {
                format!(
                    "section `{}` should come before `{}`, as in the template",
                    sections[s].name, sections[t].name
                )
            } else if let Some((_, t)) = kept().rfind(|&(j, t)| j > i && t < s) {
                format!(
                    "section `{}` should come after `{}`, as in the template",
                    sections[s].name, sections[t].name
                )
            } else {
                format!(
                    "section `{}` is out of the template's order",
                    sections[s].name
                )
            };
            out.push(Diagnostic::new(
                RULE.name,
                Severity::Error,
                cx.heading_span(h),
                message,
            ));
        }
    }
}

/// Marks the elements of one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    let n = values.len();
    let mut length = vec![1usize; n];
    let mut previous = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if values[j] < values[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = j;
            }
        }
    }
    let mut keep = vec![false; n];
    let Some((mut i, _)) = length
        .iter()
        .enumerate()
        .max_by_key(|&(i, &l)| (l, std::cmp::Reverse(i)))
    else {
        return keep;
    };
    loop {
        keep[i] = true;
        if previous[i] == usize::MAX {
            break;
        }
        i = previous[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn a_swap_moves_one_element() {
        assert_eq!(
            longest_increasing(&[0, 2, 1, 3])
                .iter()
                .filter(|k| !**k)
                .count(),
            1
        );
        assert_eq!(
            longest_increasing(&[3, 0, 1, 2]),
            vec![false, true, true, true]
        );
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }
}
