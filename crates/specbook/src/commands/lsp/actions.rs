//! Code actions: the safe fixes `check --fix` makes, one by one or all at once, a suppression
//! comment for a finding, and moving the spec to the next status when its gate passes (the
//! transition `specbook status` makes).

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use lsp_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeActionOptions, CodeActionOrCommand,
    CodeActionParams, CodeActionProviderCapability, CodeActionResponse, Range, ServerCapabilities,
    TextEdit, Uri, WorkspaceEdit,
};
use specbook_diagnostics::{Applicability, Diagnostic, LineIndex, Located};
use specbook_markdown::{Document, LineEnding};
use specbook_workspace::{Lifecycle, Recording, plan_status_of_text};

use super::convert::{self, Lines};
use super::{Server, Spec};

/// `source.fixAll.specbook`: what `check --fix` makes of the document.
const FIX_ALL: &str = "source.fixAll.specbook";

/// A suppression covers findings whose rule it names; these it cannot hide.
const NOT_SUPPRESSIBLE: &[&str] = &["unused-suppression", specbook_workspace::UNREADABLE];

/// The most findings in the asked range that get a suppression action: each is verified by
/// checking the document with it.
const MAX_SUPPRESSIONS: usize = 8;

pub(super) fn capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.code_action_provider =
        Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(FIX_ALL),
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        }));
}

/// `textDocument/codeAction`.
pub(super) fn code_actions(
    server: &mut Server<'_>,
    params: &CodeActionParams,
) -> Option<CodeActionResponse> {
    let disabled_support = server.disabled_actions;
    let uri = &params.text_document.uri;
    let spec = server.spec(uri)?;
    let only = params.context.only.as_deref();
    let wants = |kind: &str| {
        only.is_none_or(|only| {
            only.iter().any(|asked| {
                let asked = asked.as_str();
                kind == asked
                    || kind
                        .strip_prefix(asked)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        })
    };
    let mut actions = Vec::new();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        actions.extend(quick_fixes(&spec, uri, params.range));
        actions.extend(suppressions(&spec, uri, params.range));
    }
    if wants(FIX_ALL) {
        actions.extend(fix_all(&spec, uri));
    }
    if wants(CodeActionKind::REFACTOR_REWRITE.as_str()) {
        // On the Status field's line, or when the client asks for rewrites by name.
        let asked = only.is_some_and(|only| {
            only.iter()
                .any(|k| k.as_str().starts_with(CodeActionKind::REFACTOR.as_str()))
        });
        actions.extend(status_moves(
            &spec,
            uri,
            params.range,
            asked,
            disabled_support,
        ));
    }
    Some(
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    )
}

/// Whether two LSP ranges touch (a cursor is an empty range).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The one edit that turns `before` into `after`: the text between their common start and
/// common end. Both ends are kept off the middle of a character and of a CRLF.
fn edit(lines: &Lines<'_>, before: &str, after: &str) -> TextEdit {
    let mut start = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(start)
        || !after.is_char_boundary(start)
        || (before[..start].ends_with('\r') && before[start..].starts_with('\n'))
    {
        start -= 1;
    }
    let room = before.len().min(after.len()) - start;
    let mut common = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let split = |text: &str, at: usize| {
        !text.is_char_boundary(at) || (text[..at].ends_with('\r') && text[at..].starts_with('\n'))
    };
    while split(before, before.len() - common) || split(after, after.len() - common) {
        common -= 1;
    }
    TextEdit {
        range: lines.range(start..before.len() - common),
        new_text: after[start..after.len() - common].to_owned(),
    }
}

fn workspace_edit(uri: &Uri, edit: TextEdit) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
        ..WorkspaceEdit::default()
    }
}

/// The editor's diagnostic for a finding, so a quick fix names what it fixes.
fn diagnostic_of(
    spec: &Spec<'_>,
    index: &LineIndex,
    finding: &Diagnostic,
) -> lsp_types::Diagnostic {
    convert::diagnostic(&finding.locate(spec.text, index), &spec.lines)
}

/// The text with the safe fixes of `rule`'s findings made, round after round as `check --fix`
/// makes them (a fix can reveal the next).
fn fixed_rule(spec: &Spec<'_>, rule: &str) -> Option<String> {
    let checker = &spec.project.checker;
    let mut current = spec.text.to_owned();
    for _ in 0..10 {
        let found: Vec<Diagnostic> = checker
            .fixable(Some(&spec.path), &current)
            .into_iter()
            .filter(|d| d.rule == rule)
            .collect();
        match specbook_linter::apply_fixes(&current, &found) {
            Some(fixed) => current = fixed,
            None => break,
        }
    }
    (current != spec.text).then_some(current)
}

