//! `section-order`: sections in a different order than the template's.

use std::collections::BTreeMap;

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
    // Matched children of each parent (`None`: the top level), as (heading, template index).
    let mut by_parent: BTreeMap<Option<usize>, Vec<(usize, usize)>> = BTreeMap::new();
    for (s, section) in sections.iter().enumerate() {
        if let Some(h) = cx.section_match[s] {
            by_parent.entry(section.parent).or_default().push((h, s));
        }
    }
    for mut children in by_parent.into_values() {
        if children.len() < 2 {
            continue;
        }
        children.sort_unstable();
        let order: Vec<usize> = children.iter().map(|&(_, s)| s).collect();
        let keep = longest_increasing(&order);
        // The kept ones as (position, template index): both increase along the list.
        let kept: Vec<(usize, usize)> = order
            .iter()
            .enumerate()
            .filter(|&(j, _)| keep[j])
            .map(|(j, &t)| (j, t))
            .collect();
        for (i, &(h, s)) in children.iter().enumerate() {
            if keep[i] {
                continue;
            }
            // Name a kept section on the wrong side of this one: the first one before it in the
            // document that the template puts after it, else the last one after it that the
            // template puts before it.
            let first_after = kept.partition_point(|&(_, t)| t <= s);
            let before = kept.get(first_after).filter(|&&(j, _)| j < i);
            let after = first_after
                .checked_sub(1)
                .map(|k| kept[k])
                .filter(|&(j, _)| j > i);
            let message = if let Some(&(_, t)) = before {
                format!(
                    "section `{}` should come before `{}`, as in the template",
                    sections[s].name, sections[t].name
                )
            } else if let Some((_, t)) = after {
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

/// Marks the elements of one longest strictly increasing subsequence, in n log n: of the
/// longest ones, the one ending earliest, each element preceded by the earliest one that
/// extends to it.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    // `levels[k]`: the positions whose longest run ending there has length k + 1, in order.
    // Their values never increase along a level, so each search below is a binary search.
    let mut levels: Vec<Vec<usize>> = Vec::new();
    let mut previous = vec![usize::MAX; values.len()];
    for (i, &value) in values.iter().enumerate() {
        let level = levels.partition_point(|l| l.last().is_some_and(|&j| values[j] < value));
        if level > 0 {
            let below = &levels[level - 1];
            previous[i] = below[below.partition_point(|&j| values[j] >= value)];
        }
        if level == levels.len() {
            levels.push(Vec::new());
        }
        levels[level].push(i);
    }
    let mut keep = vec![false; values.len()];
    let Some(mut i) = levels.last().and_then(|l| l.first().copied()) else {
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

    /// The quadratic algorithm this replaced, whose choice among equally long runs the
    /// findings follow.
    fn quadratic(values: &[usize]) -> Vec<bool> {
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

    proptest::proptest! {
        #[test]
        fn chooses_as_the_quadratic_algorithm_did(values in proptest::collection::vec(0usize..40, 0..60)) {
            proptest::prop_assert_eq!(longest_increasing(&values), quadratic(&values));
        }
    }

    #[test]
    fn many_sections_take_n_log_n() {
        let values: Vec<usize> = (0..200_000).rev().collect();
        assert_eq!(
            longest_increasing(&values).iter().filter(|k| **k).count(),
            1
        );
    }
}
