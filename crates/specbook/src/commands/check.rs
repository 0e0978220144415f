//! `specbook check`: every finding, in the chosen format, and the exit code.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use specbook_diagnostics::{HumanOptions, Summary, render_human, render_json};
use specbook_workspace::{Checker, check_files, discover};

use crate::cli::{CheckArgs, Color, Format};
use crate::exit;

pub(crate) fn run(args: &CheckArgs) -> Result<u8> {
    let config = super::config_for(&args.paths)?;
    let (schema, template_path) = super::load_schema(args.template.as_deref(), &config)?;
    let paths = if args.paths.is_empty() {
        vec![config.specs.clone().unwrap_or_else(|| ".".into())]
    } else {
        args.paths.clone()
    };
    let files = discover(&paths, template_path.as_deref())?;
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "warning: no Markdown files to check in {}",
            shown.join(", ")
        );
    }
    let checker = Checker {
        schema,
        settings: config.settings.clone(),
    };
    let outcome = check_files(&checker, &files);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            render_human(&outcome.reports, HumanOptions { color }, &mut out)?;
        }
        Format::Json => render_json(&outcome.reports, &mut out)?,
    }
    out.flush()?;
    drop(out);
    for error in &outcome.errors {
        eprintln!("error: {error}");
    }
    if !outcome.errors.is_empty() {
        return Ok(exit::FAILURE);
    }
    Ok(if Summary::of(&outcome.reports).errors > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
