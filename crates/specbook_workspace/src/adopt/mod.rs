//! `specbook init --adopt`: a `specbook.toml` for an existing corpus, inferred from its
//! documents and its template: layout and ids, lifecycle, dates, optional parts, sidecar
//! metadata, further templates.

mod layout;
mod lifecycle;
mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use specbook_linter::{Context, Settings};
use specbook_markdown::{Document, Field, Schema, SpecId, field_key, sidecar_fields};

use crate::catalog::is_folder_spec;
use crate::discover::{Source, discover, discover_sources};
use crate::{CONFIG_FILE, WorkspaceError};

pub(crate) use lifecycle::{LifecycleFound, Used};

/// A template section most specs omit is proposed as optional: omitted by at least this share.
const OPTIONAL_SHARE: f64 = 0.5;
/// A field the template lacks is allowed when at least this share of specs has it.
const COMMON_FIELD_SHARE: f64 = 0.1;
/// A field whose values are dates in at least this share of the specs that have it is a date.
const DATE_SHARE: f64 = 0.9;
/// A sidecar file name beside at least this share of folder-per-spec specs is the metadata.
const SIDECAR_SHARE: f64 = 0.9;

/// What `init --adopt` found, and the configuration it proposes.
#[derive(Clone, Debug)]
pub struct Adoption {
    /// The text of `specbook.toml`, commented.
    pub config: String,
    /// The spec documents the configuration selects.
    pub specs: Vec<PathBuf>,
    /// The `specs` patterns.
    pub patterns: Vec<String>,
    /// The template, relative to the corpus folder (`None`: the built-in one).
    pub template: Option<PathBuf>,
    /// Whether the template was found rather than given.
    pub template_found: bool,
    pub lifecycle: Option<LifecycleSummary>,
    /// One line per other thing inferred, for the report.
    pub notes: Vec<String>,
}

/// The lifecycle found, for the report.
#[derive(Clone, Debug)]
pub struct LifecycleSummary {
    pub field: String,
    pub statuses: Vec<(String, usize)>,
    pub terminal: Vec<(String, usize)>,
    /// Values too rare to be statuses (likely typos), with their counts.
    pub rare: Vec<(String, usize)>,
}

impl LifecycleSummary {
    fn of(found: &LifecycleFound, template_field: Option<&str>) -> Self {
        let pairs = |list: &[Used]| list.iter().map(|u| (u.name.clone(), u.count)).collect();
        Self {
            field: found
                .field
                .clone()
                .or_else(|| template_field.map(str::to_owned))
                .unwrap_or_default(),
            statuses: pairs(&found.statuses),
            terminal: pairs(&found.terminal),
            rare: pairs(&found.rare),
        }
    }
}

/// A spec read for inference.
struct Sample {
    /// Relative to the corpus folder.
    relative: PathBuf,
    doc_fields: Vec<(String, String)>,
    /// The template sections it lacks (indices into the schema's sections).
    missing_sections: Vec<usize>,
    /// The value of its field stating the number, if any (`[SE-0300](...)`).
    id_field: Option<String>,
    /// That field's label (`eip`): never an unknown field.
    id_label: Option<String>,
}

