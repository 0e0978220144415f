//! `specbook build`: the static site.

use anyhow::{Context as _, Result};
use specbook_site::{SiteInput, SiteOptions};
use specbook_workspace::Lifecycle;

use crate::cli::{BuildArgs, SiteArgs};
use crate::exit;

pub(crate) fn run(args: &BuildArgs) -> Result<u8> {
    let prepared = Prepared::load(&args.site)?;
    let input = prepared.input();
    let built = specbook_site::build_into(&input, &prepared.options, &args.out)
        .context("cannot build the site")?;
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
    Ok(exit::OK)
}

/// What the site of the current folder's specs is built from: the project, its catalog, the
/// lifecycle's statuses, each spec's file from the repository's root and the site's options.
pub(crate) struct Prepared {
    pub project: super::Project,
    pub catalog: specbook_workspace::Catalog,
    statuses: Vec<String>,
    terminal: Vec<String>,
    sources: Vec<String>,
    pub options: SiteOptions,
}

impl Prepared {
    /// Reads and checks the specs. `title` and `theme` given on the command line win over
    /// `[site]` in specbook.toml.
    pub(crate) fn load(args: &SiteArgs) -> Result<Self> {
        let (project, catalog) = super::catalog(args.template.as_deref(), &args.paths, true)?;
        let configured = &project.config.site;
        let lifecycle = Lifecycle::new(&project.checker.schema, &project.config);
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
        Ok(Self {
            statuses: lifecycle.all().map(str::to_owned).collect(),
            terminal: lifecycle.terminal.clone(),
            sources: sources(&project.config.root, &catalog.entries)?,
            options,
            project,
            catalog,
        })
    }

    /// The site's input, with the catalog's entries.
    pub(crate) fn input(&self) -> SiteInput<'_> {
        self.input_with(&self.catalog.entries)
    }

    /// The site's input with `entries` in the place of the catalog's (the same specs, one
    /// checked again).
    pub(crate) fn input_with<'a>(
        &'a self,
        entries: &'a [specbook_workspace::Entry],
    ) -> SiteInput<'a> {
        SiteInput {
            entries,
            statuses: self.statuses.clone(),
            terminal: self.terminal.clone(),
            today: jiff::ZonedDateTime::now().date(),
            sources: self.sources.clone(),
        }
    }
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
