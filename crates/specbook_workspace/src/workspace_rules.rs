//! The workspace rules: findings that need more than one file (`duplicate-id`,
//! `dangling-relation`, `relation-cycle`, `broken-link`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use specbook_diagnostics::{Diagnostic, Located, Severity};
use specbook_markdown::{Document, SpecId, parse_id};

use crate::{CheckOutcome, Checker, Surroundings};

/// Settles the candidates one document can settle alone: `#fragment` links into itself and
/// relation entries that are not spec numbers become findings or go away.
pub(crate) fn resolve_local(
    doc: &Document<'_>,
    candidates: &mut Vec<Diagnostic>,
    findings: &mut Vec<Diagnostic>,
) {
    let mut anchors: Option<Anchors> = None;
    candidates.retain_mut(|candidate| match candidate.rule {
        "broken-link" if candidate.message.starts_with(specbook_linter::SETTLED) => {
            candidate.message.remove(0);
            findings.push(candidate.clone());
            false
        }
        "broken-link" if candidate.message.starts_with('#') => {
            let fragment = percent_decode(&candidate.message[1..]);
            let anchors = anchors.get_or_insert_with(|| Anchors::new(doc.anchors()));
            if !anchors.has(&fragment) {
                candidate.message = anchors.missing(&fragment, "this file");
                findings.push(candidate.clone());
            }
            false
        }
        "dangling-relation" if parse_id(&candidate.message).is_none() => {
            candidate.message = format!(
                "`{}` is not a spec number; write the number of the related spec (`7`, `0007` or `0007-slug`)",
                candidate.message
            );
            findings.push(candidate.clone());
            false
        }
        _ => true,
    });
}

/// The anchors of one document, for lookups in constant time.
struct Anchors {
    /// As written, in document order: the candidates of "did you mean".
    all: Vec<String>,
    /// Lower-cased, for the case-insensitive lookup.
    lower: HashSet<String>,
    /// How many more edit distances "did you mean" may compute in this document. Each
    /// suggestion compares the fragment with every anchor, so a document with thousands of
    /// broken fragments and thousands of headings would otherwise cost their product; past
    /// the budget the findings stay, without the hint.
    hint_budget: usize,
}

/// Edit distances "did you mean" may compute for one document's anchors: a few hundred broken
/// links in a document of a few thousand headings.
const HINT_BUDGET: usize = 200_000;

impl Anchors {
    fn new(all: Vec<String>) -> Self {
        let lower = all.iter().map(|a| a.to_ascii_lowercase()).collect();
        Self {
            all,
            lower,
            hint_budget: HINT_BUDGET,
        }
    }

    fn has(&self, fragment: &str) -> bool {
        self.lower.contains(&anchor_key(fragment))
    }

    fn missing(&mut self, fragment: &str, target: &str) -> String {
        let hint = if self.hint_budget >= self.all.len() {
            self.hint_budget -= self.all.len();
            specbook_linter::nearest(fragment, self.all.iter().map(String::as_str))
                .map_or_else(String::new, |a| format!("; did you mean `#{a}`?"))
        } else {
            String::new()
        };
        format!("`#{fragment}` matches no heading in {target}{hint}")
    }
}

/// How a decoded `#fragment` is compared with anchors: GitHub serves HTML ids as
/// `user-content-ID`, and links may say so; case does not matter.
#[must_use]
pub fn anchor_key(fragment: &str) -> String {
    fragment
        .strip_prefix("user-content-")
        .unwrap_or(fragment)
        .to_ascii_lowercase()
}

/// The file a relative link from a file in `folder` names, and its `#fragment`, both
/// percent-decoded; a path starting with `/` starts at `root` (`None` without one).
#[must_use]
pub fn link_target(
    folder: &Path,
    root: Option<&Path>,
    destination: &str,
) -> Option<(PathBuf, Option<String>)> {
    let (path_part, fragment) = match destination.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (destination, None),
    };
    let path_part = path_part.split('?').next().unwrap_or_default();
    let decoded = percent_decode(path_part);
    let target = match decoded.strip_prefix('/') {
        Some(from_root) => root?.join(from_root),
        None => folder.join(&decoded),
    };
    let fragment = fragment.filter(|f| !f.is_empty()).map(percent_decode);
    Some((target, fragment))
}

