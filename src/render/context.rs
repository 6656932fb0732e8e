//! View models: the only vocabulary templates see. Every value is plain data
//! (text, URLs relative to the site root, numbers); templates never reach the
//! domain types, and a missing optional value is an explicit `null`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::{Catalogue, Entry};
use crate::content::date::PartialDate;

/// Site-wide values every page receives.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The site's title.
    pub title: String,
    /// A sentence about the site.
    pub description: Option<String>,
    /// The absolute base URL, ending in `/`.
    pub base_url: String,
    /// The page language.
    pub language: String,
    /// "31 December 2021", when the catalogue states its currency.
    pub current_to: Option<String>,
    /// Main navigation.
    pub nav: Vec<LinkView>,
    /// The same page in every language of the site.
    pub languages: Vec<LanguageLink>,
    /// The path of the site in the page's language, relative to the site root
    /// (`` or `ru/`).
    pub home: String,
}

/// The same page in one language, for the switcher and `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    /// The language code.
    pub code: String,
    /// The language's own name.
    pub name: String,
    /// The page in that language, relative to the site root.
    pub url: String,
    /// The absolute URL of that page.
    pub absolute_url: String,
    /// Whether this is the page's own language.
    pub current: bool,
    /// Whether that page shows text in another language for want of a
    /// translation.
    pub fallback: bool,
}

/// A link: text and a URL relative to the site root.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LinkView {
    /// The text.
    pub title: String,
    /// The URL, relative to the site root (`instruments/x/`).
    pub url: String,
}

/// A date in both forms.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `1973-05-18`.
    pub iso: String,
    /// `18 May 1973`.
    pub text: String,
}

/// One line of a contents list.
#[derive(Debug, Clone, Serialize)]
pub struct TocItem {
    /// 2 or 3.
    pub level: u8,
    /// The heading text.
    pub text: String,
    /// The heading id.
    pub id: String,
}

/// Relations of one kind and direction.
#[derive(Debug, Clone, Serialize)]
pub struct RelationGroup {
    /// "Amended by".
    pub label: String,
    /// The related instruments.
    pub items: Vec<LinkView>,
}

/// An instrument in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// The instrument's id.
    pub id: String,
    /// The title shown (the short title when there is one).
    pub title: String,
    /// The full title, when different.
    pub full_title: Option<String>,
    /// Its URL.
    pub url: String,
    /// Its type's label.
    pub type_label: String,
    /// Its status's label.
    pub status_label: String,
    /// Its adoption date.
    pub adopted: Option<DateView>,
}

/// An instrument's page.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentView {
    /// The id.
    pub id: String,
    /// The full title.
    pub title: String,
    /// The short title.
    pub short_title: Option<String>,
    /// The category.
    pub category: LinkView,
    /// The type.
    pub kind: LinkView,
    /// The issuing body.
    pub body: LinkView,
    /// Subjects.
    pub subjects: Vec<LinkView>,
    /// The status.
    pub status: LinkView,
    /// Adoption.
    pub adopted: Option<DateView>,
    /// Where it was adopted.
    pub place: Option<String>,
    /// Entry into force.
    pub in_force: Option<DateView>,
    /// Last review of the entry.
    pub reviewed: Option<DateView>,
    /// The number of parties.
    pub parties: Option<u32>,
    /// The date of that number.
    pub parties_as_of: Option<DateView>,
    /// The official page.
    pub source: Option<String>,
    /// The parties, when a parties file lists them.
    pub parties_table: Option<PartiesView>,
    /// The body as HTML.
    pub html: String,
    /// The body's contents list.
    pub toc: Vec<TocItem>,
    /// Relations, both sides.
    pub relations: Vec<RelationGroup>,
    /// Instruments whose text links here.
    pub referenced_by: Vec<LinkView>,
    /// The URL relative to the site root.
    pub url: String,
    /// The absolute, permanent URL.
    pub permanent_url: String,
    /// A citation of the entry.
    pub citation: String,
    /// A description for search engines and link previews.
    pub description: String,
    /// The language of the title and text, when it differs from the page's.
    pub text_language: Option<String>,
    /// Dated events, oldest first.
    pub history: Vec<super::timeline::HistoryItem>,
    /// The direct relations drawn as SVG.
    pub diagram: Option<String>,
    /// schema.org metadata, ready for a JSON-LD script element.
    pub json_ld: String,
    /// The instruments that superseded this one.
    pub successors: Vec<super::timeline::Successor>,
}

/// The parties of an instrument with the counts computed from the rows.
#[derive(Debug, Clone, Serialize)]
pub struct PartiesView {
    /// Parties bound by the instrument (with a date of consent).
    pub bound: usize,
    /// Signatories that have not consented.
    pub signatories_only: usize,
    /// The latest date in the table.
    pub as_of: Option<DateView>,
    /// One row per party.
    pub rows: Vec<PartyRow>,
}

/// One party of an instrument.
#[derive(Debug, Clone, Serialize)]
pub struct PartyRow {
    /// The party.
    pub name: String,
    /// Signature.
    pub signature: Option<DateView>,
    /// How it consented.
    pub consent: Option<String>,
    /// When.
    pub consent_date: Option<DateView>,
    /// Entry into force for the party.
    pub in_force: Option<DateView>,
    /// Reservations.
    pub reservations: Option<String>,
}

/// A group of a list page.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// The group's heading.
    pub heading: String,
    /// Its anchor.
    pub id: String,
    /// A link to the group's own page, if it has one.
    pub url: Option<String>,
    /// The instruments.
    pub items: Vec<ItemView>,
}

