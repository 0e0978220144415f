//! A template file read as a schema: title pattern, typed fields, required sections.

use std::collections::HashSet;

use crate::document::{Document, PlaceholderKind, line_start};
use crate::fields::FieldSource;
use crate::normalize::{section_key, strip_numbering};

/// Why a template cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("the template has no headings, so there are no sections to require")]
    NoSections,
    #[error("line {line}: a heading without a title cannot be a required section")]
    EmptyHeading { line: usize },
    #[error("the template's front matter could not be read: {0}")]
    FrontMatter(String),
}

/// One piece of the title pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TitleSegment {
    /// Text every title must contain here, e.g. ` Technical Specification`.
    Fixed(String),
    /// Text the author replaces, e.g. `System/Feature Name`.
    Placeholder(String),
}

/// The template's H1, e.g. `[System/Feature Name] Technical Specification`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitlePattern {
    pub text: String,
    pub segments: Vec<TitleSegment>,
}

impl TitlePattern {
    fn new(text: &str, placeholders: &[std::ops::Range<usize>]) -> Self {
        let mut segments = Vec::new();
        let mut at = 0;
        for span in placeholders {
            if span.start > at {
                segments.push(TitleSegment::Fixed(text[at..span.start].to_owned()));
            }
            segments.push(TitleSegment::Placeholder(
                text[span.start + 1..span.end - 1].to_owned(),
            ));
            at = span.end;
        }
        if at < text.len() {
            segments.push(TitleSegment::Fixed(text[at..].to_owned()));
        }
        Self {
            text: text.to_owned(),
            segments,
        }
    }

    /// Whether a title keeps every fixed part, in order, with something in each placeholder's
    /// place. Case and surrounding spaces do not matter.
    #[must_use]
    pub fn matches(&self, title: &str) -> bool {
        let title = title.trim().to_lowercase();
        let mut rest = title.as_str();
        let mut pending_placeholder = false;
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                TitleSegment::Placeholder(_) => pending_placeholder = true,
                TitleSegment::Fixed(fixed) => {
                    let fixed = fixed.trim().to_lowercase();
                    if fixed.is_empty() {
                        continue;
                    }
                    let last = i == self.segments.len() - 1;
                    let found = if last && pending_placeholder {
                        rest.ends_with(&fixed).then(|| rest.len() - fixed.len())
                    } else if pending_placeholder {
                        rest.find(&fixed)
                    } else {
                        rest.starts_with(&fixed).then_some(0)
                    };
                    let Some(index) = found else { return false };
                    if pending_placeholder && rest[..index].trim().is_empty() {
                        return false;
                    }
                    if last && !pending_placeholder && !rest[fixed.len()..].trim().is_empty() {
                        return false;
                    }
                    rest = &rest[index + fixed.len()..];
                    pending_placeholder = false;
                }
            }
        }
        !pending_placeholder || !rest.trim().is_empty()
    }

    /// The part of `title` the template's one placeholder stands for: `Webhook Delivery` of
    /// `Webhook Delivery Technical Specification`. `None` when the pattern has several
    /// placeholders or the title does not match it.
    #[must_use]
    pub fn extract<'t>(&self, title: &'t str) -> Option<&'t str> {
        // Runs for every spec in the catalog: compare bytes in place, allocate nothing.
        let mut prefix = "";
        let mut suffix = "";
        let mut placeholders = 0;
        for segment in &self.segments {
            match segment {
                TitleSegment::Placeholder(_) => placeholders += 1,
                TitleSegment::Fixed(fixed) if placeholders == 0 => prefix = fixed.trim(),
                TitleSegment::Fixed(fixed) => suffix = fixed.trim(),
            }
        }
        if placeholders != 1 {
            return None;
        }
        let title = title.trim();
        let bytes = title.as_bytes();
        if bytes.len() < prefix.len() + suffix.len()
            || !bytes[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            || !bytes[bytes.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
        {
            return None;
        }
        let name = title.get(prefix.len()..title.len() - suffix.len())?.trim();
        (!name.is_empty()).then_some(name)
    }

    /// The fixed text, for messages: `… Technical Specification`.
    #[must_use]
    pub fn describe(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                TitleSegment::Fixed(f) => f.clone(),
                TitleSegment::Placeholder(p) => format!("<{p}>"),
            })
            .collect()
    }

    /// The title with the first placeholder replaced by `name` (the rest kept as placeholders).
    #[must_use]
    pub fn fill(&self, name: &str) -> String {
        let mut filled = false;
        self.segments
            .iter()
            .map(|s| match s {
                TitleSegment::Fixed(f) => f.clone(),
                TitleSegment::Placeholder(_) if !filled => {
                    filled = true;
                    name.to_owned()
                }
                TitleSegment::Placeholder(p) => format!("[{p}]"),
            })
            .collect()
    }
}

