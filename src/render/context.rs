//! View models: the only vocabulary templates see. Every value is plain data
//! (text, URLs relative to the site root, numbers); templates never reach the
//! domain types, and a missing optional value is an explicit `null`.

use serde::Serialize;

use crate::catalogue::{Catalogue, Entry};
use crate::content::Instrument;
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

impl From<&PartialDate> for DateView {
    fn from(date: &PartialDate) -> Self {
        Self { iso: date.iso(), text: date.long() }
    }
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

/// Helpers that turn domain values into view values.
pub struct Views<'a> {
    /// The catalogue.
    pub catalogue: &'a Catalogue,
}

impl<'a> Views<'a> {
    /// The list view of one instrument.
    pub fn item(&self, entry: &Entry) -> ItemView {
        let instrument = &entry.instrument;
        let classification = &self.catalogue.classification;
        let full_title = instrument.short_title.as_ref().map(|_| instrument.title.value.clone());
        ItemView {
            id: instrument.id.value.clone(),
            title: instrument.display_title().to_owned(),
            full_title,
            url: instrument_url(&instrument.id.value),
            type_label: classification
                .instrument_type(&instrument.kind.value)
                .map_or_else(String::new, |t| t.label.clone()),
            status_label: classification
                .status(&instrument.status.value)
                .map_or_else(String::new, |s| s.label.clone()),
            adopted: instrument.adopted.as_ref().map(|d| DateView::from(&d.value)),
        }
    }

    /// A link to an instrument by index.
    pub fn link(&self, index: usize) -> LinkView {
        let instrument = &self.catalogue.entries[index].instrument;
        LinkView {
            title: instrument.display_title().to_owned(),
            url: instrument_url(&instrument.id.value),
        }
    }

    /// The relation groups of an entry, in classification order.
    pub fn relations(&self, entry: &Entry) -> Vec<RelationGroup> {
        let mut groups: Vec<RelationGroup> = Vec::new();
        let mut last: Option<(usize, bool)> = None;
        for relation in &entry.relations {
            let kind = &self.catalogue.classification.relations[relation.kind];
            if last != Some((relation.kind, relation.inverse)) {
                let label = if relation.inverse { &kind.inverse_label } else { &kind.label };
                groups.push(RelationGroup { label: label.clone(), items: Vec::new() });
                last = Some((relation.kind, relation.inverse));
            }
            groups.last_mut().expect("pushed above").items.push(self.link(relation.other));
        }
        groups
    }

    /// The citation of an instrument's entry.
    pub fn citation(&self, instrument: &Instrument, permanent_url: &str) -> String {
        let config = &self.catalogue.config;
        let mut citation = format!("“{}”", instrument.title.value);
        if let Some(adopted) = &instrument.adopted {
            citation.push_str(&format!(" ({})", adopted.value.long()));
        }
        citation.push_str(&format!(". In: {}", config.title));
        if let Some(current_to) = &config.current_to {
            citation.push_str(&format!(", current to {}", current_to.long()));
        }
        citation.push_str(&format!(". {permanent_url}"));
        citation
    }
}

/// The URL of an instrument's page, relative to the site root.
pub fn instrument_url(id: &str) -> String {
    format!("instruments/{id}/")
}
