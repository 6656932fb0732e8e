//! The single-page HTML edition: the same structure and numbers as the PDF
//! in one self-contained file, with its stylesheet (screen and print)
//! embedded.
//!
//! Every id of an entry's body is namespaced by the entry (`<id>--<heading>`,
//! `<id>--fn-<note>`), so two entries with a `## Scope` or a `[^1]` do not
//! collide; a link to another entry becomes a link to its place in this page;
//! a link to a file resolves from this page's folder to where the site keeps
//! it. The edition's own ids start with `_`, which no entry id can.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::markdown::{self, LinkTarget, Outline, slug};
use crate::render::context::instrument_url;

use super::plan::{Plan, Value};
use super::{Imprint, MARKDOWN_OPTIONS};
pub use crate::html_text::escape;

/// The stylesheet of the HTML edition. The print rules use CSS paged media
/// (page counters and running heads), which print engines such as
/// WeasyPrint honour and browsers partly do.
const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #555; --rule: #999; --accent: #1d3f72; }
body { font-family: "Libertinus Serif", "Linux Libertine O", Georgia, serif; color: var(--ink);
  max-width: 44rem; margin: 0 auto; padding: 1rem 1.25rem 4rem; line-height: 1.5; }
a { color: var(--accent); }
.title-page { text-align: center; padding: 18vh 0 12vh; }
.title-page h1 { font-size: 2.2rem; margin: 0 0 1rem; }
.imprint dl, dl.metadata { display: grid; grid-template-columns: 11em 1fr; gap: .3em 1em; }
.imprint dt, dl.metadata dt { font-weight: bold; }
dl.metadata { border-block: 1px solid var(--rule); padding: .6em 0; margin: 0 0 1.2em; }
dd { margin: 0; overflow-wrap: anywhere; }
.number { margin-right: .6em; }
nav ol { list-style: none; padding-left: 1.2em; }
nav > ol { padding-left: 0; }
.footnote-definition { font-size: .9em; }
.footnote-definition sup { margin-right: .4em; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .2em .6em .2em 0; }
.index li { list-style: none; }
.index ul { padding-left: 0; }
@media print {
  @page { size: A4; margin: 2.6cm 2.3cm 2.4cm;
    @top-center { content: string(chapter); font-style: italic; font-size: 8.5pt; }
    @bottom-center { content: counter(page); font-size: 9pt; } }
  @page :first { @top-center { content: none; } @bottom-center { content: none; } }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  .title-page { break-after: page; padding: 30% 0 0; }
  .imprint, #_contents, .free-page, .changes, .part, .annexes { break-before: page; }
  .chapter > h2, .annexes h2 { string-set: chapter content(); }
  h1, h2, h3, h4, h5 { break-after: avoid; }
  dl.metadata, tr, .index li { break-inside: avoid; }
  nav a::after, .index a::after { content: leader(".") target-counter(attr(href), page); }
}
"#;

/// Write the HTML edition.
pub fn render(plan: &Plan<'_>, imprint: &Imprint) -> String {
    let mut out = String::with_capacity(plan.catalogue.entries.len() * 8000 + 8000);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}@media print {{\n  .xref::after \
         {{ content: \", {}\\a0\" target-counter(attr(href), page); }}\n}}\n</style>\n\
         </head>\n<body>\n",
        escape(&plan.language),
        escape(&imprint.title),
        plan.words.page,
    );
    title_page(&mut out, plan, imprint);
    contents(&mut out, plan);
    pages(&mut out, plan);
    changes(&mut out, plan);
    parts(&mut out, plan);
    annexes(&mut out, plan);
    out.push_str("</body>\n</html>\n");
    out
}

fn title_page(out: &mut String, plan: &Plan<'_>, imprint: &Imprint) {
    let edition = &plan.catalogue.config.edition;
    let _ = writeln!(
        out,
        "<header class=\"title-page\" id=\"_title\">\n<h1>{}</h1>",
        escape(&imprint.title)
    );
    if let Some(number) = edition.number {
        let _ = writeln!(out, "<p class=\"edition\">{} {number}</p>", escape(plan.words.edition));
    }
    if let Some(date) = &imprint.edition_date {
        let _ = writeln!(out, "<p class=\"date\">{}</p>", escape(date));
    }
    if let Some(publisher) = &edition.publisher {
        let _ = writeln!(out, "<p class=\"publisher\">{}</p>", escape(publisher));
    }
    out.push_str("</header>\n");

    let _ = writeln!(
        out,
        "<section class=\"imprint\" id=\"_imprint\">\n<h2>{}</h2>\n<dl>",
        escape(plan.words.imprint)
    );
    for (label, value) in imprint.lines(plan) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(&label), escape(&value));
    }
    out.push_str("</dl>\n</section>\n");
}

