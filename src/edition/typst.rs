//! Markdown to Typst markup, over pulldown-cmark's events.
//!
//! Text is escaped character by character, so no text of a body can start
//! markup, code, a comment, a label, a reference or a URL; everything folio
//! writes itself uses function syntax (`#emph[…]`, `#link(…)[…]`), never
//! delimiters that depend on the characters around them. Headings get labels
//! namespaced by their entry (`<id>--<heading>`), as in the HTML edition.
//! Footnotes are collected in the same pass and set where they are first
//! referenced. Raw HTML has no place in print and is left out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::markdown::{LinkTarget, Outline, classify, slug};

use super::MARKDOWN_OPTIONS;

/// Characters that start markup somewhere in Typst's markup mode: strong,
/// emphasis, math, references, labels, raw text, content blocks, shorthands
/// (`~`, `--`, `...`), comments and URLs (`//`), headings, list and term
/// markers; and `(` and `;`, which would continue or end a function call
/// written just before.
const SPECIAL: &[char] = &[
    '\\', '#', '*', '_', '$', '@', '<', '>', '`', '[', ']', '~', '/', '=', '-', '+', '.', '(', ';',
];

/// The placeholder folio writes for a footnote reference until the notes are
/// known; body text can never contain it, as `escape` writes these characters
/// as escapes.
const NOTE_OPEN: char = '\u{E000}';
const NOTE_CLOSE: char = '\u{E001}';

/// Escape text for Typst markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            NOTE_OPEN | NOTE_CLOSE => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Typst string literal holding `text`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Attach a label to the element just written: `label` may hold any text.
pub fn label(name: &str) -> String {
    format!("#label({})", string(name))
}

/// Where a link of a body leads in the edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Another site: the address.
    External(String),
    /// A labelled place of the edition, with markup to set after the link
    /// text ("(see 1.2.7, p. 41)").
    Internal {
        /// The label.
        label: String,
        /// Typst markup after the link, if any.
        note: Option<String>,
    },
    /// Nowhere in print: the text stays, the link goes.
    Text,
}

/// Chooses where each link of a body leads.
pub trait Resolve {
    /// The destination of a link written as `destination`, which points
    /// at `target`; never asked for links within the body itself.
    fn resolve(&self, destination: &str, target: &LinkTarget) -> Destination;
}

/// A Markdown body to convert.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// The Markdown.
    pub markdown: &'a str,
    /// Its outline: the heading ids, in order.
    pub outline: &'a Outline,
    /// The label of the entry or page that holds it; heading and footnote
    /// labels are `<prefix>--<id>`.
    pub prefix: &'a str,
    /// The Typst heading level of the body's `##` headings (a body's `#`
    /// sets at the same level).
    pub level: u8,
}

/// An open element whose closing depends on what opened it.
#[derive(Debug)]
enum Open {
    Link(Option<String>),
    Heading(String),
    Plain,
}

/// The converter's state for one body.
struct Writer<'a, 'r> {
    body: Body<'a>,
    resolve: &'r dyn Resolve,
    out: String,
    /// The output set aside while a footnote definition is written, with
    /// the footnote's name.
    saved: Vec<(String, String)>,
    notes: BTreeMap<String, String>,
    references: Vec<String>,
    open: Vec<Open>,
    headings: std::slice::Iter<'a, crate::markdown::Heading>,
    code: Option<(String, String)>,
}

/// Convert a Markdown body to Typst markup.
pub fn convert(body: Body<'_>, resolve: &dyn Resolve) -> String {
    let mut writer = Writer {
        body,
        resolve,
        out: String::with_capacity(body.markdown.len() * 5 / 4),
        saved: Vec::new(),
        notes: BTreeMap::new(),
        references: Vec::new(),
        open: Vec::new(),
        headings: body.outline.headings.iter(),
        code: None,
    };
    for event in Parser::new_ext(body.markdown, MARKDOWN_OPTIONS) {
        writer.event(event);
    }
    writer.finish()
}

