//! `specbook build`: the static site.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use specbook_site::{Site, SiteInput, SiteOptions};
use specbook_workspace::Lifecycle;

use crate::cli::BuildArgs;
use crate::exit;

pub(crate) fn run(args: &BuildArgs) -> Result<u8> {
    let (site, specs) = site(args.template.as_deref(), &args.title, args.theme.as_ref())?;
    site.write(&args.out)?;
    println!(
        "built {} pages for {specs} specs in {}",
        site.pages(),
        args.out.display()
    );
    Ok(exit::OK)
}

/// The site of the current folder's specs, and how many specs it shows.
pub(crate) fn site(
    template: Option<&Path>,
    title: &str,
    theme: Option<&PathBuf>,
) -> Result<(Site, usize)> {
    let (project, catalog) = super::catalog(template, true)?;
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let input = SiteInput {
        entries: &catalog.entries,
        statuses: lifecycle.all().map(str::to_owned).collect(),
        today: jiff::ZonedDateTime::now().date(),
    };
    let options = SiteOptions {
        title: title.to_owned(),
        theme: theme.cloned(),
    };
    let site = specbook_site::build(&input, &options).context("cannot build the site")?;
    Ok((site, catalog.entries.len()))
}
