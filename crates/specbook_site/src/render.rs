//! One spec's Markdown as safe HTML: CommonMark with GFM tables, task lists, footnotes and
//! strikethrough; headings with GitHub's anchors; a table of contents; placeholders marked;
//! links to other specs pointing at their pages; raw HTML sanitised.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use specbook_markdown::slug;

/// A heading of the page, for the table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A rendered spec body.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Relative image paths the page uses, as written.
    pub images: Vec<String>,
    /// How many `mermaid` code blocks became diagrams.
    pub diagrams: usize,
}

/// Sanitiser: the tags and attributes Markdown produces, plus ids on headings and footnotes,
/// classes for placeholders and code languages, and disabled task boxes. No scripts, event
/// handlers, `javascript:` URLs, iframes, forms, SVG or `MathML`.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "mark", "section"])
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "title"])
        .link_rel(Some("noopener noreferrer"))
        // An image from another host would make the page request it: pages load only from
        // the site itself (Markdown images from other hosts become links before this).
        .attribute_filter(|element, attribute, value| {
            let remote = value.contains("://") || value.starts_with("//");
            if element == "img" && attribute == "src" && remote {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

/// Renders `text` from `body_start` (after any YAML front matter), leaving out the `skip`
/// ranges (the title and front matter, which the page shows in its own way) and wrapping the
/// `placeholders` in `<mark>`. `link` maps a relative link destination to the one the page
/// should use. Ranges are byte ranges of `text`, sorted, not overlapping.
#[must_use]
pub fn render(
    text: &str,
    body_start: usize,
    skip: &[Range<usize>],
    placeholders: &[Range<usize>],
    link: &dyn Fn(&str) -> Option<String>,
    mermaid: bool,
) -> Rendered {
    let source = prepare(text, body_start, skip, placeholders);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut toc = Vec::new();
    let mut images = Vec::new();
    // For each open image: whether it is from another host (and shown as a link).
    let mut image_stack: Vec<bool> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(HeadingLevel, Vec<Event<'_>>, String)> = None;
    let mut blocks = CodeBlocks::new(&source, mermaid);
    // Whether anything the sanitiser would change is there: raw HTML (other than the
    // placeholder marks this function adds) or a link to a scheme it does not allow.
    let mut needs_cleaning = false;
    for event in Parser::new_ext(&source, OPTIONS) {
        needs_cleaning = needs_cleaning || needs_sanitiser(&event);
        let Some(event) = blocks.take(event, &mut events) else {
            continue;
        };
        let event = map_event(event, link, &mut images, &mut image_stack);
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, .. })) => {
                heading = Some((level, Vec::new(), String::new()));
            }
            (Some(_), Event::End(TagEnd::Heading(_))) => {
                let Some((level, inner, plain)) = heading.take() else {
                    continue;
                };
                let base = slug(&plain);
                let count = seen.entry(base.clone()).or_insert(0);
                let id = if *count == 0 {
                    base.clone()
                } else {
                    format!("{base}-{count}")
                };
                *count += 1;
                toc.push(TocEntry {
                    level: level as u8,
                    id: id.clone(),
                    text: plain.trim().to_owned(),
                });
                let anchor = format!(
                    "<a class=\"anchor\" href=\"#{id}\" title=\"Link to this section\">#</a>"
                );
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(anchor)));
                events.push(Event::End(TagEnd::Heading(level)));
            }
            (Some((_, inner, plain)), event) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    plain.push_str(t);
                }
                inner.push(event);
            }
            (None, event) => events.push(event),
        }
    }
    let html = safe_html(events, source.len() * 3 / 2, needs_cleaning);
    Rendered {
        html: restore_highlighted(html, &blocks.highlighted),
        toc,
        images,
        diagrams: blocks.diagrams,
    }
}

/// The text of each heading [`render`] puts in the table of contents, in order: the same
/// Markdown, parsed the same way, without making the page (no highlighting, no HTML).
#[must_use]
pub fn heading_texts(
    text: &str,
    body_start: usize,
    skip: &[Range<usize>],
    placeholders: &[Range<usize>],
) -> Vec<String> {
    let source = prepare(text, body_start, skip, placeholders);
    let mut texts = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(&source, OPTIONS) {
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { .. })) => heading = Some(String::new()),
            (Some(plain), Event::End(TagEnd::Heading(_))) => {
                texts.push(plain.trim().to_owned());
                heading = None;
            }
            (Some(plain), Event::Text(t) | Event::Code(t)) => plain.push_str(&t),
            _ => {}
        }
    }
    texts
}