impl Writer<'_, '_> {
    fn event(&mut self, event: Event<'_>) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = self.code.take().expect("inside a code block");
                    let lang = if lang.is_empty() {
                        String::new()
                    } else {
                        format!("lang: {}, ", string(&lang))
                    };
                    let _ = write!(self.out, "#raw(block: true, {lang}{})\n\n", string(&code));
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.out.push_str(&escape(&text)),
            Event::Code(code) => {
                let _ = write!(self.out, "#raw({})", string(&code));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("\\\n"),
            Event::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Event::FootnoteReference(name) => {
                let _ = write!(self.out, "{NOTE_OPEN}{}{NOTE_CLOSE}", self.references.len());
                self.references.push(name.into_string());
            }
            Event::TaskListMarker(done) => self.out.push_str(if done { "☒ " } else { "☐ " }),
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let level = (self.body.level + (level as u8).max(2) - 2).min(6);
                let id = self.headings.next().map_or_else(String::new, |h| h.id.clone());
                let _ = write!(
                    self.out,
                    "#heading(level: {level}, outlined: false, bookmarked: false)["
                );
                self.open.push(Open::Heading(id));
            }
            Tag::BlockQuote(_) => self.out.push_str("#quote(block: true)["),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(None) => self.out.push_str("#list("),
            Tag::List(Some(start)) => {
                let _ = write!(self.out, "#enum(start: {start}, ");
            }
            Tag::Item | Tag::TableCell => self.out.push('['),
            Tag::FootnoteDefinition(name) => {
                self.saved.push((name.into_string(), std::mem::take(&mut self.out)));
            }
            Tag::Table(alignments) => {
                let align: Vec<&str> = alignments.iter().map(alignment).collect();
                let _ = write!(
                    self.out,
                    "#table(columns: {}, align: ({},), ",
                    alignments.len(),
                    align.join(", ")
                );
            }
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Link { dest_url, .. } => self.link(&dest_url),
            Tag::Image { .. } => {
                self.out.push_str("#emph[");
                self.open.push(Open::Plain);
            }
            _ => {}
        }
    }

    /// Open a link: a heading of this body is labelled here, anything else
    /// is for the resolver to place.
    fn link(&mut self, destination: &str) {
        let target = classify(destination);
        let destination = match &target {
            LinkTarget::Local { fragment } if self.body.outline.has_anchor(fragment) => {
                let label = format!("{}--{fragment}", self.body.prefix);
                Destination::Internal { label, note: None }
            }
            LinkTarget::Local { .. } => Destination::Text,
            _ => self.resolve.resolve(destination, &target),
        };
        match destination {
            Destination::External(url) => {
                let _ = write!(self.out, "#link({})[", string(&url));
                self.open.push(Open::Link(None));
            }
            Destination::Internal { label, note } => {
                let _ = write!(self.out, "#link(label({}))[", string(&label));
                self.open.push(Open::Link(note));
            }
            Destination::Text => self.open.push(Open::Plain),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.out.push_str("\n\n"),
            TagEnd::Heading(_) => {
                let id = match self.open.pop() {
                    Some(Open::Heading(id)) => id,
                    _ => String::new(),
                };
                self.out.push(']');
                if !id.is_empty() {
                    self.out.push_str(&label(&format!("{}--{id}", self.body.prefix)));
                }
                self.out.push_str("\n\n");
            }
            TagEnd::BlockQuote(_) => self.out.push_str("]\n\n"),
            TagEnd::List(_) => self.out.push_str(")\n\n"),
            TagEnd::Item | TagEnd::TableCell => self.out.push_str("], "),
            TagEnd::FootnoteDefinition => {
                let (name, before) = self.saved.pop().unwrap_or_default();
                let note = std::mem::replace(&mut self.out, before);
                self.notes.entry(name).or_insert_with(|| note.trim().to_owned());
            }
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.out.push(']'),
            TagEnd::Link => {
                if let Some(Open::Link(note)) = self.open.pop() {
                    self.out.push(']');
                    if let Some(note) = note {
                        self.out.push(' ');
                        self.out.push_str(&note);
                    }
                }
            }
            TagEnd::Image => {
                self.open.pop();
                self.out.push(']');
            }
            _ => {}
        }
    }

    /// Set each footnote where it is first referenced; later references
    /// point to it. Twice, for the references inside notes.
    fn finish(self) -> String {
        let mut seen = vec![false; self.references.len()];
        let once = self.place_notes(&self.out, &mut seen);
        self.place_notes(&once, &mut seen)
    }

    fn place_notes(&self, text: &str, seen: &mut [bool]) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find(NOTE_OPEN) {
            out.push_str(&rest[..open]);
            rest = &rest[open + NOTE_OPEN.len_utf8()..];
            let close = rest.find(NOTE_CLOSE).unwrap_or(rest.len());
            let reference: usize = rest[..close].parse().unwrap_or(usize::MAX);
            rest = rest.get(close + NOTE_CLOSE.len_utf8()..).unwrap_or("");

            let Some(name) = self.references.get(reference) else { continue };
            let Some(note) = self.notes.get(name) else { continue };
            let name_label = format!("{}--fn-{}", self.body.prefix, slug(name));
            let first = self.references.iter().position(|n| n == name) == Some(reference);
            if first && !seen[reference] {
                seen[reference] = true;
                let _ = write!(out, "#footnote[{note}]{}", label(&name_label));
            } else {
                let _ = write!(out, "#footnote(label({}))", string(&name_label));
            }
        }
        out.push_str(rest);
        out
    }
}

