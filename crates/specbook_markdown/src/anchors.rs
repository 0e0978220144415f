//! Heading anchors as GitHub makes them, for `#fragment` links.

use std::collections::HashMap;

use crate::Document;
use crate::normalize::rendered_text;

impl Document<'_> {
    /// Every anchor a `#fragment` link may name, as GitHub renders them: each heading's text
    /// lower-cased, punctuation dropped, spaces as `-`, and `-1`, `-2`... after repeats; then
    /// the `id` and `name` attributes of HTML tags (`<a name="x">`, `<span id="7">`).
    #[must_use]
    pub fn anchors(&self) -> Vec<String> {
        let mut anchors = self.heading_anchors();
        anchors.extend(html_anchors(self.text));
        anchors
    }

    /// The anchor of every heading, in order.
    #[must_use]
    pub fn heading_anchors(&self) -> Vec<String> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        self.headings
            .iter()
            .map(|h| {
                let base = slug(&rendered_text(self.slice(&h.title)));
                let count = seen.entry(base.clone()).or_insert(0);
                let anchor = if *count == 0 {
                    base.clone()
                } else {
                    format!("{base}-{count}")
                };
                *count += 1;
                anchor
            })
            .collect()
    }
}

/// The values of `id="..."` and `name="..."` attributes inside HTML tags.
fn html_anchors(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for start in memchr::memchr_iter(b'<', text.as_bytes()) {
        let rest = &text[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        // A `<` before the `>` means this one opened no tag: looking no further keeps a text
        // full of unclosed `<` linear.
        let Some(end) = memchr::memchr2(b'>', b'<', rest.as_bytes()) else {
            continue;
        };
        if rest.as_bytes()[end] == b'<' {
            continue;
        }
        let tag = &rest[..end];
        for attribute in [" id=", " name="] {
            let Some(at) = tag.find(attribute) else {
                continue;
            };
            let value = &tag[at + attribute.len()..];
            let value = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..].split(quote).next(),
                _ => value.split([' ', '/']).next(),
            };
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                found.push(value.to_owned());
            }
        }
    }
    found
}

/// GitHub's slug of a heading's text (the github-slugger algorithm): lower case, letters,
/// numbers, `-` and `_` kept, other punctuation and symbols dropped, each space a `-`.
#[must_use]
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(slug("1. Introduction"), "1-introduction");
        assert_eq!(slug("Goals & Non-Goals"), "goals--non-goals");
        assert_eq!(slug("What's `new` in v2.0?"), "whats-new-in-v20");
        assert_eq!(slug("Über Café"), "über-café");
        assert_eq!(slug("snake_case API"), "snake_case-api");
    }

    #[test]
    fn anchors_render_markup_and_number_repeats() {
        let doc = Document::parse(
            "# **Bold** [Link](http://x.y) `code`\n## Notes\n## Notes\n## Notes <br/>\n",
        );
        assert_eq!(
            doc.anchors(),
            vec!["bold-link-code", "notes", "notes-1", "notes-2"]
        );
    }

    /// Anchors GitHub gives these headings (as rendered on github.com).
    #[test]
    fn the_anchors_github_makes() {
        for (heading, anchor) in [
            (
                "### Several people want an _exec-style_ plugin",
                "several-people-want-an-exec-style-plugin",
            ),
            (
                "## `kubectl apply` --server-side",
                "kubectl-apply---server-side",
            ),
            ("## What's new in v2.0?", "whats-new-in-v20"),
            ("## Goals & Non-Goals", "goals--non-goals"),
            ("## Über Café", "über-café"),
            ("## 日本語の見出し", "日本語の見出し"),
            ("## Rocket 🚀 launch", "rocket--launch"),
            ("## The snake_case API", "the-snake_case-api"),
            ("## **Bold** and *italic*", "bold-and-italic"),
            ("## [Linked](https://x.y) title", "linked-title"),
            ("## A \\> B", "a--b"),
        ] {
            let doc = Document::parse(heading);
            assert_eq!(doc.anchors(), vec![anchor], "{heading}");
        }
    }

    #[test]
    fn html_ids_and_names_are_anchors() {
        let doc = Document::parse(
            "# T

See <span id=\"7\"></span> and <a name='x-y'>here</a> <b id=z/>.\n",
        );
        assert_eq!(doc.anchors(), vec!["t", "7", "x-y", "z"]);
    }
}