/// The Markdown the site renders: CommonMark with tables, footnotes, strikethrough and task
/// lists.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Fenced code blocks on their way to the page: a `mermaid` block becomes
/// `<pre class="mermaid">` with its text escaped, for the script to draw (when diagrams are
/// on); a block in a language syntect knows is highlighted. Highlighted HTML is ours (escaped
/// text in spans), so it goes in after the sanitiser, in place of a marker; a source that
/// has the marker's character gets it sanitised instead.
struct CodeBlocks {
    mermaid: bool,
    in_diagram: bool,
    diagrams: usize,
    /// The open block's language and text.
    open: Option<(String, String)>,
    highlighted: Vec<String>,
    bypass: bool,
}

impl CodeBlocks {
    fn new(source: &str, mermaid: bool) -> Self {
        Self {
            mermaid,
            in_diagram: false,
            diagrams: 0,
            open: None,
            highlighted: Vec::new(),
            bypass: !source.contains(MARKER_OPEN),
        }
    }

    /// Takes the events of code blocks into `events`; gives back the others.
    fn take<'e>(&mut self, event: Event<'e>, events: &mut Vec<Event<'e>>) -> Option<Event<'e>> {
        if self.mermaid {
            match &event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                    if info.split_whitespace().next() == Some("mermaid") =>
                {
                    self.in_diagram = true;
                    self.diagrams += 1;
                    events.push(Event::Html(CowStr::from("<pre class=\"mermaid\">")));
                    return None;
                }
                Event::End(TagEnd::CodeBlock) if self.in_diagram => {
                    self.in_diagram = false;
                    events.push(Event::Html(CowStr::from("</pre>\n")));
                    return None;
                }
                Event::Text(code) if self.in_diagram => {
                    events.push(Event::Html(CowStr::from(escape_html(code))));
                    return None;
                }
                _ => {}
            }
        }
        match (&mut self.open, &event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) => {
                let language = info.split_whitespace().next().unwrap_or_default();
                self.open = Some((language.to_owned(), String::new()));
                events.push(event);
                None
            }
            (Some((_, text)), Event::Text(part)) => {
                text.push_str(part);
                None
            }
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let (language, text) = self.open.take()?;
                match crate::highlight::highlight(&language, &text) {
                    Some(html) if self.bypass => {
                        events.push(Event::Text(CowStr::from(format!(
                            "{MARKER_OPEN}{}{MARKER_CLOSE}",
                            self.highlighted.len()
                        ))));
                        self.highlighted.push(html);
                    }
                    Some(html) => events.push(Event::Html(CowStr::from(html))),
                    None => events.push(Event::Text(CowStr::from(text))),
                }
                events.push(event);
                None
            }
            _ => Some(event),
        }
    }
}

/// URL schemes the sanitiser keeps (ammonia's defaults); any other, and any URL with a
/// control character or a space, sends the page through it.
const SAFE_SCHEMES: [&str; 25] = [
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Whether `event` holds something only the sanitiser makes safe.
fn needs_sanitiser(event: &Event<'_>) -> bool {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            let html: &str = html;
            html != MARK_OPEN && html != MARK_CLOSE
        }
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !is_safe_url(dest_url)
        }
        _ => false,
    }
}

fn is_safe_url(url: &str) -> bool {
    if url.bytes().any(|b| b <= b' ' || b == 0x7F) {
        return false;
    }
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].split_once(':') {
        None => true,
        Some((scheme, _)) => SAFE_SCHEMES
            .iter()
            .any(|safe| safe.eq_ignore_ascii_case(scheme)),
    }
}

/// `html` from pulldown-cmark with `rel="noopener noreferrer"` on each link, as the
/// sanitiser adds it. Its attributes are escaped, so a link's tag ends at the first `>`.
fn with_link_rel(html: &str) -> String {
    const REL: &str = " rel=\"noopener noreferrer\"";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        out.push_str(&rest[..start + end]);
        out.push_str(REL);
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    out
}