fn alignment(alignment: &Alignment) -> &'static str {
    match alignment {
        Alignment::None | Alignment::Left => "left",
        Alignment::Center => "center",
        Alignment::Right => "right",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::outline;

    struct Links;

    impl Resolve for Links {
        fn resolve(&self, destination: &str, target: &LinkTarget) -> Destination {
            match target {
                LinkTarget::Entry { id, .. } => Destination::Internal {
                    label: id.clone(),
                    note: Some(format!("#see({})", string(id))),
                },
                LinkTarget::External => Destination::External(destination.to_owned()),
                _ => Destination::Text,
            }
        }
    }

    fn typst(markdown: &str) -> String {
        let outline = outline(markdown, 0);
        convert(Body { markdown, outline: &outline, prefix: "a", level: 4 }, &Links)
    }

    #[test]
    fn every_markup_character_is_escaped() {
        let text = r"#x *y* _z_ $m$ @r <l> `c` [b] ~ // = - + 1. (p) \";
        let escaped = escape(text);
        for c in SPECIAL {
            let bare = escaped
                .char_indices()
                .any(|(i, found)| found == *c && (i == 0 || !escaped[..i].ends_with('\\')));
            assert!(!bare || *c == '\\', "`{c}` is not escaped in {escaped}");
        }
        assert_eq!(escape("a\\b"), "a\\\\b");
        assert_eq!(escape("\u{E000}"), "\\u{e000}");
    }

    #[test]
    fn strings_are_typst_literals() {
        assert_eq!(string("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"");
    }

    #[test]
    fn headings_are_labelled_by_entry() {
        let out = typst("## Scope\n\nText.\n\n### Scope\n");
        let heading = "outlined: false, bookmarked: false)[Scope]#label";
        assert!(out.contains(&format!("#heading(level: 4, {heading}(\"a--scope\")")), "{out}");
        assert!(out.contains(&format!("#heading(level: 5, {heading}(\"a--scope-1\")")), "{out}");
    }

    #[test]
    fn links_lead_to_labels_with_their_note() {
        let out = typst("See [the other](b-1990#scope) and [a site](https://x.org/a_b).\n");
        assert!(out.contains("#link(label(\"b-1990\"))[the other] #see(\"b-1990\")"), "{out}");
        assert!(out.contains("#link(\"https://x.org/a_b\")[a site]"), "{out}");
    }

    #[test]
    fn footnotes_are_set_where_first_referenced() {
        let out = typst("One.[^n] Two.[^n]\n\n[^n]: The *note*.\n");
        assert!(out.contains("One\\.#footnote[The #emph[note]\\.]#label(\"a--fn-n\")"), "{out}");
        assert!(out.contains("Two\\.#footnote(label(\"a--fn-n\"))"), "{out}");
        assert!(!out.contains(NOTE_OPEN), "{out}");
    }

    #[test]
    fn lists_tables_and_code_use_function_syntax() {
        let out = typst(
            "- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```rust\nlet x = \"y\";\n```\n",
        );
        assert!(out.contains("#list([one], [two], )"), "{out}");
        assert!(
            out.contains(
                "#table(columns: 2, align: (left, right,), table.header([a], [b], ), [1], [2], )"
            ),
            "{out}"
        );
        assert!(
            out.contains("#raw(block: true, lang: \"rust\", \"let x = \\\"y\\\";\\n\")"),
            "{out}"
        );
    }
}
