//! The catalogue as data: `catalogue.json` and the Atom feed's entries.

use std::collections::BTreeMap;

use serde::Serialize;

use super::absolute_url;
use super::context::instrument_url;
use crate::catalogue::Catalogue;
use crate::content::date::PartialDate;

#[derive(Serialize)]
struct CatalogueJson<'a> {
    title: &'a str,
    base_url: &'a str,
    current_to: Option<String>,
    count: usize,
    instruments: Vec<InstrumentJson<'a>>,
}

#[derive(Serialize)]
struct InstrumentJson<'a> {
    id: &'a str,
    title: &'a str,
    short_title: Option<&'a str>,
    category: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    body: &'a str,
    subjects: Vec<&'a str>,
    status: &'a str,
    adopted: Option<String>,
    year: Option<i32>,
    place: Option<&'a str>,
    in_force: Option<String>,
    parties: Option<PartiesJson>,
    source: Option<&'a str>,
    url: String,
    relations: BTreeMap<&'a str, Vec<&'a str>>,
}

#[derive(Serialize)]
struct PartiesJson {
    count: u32,
    as_of: Option<String>,
}

/// Every instrument's metadata, with its relations on both sides, as JSON.
pub fn catalogue_json(catalogue: &Catalogue) -> String {
    let config = &catalogue.config;
    let classification = &catalogue.classification;
    let instruments = catalogue
        .entries
        .iter()
        .map(|entry| {
            let i = &entry.instrument;
            let mut relations: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for relation in &entry.relations {
                let kind = &classification.relations[relation.kind];
                let key = if relation.inverse {
                    kind.inverse.value.as_str()
                } else {
                    kind.key.value.as_str()
                };
                relations
                    .entry(key)
                    .or_default()
                    .push(&catalogue.entries[relation.other].instrument.id.value);
            }
            InstrumentJson {
                id: &i.id.value,
                title: &i.title.value,
                short_title: i.short_title.as_ref().map(|s| s.value.as_str()),
                category: classification
                    .instrument_type(&i.kind.value)
                    .map_or("", |t| t.category.value.as_str()),
                kind: &i.kind.value,
                body: &i.body.value,
                subjects: i.subjects.iter().map(|s| s.value.as_str()).collect(),
                status: &i.status.value,
                adopted: i.adopted.as_ref().map(|d| d.value.iso()),
                year: i.adopted.as_ref().map(|d| d.value.year),
                place: i.place.as_deref(),
                in_force: i.in_force.as_ref().map(|d| d.value.iso()),
                parties: i.parties.as_ref().map(|p| PartiesJson {
                    count: p.count,
                    as_of: p.as_of.as_ref().map(PartialDate::iso),
                }),
                source: i.source.as_deref(),
                url: absolute_url(&config.base_url, &instrument_url(&i.id.value)),
                relations,
            }
        })
        .collect();
    let json = CatalogueJson {
        title: &config.title,
        base_url: &config.base_url,
        current_to: config.current_to.as_ref().map(PartialDate::iso),
        count: catalogue.entries.len(),
        instruments,
    };
    serde_json::to_string_pretty(&json).expect("the catalogue always serialises")
}

/// The feed's view.
#[derive(Serialize)]
pub struct FeedView {
    id: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// Atom needs a time; a calendar date becomes midnight UTC of that same day,
/// never shifted by the machine's time zone.
fn atom_time(date: &PartialDate) -> String {
    let (year, month, day) = date.earliest();
    format!("{year:04}-{month:02}-{day:02}T00:00:00Z")
}

/// The fifty most recently adopted instruments, newest first.
pub fn feed(catalogue: &Catalogue) -> FeedView {
    let config = &catalogue.config;
    let mut dated: Vec<_> = catalogue
        .entries
        .iter()
        .filter_map(|e| e.instrument.adopted.as_ref().map(|d| (d.value, e)))
        .collect();
    dated.sort_by(|(a, ea), (b, eb)| {
        b.cmp(a).then_with(|| ea.instrument.id.value.cmp(&eb.instrument.id.value))
    });
    let latest = config.current_to.or_else(|| dated.first().map(|(d, _)| *d));
    let entries = dated
        .into_iter()
        .take(50)
        .map(|(date, entry)| FeedEntry {
            title: entry.instrument.title.value.clone(),
            url: absolute_url(&config.base_url, &instrument_url(&entry.instrument.id.value)),
            updated: atom_time(&entry.instrument.reviewed.as_ref().map_or(date, |r| r.value)),
            summary: entry.outline.summary.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect();
    FeedView {
        id: config.base_url.clone(),
        updated: latest.map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| atom_time(&d)),
        entries,
    }
}
