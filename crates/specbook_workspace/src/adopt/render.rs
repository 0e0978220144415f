//! The adopted `specbook.toml`, each inferred key with a comment saying why.

use std::fmt::Write as _;
use std::path::Path;

use super::{Inferred, LifecycleFound, Used};

/// What the configuration is made from.
pub(crate) struct Input<'a> {
    pub template: Option<&'a Path>,
    pub patterns: &'a [String],
    pub specs: usize,
    pub lifecycle: Option<&'a LifecycleFound>,
    /// The template's own lifecycle field, when it has one.
    pub lifecycle_label: Option<&'a str>,
    pub inferred: &'a Inferred,
    /// How many specs were read (the shares are of these).
    pub samples: usize,
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    let one_line = format!("[{}]", quoted.join(", "));
    if one_line.len() <= 80 {
        return one_line;
    }
    let mut out = String::from("[\n");
    for item in quoted {
        let _ = writeln!(out, "    {item},");
    }
    out.push(']');
    out
}

fn counted(list: &[Used]) -> String {
    list.iter()
        .map(|u| format!("{} ({})", u.name, u.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The configuration file's text.
pub(crate) fn config(input: &Input<'_>) -> String {
    let inferred = input.inferred;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# specbook configuration, written by `specbook init --adopt` from {} spec{}.",
        input.specs,
        if input.specs == 1 { "" } else { "s" }
    );
    out.push_str("# Paths are relative to this file; docs/adopting.md explains every key.\n\n");
    match input.template {
        Some(template) => {
            out.push_str("# The template specs are checked against: the template is the schema.\n");
            let _ = writeln!(
                out,
                "template = {}\n",
                quote(&template.to_string_lossy().replace('\\', "/"))
            );
        }
        None => out.push_str("# No template file: specs are checked against the built-in one.\n\n"),
    }
    out.push_str(
        "# Where the specs are (folders, or patterns: `*` within a folder, `**` across).\n",
    );
    let patterns: Vec<String> = input.patterns.to_vec();
    let _ = writeln!(out, "specs = {}\n", list(&patterns));
    if let Some(prefix) = &inferred.id_prefix {
        out.push_str("# Shown before every id (the template's number placeholder has it).\n");
        let _ = writeln!(out, "id_prefix = {}\n", quote(prefix));
    }
    if let Some(name) = &inferred.metadata {
        out.push_str("# A file beside each spec holds its fields.\n");
        let _ = writeln!(out, "metadata = {}\n", quote(name));
    }
    if !inferred.optional_sections.is_empty() {
        out.push_str(
            "# Template sections most specs leave out (the share of specs without them).\n",
        );
        out.push_str("optional_sections = [\n");
        for (name, share) in &inferred.optional_sections {
            let _ = writeln!(out, "    {},  # {}", quote(name), percent(*share));
        }
        out.push_str("]\n\n");
    }
    let allowed: Vec<&super::ExtraField> =
        inferred.extra_fields.iter().filter(|f| !f.date).collect();
    if !allowed.is_empty() {
        out.push_str(
            "# Fields the template lacks that many specs have (the share of specs with them).\n",
        );
        out.push_str("allow_unknown_fields = [\n");
        for field in allowed {
            let _ = writeln!(
                out,
                "    {},  # {}",
                quote(&field.label),
                percent(field.share)
            );
        }
        out.push_str("]\n\n");
    }
    lifecycle(&mut out, input);
    fields(&mut out, inferred);
    for template in &inferred.templates {
        out.push_str("\n# A second template, for the specs of one folder.\n");
        out.push_str("[[templates]]\n");
        let _ = writeln!(out, "name = {}", quote(&template.name));
        let _ = writeln!(
            out,
            "file = {}",
            quote(&template.file.to_string_lossy().replace('\\', "/"))
        );
        let _ = writeln!(out, "paths = [{}]", quote(&template.pattern));
        if let Some(prefix) = &template.id_prefix {
            let _ = writeln!(out, "id_prefix = {}", quote(prefix));
        }
    }
    out
}

fn lifecycle(out: &mut String, input: &Input<'_>) {
    let Some(found) = input.lifecycle else {
        out.push_str("# No lifecycle: neither the template nor the specs have a status field.\n");
        return;
    };
    out.push_str("[lifecycle]\n");
    match &found.field {
        Some(field) => {
            let _ = writeln!(
                out,
                "# The field {} of {} specs have; the template lists no statuses for it.",
                quote(field),
                found.with_field
            );
            let _ = writeln!(out, "field = {}", quote(field));
        }
        None => {
            if let Some(label) = input.lifecycle_label {
                let _ = writeln!(
                    out,
                    "# The template's field {} ({} of {} specs have it).",
                    quote(label),
                    found.with_field,
                    input.samples
                );
            }
        }
    }
    out.push_str(
        "# The statuses in order, with how many specs are in each; the first is lenient\n",
    );
    out.push_str("# (unfinished work is a warning), the later ones strict.\n");
    let _ = writeln!(out, "# In use: {}.", counted(&found.statuses));
    let names = |list: &[Used]| list.iter().map(|u| u.name.clone()).collect::<Vec<_>>();
    let _ = writeln!(out, "statuses = {}", list(&names(&found.statuses)));
    out.push_str("# Statuses that end a spec's life; any status may move to them.\n");
    let mut terminal = names(&found.terminal);
    for builtin in ["Superseded", "Withdrawn"] {
        let spelled = spelled_like(builtin, &found.statuses);
        if !terminal
            .iter()
            .any(|t| specbook_linter::same_status(t, &spelled))
            && !found
                .statuses
                .iter()
                .any(|s| specbook_linter::same_status(&s.name, &spelled))
        {
            terminal.push(spelled);
        }
    }
    if !found.terminal.is_empty() {
        let _ = writeln!(out, "# In use: {}.", counted(&found.terminal));
    }
    let _ = writeln!(out, "terminal = {}", list(&terminal));
    if !found.rare.is_empty() {
        out.push_str(
            "# Used by under 1% of the specs, so likely typos rather than statuses (check\n",
        );
        out.push_str("# reports them as invalid-status):\n");
        for used in &found.rare {
            let _ = writeln!(out, "#   {} ({})", quote(&used.name), used.count);
        }
    }
}

/// `Superseded` in the case most specs write their statuses in: `superseded` beside `draft`.
fn spelled_like(status: &str, statuses: &[Used]) -> String {
    let in_case = |test: fn(char) -> bool| {
        statuses
            .iter()
            .filter(|u| u.name.chars().filter(|c| c.is_alphabetic()).all(test))
            .map(|u| u.count)
            .sum::<usize>()
    };
    let total: usize = statuses.iter().map(|u| u.count).sum();
    if total == 0 {
        status.to_owned()
    } else if in_case(char::is_lowercase) * 2 > total {
        status.to_lowercase()
    } else if in_case(char::is_uppercase) * 2 > total {
        status.to_uppercase()
    } else {
        status.to_owned()
    }
}

fn fields(out: &mut String, inferred: &Inferred) {
    for (label, share) in &inferred.optional_fields {
        let _ = writeln!(out, "\n[fields.{}]", key(label));
        let _ = writeln!(
            out,
            "optional = true  # missing in {} of the specs",
            percent(*share)
        );
    }
    for field in inferred.extra_fields.iter().filter(|f| f.date) {
        let _ = writeln!(out, "\n[fields.{}]", key(&field.label));
        let _ = writeln!(
            out,
            "type = \"date\"  # not in the template; {} of the specs have it",
            percent(field.share)
        );
        out.push_str("optional = true\n");
    }
}

/// A TOML key: bare when it can be, quoted otherwise.
fn key(label: &str) -> String {
    if !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        label.to_owned()
    } else {
        quote(label)
    }
}
