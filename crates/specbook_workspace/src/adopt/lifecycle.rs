//! A corpus's lifecycle: which field holds it and the statuses its specs use.

use specbook_linter::same_status;
use specbook_markdown::{StatusValue, field_key};

/// Field names a lifecycle goes by.
const LIFECYCLE_KEYS: &[&str] = &["status", "state", "stage", "phase", "lifecycle"];

/// A value used by fewer than this share of the specs that have the field, and close to a
/// status many use, is a likely typo.
const RARE_SHARE: f64 = 0.01;

/// Words of statuses that end a spec's life.
const TERMINAL_WORDS: &[&str] = &[
    "withdrawn",
    "superseded",
    "replaced",
    "rejected",
    "obsolete",
    "obsoleted",
    "deprecated",
    "abandoned",
    "stagnant",
    "moved",
    "expired",
    "retired",
    "declined",
];

/// Words by the stage they mark, earliest first.
const STAGES: &[&[&str]] = &[
    &[
        "draft",
        "idea",
        "proposed",
        "proposal",
        "provisional",
        "pitch",
        "awaiting",
        "pending",
        "new",
        "wip",
        "open",
        "prediscussion",
        "discussion",
    ],
    &[
        "review",
        "call",
        "candidate",
        "comment",
        "implementable",
        "fcp",
        "returned",
        "revision",
        "deferred",
        "postponed",
    ],
    &["accepted", "approved", "ready", "active", "previewing"],
    &["implementation", "partially", "progress"],
    &[
        "implemented",
        "final",
        "living",
        "complete",
        "completed",
        "merged",
        "done",
        "standard",
        "stable",
    ],
];

/// One status and how many specs have it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Used {
    /// The spelling most specs use.
    pub name: String,
    pub count: usize,
}

/// What the corpus says about its lifecycle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LifecycleFound {
    /// The field's label as specs write it, when the template does not name it already.
    pub field: Option<String>,
    /// In order: the statuses a spec goes through.
    pub statuses: Vec<Used>,
    /// Statuses that end a spec's life, the built-in ones among them.
    pub terminal: Vec<Used>,
    /// Values too rare to be statuses: likely typos, left to `invalid-status`.
    pub rare: Vec<Used>,
    /// How many specs have the field.
    pub with_field: usize,
}

/// The lifecycle of specs whose fields are `fields` (label, value, per spec), given the
/// template's lifecycle field label and its statuses (in order), if any.
pub(crate) fn infer(
    fields: &[Vec<(String, String)>],
    template_field: Option<&str>,
    template_statuses: &[String],
) -> Option<LifecycleFound> {
    let specs = fields.len();
    let label = match template_field {
        Some(label) => label.to_owned(),
        None => corpus_field(fields)?,
    };
    let key = field_key(&label);
    let mut used: Vec<Used> = Vec::new();
    let mut with_field = 0;
    for spec in fields {
        let Some((_, value)) = spec.iter().find(|(l, _)| field_key(l) == key) else {
            continue;
        };
        with_field += 1;
        let split = StatusValue::split(value);
        let name = value[split.status].trim();
        if name.is_empty() || is_placeholder(name) {
            continue;
        }
        match used.iter_mut().find(|u| same_status(&u.name, name)) {
            Some(u) => u.count += 1,
            None => used.push(Used {
                name: name.to_owned(),
                count: 1,
            }),
        }
    }
    if with_field == 0 || specs == 0 {
        return None;
    }
    // The spelling most specs use wins (counted per spelling in a second pass).
    for u in &mut used {
        let mut spellings: Vec<(String, usize)> = Vec::new();
        for spec in fields {
            if let Some((_, value)) = spec.iter().find(|(l, _)| field_key(l) == key) {
                let split = StatusValue::split(value);
                let name = value[split.status].trim();
                if same_status(name, &u.name) {
                    match spellings.iter_mut().find(|(s, _)| s == name) {
                        Some((_, n)) => *n += 1,
                        None => spellings.push((name.to_owned(), 1)),
                    }
                }
            }
        }
        if let Some((best, _)) = spellings.iter().max_by_key(|(_, n)| *n) {
            u.name.clone_from(best);
        }
    }
    #[allow(clippy::cast_precision_loss, reason = "counts of a few thousand specs")]
    let rare_below = with_field as f64 * RARE_SHARE;
    let mut found = LifecycleFound {
        field: template_field.is_none().then(|| label.clone()),
        with_field,
        ..LifecycleFound::default()
    };
    // The template's statuses first, even when no spec is in them (yet).
    let mut ordered: Vec<Used> = template_statuses
        .iter()
        .map(|s| {
            let count = used
                .iter()
                .find(|u| same_status(&u.name, s))
                .map_or(0, |u| u.count);
            Used {
                name: s.clone(),
                count,
            }
        })
        .collect();
    let (typos, frequent, kept) = sort_rare(used, &ordered, rare_below);
    found.rare = typos;
    ordered.extend(frequent);
    ordered.extend(kept);
    let split = template_statuses.len().min(ordered.len());
    let (template_part, rest) = ordered.split_at_mut(split);
    rest.sort_by(|a, b| {
        (stage(&a.name), std::cmp::Reverse(a.count))
            .cmp(&(stage(&b.name), std::cmp::Reverse(b.count)))
    });
    for u in template_part.iter().chain(rest.iter()) {
        if is_terminal(&u.name) {
            found.terminal.push(u.clone());
        } else {
            found.statuses.push(u.clone());
        }
    }
    found
        .rare
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    Some(found)
}