fn contents(out: &mut String, plan: &Plan<'_>) {
    let words = plan.words;
    let _ = writeln!(out, "<nav id=\"_contents\">\n<h2>{}</h2>\n<ol>", escape(words.contents));
    for page in plan.pages() {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&page.page.id),
            escape(&page.page.title)
        );
    }
    if plan.changes.is_some() {
        let _ = writeln!(out, "<li><a href=\"#_changes\">{}</a></li>", escape(words.changes));
    }
    for part in &plan.parts {
        let _ = writeln!(
            out,
            "<li><a href=\"#_part-{n}\">{} {n} {}</a>\n<ol>",
            escape(words.part),
            escape(plan.part_title(part)),
            n = part.number,
        );
        for chapter in &part.chapters {
            let _ = writeln!(
                out,
                "<li><a href=\"#_chapter-{p}-{c}\">{p}.{c} {}</a>\n<ol>",
                escape(plan.chapter_title(chapter)),
                p = part.number,
                c = chapter.number,
            );
            for &entry in &chapter.entries {
                let id = &plan.catalogue.entries[entry].instrument.id.value;
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\"><span class=\"number\">{}</span>{}</a></li>",
                    escape(id),
                    escape(plan.number(entry).unwrap_or_default()),
                    escape(&plan.text(entry).instrument.title.value),
                );
            }
            out.push_str("</ol></li>\n");
        }
        out.push_str("</ol></li>\n");
    }
    let _ = writeln!(
        out,
        "<li><a href=\"#_annexes\">{}</a>\n<ol>\n<li><a href=\"#_chronology\">{}</a></li>\n\
         <li><a href=\"#_subjects\">{}</a></li>\n<li><a href=\"#_titles\">{}</a></li>\n</ol></li>",
        escape(words.annexes),
        escape(words.chronology),
        escape(words.subject_index),
        escape(words.title_index),
    );
    out.push_str("</ol>\n</nav>\n");
}

fn pages(out: &mut String, plan: &Plan<'_>) {
    for page in plan.pages() {
        let id = &page.page.id;
        let _ = writeln!(
            out,
            "<section class=\"free-page\" id=\"{}\">\n<h1>{}</h1>",
            escape(id),
            escape(&page.page.title)
        );
        let body =
            Body { markdown: page.page.markdown(), outline: &page.outline, prefix: id, level: 2 };
        out.push_str(&body_html(plan, body, &format!("../{id}/")));
        out.push_str("</section>\n");
    }
}

/// The chapter of changes: the instruments added (with their numbers),
/// removed (with their ids) and changed (with the fields that changed).
fn changes(out: &mut String, plan: &Plan<'_>) {
    let Some(changes) = plan.changes else { return };
    let words = plan.words;
    let _ = writeln!(
        out,
        "<section class=\"changes\" id=\"_changes\">\n<h1>{}</h1>\n<p>{}</p>",
        escape(words.changes),
        escape(&changes.baseline.describe(plan)),
    );
    if changes.added.is_empty() && changes.removed.is_empty() && changes.changed.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(words.unchanged));
    }
    let entry = |id: &str| plan.catalogue.index_of(id).filter(|&e| plan.number(e).is_some());

    if !changes.added.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>\n<ul>", escape(words.added));
        for id in &changes.added {
            match entry(id) {
                Some(index) => index_line(out, plan, plan.text(index).display_title(), index),
                None => {
                    let _ = writeln!(out, "<li>{}</li>", escape(id));
                }
            }
        }
        out.push_str("</ul>\n");
    }
    if !changes.removed.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>\n<ul>", escape(words.removed));
        for removed in &changes.removed {
            let _ = writeln!(out, "<li>{} ({})</li>", escape(&removed.title), escape(&removed.id));
        }
        out.push_str("</ul>\n");
    }
    if !changes.changed.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>", escape(words.changed));
        for changed in &changes.changed {
            let heading = match entry(&changed.id) {
                Some(index) => format!(
                    "<span class=\"number\">{}</span><a href=\"#{}\">{}</a>",
                    escape(plan.number(index).unwrap_or_default()),
                    escape(&changed.id),
                    escape(&plan.text(index).instrument.title.value),
                ),
                None => escape(&changed.id),
            };
            let _ = writeln!(out, "<h3>{heading}</h3>\n<dl class=\"metadata\">");
            for field in &changed.fields {
                let (label, value) = super::changes::describe(plan, field);
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(&label), escape(&value));
            }
            out.push_str("</dl>\n");
        }
    }
    out.push_str("</section>\n");
}

