//! The catalogue as a spreadsheet: `catalogue.csv`, one row per instrument
//! in id order, with the same fields as `catalogue.json`. Lists (subjects,
//! relations) are joined with `; ` inside their cell; the `csv` crate does
//! the quoting.

use crate::catalogue::Catalogue;
use crate::content::date::PartialDate;
use crate::render::absolute_url;
use crate::render::context::instrument_url;

/// The header row.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "short_title",
    "category",
    "type",
    "body",
    "subjects",
    "status",
    "adopted",
    "year",
    "place",
    "in_force",
    "parties",
    "parties_as_of",
    "source",
    "url",
    "relations",
];

/// Every instrument's metadata as CSV (RFC 4180, `\n` line ends, UTF-8
/// without byte order mark). Relations read `kind: id, id; kind: id`, both
/// sides, with the keys of `classification.yaml`.
pub fn catalogue_csv(catalogue: &Catalogue) -> String {
    let classification = &catalogue.classification;
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS).expect("writing to memory");

    for entry in &catalogue.entries {
        let i = &entry.instrument;
        let category =
            classification.instrument_type(&i.kind.value).map_or("", |t| t.category.value.as_str());
        let subjects: Vec<&str> = i.subjects.iter().map(|s| s.value.as_str()).collect();
        let date = |d: Option<&PartialDate>| d.map(PartialDate::iso).unwrap_or_default();
        let record = [
            i.id.value.clone(),
            i.title.value.clone(),
            i.short_title.as_ref().map(|s| s.value.clone()).unwrap_or_default(),
            category.to_owned(),
            i.kind.value.clone(),
            i.body.value.clone(),
            subjects.join("; "),
            i.status.value.clone(),
            date(i.adopted.as_ref().map(|d| &d.value)),
            i.adopted.as_ref().map(|d| d.value.year.to_string()).unwrap_or_default(),
            i.place.clone().unwrap_or_default(),
            date(i.in_force.as_ref().map(|d| &d.value)),
            i.parties.as_ref().map(|p| p.count.to_string()).unwrap_or_default(),
            date(i.parties.as_ref().and_then(|p| p.as_of.as_ref())),
            i.source.clone().unwrap_or_default(),
            absolute_url(&catalogue.config.base_url, &instrument_url(&i.id.value)),
            relations(catalogue, entry),
        ];
        writer.write_record(&record).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("the records are UTF-8")
}

/// `amends: a, b; superseded-by: c`, in classification order.
fn relations(catalogue: &Catalogue, entry: &crate::catalogue::Entry) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for relation in &entry.relations {
        let kind = &catalogue.classification.relations[relation.kind];
        let key = if relation.inverse { &kind.inverse.value } else { &kind.key.value };
        let other = catalogue.entries[relation.other].instrument.id.value.as_str();
        match groups.last_mut() {
            Some((last, ids)) if last == key => ids.push(other),
            _ => groups.push((key, vec![other])),
        }
    }
    groups
        .iter()
        .map(|(key, ids)| format!("{key}: {}", ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}
