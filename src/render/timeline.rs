//! Instruments in time as pages show them: an instrument's history and
//! status line, and a point-in-time page per year listing what was in force
//! on 31 December with what changed during the year.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{DateView, GroupView, ItemView, LinkView, Views};
use crate::catalogue::Entry;
use crate::chronology::{self, Event, EventKind};
use crate::content::date::PartialDate;

/// One line of an instrument's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryItem {
    /// When.
    pub date: DateView,
    /// What happened.
    pub text: String,
    /// The other instrument, for amendments and supersession.
    pub link: Option<LinkView>,
}

/// An instrument that superseded the one shown, with the day it took effect.
#[derive(Debug, Clone, Serialize)]
pub struct Successor {
    /// The successor.
    pub link: LinkView,
    /// The day it took effect.
    pub date: Option<DateView>,
    /// Whether that day is its entry into force (or else its adoption).
    pub in_force: bool,
}

/// The history of an instrument in the page language.
pub fn history(views: &Views<'_>, index: usize) -> Vec<HistoryItem> {
    let text = |key| views.locale.text(key).to_owned();
    chronology::history(views.catalogue, index)
        .into_iter()
        .map(|Event { date, kind }| {
            let (label, link) = match kind {
                EventKind::Adopted => (text("event_adopted"), None),
                EventKind::EnteredIntoForce => (text("event_in_force"), None),
                EventKind::AmendedBy(other) => (text("event_amended_by"), Some(views.link(other))),
                EventKind::SupersededBy(other) => {
                    (text("event_superseded_by"), Some(views.link(other)))
                }
            };
            HistoryItem { date: views.date(&date), text: label, link }
        })
        .collect()
}

/// The instruments that superseded this one, for the status line.
pub fn successors(views: &Views<'_>, index: usize) -> Vec<Successor> {
    chronology::successors(views.catalogue, index)
        .into_iter()
        .map(|(other, date)| Successor {
            link: views.link(other),
            date: date.map(|d| views.date(&d)),
            in_force: views.catalogue.entries[other].instrument.in_force.is_some(),
        })
        .collect()
}

/// A point-in-time page.
#[derive(Debug, Clone, Serialize)]
pub struct PointInTimeView {
    /// The page title.
    pub title: String,
    /// The year.
    pub year: i32,
    /// 31 December of the year.
    pub date: DateView,
    /// What was in force or current, by type.
    pub groups: Vec<GroupView>,
    /// How many.
    pub count: usize,
    /// What happened during the year.
    pub changes: Vec<Change>,
    /// The years before and after, when covered.
    pub previous: Option<LinkView>,
    /// The next year.
    pub next: Option<LinkView>,
}

/// Something that happened to an instrument during a year.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// When.
    pub date: DateView,
    /// What.
    pub text: String,
    /// To which instrument.
    pub item: ItemView,
}

/// The URL of the point-in-time page of a year.
pub fn year_url(year: i32) -> String {
    format!("in-force/{year}/")
}

/// The point-in-time pages whose URL is `wanted`, with it, one per covered
/// year.
// TODO(perf): not split into pages; at 100,000 instruments one year lists up to 18 MB
pub fn pages(views: &Views<'_>, wanted: &dyn Fn(&str) -> bool) -> Vec<(String, PointInTimeView)> {
    let catalogue = views.catalogue;
    let Some((first, last)) = chronology::year_range(catalogue) else { return Vec::new() };
    if !(first..=last).any(|year| wanted(&year_url(year))) {
        return Vec::new();
    }
    let text = |key| views.locale.text(key).to_owned();
    let link = |year: i32| LinkView { title: year.to_string(), url: views.url(&year_url(year)) };
    let mut changes = changes_by_year(views);

    (first..=last)
        .filter(|&year| wanted(&year_url(year)))
        .map(|year| {
            let day = chronology::year_end(year);
            let members: Vec<&Entry> = (0..catalogue.entries.len())
                .filter(|&i| chronology::in_force_on(catalogue, i, &day))
                .map(|i| &catalogue.entries[i])
                .collect();
            let count = members.len();
            let groups = super::listings::by_type(views, &members);
            let view = PointInTimeView {
                title: format!("{} {}", text("in_force_on_title"), day.long_in(&views.locale.code)),
                year,
                date: views.date(&day),
                groups,
                count,
                changes: changes.remove(&year).unwrap_or_default(),
                previous: (year > first).then(|| link(year - 1)),
                next: (year < last).then(|| link(year + 1)),
            };
            (year_url(year), view)
        })
        .collect()
}

/// What happened in each year, in date order: one pass over every
/// instrument's history.
fn changes_by_year(views: &Views<'_>) -> BTreeMap<i32, Vec<Change>> {
    let catalogue = views.catalogue;
    let mut dated: Vec<(PartialDate, Change)> = Vec::new();
    for (index, entry) in catalogue.entries.iter().enumerate() {
        for event in chronology::history(catalogue, index) {
            let key = match event.kind {
                EventKind::Adopted => "event_adopted",
                EventKind::EnteredIntoForce => "event_in_force",
                EventKind::SupersededBy(_) => "event_superseded",
                EventKind::AmendedBy(_) => continue,
            };
            let text = views.locale.text(key).to_owned();
            dated.push((
                event.date,
                Change { date: views.date(&event.date), text, item: views.item(entry) },
            ));
        }
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.item.id.cmp(&b.1.item.id)));
    let mut by_year: BTreeMap<i32, Vec<Change>> = BTreeMap::new();
    for (date, change) in dated {
        by_year.entry(date.year).or_default().push(change);
    }
    by_year
}