/// Works out a configuration for the corpus in `dir`, checked against `template` (a path as
/// given, or `None`: a file named like a template in the corpus, else the built-in one).
pub fn adopt(dir: &Path, template: Option<&Path>) -> Result<Adoption, WorkspaceError> {
    if !dir.is_dir() {
        return Err(WorkspaceError::NotFound {
            path: dir.to_path_buf(),
        });
    }
    let (template, template_found) = match template {
        Some(path) => {
            if !path.is_file() {
                return Err(WorkspaceError::NotFound {
                    path: path.to_path_buf(),
                });
            }
            (Some(path.to_path_buf()), false)
        }
        None => (find_template(dir)?, true),
    };
    let skip: Vec<PathBuf> = template.iter().cloned().collect();
    let everything = discover(&[dir.to_path_buf()], &skip)?;
    let relative = |p: &Path| {
        p.strip_prefix(dir)
            .map_or_else(|_| p.to_path_buf(), Path::to_path_buf)
    };
    let all: Vec<PathBuf> = everything
        .files
        .iter()
        .chain(everything.skipped.iter().map(|s| &s.path))
        .map(|p| relative(p))
        .collect();
    let layout = layout::infer(&all);
    if layout.patterns.is_empty() {
        return Err(WorkspaceError::Other(format!(
            "{}: no numbered Markdown documents to adopt (specs are found by the number in their file or folder name: 0007-x.md, eip-1559.md, ics-002-x/README.md)",
            dir.display()
        )));
    }
    let sources = layout
        .patterns
        .iter()
        .map(|p| Source::new(dir, p).map_err(WorkspaceError::Other))
        .collect::<Result<Vec<_>, _>>()?;
    let specs = discover_sources(&sources, &skip, &dir.join(CONFIG_FILE))?.files;
    let metadata = layout
        .folder_per_spec
        .then(|| sidecar_name(&specs))
        .flatten();
    let mut schema = read_schema(template.as_deref(), metadata.as_deref())?;
    let samples = read_samples(dir, &specs, &schema, metadata.as_deref())?;
    let mut notes = Vec::new();
    if !layout.left_out.is_empty() {
        notes.push(format!(
            "left out {} numbered files outside the spec folders: {}",
            layout.left_out.len(),
            shown_list(&layout.left_out)
        ));
    }
    let fields: Vec<Vec<(String, String)>> = samples.iter().map(|s| s.doc_fields.clone()).collect();
    let template_field = schema.status_field().map(|f| f.label.clone());
    let found = lifecycle::infer(&fields, template_field.as_deref(), &schema.statuses);
    if let Some(field) = found.as_ref().and_then(|f| f.field.clone()) {
        schema.set_lifecycle_field(&field);
    }
    let inferred = Inferred {
        optional_sections: optional_sections(&schema, &samples),
        optional_fields: optional_fields(&schema, &samples),
        extra_fields: extra_fields(&schema, &samples),
        id_prefix: id_prefix(&schema),
        templates: further_templates(dir, template.as_deref(), &schema, &samples, &mut notes),
        metadata,
    };
    let template_relative = template.as_deref().map(relative);
    let config = render::config(&render::Input {
        template: template_relative.as_deref(),
        patterns: &layout.patterns,
        specs: specs.len(),
        lifecycle: found.as_ref(),
        lifecycle_label: template_field.as_deref(),
        inferred: &inferred,
        samples: samples.len(),
    });
    let lifecycle = found
        .as_ref()
        .map(|f| LifecycleSummary::of(f, template_field.as_deref()));
    notes.extend(inferred.notes());
    Ok(Adoption {
        config,
        specs,
        patterns: layout.patterns,
        template: template_relative,
        template_found,
        lifecycle,
        notes,
    })
}

/// What the configuration says beyond layout and lifecycle.
pub(crate) struct Inferred {
    /// Section names and the share of specs without them.
    pub optional_sections: Vec<(String, f64)>,
    pub optional_fields: Vec<(String, f64)>,
    /// Fields the template lacks that many specs have, and whether they hold dates.
    pub extra_fields: Vec<ExtraField>,
    pub id_prefix: Option<String>,
    pub templates: Vec<FurtherTemplate>,
    pub metadata: Option<String>,
}

