//! The index's fields, and the note stored with every commit that says which
//! languages it holds and which folio format wrote it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analyzer;

/// Raised whenever a field, an analyzer or the document layout changes, so
/// a searcher never reads an index written differently.
pub const FORMAT: u32 = 3;

/// The instrument id, raw and stored.
pub const ID: &str = "id";
/// The document's language code.
pub const LANGUAGE: &str = "language";
/// The page's URL relative to the site root, stored only.
pub const URL: &str = "url";
/// The full title as shown, stored only; the text is in `title_<lang>`.
pub const TITLE: &str = "title";
/// The short title as shown, stored only.
pub const SHORT_TITLE: &str = "short_title";
/// The type key, for filters and facets.
pub const TYPE: &str = "type";
/// The type's label in the document's language, stored only.
pub const TYPE_LABEL: &str = "type_label";
/// The category key.
pub const CATEGORY: &str = "category";
/// The issuing body key.
pub const ISSUER: &str = "issuing_body";
/// Subject keys, each with its parent.
pub const SUBJECTS: &str = "subjects";
/// The status key.
pub const STATUS: &str = "status";
/// The year of adoption, for ranges.
pub const YEAR: &str = "year";
/// The decade of adoption (`1990s`).
pub const DECADE: &str = "decade";
/// Analyzed names of the instrument, matched whole (see `index::exact_keys`).
pub const EXACT: &str = "exact";
/// Each section's text as shown in snippets; the body fields index it.
pub const SECTIONS: &str = "sections";
/// Each section's heading id, parallel to [`SECTIONS`].
pub const ANCHORS: &str = "anchors";
/// Each section's heading text, parallel to [`SECTIONS`].
pub const HEADINGS: &str = "headings";
/// How many other instruments point at this one.
pub const AUTHORITY: &str = "authority";
/// The first day in force as `yyyymmdd`; `i64::MAX` when never in force.
pub const IN_FORCE_FROM: &str = "in_force_from";
/// The first day no longer in force as `yyyymmdd`; `i64::MAX` when no
/// dated successor ends it.
pub const IN_FORCE_UNTIL: &str = "in_force_until";

/// What the commit payload records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexInfo {
    /// [`FORMAT`] at build time.
    pub format: u32,
    /// The site's default language.
    pub default_language: String,
    /// Every language indexed, default first.
    pub languages: Vec<String>,
}

/// The text fields of one language.
#[derive(Debug, Clone, Copy)]
pub struct LanguageFields {
    /// The full title, stemmed.
    pub title: Field,
    /// The short title, stemmed.
    pub short_title: Field,
    /// The body, one value per section.
    pub body: Field,
    /// Labels of the classification, place, year and id.
    pub tags: Field,
    /// Neighbouring terms of the full title, as one term each.
    pub title_pairs: Field,
    /// Neighbouring terms of the short title.
    pub short_title_pairs: Field,
    /// Neighbouring terms of the body.
    pub body_pairs: Field,
    /// Neighbouring terms of the labels.
    pub tags_pairs: Field,
    /// Both titles, unstemmed, for prefixes.
    pub words: Field,
    /// The analyzer of this language's stemmed fields.
    pub analyzer: &'static str,
}

/// Every field, resolved against one schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// [`ID`].
    pub id: Field,
    /// [`LANGUAGE`].
    pub language: Field,
    /// [`URL`].
    pub url: Field,
    /// [`TITLE`].
    pub title: Field,
    /// [`SHORT_TITLE`].
    pub short_title: Field,
    /// [`TYPE`].
    pub kind: Field,
    /// [`TYPE_LABEL`].
    pub type_label: Field,
    /// [`CATEGORY`].
    pub category: Field,
    /// [`ISSUER`].
    pub issuer: Field,
    /// [`SUBJECTS`].
    pub subjects: Field,
    /// [`STATUS`].
    pub status: Field,
    /// [`YEAR`].
    pub year: Field,
    /// [`DECADE`].
    pub decade: Field,
    /// [`EXACT`].
    pub exact: Field,
    /// [`SECTIONS`].
    pub sections: Field,
    /// [`ANCHORS`].
    pub anchors: Field,
    /// [`HEADINGS`].
    pub headings: Field,
    /// [`AUTHORITY`].
    pub authority: Field,
    /// [`IN_FORCE_FROM`].
    pub in_force_from: Field,
    /// [`IN_FORCE_UNTIL`].
    pub in_force_until: Field,
    /// Text fields per language code.
    pub languages: BTreeMap<String, LanguageFields>,
}

