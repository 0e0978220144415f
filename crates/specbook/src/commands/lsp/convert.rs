//! specbook's findings as LSP diagnostics: 1-based character columns to 0-based UTF-16
//! positions, and `file:` URIs to paths.

use std::path::{Path, PathBuf};

use lsp_types::{CodeDescription, DiagnosticSeverity, NumberOrString, Position, Range, Uri};
use specbook_diagnostics::{Located, Severity};

/// The start offsets of the lines of a text, with the line ends specbook's `LineIndex` and
/// LSP both use: `\n`, `\r\n` and a lone `\r`.
pub(crate) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

const BOM: char = '\u{feff}';

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        Self { text, starts }
    }

    /// The LSP position of specbook's 1-based `line` and 1-based `column` (counted in
    /// characters, a byte order mark not counted). Past the end clamps to the end.
    pub(crate) fn position(&self, line: usize, column: usize) -> Position {
        let index = line.saturating_sub(1).min(self.starts.len() - 1);
        let start = self.starts[index];
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        // specbook does not count the BOM; the editor's text holds it, so LSP does.
        let skip = column.saturating_sub(1) + usize::from(index == 0 && content.starts_with(BOM));
        let character: usize = content.chars().take(skip).map(char::len_utf16).sum();
        Position {
            line: u32::try_from(index).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }
}

impl Lines<'_> {
    /// The LSP position of byte `offset` of the text (clamped to the text, and back to a
    /// character boundary).
    pub(crate) fn at(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let index = self.starts.partition_point(|&s| s <= offset) - 1;
        let character: usize = self.text[self.starts[index]..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        Position {
            line: u32::try_from(index).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The LSP range of the bytes `span`.
    pub(crate) fn range(&self, span: std::ops::Range<usize>) -> Range {
        Range {
            start: self.at(span.start),
            end: self.at(span.end),
        }
    }

    /// The byte offset of an LSP position: a position past the end of its line is the line's
    /// end, past the last line the end of the text, and inside a surrogate pair the
    /// character's start.
    #[allow(dead_code, reason = "the cursor's features use it")]
    pub(crate) fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + i;
            }
        }
        start + content.len()
    }
}

/// The `file:` URI of a path (absolute paths only).
pub(crate) fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    #[cfg(windows)]
    let text = format!("/{}", text.replace('\\', "/"));
    let mut uri = String::from("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.parse().ok()
}

/// One finding as an LSP diagnostic.
pub(crate) fn diagnostic(finding: &Located, lines: &Lines<'_>) -> lsp_types::Diagnostic {
    let severity = match finding.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    lsp_types::Diagnostic {
        range: Range {
            start: lines.position(finding.line, finding.column),
            end: lines.position(finding.end_line, finding.end_column),
        },
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.to_owned())),
        code_description: rule_page(env!("CARGO_PKG_REPOSITORY"), finding.rule)
            .map(|href| CodeDescription { href }),
        source: Some("specbook".to_owned()),
        message: finding.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// Where a rule's page (`docs/rules/RULE.md`) is published: in the repository the binary was
/// built from (`repository` in Cargo.toml). `None` for a finding that is not a registered
/// rule's, and while that address is a placeholder (an `.invalid` host, RFC 2606): a link that
/// leads nowhere is worse than none, and hover shows the page either way.
fn rule_page(repository: &str, rule: &str) -> Option<Uri> {
    specbook_linter::rule(rule)?;
    let repository = repository.trim_end_matches('/');
    let uri: Uri = repository.parse().ok()?;
    let host = uri.authority()?.host().as_str().to_ascii_lowercase();
    if host.is_empty() || host == "invalid" || host.ends_with(".invalid") {
        return None;
    }
    format!("{repository}/blob/main/docs/rules/{rule}.md")
        .parse()
        .ok()
}

