//! specbook's Markdown model: spec text to [`Document`] and template text to [`Schema`], with
//! exact byte spans and no I/O.
//!
//! `check` runs on every save and in every CI job, so the parser reads only the block structure
//! the rules need (headings, list items, code and comment regions, YAML front matter) line by
//! line, and looks at inline syntax only around `[` brackets and TODO-style markers.

mod anchors;
mod document;
mod fields;
mod guidance;
mod id;
mod inline;
mod line_ending;
mod normalize;
mod relations;
mod scan;
mod schema;
mod status;
mod template_text;
mod transition;
mod yaml;

pub use anchors::slug;
pub use document::{Document, Heading, ListItem, Placeholder, PlaceholderKind};
pub use fields::{Field, FieldPlace, FieldSource, field_end, sidecar_fields};
pub use guidance::{fix_text, is_guidance, is_placeholder_paragraph};
pub use id::SpecId;
pub use line_ending::{LineEnding, lf_view};
pub use normalize::{rendered_text, section_key, strip_numbering, strip_optional_marker};
pub use relations::{IdRef, RelationKind, parse_id, relations};
pub use schema::{
    FieldKind, FieldSpec, Schema, SchemaError, SectionSpec, TemplatePlace, TitlePattern,
    TitleSegment, field_key,
};
pub use status::StatusValue;
pub use template_text::{LeftoverKind, TemplateLeftover, TemplateText};
pub use transition::{DEFAULT_HISTORY_FIELD, RecordedTransition, is_history_key};
pub use yaml::YamlError;

/// The tech-spec template specbook ships as its default.
pub const BUILTIN_TEMPLATE: &str = include_str!("../templates/tech-spec.md");
