//! The whole edition as one Typst source: the page setup and helpers, the
//! title page and imprint, the contents, the free pages, a part per category
//! with a chapter per type and the numbered entries, and the three annexes.
//!
//! Every entry carries its id as label; a reference to an entry prints its
//! number and the page its label lands on, which Typst resolves when it lays
//! out the document (`locate` and the page counter at that place).

use std::fmt::Write as _;

use crate::markdown::LinkTarget;

use super::Imprint;
use super::plan::{Plan, Value};
use super::typst::{Body, Destination, Resolve, convert, escape, label, string};

/// The page setup, styles and helpers every edition starts with. `folio-page`
/// prints the page of a label in the numbering of that page; the running
/// head is the last part, chapter or annex heading before the page, and is
/// left out on a page that opens one.
const PREAMBLE: &str = r##"#set page(paper: "a4", margin: (x: 2.3cm, top: 2.6cm, bottom: 2.4cm))
#set par(justify: true)
#set text(size: 10pt)
#show heading: set block(above: 1.5em, below: 0.9em)
#show heading: set par(justify: false)
#show heading: set text(hyphenate: false)
#show heading.where(level: 1): it => { pagebreak(weak: true); set text(size: 19pt); it }
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 11.5pt)
#show heading.where(level: 4): set text(size: 10.5pt)
#show heading.where(level: 5): set text(size: 10pt, style: "italic")
#show link: set text(fill: rgb("#1d3f72"))
#show outline.entry.where(level: 1): set block(above: 1.1em)
#show outline: set heading(bookmarked: true)

#let folio-page(target) = context {
  let place = locate(target)
  let style = place.page-numbering()
  numbering(if style == none { "1" } else { style }, ..counter(page).at(place))
}

#let folio-opening = (
  selector(heading.where(level: 1, outlined: true)).or(heading.where(level: 2, outlined: true))
)

#let folio-head = context {
  let page-here = here().page()
  let opening = query(folio-opening).filter(h => h.location().page() == page-here)
  if opening.len() == 0 {
    let before = query(folio-opening.before(here()))
    if before.len() > 0 {
      set text(size: 8.5pt, style: "italic")
      block(width: 100%, stroke: (bottom: 0.4pt), inset: (bottom: 4pt), before.last().body)
    }
  }
}

#let folio-meta(..rows) = block(
  width: 100%,
  breakable: true,
  stroke: (y: 0.4pt + luma(150)),
  inset: (y: 6pt),
  below: 1.2em,
  grid(columns: (9em, 1fr), column-gutter: 1em, row-gutter: 0.55em, ..rows.pos().flatten()),
)

#let folio-line(body, number, target) = block(above: 0.5em, below: 0.5em)[
  #body #box(width: 1fr, repeat[.~]) #link(target)[#number, #folio-page(target)]
]
"##;

/// Write the Typst source of the edition.
pub fn source(plan: &Plan<'_>, imprint: &Imprint) -> String {
    let mut out = String::with_capacity(plan.catalogue.entries.len() * 6000 + 8000);
    document_settings(&mut out, plan, imprint);
    out.push_str(PREAMBLE);
    helpers(&mut out, plan);
    title_page(&mut out, plan, imprint);
    contents(&mut out, plan);
    pages(&mut out, plan);
    changes(&mut out, plan);
    parts(&mut out, plan);
    annexes(&mut out, plan);
    out
}

fn document_settings(out: &mut String, plan: &Plan<'_>, imprint: &Imprint) {
    let (year, month, day) = imprint.date;
    let _ = writeln!(
        out,
        "#set document(title: {}, date: datetime(year: {year}, month: {month}, day: {day}))",
        string(&imprint.title),
    );
    let _ = writeln!(out, "#set text(lang: {})", string(&plan.language));
}

/// The helpers that need the edition's words.
fn helpers(out: &mut String, plan: &Plan<'_>) {
    let words = plan.words;
    let _ = writeln!(
        out,
        "#let folio-see(target, number) = [(#link(target)[{} #number, {} #folio-page(target)])]",
        escape(words.see),
        escape(words.page),
    );
    let _ = writeln!(
        out,
        "#let folio-see-page(target) = [(#link(target)[{} {} #folio-page(target)])]\n",
        escape(words.see),
        escape(words.page),
    );
}

