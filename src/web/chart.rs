//! Small inline SVG bar charts, rendered on the server: [`bars`] turns a
//! series of daily numbers into an `<svg>` string that needs no script and no
//! stylesheet beyond `currentColor`. Each chart is an image to assistive
//! technology (`role="img"`) named by its `<title>`, which carries the numbers
//! themselves (total, busiest day, every day's value), so nothing is only in
//! the picture. The output is built from numbers and an escaped label only, so
//! it may be placed in a page unescaped.

use std::fmt::Write as _;

/// The drawing's width in SVG units (it scales to its container).
pub const WIDTH: u32 = 300;
/// The drawing's height in SVG units.
pub const HEIGHT: u32 = 64;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A bar per value of `series` (oldest first), scaled to the largest; `label`
/// names what is counted (e.g. `Texts sent, last 30 days`). Negative values are
/// drawn as zero.
pub fn bars(label: &str, series: &[i64]) -> String {
    let values: Vec<i64> = series.iter().map(|v| (*v).max(0)).collect();
    let total: i64 = values.iter().sum();
    let max = values.iter().copied().max().unwrap_or(0);
    let every = values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let title = format!(
        "{}: {total} in total, at most {max} on one day. By day, oldest first: {every}.",
        escape(label)
    );
    let mut svg = format!(
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>"#
    );
    let _ = write!(
        svg,
        r#"<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="currentColor" stroke-opacity="0.35" stroke-width="1"/>"#,
        y = HEIGHT - 1
    );
    let n = u32::try_from(values.len()).unwrap_or(u32::MAX).max(1);
    let slot = f64::from(WIDTH) / f64::from(n);
    let bar = (slot * 0.7).max(1.0);
    let usable = f64::from(HEIGHT - 4);
    for (i, v) in values.iter().enumerate() {
        if *v == 0 || max == 0 {
            continue;
        }
        // Counts of a day fit f64 exactly.
        let h = ((*v as f64 / max as f64) * usable).max(2.0);
        let x = slot * (i as f64) + (slot - bar) / 2.0;
        let y = f64::from(HEIGHT - 1) - h;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="currentColor" rx="1"/>"#
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_becomes_one_bar_per_non_zero_day_scaled_to_the_largest() {
        let svg = bars("Texts sent, last 30 days", &[0, 2, 4, 0]);
        assert!(svg.starts_with(r#"<svg class="chart" role="img""#), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 2);
        // The largest day fills the usable height; half of it, half.
        assert!(svg.contains(r#"height="60.0""#), "{svg}");
        assert!(svg.contains(r#"height="30.0""#), "{svg}");
        assert!(svg.contains(
            "<title>Texts sent, last 30 days: 6 in total, at most 4 on one day. By day, oldest first: 0, 2, 4, 0.</title>"
        ));
    }

    #[test]
    fn nothing_to_draw_is_an_empty_chart_that_still_says_so() {
        let svg = bars("Call minutes", &[0; 30]);
        assert_eq!(svg.matches("<rect").count(), 0);
        assert!(svg.contains("0 in total, at most 0 on one day"));
        let svg = bars("Empty", &[]);
        assert!(svg.contains("<title>Empty: 0 in total"));
        assert_eq!(bars("Neg", &[-5, 1]).matches("<rect").count(), 1);
    }

    #[test]
    fn the_label_is_escaped() {
        let svg = bars("<script>&\"", &[1]);
        assert!(svg.contains("&lt;script&gt;&amp;&quot;"));
        assert!(!svg.contains("<script>"));
    }
}