/// `%20` and friends decoded; an invalid escape is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Adds the findings of the workspace rules, which need every report at once.
pub fn add_workspace_findings(
    checker: &Checker,
    outcome: &mut CheckOutcome,
    around: &Surroundings,
) {
    let in_outcome: BTreeSet<&Path> = outcome
        .reports
        .iter()
        .map(|r| Path::new(r.path.as_str()))
        .collect();
    let neighbours: Vec<&crate::Neighbour> = around
        .neighbours
        .iter()
        .filter(|n| !in_outcome.contains(n.path.as_path()))
        .collect();
    duplicate_ids(checker, &mut outcome.reports, &outcome.facts, &neighbours);
    let ids = &checker.ids;
    let mut known: BTreeSet<SpecId> = around.spec_ids.clone();
    known.extend(
        outcome
            .reports
            .iter()
            .filter_map(|r| ids.id(Path::new(&r.path))),
    );
    let graph = supersession_graph(checker, outcome, &neighbours);
    let mut targets = Targets::default();
    for (report, facts) in outcome.reports.iter_mut().zip(&outcome.facts) {
        let number = ids.id(Path::new(&report.path));
        let folder = Path::new(&report.path)
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf);
        let mut added = false;
        for candidate in &facts.candidates {
            let message = match candidate.rule {
                "dangling-relation" => ids
                    .read(&candidate.message, number)
                    .filter(|id| !known.contains(id))
                    .map(|id| {
                        format!("no spec has id {id} (renumbered, deleted, or not merged yet?)")
                    }),
                "relation-cycle" => {
                    number.and_then(|n| cycle_message(&graph, ids, n, &candidate.message))
                }
                "broken-link" => targets.check(&folder, around.root.as_deref(), &candidate.message),
                _ => None,
            };
            if let Some(message) = message {
                let mut finding = candidate.clone();
                finding.message = message;
                report.diagnostics.push(finding);
                added = true;
            }
        }
        if added {
            report
                .diagnostics
                .sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
        }
    }
}

/// `duplicate-id`: every report whose number another report shares. A stub pointing to the
/// spec it replaces is no duplicate, nor are versions of one spec (one number, one title:
/// `core/ics-002-client-semantics` and `v2/core/ics-002-client-semantics`).
fn duplicate_ids(
    checker: &Checker,
    reports: &mut [specbook_diagnostics::FileReport],
    facts: &[crate::SpecFacts],
    neighbours: &[&crate::Neighbour],
) {
    let Some(severity) = checker.settings.grade("duplicate-id", Severity::Error) else {
        return;
    };
    // The checked reports first, then the neighbours: index `i` past the reports is
    // neighbour `i - reports.len()`.
    let paths: Vec<String> = reports
        .iter()
        .map(|r| r.path.clone())
        .chain(neighbours.iter().map(|n| n.path.display().to_string()))
        .collect();
    let all_facts: Vec<Option<&crate::SpecFacts>> = (0..paths.len())
        .map(|i| {
            if i < reports.len() {
                facts.get(i)
            } else {
                Some(&neighbours[i - reports.len()].facts)
            }
        })
        .collect();
    let mut by_number: BTreeMap<SpecId, Vec<usize>> = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        if all_facts[i].is_some_and(|f| f.meta.stub) {
            continue;
        }
        if let Some(number) = checker.ids.id(Path::new(path)) {
            by_number.entry(number).or_default().push(i);
        }
    }
    let title = |i: usize| {
        all_facts[i]
            .and_then(|f| f.meta.title.as_deref())
            .map(|t| t.trim().to_lowercase())
    };
    let folders: Vec<Option<PathBuf>> = paths
        .iter()
        .map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .collect();
    let folder = |i: usize| folders[i].clone();
    for (number, indices) in by_number.into_iter().filter(|(_, i)| i.len() > 1) {
        // Versions live apart (`v2/...`, `deprecated/`); two files of one folder are two specs.
        let first = title(indices[0]);
        let versions = first.is_some()
            && indices.iter().all(|&i| title(i) == first)
            && indices
                .iter()
                .enumerate()
                .all(|(n, &i)| indices[..n].iter().all(|&j| folder(j) != folder(i)));
        if versions {
            continue;
        }
        let report_count = reports.len();
        for &i in indices.iter().filter(|&&i| i < report_count) {
            let others: Vec<&str> = indices
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| paths[j].as_str())
                .collect();
            let finding = Located {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                rule: "duplicate-id",
                severity,
                message: format!(
                    "spec id {number} is also used by {}; renumber one of them (`specbook renumber PATH`)",
                    others.join(", ")
                ),
                snippet: String::new(),
                snippet_span: 0..0,
                fix: None,
                file: None,
            };
            reports[i].diagnostics.insert(0, finding);
        }
    }
}

