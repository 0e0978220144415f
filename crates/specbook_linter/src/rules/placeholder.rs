//! `placeholder`: template text left in a spec.

use specbook_diagnostics::{Diagnostic, Severity};
use specbook_markdown::{LeftoverKind, PlaceholderKind};

use crate::Context;
use crate::registry::{Rule, Scope, SeverityPolicy};
use crate::rules::{code, excerpt};

pub(crate) const RULE: Rule = Rule {
    name: "placeholder",
    summary: "Template placeholder text (`[...]`, TODO, TBD, FIXME) left in the spec",
    doc: r#"## What it does
Reports the template's text left in a spec, naming the template line it comes from: its
`[placeholders]`; its `<angle>`, `(parenthesised ...)` and italic (`*if applicable*`)
instructions; its `NNNN`, `XXXX` and `YYYY-MM-DD` tokens; its guidance paragraphs (`When
filling out this template, ...`, compared after normalising whitespace and markup); and field
values left as the template's. The markers `TODO`, `TBD` and `FIXME` are reported too, and so
are the matches of `[placeholders] patterns` in specbook.toml; `[placeholders] ignore`
silences findings whose text a pattern matches. Other bracketed text of several words that is not a link, image,
footnote, task box or `[1]`-style citation is a warning at most, and only when it reads like
a placeholder: a bracketed line of its own (`[Describe the rollback plan]`) or one made of
placeholder words (`describe`, `your`, `TBD`, ...) or opening with a question word (`[Which
teams are affected]`). One bracketed word (`[sig-node]`, `/proc/[pid]`, `[T]he`), a list
(`[start, end]`, `["a", "b"]`), a task box at a line start (`[x] I agree`), an author's
bracketed aside (`We [the crates.io team] ...`, `(ties to even [except for casts])`), a
citation naming a year (`[quantheory, Apr 1, 2015]`) and link text whose `(url)` a line
break split from it are never reported. A marker in quotes (`"TBD" behavior`) or defined as a
term (`To Be Determined (TBD)`) is mentioned, not left, and template text in a block quote is
quoted. Code spans, code blocks, HTML comments, link destinations and the transitions recorded in the
status-history field (`2026-12-02: Draft -> Review by Ana (forced: TBD)`) are never searched. `- [Metric 1]: [Target]` is reported even though CommonMark reads it as a link
reference definition.

## Why is this bad?
A placeholder is a question the author has not answered yet. In the first status (Draft) that is
normal and the finding is a warning; from Review on it is an error. Bracketed text the template
does not have may be the author's own notation, so it is only ever a warning.

## Example
```markdown
### Cost Analysis
[Infrastructure, development, operational costs]
```

Use instead:
```markdown
### Cost Analysis
Four small sender instances and one database: about $900 a month.
```
"#,
    severity: SeverityPolicy::Lifecycle,
    fixable: false,
    scope: Scope::Document,
    check,
};

fn check(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let from = out.len();
    find(cx, out);
    // One finding per place: a field's value left as the template's is also an instruction.
    // A finding inside another is dropped (of two at the same place, the first stays). Sorted
    // by start, a finding is inside an earlier one exactly when one of those reaches its end.
    let history = cx.history_entries();
    let found: Vec<Diagnostic> =
        out.drain(from..)
            .filter(|finding| !history.iter().any(|h| h.contains(&finding.span.start)))
            .filter(|finding| {
                !cx.settings.placeholder_ignore.iter().any(|re| {
                    re.is_match(cx.doc.text.get(finding.span.clone()).unwrap_or_default())
                })
            })
            .collect();
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| (found[i].span.start, std::cmp::Reverse(found[i].span.end), i));
    let mut inside = vec![false; found.len()];
    let mut reach: Option<usize> = None;
    for i in order {
        let end = found[i].span.end;
        if reach.is_some_and(|r| r >= end) {
            inside[i] = true;
        } else {
            reach = Some(end);
        }
    }
    out.extend(
        found
            .into_iter()
            .zip(inside)
            .filter(|(_, inside)| !inside)
            .map(|(finding, _)| finding),
    );
}