fn parts(out: &mut String, plan: &Plan<'_>) {
    for part in &plan.parts {
        let _ = writeln!(
            out,
            "<section class=\"part\" id=\"_part-{n}\">\n<h1>{} {n} {}</h1>",
            escape(plan.words.part),
            escape(plan.part_title(part)),
            n = part.number,
        );
        for chapter in &part.chapters {
            let _ = writeln!(
                out,
                "<section class=\"chapter\" id=\"_chapter-{p}-{c}\">\n<h2>{p}.{c} {}</h2>",
                escape(plan.chapter_title(chapter)),
                p = part.number,
                c = chapter.number,
            );
            for &entry in &chapter.entries {
                write_entry(out, plan, entry);
            }
            out.push_str("</section>\n");
        }
        out.push_str("</section>\n");
    }
}

fn write_entry(out: &mut String, plan: &Plan<'_>, entry: usize) {
    let text = plan.text(entry);
    let id = &plan.catalogue.entries[entry].instrument.id.value;
    let _ = writeln!(
        out,
        "<article class=\"entry\" id=\"{}\">\n<h3><span class=\"number\">{}</span>{}</h3>\n\
         <dl class=\"metadata\">",
        escape(id),
        escape(plan.number(entry).unwrap_or_default()),
        escape(&text.instrument.title.value),
    );
    for field in plan.fields(entry) {
        let value = match field.value {
            Value::Text(text) => escape(&text),
            Value::Url(url) => format!("<a href=\"{0}\">{0}</a>", escape(&url)),
            Value::Entries(list) => {
                list.iter().map(|&other| reference(plan, other)).collect::<Vec<_>>().join("; ")
            }
        };
        let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", escape(&field.label));
    }
    out.push_str("</dl>\n");

    let body =
        Body { markdown: text.instrument.markdown(), outline: text.outline, prefix: id, level: 4 };
    out.push_str(&body_html(plan, body, &format!("../{}", instrument_url(id))));
    out.push_str("</article>\n");
}

/// Another entry named with its number: "Title (see 1.2.7)", to which print
/// adds the page (", p. 41").
fn reference(plan: &Plan<'_>, entry: usize) -> String {
    let id = escape(&plan.catalogue.entries[entry].instrument.id.value);
    format!(
        "<a href=\"#{id}\">{}</a> (<a class=\"xref\" href=\"#{id}\">{} {}</a>)",
        escape(plan.text(entry).display_title()),
        escape(plan.words.see),
        escape(plan.number(entry).unwrap_or_default()),
    )
}