/// The local path a `file:` URI names; `None` for other schemes and remote hosts.
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme()?;
    if !scheme.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    if let Some(authority) = uri.authority() {
        let host = authority.host().as_str();
        if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
            return None;
        }
    }
    let path = uri.path().as_estr().decode().into_string().ok()?;
    // `file:///C:/specs/a.md` is `C:/specs/a.md` on Windows.
    #[cfg(windows)]
    let path = match path.strip_prefix('/') {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.to_owned(),
        _ => path.into_owned(),
    };
    Some(PathBuf::from(path.as_ref() as &str))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: usize, column: usize) -> (u32, u32) {
        let p = Lines::new(text).position(line, column);
        (p.line, p.character)
    }

    #[test]
    fn a_rule_links_to_its_page_once_the_repository_is_published() {
        let page = rule_page("https://github.com/o/specbook/", "placeholder");
        assert_eq!(
            page.as_ref().map(|uri| uri.as_str()),
            Some("https://github.com/o/specbook/blob/main/docs/rules/placeholder.md")
        );
        // A placeholder address, a finding that is no rule's, an address that is no URL.
        assert!(rule_page("https://example.invalid/specbook", "placeholder").is_none());
        assert!(rule_page("https://invalid/specbook", "placeholder").is_none());
        assert!(rule_page("https://github.com/o/specbook", "invalid-utf8").is_none());
        assert!(rule_page("", "placeholder").is_none());
        // The address this binary was built with is still a placeholder: no link yet.
        assert!(rule_page(env!("CARGO_PKG_REPOSITORY"), "placeholder").is_none());
    }

    #[test]
    fn columns_become_utf16_code_units() {
        // `é` is one UTF-16 unit, `𝄞` two: the column after them differs from the character.
        assert_eq!(at("é𝄞x\n", 1, 3), (0, 3));
        assert_eq!(at("ab\ncd", 2, 2), (1, 1));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        assert_eq!(at("ab\r\ncd\r\n", 2, 3), (1, 2));
        assert_eq!(at("ab\rcd", 2, 1), (1, 0));
        assert_eq!(at("ab\r\n", 1, 3), (0, 2), "the \\r is not a column");
    }

    #[test]
    fn the_bom_is_a_code_unit_in_the_editor() {
        assert_eq!(at("\u{feff}# T\n", 1, 1), (0, 1));
        assert_eq!(at("\u{feff}# T\nx", 2, 1), (1, 0));
    }

    #[test]
    fn past_the_end_clamps() {
        assert_eq!(at("ab", 9, 1), (0, 0));
        assert_eq!(at("ab", 1, 9), (0, 2));
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "é𝄞x\r\nab\rc";
        let lines = Lines::new(text);
        for offset in [0, 2, 6, 7, 9, 11, 12, 13] {
            assert_eq!(lines.offset(lines.at(offset)), offset, "{offset}");
        }
        // Inside the surrogate pair of `𝄞`: its start.
        assert_eq!(lines.offset(Position::new(0, 2)), 2);
        assert_eq!(lines.offset(Position::new(0, 99)), 7, "past the line's end");
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        assert_eq!(
            lines.at(3),
            Position::new(0, 1),
            "not a boundary: back to `é`"
        );
    }

    #[test]
    fn paths_become_file_uris() {
        let uri = uri_of(Path::new("/tmp/my specs/0001-a.md")).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20specs/0001-a.md");
        assert_eq!(
            path_of(&uri),
            Some(PathBuf::from("/tmp/my specs/0001-a.md"))
        );
    }

    #[test]
    fn file_uris_are_paths() {
        let uri: Uri = "file:///tmp/my%20specs/0001-a.md".parse().unwrap();
        assert_eq!(
            path_of(&uri),
            Some(PathBuf::from("/tmp/my specs/0001-a.md"))
        );
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&untitled), None);
        let remote: Uri = "file://server/share/a.md".parse().unwrap();
        assert_eq!(path_of(&remote), None);
    }
}
