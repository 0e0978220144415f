//! Suppression comments: `<!-- specbook-disable-next-line RULE[, RULE] -->`,
//! `<!-- specbook-disable RULE -->` ... `<!-- specbook-enable RULE -->` and
//! `<!-- specbook-disable-file RULE -->`. Without a rule name they cover every rule. A
//! suppression that hides nothing is itself reported (`unused-suppression`).

use std::ops::Range;

use std::sync::LazyLock;

use memchr::memmem;
use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::Document;

use crate::RULES;
use crate::rules::unused_suppression::RULE as UNUSED;

/// Built once: most files have no suppression, and this is the only pass that looks.
static SPECBOOK: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("specbook-"));

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
    File,
}

struct Suppression {
    /// The comment itself.
    span: Range<usize>,
    /// Rule names; empty means every rule.
    rules: Vec<String>,
    /// Where findings are hidden.
    covers: Range<usize>,
    /// Used, or already reported for naming an unknown rule.
    used: bool,
}

/// Parses `<!-- specbook-KIND rule, rule -->` at `start`, if that is what is there.
fn parse(text: &str, start: usize) -> Option<(Kind, Vec<String>, usize)> {
    let rest = &text[start + 4..];
    let close = rest.find("-->")?;
    let body = rest[..close].trim();
    let (kind, names) = [
        ("specbook-disable-next-line", Kind::NextLine),
        ("specbook-disable-file", Kind::File),
        ("specbook-disable", Kind::Disable),
        ("specbook-enable", Kind::Enable),
    ]
    .iter()
    .find_map(|(word, kind)| {
        body.strip_prefix(word)
            .filter(|r| r.is_empty() || r.starts_with([' ', '\t', '\n']))
            .map(|r| (*kind, r))
    })?;
    let rules = names
        .split([',', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    Some((kind, rules, start + 4 + close + 3))
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

/// Hides the findings the document's suppression comments cover and reports the comments that
/// hide nothing or name unknown rules.
pub(crate) fn apply(doc: &Document<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let text = doc.text;
    if SPECBOOK.find(text.as_bytes()).is_none() {
        return;
    }
    let mut suppressions: Vec<Suppression> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut unknown: Vec<Diagnostic> = Vec::new();
    let code = CodeRegions::new(doc);
    let mut starts: Vec<usize> = memmem::find_iter(text.as_bytes(), b"<!-- specbook-")
        .chain(memmem::find_iter(text.as_bytes(), b"<!--specbook-"))
        .collect();
    starts.sort_unstable();
    for start in starts {
        // Only a comment on its own line, outside code, is a suppression.
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..start].trim().is_empty() || code.contains(start) {
            continue;
        }
        let Some((kind, rules, end)) = parse(text, start) else {
            continue;
        };
        let unknown_before = unknown.len();
        unknown.extend(unknown_names(&rules, start..end));
        match kind {
            Kind::NextLine => {
                let next = (line_end(text, end) + 1).min(text.len());
                let covers = next..line_end(text, next);
                suppressions.push(Suppression {
                    span: start..end,
                    rules,
                    covers,
                    used: unknown.len() > unknown_before,
                });
            }
            Kind::File => suppressions.push(Suppression {
                span: start..end,
                rules,
                covers: 0..text.len(),
                used: unknown.len() > unknown_before,
            }),
            Kind::Disable => {
                open.push(suppressions.len());
                suppressions.push(Suppression {
                    span: start..end,
                    rules,
                    covers: end..text.len(),
                    used: unknown.len() > unknown_before,
                });
            }
            Kind::Enable => {
                // Close the latest open disable of the same rules (or of all rules).
                if let Some(position) = open.iter().rposition(|&i| suppressions[i].rules == rules) {
                    let index = open.remove(position);
                    suppressions[index].covers.end = start;
                } else {
                    let what = if rules.is_empty() {
                        "any rule".to_owned()
                    } else {
                        rules.join(", ")
                    };
                    unknown.push(Diagnostic::new(
                        UNUSED.name,
                        Severity::Warning,
                        start..end,
                        format!("this specbook-enable of {what} has no specbook-disable before it"),
                    ));
                }
            }
        }
    }
    let hidden = hide(&mut suppressions, diagnostics);
    let mut index = 0;
    diagnostics.retain(|_| {
        index += 1;
        !hidden[index - 1]
    });
    suppressions.sort_by_key(|s| s.span.start);
    for suppression in suppressions.iter().filter(|s| !s.used) {
        let what = if suppression.rules.is_empty() {
            "any rule".to_owned()
        } else {
            suppression.rules.join(", ")
        };
        diagnostics.push(Diagnostic::new(
            UNUSED.name,
            Severity::Warning,
            suppression.span.clone(),
            format!("this suppression of {what} hides no finding; remove it"),
        ));
    }
    diagnostics.extend(unknown);
}

/// Which of `diagnostics` a suppression covers, marking every suppression that covers one as
/// used. One sweep over the findings in offset order with the suppressions whose range is
/// open there, so the cost grows with findings plus suppressions, not their product.
fn hide(suppressions: &mut [Suppression], diagnostics: &[Diagnostic]) -> Vec<bool> {
    suppressions.sort_by_key(|s| s.covers.start);
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| diagnostics[i].span.start);
    let mut hidden = vec![false; diagnostics.len()];
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    for i in order {
        let at = diagnostics[i].span.start;
        while next < suppressions.len() && suppressions[next].covers.start <= at {
            active.push(next);
            next += 1;
        }
        active.retain(|&s| suppressions[s].covers.end > at);
        for &s in &active {
            let suppression = &mut suppressions[s];
            if suppression.covers.contains(&at)
                && (suppression.rules.is_empty()
                    || suppression.rules.iter().any(|r| r == diagnostics[i].rule))
            {
                suppression.used = true;
                hidden[i] = true;
            }
        }
    }
    hidden
}

/// The code regions of a document (verbatim regions that are not comments), with the
/// furthest end reached so far, so that "is this offset inside code" is a binary search.
struct CodeRegions {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl CodeRegions {
    fn new(doc: &Document<'_>) -> Self {
        let mut regions: Vec<&Range<usize>> = doc
            .verbatim
            .iter()
            .filter(|r| !doc.text[r.start..].starts_with("<!--"))
            .collect();
        regions.sort_by_key(|r| r.start);
        let mut furthest = 0;
        let max_end = regions
            .iter()
            .map(|r| {
                furthest = furthest.max(r.end);
                furthest
            })
            .collect();
        Self {
            starts: regions.iter().map(|r| r.start).collect(),
            max_end,
        }
    }

    fn contains(&self, offset: usize) -> bool {
        let before = self.starts.partition_point(|&s| s <= offset);
        before > 0 && self.max_end[before - 1] > offset
    }
}

/// A finding for each name in a suppression that is not a rule, with the nearest rule name.
fn unknown_names(rules: &[String], span: Range<usize>) -> Vec<Diagnostic> {
    rules
        .iter()
        .filter(|name| {
            !RULES.iter().any(|r| r.name == name.as_str())
                && !["invalid-utf8", "unreadable"].contains(&name.as_str())
        })
        .map(|name| {
            let hint = crate::nearest(name, RULES.iter().map(|r| r.name))
                .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
            Diagnostic::new(
                UNUSED.name,
                Severity::Warning,
                span.clone(),
                format!("suppression names unknown rule `{name}`{hint}"),
            )
        })
        .collect()
}
