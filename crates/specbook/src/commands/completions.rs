//! `specbook completions SHELL` and `specbook man`: generated from the clap definitions, so
//! help, completions and the man page never disagree.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit;

pub(crate) fn completions(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "specbook", &mut std::io::stdout());
    exit::OK
}

pub(crate) fn man() -> Result<u8> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(exit::OK)
}
