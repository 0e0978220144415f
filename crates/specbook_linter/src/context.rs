//! A document matched to its template once, shared by every rule.

use std::collections::HashMap;
use std::ops::Range;

use specbook_diagnostics::Severity;
use specbook_markdown::{
    Document, Field, FieldPlace, FieldSpec, IdRef, Schema, StatusValue, relations, section_key,
};

use crate::Settings;

/// Where the document's lifecycle puts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// The first status (or an unknown one): unfinished work is a warning.
    Lenient,
    /// A later status: unfinished work is an error.
    Strict,
}

/// What git says about the document's file, for the history rules. Supplied by the workspace;
/// `None` outside a git repository or for a file git does not track.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitFacts {
    /// The date of the last commit that changed the file.
    pub last_changed: jiff::civil::Date,
    /// That commit's abbreviated hash and author, for messages.
    pub last_commit: String,
    pub last_author: String,
    /// Today, in the local time zone.
    pub today: jiff::civil::Date,
    /// `[lifecycle] stale_after_days`.
    pub stale_after_days: u32,
}

/// The document, its template and how they line up.
pub struct Context<'c, 'a> {
    pub doc: &'c Document<'a>,
    pub schema: &'c Schema,
    pub settings: &'c Settings,
    /// The document's title heading (its first H1).
    pub title: Option<usize>,
    /// The document's front matter heading.
    pub front_matter: Option<usize>,
    /// Where the document's field bullets are (the front matter section, the title, the top).
    pub field_place: FieldPlace,
    pub fields: Vec<Field>,
    /// For each of `fields`, the template field it is (`None`: not in the template).
    pub field_specs: Vec<Option<&'c FieldSpec>>,
    /// For each template section, the document heading that matches it.
    pub section_match: Vec<Option<usize>>,
    /// For each document heading, the template section it matches.
    pub heading_match: Vec<Option<usize>>,
    /// The status in the lifecycle's spelling, when the value names one of the allowed
    /// statuses (through emphasis, a qualifier and case: `**implemented (Swift 5.5)**`).
    pub status: Option<&'c str>,
    pub strictness: Strictness,
    /// The entries of the `Supersedes`, `Superseded By` and `Related` fields.
    pub relations: Vec<IdRef>,
    /// What git says about the file, when known.
    pub git: Option<&'c GitFacts>,
    /// The id the file's path gives the spec, when the workspace knows the path.
    pub path_id: Option<&'c PathId>,
}

/// The id a spec's path gives it, for `id-mismatch`: `1559` of `EIPS/eip-1559.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathId {
    pub number: u32,
    /// The path component the number is in, for messages: `eip-1559.md`, `ics-002-client/`.
    pub component: String,
    /// The word before the number in it (`eip`, `ics`): a field of that name states the
    /// number.
    pub word: Option<String>,
}

impl<'c, 'a> Context<'c, 'a> {
    /// Whether template section `s` is in the document with nothing in it: no text, and no
    /// subsection in the template or under its heading. The one definition `empty-section`
    /// and `show` share.
    #[must_use]
    pub fn is_empty_section(&self, s: usize) -> bool {
        let Some(h) = self.section_match[s] else {
            return false;
        };
        let headings = &self.doc.headings;
        let has_subheadings = headings
            .get(h + 1)
            .is_some_and(|next| next.level > headings[h].level);
        !self.schema.sections[s].has_children && !headings[h].has_content && !has_subheadings
    }

    #[must_use]
    pub fn new(doc: &'c Document<'a>, schema: &'c Schema, settings: &'c Settings) -> Self {
        Self::with_fields(doc, schema, settings, Vec::new())
    }