/// What the quick fix of every `rule` finding is called.
fn all_title(rule: &str, count: usize) -> String {
    match rule {
        "missing-section" => format!("Insert all {count} missing sections"),
        "missing-field" => format!("Insert all {count} missing fields"),
        _ => format!("Fix all {count} `{rule}` findings"),
    }
}

/// The safe fix of each finding in `range`, and for a rule with several fixable findings in
/// the document, one action that fixes them all.
fn quick_fixes(spec: &Spec<'_>, uri: &Uri, range: Range) -> Vec<CodeAction> {
    let fixable: Vec<Diagnostic> = spec
        .project
        .checker
        .fixable(Some(&spec.path), spec.text)
        .into_iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .collect();
    if fixable.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(spec.text);
    let mut actions = Vec::new();
    let mut rules: Vec<&'static str> = Vec::new();
    for finding in &fixable {
        let shown = diagnostic_of(spec, &index, finding);
        if !touches(shown.range, range) {
            continue;
        }
        let Some(fix) = &finding.fix else { continue };
        let Some(after) = specbook_linter::apply_fixes(spec.text, std::slice::from_ref(finding))
        else {
            continue;
        };
        actions.push(CodeAction {
            title: upper_first(&fix.message),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![shown]),
            edit: Some(workspace_edit(uri, edit(&spec.lines, spec.text, &after))),
            is_preferred: Some(true),
            ..CodeAction::default()
        });
        if !rules.contains(&finding.rule) {
            rules.push(finding.rule);
        }
    }
    for rule in rules {
        let all: Vec<&Diagnostic> = fixable.iter().filter(|d| d.rule == rule).collect();
        if all.len() < 2 {
            continue;
        }
        let Some(after) = fixed_rule(spec, rule) else {
            continue;
        };
        actions.push(CodeAction {
            title: all_title(rule, all.len()),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(all.iter().map(|d| diagnostic_of(spec, &index, d)).collect()),
            edit: Some(workspace_edit(uri, edit(&spec.lines, spec.text, &after))),
            ..CodeAction::default()
        });
    }
    actions
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `source.fixAll.specbook`: every safe fix, as `check --fix` writes them.
fn fix_all(spec: &Spec<'_>, uri: &Uri) -> Option<CodeAction> {
    let after = spec
        .project
        .checker
        .fixed_text(Some(&spec.path), spec.text)?;
    Some(CodeAction {
        title: "Fix all safe specbook findings".to_owned(),
        kind: Some(CodeActionKind::from(FIX_ALL)),
        edit: Some(workspace_edit(uri, edit(&spec.lines, spec.text, &after))),
        ..CodeAction::default()
    })
}

// ---- Suppressions ----

/// The lines of a text as byte ranges, their line breaks excluded.
fn line_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        spans.push(start..start + line.trim_end_matches(['\n', '\r']).len());
        start = end;
    }
    if spans.is_empty() {
        spans.push(0..0);
    }
    spans
}

/// Where a comment for the finding on line `line` (0-based) goes and what it says: before the
/// line when a comment there starts no new block in the middle of one, else a
/// disable/enable pair around the paragraph, list or table the line is in. `None` in front
/// matter or code.
fn suppression_edits(
    doc: &Document<'_>,
    spans: &[std::ops::Range<usize>],
    line: usize,
    rule: &str,
    ending: LineEnding,
) -> Option<(String, Vec<(usize, String)>)> {
    let text = doc.text;
    let at = spans.get(line)?.start;
    if at < doc.body_start || doc.is_verbatim(at) {
        return None;
    }
    let blank = |i: usize| text[spans[i].clone()].trim().is_empty();
    let heading = |i: usize| {
        doc.headings.iter().any(|h| {
            h.span.start <= spans[i].start && spans[i].start < h.span.end.max(h.span.start + 1)
        })
    };
    // Lines that may not be split from the line before them.
    let opens = |i: usize| {
        i == 0 || spans[i].start <= doc.body_start || blank(i - 1) || heading(i) || heading(i - 1)
    };
    let indent = |i: usize| {
        let line = &text[spans[i].clone()];
        line[..line.len() - line.trim_start().len()].to_owned()
    };
    let eol = ending.as_str();
    if opens(line) {
        let comment = format!(
            "{}<!-- specbook-disable-next-line {rule} -->{eol}",
            indent(line)
        );
        return Some((format!("Disable {rule} for this line"), vec![(at, comment)]));
    }
    let mut first = line;
    while !opens(first) {
        first -= 1;
    }
    let mut last = line;
    while last + 1 < spans.len() && !blank(last + 1) && !heading(last + 1) {
        last += 1;
    }
    let before = format!("{}<!-- specbook-disable {rule} -->{eol}", indent(first));
    let end = spans[last].end;
    let after = format!("{eol}{}<!-- specbook-enable {rule} -->", indent(first));
    Some((
        format!(
            "Disable {rule} for this block (lines {}-{})",
            first + 1,
            last + 1
        ),
        vec![(spans[first].start, before), (end, after)],
    ))
}

