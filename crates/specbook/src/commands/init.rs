//! `specbook init`: a new workspace.

use anyhow::Result;

use crate::cli::InitArgs;
use crate::exit;

pub(crate) fn run(args: &InitArgs) -> Result<u8> {
    let created = specbook_workspace::init(&args.dir)?;
    for path in created {
        println!(
            "created {}",
            path.strip_prefix(".").unwrap_or(&path).display()
        );
    }
    println!("next: specbook new \"Your Feature\"");
    Ok(exit::OK)
}
