//! A template file read as a schema: title pattern, typed fields, required sections.

use std::collections::HashMap;

use crate::document::{Document, PlaceholderKind, line_start};
use crate::fields::{FieldPlace, FieldSource};
use crate::normalize::{section_key, strip_numbering};

/// Why a template cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("the template has no headings, so there are no sections to require")]
    NoSections,
    #[error("line {line}: a heading without a title cannot be a required section")]
    EmptyHeading { line: usize },
    #[error("line {line}, column {column}: the front matter cannot be read: {message}")]
    FrontMatter {
        message: String,
        line: usize,
        column: usize,
    },
}

impl SchemaError {
    /// A YAML error at its line and column (in characters) of `text`.
    fn front_matter(text: &str, error: &crate::YamlError) -> Self {
        let mut at = error.span.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        Self::FrontMatter {
            message: error.message.clone(),
            line: before.matches('\n').count() + before.matches('\r').count()
                - before.matches("\r\n").count()
                + 1,
            column: before[line_start..]
                .trim_start_matches('\u{feff}')
                .chars()
                .count()
                + 1,
        }
    }
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
    /// The pattern of a title heading whose `[placeholders]` are at `placeholders`. A title
    /// without any (`# Feature name`) is a placeholder as a whole.
    fn new(text: &str, placeholders: &[std::ops::Range<usize>]) -> Self {
        if placeholders.is_empty() {
            return Self {
                text: text.to_owned(),
                segments: vec![TitleSegment::Placeholder(text.to_owned())],
            };
        }
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
    /// A number (`[fields.NAME] type = "number"`).
    Number,
    /// A URL or a Markdown link (`[fields.NAME] type = "link"`).
    Link,
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
    /// Whether a spec may leave the field out or empty (`[fields.NAME] optional`, or a
    /// template marker such as `*if applicable*`).
    pub optional: bool,
    /// The template's bullet line (`* Status: ...`), for inserting the field in its style;
    /// empty for a YAML field or one the template lacks.
    pub line: String,
    /// Whether `[fields.NAME]` in specbook.toml typed it: its values are then checked
    /// (`invalid-value`), where choices the template merely suggests are not.
    pub configured: bool,
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
    /// What of `body` a fix inserts: its placeholders, no HTML comments or guidance (see
    /// [`crate::fix_text`]); computed once per template, not per finding.
    pub fix_body: String,
    /// Whether a spec may leave it out: marked `(Optional)`, `[optional]` or `(if
    /// applicable)`, its first paragraph saying so, or a later numbered example.
    pub optional: bool,
    /// For a numbered example (`Story 1`, `Phase 2`, `Alternative A`): the key without its
    /// number, which any number continues (`Story 3`).
    pub repeat_stem: Option<String>,
}

/// Where a template writes its field bullets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplatePlace {
    /// Only in YAML front matter (or nowhere).
    Yaml,
    /// In a `## Front Matter` (or `## Metadata`) section.
    Section,
    /// Directly under the title (`# Feature name` then `* Status: ...`).
    UnderTitle,
    /// Before the first heading.
    Top,
}

/// What a template requires of a spec.
#[derive(Clone, Debug)]
pub struct Schema {
    pub title: Option<TitlePattern>,
    /// The level of the template's title heading (a setext `----` title is level 2).
    pub title_level: u8,
    /// Where the field bullets are.
    pub field_place: TemplatePlace,
    /// The front matter section's title (`Front Matter`), when fields are bullets.
    pub front_matter_title: Option<String>,
    /// Whether the template writes its fields as YAML front matter.
    pub yaml_front_matter: bool,
    pub fields: Vec<FieldSpec>,
    pub sections: Vec<SectionSpec>,
    /// The lifecycle, from the lifecycle field's choices: the first is lenient, later ones
    /// strict.
    pub statuses: Vec<String>,
    /// Index in `fields` of the lifecycle field (`Status`, or `stage`, `state`...).
    pub lifecycle: Option<usize>,
    /// Index in `fields` of the field `specbook status` records transitions in: one the
    /// template declares (`Status History`, `History`, see [`crate::is_history_key`]), or the
    /// one the configuration adds (see [`Schema::set_history_field`]). Always optional.
    pub history: Option<usize>,
    /// Index in `fields` of the field that holds the title, for templates without a title
    /// heading (`title:`, or the configured `title_field`).
    pub title_field: Option<usize>,
    /// Inner texts of the template's `[placeholders]` (whitespace normalised), each with the
    /// template line it is first on.
    pub placeholders: HashMap<String, usize>,
    /// The rest of the template's text a spec must not keep: guidance, instructions, tokens.
    pub template_text: crate::TemplateText,
    /// The labels the template's link reference definitions define (normalised): a spec
    /// using `[label]` without the definition has a broken link.
    pub link_labels: std::collections::HashSet<String>,
    /// The template's own text.
    pub source: String,
}