fn find(cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
    let severity: Severity = cx.unfinished_severity();
    let template_line = |text: &str| {
        cx.schema
            .placeholders
            .get(&one_line(&text[1..text.len() - 1]))
            .copied()
    };
    for placeholder in &cx.doc.placeholders {
        let text = cx.doc.slice(&placeholder.span);
        let shown = code(&one_line(text));
        let (message, severity) = match placeholder.kind {
            // A reference the template defines is a broken link, not a placeholder.
            PlaceholderKind::Bracket if cx.schema.defines_link(&text[1..text.len() - 1]) => {
                continue;
            }
            PlaceholderKind::Bracket => match template_line(text) {
                Some(line) => (
                    format!("placeholder {shown} left from the template (its line {line})"),
                    severity,
                ),
                // Not the template's: reported only when it reads like one (a bracketed line of
                // its own, or words such as "describe" or "your"). One bracketed word is a tag,
                // a path part or an edit mark (`[sig-node]`, `/proc/[pid]`, `[T]he`); a list is
                // notation (`[start, end]`, `["a", "b"]`); the rest is the author's prose.
                None if !reads_like_placeholder(cx.doc.text, &placeholder.span) => continue,
                None => (
                    format!(
                        "bracketed text {shown} that is not a link and not in the template: a placeholder? (escape it as `\\[` if it is meant)"
                    ),
                    Severity::Warning,
                ),
            },
            // `"TBD" behavior`: a marker in quotes is mentioned, not left.
            PlaceholderKind::Marker if quoted(cx.doc.text, placeholder.span.start) => continue,
            // `"To Be Determined" (TBD)`: the marker's definition as a term.
            PlaceholderKind::Marker if defines_acronym(cx.doc.text, &placeholder.span) => continue,
            PlaceholderKind::Marker => (format!("{shown} marker left in the text"), severity),
        };
        out.push(Diagnostic::new(
            RULE.name,
            severity,
            placeholder.span.clone(),
            message,
        ));
    }
    // `- [Phase 3]: ./rollout` is a valid link definition, but its label is the template's.
    for label in &cx.doc.link_definitions {
        let text = cx.doc.slice(label);
        if let Some(line) = template_line(text) {
            out.push(Diagnostic::new(
                RULE.name,
                severity,
                label.clone(),
                format!(
                    "placeholder {} left from the template (its line {line})",
                    code(&one_line(text))
                ),
            ));
        }
    }
    report_leftovers(cx, severity, out);
    // A template's `key: <describe this>` or `key: (fill me in ...)` value kept as it is.
    for (field, spec) in cx.fields_with_specs() {
        let Some(spec) = spec else { continue };
        let template_value = spec.placeholder.trim();
        let is_instruction = (template_value.starts_with('<') && template_value.ends_with('>'))
            || (template_value.starts_with('(') && template_value.ends_with(')'));
        if is_instruction && one_line(&field.value) == one_line(template_value) {
            out.push(Diagnostic::new(
                RULE.name,
                severity,
                field.value_span.clone(),
                format!(
                    "field `{}` still has the template's value {}",
                    field.label,
                    code(&one_line(template_value))
                ),
            ));
        }
    }
}

/// The template's guidance, instructions and tokens left in the spec, and the matches of
/// `[placeholders] patterns`; `[placeholders] ignore` drops findings whose text it matches.
fn report_leftovers(cx: &Context<'_, '_>, severity: Severity, out: &mut Vec<Diagnostic>) {
    for leftover in cx.schema.template_text.leftovers(cx.doc) {
        // Template text in a block quote is quoted (an RFC proposing it), not left over.
        if in_block_quote(cx.doc.text, leftover.span.start) {
            continue;
        }
        let text = cx.doc.slice(&leftover.span);
        let line = leftover.line;
        let message = match leftover.kind {
            LeftoverKind::Guidance => format!(
                "the template's guidance is still here (its line {line}): {}",
                code(&excerpt(&one_line(text), 60))
            ),
            LeftoverKind::Instruction => format!(
                "the template's instruction {} is still here (its line {line})",
                code(&one_line(text))
            ),
            LeftoverKind::Token => format!(
                "the template's placeholder {} is still here (its line {line})",
                code(text)
            ),
        };
        out.push(Diagnostic::new(RULE.name, severity, leftover.span, message));
    }
    for pattern in &cx.settings.placeholder_patterns {
        for hit in pattern.find_iter(cx.doc.text) {
            if cx.doc.is_verbatim(hit.start()) {
                continue;
            }
            out.push(Diagnostic::new(
                RULE.name,
                severity,
                hit.range(),
                format!(
                    "{} matches the placeholder pattern `{}`",
                    code(&excerpt(&one_line(hit.as_str()), 60)),
                    pattern.as_str()
                ),
            ));
        }
    }
}

