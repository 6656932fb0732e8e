//! Pictures drawn at build time as inline SVG, so they need no script, print
//! with the page and follow its light or dark colours (the shapes carry
//! classes that the theme's stylesheet colours). Each has a title and a
//! description for screen readers; the lists beside them say the same in
//! text.

use std::fmt::Write as _;

use super::context::Views;
use crate::catalogue::Entry;

/// Escape text for SVG content and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A bar chart of adoptions per year, stacked by category, each bar a link
/// to the year's point-in-time page. `root` leads from the page to the site
/// root.
pub fn timeline(views: &Views<'_>, root: &str) -> Option<String> {
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let categories = &catalogue.classification.categories;
    let (first, last) = crate::chronology::year_range(catalogue)?;
    let years = usize::try_from(last - first + 1).ok()?;
    let mut counts = vec![vec![0usize; categories.len()]; years];
    for entry in &catalogue.entries {
        let Some(adopted) = &entry.instrument.adopted else { continue };
        let Some(kind) = catalogue.classification.instrument_type(&entry.instrument.kind.value) else { continue };
        let year = usize::try_from(adopted.value.year - first).ok().filter(|&y| y < years)?;
        counts[year][catalogue.classification.category_order(&kind.category.value)] += 1;
    }
    let highest = counts.iter().map(|c| c.iter().sum::<usize>()).max().unwrap_or(0).max(1);

    let (bar, gap, plot_height, top, bottom) = (9.0, 2.0, 140.0, 10.0, 34.0);
    let width = years as f64 * (bar + gap) + 40.0;
    let height = top + plot_height + bottom;
    let scale = plot_height / highest as f64;
    let title = views.locale.text("timeline_title");
    let mut svg = String::new();
    let description = escape(&format!("{} {first}–{last}", views.locale.text("timeline_description")));
    write!(
        svg,
        r#"<svg class="timeline-chart" role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">{}</title><desc id="timeline-desc">{description}</desc>"#,
        escape(title),
    )
    .ok()?;
    write!(svg, r#"<line class="axis" x1="30" y1="{0}" x2="{1:.0}" y2="{0}"/>"#, top + plot_height, width - 5.0).ok()?;

    for (offset, per_category) in counts.iter().enumerate() {
        let year = first + offset as i32;
        let x = 32.0 + offset as f64 * (bar + gap);
        let total: usize = per_category.iter().sum();
        if year % 10 == 0 {
            write!(svg, r#"<text class="tick" x="{x:.1}" y="{:.0}">{year}</text>"#, top + plot_height + 16.0).ok()?;
        }
        if total == 0 {
            continue;
        }
        let label: Vec<String> = categories
            .iter()
            .zip(per_category)
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| format!("{} {n}", c.label_in(language)))
            .collect();
        let url = format!("{root}{}", views.url(&super::timeline::year_url(year)));
        write!(svg, r#"<a href="{}"><title>{year}: {}</title>"#, escape(&url), escape(&label.join(", "))).ok()?;
        let mut y = top + plot_height;
        for (category, &n) in per_category.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let h = n as f64 * scale;
            y -= h;
            write!(svg, r#"<rect class="category-{category}" x="{x:.1}" y="{y:.1}" width="{bar}" height="{h:.1}"/>"#).ok()?;
        }
        svg.push_str("</a>");
    }

    let mut legend_x = 32.0;
    for (category, term) in categories.iter().enumerate() {
        let label = escape(term.label_in(language));
        write!(
            svg,
            r#"<rect class="category-{category}" x="{legend_x:.0}" y="{0:.0}" width="10" height="10"/><text class="legend" x="{1:.0}" y="{2:.0}">{label}</text>"#,
            height - 12.0,
            legend_x + 14.0,
            height - 3.0,
        )
        .ok()?;
        legend_x += 24.0 + label.chars().count() as f64 * 7.0;
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The direct relations of one instrument: the instrument on the left, each
/// related instrument on the right with the relation on its edge.
pub fn relations(views: &Views<'_>, entry: &Entry, title: &str, root: &str) -> Option<String> {
    if entry.relations.is_empty() {
        return None;
    }
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let rows = entry.relations.len();
    let (row, width) = (34.0, 640.0);
    let height = (rows as f64 * row).max(row) + 8.0;
    let centre = height / 2.0;
    let mut svg = String::new();
    let heading = format!("{}: {}", views.locale.text("relations"), title);
    let described: Vec<String> = entry
        .relations
        .iter()
        .map(|r| {
            let kind = &catalogue.classification.relations[r.kind];
            format!("{} {}", kind.side_label_in(r.inverse, language), catalogue.title_in(r.other, language))
        })
        .collect();
    write!(
        svg,
        r#"<svg class="relations-chart" role="img" aria-labelledby="relations-title relations-desc" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title id="relations-title">{}</title><desc id="relations-desc">{}</desc>"#,
        escape(&heading),
        escape(&described.join("; ")),
    )
    .ok()?;
    write!(svg, r#"<rect class="node node-self" x="4" y="{:.1}" width="190" height="26" rx="4"/><text class="node-label" x="12" y="{:.1}">{}</text>"#, centre - 13.0, centre + 4.0, escape(&clip(title, 26))).ok()?;

    for (n, relation) in entry.relations.iter().enumerate() {
        let y = 4.0 + n as f64 * row + 13.0;
        let kind = &catalogue.classification.relations[relation.kind];
        let label = kind.side_label_in(relation.inverse, language);
        let other = catalogue.title_in(relation.other, language);
        let url = format!("{root}{}", views.link(relation.other).url);
        write!(
            svg,
            r#"<path class="edge" d="M194 {centre:.1} C 260 {centre:.1}, 280 {y:.1}, 360 {y:.1}"/><text class="edge-label" x="{:.0}" y="{:.1}">{}</text>"#,
            362.0 - 4.0 - label.chars().count() as f64 * 6.2,
            y - 4.0,
            escape(label),
        )
        .ok()?;
        write!(
            svg,
            r#"<a href="{}"><title>{}</title><rect class="node" x="362" y="{:.1}" width="270" height="26" rx="4"/><text class="node-label" x="370" y="{:.1}">{}</text></a>"#,
            escape(&url),
            escape(other),
            y - 13.0,
            y + 4.0,
            escape(&clip(other, 38)),
        )
        .ok()?;
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<b>"A" & 'B'</b>"#), "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;");
        assert_eq!(clip("Convention on Temporary Admission", 12), "Convention…");
    }
}