fn title_page(out: &mut String, plan: &Plan<'_>, imprint: &Imprint) {
    let words = plan.words;
    let edition = &plan.catalogue.config.edition;
    out.push_str("#page(numbering: none)[\n#set par(justify: false)\n#align(center + horizon)[\n");
    let _ = writeln!(out, "#text(size: 26pt, weight: \"bold\")[{}]\n", escape(&imprint.title));
    if let Some(number) = edition.number {
        let _ = writeln!(out, "#v(1.5em)\n#text(size: 14pt)[{} {number}]\n", escape(words.edition));
    }
    if let Some(date) = &imprint.edition_date {
        let _ = writeln!(out, "#text(size: 12pt)[{}]\n", escape(date));
    }
    if let Some(publisher) = &edition.publisher {
        let _ = writeln!(out, "#v(4em)\n#text(size: 12pt)[{}]\n", escape(publisher));
    }
    out.push_str("]\n]\n\n");

    out.push_str("#page(numbering: none)[\n#align(bottom)[\n#set text(size: 9pt)\n");
    let _ = writeln!(out, "#heading(level: 2, outlined: false)[{}]\n", escape(words.imprint));
    let mut rows = Vec::new();
    for (label, value) in imprint.lines(plan) {
        rows.push(format!("[{}], [{}]", escape(&label), escape(&value)));
    }
    let _ = writeln!(out, "#grid(columns: (auto, 1fr), gutter: 0.7em, {})", rows.join(", "));
    out.push_str("]\n]\n\n");
}

fn contents(out: &mut String, plan: &Plan<'_>) {
    out.push_str("#set page(numbering: \"i\", header: folio-head)\n#counter(page).update(1)\n");
    let _ = writeln!(
        out,
        "#outline(title: [{}], depth: 3, indent: auto)\n",
        escape(plan.words.contents)
    );
}

fn pages(out: &mut String, plan: &Plan<'_>) {
    for page in plan.pages() {
        let id = &page.page.id;
        let _ = writeln!(out, "#heading(level: 1)[{}]{}\n", escape(&page.page.title), label(id));
        let body =
            Body { markdown: page.page.markdown(), outline: &page.outline, prefix: id, level: 2 };
        out.push_str(&convert(body, &Links { plan }));
    }
}

/// The chapter of changes: the instruments added (with their numbers and
/// pages), removed (with their ids) and changed (with the fields that
/// changed).
fn changes(out: &mut String, plan: &Plan<'_>) {
    let Some(changes) = plan.changes else { return };
    let words = plan.words;
    let _ = writeln!(out, "#heading(level: 1)[{}]\n", escape(words.changes));
    let _ = writeln!(out, "{}\n", escape(&changes.baseline.describe(plan)));
    if changes.added.is_empty() && changes.removed.is_empty() && changes.changed.is_empty() {
        let _ = writeln!(out, "{}\n", escape(words.unchanged));
    }
    let entry = |id: &str| plan.catalogue.index_of(id).filter(|&e| plan.number(e).is_some());

    if !changes.added.is_empty() {
        let _ = writeln!(out, "#heading(level: 2)[{}]\n", escape(words.added));
        for id in &changes.added {
            match entry(id) {
                Some(index) => index_line(out, plan, plan.text(index).display_title(), index),
                None => {
                    let _ = writeln!(out, "{}\n", escape(id));
                }
            }
        }
    }
    if !changes.removed.is_empty() {
        let _ = writeln!(out, "\n#heading(level: 2)[{}]\n", escape(words.removed));
        let items: Vec<String> = changes
            .removed
            .iter()
            .map(|r| format!("[{} ({})]", escape(&r.title), escape(&r.id)))
            .collect();
        let _ = writeln!(out, "#list({})\n", items.join(", "));
    }
    if !changes.changed.is_empty() {
        let _ = writeln!(out, "#heading(level: 2)[{}]\n", escape(words.changed));
        for changed in &changes.changed {
            let heading = match entry(&changed.id) {
                Some(index) => format!(
                    "{}#h(0.6em){}",
                    escape(plan.number(index).unwrap_or_default()),
                    reference(plan, index)
                ),
                None => escape(&changed.id),
            };
            let _ = writeln!(out, "#block(above: 1.2em, below: 0.5em, strong[{heading}])");
            let rows: Vec<String> = changed
                .fields
                .iter()
                .map(|field| {
                    let (label, value) = super::changes::describe(plan, field);
                    format!("([#strong[{}]], [{}])", escape(&label), escape(&value))
                })
                .collect();
            let _ = writeln!(out, "#folio-meta({})\n", rows.join(", "));
        }
    }
}

fn parts(out: &mut String, plan: &Plan<'_>) {
    out.push_str("#set page(numbering: \"1\")\n#counter(page).update(1)\n\n");
    for part in &plan.parts {
        let _ = writeln!(
            out,
            "#heading(level: 1)[{} {}#h(0.6em){}]\n",
            escape(plan.words.part),
            part.number,
            escape(plan.part_title(part)),
        );
        for chapter in &part.chapters {
            let _ = writeln!(
                out,
                "#heading(level: 2)[{}.{}#h(0.6em){}]\n",
                part.number,
                chapter.number,
                escape(plan.chapter_title(chapter)),
            );
            for &entry in &chapter.entries {
                write_entry(out, plan, entry);
            }
        }
    }
}