impl Inferred {
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(name) = &self.metadata {
            notes.push(format!("metadata: {name} beside each spec"));
        }
        if let Some(prefix) = &self.id_prefix {
            notes.push(format!("ids shown as {prefix}NNNN"));
        }
        if !self.optional_sections.is_empty() {
            notes.push(format!(
                "{} template section{} most specs omit, proposed as optional",
                self.optional_sections.len(),
                if self.optional_sections.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        for template in &self.templates {
            notes.push(format!(
                "a second template, `{}` ({}), for {} specs in {}",
                template.name,
                template.file.display(),
                template.specs,
                template.pattern
            ));
        }
        notes
    }
}

/// A field the template lacks, used by many specs.
pub(crate) struct ExtraField {
    pub label: String,
    pub share: f64,
    pub date: bool,
}

/// A `[[templates]]` entry to propose.
pub(crate) struct FurtherTemplate {
    pub name: String,
    /// Relative to the corpus folder.
    pub file: PathBuf,
    pub pattern: String,
    pub id_prefix: Option<String>,
    pub specs: usize,
}

/// The shallowest Markdown file in the corpus named like a template (`0000-template.md`,
/// `eip-template.md`, `GRFC-TEMPLATE.md`), if any.
fn find_template(dir: &Path) -> Result<Option<PathBuf>, WorkspaceError> {
    let found = discover(&[dir.to_path_buf()], &[])?;
    let mut candidates: Vec<&PathBuf> = found
        .files
        .iter()
        .chain(found.skipped.iter().map(|s| &s.path))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.to_lowercase().contains("template"))
        })
        .collect();
    candidates.sort_by_key(|p| (p.components().count(), (*p).clone()));
    Ok(candidates.first().map(|p| (*p).clone()))
}