fn annexes(out: &mut String, plan: &Plan<'_>) {
    let words = plan.words;
    let entries = &plan.catalogue.entries;
    let _ = writeln!(
        out,
        "<section class=\"annexes\" id=\"_annexes\">\n<h1>{}</h1>",
        escape(words.annexes)
    );

    let _ = writeln!(
        out,
        "<section id=\"_chronology\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th></tr></thead>\n<tbody>",
        escape(words.chronology),
        escape(words.adopted),
        escape(words.number),
        escape(words.title),
    );
    for entry in plan.chronology() {
        let instrument = &entries[entry].instrument;
        let date = instrument.adopted.as_ref().map_or(words.undated.to_owned(), |d| d.value.iso());
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><a href=\"#{}\">{}</a></td><td>{}</td></tr>",
            escape(&date),
            escape(&instrument.id.value),
            escape(plan.number(entry).unwrap_or_default()),
            escape(plan.text(entry).display_title()),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");

    let _ = writeln!(
        out,
        "<section class=\"index\" id=\"_subjects\">\n<h2>{}</h2>",
        escape(words.subject_index)
    );
    for group in plan.subjects() {
        let level = if group.nested { 4 } else { 3 };
        let _ = writeln!(out, "<h{level}>{}</h{level}>\n<ul>", escape(&group.label));
        for entry in group.entries {
            index_line(out, plan, plan.text(entry).display_title(), entry);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");

    let _ = writeln!(
        out,
        "<section class=\"index\" id=\"_titles\">\n<h2>{}</h2>",
        escape(words.title_index)
    );
    for letter in plan.titles() {
        let _ = writeln!(out, "<h3>{}</h3>\n<ul>", escape(&letter.letter));
        for (title, entry) in letter.items {
            index_line(out, plan, &title, entry);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n</section>\n");
}

fn index_line(out: &mut String, plan: &Plan<'_>, title: &str, entry: usize) {
    let _ = writeln!(
        out,
        "<li>{} <a href=\"#{}\">{}</a></li>",
        escape(title),
        escape(&plan.catalogue.entries[entry].instrument.id.value),
        escape(plan.number(entry).unwrap_or_default()),
    );
}

/// A Markdown body of an entry or page.
struct Body<'a> {
    markdown: &'a str,
    outline: &'a Outline,
    /// The id of the entry or page; every id of the body starts with it.
    prefix: &'a str,
    /// The HTML level of the body's `##` headings.
    level: u8,
}

/// Render a body with namespaced ids and links into this page. `folder` is
/// where the site keeps the entry's page, relative to the edition's folder,
/// for links to files.
fn body_html(plan: &Plan<'_>, body: Body<'_>, folder: &str) -> String {
    let prefix = body.prefix;
    let mut headings = body.outline.headings.iter();
    let rewrite = |destination: CowStr<'_>| -> String {
        let target = markdown::classify(&destination);
        match target {
            LinkTarget::External => destination.into_string(),
            LinkTarget::Unsafe => format!("#{prefix}"),
            LinkTarget::Asset => format!("{folder}{}", destination.trim()),
            LinkTarget::Local { fragment } if body.outline.has_anchor(&fragment) => {
                format!("#{prefix}--{fragment}")
            }
            LinkTarget::Local { .. } => format!("#{prefix}"),
            LinkTarget::Entry { id, fragment } => entry_anchor(plan, &id, fragment.as_deref())
                .unwrap_or_else(|| destination.into_string()),
        }
    };
    let events = Parser::new_ext(body.markdown, MARKDOWN_OPTIONS).map(|event| match event {
        Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
            let id = headings.next().map(|h| CowStr::from(format!("{prefix}--{}", h.id)));
            Event::Start(Tag::Heading { level: shift(level, body.level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level, body.level))),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: rewrite(dest_url).into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: rewrite(dest_url).into(), title, id })
        }
        Event::FootnoteReference(name) => {
            Event::FootnoteReference(format!("{prefix}--fn-{}", slug(&name)).into())
        }
        Event::Start(Tag::FootnoteDefinition(name)) => {
            Event::Start(Tag::FootnoteDefinition(format!("{prefix}--fn-{}", slug(&name)).into()))
        }
        other => other,
    });
    let mut html = String::with_capacity(body.markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if body.outline.has_raw_html && !plan.catalogue.config.allow_raw_html {
        markdown::sanitise(&html)
    } else {
        html
    }
}

/// A body's heading level in the edition: `##` (and `#`) at `base`, the
/// others below it, never past `<h6>`.
fn shift(level: HeadingLevel, base: u8) -> HeadingLevel {
    let shifted = (base + (level as u8).max(2) - 2).min(6);
    HeadingLevel::try_from(usize::from(shifted)).unwrap_or(level)
}

/// The anchor of an entry or page of this edition, and of one of its
/// headings when that heading exists.
fn entry_anchor(plan: &Plan<'_>, id: &str, fragment: Option<&str>) -> Option<String> {
    let outline = match plan.catalogue.index_of(id) {
        Some(index) if plan.number(index).is_some() => plan.text(index).outline,
        Some(_) => return None,
        None => &plan.pages().into_iter().find(|p| p.page.id == id)?.outline,
    };
    Some(match fragment {
        Some(fragment) if outline.has_anchor(fragment) => format!("#{id}--{fragment}"),
        _ => format!("#{id}"),
    })
}
