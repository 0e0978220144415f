//! A template's guidance: the paragraphs that tell the author what to write ("This section
//! should explain ...", "Why are we doing this?"), as opposed to its placeholders (what to
//! replace) and its boilerplate (what to keep, such as a licence line).

use crate::Document;

/// Verbs a guidance sentence starts with: it tells the author to do something.
const IMPERATIVES: &[&str] = &[
    "describe",
    "explain",
    "list",
    "delete",
    "replace",
    "add",
    "include",
    "provide",
    "summarize",
    "summarise",
    "write",
    "fill",
    "remove",
    "link",
    "name",
    "discuss",
    "use",
    "consider",
    "mention",
    "state",
    "outline",
    "identify",
    "think",
    "try",
    "note",
    "keep",
    "make",
    "avoid",
    "give",
    "define",
    "document",
    "specify",
    "enumerate",
    "ensure",
];

/// Words that address the author or the template itself.
const CUES: &[&str] = &[
    "you",
    "your",
    "yourself",
    "should",
    "this section",
    "this template",
    "these sections",
];

/// Whether a paragraph is a placeholder as a whole: `[...]`, `(...)` or `<...>`.
#[must_use]
pub fn is_placeholder_paragraph(paragraph: &str) -> bool {
    let text = paragraph.trim();
    [('[', ']'), ('(', ')'), ('<', '>')]
        .iter()
        .any(|(open, close)| text.starts_with(*open) && text.ends_with(*close))
}

/// Whether a template paragraph is guidance for the author (not a placeholder, and it asks a
/// question, addresses the author, speaks of "this section", or starts with an imperative).
/// A paragraph holding `[placeholders]` is what to replace, not guidance.
#[must_use]
pub fn is_guidance(paragraph: &str) -> bool {
    let text = paragraph.trim();
    if text.is_empty()
        || is_placeholder_paragraph(text)
        || Document::parse(text)
            .placeholders
            .iter()
            .any(|p| p.kind == crate::PlaceholderKind::Bracket)
    {
        return false;
    }
    // Quoted words are mentioned, not used: `"SHOULD"` in an RFC 2119 boilerplate line. So
    // are words in capitals.
    let unquoted: String = text
        .split('"')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    let lower = unquoted.to_lowercase();
    let words: Vec<String> = unquoted
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !(w.is_empty() || (w.len() > 1 && w.chars().all(char::is_uppercase))))
        .map(str::to_lowercase)
        .collect();
    let has_word = |w: &str| words.iter().any(|x| x == w);
    if text.contains('?') {
        return true;
    }
    if CUES.iter().any(|cue| {
        if cue.contains(' ') {
            lower.contains(cue)
        } else {
            has_word(cue)
        }
    }) {
        return true;
    }
    // A sentence that starts with an imperative: `Describe the ...`, `- List the ...`.
    lower
        .split(['.', '\n'])
        .filter_map(|sentence| {
            sentence
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .split(|c: char| !c.is_alphanumeric())
                .next()
        })
        .any(|first| IMPERATIVES.contains(&first))
}

/// What `--fix` inserts of a section's template text: its placeholders and the text meant to
/// stay (a link definition, a licence line), without HTML comments, code examples or guidance
/// paragraphs.
#[must_use]
pub fn fix_text(body: &str) -> String {
    let doc = Document::parse(body);
    let mut kept = String::with_capacity(body.len());
    let mut at = 0;
    for region in &doc.verbatim {
        if region.start >= at {
            kept.push_str(&body[at..region.start]);
        }
        at = at.max(region.end);
    }
    kept.push_str(&body[at.min(body.len())..]);
    let kept = kept.replace("\r\n", "\n");
    kept.split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty() && !is_guidance(p))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidance_and_what_is_not() {
        for yes in [
            "Why are we doing this? What use cases does it support?",
            "What parts of the design are still TBD or unknowns?",
            "This section should explain this problem in detail.",
            "When filling out this template, you should delete or replace all of the text.",
            "Explain the design in enough detail for somebody familiar with the ecosystem.",
            "- List the dependencies.",
        ] {
            assert!(is_guidance(yes), "{yes}");
        }
        for no in [
            "[Brief description of the problem]",
            "(high-level description of and rationale for specification)",
            "<The EIP title is a few words>",
            "All content herein is licensed under [Apache 2.0](https://www.apache.org/licenses/LICENSE-2.0).",
            "Copyright and related rights waived via [CC0](../LICENSE.md).",
            "One paragraph explanation of the feature.",
            "[summary]: #summary",
            "The key words \"MUST\", \"SHOULD\" and \"MAY\" in this document are to be interpreted as described in RFC 2119.",
            "- [Link 1]: [Description]\n- [Link 2]: [Description]",
            "Describe [the thing] here.",
        ] {
            assert!(!is_guidance(no), "{no}");
        }
    }

    #[test]
    fn fixes_keep_placeholders_and_drop_comments_and_guidance() {
        let body = "[summary]: #summary\n\n<!--\n  Delete this comment.\n-->\n\nWhy are we doing this?\n\n[What you measure]\n\n```rust\nfn example() {}\n```\n";
        assert_eq!(fix_text(body), "[summary]: #summary\n\n[What you measure]");
        assert_eq!(fix_text("<!-- only a comment -->"), "");
    }
}
