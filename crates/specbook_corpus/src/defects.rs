//! Planting defects: each one changes the spec so that a correct checker reports exactly the
//! recorded number of diagnostics of one rule, and defects never combine in ways that would
//! change each other's counts.

use std::collections::BTreeMap;

use crate::build::Ctx;
use crate::date::{days_from_civil, format_days};
use crate::domains::{FIRST_NAMES, LAST_NAMES};
use crate::outline::{Kind, OUTLINE, parent_of};
use crate::prose::{APPENDIX_TITLES, GENERIC, OPEN_QUESTIONS, PLACEHOLDERS, RESOLVED_QUESTIONS};
use crate::spec::{Block, Section, Spec};

/// Every rule the corpus plants, sorted; the names are specbook's rule names.
pub const RULES: &[&str] = &[
    "date-order",
    "empty-section",
    "heading-level",
    "invalid-date",
    "invalid-status",
    "missing-field",
    "missing-section",
    "open-questions",
    "placeholder",
    "section-order",
    "title",
    "unknown-field",
    "unknown-section",
];

/// Whether `rule` can join `chosen` in a spec of `status` without changing anyone's count.
fn compatible(rule: &str, chosen: &[&str], status: &str) -> bool {
    let has = |r: &str| chosen.contains(&r);
    match rule {
        // Empty sections and open questions are judged by status: it must be a known, strict one.
        "empty-section" => status != "Draft" && !has("invalid-status"),
        "open-questions" => status == "Approved" && !has("invalid-status"),
        "invalid-status" => !has("open-questions") && !has("empty-section"),
        // Dates are only compared when both are valid.
        "invalid-date" => !has("date-order"),
        "date-order" => !has("invalid-date"),
        _ => true,
    }
}

/// Plants defects in `spec` with probability `rate` percent; returns what was planted and the
/// status as written.
pub(crate) fn plant(
    ctx: &mut Ctx,
    spec: &mut Spec,
    status: &'static str,
    rate: u32,
) -> (BTreeMap<&'static str, usize>, &'static str) {
    let mut planted = BTreeMap::new();
    if !ctx.rng.chance(rate) {
        return (planted, status);
    }
    let wanted = ctx.rng.range(1, 3);
    let mut order = RULES.to_vec();
    ctx.rng.shuffle(&mut order);
    let mut chosen: Vec<&'static str> = Vec::new();
    for rule in order {
        if chosen.len() == wanted {
            break;
        }
        if compatible(rule, &chosen, status) {
            chosen.push(rule);
        }
    }
    // Structural defects first, so placeholders land only in sections that survive.
    chosen.sort_by_key(|rule| APPLY_ORDER.iter().position(|r| r == rule));
    let mut used_parents = Vec::new();
    let mut written_status = status;
    for rule in chosen {
        let count = match rule {
            "missing-section" => missing_section(ctx, spec, &mut used_parents),
            "section-order" => section_order(ctx, spec, &mut used_parents),
            "heading-level" => heading_level(ctx, spec, &mut used_parents),
            "empty-section" => empty_section(ctx, spec, &mut used_parents),
            "unknown-section" => Some(unknown_section(ctx, spec)),
            "placeholder" => placeholder(ctx, spec),
            "open-questions" => open_questions(ctx, spec),
            "missing-field" => {
                spec.fields.retain(|(label, _)| *label != "Team");
                Some(1)
            }
            "unknown-field" => {
                let name = format!("{} {}", ctx.rng.pick(FIRST_NAMES), ctx.rng.pick(LAST_NAMES));
                let at = ctx.rng.range(1, spec.fields.len());
                spec.fields.insert(at, ("Reviewer", name));
                Some(1)
            }
            "invalid-date" => set_field(spec, "Created", "2026-13-45".to_owned()),
            "invalid-status" => {
                written_status = "Pending";
                set_field(spec, "Status", written_status.to_owned())
            }
            "date-order" => date_order(ctx, spec),
            "title" => {
                spec.title_suffix = "Design Notes";
                Some(1)
            }
            _ => None,
        };
        if let Some(count) = count {
            planted.insert(rule, count);
        }
    }
    (planted, written_status)
}

/// The order defects are applied in: structure first, then what lands inside sections.
const APPLY_ORDER: &[&str] = &[
    "missing-section",
    "section-order",
    "heading-level",
    "empty-section",
    "unknown-section",
    "placeholder",
    "open-questions",
    "missing-field",
    "unknown-field",
    "invalid-date",
    "invalid-status",
    "date-order",
    "title",
];

fn set_field(spec: &mut Spec, label: &str, value: String) -> Option<usize> {
    let field = spec.fields.iter_mut().find(|(l, _)| *l == label)?;
    field.1 = value;
    Some(1)
}

fn parse_date(value: &str) -> Option<i64> {
    let mut parts = value.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Some(days_from_civil(year, month, day))
}

fn date_order(ctx: &mut Ctx, spec: &mut Spec) -> Option<usize> {
    let created = spec
        .fields
        .iter()
        .find(|(l, _)| *l == "Created")
        .and_then(|(_, v)| parse_date(v))?;
    let back = i64::try_from(ctx.rng.range(1, 200)).unwrap_or(1);
    set_field(spec, "Last Updated", format_days(created - back))
}

/// Where section `i` of the spec sits in the template, if it is a `###` leaf.
fn leaf(section: &Section) -> Option<usize> {
    let index = section.outline?;
    (OUTLINE[index].level == 3 && section.level == 3).then_some(index)
}

/// Leaves a structural defect may target: later rules read the KPI and phase lists, so those
/// keep their place and shape.
fn targetable(section: &Section) -> Option<usize> {
    let index = leaf(section)?;
    (!matches!(OUTLINE[index].kind, Kind::Kpis | Kind::Phases)).then_some(index)
}

