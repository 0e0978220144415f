//! specbook's workspace: `specbook.toml`, finding spec files, checking them in parallel, and
//! writing new specs.

mod changed;
mod check;
mod config;
mod discover;
mod error;
mod scaffold;

pub use changed::changed_files;
pub use check::{
    CheckOutcome, Checker, FixOutcome, INVALID_UTF8, add_workspace_findings, check_files,
    fix_files, spec_number,
};
pub use config::{CONFIG_FILE, Config, check_rule_names, unknown_rule_message};
pub use discover::discover;
pub use error::WorkspaceError;
pub use scaffold::{DEFAULT_CONFIG, NewSpec, TEMPLATE_PATH, init, new_spec, slugify};