fn write_entry(out: &mut String, plan: &Plan<'_>, entry: usize) {
    let text = plan.text(entry);
    let id = &plan.catalogue.entries[entry].instrument.id.value;
    let number = plan.number(entry).unwrap_or_default();
    let _ = writeln!(
        out,
        "#heading(level: 3)[{}#h(0.6em){}]{}\n",
        escape(number),
        escape(&text.instrument.title.value),
        label(id),
    );

    let rows: Vec<String> = plan
        .fields(entry)
        .into_iter()
        .map(|field| {
            let value = match field.value {
                Value::Text(text) => escape(&text),
                Value::Url(url) => format!("#link({})", string(&url)),
                Value::Entries(list) => list
                    .iter()
                    .map(|&other| reference(plan, other))
                    .collect::<Vec<_>>()
                    .join("\\; "),
            };
            format!("([#strong[{}]], [{value}])", escape(&field.label))
        })
        .collect();
    let _ = writeln!(out, "#folio-meta({})\n", rows.join(", "));

    let body =
        Body { markdown: text.instrument.markdown(), outline: text.outline, prefix: id, level: 4 };
    out.push_str(&convert(body, &Links { plan }));
}

/// Another entry named with its number and page: "Title (see 1.2.7, p. 41)".
fn reference(plan: &Plan<'_>, entry: usize) -> String {
    let id = &plan.catalogue.entries[entry].instrument.id.value;
    let number = plan.number(entry).unwrap_or_default();
    format!(
        "{} #folio-see(label({}), {})",
        escape(plan.text(entry).display_title()),
        string(id),
        string(number),
    )
}

fn annexes(out: &mut String, plan: &Plan<'_>) {
    let words = plan.words;
    let _ = writeln!(out, "#heading(level: 1)[{}]\n", escape(words.annexes));

    let _ = writeln!(out, "#heading(level: 2)[{}]\n", escape(words.chronology));
    let _ = writeln!(
        out,
        "#table(columns: (auto, auto, 1fr, auto), stroke: none, inset: (x: 4pt, y: 3pt), \
         table.header([*{}*], [*{}*], [*{}*], [*{}*]),",
        escape(words.adopted),
        escape(words.number),
        escape(words.title),
        escape(words.page),
    );
    for entry in plan.chronology() {
        let instrument = &plan.catalogue.entries[entry].instrument;
        let date = instrument.adopted.as_ref().map_or(words.undated.to_owned(), |d| d.value.iso());
        let _ = writeln!(
            out,
            "[{}], [{}], [{}], [#folio-page(label({}))],",
            escape(&date),
            escape(plan.number(entry).unwrap_or_default()),
            escape(plan.text(entry).display_title()),
            string(&instrument.id.value),
        );
    }
    out.push_str(")\n\n");

    let _ = writeln!(out, "#heading(level: 2)[{}]\n", escape(words.subject_index));
    for group in plan.subjects() {
        let level = if group.nested { 4 } else { 3 };
        let _ =
            writeln!(out, "#heading(level: {level}, outlined: false)[{}]\n", escape(&group.label));
        for entry in group.entries {
            index_line(out, plan, plan.text(entry).display_title(), entry);
        }
    }

    let _ = writeln!(out, "#heading(level: 2)[{}]\n", escape(words.title_index));
    for letter in plan.titles() {
        let _ = writeln!(out, "#heading(level: 3, outlined: false)[{}]\n", escape(&letter.letter));
        for (title, entry) in letter.items {
            index_line(out, plan, &title, entry);
        }
    }
}

/// One line of an index: the title, dot leaders, the number and page.
fn index_line(out: &mut String, plan: &Plan<'_>, title: &str, entry: usize) {
    let id = &plan.catalogue.entries[entry].instrument.id.value;
    let _ = writeln!(
        out,
        "#folio-line([{}], {}, label({}))",
        escape(title),
        string(plan.number(entry).unwrap_or_default()),
        string(id),
    );
}

/// Where the links of one body lead in the PDF.
struct Links<'p, 'a> {
    plan: &'p Plan<'a>,
}

impl Resolve for Links<'_, '_> {
    fn resolve(&self, destination: &str, target: &LinkTarget) -> Destination {
        let catalogue = self.plan.catalogue;
        match target {
            LinkTarget::External => Destination::External(destination.trim().to_owned()),
            LinkTarget::Unsafe | LinkTarget::Asset | LinkTarget::Local { .. } => Destination::Text,
            LinkTarget::Entry { id, fragment } => {
                if let Some(index) = catalogue.index_of(id)
                    && let Some(number) = self.plan.number(index)
                {
                    let outline = self.plan.text(index).outline;
                    let label = match fragment {
                        Some(f) if outline.has_anchor(f) => format!("{id}--{f}"),
                        _ => id.clone(),
                    };
                    let note = format!("#folio-see(label({}), {})", string(&label), string(number));
                    Destination::Internal { label, note: Some(note) }
                } else if catalogue.page(id).is_some() {
                    let note = format!("#folio-see-page(label({}))", string(id));
                    Destination::Internal { label: id.clone(), note: Some(note) }
                } else {
                    Destination::Text
                }
            }
        }
    }
}