/// The type a field's placeholder gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// `[Date]` or `YYYY-MM-DD`: an ISO 8601 calendar date.
    Date,
    /// `[A/B/C]`: one of the listed values.
    Enum(Vec<String>),
    Text,
}

/// A metadata field the template asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// As the template writes it, e.g. `Author(s)`.
    pub label: String,
    pub key: String,
    pub kind: FieldKind,
    /// A label ending in `(s)`: a comma-separated list.
    pub list: bool,
    /// The template's value text, e.g. `[Author Name]`.
    pub placeholder: String,
}

/// A section the template requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionSpec {
    /// As the template writes it, numbering included: `7. Success Metrics`.
    pub title: String,
    /// Numbering stripped: `Success Metrics`.
    pub name: String,
    pub key: String,
    pub level: u8,
    /// Index of the enclosing section in [`Schema::sections`].
    pub parent: Option<usize>,
    pub has_children: bool,
    /// The template's text of the section body (subsections excluded), for fixes and `new`.
    pub body: String,
}

/// What a template requires of a spec.
#[derive(Clone, Debug)]
pub struct Schema {
    pub title: Option<TitlePattern>,
    /// The front matter section's title (`Front Matter`), when fields are bullets.
    pub front_matter_title: Option<String>,
    /// Whether the template writes its fields as YAML front matter.
    pub yaml_front_matter: bool,
    pub fields: Vec<FieldSpec>,
    pub sections: Vec<SectionSpec>,
    /// The lifecycle, from the status field's choices: the first is lenient, later ones strict.
    pub statuses: Vec<String>,
    /// Inner texts of the template's `[placeholders]`.
    pub placeholders: HashSet<String>,
    /// The template's own text.
    pub source: String,
}

/// Section titles that hold the metadata bullets.
const FRONT_MATTER_KEYS: &[&str] = &["front matter", "metadata"];

/// The key a field label is matched by: `Last_Updated`, `last-updated` and `Last Updated` agree.
#[must_use]
pub fn field_key(label: &str) -> String {
    let label = label.replace("(s)", "").replace(['_', '-'], " ");
    section_key(&label)
}

