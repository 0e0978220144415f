//! `[[templates]]`: more templates beside the default one, each chosen by a selector.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::OneOrMany;
use crate::discover::PathPattern;

/// `[[templates]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTemplate {
    name: String,
    file: PathBuf,
    paths: Option<OneOrMany>,
    when: Option<std::collections::BTreeMap<String, String>>,
    id_prefix: Option<String>,
}

/// Which specs a template is for.
#[derive(Clone, Debug)]
pub enum Selector {
    /// Specs whose path matches one of the patterns (relative to the configuration's folder).
    Paths(Vec<PathPattern>),
    /// Specs whose field `key` (any case, `_`/`-`/space alike) has `value` (any case).
    Field { key: String, value: String },
}

/// A template besides the default one.
#[derive(Clone, Debug)]
pub struct TemplateSetting {
    /// What `new --template NAME`, `check` and `show` call it.
    pub name: String,
    /// The template file, relative to the current folder or absolute.
    pub file: PathBuf,
    pub selector: Selector,
    /// Shown before the ids of the specs it selects by path (`ST-`).
    pub id_prefix: Option<String>,
}

impl TemplateSetting {
    pub(super) fn new(root: &Path, raw: RawTemplate) -> Result<Self, String> {
        let name = raw.name.trim().to_owned();
        let place = format!("[[templates]] `{name}`");
        if name.is_empty() {
            return Err("[[templates]]: a template needs a `name`".to_owned());
        }
        let selector = match (raw.paths, raw.when) {
            (Some(paths), None) => Selector::Paths(
                paths
                    .into_vec()
                    .iter()
                    .map(|p| PathPattern::new(root, p).map_err(|e| format!("{place}: paths: {e}")))
                    .collect::<Result<_, _>>()?,
            ),
            (None, Some(when)) if when.len() == 1 => {
                let (key, value) = when.into_iter().next().expect("one entry");
                Selector::Field {
                    key: specbook_markdown::field_key(&key),
                    value,
                }
            }
            (None, Some(_)) => {
                return Err(format!(
                    "{place}: `when` names one field and its value, e.g. when = {{ kind = \"deprecation\" }}"
                ));
            }
            _ => {
                return Err(format!(
                    "{place}: choose the specs it is for with `paths = [\"...\"]` or `when = {{ field = \"value\" }}` (one of them)"
                ));
            }
        };
        if raw.id_prefix.is_some() && !matches!(selector, Selector::Paths(_)) {
            return Err(format!(
                "{place}: id_prefix needs a `paths` selector (ids come from paths)"
            ));
        }
        if let Some(prefix) = &raw.id_prefix {
            super::check_id_prefix(prefix)?;
        }
        Ok(Self {
            name,
            file: root.join(raw.file),
            selector,
            id_prefix: raw.id_prefix,
        })
    }

    /// The same setting with its paths shortened by `shorten` (relative to the current
    /// folder).
    #[must_use]
    pub fn map_paths(self, shorten: impl Fn(PathBuf) -> PathBuf) -> Self {
        let selector = match self.selector {
            Selector::Paths(patterns) => Selector::Paths(
                patterns
                    .into_iter()
                    .map(|p| p.map_paths(&shorten))
                    .collect(),
            ),
            field @ Selector::Field { .. } => field,
        };
        Self {
            file: shorten(self.file),
            selector,
            ..self
        }
    }
}

/// The `[[templates]]` entries, their names checked unique, and the id prefixes they give the
/// paths they select.
pub(super) fn settings(
    root: &Path,
    raw: Vec<RawTemplate>,
) -> Result<(Vec<TemplateSetting>, Vec<crate::catalog::PathPrefix>), String> {
    let templates = raw
        .into_iter()
        .map(|t| TemplateSetting::new(root, t))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(twice) = templates
        .iter()
        .enumerate()
        .find_map(|(i, t)| templates[..i].iter().any(|o| o.name == t.name).then_some(t))
    {
        return Err(format!(
            "[[templates]]: the name `{}` is used twice",
            twice.name
        ));
    }
    let by_path = templates
        .iter()
        .filter_map(|t| match (&t.selector, &t.id_prefix) {
            (Selector::Paths(patterns), Some(prefix)) => Some((patterns.clone(), prefix.clone())),
            _ => None,
        })
        .collect();
    Ok((templates, by_path))
}