/// Section titles that hold the metadata bullets.
const FRONT_MATTER_KEYS: &[&str] = &["front matter", "metadata"];

/// The key a field label is matched by: `Last_Updated`, `last-updated` and `Last Updated` agree.
#[must_use]
pub fn field_key(label: &str) -> String {
    // `RFC PR #:` is the field `RFC PR`.
    let label = label
        .trim_end()
        .trim_end_matches(['#', ':'])
        .replace("(s)", "")
        .replace(['_', '-'], " ");
    section_key(&label)
}

impl Schema {
    /// Reads a template. The title is the first heading when it is an H1; a section titled
    /// `Front Matter` holds the field bullets; every other heading is a required section.
    pub fn from_template(text: &str) -> Result<Self, SchemaError> {
        // Offsets in the view are offsets in `text` (see `lf_view`).
        let view = crate::lf_view(text);
        let text = view.as_ref();
        let doc = Document::parse(text);
        if let Some(error) = doc.yaml.as_ref().and_then(|y| y.error.as_ref()) {
            return Err(SchemaError::front_matter(text, error));
        }
        let front_matter = doc
            .headings
            .iter()
            .position(|h| FRONT_MATTER_KEYS.contains(&h.key.as_str()));
        let bullets_under = |place: FieldPlace| {
            doc.fields_at(place)
                .iter()
                .any(|f| f.source == FieldSource::Bullet)
        };
        let title_heading = title_heading(&doc, front_matter, bullets_under);
        let field_place = if front_matter.is_some() {
            TemplatePlace::Section
        } else if title_heading.is_some() && bullets_under(FieldPlace::Heading(0)) {
            TemplatePlace::UnderTitle
        } else if bullets_under(FieldPlace::Top) {
            TemplatePlace::Top
        } else {
            TemplatePlace::Yaml
        };
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

        let mut fields = template_fields(
            &doc,
            match field_place {
                TemplatePlace::Section => {
                    front_matter.map_or(FieldPlace::Yaml, FieldPlace::Heading)
                }
                TemplatePlace::UnderTitle => FieldPlace::Heading(0),
                TemplatePlace::Top => FieldPlace::Top,
                TemplatePlace::Yaml => FieldPlace::Yaml,
            },
        );
        let yaml_front_matter = doc.yaml.is_some()
            && doc
                .fields(None)
                .first()
                .is_some_and(|f| f.source == FieldSource::Yaml);

        let sections = template_sections(&doc, &[title_heading, front_matter])?;
        if sections.is_empty() && title.is_none() {
            return Err(SchemaError::NoSections);
        }
        let lifecycle = lifecycle_field(&fields);
        let statuses = lifecycle
            .and_then(|i| match &fields[i].kind {
                FieldKind::Enum(values) => Some(values.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let placeholders = placeholder_lines(&doc);
        let title_field = fields.iter().position(|f| f.key == "title");
        let history = history_field(&mut fields, lifecycle);
        Ok(Self {
            title,
            title_level: title_heading.map_or(1, |h| doc.headings[h].level),
            field_place,
            front_matter_title: front_matter.map(|h| doc.heading_title(h).to_owned()),
            yaml_front_matter,
            fields,
            sections,
            statuses,
            lifecycle,
            history,
            title_field,
            template_text: crate::TemplateText::of(&doc, doc.body_start),
            link_labels: doc
                .link_definitions
                .iter()
                .map(|l| crate::inline::normalize_label(&text[l.start + 1..l.end - 1]))
                .collect(),
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

    /// Whether `[label]` is a reference the template defines (normalised as CommonMark does).
    #[must_use]
    pub fn defines_link(&self, label: &str) -> bool {
        !self.link_labels.is_empty()
            && self
                .link_labels
                .contains(&crate::inline::normalize_label(label))
    }

    /// The field spec a document's label refers to: `Authors` and `Author` match `Author(s)`
    /// and each other (a plural `s` does not make another field).
    #[must_use]
    pub fn field_for(&self, label: &str) -> Option<&FieldSpec> {
        let key = field_key(label);
        let singular = |k: &str| {
            k.strip_suffix('s')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        self.fields.iter().find(|f| f.key == key).or_else(|| {
            self.fields.iter().find(|f| {
                singular(&key).as_deref() == Some(f.key.as_str())
                    || singular(&f.key).as_deref() == Some(key.as_str())
            })
        })
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

    /// The heading of `doc` that is its title: its first heading, when it is not one of the
    /// template's sections (a spec without a title does not get `## Abstract` as one) and
    /// it is at the template title's level or above; with a template that has no title, when
    /// it is an H1 above every other heading.
    #[must_use]
    pub fn title_in(&self, doc: &Document<'_>) -> Option<usize> {
        let first = doc.headings.first()?;
        let is_section = self.sections.iter().any(|s| s.key == first.key)
            || FRONT_MATTER_KEYS.contains(&first.key.as_str());
        if is_section {
            return None;
        }
        if self.title.is_some() {
            return (first.level <= self.title_level).then_some(0);
        }
        // A template without a title: a spec's own H1 above all its sections is its title.
        (first.level == 1 && doc.headings[1..].iter().all(|h| h.level > 1)).then_some(0)
    }

    /// The fields of `doc` where this template puts them.
    #[must_use]
    pub fn fields_in(&self, doc: &Document<'_>) -> Vec<crate::Field> {
        let front_matter = self.front_matter_title.as_deref().and_then(|title| {
            let key = section_key(title);
            doc.headings.iter().position(|h| h.key == key)
        });
        doc.fields_at(self.field_place_in(self.title_in(doc), front_matter))
    }

    /// Where `doc` has its field bullets, given its title and front matter headings.
    #[must_use]
    pub fn field_place_in(&self, title: Option<usize>, front_matter: Option<usize>) -> FieldPlace {
        match self.field_place {
            TemplatePlace::Section => front_matter.map_or(FieldPlace::Yaml, FieldPlace::Heading),
            TemplatePlace::UnderTitle => title.map_or(FieldPlace::Top, FieldPlace::Heading),
            TemplatePlace::Top => FieldPlace::Top,
            TemplatePlace::Yaml => FieldPlace::Yaml,
        }
    }

    /// The lifecycle field, when the template has one (or the configuration names one).
    #[must_use]
    pub fn status_field(&self) -> Option<&FieldSpec> {
        self.lifecycle.map(|i| &self.fields[i])
    }

    /// Adds the fields of the template's sidecar metadata file (`kep.yaml` beside the template),
    /// typed by their values as the template's own fields are; the lifecycle and title fields
    /// may be among them.
    pub fn add_sidecar(&mut self, text: &str) -> Result<(), SchemaError> {
        let (fields, error) = crate::fields::sidecar_fields(text, 0);
        if let Some(error) = error {
            return Err(SchemaError::front_matter(text, &error));
        }
        for field in fields {
            if self.fields.iter().any(|f| f.key == field_key(&field.label)) {
                continue;
            }
            self.fields.push(FieldSpec {
                key: field_key(&field.label),
                kind: field_kind(&field.value),
                list: field.label.trim_end().ends_with("(s)"),
                optional: is_optional_marker(&field.value),
                placeholder: field.value,
                label: field.label,
                line: String::new(),
                configured: false,
            });
        }
        if self.lifecycle.is_none() {
            self.lifecycle = lifecycle_field(&self.fields);
            self.statuses = self
                .lifecycle
                .and_then(|i| match &self.fields[i].kind {
                    FieldKind::Enum(values) => Some(values.clone()),
                    _ => None,
                })
                .unwrap_or_default();
        }
        if self.title_field.is_none() {
            self.title_field = self.fields.iter().position(|f| f.key == "title");
        }
        if self.history.is_none() {
            self.history = history_field(&mut self.fields, self.lifecycle);
        }
        Ok(())
    }

    /// The field transitions are recorded in, when there is one.
    #[must_use]
    pub fn history_field(&self) -> Option<&FieldSpec> {
        self.history.map(|i| &self.fields[i])
    }

    /// Makes the field labelled `label` the one transitions are recorded in (`[lifecycle]
    /// history_field`, or the default), adding it (optional, untyped) when the template lacks
    /// it. A spec that never changed status has no history, so the field is always optional.
    pub fn set_history_field(&mut self, label: &str) {
        self.field_mut(label).optional = true;
        let key = field_key(label);
        self.history = self.fields.iter().position(|f| f.key == key);
    }

    /// Makes the field labelled `label` hold the title (`title_field`), when the template has
    /// it; returns whether it does.
    pub fn set_title_field(&mut self, label: &str) -> bool {
        let key = field_key(label);
        self.title_field = self.fields.iter().position(|f| f.key == key);
        self.title_field.is_some()
    }

    /// The field labelled `label`, added (optional, untyped) when the template lacks it: for
    /// `[fields.NAME]` settings.
    pub fn field_mut(&mut self, label: &str) -> &mut FieldSpec {
        let key = field_key(label);
        let index = self
            .fields
            .iter()
            .position(|f| f.key == key)
            .unwrap_or_else(|| {
                self.fields.push(FieldSpec {
                    label: label.to_owned(),
                    key,
                    kind: FieldKind::Text,
                    list: false,
                    placeholder: String::new(),
                    optional: true,
                    line: String::new(),
                    configured: false,
                });
                self.fields.len() - 1
            });
        &mut self.fields[index]
    }

    /// The field that holds the title, when there is one.
    #[must_use]
    pub fn title_field(&self) -> Option<&FieldSpec> {
        self.title_field.map(|i| &self.fields[i])
    }

    /// Makes the field labelled `label` the lifecycle field (`[lifecycle] field`), adding it
    /// when the template does not have it; its choices, if any, become the statuses.
    pub fn set_lifecycle_field(&mut self, label: &str) {
        let key = field_key(label);
        let index = self
            .fields
            .iter()
            .position(|f| f.key == key)
            .unwrap_or_else(|| {
                self.fields.push(FieldSpec {
                    label: label.to_owned(),
                    key,
                    kind: FieldKind::Text,
                    list: false,
                    placeholder: String::new(),
                    optional: false,
                    line: String::new(),
                    configured: false,
                });
                self.fields.len() - 1
            });
        self.lifecycle = Some(index);
        self.statuses = match &self.fields[index].kind {
            FieldKind::Enum(values) => values.clone(),
            _ => Vec::new(),
        };
        // `Stage History` is the history of the `stage` lifecycle.
        if self.history.is_none() || self.history == self.lifecycle {
            self.history = history_field(&mut self.fields, self.lifecycle);
        }
    }
}

/// Field keys that name a lifecycle when the template lists their choices.
const LIFECYCLE_KEYS: &[&str] = &["status", "state", "stage", "phase", "lifecycle"];

/// The lifecycle field: the one called `Status`, else a `state`, `stage`, `phase` or
/// `lifecycle` field whose template value lists choices.
fn lifecycle_field(fields: &[FieldSpec]) -> Option<usize> {
    fields.iter().position(|f| f.key == "status").or_else(|| {
        fields.iter().position(|f| {
            LIFECYCLE_KEYS.contains(&f.key.as_str()) && matches!(f.kind, FieldKind::Enum(_))
        })
    })
}

/// The inner texts of the template's `[placeholders]` (whitespace normalised), each with the
/// line it is first on.
fn placeholder_lines(doc: &Document<'_>) -> HashMap<String, usize> {
    let text = doc.text;
    let mut placeholders = HashMap::new();
    // Lines counted as the placeholders go by (they are in order), not from the top for
    // each one.
    let (mut line, mut counted) = (1, 0);
    for p in doc
        .placeholders
        .iter()
        .filter(|p| p.kind == PlaceholderKind::Bracket)
    {
        let inner = text[p.span.start + 1..p.span.end - 1]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let at = p.span.start.max(counted);
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..at]).count();
        counted = at;
        placeholders.entry(inner).or_insert(line);
    }
    placeholders
}

/// The field of `fields` that records the lifecycle field's transitions (see
/// [`crate::is_history_key`]), made optional.
fn history_field(fields: &mut [FieldSpec], lifecycle: Option<usize>) -> Option<usize> {
    let lifecycle_key = lifecycle.map_or("status", |i| fields[i].key.as_str());
    let index = fields
        .iter()
        .enumerate()
        .position(|(i, f)| Some(i) != lifecycle && crate::is_history_key(&f.key, lifecycle_key))?;
    fields[index].optional = true;
    Some(index)
}

/// Every heading of the template but `skip` (the title and front matter) as a required
/// section, with its parent and its own text.
fn template_sections(
    doc: &Document<'_>,
    skip: &[Option<usize>],
) -> Result<Vec<SectionSpec>, SchemaError> {
    let text = doc.text;
    let mut sections: Vec<SectionSpec> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, heading) in doc.headings.iter().enumerate() {
        if skip.contains(&Some(i)) {
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
        let (name, marked) = crate::normalize::strip_optional_marker(strip_numbering(&title));
        let optional = marked
            || says_optional(&body)
            || parent.is_some_and(|p| says_subsections_optional(&sections[p].body));
        sections.push(SectionSpec {
            name: name.to_owned(),
            key: heading.key.clone(),
            level: heading.level,
            parent,
            has_children: false,
            optional,
            repeat_stem: None,
            fix_body: crate::guidance::fix_text(&body),
            body,
            title,
        });
        stack.push(sections.len() - 1);
    }
    mark_repeats(&mut sections);
    Ok(sections)
}

/// Whether a section's template text opens by saying it is optional: `This section is
/// optional.`, `This section may be omitted if there are none.`
fn says_optional(body: &str) -> bool {
    // `<!--`, a blank line, then `This section is optional.`: the comment's first paragraph.
    let first = body
        .split("\n\n")
        .map(|p| p.trim().trim_start_matches("<!--").trim())
        .find(|p| !p.is_empty())
        .unwrap_or_default()
        .to_lowercase();
    // Not `if applicable` alone: `[If applicable, describe ...]` asks for content.
    [
        "is optional",
        "may be omitted",
        "can be omitted",
        "may be left out",
        "(optional",
    ]
    .iter()
    .any(|phrase| first.contains(phrase))
        && !says_subsections_optional(&first)
}

/// `not all subsections are required`: the section's subsections are optional.
fn says_subsections_optional(body: &str) -> bool {
    let lower = body.to_lowercase();
    lower.contains("not all subsections are required") || lower.contains("subsections are optional")
}

/// The number ending a numbered example's key: `story 1` -> (`story`, 1), `alternative a`.
fn repeat_parts(key: &str) -> Option<(&str, &str)> {
    let (stem, ordinal) = key.rsplit_once(' ')?;
    let is_ordinal = (ordinal.len() <= 2 && ordinal.bytes().all(|b| b.is_ascii_digit()))
        || (ordinal.len() == 1 && ordinal.bytes().all(|b| b.is_ascii_lowercase()));
    (is_ordinal && !stem.trim().is_empty()).then_some((stem, ordinal))
}

/// Marks numbered examples (`Story 1`, `Story 2`): their stem continues with any number, and
/// every one after the first of its siblings is optional.
fn mark_repeats(sections: &mut [SectionSpec]) {
    // The sections of each stem under each parent, in order.
    let mut siblings: HashMap<(Option<usize>, String), Vec<usize>> = HashMap::new();
    for (i, section) in sections.iter().enumerate() {
        if let Some((stem, _)) = repeat_parts(&section.key) {
            siblings
                .entry((section.parent, stem.to_owned()))
                .or_default()
                .push(i);
        }
    }
    for i in 0..sections.len() {
        let Some((stem, ordinal)) = repeat_parts(&sections[i].key) else {
            continue;
        };
        let stem = stem.to_owned();
        let siblings = &siblings[&(sections[i].parent, stem.clone())];
        // A single letter is an example only beside siblings (`Alternative A`, `Alternative B`);
        // one number is one already (`Phase 1`).
        let numeric = ordinal.bytes().all(|b| b.is_ascii_digit());
        if !numeric && siblings.len() < 2 {
            continue;
        }
        let first = siblings.first().copied() == Some(i);
        sections[i].repeat_stem = Some(stem);
        if !first {
            sections[i].optional = true;
        }
    }
}

/// The template's title heading: its first heading, when every other heading is below it (an
/// H1 above `##` sections; not `# Summary` among other H1 sections, nor a lone `## Abstract`)
/// or when the field bullets are right under it (`Title` then `* Author(s): ...`).
fn title_heading(
    doc: &Document<'_>,
    front_matter: Option<usize>,
    bullets_under: impl Fn(FieldPlace) -> bool,
) -> Option<usize> {
    let first = doc.headings.first()?;
    if front_matter == Some(0) {
        return None;
    }
    let top = doc.headings.iter().map(|h| h.level).min()?;
    // Above every other heading: the sections are all deeper than it.
    let alone = first.level == top
        && doc.headings.len() > 1
        && doc.headings[1..].iter().all(|h| h.level > top);
    (alone || (front_matter.is_none() && bullets_under(FieldPlace::Heading(0)))).then_some(0)
}

/// The fields of a template's front matter, typed by their placeholders.
fn template_fields(doc: &Document<'_>, place: FieldPlace) -> Vec<FieldSpec> {
    let mut fields = doc
        .fields_at(place)
        .into_iter()
        .map(|field| {
            let list = field.label.trim_end().ends_with("(s)");
            let line = if field.source == FieldSource::Bullet {
                let start = line_start(doc.text, field.label_span.start);
                let end = doc.text[field.value_span.end..]
                    .find(['\n', '\r'])
                    .map_or(doc.text.len(), |i| field.value_span.end + i);
                doc.text[start..end].to_owned()
            } else {
                String::new()
            };
            // A YAML comment after the value may make the field conditional: `category: <...>
            // # Only required for Standards Track. Otherwise, remove this field.`
            let comment = (field.source == FieldSource::Yaml)
                .then(|| yaml_comment(&doc.text[field.value_span.clone()]))
                .flatten();
            FieldSpec {
                line,
                configured: false,
                key: field_key(&field.label),
                kind: field_kind(&field.value),
                list,
                optional: is_optional_marker(&field.value)
                    || comment.is_some_and(is_optional_marker),
                placeholder: field.value,
                label: field.label,
            }
        })
        .collect::<Vec<_>>();
    // A status the template writes as a plain value (`status: Draft`) is the first and only
    // status it names; `[lifecycle] statuses` in specbook.toml can list the rest.
    if let Some(status) = fields
        .iter_mut()
        .find(|f| LIFECYCLE_KEYS.contains(&f.key.as_str()) && f.kind == FieldKind::Text)
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

/// Template markers that make a field optional by themselves: `*if applicable*`,
/// `(optional)`, `Optional:`, `# Only required for Standards Track`.
fn is_optional_marker(placeholder: &str) -> bool {
    let lower = placeholder.to_lowercase();
    [
        "if applicable",
        "optional",
        "if any",
        "if needed",
        "only required",
        "not required",
        "remove this field",
    ]
    .iter()
    .any(|marker| lower.contains(marker))
}

/// The comment of a YAML value's line: the text after the first ` #` outside quotes.
fn yaml_comment(line: &str) -> Option<&str> {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            None if (c == '"' || c == '\'') && prev.is_whitespace() => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(&line[i + 1..]),
            _ => {}
        }
        prev = c;
    }
    None
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
    choices(inner).map_or(FieldKind::Text, FieldKind::Enum)
}

/// The choices a placeholder lists in words: `draft | review`, `Draft, Review or Final`,
/// `<Standards Track, Meta, or Informational>`, `**A** or **B**`. Each choice is a short name
/// (at most three words of letters, digits, `-` and `_`), so instructions are never read as
/// choices.
fn choices(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    let set = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'));
    let text = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .or_else(|| text.strip_prefix('(').and_then(|t| t.strip_suffix(')')))
        .or(set)
        .unwrap_or(text);
    // A plain comma list (`Ada, Grace`) is an example value, not choices.
    let parts: Vec<&str> = if text.contains('|') {
        text.split('|').collect()
    } else if text.contains(" or ") || (set.is_some() && text.contains(',')) {
        text.split(',')
            .flat_map(|p| p.split(" or "))
            .map(|p| p.trim().strip_prefix("or ").unwrap_or(p.trim()))
            .collect()
    } else {
        return None;
    };
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().trim_matches(['*', '_', '`']).trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let is_name = |p: &String| {
        p.split_whitespace().count() <= 3
            && p.starts_with(|c: char| c.is_alphabetic())
            && p.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
    };
    (parts.len() >= 2 && parts.iter().all(is_name)).then_some(parts)
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
        assert!(schema.placeholders.contains_key("Target"));
        assert!(
            schema
                .placeholders
                .contains_key("Infrastructure, development, operational costs")
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
        let values = |list: &[&str]| FieldKind::Enum(list.iter().map(|&v| v.to_owned()).collect());
        assert_eq!(
            field_kind("draft | review | final"),
            values(&["draft", "review", "final"])
        );
        assert_eq!(
            field_kind("Draft, Review or Final"),
            values(&["Draft", "Review", "Final"])
        );
        assert_eq!(
            field_kind("<Standards Track, Meta, or Informational>"),
            values(&["Standards Track", "Meta", "Informational"])
        );
        assert_eq!(
            field_kind("**Awaiting implementation** or **Awaiting review**"),
            values(&["Awaiting implementation", "Awaiting review"])
        );
        // Instructions are not choices.
        for text in [
            "<a comma separated list of the author's or authors' name + GitHub username (in parenthesis), or name and email>",
            "(fill me in with a unique ident, my_awesome_feature)",
            "(names, to be nominated and accepted by RFC steering committee)",
            "Radia Perlman, Barbara Liskov",
        ] {
            assert_eq!(field_kind(text), FieldKind::Text, "{text}");
        }
        assert_eq!(
            field_kind("{Draft, In Review, Implemented}"),
            values(&["Draft", "In Review", "Implemented"])
        );
        for text in ["", "TBD"] {
            assert_eq!(field_kind(text), FieldKind::Text, "{text}");
        }
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
        assert_eq!(field_key("RFC PR #"), "rfc pr");
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
    fn a_yaml_comment_can_make_a_field_optional() {
        let schema = Schema::from_template(
            "---\ntype: <Meta or Core>\ncategory: <Core, ERC> # Only required for Standards \
             Track. Otherwise, remove this field.\ntitle: \"a # b\" # The title\n---\n## A\n",
        )
        .unwrap();
        let optional: Vec<_> = schema
            .fields
            .iter()
            .map(|f| (&*f.key, f.optional))
            .collect();
        assert_eq!(
            optional,
            [("type", false), ("category", true), ("title", false)]
        );
        assert_eq!(yaml_comment("\"a # b\" # c"), Some(" c"));
        assert_eq!(yaml_comment("a#b"), None);
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

    #[test]
    fn a_status_history_field_of_the_template_is_found_and_optional() {
        let template = "# [Name]\n\n## Front Matter\n- **Status:** [Draft/Review]\n- **History:** [entries]\n\n## Summary\n";
        let schema = Schema::from_template(template).unwrap();
        let history = schema.history_field().unwrap();
        assert_eq!(
            (history.label.as_str(), history.optional),
            ("History", true)
        );
        let mut schema = Schema::builtin();
        assert!(schema.history_field().is_none());
        schema.set_history_field(crate::DEFAULT_HISTORY_FIELD);
        let history = schema.history_field().unwrap();
        assert_eq!(
            (history.key.as_str(), history.optional),
            ("status history", true)
        );
        assert_eq!(schema.field_for("status_history"), Some(history));
        let template = "---\nstage: draft | final\nstage history: <entries>\n---\n## Synopsis\n";
        let mut schema = Schema::from_template(template).unwrap();
        schema.set_lifecycle_field("stage");
        assert_eq!(schema.history_field().unwrap().label, "stage history");
    }
}
