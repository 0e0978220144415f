//! The section tree of a spec: document symbols and folding ranges.

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeKind,
    FoldingRangeParams, ServerCapabilities, SymbolKind,
};
use specbook_markdown::Document;

use super::Server;

pub(super) fn capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.document_symbol_provider = Some(lsp_types::OneOf::Left(true));
    capabilities.folding_range_provider =
        Some(lsp_types::FoldingRangeProviderCapability::Simple(true));
}

/// `textDocument/documentSymbol`: each heading, with the headings of its section inside it.
pub(super) fn document_symbols(
    server: &mut Server<'_>,
    params: &DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let spec = server.spec(&params.text_document.uri)?;
    let view = specbook_markdown::lf_view(spec.text);
    let document = Document::parse(&view);
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    // The open symbols, outermost first, with their levels.
    let mut open: Vec<(u8, DocumentSymbol)> = Vec::new();
    let close = |open: &mut Vec<(u8, DocumentSymbol)>, roots: &mut Vec<DocumentSymbol>| {
        if let Some((_, done)) = open.pop() {
            match open.last_mut() {
                Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
                None => roots.push(done),
            }
        }
    };
    for (i, heading) in document.headings.iter().enumerate() {
        while open
            .last()
            .is_some_and(|(level, _)| *level >= heading.level)
        {
            close(&mut open, &mut roots);
        }
        let title = document.heading_title(i).trim();
        #[allow(deprecated, reason = "`deprecated` is a required field of the type")]
        let symbol = DocumentSymbol {
            name: if title.is_empty() {
                "(untitled)".to_owned()
            } else {
                title.to_owned()
            },
            detail: None,
            kind: if heading.level == 1 {
                SymbolKind::FILE
            } else {
                SymbolKind::NAMESPACE
            },
            tags: None,
            deprecated: None,
            range: spec
                .lines
                .range(heading.span.start..section_end(&view, heading.section_end)),
            selection_range: spec.lines.range(heading.span.clone()),
            children: None,
        };
        open.push((heading.level, symbol));
    }
    while !open.is_empty() {
        close(&mut open, &mut roots);
    }
    Some(DocumentSymbolResponse::Nested(roots))
}

/// A section's end without the line ends before the next heading.
fn section_end(text: &str, end: usize) -> usize {
    text[..end].trim_end_matches(['\n', '\r']).len()
}

/// `textDocument/foldingRange`: each section, from its heading to its last line, and the
/// front matter.
pub(super) fn folding_ranges(
    server: &mut Server<'_>,
    params: &FoldingRangeParams,
) -> Option<Vec<FoldingRange>> {
    let spec = server.spec(&params.text_document.uri)?;
    let view = specbook_markdown::lf_view(spec.text);
    let document = Document::parse(&view);
    let mut ranges = Vec::new();
    let fold = |start: usize, end: usize, kind: Option<FoldingRangeKind>| {
        let (start, end) = (spec.lines.at(start), spec.lines.at(end));
        (end.line > start.line).then_some(FoldingRange {
            start_line: start.line,
            start_character: None,
            end_line: end.line,
            end_character: None,
            kind,
            collapsed_text: None,
        })
    };
    if let Some(yaml) = &document.yaml {
        ranges.extend(fold(
            yaml.block.start,
            section_end(&view, yaml.block.end),
            None,
        ));
    }
    for heading in &document.headings {
        let end = section_end(&view, heading.section_end);
        ranges.extend(fold(
            heading.span.start,
            end,
            Some(FoldingRangeKind::Region),
        ));
    }
    Some(ranges)
}
