//! Instruments in time: each one's history as dated events derived from its
//! fields and relations, the status line readers see first, and what was in
//! force (or current, for tools) on a given day.
//!
//! An instrument takes effect on its entry into force, or, when it has none
//! (recommendations, resolutions, tools), on its adoption. It stops when an
//! instrument that supersedes it takes effect. Dates of lower precision count
//! from their first day for a start and their last day for an end, so a
//! partial date never claims more than it knows.

use crate::catalogue::{Catalogue, Entry};
use crate::content::date::PartialDate;

/// What happened to an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    /// It was adopted or signed.
    Adopted,
    /// It entered into force.
    EnteredIntoForce,
    /// Another instrument amended it.
    AmendedBy(usize),
    /// Another instrument superseded it.
    SupersededBy(usize),
}

/// A dated event of an instrument's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When.
    pub date: PartialDate,
    /// What.
    pub kind: EventKind,
}

/// The day an instrument takes effect: entry into force, else adoption.
pub fn start(entry: &Entry) -> Option<PartialDate> {
    let instrument = &entry.instrument;
    instrument.in_force.as_ref().or(instrument.adopted.as_ref()).map(|d| d.value)
}

/// The instruments that supersede `index`, with the day each took effect.
pub fn successors(catalogue: &Catalogue, index: usize) -> Vec<(usize, Option<PartialDate>)> {
    let entry = &catalogue.entries[index];
    entry
        .relations
        .iter()
        .filter(|r| {
            r.inverse && catalogue.classification.relations[r.kind].key.value == "supersedes"
        })
        .map(|r| (r.other, start(&catalogue.entries[r.other])))
        .collect()
}

/// The earliest day a successor took effect, if any successor has a date.
pub fn end(catalogue: &Catalogue, index: usize) -> Option<PartialDate> {
    successors(catalogue, index).into_iter().filter_map(|(_, date)| date).min()
}

/// The dated history of an instrument, oldest first.
pub fn history(catalogue: &Catalogue, index: usize) -> Vec<Event> {
    let entry = &catalogue.entries[index];
    let instrument = &entry.instrument;
    let mut events = Vec::new();
    if let Some(adopted) = &instrument.adopted {
        events.push(Event { date: adopted.value, kind: EventKind::Adopted });
    }
    if let Some(in_force) = &instrument.in_force {
        events.push(Event { date: in_force.value, kind: EventKind::EnteredIntoForce });
    }
    for relation in entry.relations.iter().filter(|r| r.inverse) {
        let other = &catalogue.entries[relation.other];
        let Some(date) = start(other) else { continue };
        match catalogue.classification.relations[relation.kind].key.value.as_str() {
            "amends" => events.push(Event { date, kind: EventKind::AmendedBy(relation.other) }),
            "supersedes" => {
                events.push(Event { date, kind: EventKind::SupersededBy(relation.other) })
            }
            _ => {}
        }
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(&b.kind)));
    events
}

/// Whether the instrument was in force (or current) on `day`.
///
/// It must have taken effect by then, must not have been superseded by
/// then, and its status must not say it never took effect.
pub fn in_force_on(catalogue: &Catalogue, index: usize, day: &PartialDate) -> bool {
    let entry = &catalogue.entries[index];
    let status = entry.instrument.status.value.as_str();
    if status == "not-in-force" {
        return false;
    }
    let Some(start) = start(entry) else { return false };
    if start.earliest() > day.latest() {
        return false;
    }
    match end(catalogue, index) {
        Some(end) => end.latest() > day.latest(),
        None => {
            catalogue.classification.status(status).is_some_and(|s| s.active) || status == "unknown"
        }
    }
}

/// The first and last years that point-in-time pages cover: from the first
/// adoption to the catalogue's currency date (or the last adoption).
pub fn year_range(catalogue: &Catalogue) -> Option<(i32, i32)> {
    let years = catalogue.entries.iter().filter_map(|e| start(e).map(|d| d.year));
    let adopted = catalogue
        .entries
        .iter()
        .filter_map(|e| e.instrument.adopted.as_ref().map(|d| d.value.year));
    let first = adopted.clone().chain(years.clone()).min()?;
    let last = catalogue
        .config
        .current_to
        .map_or_else(|| years.chain(adopted).max().unwrap_or(first), |d| d.year);
    Some((first, last))
}

/// 31 December of `year`.
pub fn year_end(year: i32) -> PartialDate {
    PartialDate { year, month: Some(12), day: Some(31) }
}