/// Whether the marker at `at` is in quotes (`"TBD"`, `“TBD behavior”`): a mention.
fn quoted(text: &str, at: usize) -> bool {
    text[..at].ends_with(['"', '“', '\''])
}

/// Whether the marker at `span` is in parentheses after the words it abbreviates:
/// `"To Be Determined" (TBD)`.
fn defines_acronym(text: &str, span: &std::ops::Range<usize>) -> bool {
    let (Some(before), true) = (
        text[..span.start].strip_suffix('('),
        text[span.end..].starts_with(')'),
    ) else {
        return false;
    };
    let marker = &text[span.clone()];
    let letters = marker.chars().count();
    let initials: String = before
        .split_whitespace()
        .rev()
        .take(letters)
        .filter_map(|w| {
            w.trim_start_matches(['"', '“', '\'', '*', '_'])
                .chars()
                .next()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    initials.eq_ignore_ascii_case(marker)
}

/// Whether the line holding `at` is in a block quote (`> ...`).
fn in_block_quote(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].trim_start().starts_with('>')
}

/// Words an author's own placeholder is made of: `[Describe the rollback]`, `[Your name]`.
const PLACEHOLDER_WORDS: &[&str] = &[
    "describe",
    "description",
    "insert",
    "add",
    "fill",
    "todo",
    "tbd",
    "tbc",
    "tba",
    "your",
    "explain",
    "provide",
    "placeholder",
    "enter",
    "replace",
    "write",
    "name",
    "link",
    "e.g",
    "number",
    "confirm",
    "pending",
    "estimate",
];

/// Words that open a question an author's placeholder asks: `[Why now]`.
const QUESTION_WORDS: &[&str] = &["what", "why", "how", "which", "who", "when", "where"];

/// Whether bracketed text the template lacks reads like a placeholder: several words, not a
/// list or nested notation, and either a line of its own or made of placeholder words.
fn reads_like_placeholder(text: &str, span: &std::ops::Range<usize>) -> bool {
    let inner = &text[span.start + 1..span.end - 1];
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let opened = text[line_start..span.start].matches('(').count()
        > text[line_start..span.start].matches(')').count();
    if !inner.contains(char::is_whitespace)
        || inner.contains(['[', '"', '=', '`'])
        || text[..span.start].trim_end().ends_with(['=', '('])
        // `(with roundTiesToEven [except for casts])`: an aside inside parentheses.
        || opened
        // `[Blog post on MIR]` + line break + `(https://...)`: a link split by the wrap.
        || text[span.end..].trim_start().starts_with('(')
        // `[quantheory, Apr 1, 2015]`: a citation names a year.
        || inner
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")))
    {
        return false;
    }
    // `[DD, EE]`, `[start, end]`, `[T, ..n]`: a list of single tokens is notation.
    let items: Vec<&str> = inner.split(',').map(str::trim).collect();
    if items.len() > 1 && items.iter().all(|i| i.split_whitespace().count() <= 1) {
        return false;
    }
    if inner.trim_end().ends_with('?') {
        return true;
    }
    let before = text[line_start..span.start].trim_start_matches([' ', '\t', '>', '-', '*', '+']);
    let after = text[span.end..line_end].trim();
    // A bracketed line of its own reads like a placeholder when it says something
    // (`[Performance requirements and scaling strategy]`), not as a two-word label (`[as text]`).
    let own_line = before.trim().is_empty()
        && (after.is_empty() || after.starts_with(':'))
        && inner.split_whitespace().count() >= 4;
    let lower = inner.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    // A question word opens a placeholder (`[Which teams are affected]`); later it is a
    // relative clause (`[casts, which round towards zero]`).
    own_line
        || words.first().is_some_and(|w| QUESTION_WORDS.contains(w))
        || PLACEHOLDER_WORDS
            .iter()
            .any(|p| words.iter().any(|w| w.trim_end_matches('.') == *p))
}

/// Text on one line with single spaces (placeholders may wrap; quotes add `>` markers).
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| *word != ">")
        .collect::<Vec<_>>()
        .join(" ")
}