/// A list page.
#[derive(Debug, Clone, Serialize)]
pub struct ListingView {
    /// The page title.
    pub title: String,
    /// What the page lists.
    pub kind: String,
    /// A sentence or two above the list.
    pub intro: Option<String>,
    /// The groups.
    pub groups: Vec<GroupView>,
    /// How many instruments in all.
    pub count: usize,
    /// Point-in-time pages of the years the page covers.
    pub points_in_time: Vec<LinkView>,
    /// A picture drawn as SVG.
    pub picture: Option<String>,
}

/// A row of the classification table.
#[derive(Debug, Clone, Serialize)]
pub struct TermRow {
    /// The term's label.
    pub label: String,
    /// The term's key.
    pub key: String,
    /// Its page.
    pub url: String,
    /// How many instruments have it.
    pub count: usize,
    /// 0 for top level, 1 for a child subject or a type in a category.
    pub depth: u8,
}

/// A vocabulary of the classification with counts.
#[derive(Debug, Clone, Serialize)]
pub struct VocabularyView {
    /// "Types".
    pub title: String,
    /// Its anchor.
    pub id: String,
    /// The rows.
    pub rows: Vec<TermRow>,
}

/// One language of the site as pages see it.
#[derive(Debug, Clone)]
pub struct Locale {
    /// The language code.
    pub code: String,
    /// Where its pages live, relative to the site root: `` or `ru/`.
    pub prefix: String,
    /// Interface strings.
    pub strings: BTreeMap<String, String>,
}

impl Locale {
    /// An interface string; the key itself when the theme lacks it.
    pub fn text<'s>(&'s self, key: &'s str) -> &'s str {
        self.strings.get(key).map_or(key, String::as_str)
    }
}

/// Helpers that turn domain values into view values in one language.
pub struct Views<'a> {
    /// The catalogue.
    pub catalogue: &'a Catalogue,
    /// The page language.
    pub locale: &'a Locale,
}

impl Views<'_> {
    /// A date in the page language.
    pub fn date(&self, date: &PartialDate) -> DateView {
        DateView { iso: date.iso(), text: date.long_in(&self.locale.code) }
    }

    /// A site-relative URL in the page language.
    pub fn url(&self, url: &str) -> String {
        format!("{}{url}", self.locale.prefix)
    }

    /// The list view of one instrument, titled in the page language when a
    /// translation exists.
    pub fn item(&self, entry: &Entry) -> ItemView {
        let language = self.locale.code.as_str();
        let original = &entry.instrument;
        let text = entry.translations.get(language).map_or(original, |(t, _)| t);
        let classification = &self.catalogue.classification;
        ItemView {
            id: original.id.value.clone(),
            title: text.display_title().to_owned(),
            full_title: text.short_title.as_ref().map(|_| text.title.value.clone()),
            url: self.url(&instrument_url(&original.id.value)),
            type_label: classification
                .instrument_type(&original.kind.value)
                .map_or_else(String::new, |t| t.label_in(language).to_owned()),
            status_label: classification
                .status(&original.status.value)
                .map_or_else(String::new, |s| s.label_in(language).to_owned()),
            adopted: original.adopted.as_ref().map(|d| self.date(&d.value)),
        }
    }

    /// A link to an instrument by index.
    pub fn link(&self, index: usize) -> LinkView {
        let instrument = &self.catalogue.entries[index].instrument;
        LinkView {
            title: self.catalogue.title_in(index, &self.locale.code).to_owned(),
            url: self.url(&instrument_url(&instrument.id.value)),
        }
    }

    /// The relation groups of an entry, in classification order.
    pub fn relations(&self, entry: &Entry) -> Vec<RelationGroup> {
        let mut groups: Vec<RelationGroup> = Vec::new();
        let mut last: Option<(usize, bool)> = None;
        for relation in &entry.relations {
            let kind = &self.catalogue.classification.relations[relation.kind];
            if last != Some((relation.kind, relation.inverse)) {
                let label = kind.side_label_in(relation.inverse, &self.locale.code).to_owned();
                groups.push(RelationGroup { label, items: Vec::new() });
                last = Some((relation.kind, relation.inverse));
            }
            groups.last_mut().expect("pushed above").items.push(self.link(relation.other));
        }
        groups
    }

    /// The citation of an instrument's entry: its title in the page
    /// language, adoption date, the catalogue and its currency, the URL.
    pub fn citation(
        &self,
        title: &str,
        adopted: Option<&PartialDate>,
        permanent_url: &str,
    ) -> String {
        let config = &self.catalogue.config;
        let language = self.locale.code.as_str();
        let mut citation = format!("“{title}”");
        if let Some(adopted) = adopted {
            citation.push_str(&format!(" ({})", adopted.long_in(language)));
        }
        citation.push_str(&format!(
            ". {}: {}",
            self.locale.text("citation_in"),
            config.title_in(language)
        ));
        if let Some(current_to) = &config.current_to {
            let words = self.locale.text("current_to");
            citation.push_str(&format!(", {words} {}", current_to.long_in(language)));
        }
        let stop = if citation.ends_with('.') { " " } else { ". " };
        citation.push_str(&format!("{stop}{permanent_url}"));
        citation
    }
}

/// The URL of an instrument's page, relative to the site root.
pub fn instrument_url(id: &str) -> String {
    format!("instruments/{id}/")
}