fn read_schema(template: Option<&Path>, metadata: Option<&str>) -> Result<Schema, WorkspaceError> {
    let Some(path) = template else {
        return Ok(Schema::builtin());
    };
    let text = crate::input::read_to_string(path).map_err(|error| WorkspaceError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let mut schema = Schema::from_template(&text).map_err(|e| WorkspaceError::Template {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if let Some(name) = metadata {
        let sidecar = path.parent().unwrap_or(Path::new("")).join(name);
        if let Ok(text) = crate::input::read_to_string(&sidecar) {
            schema
                .add_sidecar(&text)
                .map_err(|e| WorkspaceError::Template {
                    path: sidecar,
                    message: e.to_string(),
                })?;
        }
    }
    Ok(schema)
}

/// The YAML file name found beside nearly every folder-per-spec spec (`kep.yaml`).
fn sidecar_name(specs: &[PathBuf]) -> Option<String> {
    let readmes: Vec<&PathBuf> = specs.iter().filter(|p| is_folder_spec(p)).collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for spec in &readmes {
        let Some(folder) = spec.parent() else {
            continue;
        };
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let yaml = entry
                .path()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            if entry.path().is_file() && yaml {
                *counts.entry(name).or_default() += 1;
            }
        }
    }
    #[allow(clippy::cast_precision_loss, reason = "counts of a few thousand specs")]
    counts
        .into_iter()
        .filter(|(_, n)| *n as f64 >= readmes.len() as f64 * SIDECAR_SHARE && *n > 0)
        .max_by_key(|(_, n)| *n)
        .map(|(name, _)| name)
}

fn read_samples(
    dir: &Path,
    specs: &[PathBuf],
    schema: &Schema,
    metadata: Option<&str>,
) -> Result<Vec<Sample>, WorkspaceError> {
    let settings = Settings::default();
    let mut samples = Vec::with_capacity(specs.len());
    for path in specs {
        let bytes = crate::input::read(path).map_err(|error| WorkspaceError::Read {
            path: path.clone(),
            error,
        })?;
        // A file that is not UTF-8 is `check`'s to report; it tells nothing here.
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let doc = Document::parse(&text);
        let extra: Vec<Field> = metadata
            .and_then(|name| crate::input::read_to_string(&path.parent()?.join(name)).ok())
            .map(|sidecar| sidecar_fields(&sidecar, text.len() + 1).0)
            .unwrap_or_default();
        let path_id = crate::catalog::path_id(path);
        let cx =
            Context::with_fields(&doc, schema, &settings, extra).with_path_id(path_id.as_ref());
        let id_field = cx.id_field().map(|(f, _)| f.value.clone());
        let id_label = cx.id_field().map(|(f, _)| f.label.clone());
        samples.push(Sample {
            relative: path.strip_prefix(dir).unwrap_or(path).to_path_buf(),
            doc_fields: cx
                .fields
                .iter()
                .map(|f| (f.label.clone(), f.value.clone()))
                .collect(),
            missing_sections: cx
                .section_match
                .iter()
                .enumerate()
                .filter(|(_, m)| m.is_none())
                .map(|(i, _)| i)
                .collect(),
            id_field,
            id_label,
        });
    }
    Ok(samples)
}

#[allow(clippy::cast_precision_loss, reason = "shares of a few thousand specs")]
fn share(count: usize, of: usize) -> f64 {
    count as f64 / of.max(1) as f64
}

/// Template sections at least half the specs omit (and the template does not already mark
/// optional).
fn optional_sections(schema: &Schema, samples: &[Sample]) -> Vec<(String, f64)> {
    schema
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| !section.optional)
        .filter_map(|(i, section)| {
            let missing = samples
                .iter()
                .filter(|s| s.missing_sections.contains(&i))
                .count();
            let share = share(missing, samples.len());
            (share >= OPTIONAL_SHARE).then(|| (section.name.clone(), share))
        })
        .collect()
}

/// Template fields at least half the specs leave out (and that the template does not already
/// mark optional).
fn optional_fields(schema: &Schema, samples: &[Sample]) -> Vec<(String, f64)> {
    let lifecycle = schema.status_field().map(|f| f.key.clone());
    schema
        .fields
        .iter()
        .filter(|f| !f.optional && Some(&f.key) != lifecycle.as_ref())
        .filter_map(|field| {
            let missing = samples
                .iter()
                .filter(|s| {
                    !s.doc_fields.iter().any(|(l, v)| {
                        !v.is_empty() && schema.field_for(l).is_some_and(|f| f.key == field.key)
                    })
                })
                .count();
            let share = share(missing, samples.len());
            (share >= OPTIONAL_SHARE).then(|| (field.label.clone(), share))
        })
        .collect()
}

/// Fields the template lacks that at least a tenth of the specs have.
fn extra_fields(schema: &Schema, samples: &[Sample]) -> Vec<ExtraField> {
    let mut found: Vec<(String, String, usize, usize)> = Vec::new();
    for sample in samples {
        let mut seen: Vec<String> = Vec::new();
        for (label, value) in &sample.doc_fields {
            let key = field_key(label);
            if schema.field_for(label).is_some()
                || specbook_markdown::RelationKind::of(label).is_some()
                || sample.id_label.as_deref() == Some(label.as_str())
                || seen.contains(&key)
            {
                continue;
            }
            seen.push(key.clone());
            let date = crate::adopt::is_date(value);
            match found.iter_mut().find(|(k, _, _, _)| *k == key) {
                Some((_, _, n, dates)) => {
                    *n += 1;
                    *dates += usize::from(date);
                }
                None => found.push((key, label.clone(), 1, usize::from(date))),
            }
        }
    }
    found
        .into_iter()
        .filter(|(_, _, n, _)| share(*n, samples.len()) >= COMMON_FIELD_SHARE)
        .map(|(_, label, n, dates)| ExtraField {
            label,
            share: share(n, samples.len()),
            date: n >= 3 && share(dates, n) >= DATE_SHARE,
        })
        .collect()
}

/// Whether a value is a date (or date-time) as `invalid-date` reads one.
fn is_date(value: &str) -> bool {
    let value = value.trim();
    value
        .get(..10)
        .is_some_and(|day| day.parse::<jiff::civil::Date>().is_ok())
        && (value.len() == 10
            || value.parse::<jiff::Timestamp>().is_ok()
            || value.parse::<jiff::civil::DateTime>().is_ok())
}

/// The display prefix a template's number placeholder shows (`[SE-NNNN](...)` -> `SE-`).
fn id_prefix(schema: &Schema) -> Option<String> {
    schema.fields.iter().find_map(|f| prefix_of(&f.placeholder))
}

fn prefix_of(placeholder: &str) -> Option<String> {
    let text = placeholder.trim();
    let text = text
        .strip_prefix('[')
        .map_or(text, |rest| rest.split(']').next().unwrap_or(rest));
    let (letters, digits) = text.split_once('-')?;
    ((3..=5).contains(&digits.len())
        && digits.bytes().all(|b| b == b'N')
        && !letters.is_empty()
        && letters.bytes().all(|b| b.is_ascii_uppercase()))
    .then(|| format!("{letters}-"))
}

/// Other templates beside the main one, each kept when the specs that belong to it (their
/// number field says its prefix, `ST-0001`) are exactly the specs of one folder.
fn further_templates(
    dir: &Path,
    main: Option<&Path>,
    schema: &Schema,
    samples: &[Sample],
    notes: &mut Vec<String>,
) -> Vec<FurtherTemplate> {
    let Some(main) = main else {
        return Vec::new();
    };
    let folder = main.parent().unwrap_or(Path::new(""));
    let Ok(entries) = std::fs::read_dir(if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    }) else {
        return Vec::new();
    };
    let mut others: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.to_lowercase().contains("template"))
                && p.canonicalize().ok() != main.canonicalize().ok()
        })
        .collect();
    others.sort();
    let main_prefix = id_prefix(schema);
    let mut found = Vec::new();
    for other in others {
        let Ok(other_schema) = read_schema(Some(&other), None) else {
            continue;
        };
        let relative = other.strip_prefix(dir).unwrap_or(&other).to_path_buf();
        let Some(prefix) = id_prefix(&other_schema).filter(|p| Some(p) != main_prefix.as_ref())
        else {
            notes.push(format!(
                "{} is another template, but no spec names itself in a series of its own; not used (add it under [[templates]] with a selector)",
                relative.display()
            ));
            continue;
        };
        let belongs = |s: &Sample| {
            s.id_field.as_deref().is_some_and(|v| {
                SpecId::parse(v).is_some_and(|id| format!("{}-", id.series()) == prefix)
            })
        };
        let members: Vec<&Sample> = samples.iter().filter(|s| belongs(s)).collect();
        let folders: Vec<&Path> = members.iter().filter_map(|s| s.relative.parent()).collect();
        let Some(first) = folders.first().copied() else {
            continue;
        };
        let one_folder = folders.iter().all(|f| *f == first)
            && samples
                .iter()
                .filter(|s| s.relative.parent() == Some(first))
                .all(belongs);
        if !one_folder {
            notes.push(format!(
                "{} fits {} specs, but they share no folder of their own; not used (add it under [[templates]] with `when`)",
                relative.display(),
                members.len()
            ));
            continue;
        }
        let folder = first.to_string_lossy().replace('\\', "/");
        found.push(FurtherTemplate {
            name: template_name(&other),
            file: relative,
            pattern: if folder.is_empty() {
                "*.md".to_owned()
            } else {
                format!("{folder}/*.md")
            },
            id_prefix: Some(prefix),
            specs: members.len(),
        });
    }
    found
}

