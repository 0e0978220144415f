//! Relations between specs: the `Supersedes`, `Superseded By` and `Related` fields, which any
//! template may use, holding spec ids.

use std::ops::Range;

use crate::fields::{Field, FieldSource};
use crate::id::SpecId;
use crate::schema::field_key;

/// Which relation a field records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationKind {
    Supersedes,
    SupersededBy,
    Related,
}

impl RelationKind {
    pub const ALL: [Self; 3] = [Self::Supersedes, Self::SupersededBy, Self::Related];

    /// The relation a field label names (`Superseded By`, `superseded-by`, `related`).
    #[must_use]
    pub fn of(label: &str) -> Option<Self> {
        // Every field of every spec is asked: most are not relations, so look before allocating.
        if !label
            .trim_start()
            .starts_with(|c: char| matches!(c.to_ascii_lowercase(), 's' | 'r'))
        {
            return None;
        }
        match field_key(label).replace(['-', '_'], " ").as_str() {
            "supersedes" => Some(Self::Supersedes),
            "superseded by" => Some(Self::SupersededBy),
            "related" => Some(Self::Related),
            _ => None,
        }
    }

    /// The label specbook writes.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Supersedes => "Supersedes",
            Self::SupersededBy => "Superseded By",
            Self::Related => "Related",
        }
    }

    /// The relation the other spec records back.
    #[must_use]
    pub fn inverse(self) -> Self {
        match self {
            Self::Supersedes => Self::SupersededBy,
            Self::SupersededBy => Self::Supersedes,
            Self::Related => Self::Related,
        }
    }
}

/// One entry of a relation field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdRef {
    pub kind: RelationKind,
    /// The spec id, when the entry is one (`7`, `0007`, `#7`, `0007-slug`, `[0007](...)`, `A14`).
    pub id: Option<SpecId>,
    /// The entry as written.
    pub text: String,
    pub span: Range<usize>,
}

/// The entries of the relation fields among `fields`. Empty values and `None`/`-`/`N/A` mean
/// no relation.
#[must_use]
pub fn relations(text: &str, fields: &[Field]) -> Vec<IdRef> {
    let mut out = Vec::new();
    for field in fields {
        let Some(kind) = RelationKind::of(&field.label) else {
            continue;
        };
        // A sidecar's spans are in another file: point at the whole value.
        let raw = text
            .get(field.value_span.clone())
            .filter(|_| field.source != FieldSource::Sidecar);
        // A YAML sequence's value is joined from several places: point at the whole value.
        let exact =
            raw.is_some_and(|raw| field.source == FieldSource::Bullet || raw == field.value);
        let raw = raw.unwrap_or(&field.value);
        let value = if exact { raw } else { field.value.as_str() };
        let mut offset = 0;
        for part in value.split(',') {
            let start = offset + (part.len() - part.trim_start().len());
            offset += part.len() + 1;
            let entry = part.trim();
            if entry.is_empty() || is_none(entry) {
                continue;
            }
            let span = if exact {
                field.value_span.start + start..field.value_span.start + start + entry.len()
            } else {
                field.value_span.clone()
            };
            out.push(IdRef {
                kind,
                id: parse_id(entry),
                text: entry.to_owned(),
                span,
            });
        }
    }
    out
}

fn is_none(entry: &str) -> bool {
    ["none", "-", "n/a", "[]"]
        .iter()
        .any(|n| entry.eq_ignore_ascii_case(n))
}

/// The spec id a relation entry names: `7`, `0007`, `#7`, `0007-slug`, `[0007](...)`, `A14`,
/// `SE-0300`.
#[must_use]
pub fn parse_id(entry: &str) -> Option<SpecId> {
    SpecId::parse(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Document;

    fn refs(text: &str) -> Vec<(RelationKind, Option<u32>, &str)> {
        let doc = Document::parse(text);
        relations(text, &doc.fields(Some(0)))
            .into_iter()
            .map(|r| (r.kind, r.id.map(|id| id.number), &text[r.span]))
            .collect()
    }

    #[test]
    fn bullet_relations() {
        let text = "## Front Matter\n- **Supersedes:** 0003, #4, [0005](0005-x.md)\n- **Superseded By:** None\n- **Related:** 12-search, later\n- **Team:** Core\n";
        assert_eq!(
            refs(text),
            vec![
                (RelationKind::Supersedes, Some(3), "0003"),
                (RelationKind::Supersedes, Some(4), "#4"),
                (RelationKind::Supersedes, Some(5), "[0005](0005-x.md)"),
                (RelationKind::Related, Some(12), "12-search"),
                (RelationKind::Related, None, "later"),
            ]
        );
    }

    #[test]
    fn yaml_relations() {
        let text = "---\nsupersedes: [3, 4]\nrelated: 0009\n---\n# T\n";
        let doc = Document::parse(text);
        let found = relations(text, &doc.fields(None));
        let ids: Vec<_> = found
            .iter()
            .map(|r| (r.kind, r.id.map(|id| id.number)))
            .collect();
        assert_eq!(
            ids,
            vec![
                (RelationKind::Supersedes, Some(3)),
                (RelationKind::Supersedes, Some(4)),
                (RelationKind::Related, Some(9)),
            ]
        );
        assert_eq!(&text[found[2].span.clone()], "0009");
    }
}
