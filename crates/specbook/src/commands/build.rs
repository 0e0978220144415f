//! `specbook build`: the static site.

use anyhow::{Context as _, Result};
use specbook_site::{SiteInput, SiteOptions};
use specbook_workspace::Lifecycle;

use crate::cli::BuildArgs;
use crate::exit;

pub(crate) fn run(args: &BuildArgs) -> Result<u8> {
    let (project, catalog) = super::catalog(args.template.as_deref(), true)?;
    let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
    let input = SiteInput {
        entries: &catalog.entries,
        statuses: lifecycle.all().map(str::to_owned).collect(),
        today: jiff::ZonedDateTime::now().date(),
    };
    let options = SiteOptions {
        title: args.title.clone(),
        theme: args.theme.clone(),
    };
    let site = specbook_site::build(&input, &options).context("cannot build the site")?;
    site.write(&args.out)?;
    println!(
        "built {} pages for {} specs in {}",
        site.pages(),
        catalog.entries.len(),
        args.out.display()
    );
    Ok(exit::OK)
}
