//! The spec model (sections made of blocks) and its rendering to Markdown.

use std::fmt::Write as _;

use crate::outline::{Kind, OUTLINE};

pub(crate) enum Block {
    /// Sentences, joined with spaces (and wrapped when the spec wraps).
    Paragraph(Vec<String>),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
    Code {
        fence: &'static str,
        lang: &'static str,
        lines: Vec<String>,
    },
    /// The first row is the header.
    Table(Vec<Vec<String>>),
    Quote(String),
    /// Lines written as they are: footnote and link reference definitions, `None.`.
    Raw(Vec<String>),
}

pub(crate) struct Section {
    pub level: u8,
    pub title: String,
    /// Index into [`OUTLINE`]; `None` for sections the template does not have.
    pub outline: Option<usize>,
    pub blocks: Vec<Block>,
}

impl Section {
    pub(crate) fn kind(&self) -> Option<Kind> {
        self.outline.map(|i| OUTLINE[i].kind)
    }
}

pub(crate) struct Spec {
    pub name: String,
    pub title_suffix: &'static str,
    /// Front matter bullets: label, value.
    pub fields: Vec<(&'static str, String)>,
    pub sections: Vec<Section>,
    /// Column to wrap paragraphs at, if this author wraps.
    pub wrap: Option<usize>,
    /// Whether a blank line follows each heading.
    pub airy: bool,
}

impl Spec {
    pub(crate) fn render(&self) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let _ = writeln!(out, "# {} {}", self.name, self.title_suffix);
        for section in &self.sections {
            out.push('\n');
            for _ in 0..section.level {
                out.push('#');
            }
            out.push(' ');
            out.push_str(&section.title);
            out.push('\n');
            if section.kind() == Some(Kind::FrontMatter) {
                for (label, value) in &self.fields {
                    let _ = writeln!(out, "- **{label}:** {value}");
                }
                continue;
            }
            for (i, block) in section.blocks.iter().enumerate() {
                if i > 0 || self.airy {
                    out.push('\n');
                }
                block.render_into(&mut out, self.wrap);
            }
        }
        out
    }
}

impl Block {
    pub(crate) fn render_into(&self, out: &mut String, wrap: Option<usize>) {
        match self {
            Block::Paragraph(sentences) => {
                let text = sentences.join(" ");
                match wrap {
                    Some(width) => wrap_into(out, &text, width),
                    None => out.push_str(&text),
                }
                out.push('\n');
            }
            Block::Bullets(items) => {
                for item in items {
                    let _ = writeln!(out, "- {item}");
                }
            }
            Block::Numbered(items) => {
                for (i, item) in items.iter().enumerate() {
                    let _ = writeln!(out, "{}. {item}", i + 1);
                }
            }
            Block::Code { fence, lang, lines } => {
                let _ = writeln!(out, "{fence}{lang}");
                for line in lines {
                    out.push_str(line);
                    out.push('\n');
                }
                out.push_str(fence);
                out.push('\n');
            }
            Block::Table(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    let _ = writeln!(out, "| {} |", row.join(" | "));
                    if i == 0 {
                        let rule = vec!["---"; row.len()].join(" | ");
                        let _ = writeln!(out, "| {rule} |");
                    }
                }
            }
            Block::Quote(text) => {
                let _ = writeln!(out, "> {text}");
            }
            Block::Raw(lines) => {
                for line in lines {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }

    /// Rendered length in bytes, for sizing.
    pub(crate) fn rendered_len(&self, wrap: Option<usize>) -> usize {
        let mut out = String::new();
        self.render_into(&mut out, wrap);
        out.len()
    }
}

/// Wraps `text` at `width` columns, breaking only at spaces outside brackets, parentheses and
/// code spans (so a link or a placeholder is never split across lines), and only before a word
/// that starts with a letter (so no continuation line can start a list, heading, quote, table,
/// fence or setext underline).
fn wrap_into(out: &mut String, text: &str, width: usize) {
    let mut depth = 0i32;
    let mut in_code = false;
    let mut last_break: Option<usize> = None;
    let mut columns = 0usize;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '[' | '(' if !in_code => depth += 1,
            ']' | ')' if !in_code => depth -= 1,
            _ => {}
        }
        let breakable = c == ' '
            && depth == 0
            && !in_code
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
        if breakable && columns >= width {
            out.push('\n');
            columns = 0;
            last_break = None;
            continue;
        }
        if breakable {
            last_break = Some(out.len());
        }
        out.push(c);
        columns += 1;
        if columns > width
            && let Some(at) = last_break.take()
        {
            // Turn the last breakable space into a newline.
            out.replace_range(at..=at, "\n");
            columns = out[at + 1..].chars().count();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap_into;

    #[test]
    fn wrapping_never_splits_links_or_starts_lines_with_markup() {
        let text = "Alpha beta gamma [Describe the retry policy in detail] delta \
            [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110) epsilon - zeta 1. eta `a b c d` theta # iota.";
        for width in 5..60 {
            let mut out = String::new();
            wrap_into(&mut out, text, width);
            assert_eq!(out.replace('\n', " "), text, "width {width}");
            for line in out.lines().skip(1) {
                assert!(
                    line.starts_with(|c: char| c.is_ascii_alphabetic()),
                    "{line:?}"
                );
            }
            assert!(out.contains("[Describe the retry policy in detail]"));
        }
    }
}
