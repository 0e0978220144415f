//! The relation graph as inline SVG: specs that supersede or relate to others, older specs
//! to the left of the ones that supersede them, each box a link to its page in its status's
//! colour.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use specbook_markdown::SpecId;

use crate::render::escape_html;

/// A spec in the graph.
pub(crate) struct Node {
    pub id: SpecId,
    pub label: String,
    pub title: String,
    pub url: Option<String>,
    /// The CSS variables of its status's colour.
    pub style: String,
}

const BOX_WIDTH: usize = 230;
const BOX_HEIGHT: usize = 40;
const COLUMN: usize = 300;
const ROW: usize = 56;
const MARGIN: usize = 12;
const LABEL_CHARS: usize = 26;

/// The SVG of `nodes` with `supersedes` edges (newer, older) and `related` ones; `None`
/// when there is no relation to draw.
pub(crate) fn relation_graph(
    nodes: &[Node],
    supersedes: &BTreeSet<(SpecId, SpecId)>,
    related: &BTreeSet<(SpecId, SpecId)>,
) -> Option<String> {
    if nodes.is_empty() {
        return None;
    }
    let column = columns(nodes, supersedes);
    let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
    let mut place: HashMap<SpecId, (usize, usize)> = HashMap::new();
    for node in nodes {
        let c = column.get(&node.id).copied().unwrap_or(0);
        let r = rows.entry(c).or_insert(0);
        place.insert(node.id, (MARGIN + c * COLUMN, MARGIN + *r * ROW));
        *r += 1;
    }
    let width = MARGIN * 2 + rows.keys().max().map_or(0, |c| c * COLUMN) + BOX_WIDTH;
    let height = MARGIN * 2 + rows.values().max().copied().unwrap_or(1) * ROW;
    let mut svg = format!(
        "<svg class=\"graph\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>Relations between specs</title>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\"/></marker></defs>"
    );
    let mid = BOX_HEIGHT / 2;
    for (newer, older) in supersedes {
        let (Some(&(nx, ny)), Some(&(ox, oy))) = (place.get(newer), place.get(older)) else {
            continue;
        };
        // From the newer spec to the one it supersedes.
        let (x1, y1, x2, y2) = if nx > ox {
            (nx, ny + mid, ox + BOX_WIDTH, oy + mid)
        } else {
            (nx + BOX_WIDTH, ny + mid, ox, oy + mid)
        };
        let bend = x1.abs_diff(x2) / 2;
        let (c1, c2) = if x1 > x2 {
            (x1 - bend, x2 + bend)
        } else {
            (x1 + bend, x2 - bend)
        };
        let _ = write!(
            svg,
            "<path class=\"supersedes\" d=\"M{x1} {y1}C{c1} {y1} {c2} {y2} {x2} {y2}\" marker-end=\"url(#arrow)\"><title>{newer} supersedes {older}</title></path>"
        );
    }
    for (a, b) in related {
        let (Some(&(ax, ay)), Some(&(bx, by))) = (place.get(a), place.get(b)) else {
            continue;
        };
        let (x1, y1, x2, y2) = match ax.cmp(&bx) {
            std::cmp::Ordering::Equal => (ax + BOX_WIDTH, ay + mid, bx + BOX_WIDTH, by + mid),
            std::cmp::Ordering::Less => (ax + BOX_WIDTH, ay + mid, bx, by + mid),
            std::cmp::Ordering::Greater => (ax, ay + mid, bx + BOX_WIDTH, by + mid),
        };
        let bulge = if ax == bx { x1 + 40 } else { x1.midpoint(x2) };
        let _ = write!(
            svg,
            "<path class=\"related\" d=\"M{x1} {y1}Q{bulge} {} {x2} {y2}\"><title>{a} and {b} are related</title></path>",
            y1.midpoint(y2)
        );
    }
    for node in nodes {
        let Some(&(x, y)) = place.get(&node.id) else {
            continue;
        };
        let label: String = if node.label.chars().count() > LABEL_CHARS {
            node.label.chars().take(LABEL_CHARS - 1).collect::<String>() + "…"
        } else {
            node.label.clone()
        };
        let body = format!(
            "<g class=\"node\" style=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"6\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            escape_html(&node.style),
            escape_html(&node.title),
            x + 10,
            y + 25,
            escape_html(&label),
        );
        match &node.url {
            Some(url) => {
                let _ = write!(svg, "<a href=\"{}\">{body}</a>", escape_html(url));
            }
            None => svg.push_str(&body),
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// Each node's column: 0 for a spec that supersedes nothing in the graph, else one right of
/// the furthest spec it supersedes (a cycle, which `supersede` refuses, is cut).
fn columns(nodes: &[Node], supersedes: &BTreeSet<(SpecId, SpecId)>) -> HashMap<SpecId, usize> {
    let mut older: HashMap<SpecId, Vec<SpecId>> = HashMap::new();
    for (newer, old) in supersedes {
        older.entry(*newer).or_default().push(*old);
    }
    let mut column: HashMap<SpecId, usize> = HashMap::new();
    for node in nodes {
        // Depth first, without recursion: (spec, its olders visited yet).
        let mut stack = vec![(node.id, false)];
        let mut open: BTreeSet<SpecId> = BTreeSet::new();
        while let Some((id, done)) = stack.pop() {
            if column.contains_key(&id) {
                continue;
            }
            let olds = older.get(&id).map(Vec::as_slice).unwrap_or_default();
            if done {
                let c = olds
                    .iter()
                    .filter_map(|o| column.get(o))
                    .max()
                    .map_or(0, |c| c + 1);
                column.insert(id, c);
                open.remove(&id);
                continue;
            }
            open.insert(id);
            stack.push((id, true));
            for old in olds {
                if !column.contains_key(old) && !open.contains(old) {
                    stack.push((*old, false));
                }
            }
        }
    }
    column
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(n: u32) -> Node {
        Node {
            id: SpecId::number(n),
            label: format!("{n:04} Spec <{n}>"),
            title: format!("Spec {n}"),
            url: Some(format!("specs/{n:04}.html")),
            style: "--hue: 212; --sat: 70%".into(),
        }
    }

    #[test]
    fn newer_specs_stand_right_of_the_ones_they_supersede() {
        let nodes: Vec<Node> = [1, 2, 3, 4].map(node).into_iter().collect();
        let supersedes = BTreeSet::from([
            (SpecId::number(2), SpecId::number(1)),
            (SpecId::number(3), SpecId::number(2)),
        ]);
        let related = BTreeSet::from([(SpecId::number(1), SpecId::number(4))]);
        let column = columns(&nodes, &supersedes);
        assert_eq!(column[&SpecId::number(1)], 0);
        assert_eq!(column[&SpecId::number(2)], 1);
        assert_eq!(column[&SpecId::number(3)], 2);
        assert_eq!(column[&SpecId::number(4)], 0);
        let svg = relation_graph(&nodes, &supersedes, &related).unwrap();
        assert_eq!(svg.matches("class=\"supersedes\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("class=\"related\"").count(), 1, "{svg}");
        assert!(svg.contains("<a href=\"specs/0001.html\">"), "{svg}");
        assert!(svg.contains("0001 Spec &lt;1&gt;"), "{svg}");
    }

    #[test]
    fn a_cycle_is_cut_and_no_relation_is_no_graph() {
        let nodes: Vec<Node> = [1, 2].map(node).into_iter().collect();
        let cycle = BTreeSet::from([
            (SpecId::number(2), SpecId::number(1)),
            (SpecId::number(1), SpecId::number(2)),
        ]);
        assert!(relation_graph(&nodes, &cycle, &BTreeSet::new()).is_some());
        assert!(relation_graph(&[], &BTreeSet::new(), &BTreeSet::new()).is_none());
    }
}