fn text(analyzer: &str) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

/// A field of [`analyzer::pairs`]: matched whole, so without positions.
fn pairs(analyzer: &str) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqs);
    TextOptions::default().set_indexing_options(indexing)
}

fn per_language(kind: &str, language: &str) -> String {
    format!("{kind}_{language}")
}

fn paired(kind: &str) -> String {
    format!("{kind}_pairs")
}

/// The schema for a site with these languages.
pub fn build(languages: &[String]) -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field(ID, STRING | STORED);
    builder.add_text_field(LANGUAGE, STRING | STORED);
    builder.add_text_field(URL, STORED);
    builder.add_text_field(TITLE, STORED);
    builder.add_text_field(SHORT_TITLE, STORED);
    builder.add_text_field(TYPE, STRING | STORED | FAST);
    builder.add_text_field(TYPE_LABEL, STORED);
    builder.add_text_field(CATEGORY, STRING | FAST);
    builder.add_text_field(ISSUER, STRING | FAST);
    builder.add_text_field(SUBJECTS, STRING | FAST);
    builder.add_text_field(STATUS, STRING | STORED | FAST);
    builder.add_i64_field(YEAR, INDEXED | STORED | FAST);
    builder.add_text_field(DECADE, STRING | FAST);
    builder.add_text_field(EXACT, STRING);
    builder.add_text_field(SECTIONS, STORED);
    builder.add_text_field(ANCHORS, STORED);
    builder.add_text_field(HEADINGS, STORED);
    builder.add_f64_field(AUTHORITY, FAST);
    builder.add_i64_field(IN_FORCE_FROM, FAST);
    builder.add_i64_field(IN_FORCE_UNTIL, FAST);

    for language in languages {
        let stemmed = analyzer::name_for(language);
        for kind in [TITLE, SHORT_TITLE, "body", "tags"] {
            builder.add_text_field(&per_language(kind, language), text(stemmed));
            let pairs_analyzer = analyzer::pairs_name_for(language);
            builder.add_text_field(&per_language(&paired(kind), language), pairs(pairs_analyzer));
        }
        builder.add_text_field(&per_language("words", language), text(analyzer::PLAIN));
    }
    builder.build()
}

impl Fields {
    /// Find every field in `schema`; the error names the first one missing.
    pub fn resolve(schema: &Schema, languages: &[String]) -> Result<Self, String> {
        let field = |name: &str| schema.get_field(name).map_err(|_| format!("no field `{name}`"));
        let mut by_language = BTreeMap::new();
        for language in languages {
            let fields = LanguageFields {
                title: field(&per_language(TITLE, language))?,
                short_title: field(&per_language(SHORT_TITLE, language))?,
                body: field(&per_language("body", language))?,
                tags: field(&per_language("tags", language))?,
                title_pairs: field(&per_language(&paired(TITLE), language))?,
                short_title_pairs: field(&per_language(&paired(SHORT_TITLE), language))?,
                body_pairs: field(&per_language(&paired("body"), language))?,
                tags_pairs: field(&per_language(&paired("tags"), language))?,
                words: field(&per_language("words", language))?,
                analyzer: analyzer::name_for(language),
            };
            by_language.insert(language.clone(), fields);
        }
        Ok(Self {
            id: field(ID)?,
            language: field(LANGUAGE)?,
            url: field(URL)?,
            title: field(TITLE)?,
            short_title: field(SHORT_TITLE)?,
            kind: field(TYPE)?,
            type_label: field(TYPE_LABEL)?,
            category: field(CATEGORY)?,
            issuer: field(ISSUER)?,
            subjects: field(SUBJECTS)?,
            status: field(STATUS)?,
            year: field(YEAR)?,
            decade: field(DECADE)?,
            exact: field(EXACT)?,
            sections: field(SECTIONS)?,
            anchors: field(ANCHORS)?,
            headings: field(HEADINGS)?,
            authority: field(AUTHORITY)?,
            in_force_from: field(IN_FORCE_FROM)?,
            in_force_until: field(IN_FORCE_UNTIL)?,
            languages: by_language,
        })
    }
}

/// A day as the in-force fields hold it: 3 February 2006 is `20060203`,
/// so that numbers order as days do.
pub fn day_number((year, month, day): (i32, u8, u8)) -> i64 {
    i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day)
}

/// The decade a year falls in, as facets name it: `1990s`.
pub fn decade(year: i32) -> String {
    format!("{}s", year.div_euclid(10) * 10)
}
