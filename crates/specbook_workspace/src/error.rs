//! Failures of the workspace layer, each naming the path it is about.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
/// The I/O cause is part of the message, not a `source`, so `{:#}` does not print it twice.
pub enum WorkspaceError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("cannot read {path}: {error}")]
    Read { path: PathBuf, error: io::Error },
    #[error("cannot write {path}: {error}")]
    Write { path: PathBuf, error: io::Error },
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("template {path}: {message}")]
    Template { path: PathBuf, message: String },
    #[error("{path} already exists; not overwriting it")]
    Exists { path: PathBuf },
    #[error("{0}")]
    Other(String),
}
