//! Markdown bodies: one pass finds headings (with their ids) and links, a
//! second renders HTML with instrument links rewritten to relative URLs.
//!
//! Heading ids follow one rule everywhere (contents lists, links, the anchor
//! check): NFC, lowercase, letters and digits of any script kept, every other
//! run of characters one `-`. Duplicates get `-1`, `-2`, … checked against
//! every id already on the page, including the ids the page template uses.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

use crate::source::Span;

/// Ids the page templates use; a heading never takes one of them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "site-header",
    "site-nav",
    "site-search-q",
    "site-footer",
    "metadata",
    "contents",
    "relations",
    "referenced-by",
    "cite",
    "timeline",
    "parties",
    "q",
    "results",
    "in-force",
    "changes",
];

/// A heading of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    /// Its unique id on the page.
    pub id: String,
}

/// What a link in a body points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another site, or an absolute path.
    External,
    /// A `javascript:`, `vbscript:` or `data:` URL.
    Unsafe,
    /// A file that is not an entry (`form.pdf`).
    Asset,
    /// A heading of the same page.
    Local {
        /// The heading id, decoded.
        fragment: String,
    },
    /// An instrument or free page by its id.
    Entry {
        /// The id.
        id: String,
        /// A heading id of the target, decoded.
        fragment: Option<String>,
    },
}

/// A link of a body.
#[derive(Debug, Clone)]
pub struct Link {
    /// The destination as written.
    pub destination: String,
    /// Where it stands in the file.
    pub span: Span,
    /// What it points at.
    pub target: LinkTarget,
}

/// What the first pass finds in a body.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Headings in order, with ids.
    pub headings: Vec<Heading>,
    /// Links and images in order.
    pub links: Vec<Link>,
    /// Whether the body holds raw HTML.
    pub has_raw_html: bool,
    /// The text without markup, for the search index.
    pub plain_text: String,
    /// The text of the first paragraph, for descriptions.
    pub summary: String,
}

impl Outline {
    /// Whether the page has a heading with this id.
    pub fn has_anchor(&self, fragment: &str) -> bool {
        let fragment = normalise_fragment(fragment);
        self.headings.iter().any(|h| h.id == fragment)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Find the headings and links of `markdown`, which starts at byte `offset`
/// of its file.
pub fn outline(markdown: &str, offset: usize) -> Outline {
    let mut outline = Outline::default();
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|&id| id.to_owned()).collect();
    used.extend(written_ids(markdown));
    let mut heading: Option<(u8, Option<String>, String)> = None;
    let mut paragraphs = 0;
    let mut in_summary = false;
    crate::work::count(crate::work::Work::Outlines);

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level_number(level), id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = heading.take() {
                    let base = explicit.unwrap_or_else(|| slug(&text));
                    let id = unique(&base, &mut used);
                    outline.headings.push(Heading { level, text: text.trim().to_owned(), id });
                }
                outline.plain_text.push('\n');
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let span = Span::new(offset + range.start, offset + range.end);
                outline.links.push(Link {
                    target: classify(&dest_url),
                    destination: dest_url.into_string(),
                    span,
                });
            }
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                in_summary = paragraphs == 1;
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading_text)) = &mut heading {
                    heading_text.push_str(&text);
                } else if in_summary {
                    outline.summary.push_str(&text);
                }
                outline.plain_text.push_str(&text);
            }
            Event::Html(_) | Event::InlineHtml(_) => outline.has_raw_html = true,
            Event::SoftBreak | Event::HardBreak => {
                if in_summary {
                    outline.summary.push(' ');
                }
                outline.plain_text.push(' ');
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                in_summary = false;
                outline.plain_text.push(' ');
            }
            _ => {}
        }
    }
    outline
}

