//! The rules: a [`Document`] checked against a [`Schema`], findings as [`Diagnostic`]s.
//!
//! One rule per file under `rules/`, registered in [`registry::RULES`]. Rules never fail and
//! never do I/O; they read a shared [`Context`] that matches the document to its template once.

mod context;
mod fix;
mod registry;
mod rules;
mod settings;
mod suggest;
mod suppression;

pub use suggest::nearest;

pub use context::{Context, GitFacts, PathId, Strictness, canonical_status, same_status};
pub use fix::apply_fixes;
pub use registry::{RULES, Rule, Scope, SeverityPolicy, rule};
pub use rules::broken_link::{SETTLED, is_relative};
pub use rules::missing_section::template_block;
pub use settings::Settings;

use specbook_diagnostics::Diagnostic;
use specbook_markdown::{Document, Schema};

/// Every finding of the document rules for one document, in span order.
#[must_use]
pub fn check(doc: &Document<'_>, schema: &Schema, settings: &Settings) -> Vec<Diagnostic> {
    check_with_git(doc, schema, settings, None)
}

/// [`check`], with what git says about the file (for `stale` and `stale-updated`).
#[must_use]
pub fn check_with_git(
    doc: &Document<'_>,
    schema: &Schema,
    settings: &Settings,
    git: Option<&GitFacts>,
) -> Vec<Diagnostic> {
    let mut diagnostics = check_context(&Context::new(doc, schema, settings).with_git(git));
    diagnostics.retain(|d| rule(d.rule).is_none_or(|r| r.scope == Scope::Document));
    diagnostics
}

/// Every finding of every rule for a document already matched to its template, in span order.
/// Workspace rules add candidates here (see [`Scope::Workspace`]).
#[must_use]
pub fn check_context(cx: &Context<'_, '_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for rule in RULES {
        (rule.check)(cx, &mut diagnostics);
    }
    suppression::apply(cx.doc, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
    diagnostics
}
