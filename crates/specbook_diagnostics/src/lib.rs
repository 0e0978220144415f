//! Findings as data: byte spans, severities, line/column resolution and the output formats.
//!
//! Rules produce [`Diagnostic`]s with byte spans into a file's text; [`LineIndex`] turns those
//! into the 1-based line and character columns users see, and the renderers print them.

mod diagnostic;
mod escape;
mod github;
mod line_index;
mod render;
mod sarif;

pub use diagnostic::{
    Applicability, Diagnostic, Edit, FileReport, Fix, Located, LocatedEdit, LocatedFix, Severity,
    Summary,
};
pub use escape::{escape_controls, escape_controls_in};
pub use github::render_github;
pub use line_index::{LineIndex, Position};
pub use render::{
    HumanOptions, render_concise, render_human, render_human_with_summary, render_json,
    render_json_with_summary, render_statistics,
};
pub use sarif::{RuleDescription, ToolInfo, render_sarif};