/// The ids a body sets itself, which headings must not take: those of raw
/// HTML elements, and the footnotes'.
fn written_ids(markdown: &str) -> Vec<String> {
    if !markdown.contains("id=") && !markdown.contains("[^") {
        return Vec::new();
    }
    let mut ids = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => ids.extend(html_ids(&html)),
            Event::Start(Tag::FootnoteDefinition(name)) => ids.push(footnote_id(&name)),
            _ => {}
        }
    }
    ids
}

/// The values of the `id` attributes in a piece of HTML, found by a plain
/// scan; the sanitiser drops any that a page holds twice.
fn html_ids(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut ids = Vec::new();
    for (at, _) in lower.match_indices("id=") {
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = &html[at + 3..];
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next(),
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
        };
        ids.extend(value.map(str::to_owned));
    }
    ids
}

/// How a rendered link's destination is chosen: `None` keeps it as written.
pub trait LinkResolver {
    /// The URL to write for a link to `target`.
    fn resolve(&self, target: &LinkTarget) -> Option<String>;
}

/// Render `markdown` to HTML with the heading ids of its `outline` and link
/// destinations from `resolver`. Raw HTML is passed through the sanitiser
/// unless `allow_raw_html`.
pub fn render(
    markdown: &str,
    outline: &Outline,
    resolver: &dyn LinkResolver,
    allow_raw_html: bool,
) -> String {
    let mut headings = outline.headings.iter();
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
            let id = headings.next().map(|h| CowStr::from(h.id.clone()));
            Event::Start(Tag::Heading { level, id, classes, attrs })
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest_url = rewrite(&dest_url, resolver).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest_url = rewrite(&dest_url, resolver).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Image { link_type, dest_url, title, id })
        }
        Event::FootnoteReference(name) => Event::FootnoteReference(footnote_id(&name).into()),
        Event::Start(Tag::FootnoteDefinition(name)) => {
            Event::Start(Tag::FootnoteDefinition(footnote_id(&name).into()))
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if outline.has_raw_html && !allow_raw_html { sanitise(&html) } else { html }
}

fn rewrite(destination: &str, resolver: &dyn LinkResolver) -> Option<String> {
    match classify(destination) {
        LinkTarget::Unsafe => Some("#".to_owned()),
        target => resolver.resolve(&target),
    }
}

fn footnote_id(name: &str) -> String {
    format!("fn-{}", slug(name))
}

/// Remove scripts, event handlers and unsafe URLs from rendered HTML, keeping
/// the ids and classes the page needs. An id the page template uses, or one
/// that an earlier element already has, is dropped: ids are unique on a page.
pub fn sanitise(html: &str) -> String {
    let seen = std::sync::Mutex::new(HashSet::new());
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .attribute_filter(move |_, attribute, value| {
            if attribute != "id" {
                return Some(value.into());
            }
            let mut seen = seen.lock().expect("no panic while holding the lock");
            let taken = RESERVED_IDS.contains(&value) || !seen.insert(value.to_owned());
            (!taken).then_some(value.into())
        })
        .add_tags(["details", "summary", "figure", "figcaption"])
        .clean(html)
        .to_string()
}

/// What a link destination points at.
pub fn classify(destination: &str) -> LinkTarget {
    let destination = destination.trim();
    if let Some(fragment) = destination.strip_prefix('#') {
        return LinkTarget::Local { fragment: normalise_fragment(fragment) };
    }
    if let Some(scheme) = scheme(destination) {
        return match scheme.to_ascii_lowercase().as_str() {
            "javascript" | "vbscript" | "data" => LinkTarget::Unsafe,
            _ => LinkTarget::External,
        };
    }
    if destination.starts_with('/') || destination.is_empty() {
        return LinkTarget::External;
    }
    let (path, fragment) = match destination.split_once('#') {
        Some((path, fragment)) => (path, Some(normalise_fragment(fragment))),
        None => (destination, None),
    };
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let last = decoded.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let id = match last.strip_suffix(".md") {
        Some(stem) => stem,
        None if last.contains('.') => return LinkTarget::Asset,
        None => last,
    };
    LinkTarget::Entry { id: id.to_owned(), fragment }
}