/// Around the number of a highlighted code block in the page before it is sanitised:
/// characters of Unicode's private use area, which no Markdown means.
const MARKER_OPEN: char = '\u{E000}';
const MARKER_CLOSE: char = '\u{E001}';

/// `html` with each marker replaced by its highlighted block.
fn restore_highlighted(html: String, highlighted: &[String]) -> String {
    if highlighted.is_empty() {
        return html;
    }
    let mut out =
        String::with_capacity(html.len() + highlighted.iter().map(String::len).sum::<usize>());
    let mut rest = html.as_str();
    while let Some(start) = rest.find(MARKER_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARKER_OPEN.len_utf8()..];
        let block = after.find(MARKER_CLOSE).and_then(|end| {
            let index: usize = after[..end].parse().ok()?;
            Some((highlighted.get(index)?, end))
        });
        if let Some((block, end)) = block {
            out.push_str(block);
            rest = &after[end + MARKER_CLOSE.len_utf8()..];
        } else {
            out.push(MARKER_OPEN);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// One line of Markdown (a finding's message: `code`, *emphasis*) as safe inline HTML.
#[must_use]
pub fn render_inline(markdown: &str) -> String {
    let events: Vec<Event<'_>> = Parser::new(markdown).collect();
    let needs_cleaning = events.iter().any(needs_sanitiser);
    let html = safe_html(events, markdown.len() + 32, needs_cleaning);
    let html = html.trim_end();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .to_owned()
}

/// `events` as HTML, through the sanitiser only when `needs_cleaning` (see
/// [`needs_sanitiser`]): pulldown-cmark escapes all text and attributes, so only raw HTML and
/// URLs need ammonia, which costs more than the rest of the page (a third of a build when
/// every page went through it).
fn safe_html(events: Vec<Event<'_>>, capacity: usize, needs_cleaning: bool) -> String {
    let mut html = String::with_capacity(capacity);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if needs_cleaning {
        CLEANER.clean(&html).to_string()
    } else {
        with_link_rel(&html)
    }
}

/// Text for HTML content or a quoted attribute value.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(&mut out, text);
    out
}

/// [`escape_html`] appended to `out`.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Points links at pages (`link`), collects local images, and shows images from other hosts
/// as links. `image_stack` remembers, for each open image, whether it became a link.
fn map_event<'e>(
    event: Event<'e>,
    link: &dyn Fn(&str) -> Option<String>,
    images: &mut Vec<String>,
    image_stack: &mut Vec<bool>,
) -> Event<'e> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: link(&dest_url).map_or(dest_url, CowStr::from),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let local = is_relative(&dest_url) || dest_url.starts_with("data:");
            image_stack.push(!local);
            if local {
                if is_relative(&dest_url) {
                    images.push(dest_url.to_string());
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            } else {
                // Shown as a link to the image: a page loads nothing from other hosts.
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
        }
        Event::End(TagEnd::Image) => {
            if image_stack.pop() == Some(true) {
                Event::End(TagEnd::Link)
            } else {
                Event::End(TagEnd::Image)
            }
        }
        other => other,
    }
}

const MARK_OPEN: &str = "<mark class=\"placeholder\" title=\"placeholder left from the template\">";
const MARK_CLOSE: &str = "</mark>";

/// The Markdown to render: `text` from `body_start` without the `skip` ranges, with each
/// placeholder inside inline `<mark>` HTML (which also keeps `- [Link 1]: [Description]` from
/// vanishing as a link definition).
fn prepare(
    text: &str,
    body_start: usize,
    skip: &[Range<usize>],
    placeholders: &[Range<usize>],
) -> String {
    let mut out = String::with_capacity(text.len() + placeholders.len() * 80);
    let mut at = body_start;
    let mut marks = placeholders
        .iter()
        .filter(|p| p.start >= body_start)
        .peekable();
    let mut skips = skip.iter().filter(|s| s.end > body_start).peekable();
    loop {
        let next_mark = marks.peek().map(|m| m.start);
        let next_skip = skips.peek().map(|s| s.start.max(at));
        match (next_mark, next_skip) {
            (Some(m), s) if s.is_none_or(|s| m < s) => {
                let mark = marks.next().expect("peeked");
                if mark.start < at {
                    continue;
                }
                out.push_str(&text[at..mark.start]);
                out.push_str(MARK_OPEN);
                out.push_str(&text[mark.clone()]);
                out.push_str(MARK_CLOSE);
                at = mark.end;
            }
            (_, Some(s)) => {
                let range = skips.next().expect("peeked");
                out.push_str(&text[at..s]);
                at = at.max(range.end);
            }
            (None, None) => break,
            (Some(_), None) => unreachable!("the first arm takes a mark when there is no skip"),
        }
    }
    out.push_str(&text[at..]);
    out
}