/// "Disable RULE for this line" for each finding in `range`: a suppression comment, offered
/// only when checking the document with it shows that it hides the finding and nothing
/// else changes for the worse.
fn suppressions(spec: &Spec<'_>, uri: &Uri, range: Range) -> Vec<CodeAction> {
    let found = spec.project.check(&spec.path, spec.text);
    // The document's own findings: a finding among them is verified by checking the document
    // alone, without the workspace rules (which read every other spec's facts).
    let mut local: Option<Vec<Located>> = None;
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let view = specbook_markdown::lf_view(spec.text);
    let doc = Document::parse(&view);
    let spans = line_spans(spec.text);
    let ending = LineEnding::of(spec.text);
    let mut actions = Vec::new();
    for finding in &found {
        let shown = convert::diagnostic(finding, &spec.lines);
        if NOT_SUPPRESSIBLE.contains(&finding.rule)
            || !touches(shown.range, range)
            || seen.contains(&(finding.rule, finding.line))
            || seen.len() >= MAX_SUPPRESSIONS
        {
            continue;
        }
        seen.push((finding.rule, finding.line));
        let line = shown.range.start.line as usize;
        let Some((title, edits)) = suppression_edits(&doc, &spans, line, finding.rule, ending)
        else {
            continue;
        };
        let after = insert(spec.text, &edits);
        let local = local.get_or_insert_with(|| document_findings(spec, spec.text));
        let hidden = if local.iter().any(|f| same(f, finding)) {
            hides(local, finding, &document_findings(spec, &after))
        } else {
            hides(&found, finding, &spec.project.check(&spec.path, &after))
        };
        if !hidden {
            continue;
        }
        actions.push(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![shown]),
            edit: Some(workspace_edit(uri, edit(&spec.lines, spec.text, &after))),
            ..CodeAction::default()
        });
    }
    actions
}

/// `text` with each `(offset, text)` inserted.
fn insert(text: &str, edits: &[(usize, String)]) -> String {
    let mut out = String::with_capacity(text.len() + 128);
    let mut at = 0;
    for (offset, inserted) in edits {
        out.push_str(&text[at..*offset]);
        out.push_str(inserted);
        at = *offset;
    }
    out.push_str(&text[at..]);
    out
}

/// The findings of the document rules in the spec with text `text`.
fn document_findings(spec: &Spec<'_>, text: &str) -> Vec<Located> {
    spec.project
        .checker
        .check_text(&spec.path.display().to_string(), text)
        .diagnostics
}

fn same(a: &Located, b: &Located) -> bool {
    (a.rule, a.line, a.column, &a.message) == (b.rule, b.line, b.column, &b.message)
}

/// Whether `now` (the findings of the spec with a suppression of `finding`) has one finding
/// of its rule fewer than `before` and no finding of another rule more.
fn hides(before: &[Located], finding: &Located, now: &[Located]) -> bool {
    let count = |found: &[Located], rule: &str| found.iter().filter(|f| f.rule == rule).count();
    let mut rules: Vec<&str> = now.iter().map(|f| f.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    count(now, finding.rule) < count(before, finding.rule)
        && rules
            .iter()
            .all(|rule| *rule == finding.rule || count(now, rule) <= count(before, rule))
}

// ---- Lifecycle ----

/// `git config user.name`, asked once: who a move made in the editor is recorded as.
fn author() -> Option<&'static str> {
    static NAME: OnceLock<Option<String>> = OnceLock::new();
    NAME.get_or_init(|| {
        super::super::git_user_name().filter(|name| !name.chars().any(char::is_control))
    })
    .as_deref()
}

