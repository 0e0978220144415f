//! `specbook build`: the static site.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use specbook_site::{Site, SiteInput, SiteOptions};
use specbook_workspace::Lifecycle;

use crate::cli::BuildArgs;
use crate::exit;

pub(crate) fn run(args: &BuildArgs) -> Result<u8> {
    let (site, specs) = site(
        args.template.as_deref(),
        args.title.as_deref(),
        args.theme.as_ref(),
    )?;
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
pub(crate) fn site(
    template: Option<&Path>,
    title: Option<&str>,
    theme: Option<&PathBuf>,
) -> Result<(Site, usize)> {
    let (project, catalog) = super::catalog(template, true)?;
    let configured = &project.config.site;
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let input = SiteInput {
        entries: &catalog.entries,
        statuses: lifecycle.all().map(str::to_owned).collect(),
        today: jiff::ZonedDateTime::now().date(),
    };
    let options = SiteOptions {
        title: title
            .map(str::to_owned)
            .or_else(|| configured.title.clone())
            .unwrap_or_else(|| "Specs".to_owned()),
        theme: theme.cloned().or_else(|| configured.theme.clone()),
        mermaid: configured.mermaid,
    };
    let site = specbook_site::build(&input, &options).context("cannot build the site")?;
    Ok((site, catalog.entries.len()))
}