    /// The document matched to its template, with `extra` fields beside its own: a sidecar
    /// metadata file's (see `sidecar_fields`), whose spans lie past the end of the text.
    #[must_use]
    pub fn with_fields(
        doc: &'c Document<'a>,
        schema: &'c Schema,
        settings: &'c Settings,
        extra: Vec<Field>,
    ) -> Self {
        // Without a title in the template, an H1 is just a heading.
        let title = schema.title_in(doc);
        let front_matter_key = schema.front_matter_title.as_deref().map(section_key);
        let front_matter = front_matter_key
            .as_ref()
            .and_then(|key| doc.headings.iter().position(|h| &h.key == key));
        let mut field_place = schema.field_place_in(title, front_matter);
        let mut fields = doc.fields_at(field_place);
        // Bullets the template puts at the top may follow a spec's own title (`# RFC: x` then
        // `- Feature Name: ...`), and bullets under the title may come before it.
        let has_bullets = |fields: &[Field]| {
            fields
                .iter()
                .any(|f| f.source == specbook_markdown::FieldSource::Bullet)
        };
        let fallback = match field_place {
            FieldPlace::Top => doc.headings.first().map(|_| FieldPlace::Heading(0)),
            FieldPlace::Heading(h) if Some(h) == title => Some(FieldPlace::Top),
            _ => None,
        };
        if let Some(other) = fallback.filter(|_| !has_bullets(&fields)) {
            let alternative = doc.fields_at(other);
            let first_is_section = doc
                .headings
                .first()
                .is_some_and(|h| schema.sections.iter().any(|s| s.key == h.key));
            if has_bullets(&alternative) && !(other == FieldPlace::Heading(0) && first_is_section) {
                fields = alternative;
                field_place = other;
            }
        }
        fields.extend(extra);
        let field_specs: Vec<Option<&FieldSpec>> =
            fields.iter().map(|f| schema.field_for(&f.label)).collect();
        let (section_match, heading_match) =
            match_sections(doc, schema, settings, title, front_matter);
        let status_value = schema
            .status_field()
            .and_then(|spec| {
                fields
                    .iter()
                    .zip(&field_specs)
                    .find(|(_, s)| s.is_some_and(|s| std::ptr::eq(s, spec)))
            })
            .map(|(f, _)| f.value.as_str());
        let status = status_value.and_then(|value| canonical_status(schema, settings, value));
        let strictness = strictness(schema, settings, status);
        let relations = relations(doc.text, &fields);
        Self {
            doc,
            schema,
            settings,
            title,
            front_matter,
            field_place,
            fields,
            field_specs,
            section_match,
            heading_match,
            status,
            strictness,
            relations,
            git: None,
            path_id: None,
        }
    }

    /// Whether the document is only a pointer elsewhere ("This file was moved to ...", "This
    /// document was renamed..."): none of the template's sections, a few lines of text and a
    /// link. Such a stub is not checked for completeness.
    #[must_use]
    pub fn is_stub(&self) -> bool {
        if self.section_match.iter().any(Option::is_some) {
            return false;
        }
        let text = self.doc.text;
        let body = &text[self.doc.body_start.min(text.len())..];
        let words = body.split_whitespace().count();
        let has_link = !self.doc.links.is_empty() || body.contains("://");
        has_link && words <= 40 && self.doc.headings.len() <= 1
    }

    /// The same context with the id the file's path gives the spec.
    #[must_use]
    pub fn with_path_id(mut self, path_id: Option<&'c PathId>) -> Self {
        self.path_id = path_id;
        self
    }

    /// The field that states the spec's number, when there is one: a field named like the
    /// word before the number in the path (`eip: 1559` in `eip-1559.md`), an `id` or `number`
    /// field, or the field whose template value is a number placeholder (`ics: (number)`,
    /// `Proposal: [SE-NNNN](NNNN-filename.md)`).
    #[must_use]
    pub fn id_field(&self) -> Option<(&Field, Option<&'c FieldSpec>)> {
        let word = self.path_id.and_then(|p| p.word.as_deref());
        self.fields_with_specs().find(|(field, spec)| {
            let key = specbook_markdown::field_key(&field.label);
            key == "id"
                || key == "number"
                || word.is_some_and(|w| w.eq_ignore_ascii_case(&key))
                || spec.is_some_and(|s| is_number_placeholder(&s.placeholder))
        })
    }

    /// The same context with what git says about the file.
    #[must_use]
    pub fn with_git(mut self, git: Option<&'c GitFacts>) -> Self {
        self.git = git;
        self
    }

    /// The fields with the template field each one is.
    pub fn fields_with_specs(&self) -> impl Iterator<Item = (&Field, Option<&'c FieldSpec>)> {
        self.fields.iter().zip(self.field_specs.iter().copied())
    }

    /// The document's value for a template field (the first, if it is given twice).
    #[must_use]
    pub fn field_of(&self, spec: &FieldSpec) -> Option<&Field> {
        self.fields_with_specs()
            .find(|(_, s)| s.is_some_and(|s| std::ptr::eq(s, spec)))
            .map(|(f, _)| f)
    }

    /// The entries of the spec's status-history field that record a transition (the items
    /// nested under its bullet that read as one, see `RecordedTransition`): a record of what
    /// happened, not text to finish, so they hold no placeholders (a `--reason` may well say
    /// "TBD"). Other items there, such as a template's example, are text like any other.
    #[must_use]
    pub fn history_entries(&self) -> Vec<Range<usize>> {
        let Some(field) = self
            .schema
            .history_field()
            .and_then(|spec| self.field_of(spec))
            .filter(|f| f.source == specbook_markdown::FieldSource::Bullet)
        else {
            return Vec::new(); // YAML is not searched for placeholders.
        };
        let text = self.doc.text;
        let end = specbook_markdown::field_end(text, field.label_span.start, false);
        self.doc
            .list_items
            .iter()
            .filter(|item| item.span.start > field.label_span.end && item.span.end <= end)
            .filter(|item| {
                specbook_markdown::RecordedTransition::parse(&text[item.content.clone()])
                    .to
                    .is_some()
            })
            .map(|item| item.span.clone())
            .collect()
    }

