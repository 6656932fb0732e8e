//! Pictures drawn at build time as inline SVG, so they need no script, print
//! with the page and follow its light or dark colours (the shapes carry
//! classes that the theme's stylesheet colours). Each has a title and a
//! description for screen readers; the lists beside them say the same in
//! text.

use std::fmt::Write as _;

use super::context::Views;
use crate::catalogue::Entry;
use crate::html_text::escape;

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
        let Some(kind) = catalogue.classification.instrument_type(&entry.instrument.kind.value)
        else {
            continue;
        };
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
    let description =
        escape(&format!("{} {first}–{last}", views.locale.text("timeline_description")));
    write!(
        svg,
        r#"<svg class="timeline-chart" role="group" aria-labelledby="timeline-title" aria-describedby="timeline-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">{}</title><desc id="timeline-desc">{description}</desc>"#,
        escape(title),
    )
    .ok()?;
    write!(
        svg,
        r#"<line class="axis" x1="30" y1="{0}" x2="{1:.0}" y2="{0}"/>"#,
        top + plot_height,
        width - 5.0
    )
    .ok()?;

    for (offset, per_category) in counts.iter().enumerate() {
        let year = first + offset as i32;
        let x = 32.0 + offset as f64 * (bar + gap);
        let total: usize = per_category.iter().sum();
        if year % 10 == 0 {
            write!(
                svg,
                r#"<text class="tick" x="{x:.1}" y="{:.0}">{year}</text>"#,
                top + plot_height + 16.0
            )
            .ok()?;
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
        write!(
            svg,
            r#"<a href="{}"><title>{year}: {}</title>"#,
            escape(&url),
            escape(&label.join(", "))
        )
        .ok()?;
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

/// Where the relation diagram puts things, in SVG units. Each related
/// instrument has a row of its own: the relation's name on a band at the
/// top, its box below, so that no label can reach a box.
mod row {
    pub const PAD: f64 = 4.0;
    pub const LABEL_BAND: f64 = 18.0;
    pub const LABEL_BASELINE: f64 = 13.0;
    pub const BOX: f64 = 26.0;
    pub const GAP: f64 = 8.0;
    pub const HEIGHT: f64 = LABEL_BAND + BOX + GAP;
    pub const SELF_X: f64 = 4.0;
    pub const SELF_WIDTH: f64 = 190.0;
    pub const OTHER_X: f64 = 362.0;
    pub const OTHER_WIDTH: f64 = 270.0;
    pub const WIDTH: f64 = 640.0;

    // The two columns neither touch nor leave the picture.
    const _: () = assert!(SELF_X + SELF_WIDTH < OTHER_X && OTHER_X + OTHER_WIDTH <= WIDTH);
}

/// The top of the box of related instrument `n`.
fn other_box_top(n: usize) -> f64 {
    row::PAD + n as f64 * row::HEIGHT + row::LABEL_BAND
}

/// The direct relations of one instrument: the instrument on the left, each
/// related instrument on the right, under the name of the relation.
pub fn relations(views: &Views<'_>, entry: &Entry, title: &str, root: &str) -> Option<String> {
    if entry.relations.is_empty() {
        return None;
    }
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let rows = entry.relations.len();
    let width = row::WIDTH;
    let height = 2.0 * row::PAD + rows as f64 * row::HEIGHT - row::GAP;
    let first_centre = other_box_top(0) + row::BOX / 2.0;
    let centre = (first_centre + other_box_top(rows - 1) + row::BOX / 2.0) / 2.0;
    let mut svg = String::new();
    let heading = format!("{}: {}", views.locale.text("relations"), title);
    let described: Vec<String> = entry
        .relations
        .iter()
        .map(|r| {
            let kind = &catalogue.classification.relations[r.kind];
            format!(
                "{} {}",
                kind.side_label_in(r.inverse, language),
                catalogue.title_in(r.other, language)
            )
        })
        .collect();

    // A group rather than an image: it holds links, which an image may not.
    write!(
        svg,
        r#"<svg class="relations-chart" role="group" aria-labelledby="relations-title" aria-describedby="relations-desc" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title id="relations-title">{}</title><desc id="relations-desc">{}</desc>"#,
        escape(&heading),
        escape(&described.join("; ")),
    )
    .ok()?;
    write!(
        svg,
        r#"<rect class="node node-self" x="{}" y="{:.1}" width="{}" height="{}" rx="4"/><text class="node-label" x="{}" y="{:.1}">{}</text>"#,
        row::SELF_X,
        centre - row::BOX / 2.0,
        row::SELF_WIDTH,
        row::BOX,
        row::SELF_X + 8.0,
        centre + 4.0,
        escape(&clip(title, 26)),
    )
    .ok()?;

    let edge_start = row::SELF_X + row::SELF_WIDTH;
    let bend = (edge_start + row::OTHER_X) / 2.0;
    for (n, relation) in entry.relations.iter().enumerate() {
        let top = other_box_top(n);
        let y = top + row::BOX / 2.0;
        let kind = &catalogue.classification.relations[relation.kind];
        let label = kind.side_label_in(relation.inverse, language);
        let other = catalogue.title_in(relation.other, language);
        let url = format!("{root}{}", views.link(relation.other).url);
        write!(
            svg,
            r#"<path class="edge" d="M{edge_start} {centre:.1} C {bend} {centre:.1}, {bend} {y:.1}, {} {y:.1}"/><text class="edge-label" x="{}" y="{:.1}">{}</text>"#,
            row::OTHER_X,
            row::OTHER_X + 2.0,
            top - row::LABEL_BAND + row::LABEL_BASELINE,
            escape(&clip(label, 44)),
        )
        .ok()?;
        write!(
            svg,
            r#"<a href="{}"><title>{}</title><rect class="node" x="{}" y="{top:.1}" width="{}" height="{}" rx="4"/><text class="node-label" x="{}" y="{:.1}">{}</text></a>"#,
            escape(&url),
            escape(other),
            row::OTHER_X,
            row::OTHER_WIDTH,
            row::BOX,
            row::OTHER_X + 8.0,
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
    fn relation_labels_have_a_band_of_their_own() {
        // A label of 11-pixel text reaches about 12 pixels above its baseline
        // and 4 below; its band must clear the boxes above and below it.
        for n in 1..50 {
            let baseline = other_box_top(n) - row::LABEL_BAND + row::LABEL_BASELINE;
            assert!(baseline - 12.0 > other_box_top(n - 1) + row::BOX, "row {n}");
            assert!(baseline + 4.0 < other_box_top(n), "row {n}");
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<b>"A" & 'B'</b>"#),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
        );
        assert_eq!(clip("Convention on Temporary Admission", 12), "Convention…");
    }
}
