//! `specbook completions SHELL` and `specbook man`: generated from the clap definitions, so
//! help, completions and the man page never disagree.

use anyhow::{Result, bail};
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::exit;

pub(crate) fn completions(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "specbook", &mut std::io::stdout());
    exit::OK
}

pub(crate) fn man(args: &ManArgs) -> Result<u8> {
    let command = Cli::command();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .collect();
                bail!(
                    "no command is called `{name}`; the commands are {}",
                    names.join(", ")
                );
            };
            // `specbook-check(1)`, as the main page refers to it. clap wants a `'static` name; the
            // process prints one page and exits.
            let title: &'static str = Box::leak(format!("specbook-{name}").into_boxed_str());
            sub.clone().name(title)
        }
    };
    clap_mangen::Man::new(page).render(&mut std::io::stdout())?;
    Ok(exit::OK)
}