/// "Move to STATUS" for each status the lifecycle allows next, when `range` is on the
/// Status field (or `asked`): the edit `specbook status` makes, or, when the gate fails,
/// a disabled action that says why.
fn status_moves(
    spec: &Spec<'_>,
    uri: &Uri,
    range: Range,
    asked: bool,
    disabled_support: bool,
) -> Vec<CodeAction> {
    let checker = &spec.project.checker;
    let view = specbook_markdown::lf_view(spec.text);
    let doc = Document::parse(&view);
    let (schema, _) = checker.template_for(Some(&spec.path), &doc);
    let Some(status_spec) = schema.status_field() else {
        return Vec::new();
    };
    let cx = specbook_linter::Context::new(&doc, schema, &checker.settings);
    let field = cx.field_of(status_spec);
    // Anywhere on the field's lines.
    let on_field = field.is_some_and(|f| {
        let first = spec
            .lines
            .at(f.label_span.start.min(f.value_span.start))
            .line;
        let last = spec.lines.at(f.value_span.end.max(f.label_span.end)).line;
        range.start.line <= last && first <= range.end.line
    });
    if !on_field && !asked {
        return Vec::new();
    }
    let lifecycle = Lifecycle::new(schema, &spec.project.config);
    let from = field.and_then(|f| lifecycle.canonical(&f.value));
    let today = super::super::today();
    let recording = Recording {
        by: author(),
        reason: None,
    };
    let mut actions = Vec::new();
    for to in lifecycle.next(from) {
        let Ok(plan) = plan_status_of_text(
            checker, &lifecycle, &spec.path, spec.text, to, &today, recording,
        ) else {
            continue;
        };
        if plan.unchanged() || !plan.allowed {
            continue;
        }
        let title = format!("Move to {}", plan.to);
        let blocking = &plan.blocking.diagnostics;
        if let Some(first) = blocking.first() {
            if disabled_support {
                let more = match blocking.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                actions.push(CodeAction {
                    title,
                    kind: Some(CodeActionKind::REFACTOR_REWRITE),
                    disabled: Some(CodeActionDisabled {
                        reason: format!(
                            "{} would fail its gate: line {}: {}{more}",
                            plan.to, first.line, first.message
                        ),
                    }),
                    ..CodeAction::default()
                });
            }
            continue;
        }
        let Some(edit) = plan_edit(spec, uri, &plan) else {
            continue;
        };
        actions.push(CodeAction {
            title,
            kind: Some(CodeActionKind::REFACTOR_REWRITE),
            edit: Some(edit),
            ..CodeAction::default()
        });
    }
    actions
}

/// The edits of a status move: the open spec's text, and its sidecar file's when the
/// lifecycle lives there.
#[allow(
    clippy::mutable_key_type,
    reason = "lsp-types' WorkspaceEdit keys its changes by Uri"
)]
fn plan_edit(
    spec: &Spec<'_>,
    uri: &Uri,
    plan: &specbook_workspace::StatusPlan,
) -> Option<WorkspaceEdit> {
    let mut changes = HashMap::new();
    for file in plan.files() {
        if file.path == spec.path {
            changes.insert(uri.clone(), vec![edit(&spec.lines, spec.text, &file.after)]);
        } else {
            let before = std::str::from_utf8(file.before()).ok()?;
            let lines = Lines::new(before);
            changes.insert(
                convert::uri_of(&absolute(&file.path))?,
                vec![edit(&lines, before, &file.after)],
            );
        }
    }
    (!changes.is_empty()).then(|| WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

fn absolute(path: &Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(before: &str, after: &str) -> String {
        let lines = Lines::new(before);
        let e = edit(&lines, before, after);
        let start = lines.offset(e.range.start);
        let end = lines.offset(e.range.end);
        format!("{}{}{}", &before[..start], e.new_text, &before[end..])
    }

    #[test]
    fn one_edit_turns_the_text_into_the_fixed_one() {
        for (before, after) in [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
            ("é\n", "è\n"),
            ("abc", "abc"),
            ("", "new\n"),
            ("aaa", "aa"),
            ("a\r\n", "a\r\r\n"),
        ] {
            assert_eq!(apply(before, after), after, "{before:?} -> {after:?}");
        }
    }

    #[test]
    fn line_spans_exclude_line_breaks() {
        assert_eq!(line_spans("a\r\nbc\n\nd"), vec![0..1, 3..5, 6..6, 7..8]);
        assert_eq!(line_spans(""), vec![0..0]);
    }
}
