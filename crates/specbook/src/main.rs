//! The `specbook` binary: argument parsing, exit codes, and the only place that prints.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the system allocator took 11-15% of `check`'s and `build`'s time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes of the command contract.
pub(crate) mod exit {
    /// No error found.
    pub const OK: u8 = 0;
    /// A check found an error.
    pub const FINDINGS: u8 = 1;
    /// A usage, configuration or I/O error.
    pub const FAILURE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                exit::FAILURE
            } else {
                exit::OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`specbook check | head`) is the reader's choice, not an error.
        Err(error) if closed_pipe(&error) => ExitCode::from(exit::OK),
        Err(error) => {
            print_error(&error);
            ExitCode::from(exit::FAILURE)
        }
    }
}

/// `error: ` and the error with its causes, on standard error.
pub(crate) fn print_error(error: &anyhow::Error) {
    // A path or a value quoted in the message may hold an escape sequence.
    let message = format!("{error:#}");
    eprintln!(
        "error: {}",
        specbook_diagnostics::escape_controls(&message, &['\n', '\t'])
    );
}

/// Whether the error is a write to a reader that went away (`specbook check | head`),
/// wherever in the chain it is (`serde_json` wraps the one it met).
pub(crate) fn closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}
