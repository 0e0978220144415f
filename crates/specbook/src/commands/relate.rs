//! `specbook supersede`, `link` and `renumber`: changes across specs, all or nothing.

use anyhow::Result;
use specbook_workspace::{
    Lifecycle, discover_markdown, format_id, resolve, spec_number, write_changes,
};

use crate::cli::{LinkArgs, RenumberArgs, SupersedeArgs};
use crate::exit;

pub(crate) fn supersede(args: &SupersedeArgs) -> Result<u8> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &[], false)?;
    super::hold_writer(&project.config)?;
    let old = resolve(&project.files, &project.config.ids, &args.old)?;
    let new = resolve(&project.files, &project.config.ids, &args.new)?;
    match supersession(&catalog, old, new) {
        Supersession::New => {}
        Supersession::Already => {
            println!(
                "{} is already superseded by {}; nothing to do",
                super::shown(old),
                super::shown(new)
            );
            return Ok(exit::OK);
        }
        Supersession::Cycle(chain) => anyhow::bail!(
            "{} already supersedes {} ({}): superseding it back would make a cycle",
            super::shown(old),
            super::shown(new),
            chain.join(" supersedes ")
        ),
    }
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let today = super::today();
    let plan = specbook_workspace::supersede(&project.checker, &lifecycle, old, new, &today)?;
    write_changes(&plan.changes)?;
    let new_id = spec_number(new).map(format_id).unwrap_or_default();
    let old_id = spec_number(old).map(format_id).unwrap_or_default();
    let from = plan.old_status.as_deref().unwrap_or("(no status)");
    println!(
        "{}: {from} -> {}, Superseded By {new_id}",
        super::shown(old),
        plan.superseded
    );
    println!("{}: Supersedes {old_id}", super::shown(new));
    Ok(exit::OK)
}

enum Supersession {
    /// Not yet said anywhere.
    New,
    /// `old` already names `new` as its successor (or `new` names `old` as superseded).
    Already,
    /// `old` already supersedes `new`, directly or through others: the ids along the way.
    Cycle(Vec<String>),
}

/// What the catalog already says about `new` superseding `old`.
fn supersession(
    catalog: &specbook_workspace::Catalog,
    old: &std::path::Path,
    new: &std::path::Path,
) -> Supersession {
    let same = |a: &std::path::Path, b: &std::path::Path| {
        a == b
            || a.canonicalize()
                .ok()
                .is_some_and(|a| b.canonicalize().ok() == Some(a))
    };
    let entry_of =
        |path: &std::path::Path| catalog.entries.iter().position(|e| same(&e.path, path));
    let (Some(old), Some(new)) = (entry_of(old), entry_of(new)) else {
        return Supersession::New;
    };
    let entries = &catalog.entries;
    let index: std::collections::HashMap<specbook_markdown::SpecId, usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.spec_id.map(|id| (id, i)))
        .collect();
    // `a` supersedes `b` when either says so: one list of successors per spec, built once.
    let mut supersedes: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, entry) in entries.iter().enumerate() {
        supersedes[i].extend(entry.meta.supersedes.iter().filter_map(|id| index.get(id)));
        for by in entry
            .meta
            .superseded_by
            .iter()
            .filter_map(|id| index.get(id))
        {
            supersedes[*by].push(i);
        }
    }
    if supersedes[new].contains(&old) {
        return Supersession::Already;
    }
    // A walk along `supersedes` from `old`, looking for `new`.
    let mut previous: Vec<Option<usize>> = vec![None; entries.len()];
    let mut seen = vec![false; entries.len()];
    let mut queue = std::collections::VecDeque::from([old]);
    seen[old] = true;
    while let Some(at) = queue.pop_front() {
        for &next in &supersedes[at] {
            if seen[next] {
                continue;
            }
            seen[next] = true;
            previous[next] = Some(at);
            if next == new {
                let mut chain = vec![entries[new].id()];
                let mut at = new;
                while let Some(before) = previous[at] {
                    chain.push(entries[before].id());
                    at = before;
                }
                chain.reverse();
                return Supersession::Cycle(chain);
            }
            queue.push_back(next);
        }
    }
    Supersession::New
}

pub(crate) fn link(args: &LinkArgs) -> Result<u8> {
    let project = super::project(args.template.as_deref(), &[])?;
    super::hold_writer(&project.config)?;
    let a = resolve(&project.files, &project.config.ids, &args.a)?;
    let b = resolve(&project.files, &project.config.ids, &args.b)?;
    let changes = specbook_workspace::link(&project.checker, a, b, &super::today())?;
    write_changes(&changes)?;
    if changes.is_empty() {
        println!(
            "{} and {} are already related",
            super::shown(a),
            super::shown(b)
        );
    }
    for (path, other) in [(a, b), (b, a)] {
        if changes.iter().any(|c| &c.path == path) {
            let id = spec_number(other).map(format_id).unwrap_or_default();
            println!("{}: Related {id}", super::shown(path));
        }
    }
    Ok(exit::OK)
}

pub(crate) fn renumber(args: &RenumberArgs) -> Result<u8> {
    let project = super::project(args.template.as_deref(), &[])?;
    super::hold_writer(&project.config)?;
    let spec = resolve(&project.files, &project.config.ids, &args.id)?;
    // Links to the spec may be anywhere in the repository, not only among the specs.
    let everything = discover_markdown(
        std::slice::from_ref(&project.config.root),
        &project.templates,
    )?;
    let plan = specbook_workspace::renumber(&project.checker, spec, &everything)?;
    let cwd = std::env::current_dir()?;
    let short = |p: &std::path::Path| super::shown(p.strip_prefix(&cwd).unwrap_or(p));
    // Worked out before the rename: afterwards the old path no longer resolves.
    let from = plan.from.canonicalize()?;
    let updated: Vec<String> = plan
        .changes
        .iter()
        .map(|change| {
            if change.path.canonicalize().is_ok_and(|p| p == from) {
                short(&plan.to)
            } else {
                short(&change.path)
            }
        })
        .collect();
    if !args.dry_run {
        plan.apply()?;
    }
    let (moved, update) = if args.dry_run {
        ("would move", "would update")
    } else {
        ("moved", "updated")
    };
    println!("{moved} {} -> {}", short(&plan.from), short(&plan.to));
    for path in updated {
        println!("{update} links in {path}");
    }
    Ok(exit::OK)
}