/// `0000-swift-testing-template.md` -> `swift-testing`.
fn template_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let words: Vec<&str> = stem
        .split(['-', '_', '.', ' '])
        .filter(|w| !w.is_empty() && *w != "template" && !w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    if words.is_empty() {
        "other".to_owned()
    } else {
        words.join("-")
    }
}

fn shown_list(paths: &[PathBuf]) -> String {
    let mut shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > 3 {
        shown.push(format!("and {} more", paths.len() - 3));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_names() {
        assert_eq!(
            prefix_of("[SE-NNNN](NNNN-filename.md)").as_deref(),
            Some("SE-")
        );
        assert_eq!(
            prefix_of("[ST-NNNN](NNNN-filename.md)").as_deref(),
            Some("ST-")
        );
        assert_eq!(prefix_of("(number)"), None);
        assert_eq!(prefix_of("[swiftlang/swift#NNNNN](x)"), None);
        assert_eq!(
            template_name(Path::new("t/0000-swift-testing-template.md")),
            "swift-testing"
        );
        assert_eq!(template_name(Path::new("GRFC-TEMPLATE.md")), "grfc");
        assert!(is_date("2019-02-25T00:00:00.000Z"));
        assert!(!is_date("2019-30-01"));
        assert!(!is_date("David Scrève"));
    }
}
