//! Where a corpus keeps its specs: the numbered documents grouped by shape, each group
//! written as one `specs` pattern.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::catalog::{is_folder_spec, spec_id};

/// A group smaller than this share of the numbered documents (and than `MIN_FILES`) is
/// something else: an archive of old templates, a folder of examples.
const MIN_SHARE: f64 = 0.10;
const MIN_FILES: usize = 20;

/// The spec documents found and the patterns that select them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layout {
    /// `specs` entries, relative to the corpus folder, `/`-separated.
    pub patterns: Vec<String>,
    /// Numbered documents no pattern takes (old templates, examples), for the report.
    pub left_out: Vec<PathBuf>,
    /// Whether specs are folders with a README.md.
    pub folder_per_spec: bool,
}

/// One numbered document, by its place relative to the corpus folder.
struct Shape {
    /// The first folder (empty for a file at the top).
    top: String,
    /// Folders between `top` and the file.
    depth: usize,
    readme: bool,
    /// The file name, for the refined flat pattern.
    name: String,
}

fn components(relative: &Path) -> Vec<String> {
    relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

fn shape(relative: &Path) -> Option<Shape> {
    let parts = components(relative);
    let (name, folders) = parts.split_last()?;
    let (top, depth) = match folders.split_first() {
        Some((top, rest)) => (top.clone(), rest.len()),
        None => (String::new(), 0),
    };
    Some(Shape {
        top,
        depth,
        readme: is_folder_spec(relative),
        name: name.clone(),
    })
}

/// The layout of the numbered documents among `files` (relative to the corpus folder). The
/// number 0 is a template's (`0000-template.md`), not a spec's.
pub(crate) fn infer(files: &[PathBuf]) -> Layout {
    let numbered: Vec<&PathBuf> = files
        .iter()
        .filter(|f| spec_id(f).is_some_and(|id| id.number != 0))
        .collect();
    let mut groups: BTreeMap<(String, bool), Vec<(&PathBuf, Shape)>> = BTreeMap::new();
    for file in &numbered {
        if let Some(shape) = shape(file) {
            groups
                .entry((shape.top.clone(), shape.readme))
                .or_default()
                .push((file, shape));
        }
    }
    let total = numbered.len();
    let mut layout = Layout::default();
    for ((top, readme), members) in groups {
        #[allow(clippy::cast_precision_loss, reason = "shares of a few thousand files")]
        let share = members.len() as f64 / total.max(1) as f64;
        if share < MIN_SHARE && members.len() < MIN_FILES {
            layout
                .left_out
                .extend(members.iter().map(|(f, _)| (*f).clone()));
            continue;
        }
        layout.folder_per_spec |= readme;
        layout.patterns.push(pattern(&top, readme, &members, files));
    }
    layout
}

/// The pattern of one group: `top/*/*/README.md` when every member is as deep, `top/**/...`
/// when depths differ; a flat file name narrowed (`eip-*.md`, `[0-9]*.md`) when other
/// Markdown files share the folders and every member's name allows it.
fn pattern(top: &str, readme: bool, members: &[(&PathBuf, Shape)], files: &[PathBuf]) -> String {
    let depths: Vec<usize> = members.iter().map(|(_, s)| s.depth).collect();
    let same_depth = depths.windows(2).all(|w| w[0] == w[1]);
    let folders = if same_depth {
        "*/".repeat(depths.first().copied().unwrap_or(0))
    } else {
        "**/".to_owned()
    };
    let file = if readme {
        members
            .first()
            .map_or_else(|| "README.md".to_owned(), |(_, s)| s.name.clone())
    } else {
        flat_name(top, members, files)
    };
    if top.is_empty() {
        format!("{folders}{file}")
    } else {
        format!("{top}/{folders}{file}")
    }
}

/// `*.md`, or a narrower name when unnumbered Markdown files lie beside the specs (a
/// README.md in the spec folder is not a spec).
fn flat_name(top: &str, members: &[(&PathBuf, Shape)], files: &[PathBuf]) -> String {
    let folders: Vec<PathBuf> = members
        .iter()
        .filter_map(|(f, _)| f.parent().map(Path::to_path_buf))
        .collect();
    let beside = files.iter().any(|f| {
        spec_id(f).is_none_or(|id| id.number == 0)
            && f.parent().is_some_and(|p| folders.iter().any(|d| d == p))
            && shape(f).is_some_and(|s| s.top == top)
    });
    if !beside {
        return "*.md".to_owned();
    }
    let names: Vec<&str> = members.iter().map(|(_, s)| s.name.as_str()).collect();
    if names
        .iter()
        .all(|n| n.starts_with(|c: char| c.is_ascii_digit()))
    {
        return "[0-9]*.md".to_owned();
    }
    // The literal start every name shares, up to its last separator (`eip-`).
    let first = names.first().copied().unwrap_or_default();
    let mut common = first.len();
    for name in &names[1..] {
        common = common.min(
            first
                .bytes()
                .zip(name.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let prefix = &first[..common];
    match prefix.rfind(['-', '_']) {
        Some(end) if end > 0 => format!("{}*.md", &prefix[..=end]),
        _ => "*.md".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(files: &[&str]) -> Layout {
        let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
        infer(&files)
    }

    #[test]
    fn layouts_and_their_patterns() {
        assert_eq!(
            layout(&["text/0001-a.md", "text/0002-b.md", "README.md"]).patterns,
            vec!["text/*.md"]
        );
        assert_eq!(
            layout(&["EIPS/eip-1.md", "EIPS/eip-2.md", "EIPS/README.md"]).patterns,
            vec!["EIPS/eip-*.md"]
        );
        assert_eq!(
            layout(&["rfcs/0001-a.md", "rfcs/0002-b.md", "rfcs/README.md"]).patterns,
            vec!["rfcs/[0-9]*.md"]
        );
        assert_eq!(
            layout(&["A1-a.md", "G2-b.md", "GRFC-TEMPLATE.md"]).patterns,
            vec!["*.md"]
        );
        let keps = layout(&[
            "keps/sig-node/2625-a/README.md",
            "keps/sig-api/2626-b/README.md",
            "keps/NNNN-kep-template/README.md",
        ]);
        assert_eq!(keps.patterns, vec!["keps/*/*/README.md"]);
        assert!(keps.folder_per_spec);
        assert_eq!(
            layout(&[
                "spec/ics-001-a/README.md",
                "spec/core/ics-002-b/README.md",
                "spec/v2/core/ics-003-c/README.md",
            ])
            .patterns,
            vec!["spec/**/README.md"]
        );
        assert_eq!(
            layout(&["proposals/0001-a.md", "proposals/testing/0001-b.md"]).patterns,
            vec!["proposals/**/*.md"]
        );
    }

    #[test]
    fn small_groups_and_template_numbers_are_left_out() {
        let mut files: Vec<String> = (1..=60).map(|n| format!("text/{n:04}-x.md")).collect();
        files.push("template-history/0001-template.2014.md".to_owned());
        files.push("0000-template.md".to_owned());
        let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
        let found = infer(&files);
        assert_eq!(found.patterns, vec!["text/*.md"]);
        assert_eq!(
            found.left_out,
            vec![PathBuf::from("template-history/0001-template.2014.md")]
        );
    }
}
