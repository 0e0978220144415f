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
        None => git_user_name(),
    };
    let team = args
        .team
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let today = jiff::ZonedDateTime::now().date().to_string();
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

/// `git config user.name`, when git is installed and the name is set.
fn git_user_name() -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()?;
    let name = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !name.is_empty()).then_some(name)
}