/// Splits the values not in the template: typos, frequent statuses, rare statuses kept.
/// A value few specs use is a typo when it is close to a status many use (`Aprroved`) or is no
/// status name at all (`Status: Active Review`, `In Review {Draft, ...}`); otherwise it is a
/// status of its own that is rare (`Last Call`, `Living`).
fn sort_rare(
    used: Vec<Used>,
    ordered: &[Used],
    rare_below: f64,
) -> (Vec<Used>, Vec<Used>, Vec<Used>) {
    #[allow(clippy::cast_precision_loss, reason = "counts of a few thousand specs")]
    let (rare, frequent): (Vec<Used>, Vec<Used>) = used
        .into_iter()
        .filter(|u| !ordered.iter().any(|o| same_status(&o.name, &u.name)))
        .partition(|u| (u.count as f64) < rare_below);
    let known: Vec<&str> = frequent
        .iter()
        .chain(ordered)
        .map(|u| u.name.as_str())
        .collect();
    let (typos, kept): (Vec<Used>, Vec<Used>) = rare.into_iter().partition(|u| {
        u.name.contains([':', '{', '}', '[', ']'])
            || specbook_linter::nearest(&u.name, known.iter().copied()).is_some()
    });
    (typos, frequent, kept)
}

/// The field that holds the lifecycle in most specs: one named status, state, stage, phase
/// or lifecycle, present in at least half of them.
fn corpus_field(fields: &[Vec<(String, String)>]) -> Option<String> {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for spec in fields {
        for (label, _) in spec {
            let key = field_key(label);
            if !LIFECYCLE_KEYS.contains(&key.as_str()) {
                continue;
            }
            match counts.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, n)) => *n += 1,
                None => counts.push((key, label.clone(), 1)),
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, _, n)| n * 2 >= fields.len())
        .max_by_key(|(_, _, n)| *n)
        .map(|(_, label, _)| label)
}

fn is_placeholder(value: &str) -> bool {
    value.starts_with(['[', '<', '(', '{'])
        || value.contains(" or ")
        || value.contains('|')
        || value.eq_ignore_ascii_case("tbd")
}

fn words(status: &str) -> impl Iterator<Item = String> + '_ {
    status
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn is_terminal(status: &str) -> bool {
    words(status).any(|w| TERMINAL_WORDS.contains(&w.as_str()))
}

/// Where a status comes in a lifecycle: at the earliest stage its words mark (`Active review`
/// is a review, `Ready for Implementation` ready), unknown ones after review.
fn stage(status: &str) -> usize {
    words(status)
        .filter_map(|word| STAGES.iter().position(|s| s.contains(&word.as_str())))
        .min()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(values: &[(&str, &str, usize)]) -> Vec<Vec<(String, String)>> {
        values
            .iter()
            .flat_map(|(label, value, n)| {
                std::iter::repeat_n(vec![((*label).to_owned(), (*value).to_owned())], *n)
            })
            .collect()
    }

    fn names(list: &[Used]) -> Vec<&str> {
        list.iter().map(|u| u.name.as_str()).collect()
    }

    #[test]
    fn a_lifecycle_field_the_template_lacks_with_its_values_and_typos() {
        let corpus = specs(&[
            ("Status", "Approved", 60),
            ("Status", "Draft", 50),
            ("Status", "In Review", 30),
            ("Status", "In review", 3),
            ("Status", "Final", 20),
            ("Status", "{Draft, In Review}", 10),
            ("Status", "Aprroved", 1),
            ("Status", "Living", 1),
            ("Status", "Status: Active Review", 1),
            ("Status", "Withdrawn", 5),
            ("Author", "Ada", 5),
        ]);
        let found = infer(&corpus, None, &[]).unwrap();
        assert_eq!(found.field.as_deref(), Some("Status"));
        // `Aprroved` is near `Approved`: a typo; a rare status of its own is kept.
        assert_eq!(
            names(&found.statuses),
            vec!["Draft", "In Review", "Approved", "Final", "Living"]
        );
        assert_eq!(found.statuses[1].count, 33);
        assert_eq!(names(&found.terminal), vec!["Withdrawn"]);
        assert_eq!(
            names(&found.rare),
            vec!["Aprroved", "Status: Active Review"]
        );
    }

    #[test]
    fn the_template_statuses_come_first_and_values_lose_their_markup() {
        let corpus = specs(&[
            ("Status", "**Implemented (Swift 5.5)**", 400),
            ("Status", "**Rejected**", 30),
            ("Status", "**Accepted**", 15),
        ]);
        let template = vec![
            "Awaiting implementation".to_owned(),
            "Awaiting review".to_owned(),
        ];
        let found = infer(&corpus, Some("Status"), &template).unwrap();
        assert_eq!(found.field, None);
        assert_eq!(
            names(&found.statuses),
            vec![
                "Awaiting implementation",
                "Awaiting review",
                "Accepted",
                "Implemented"
            ]
        );
        assert_eq!(names(&found.terminal), vec!["Rejected"]);
    }

    #[test]
    fn a_lower_case_stage() {
        let corpus = specs(&[
            ("stage", "draft", 24),
            ("stage", "Draft", 6),
            ("stage", "candidate", 2),
        ]);
        let found = infer(&corpus, Some("stage"), &[]).unwrap();
        assert_eq!(names(&found.statuses), vec!["draft", "candidate"]);
        assert_eq!(found.statuses[0].count, 30);
    }

    #[test]
    fn no_lifecycle() {
        let corpus = specs(&[("Feature Name", "x", 10), ("Start Date", "2020-01-01", 10)]);
        assert_eq!(infer(&corpus, None, &[]), None);
    }
}
