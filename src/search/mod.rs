//! Full-text search: a tantivy index built once at publish time and shipped
//! with the site, and a searcher that opens it read-only.
//!
//! # What a document is
//!
//! One tantivy document per instrument per language: the default-language
//! entry, and each translation under its own language code. Facet counts and
//! paging therefore count instruments, never fragments of them.
//!
//! # Section anchors
//!
//! The body is cut at its headings into sections (the text before the first
//! heading is a section without an anchor). The sections are the values, in
//! order, of one multi-valued body field; three parallel stored fields hold
//! each section's text, heading id and heading text. tantivy leaves a
//! position gap between values, so a phrase never matches across two
//! sections. When a hit
//! is shown, the sections of that one document are scored against the query
//! terms with the same analyzer, and the best one gives the snippet and the
//! `#anchor` of the hit's URL. One document per section was the alternative;
//! it would split an instrument's relevance across sections and make every
//! count a count of sections.
//!
//! # Languages and analyzers
//!
//! Text fields exist once per language (`body_en`, `body_ru`, …), each with
//! its language's analyzer (see [`analyzer`]). A query is analyzed with the
//! analyzer of every language it covers, and by default covers only the
//! site's default language.
//!
//! Beside each text field, a field of pairs (`body_pairs_en`) holds every
//! two neighbouring terms as one term. A quoted phrase of two words is then
//! one term's list, and a longer one the documents holding all its pairs,
//! whose positions alone are compared: in a large catalogue "on the" is in
//! nearly every body, and comparing positions everywhere was the slowest
//! search there was.
//!
//! # Ranking
//!
//! Every word must match in some field; each word scores by its best field,
//! a short title weighing most, then the title, the body and the
//! classification labels. A query that is an instrument's id, title or
//! short title (with or without its parenthesis) adds a large boost. The
//! score is then multiplied by `1 + 0.25 ln(1 + n)`, where `n` counts the
//! other instruments that relate to or link to the hit, so the principal
//! instrument of a family ("HS", "SAFE") leads its amendments and packages.
//! When no instrument has every word, any word will do and
//! [`SearchResults::relaxed`] says so.
//!
//! # Point in time
//!
//! [`Query::in_force_on`] keeps the instruments `chronology::in_force_on`
//! accepts for that day. The index holds, per document, the first day in
//! force and the first day no longer in force as `yyyymmdd` numbers in two
//! fast fields, computed with `chronology` at build time, so the filter is
//! two range queries and agrees with the point-in-time pages by
//! construction (a test over the real catalogue checks it year by year).
//!
//! # Read-only opening
//!
//! tantivy's reader takes a lock file in the index directory even to read
//! (tantivy#557), which fails on a read-only deployment. [`Searcher::open`]
//! reads the shipped files into a `RamDirectory` instead: a catalogue's index
//! is a few megabytes, and the files on disk are never touched again.
//!
//! # Index size
//!
//! The section text is stored (LZ4-compressed by tantivy) because snippets
//! need it. [`IndexStats`] reports the size on disk and the stored text per
//! language, so the build can warn when the index outgrows its budget.

mod analyzer;
mod columns;
mod facets;
mod index;
mod query;
mod schema;
mod searcher;
mod snippet;

#[cfg(test)]
mod tests;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use analyzer::register_analyzers;
pub use index::{build_index, update_index};
pub use searcher::Searcher;

/// What a build of the index produced.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Documents written: one per instrument per language.
    pub documents: usize,
    /// The size of the index directory, in bytes.
    pub bytes: u64,
    /// Per language: documents and stored text.
    pub languages: Vec<LanguageStats>,
    /// How long the build took.
    #[serde(skip)]
    pub elapsed: Duration,
}

/// The part of the index one language takes.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageStats {
    /// The language code.
    pub language: String,
    /// Documents in this language.
    pub documents: usize,
    /// Bytes of text stored for snippets, before compression.
    pub text_bytes: u64,
}

/// A search request, as the CLI and the JSON API receive it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// What the reader typed: words, "quoted phrases", `word*` prefixes and
    /// `type:`, `subject:`, `status:`, `category:`, `body:`, `decade:`,
    /// `year:` and `lang:` filters. Anything else is read as plain words.
    pub text: String,
    /// The language to search; `None` is the default language, `"all"`
    /// every language.
    pub language: Option<String>,
    /// Type keys; any of them matches.
    pub types: Vec<String>,
    /// Subject keys (a parent subject matches its children); any matches.
    pub subjects: Vec<String>,
    /// Status keys; any matches.
    pub statuses: Vec<String>,
    /// Decades as facets name them (`1990s`); any matches.
    pub decades: Vec<String>,
    /// The earliest year of adoption, inclusive.
    pub from_year: Option<i32>,
    /// The latest year of adoption, inclusive.
    pub to_year: Option<i32>,
    /// Only instruments in force (or current, for tools) on this day, as
    /// `chronology::in_force_on` decides: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
    /// a year or month meaning its last day. Blank is no filter; anything
    /// else that is not a date makes the search fail with a usage error.
    pub in_force_on: Option<String>,
    /// Whether the last word is still being typed and matches as a prefix.
    pub prefix: bool,
    /// The page of results, from 1.
    pub page: usize,
    /// Hits per page, at most [`MAX_PER_PAGE`].
    pub per_page: usize,
}

/// The most hits one page may ask for.
pub const MAX_PER_PAGE: usize = 100;

impl Default for Query {
    fn default() -> Self {
        Self {
            text: String::new(),
            language: None,
            types: Vec::new(),
            subjects: Vec::new(),
            statuses: Vec::new(),
            decades: Vec::new(),
            from_year: None,
            to_year: None,
            in_force_on: None,
            prefix: false,
            page: 1,
            per_page: 10,
        }
    }
}

impl Query {
    /// A query for `text` with everything else at its default.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Instruments matching the text and the filters, on every page.
    pub total: usize,
    /// The hits of the requested page, best first.
    pub hits: Vec<Hit>,
    /// Counts over all matches, not only this page.
    pub facets: Facets,
    /// Whether no instrument had every word, so instruments with any of them
    /// are shown instead.
    pub relaxed: bool,
    /// Time spent searching, in milliseconds.
    pub took_ms: f64,
}

/// One instrument found.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The instrument's id.
    pub id: String,
    /// Its full title, entities decoded (plain text: escape it for HTML).
    pub title: String,
    /// Its short title, if it has one.
    pub short_title: Option<String>,
    /// The page's URL relative to the site root, with `#anchor` when the
    /// best match is in a section.
    pub url: String,
    /// The type key.
    #[serde(rename = "type")]
    pub kind: String,
    /// The type's label in the hit's language.
    pub type_label: String,
    /// The language of the page.
    pub language: String,
    /// The year of adoption.
    pub year: Option<i32>,
    /// A passage of the body, HTML-escaped, matches inside `<mark>`.
    pub snippet_html: String,
    /// The heading of the section the snippet is from.
    pub section: Option<String>,
    /// That heading's id.
    pub anchor: Option<String>,
    /// The relevance score, for debugging the ranking.
    pub score: f32,
}

/// Counts of matches per value, most frequent first (decades in order).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// Per type key.
    pub types: Vec<(String, usize)>,
    /// Per subject key, parents included.
    pub subjects: Vec<(String, usize)>,
    /// Per status key.
    pub statuses: Vec<(String, usize)>,
    /// Per decade (`1990s`).
    pub decades: Vec<(String, usize)>,
}
