//! Horizontal bar charts as inline SVG, drawn here so the site needs no chart library.

use std::fmt::Write as _;

use crate::render::escape_html;

/// A bar chart of `(label, value)` rows, labelled and accessible (a `<title>` and one
/// `<text>` per bar), sized to its rows.
#[must_use]
/// With `styles` (each label's status colour), each bar is drawn in its label's colour.
/// Drawn at the body's text size when shown 1:1 (16 units), up to 440 units wide.
pub fn bar_chart(
    title: &str,
    rows: &[(String, usize)],
    styles: Option<&std::collections::BTreeMap<String, String>>,
) -> String {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let label_width = 170;
    let bar_width = 210;
    let row_height = 30;
    let height = row_height * rows.len().max(1) + 8;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" width=\"{0}\" height=\"{height}\" viewBox=\"0 0 {0} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{1}</title>",
        label_width + bar_width + 60,
        escape_html(title)
    );
    if rows.is_empty() {
        svg.push_str("<text x=\"0\" y=\"18\">nothing to show</text>");
    }
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i * row_height + 4;
        let width = (value * bar_width)
            .div_ceil(max)
            .max(usize::from(*value > 0));
        let _ = write!(
            svg,
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"bar{}\" x=\"{}\" y=\"{y}\" width=\"{width}\" height=\"{}\" rx=\"3\"><title>{}: {value}</title></rect><text class=\"value\" x=\"{}\" y=\"{}\">{value}</text>",
            label_width - 8,
            y + 18,
            escape_html(label),
            styles
                .and_then(|s| s.get(label))
                .map_or_else(String::new, |style| format!(
                    " status\" style=\"{}",
                    escape_html(style)
                )),
            label_width,
            row_height - 8,
            escape_html(label),
            label_width + width + 6,
            y + 18,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_labels() {
        let svg = bar_chart(
            "Specs <by> status",
            &[("Draft".into(), 4), ("R&D".into(), 2)],
            Some(&std::collections::BTreeMap::from([(
                "Draft".to_owned(),
                "--hue: 212".to_owned(),
            )])),
        );
        assert!(
            svg.contains("class=\"bar status\" style=\"--hue: 212\""),
            "{svg}"
        );
        assert!(
            svg.contains("<title>Specs &lt;by&gt; status</title>"),
            "{svg}"
        );
        assert!(svg.contains("width=\"210\""), "{svg}");
        assert!(svg.contains("width=\"105\""), "{svg}");
        assert!(svg.contains(">R&amp;D</text>"), "{svg}");
    }

    #[test]
    fn an_empty_chart_says_so() {
        assert!(bar_chart("t", &[], None).contains("nothing to show"));
    }
}
