//! Semantic help: the template text left in a spec as semantic tokens, and an inlay hint at
//! the title with the spec's status and the template it is checked against.

use std::ops::Range;

use lsp_types::{
    InlayHint, InlayHintLabel, InlayHintParams, InlayHintTooltip, OneOf, Position, SemanticToken,
    SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensFullOptions,
    SemanticTokensLegend, SemanticTokensOptions, SemanticTokensParams, SemanticTokensResult,
    SemanticTokensServerCapabilities, ServerCapabilities,
};
use specbook_markdown::Document;

use super::Server;
use super::project::Project;

/// Placeholders are `macro` tokens, which themes colour out of the box (a type of our own
/// would stay plain until a theme names it), with the `placeholder` modifier for themes and
/// editor configurations that want them apart (`@lsp.mod.placeholder` in Neovim).
fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![SemanticTokenType::MACRO],
        token_modifiers: vec![SemanticTokenModifier::new("placeholder")],
    }
}

pub(super) fn capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.semantic_tokens_provider = Some(
        SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
            legend: legend(),
            full: Some(SemanticTokensFullOptions::Bool(true)),
            range: None,
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        }),
    );
    capabilities.inlay_hint_provider = Some(OneOf::Left(true));
}

/// `textDocument/semanticTokens/full`: each placeholder, one token per line it covers.
pub(super) fn semantic_tokens(
    server: &mut Server<'_>,
    params: &SemanticTokensParams,
) -> Option<SemanticTokensResult> {
    let spec = server.spec(&params.text_document.uri)?;
    let view = specbook_markdown::lf_view(spec.text);
    let doc = Document::parse(&view);
    let mut data = Vec::new();
    let mut previous = Position::default();
    let mut covered = 0;
    for placeholder in &doc.placeholders {
        for piece in line_pieces(&view, placeholder.span.clone()) {
            // Tokens may not overlap.
            if piece.start < covered {
                continue;
            }
            covered = piece.end;
            let (start, end) = (spec.lines.at(piece.start), spec.lines.at(piece.end));
            let length = end.character.saturating_sub(start.character);
            if length == 0 || end.line != start.line {
                continue;
            }
            let delta_line = start.line - previous.line;
            data.push(SemanticToken {
                delta_line,
                delta_start: if delta_line == 0 {
                    start.character - previous.character
                } else {
                    start.character
                },
                length,
                token_type: 0,
                token_modifiers_bitset: 1,
            });
            previous = start;
        }
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    }))
}

/// `span` cut at line ends (LF in the view; a CR before it is no part of a line).
fn line_pieces(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = span.start;
    for (i, _) in text[span.clone()].match_indices('\n') {
        let end = span.start + i;
        let line = text[start..end].trim_end_matches('\r');
        pieces.push(start..start + line.len());
        start = end + 1;
    }
    pieces.push(start..span.end);
    pieces
}

/// `textDocument/inlayHint`: after the title heading, the spec's status and the template it
/// is checked against, as `check` finds them.
pub(super) fn inlay_hints(
    server: &mut Server<'_>,
    params: &InlayHintParams,
) -> Option<Vec<InlayHint>> {
    let spec = server.spec(&params.text_document.uri)?;
    let view = specbook_markdown::lf_view(spec.text);
    let doc = Document::parse(&view);
    let Some(title) = doc.title_heading() else {
        return Some(Vec::new());
    };
    let position = spec.lines.at(doc.headings[title].span.end);
    if position < params.range.start || position > params.range.end {
        return Some(Vec::new());
    }
    let shown = spec.path.display().to_string();
    let (_, facts) = spec
        .project
        .checker
        .check_text_with_facts(&shown, spec.text);
    let status = facts.meta.status.as_deref().unwrap_or("no status");
    let template = template_name(spec.project, facts.meta.template.as_deref());
    Some(vec![InlayHint {
        position,
        label: InlayHintLabel::String(format!("{status} · {template}")),
        kind: None,
        text_edits: None,
        tooltip: Some(InlayHintTooltip::String(format!(
            "specbook: status {status}, checked against the {template}"
        ))),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }])
}

/// The template a spec is checked against: a `[[templates]]` entry by name and file, the
/// configured template by file, or the built-in one.
fn template_name(project: &Project, name: Option<&str>) -> String {
    let shown = |file: &std::path::Path| {
        file.strip_prefix(&project.config.root)
            .unwrap_or(file)
            .display()
            .to_string()
    };
    if let Some(name) = name {
        return match project.checker.templates.iter().find(|t| t.name == name) {
            Some(template) => format!("template {name} ({})", shown(&template.file)),
            None => format!("template {name}"),
        };
    }
    match &project.config.template {
        Some(file) => format!("template {}", shown(file)),
        None => "built-in template".to_owned(),
    }
}
