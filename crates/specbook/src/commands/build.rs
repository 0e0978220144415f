//! `specbook build`: the static site.

use anyhow::{Context as _, Result};
use specbook_site::{PageCache, Site, SiteInput, SiteOptions};
use specbook_workspace::Lifecycle;

use crate::cli::{BuildArgs, SiteArgs};
use crate::exit;

pub(crate) fn run(args: &BuildArgs) -> Result<u8> {
    let (site, specs) = site(&args.site, &PageCache::default())?;
    site.write(&args.out)?;
    println!(
        "built {} pages for {specs} specs in {}",
        site.pages(),
        args.out.display()
    );
    Ok(exit::OK)
}

/// The site of the current folder's specs, and how many specs it shows.
/// `title` and `theme` given on the command line win over `[site]` in specbook.toml.
/// Pages in `cache` that would come out the same are reused (`serve` keeps one between builds).
pub(crate) fn site(args: &SiteArgs, cache: &PageCache) -> Result<(Site, usize)> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &args.paths, true)?;
    let configured = &project.config.site;
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let input = SiteInput {
        entries: &catalog.entries,
        statuses: lifecycle.all().map(str::to_owned).collect(),
        terminal: lifecycle.terminal.clone(),
        today: jiff::ZonedDateTime::now().date(),
    };
    let options = SiteOptions {
        title: args
            .title
            .clone()
            .or_else(|| configured.title.clone())
            .unwrap_or_else(|| "Specs".to_owned()),
        theme: args.theme.clone().or_else(|| configured.theme.clone()),
        mermaid: configured.mermaid,
    };
    let site =
        specbook_site::build_cached(&input, &options, cache).context("cannot build the site")?;
    Ok((site, catalog.entries.len()))
}