    /// The severity of unfinished work (placeholders, empty sections) in this document's status.
    #[must_use]
    pub fn unfinished_severity(&self) -> Severity {
        match self.strictness {
            Strictness::Lenient => Severity::Warning,
            Strictness::Strict => Severity::Error,
        }
    }

    /// Whether the document is in the template's last status (Approved).
    #[must_use]
    pub fn is_final_status(&self) -> bool {
        self.status.is_some() && self.status == self.statuses().last().map(String::as_str)
    }

    /// The span of heading `index`.
    #[must_use]
    pub fn heading_span(&self, index: usize) -> Range<usize> {
        self.doc.headings[index].span.clone()
    }

    /// Where to point when a finding is about the front matter as a whole.
    #[must_use]
    pub fn front_matter_span(&self) -> Range<usize> {
        if let Some(yaml) = &self.doc.yaml {
            let start = yaml.block.start;
            return start..start + 3;
        }
        if let Some(h) = self.front_matter {
            return self.heading_span(h);
        }
        self.start_span()
    }

    /// The first line of the document, for findings about the whole file.
    #[must_use]
    pub fn start_span(&self) -> Range<usize> {
        let text = self.doc.text;
        // The first non-blank line of the Markdown, else the YAML block's first line.
        let mut start = self.doc.body_start.min(text.len());
        while let Some(next) = text[start..].find('\n').map(|i| start + i + 1) {
            if !text[start..next].trim().is_empty() {
                break;
            }
            start = next;
        }
        if text[start..].trim().is_empty() {
            start = self
                .doc
                .yaml
                .as_ref()
                .map_or(self.doc.body_start, |y| y.block.start)
                .min(text.len());
        }
        let end = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        start..end
    }

    /// The lifecycle in force: `[lifecycle] statuses`, else the template's.
    #[must_use]
    pub fn statuses(&self) -> &'c [String] {
        lifecycle(self.schema, self.settings)
    }
}

/// The allowed status a field value names, in the lifecycle's spelling.
#[must_use]
pub fn canonical_status<'s>(
    schema: &'s Schema,
    settings: &'s Settings,
    value: &str,
) -> Option<&'s str> {
    let split = StatusValue::split(value);
    let written = &value[split.status];
    lifecycle(schema, settings)
        .iter()
        .chain(&settings.terminal_statuses)
        .find(|s| same_status(s, written))
        .map(String::as_str)
}

/// Statuses are compared ignoring case and runs of spaces (`In  review` is `In Review`).
#[must_use]
pub fn same_status(a: &str, b: &str) -> bool {
    let mut a = a.split_whitespace();
    let mut b = b.split_whitespace();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y))
                if x.eq_ignore_ascii_case(y) || x.to_lowercase() == y.to_lowercase() => {}
            _ => return false,
        }
    }
}

fn lifecycle<'s>(schema: &'s Schema, settings: &'s Settings) -> &'s [String] {
    settings.statuses.as_deref().unwrap_or(&schema.statuses)
}

fn strictness(schema: &Schema, settings: &Settings, status: Option<&str>) -> Strictness {
    let Some(status) = status else {
        return if lifecycle(schema, settings).is_empty() {
            Strictness::Strict
        } else {
            Strictness::Lenient
        };
    };
    let strict = match &settings.strict_statuses {
        Some(strict) => strict.iter().any(|s| s == status),
        None => lifecycle(schema, settings)
            .iter()
            .skip(1)
            .any(|s| s == status),
    };
    if strict {
        Strictness::Strict
    } else {
        Strictness::Lenient
    }
}