/// Picks a targetable leaf whose parent no other structural defect has touched.
fn pick_leaf(
    ctx: &mut Ctx,
    spec: &Spec,
    used_parents: &mut Vec<usize>,
    needs_sibling: bool,
) -> Option<usize> {
    let candidates: Vec<usize> = (0..spec.sections.len())
        .filter(|&i| {
            let Some(index) = targetable(&spec.sections[i]) else {
                return false;
            };
            let parent = parent_of(index);
            if used_parents.contains(&parent) {
                return false;
            }
            let siblings = spec
                .sections
                .iter()
                .filter(|s| leaf(s).is_some_and(|j| parent_of(j) == parent))
                .count();
            !needs_sibling || siblings >= 2
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let chosen = candidates[ctx.rng.below(candidates.len())];
    used_parents.push(parent_of(spec.sections[chosen].outline.unwrap_or(0)));
    Some(chosen)
}

fn missing_section(ctx: &mut Ctx, spec: &mut Spec, used: &mut Vec<usize>) -> Option<usize> {
    let i = pick_leaf(ctx, spec, used, true)?;
    spec.sections.remove(i);
    Some(1)
}

fn heading_level(ctx: &mut Ctx, spec: &mut Spec, used: &mut Vec<usize>) -> Option<usize> {
    let i = pick_leaf(ctx, spec, used, false)?;
    spec.sections[i].level = 4;
    Some(1)
}

fn empty_section(ctx: &mut Ctx, spec: &mut Spec, used: &mut Vec<usize>) -> Option<usize> {
    let i = pick_leaf(ctx, spec, used, false)?;
    spec.sections[i].blocks.clear();
    Some(1)
}

fn section_order(ctx: &mut Ctx, spec: &mut Spec, used: &mut Vec<usize>) -> Option<usize> {
    let pairs: Vec<usize> = (0..spec.sections.len().saturating_sub(1))
        .filter(
            |&i| match (leaf(&spec.sections[i]), leaf(&spec.sections[i + 1])) {
                (Some(a), Some(b)) => parent_of(a) == parent_of(b) && !used.contains(&parent_of(a)),
                _ => false,
            },
        )
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let i = pairs[ctx.rng.below(pairs.len())];
    used.push(parent_of(spec.sections[i].outline.unwrap_or(0)));
    spec.sections.swap(i, i + 1);
    Some(1)
}

fn unknown_section(ctx: &mut Ctx, spec: &mut Spec) -> usize {
    let title = format!("Appendix: {}", ctx.rng.pick(APPENDIX_TITLES));
    let count = ctx.rng.range(2, 3);
    let sentences = ctx
        .rng
        .sample(GENERIC, count)
        .into_iter()
        .map(|t| ctx.fill(t))
        .collect();
    let at = spec
        .sections
        .iter()
        .position(|s| s.kind() == Some(Kind::References))
        .unwrap_or(spec.sections.len());
    spec.sections.insert(
        at,
        Section {
            level: 2,
            title,
            outline: None,
            blocks: vec![Block::Paragraph(sentences)],
        },
    );
    1
}

fn placeholder(ctx: &mut Ctx, spec: &mut Spec) -> Option<usize> {
    let paragraphs: Vec<(usize, usize)> = spec
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            !matches!(
                s.kind(),
                None | Some(Kind::FrontMatter | Kind::OpenQuestions | Kind::References)
            )
        })
        .flat_map(|(i, s)| {
            s.blocks
                .iter()
                .enumerate()
                // Not a list's lead-in ("The goals are:"): the placeholder would read oddly.
                .filter(|(_, b)| {
                    matches!(b, Block::Paragraph(p) if !p.last().is_some_and(|s| s.ends_with(':')))
                })
                .map(move |(j, _)| (i, j))
        })
        .collect();
    if paragraphs.is_empty() {
        return None;
    }
    let count = ctx.rng.range(1, 3);
    let texts = ctx.rng.sample(PLACEHOLDERS, count);
    for text in &texts {
        let (i, j) = paragraphs[ctx.rng.below(paragraphs.len())];
        let sentence = match ctx.rng.below(3) {
            0 => format!("Open item: {text}."),
            1 => format!("{text} will be added before review."),
            _ => (*text).to_owned(),
        };
        if let Block::Paragraph(sentences) = &mut spec.sections[i].blocks[j] {
            let at = ctx.rng.range(0, sentences.len());
            sentences.insert(at, sentence);
        }
    }
    Some(texts.len())
}

fn open_questions(ctx: &mut Ctx, spec: &mut Spec) -> Option<usize> {
    let section = spec
        .sections
        .iter_mut()
        .find(|s| s.kind() == Some(Kind::OpenQuestions))?;
    let count = ctx.rng.range(1, 2);
    let open: Vec<String> = ctx
        .rng
        .sample(OPEN_QUESTIONS, count)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let list = section.blocks.iter_mut().find_map(|b| match b {
        Block::Bullets(items) => Some(items),
        _ => None,
    });
    if let Some(items) = list {
        for question in open {
            let at = ctx.rng.range(0, items.len());
            items.insert(at, question);
        }
    } else {
        // The section said `None.`: now it lists real questions, some still open.
        let mut items = open;
        let resolved = ctx.rng.below(3);
        for question in ctx.rng.sample(RESOLVED_QUESTIONS, resolved) {
            let at = ctx.rng.range(0, items.len());
            items.insert(at, question.to_owned());
        }
        section.blocks = vec![Block::Bullets(items)];
    }
    Some(count)
}
