//! Findings as data: byte spans, severities, line/column resolution and the output formats.
//!
//! Rules produce [`Diagnostic`]s with byte spans into a file's text; [`LineIndex`] turns those
//! into the 1-based line and character columns users see, and the renderers print them.

mod diagnostic;
mod line_index;
mod render;

pub use diagnostic::{Diagnostic, FileReport, Located, Severity, Summary};
pub use line_index::{LineIndex, Position};
pub use render::{HumanOptions, render_human, render_json};