/// A path in the repository, not a URL with a scheme or a `//host`.
fn is_relative(destination: &str) -> bool {
    !destination.is_empty()
        && !destination.starts_with("//")
        && !destination.starts_with('#')
        && !destination.split_once(':').is_some_and(|(scheme, _)| {
            scheme.len() > 1
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_texts_are_the_table_of_contents() {
        let text = "# Title\n\n## 1. `code` and *emphasis* [link](0002-x.md)\n\n```rust\n# not a heading\nfn x() {}\n```\n\nSetext\n------\n\n### [Placeholder] <b>html</b> ![image](a.png)\n\n> ## Quoted\n\n| a |\n|---|\n| ## cell |\n";
        let placeholder = text.find("[Placeholder]").unwrap()..text.find(" <b>").unwrap();
        let placeholders = std::slice::from_ref(&placeholder);
        // The title heading, which the page shows above its text.
        let title = 0..8;
        let skip = std::slice::from_ref(&title);
        let rendered = render(text, 0, skip, placeholders, &|_| None, false);
        let toc: Vec<String> = rendered.toc.into_iter().map(|t| t.text).collect();
        assert_eq!(toc.len(), 4, "{toc:?}");
        assert_eq!(heading_texts(text, 0, skip, placeholders), toc);
    }

    fn html(markdown: &str) -> Rendered {
        render(markdown, 0, &[], &[], &|_| None, false)
    }

    #[test]
    fn raw_html_is_defused() {
        let out = html(
            "# T\n\n<script>window.pwned = 1</script>\n\n<img src=\"x.png\" onerror=\"window.pwned = 1\">\n\n<a href=\"javascript:window.pwned = 1\">click</a>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n[md link](javascript:alert(1)) <svg onload=\"x()\"></svg> <form action=\"/x\"><input name=\"q\"></form>\n",
        )
        .html;
        for banned in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "<svg",
            "onload",
            "<form",
            "pwned = 1\">",
        ] {
            assert!(!out.contains(banned), "{banned} survived in\n{out}");
        }
        assert!(out.contains("<img src=\"x.png\">"), "{out}");
    }

    #[test]
    fn unsafe_urls_without_raw_html_still_go_through_the_sanitiser() {
        let out = html("[a](JAVASCRIPT:alert(1)) [b](data:text/html,x) ![c](vbscript:x) [d](<java\tscript:x>)\n").html;
        for banned in ["JAVASCRIPT", "data:", "vbscript", "java\tscript"] {
            assert!(!out.contains(banned), "{banned} survived in\n{out}");
        }
        let plain = html("[a](https://x.y) [b](../b.md) [c](mailto:a@b.c) <https://z.w>\n").html;
        assert_eq!(
            plain.matches(" rel=\"noopener noreferrer\">").count(),
            4,
            "{plain}"
        );
    }

    #[test]
    fn messages_render_their_markdown_inline_and_safely() {
        assert_eq!(
            render_inline("missing field `Team` in *Front Matter*"),
            "missing field <code>Team</code> in <em>Front Matter</em>"
        );
        let out = render_inline("heading `<b>` <img src=x onerror=alert(1)> [x](javascript:y)");
        assert!(
            !out.contains("onerror") && !out.contains("javascript"),
            "{out}"
        );
        assert!(out.contains("<code>&lt;b&gt;</code>"), "{out}");
    }

    #[test]
    fn gfm_tables_task_lists_footnotes_and_strikethrough() {
        let out = html("| a | b |\n| --- | :-: |\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\nText[^1] ~~old~~\n\n[^1]: A note.\n").html;
        assert!(out.contains("<table>") && out.contains("<td"), "{out}");
        assert_eq!(out.matches("type=\"checkbox\"").count(), 2, "{out}");
        assert_eq!(out.matches("checked").count(), 1, "{out}");
        assert_eq!(out.matches("disabled").count(), 2, "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("class=\"footnote-definition\""), "{out}");
    }

    #[test]
    fn headings_get_github_anchors_and_a_table_of_contents() {
        let out = html("## 1. Goals & *Scope*\n\n### Notes\n\n### Notes\n");
        assert!(
            out.html.contains("<h2 id=\"1-goals--scope\">"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<h3 id=\"notes-1\">"), "{}", out.html);
        let toc: Vec<(u8, &str)> = out.toc.iter().map(|t| (t.level, t.id.as_str())).collect();
        assert_eq!(
            toc,
            vec![(2, "1-goals--scope"), (3, "notes"), (3, "notes-1")]
        );
        assert_eq!(out.toc[0].text, "1. Goals & Scope");
    }

    #[test]
    fn placeholders_are_marked_and_skipped_parts_left_out() {
        let text = "# Title\n\n## Front Matter\n- **Status:** Draft\n\n## Body\n- [Link 1]: [Description]\n";
        let skip = [0..8, 9..47];
        let link1 = text.find("[Link 1]").unwrap();
        let description = text.find("[Description]").unwrap();
        let out = render(
            text,
            0,
            &skip,
            &[link1..link1 + 8, description..description + 13],
            &|_| None,
            false,
        );
        assert!(
            !out.html.contains("Title") && !out.html.contains("Status"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<li><mark class=\"placeholder\" title=\"placeholder left from the template\">[Link 1]</mark>: <mark"),
            "{}",
            out.html
        );
    }

    #[test]
    fn mermaid_blocks_become_diagrams_only_when_enabled() {
        let text = "```mermaid\ngraph LR\n  a[\"<b>x</b>\"] --> b\n```\n";
        let off = render(text, 0, &[], &[], &|_| None, false);
        assert!(
            off.html.contains("<code class=\"language-mermaid\">"),
            "{}",
            off.html
        );
        assert_eq!(off.diagrams, 0);
        let on = render(text, 0, &[], &[], &|_| None, true);
        assert_eq!(on.diagrams, 1);
        assert!(
            on.html.contains(
                "<pre class=\"mermaid\">graph LR\n  a[&quot;&lt;b&gt;x&lt;/b&gt;&quot;] --&gt; b\n</pre>"
            ),
            "{}",
            on.html
        );
    }

    #[test]
    fn code_blocks_are_highlighted_and_stay_safe() {
        let out =
            html("```rust\nfn f() {} // <script>x</script>\n```\n\n```nosuch\n<b>\n```\n").html;
        assert!(
            out.contains("<pre><code class=\"language-rust\"><span class=\"hl-k\">fn"),
            "{out}"
        );
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(
            out.contains("<code class=\"language-nosuch\">&lt;b&gt;\n</code>"),
            "{out}"
        );
        // A spec that holds the marker's characters gets its blocks sanitised, not swapped.
        let forged =
            html("\u{E000}0\u{E001} <img src=x onerror=y>\n\n```rust\nfn f() {}\n```\n").html;
        assert!(!forged.contains("onerror"), "{forged}");
        assert!(forged.contains("\u{E000}0\u{E001}"), "{forged}");
        assert!(forged.contains("<span class=\"hl-k\">fn"), "{forged}");
    }

    #[test]
    fn links_are_mapped_and_local_images_collected() {
        let out = render(
            "[other](0002-b.md#goals) [web](https://x.y) ![d](img/flow.png) ![w](https://x.y/a.png)\n",
            0,
            &[],
            &[],
            &|d| {
                d.starts_with("0002")
                    .then(|| "0002-b.html#goals".to_owned())
            },
            false,
        );
        assert!(
            out.html.contains("href=\"0002-b.html#goals\""),
            "{}",
            out.html
        );
        assert_eq!(out.images, vec!["img/flow.png"]);
        assert!(
            out.html
                .contains("<a href=\"https://x.y/a.png\" rel=\"noopener noreferrer\">w</a>"),
            "{}",
            out.html
        );
        assert!(!out.html.contains("<img src=\"https"), "{}", out.html);
        let raw = html("<img src=\"https://tracker.example/p.gif\" alt=\"t\">\n").html;
        assert!(!raw.contains("tracker"), "{raw}");
    }
}
