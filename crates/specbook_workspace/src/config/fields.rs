//! `[fields.NAME]`: a field's type, whether it may be missing, and its values.

use serde::Deserialize;
use specbook_markdown::{FieldKind, Schema};

/// `[fields.NAME]`: what derivation from the template cannot tell about a field.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    #[serde(rename = "type")]
    kind: Option<String>,
    optional: Option<bool>,
    values: Option<Vec<String>>,
}

/// A field's type as `[fields.NAME] type` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldType {
    Date,
    List,
    OneOf,
    Link,
    Text,
    Number,
}

const FIELD_TYPES: &str = "date, list, one-of, link, text or number";

impl FieldType {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "date" => Self::Date,
            "list" => Self::List,
            "one-of" => Self::OneOf,
            "link" => Self::Link,
            "text" => Self::Text,
            "number" => Self::Number,
            _ => return None,
        })
    }
}

/// `[fields.NAME]` checked: a type, whether it may be missing, its values.
#[derive(Clone, Debug)]
pub struct FieldSetting {
    pub name: String,
    kind: Option<FieldType>,
    pub optional: Option<bool>,
    pub values: Option<Vec<String>>,
}

impl FieldSetting {
    pub(super) fn new(name: &str, raw: &RawField) -> Result<Self, String> {
        let kind = match raw.kind.as_deref() {
            Some(text) => Some(FieldType::parse(text).ok_or_else(|| {
                format!("[fields.{name}] type = \"{text}\": expected {FIELD_TYPES}")
            })?),
            None if raw.values.is_some() => Some(FieldType::OneOf),
            None => None,
        };
        if kind == Some(FieldType::OneOf) && raw.values.as_ref().is_none_or(Vec::is_empty) {
            return Err(format!(
                "[fields.{name}] type = \"one-of\" needs `values = [...]`, the values allowed"
            ));
        }
        if raw.values.is_some() && kind != Some(FieldType::OneOf) {
            return Err(format!(
                "[fields.{name}] values are only for type = \"one-of\""
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            kind,
            optional: raw.optional,
            values: raw.values.clone(),
        })
    }

    /// Applies the setting to the template's field (added when the template lacks it).
    pub(super) fn apply(&self, schema: &mut Schema) {
        let spec = schema.field_mut(&self.name);
        if let Some(optional) = self.optional {
            spec.optional = optional;
        }
        if let Some(kind) = self.kind {
            spec.configured = true;
            spec.list = kind == FieldType::List;
            spec.kind = match kind {
                FieldType::Date => FieldKind::Date,
                FieldType::OneOf => FieldKind::Enum(self.values.clone().unwrap_or_default()),
                FieldType::Link => FieldKind::Link,
                FieldType::Number => FieldKind::Number,
                FieldType::List | FieldType::Text => FieldKind::Text,
            };
        }
    }
}
