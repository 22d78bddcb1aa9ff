//! Accessible SVG bar charts for the statistics page.
//!
//! Hand-written because no crate draws server-side SVG with the accessibility this needs
//! (a `<title>` and `<desc>` with every number, `role="img"`, text labels on every bar so
//! nothing depends on colour); niveau-report's charts are specific to ratings. The page
//! shows the same numbers in a table beside each chart.

use niveau_report::export::html::escape;

/// One bar: its label and value.
pub struct Bar {
    /// The label under the bar (a year, a stage).
    pub label: String,
    /// The value.
    pub value: u32,
}

const WIDTH: u32 = 640;
const HEIGHT: u32 = 220;
const TOP: u32 = 24;
const BOTTOM: u32 = 28;

/// A vertical bar chart. `id` must be unique on the page (it links title and desc).
pub fn bars(id: &str, title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as u32;
    let slot = WIDTH / n;
    let bar_width = (slot * 7 / 10).max(4);
    let plot = HEIGHT - TOP - BOTTOM;
    let desc = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.value))
        .collect::<Vec<_>>()
        .join(", ");
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}.</desc>",
        escape(title),
        escape(&desc)
    );
    svg.push_str(&format!(
        "<line x1=\"0\" y1=\"{y}\" x2=\"{WIDTH}\" y2=\"{y}\" stroke=\"#4a525c\"/>",
        y = HEIGHT - BOTTOM
    ));
    for (i, b) in bars.iter().enumerate() {
        let h = b.value * plot / max;
        let x = i as u32 * slot + (slot - bar_width) / 2;
        let y = HEIGHT - BOTTOM - h;
        let centre = x + bar_width / 2;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar_width}\" height=\"{h}\" fill=\"#0b5394\"/><text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1b1f24\">{}</text><text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1b1f24\">{}</text>",
            y.saturating_sub(5).max(12),
            b.value,
            HEIGHT - 8,
            escape(&b.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A group of bars (a year) in a grouped chart: one value per series.
pub struct Group {
    /// The label under the group (a year).
    pub label: String,
    /// One value per series, in the order of the series' names.
    pub values: Vec<u32>,
}

const FILLS: &[&str] = &["#0b5394", "#38761d", "#990000", "#7f6000"];

/// A grouped vertical bar chart: per group one bar per series, each bar labelled with its
/// value and the series' short mark, so nothing depends on colour; the `desc` says
/// every number. `id` must be unique on the page.
pub fn grouped(id: &str, title: &str, series: &[(&str, &str)], groups: &[Group]) -> String {
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let n = groups.len().max(1) as u32;
    let slot = WIDTH / n;
    let k = series.len().max(1) as u32;
    let bar_width = ((slot * 8 / 10) / k).max(3);
    let plot = HEIGHT - TOP - BOTTOM - 14;
    let desc = groups
        .iter()
        .map(|g| {
            let parts: Vec<String> = series
                .iter()
                .zip(&g.values)
                .map(|((s, _), v)| format!("{s} {v}"))
                .collect();
            format!("{}: {}", g.label, parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}.</desc>",
        escape(title),
        escape(&desc)
    );
    let base = HEIGHT - BOTTOM - 14;
    svg.push_str(&format!(
        "<line x1=\"0\" y1=\"{base}\" x2=\"{WIDTH}\" y2=\"{base}\" stroke=\"#4a525c\"/>"
    ));
    for (i, g) in groups.iter().enumerate() {
        let start = i as u32 * slot + (slot - bar_width * k) / 2;
        for (j, ((_, mark), value)) in series.iter().zip(&g.values).enumerate() {
            let h = value * plot / max;
            let x = start + j as u32 * bar_width;
            let y = base - h;
            let centre = x + bar_width / 2;
            svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{h}\" fill=\"{}\"/><text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1b1f24\">{value}</text><text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1b1f24\">{}</text>",
                bar_width.saturating_sub(2).max(1),
                FILLS[j % FILLS.len()],
                y.saturating_sub(4).max(12),
                base + 12,
                escape(mark)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1b1f24\">{}</text>",
            i as u32 * slot + slot / 2,
            HEIGHT - 8,
            escape(&g.label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_says_its_numbers_in_text() {
        let svg = bars(
            "m",
            "Medlemmer <pr. år>",
            &[
                Bar {
                    label: "2017".into(),
                    value: 60,
                },
                Bar {
                    label: "2018".into(),
                    value: 66,
                },
            ],
        );
        assert!(
            svg.contains("<title id=\"m-t\">Medlemmer &lt;pr. år&gt;</title>"),
            "{svg}"
        );
        assert!(svg.contains("<desc id=\"m-d\">2017: 60, 2018: 66.</desc>"));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"m-t m-d\""));
        assert_eq!(svg.matches("<rect ").count(), 2);
        // The tallest bar fills the plot; the other is in proportion.
        assert!(svg.contains("height=\"168\""), "{svg}");
        assert!(svg.contains("height=\"152\""), "{svg}");
        assert!(bars("e", "Tom", &[]).ends_with("</svg>"));
        let svg = grouped(
            "w",
            "Ønsker",
            &[("Rejst", "R"), ("Leveret", "L")],
            &[Group {
                label: "2025".into(),
                values: vec![3, 1],
            }],
        );
        assert!(
            svg.contains("<desc id=\"w-d\">2025: Rejst 3, Leveret 1.</desc>"),
            "{svg}"
        );
        assert_eq!(svg.matches("<rect ").count(), 2);
    }
}
