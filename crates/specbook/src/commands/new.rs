//! `specbook new`: the next numbered spec, filled in from the template.

use anyhow::{Context as _, Result};
use specbook_workspace::{NewSpec, new_spec};

use crate::cli::NewArgs;
use crate::exit;

pub(crate) fn run(args: &NewArgs) -> Result<u8> {
    let config = super::config()?;
    let (schema, _) = super::load_schema(args.template.as_deref(), &config)?;
    let author = match args.author.as_deref().map(str::trim) {
        Some("") => None,
        Some(author) => Some(author.to_owned()),
        None => super::git_user_name(),
    };
    let team = args
        .team
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let today = super::today();
    let spec = NewSpec {
        title: args.title.trim(),
        author: author.as_deref(),
        team,
        today: &today,
    };
    let path = new_spec(&config, &schema, &spec).context("cannot create the spec")?;
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    println!("{}", path.strip_prefix(&cwd).unwrap_or(&path).display());
    Ok(exit::OK)
}