/// Spec id -> the ids it supersedes, from both sides of each relation.
fn supersession_graph(
    checker: &Checker,
    outcome: &CheckOutcome,
    neighbours: &[&crate::Neighbour],
) -> Graph {
    let mut graph = Graph::new();
    let own = outcome
        .reports
        .iter()
        .map(|r| Path::new(r.path.as_str()))
        .zip(&outcome.facts);
    let around = neighbours.iter().map(|n| (n.path.as_path(), &n.facts));
    for (path, facts) in own.chain(around) {
        let Some(number) = checker.ids.id(path) else {
            continue;
        };
        for &old in &facts.meta.supersedes {
            graph.entry(number).or_default().insert(old);
        }
        for &new in &facts.meta.superseded_by {
            graph.entry(new).or_default().insert(number);
        }
    }
    graph
}

type Graph = BTreeMap<SpecId, BTreeSet<SpecId>>;

/// The cycle through the edge a candidate (`>0002` or `<0002` in spec `number`) records.
fn cycle_message(
    graph: &Graph,
    ids: &crate::IdScheme,
    number: SpecId,
    candidate: &str,
) -> Option<String> {
    let (direction, entry) = candidate.split_at(1);
    let other = ids.read(entry, Some(number))?;
    let (from, to) = if direction == ">" {
        (number, other)
    } else {
        (other, number)
    };
    let back = path(graph, to, from)?;
    let mut chain = vec![from];
    chain.extend(back);
    let words: Vec<String> = chain.iter().map(ToString::to_string).collect();
    Some(format!(
        "supersession cycle: {}; a newer spec supersedes an older one, never back",
        words.join(" supersedes ")
    ))
}

/// A shortest path `from` -> ... -> `to` along the graph's edges (both ends included).
fn path(graph: &Graph, from: SpecId, to: SpecId) -> Option<Vec<SpecId>> {
    let mut previous: HashMap<SpecId, SpecId> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut chain = vec![to];
            let mut at = to;
            while at != from {
                at = previous[&at];
                chain.push(at);
            }
            chain.reverse();
            return Some(chain);
        }
        for &next in graph.get(&node).into_iter().flatten() {
            if seen.insert(next) {
                previous.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

/// Link targets already looked at: whether each exists and, for Markdown, its anchors.
#[derive(Default)]
struct Targets {
    anchors: HashMap<PathBuf, Option<Anchors>>,
}

impl Targets {
    /// The finding for a relative link from a file in `folder`, if it is broken.
    fn check(&mut self, folder: &Path, root: Option<&Path>, destination: &str) -> Option<String> {
        let path_part = destination.split(['#', '?']).next().unwrap_or_default();
        let (target, fragment) = link_target(folder, root, destination)?;
        if !target.exists() {
            return Some(format!("link target `{path_part}` does not exist"));
        }
        let fragment = fragment?;
        let is_markdown = target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        if !is_markdown || !target.is_file() {
            return None;
        }
        let anchors = self
            .anchors
            .entry(target.clone())
            .or_insert_with(|| {
                let text = crate::input::read_to_string(&target).ok()?;
                let view = specbook_markdown::lf_view(&text);
                Some(Anchors::new(Document::parse(&view).anchors()))
            })
            .as_mut()?;
        (!anchors.has(&fragment)).then(|| anchors.missing(&fragment, path_part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }

    #[test]
    fn cycles_are_spelled_out() {
        let n = SpecId::number;
        let graph = BTreeMap::from([
            (n(1), BTreeSet::from([n(2)])),
            (n(2), BTreeSet::from([n(3)])),
            (n(3), BTreeSet::from([n(1)])),
        ]);
        let ids = crate::IdScheme::default();
        assert_eq!(
            cycle_message(&graph, &ids, n(1), ">0002").unwrap(),
            "supersession cycle: 0001 supersedes 0002 supersedes 0003 supersedes 0001; a newer spec supersedes an older one, never back"
        );
        assert_eq!(cycle_message(&graph, &ids, n(4), ">0001"), None);
    }
}