/// Pairs template sections with document headings by key. When a key occurs more than once,
/// the heading inside the already-matched parent wins.
fn match_sections(
    doc: &Document<'_>,
    schema: &Schema,
    settings: &Settings,
    title: Option<usize>,
    front_matter: Option<usize>,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut section_match: Vec<Option<usize>> = vec![None; schema.sections.len()];
    let mut heading_match: Vec<Option<usize>> = vec![None; doc.headings.len()];
    // `[sections] aliases`: an old name is the template section it stands for.
    let keys: Vec<std::borrow::Cow<'_, str>> = doc
        .headings
        .iter()
        .map(|h| {
            settings
                .section_aliases
                .iter()
                .find(|(alias, _)| *alias == h.key)
                .map_or(std::borrow::Cow::Borrowed(h.key.as_str()), |(_, target)| {
                    std::borrow::Cow::Owned(target.clone())
                })
        })
        .collect();
    // The headings of each key, in order, and each parent's body once: a template of
    // thousands of sections costs their number, not its square.
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (h, key) in keys.iter().enumerate() {
        if Some(h) != title && Some(h) != front_matter {
            by_key.entry(key.as_ref()).or_default().push(h);
        }
    }
    let mut bodies: HashMap<usize, Range<usize>> = HashMap::new();
    for (s, section) in schema.sections.iter().enumerate() {
        let candidates = by_key
            .get(section.key.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|h| heading_match[*h].is_none());
        let parent_body = section.parent.and_then(|p| section_match[p]).map(|h| {
            bodies
                .entry(h)
                .or_insert_with(|| doc.section_body(h))
                .clone()
        });
        let mut first = None;
        let mut at_level = None;
        let mut chosen = None;
        for h in candidates {
            first.get_or_insert(h);
            if doc.headings[h].level == section.level {
                at_level.get_or_insert(h);
            }
            if parent_body
                .as_ref()
                .is_some_and(|body| body.contains(&doc.headings[h].span.start))
            {
                chosen = Some(h);
                break;
            }
        }
        // A top-level section written twice (a per-feature `### Alternatives` before the
        // spec's own `## Alternatives`): the one at the template's level is the section.
        let first = if section.parent.is_none() {
            at_level.or(first)
        } else {
            first
        };
        if let Some(h) = chosen.or(first) {
            section_match[s] = Some(h);
            heading_match[h] = Some(s);
        }
    }
    match_repeats(doc, schema, &keys, &mut heading_match, title, front_matter);
    (section_match, heading_match)
}

/// Headings that continue a numbered example (`Story 3` after the template's `Story 1` and
/// `Story 2`) match the group's last section, so their order is the template's.
fn match_repeats(
    doc: &Document<'_>,
    schema: &Schema,
    keys: &[std::borrow::Cow<'_, str>],
    heading_match: &mut [Option<usize>],
    title: Option<usize>,
    front_matter: Option<usize>,
) {
    if schema.sections.iter().all(|s| s.repeat_stem.is_none()) {
        return;
    }
    // The last template section of each stem.
    let mut last_of_stem: HashMap<&str, usize> = HashMap::new();
    for (s, section) in schema.sections.iter().enumerate() {
        if let Some(stem) = section.repeat_stem.as_deref() {
            last_of_stem.insert(stem, s);
        }
    }
    for h in 0..doc.headings.len() {
        if heading_match[h].is_some() || Some(h) == title || Some(h) == front_matter {
            continue;
        }
        let Some((stem, ordinal)) = keys[h].rsplit_once(' ') else {
            continue;
        };
        let is_ordinal = (ordinal.len() <= 3 && ordinal.bytes().all(|b| b.is_ascii_digit()))
            || (ordinal.len() == 1 && ordinal.bytes().all(|b| b.is_ascii_lowercase()));
        if !is_ordinal {
            continue;
        }
        if let Some(&s) = last_of_stem.get(stem) {
            heading_match[h] = Some(s);
        }
    }
}

/// A template value standing for the spec's own number: `(number)`, `[number]`, `NNNN`,
/// `[SE-NNNN](NNNN-filename.md)`.
fn is_number_placeholder(placeholder: &str) -> bool {
    let text = placeholder.trim();
    // A link's text: `[SE-NNNN](...)`.
    let text = match text.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => text,
    };
    let text = text.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '<' | '>' | ' '));
    if ["number", "id", "spec number"].contains(&text.to_lowercase().as_str()) {
        return true;
    }
    let digits = text.rsplit(['-', ' ']).next().unwrap_or(text);
    let series = &text[..text.len() - digits.len()];
    (3..=5).contains(&digits.len())
        && digits.bytes().all(|b| b == b'N')
        && series
            .trim_end_matches(['-', ' '])
            .bytes()
            .all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::is_number_placeholder;

    #[test]
    fn number_placeholders() {
        for yes in [
            "(number)",
            "[SE-NNNN](NNNN-filename.md)",
            "NNNN",
            "<Number>",
            "EIP-NNNN",
        ] {
            assert!(is_number_placeholder(yes), "{yes}");
        }
        for no in [
            "(optional list of ics numbers)",
            "[swiftlang/swift#NNNNN](https://github.com/swiftlang/swift/issues/NNNNN)",
            "*if applicable* [SE-XXXX](XXXX-filename.md)",
            "<EIP number(s)>",
            "[Date]",
        ] {
            assert!(!is_number_placeholder(no), "{no}");
        }
    }
}