impl Schema {
    /// Reads a template. The title is the first heading when it is an H1; a section titled
    /// `Front Matter` holds the field bullets; every other heading is a required section.
    pub fn from_template(text: &str) -> Result<Self, SchemaError> {
        let doc = Document::parse(text);
        if let Some(error) = doc.yaml.as_ref().and_then(|y| y.error.as_ref()) {
            return Err(SchemaError::FrontMatter(error.message.clone()));
        }
        let title_heading = doc.headings.first().filter(|h| h.level == 1).map(|_| 0);
        let front_matter = doc
            .headings
            .iter()
            .position(|h| FRONT_MATTER_KEYS.contains(&h.key.as_str()));
        let title = title_heading.map(|h| {
            let range = doc.headings[h].title.clone();
            let spans: Vec<_> = doc
                .placeholders
                .iter()
                .filter(|p| p.kind == PlaceholderKind::Bracket && range.contains(&p.span.start))
                .map(|p| p.span.start - range.start..p.span.end - range.start)
                .collect();
            TitlePattern::new(&text[range], &spans)
        });

        let fields = template_fields(&doc, front_matter);
        let yaml_front_matter = doc.yaml.is_some()
            && doc
                .fields(None)
                .first()
                .is_some_and(|f| f.source == FieldSource::Yaml);

        let mut sections: Vec<SectionSpec> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for (i, heading) in doc.headings.iter().enumerate() {
            if Some(i) == title_heading || Some(i) == front_matter {
                continue;
            }
            if heading.key.is_empty() {
                let line = text[..heading.span.start].matches('\n').count() + 1;
                return Err(SchemaError::EmptyHeading { line });
            }
            while stack
                .last()
                .is_some_and(|&s| sections[s].level >= heading.level)
            {
                stack.pop();
            }
            let parent = stack.last().copied();
            if let Some(p) = parent {
                sections[p].has_children = true;
            }
            let title = doc.heading_title(i).to_owned();
            let body_end = doc
                .headings
                .get(i + 1)
                .map_or(text.len(), |next| line_start(text, next.span.start));
            let body = text[heading.span.end.min(body_end)..body_end]
                .trim_matches(['\r', '\n'])
                .to_owned();
            sections.push(SectionSpec {
                name: strip_numbering(&title).to_owned(),
                key: heading.key.clone(),
                level: heading.level,
                parent,
                has_children: false,
                body,
                title,
            });
            stack.push(sections.len() - 1);
        }
        if sections.is_empty() && title.is_none() {
            return Err(SchemaError::NoSections);
        }
        let statuses = fields
            .iter()
            .find(|f| f.key == "status")
            .and_then(|f| match &f.kind {
                FieldKind::Enum(values) => Some(values.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let placeholders = doc
            .placeholders
            .iter()
            .filter(|p| p.kind == PlaceholderKind::Bracket)
            .map(|p| {
                text[p.span.start + 1..p.span.end - 1]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        Ok(Self {
            title,
            front_matter_title: front_matter.map(|h| doc.heading_title(h).to_owned()),
            yaml_front_matter,
            fields,
            sections,
            statuses,
            placeholders,
            source: text.to_owned(),
        })
    }

    /// The built-in tech-spec template.
    #[must_use]
    pub fn builtin() -> Self {
        Self::from_template(crate::BUILTIN_TEMPLATE)
            .expect("the built-in template is a valid template")
    }

    /// The field spec a document's label refers to (`Authors` matches `Author(s)`).
    #[must_use]
    pub fn field_for(&self, label: &str) -> Option<&FieldSpec> {
        let key = field_key(label);
        self.fields
            .iter()
            .find(|f| f.key == key || (f.list && key.strip_suffix('s') == Some(&f.key)))
    }

    /// The field that records when a spec last changed: one named "updated" or "modified",
    /// else the last of two or more date fields (`Last Updated` after `Created`).
    #[must_use]
    pub fn updated_field(&self) -> Option<&FieldSpec> {
        let dates = || self.fields.iter().filter(|f| f.kind == FieldKind::Date);
        dates()
            .find(|f| f.key.contains("updated") || f.key.contains("modified"))
            .or_else(|| dates().nth(1).and(dates().next_back()))
    }

    /// The field that records when a spec was created: the first date field that is not
    /// the updated one.
    #[must_use]
    pub fn created_field(&self) -> Option<&FieldSpec> {
        let updated = self.updated_field();
        self.fields
            .iter()
            .find(|f| f.kind == FieldKind::Date && Some(*f) != updated)
    }

    /// The first field whose key starts with `prefix` (`team`, `author`).
    #[must_use]
    pub fn field_starting(&self, prefix: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key.starts_with(prefix))
    }

    /// The status field, when the template has one.
    #[must_use]
    pub fn status_field(&self) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == "status")
    }
}

/// The fields of a template's front matter, typed by their placeholders.
fn template_fields(doc: &Document<'_>, front_matter: Option<usize>) -> Vec<FieldSpec> {
    let mut fields = doc
        .fields(front_matter)
        .into_iter()
        .map(|field| {
            let list = field.label.trim_end().ends_with("(s)");
            FieldSpec {
                key: field_key(&field.label),
                kind: field_kind(&field.value),
                list,
                placeholder: field.value,
                label: field.label,
            }
        })
        .collect::<Vec<_>>();
    // A status the template writes as a plain value (`status: Draft`) is the first and only
    // status it names; `[lifecycle] statuses` in specbook.toml can list the rest.
    if let Some(status) = fields
        .iter_mut()
        .find(|f| f.key == "status" && f.kind == FieldKind::Text)
    {
        let value = status.placeholder.trim();
        if !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        {
            status.kind = FieldKind::Enum(vec![value.to_owned()]);
        }
    }
    fields
}

fn field_kind(placeholder: &str) -> FieldKind {
    let inner = placeholder.trim();
    let inner = inner
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(inner);
    let lower = inner.to_lowercase();
    if lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "date")
        || lower.contains("yyyy-mm-dd")
    {
        return FieldKind::Date;
    }
    let parts: Vec<&str> = inner
        .split('/')
        .map(str::trim)
        .filter(|p| !p.chars().all(|c| c == '.'))
        .collect();
    if inner.contains('/')
        && parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && !p.contains(char::is_whitespace))
    {
        return FieldKind::Enum(parts.into_iter().map(str::to_owned).collect());
    }
    FieldKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_template_schema() {
        let schema = Schema::builtin();
        let title = schema.title.as_ref().unwrap();
        assert_eq!(
            title.describe(),
            "<System/Feature Name> Technical Specification"
        );
        assert_eq!(schema.front_matter_title.as_deref(), Some("Front Matter"));
        let fields: Vec<(&str, &FieldKind, bool)> = schema
            .fields
            .iter()
            .map(|f| (f.label.as_str(), &f.kind, f.list))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("Author(s)", &FieldKind::Text, true),
                ("Team", &FieldKind::Text, false),
                ("Created", &FieldKind::Date, false),
                ("Last Updated", &FieldKind::Date, false),
                (
                    "Status",
                    &FieldKind::Enum(vec!["Draft".into(), "Review".into(), "Approved".into()]),
                    false
                ),
            ]
        );
        assert_eq!(schema.statuses, vec!["Draft", "Review", "Approved"]);
        assert_eq!(
            title.extract("Webhook Delivery Technical Specification"),
            Some("Webhook Delivery")
        );
        assert_eq!(title.extract("Webhook Delivery"), None);
        let label = |f: Option<&FieldSpec>| f.map(|f| f.label.clone());
        assert_eq!(
            label(schema.updated_field()).as_deref(),
            Some("Last Updated")
        );
        assert_eq!(label(schema.created_field()).as_deref(), Some("Created"));
        assert_eq!(
            label(schema.field_starting("author")).as_deref(),
            Some("Author(s)")
        );
        assert_eq!(schema.sections.len(), 35);
        let metrics = schema
            .sections
            .iter()
            .find(|s| s.key == "success metrics")
            .unwrap();
        assert_eq!(
            (metrics.title.as_str(), metrics.name.as_str(), metrics.level),
            ("7. Success Metrics", "Success Metrics", 2)
        );
        assert!(metrics.has_children);
        let kpi = schema
            .sections
            .iter()
            .find(|s| s.key == "key performance indicators")
            .unwrap();
        assert_eq!(schema.sections[kpi.parent.unwrap()].key, "success metrics");
        assert_eq!(kpi.body, "- [Metric 1]: [Target]\n- [Metric 2]: [Target]");
        assert!(schema.placeholders.contains("Target"));
        assert!(
            schema
                .placeholders
                .contains("Infrastructure, development, operational costs")
        );
    }

    #[test]
    fn title_pattern_matching() {
        let schema = Schema::builtin();
        let title = schema.title.unwrap();
        assert!(title.matches("Webhook Delivery Technical Specification"));
        assert!(title.matches("webhook delivery technical specification "));
        assert!(!title.matches("Technical Specification"));
        assert!(!title.matches("Webhook Delivery"));
        assert!(!title.matches("Webhook Delivery Technical Spec"));
        assert_eq!(
            title.fill("Webhook Delivery"),
            "Webhook Delivery Technical Specification"
        );
    }

    #[test]
    fn field_kinds() {
        assert_eq!(field_kind("[Date]"), FieldKind::Date);
        assert_eq!(field_kind("YYYY-MM-DD"), FieldKind::Date);
        assert_eq!(
            field_kind("[Proposed/Accepted/...]"),
            FieldKind::Enum(vec!["Proposed".into(), "Accepted".into()])
        );
        assert_eq!(field_kind("[System/Feature Name]"), FieldKind::Text);
        assert_eq!(field_kind("[Author Name]"), FieldKind::Text);
    }

    #[test]
    fn labels_match_loosely() {
        let schema = Schema::builtin();
        assert_eq!(schema.field_for("Authors").unwrap().label, "Author(s)");
        assert_eq!(
            schema.field_for("last_updated").unwrap().label,
            "Last Updated"
        );
        assert!(schema.field_for("Reviewer").is_none());
    }

    #[test]
    fn plain_status_value_is_the_only_status() {
        let schema = Schema::from_template(
            "---\nstatus: Draft\ncreated: <date created on>\n---\n## Abstract\n",
        )
        .unwrap();
        assert_eq!(schema.statuses, vec!["Draft"]);
        assert_eq!(schema.fields[1].kind, FieldKind::Date);
    }

    #[test]
    fn heading_without_title_is_an_error() {
        assert_eq!(
            Schema::from_template("# T\n\n## 1.\n").unwrap_err(),
            SchemaError::EmptyHeading { line: 3 }
        );
    }

    #[test]
    fn empty_template_is_an_error() {
        assert_eq!(
            Schema::from_template("just text\n").unwrap_err(),
            SchemaError::NoSections
        );
    }
}