/// The scheme of an absolute URL (`https`, `mailto`), if there is one.
fn scheme(destination: &str) -> Option<&str> {
    let colon = destination.find(':')?;
    let candidate = &destination[..colon];
    let valid = candidate.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && candidate.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(candidate)
}

/// A fragment as headings' ids are compared: decoded once, NFC, lowercase.
pub fn normalise_fragment(fragment: &str) -> String {
    percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

/// The id a heading's text gives.
pub fn slug(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !id.is_empty() {
                id.push('-');
            }
            dash = false;
            id.push(c);
        } else {
            dash = true;
        }
    }
    if id.is_empty() { "section".to_owned() } else { id }
}

fn unique(base: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_the_templates_write_is_reserved() {
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(templates).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for id in html_ids(&text).iter().filter(|id| !id.contains("{{")) {
                assert!(RESERVED_IDS.contains(&id.as_str()), "`{id}` is not in RESERVED_IDS");
            }
        }
    }

    #[test]
    fn heading_ids_avoid_the_ids_of_raw_html_and_footnotes() {
        let markdown = "## Scope\n\n<a id=\"scope\"></a>\n\n## Fn a\n\nText.[^a]\n\n[^a]: Note.\n";
        let ids: Vec<_> = outline(markdown, 0).headings.into_iter().map(|h| h.id).collect();
        assert_eq!(ids, ["scope-1", "fn-a-1"]);
    }

    #[test]
    fn the_sanitiser_keeps_each_id_once() {
        let html = sanitise("<h2 id=\"a\">A</h2><a id=\"a\"></a><p id=\"main\" class=\"a\">x</p>");
        assert_eq!(html.matches("id=").count(), 1, "{html}");
        assert!(html.contains("class=\"a\""), "{html}");
    }

    struct Keep;

    impl LinkResolver for Keep {
        fn resolve(&self, _: &LinkTarget) -> Option<String> {
            None
        }
    }

    #[test]
    fn cyrillic_headings_keep_readable_ids() {
        let outline = outline("## Обработка персональных данных\n", 0);
        assert_eq!(outline.headings[0].id, "обработка-персональных-данных");
        assert!(outline.has_anchor("%D0%BE%D0%B1%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D0%BA%D0%B0-%D0%BF%D0%B5%D1%80%D1%81%D0%BE%D0%BD%D0%B0%D0%BB%D1%8C%D0%BD%D1%8B%D1%85-%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D1%85"));
    }

    #[test]
    fn duplicate_headings_get_unused_suffixes() {
        let outline = outline("## Scope\n## Scope\n## Scope 1\n## Contents\n", 0);
        let ids: Vec<_> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["scope", "scope-1", "scope-1-1", "contents-1"]);
        assert_eq!(outline.headings.len(), 4);
    }

    #[test]
    fn links_are_classified() {
        assert_eq!(
            classify("kyoto-convention-1973"),
            LinkTarget::Entry { id: "kyoto-convention-1973".into(), fragment: None }
        );
        assert_eq!(
            classify("../x/other%20guide.md#Scope"),
            LinkTarget::Entry { id: "other guide".into(), fragment: Some("scope".into()) }
        );
        assert_eq!(classify("#local"), LinkTarget::Local { fragment: "local".into() });
        assert_eq!(classify("https://example.org/a"), LinkTarget::External);
        assert_eq!(classify("JavaScript:alert(1)"), LinkTarget::Unsafe);
        assert_eq!(classify("files/form.pdf"), LinkTarget::Asset);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let md = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n";
        let html = render(md, &outline(md, 0), &Keep, false);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn footnotes_stay_outside_lists() {
        let md = "Text.[^a]\n\nA list:\n* one\n* two\n\n[^a]: Note.\n";
        let html = render(md, &outline(md, 0), &Keep, false);
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("id=\"fn-a\""), "{html}");
    }
}
