//! `specbook build`: the static site.

use anyhow::{Context as _, Result};
use specbook_site::{PageCache, Site, SiteInput, SiteOptions};
use specbook_workspace::Lifecycle;

use crate::cli::{BuildArgs, SiteArgs};
use crate::exit;

pub(crate) fn run(args: &BuildArgs) -> Result<u8> {
    with_input(&args.site, |input, options| {
        let built = specbook_site::build_into(input, options, &args.out)?;
        let specs = input.entries.len();
        // What a rebuild kept: the spec pages that would have come out the same.
        let kept = specs.saturating_sub(built.rendered);
        let reused = if kept > 0 {
            format!(
                " ({} spec pages rendered, {kept} unchanged)",
                built.rendered
            )
        } else {
            String::new()
        };
        println!(
            "built {} pages for {specs} specs in {}{reused}",
            built.pages,
            args.out.display(),
        );
        Ok(())
    })?;
    Ok(exit::OK)
}

/// The site of the current folder's specs, and how many specs it shows.
/// Pages in `cache` that would come out the same are reused (`serve` keeps one between builds).
pub(crate) fn site(args: &SiteArgs, cache: &PageCache) -> Result<(Site, usize)> {
    with_input(args, |input, options| {
        Ok((
            specbook_site::build_cached(input, options, cache)?,
            input.entries.len(),
        ))
    })
}

/// Calls `make` with what the site of the current folder's specs is built from.
/// `title` and `theme` given on the command line win over `[site]` in specbook.toml.
fn with_input<T>(
    args: &SiteArgs,
    make: impl FnOnce(&SiteInput<'_>, &SiteOptions) -> Result<T, specbook_site::SiteError>,
) -> Result<T> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &args.paths, true)?;
    let configured = &project.config.site;
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let input = SiteInput {
        entries: &catalog.entries,
        statuses: lifecycle.all().map(str::to_owned).collect(),
        terminal: lifecycle.terminal.clone(),
        today: jiff::ZonedDateTime::now().date(),
        sources: sources(&project.config.root, &catalog.entries)?,
    };
    let options = SiteOptions {
        title: args
            .title
            .clone()
            .or_else(|| configured.title.clone())
            .unwrap_or_else(|| "Specs".to_owned()),
        theme: args.theme.clone().or_else(|| configured.theme.clone()),
        mermaid: configured.mermaid,
        edit_url: configured.edit_url.clone(),
        colors: configured.colors.clone(),
    };
    check_site_config(&project.config)?;
    make(&input, &options).context("cannot build the site")
}

/// Each entry's file from the repository's root (the nearest folder above the project with
/// `.git`, else the project's folder), with `/`: what `[site] edit_url`'s `{path}` becomes.
fn sources(
    project: &std::path::Path,
    entries: &[specbook_workspace::Entry],
) -> Result<Vec<String>> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let root = super::check::repository_root(project, &cwd);
    Ok(entries
        .iter()
        .map(|entry| {
            let absolute = specbook_workspace::lexical(&cwd.join(&entry.path));
            absolute
                .strip_prefix(&root)
                .unwrap_or(&absolute)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect())
}

/// `[site] edit_url` needs `{path}` and a web address; `[site.colors]` needs `#rrggbb`.
fn check_site_config(config: &specbook_workspace::Config) -> Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = config.path.as_ref().map_or_else(
        || "specbook.toml".to_owned(),
        |p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string(),
    );
    if let Some(url) = &config.site.edit_url
        && (!url.contains("{path}") || !(url.starts_with("https://") || url.starts_with("http://")))
    {
        anyhow::bail!(
            "{file}: [site] edit_url = {url:?} must be an http(s) address with {{path}} where the file's path goes, e.g. \"https://github.com/org/repo/edit/main/{{path}}\""
        );
    }
    for (status, color) in &config.site.colors {
        if specbook_site::hue_and_saturation(color).is_none() {
            anyhow::bail!(
                "{file}: [site.colors] {status} = {color:?} is not a colour like \"#2da44e\""
            );
        }
    }
    Ok(())
}
