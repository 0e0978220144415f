//! `specbook index`: the catalog as a Markdown table between markers in a file.

use anyhow::{Context as _, Result, bail};
use specbook_workspace::{index_table, splice_index, write_file};

use crate::cli::IndexArgs;
use crate::exit;

pub(crate) fn run(args: &IndexArgs) -> Result<u8> {
    let (project, catalog) = super::catalog(args.template.as_deref(), &args.paths, false)?;
    let output = args.output.clone().unwrap_or_else(|| {
        if project.config.specs.is_empty() {
            "README.md".into()
        } else {
            project.config.new_spec_folder().join("README.md")
        }
    });
    if !args.check {
        super::hold_writer(&project.config)?;
    }
    let folder = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => ".".into(),
    };
    let before = match specbook_workspace::read_input(&output) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read {}", super::shown(&output)));
        }
    };
    let existing = before
        .as_deref()
        .map(std::str::from_utf8)
        .transpose()
        .with_context(|| {
            format!(
                "{} is not UTF-8 text; not changing it",
                super::shown(&output)
            )
        })?;
    let table = index_table(&catalog.entries, &folder);
    let after = match splice_index(existing, &table) {
        Ok(after) => after,
        Err(message) => bail!("{} {message}", super::shown(&output)),
    };
    let current = existing == Some(after.as_str());
    if args.check {
        if current {
            println!("{} is up to date", super::shown(&output));
            return Ok(exit::OK);
        }
        eprintln!(
            "error: {} is out of date; run `specbook index{}`",
            super::shown(&output),
            args.output
                .as_ref()
                .map_or_else(String::new, |o| format!(" --output {}", super::shown(o)))
        );
        return Ok(exit::FINDINGS);
    }
    if current {
        println!("{} is up to date", super::shown(&output));
        return Ok(exit::OK);
    }
    write_file(&output, before.as_deref(), &after)?;
    if existing.is_some_and(|text| !text.contains(specbook_workspace::INDEX_START)) {
        eprintln!(
            "note: {} had no index markers; the table is added at its end, between {} and {} (move them where you want it)",
            super::shown(&output),
            specbook_workspace::INDEX_START,
            specbook_workspace::INDEX_END
        );
    }
    let count = catalog.entries.len();
    println!(
        "wrote {} spec{} to {}",
        count,
        if count == 1 { "" } else { "s" },
        super::shown(&output)
    );
    Ok(exit::OK)
}
