//! List pages and the tables of counts: every instrument grouped by
//! category, type, body, subject, status and decade. Each grouping is one
//! pass over the catalogue into maps, so the work grows with its size.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{GroupView, ItemView, ListingView, TermRow, Views, VocabularyView};
use super::group;
use crate::catalogue::{Catalogue, Entry};

/// Members of each key of a vocabulary, in catalogue order.
fn members_by<'a>(
    catalogue: &'a Catalogue,
    keys: impl Fn(&'a Entry) -> Vec<&'a str>,
) -> BTreeMap<&'a str, Vec<&'a Entry>> {
    let mut map: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for entry in &catalogue.entries {
        for key in keys(entry) {
            map.entry(key).or_default().push(entry);
        }
    }
    map
}

/// The subject keys of an entry with their parents, each once.
fn subject_keys<'a>(catalogue: &'a Catalogue, entry: &'a Entry) -> Vec<&'a str> {
    let mut keys: Vec<&str> = Vec::new();
    for subject in &entry.instrument.subjects {
        let key = subject.value.as_str();
        let parent = catalogue
            .classification
            .subject(key)
            .and_then(|s| s.parent.as_ref())
            .map(|p| p.value.as_str());
        for key in std::iter::once(key).chain(parent) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

fn decade_of(entry: &Entry) -> Option<i32> {
    entry.instrument.adopted.as_ref().map(|d| d.value.year / 10 * 10)
}

/// Members split into one group per type, in classification order.
fn by_type(catalogue: &Catalogue, views: &Views<'_>, members: &[&Entry]) -> Vec<GroupView> {
    let mut per_type: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for &entry in members {
        per_type
            .entry(catalogue.classification.type_order(&entry.instrument.kind.value))
            .or_default()
            .push(entry);
    }
    per_type
        .into_iter()
        .map(|(order, members)| {
            let kind = &catalogue.classification.types[order];
            group(
                kind.plural.clone(),
                kind.key.value.clone(),
                Some(format!("types/{}/", kind.key.value)),
                views,
                members,
            )
        })
        .collect()
}

fn listing(
    title: String,
    kind: &str,
    intro: Option<String>,
    groups: Vec<GroupView>,
) -> ListingView {
    let count = groups.iter().map(|g| g.items.len()).sum();
    ListingView { title, kind: kind.to_owned(), intro, groups, count }
}

/// Every list page with its URL.
pub fn all(catalogue: &Catalogue) -> Vec<(String, ListingView)> {
    let views = Views { catalogue };
    let classification = &catalogue.classification;
    let everything: Vec<&Entry> = catalogue.entries.iter().collect();
    let mut pages = vec![(
        "instruments/".to_owned(),
        listing(
            "All instruments and tools".to_owned(),
            "Index",
            None,
            by_type(catalogue, &views, &everything),
        ),
    )];

    let categories = members_by(catalogue, |e| {
        classification
            .instrument_type(&e.instrument.kind.value)
            .map(|t| vec![t.category.value.as_str()])
            .unwrap_or_default()
    });
    for category in &classification.categories {
        let members = categories.get(category.key.value.as_str()).cloned().unwrap_or_default();
        let view = listing(
            category.label.clone(),
            "Category",
            category.description.clone(),
            by_type(catalogue, &views, &members),
        );
        pages.push((format!("categories/{}/", category.key.value), view));
    }

    let types = members_by(catalogue, |e| vec![e.instrument.kind.value.as_str()]);
    for kind in &classification.types {
        let members = types.get(kind.key.value.as_str()).cloned().unwrap_or_default();
        let groups = vec![group(kind.plural.clone(), "all".to_owned(), None, &views, members)];
        pages.push((
            format!("types/{}/", kind.key.value),
            listing(kind.plural.clone(), "Type", None, groups),
        ));
    }

    let bodies = members_by(catalogue, |e| vec![e.instrument.body.value.as_str()]);
    for body in &classification.bodies {
        let members = bodies.get(body.key.value.as_str()).cloned().unwrap_or_default();
        let view = listing(
            body.label.clone(),
            "Issuing body",
            body.description.clone(),
            by_type(catalogue, &views, &members),
        );
        pages.push((format!("bodies/{}/", body.key.value), view));
    }

    let subjects = members_by(catalogue, |e| subject_keys(catalogue, e));
    for subject in &classification.subjects {
        let members = subjects.get(subject.key.value.as_str()).cloned().unwrap_or_default();
        let view =
            listing(subject.label.clone(), "Subject", None, by_type(catalogue, &views, &members));
        pages.push((format!("subjects/{}/", subject.key.value), view));
    }

    let statuses = members_by(catalogue, |e| vec![e.instrument.status.value.as_str()]);
    for status in &classification.statuses {
        let members = statuses.get(status.key.value.as_str()).cloned().unwrap_or_default();
        let view =
            listing(status.label.clone(), "Status", None, by_type(catalogue, &views, &members));
        pages.push((format!("statuses/{}/", status.key.value), view));
    }

    pages.extend(years(catalogue, &views));
    pages
}

/// The years overview (a group per decade) and a page per decade (a group
/// per year).
fn years(catalogue: &Catalogue, views: &Views<'_>) -> Vec<(String, ListingView)> {
    let mut decades: BTreeMap<i32, Vec<&Entry>> = BTreeMap::new();
    let mut undated = Vec::new();
    for entry in &catalogue.entries {
        match decade_of(entry) {
            Some(decade) => decades.entry(decade).or_default().push(entry),
            None => undated.push(entry),
        }
    }
    let mut overview: Vec<GroupView> = decades
        .iter()
        .map(|(decade, members)| {
            group(
                format!("{decade}s"),
                format!("d{decade}"),
                Some(format!("years/{decade}s/")),
                views,
                members.clone(),
            )
        })
        .collect();
    if !undated.is_empty() {
        overview.push(group(
            "Date of adoption not established".to_owned(),
            "undated".to_owned(),
            None,
            views,
            undated,
        ));
    }
    let intro = Some(
        "Instruments and tools by the decade of their adoption, each decade in order of date."
            .to_owned(),
    );
    let mut pages =
        vec![("years/".to_owned(), listing("Years".to_owned(), "Chronology", intro, overview))];

    for (decade, members) in decades {
        let mut by_year: BTreeMap<i32, Vec<&Entry>> = BTreeMap::new();
        for entry in members {
            let year = entry.instrument.adopted.as_ref().map_or(decade, |d| d.value.year);
            by_year.entry(year).or_default().push(entry);
        }
        let groups = by_year
            .into_iter()
            .map(|(year, members)| {
                group(year.to_string(), format!("y{year}"), None, views, members)
            })
            .collect();
        pages.push((
            format!("years/{decade}s/"),
            listing(format!("{decade}s"), "Decade", None, groups),
        ));
    }
    pages
}

/// A category with its types, for the home page.
#[derive(Serialize)]
pub struct CategoryCard {
    label: String,
    url: String,
    count: usize,
    description: Option<String>,
    types: Vec<TermRow>,
}

/// The home page.
#[derive(Serialize)]
pub struct HomeView {
    count: usize,
    categories: Vec<CategoryCard>,
    subjects: Vec<TermRow>,
    recent: Vec<ItemView>,
}

/// The home page's view: categories with their types, subjects, and the
/// most recently adopted entries.
pub fn home(catalogue: &Catalogue) -> HomeView {
    let views = Views { catalogue };
    let tables = classification(catalogue);
    let types = tables.iter().find(|t| t.id == "types").map(|t| t.rows.clone()).unwrap_or_default();
    let categories = catalogue
        .classification
        .categories
        .iter()
        .map(|category| {
            let members: Vec<TermRow> = catalogue
                .classification
                .types
                .iter()
                .filter(|t| t.category.value == category.key.value)
                .filter_map(|t| types.iter().find(|row| row.key == t.key.value).cloned())
                .filter(|row| row.count > 0)
                .collect();
            CategoryCard {
                label: category.label.clone(),
                url: format!("categories/{}/", category.key.value),
                count: members.iter().map(|r| r.count).sum(),
                description: category.description.clone(),
                types: members,
            }
        })
        .collect();
    let subjects =
        tables.iter().find(|t| t.id == "subjects").map(|t| t.rows.clone()).unwrap_or_default();

    let mut dated: Vec<&Entry> =
        catalogue.entries.iter().filter(|e| e.instrument.adopted.is_some()).collect();
    dated.sort_by(|a, b| {
        (b.instrument.adopted.as_ref().map(|d| d.value), &a.instrument.id.value)
            .cmp(&(a.instrument.adopted.as_ref().map(|d| d.value), &b.instrument.id.value))
    });
    let recent = dated.into_iter().take(8).map(|e| views.item(e)).collect();
    HomeView { count: catalogue.entries.len(), categories, subjects, recent }
}

/// Every vocabulary with the number of instruments under each term.
pub fn classification(catalogue: &Catalogue) -> Vec<VocabularyView> {
    let classification = &catalogue.classification;
    let count = |map: &BTreeMap<&str, Vec<&Entry>>, key: &str| map.get(key).map_or(0, Vec::len);
    let row = |label: &str, key: &str, folder: &str, count: usize, depth: u8| TermRow {
        label: label.to_owned(),
        key: key.to_owned(),
        url: format!("{folder}/{key}/"),
        count,
        depth,
    };

    let types = members_by(catalogue, |e| vec![e.instrument.kind.value.as_str()]);
    let mut type_rows = Vec::new();
    for category in &classification.categories {
        let kinds: Vec<_> = classification
            .types
            .iter()
            .filter(|t| t.category.value == category.key.value)
            .collect();
        let total = kinds.iter().map(|t| count(&types, &t.key.value)).sum();
        type_rows.push(row(&category.label, &category.key.value, "categories", total, 0));
        type_rows.extend(
            kinds
                .iter()
                .map(|t| row(&t.plural, &t.key.value, "types", count(&types, &t.key.value), 1)),
        );
    }

    let bodies = members_by(catalogue, |e| vec![e.instrument.body.value.as_str()]);
    let subjects = members_by(catalogue, |e| subject_keys(catalogue, e));
    let statuses = members_by(catalogue, |e| vec![e.instrument.status.value.as_str()]);
    let mut relation_counts = vec![0; classification.relations.len()];
    for edge in &catalogue.edges {
        relation_counts[edge.kind] += 1;
    }

    vec![
        VocabularyView {
            title: "Categories and types".to_owned(),
            id: "types".to_owned(),
            rows: type_rows,
        },
        VocabularyView {
            title: "Issuing bodies".to_owned(),
            id: "bodies".to_owned(),
            rows: classification
                .bodies
                .iter()
                .map(|b| row(&b.label, &b.key.value, "bodies", count(&bodies, &b.key.value), 0))
                .collect(),
        },
        VocabularyView {
            title: "Subjects".to_owned(),
            id: "subjects".to_owned(),
            rows: classification
                .subjects
                .iter()
                .map(|s| {
                    row(
                        &s.label,
                        &s.key.value,
                        "subjects",
                        count(&subjects, &s.key.value),
                        u8::from(s.parent.is_some()),
                    )
                })
                .collect(),
        },
        VocabularyView {
            title: "Statuses".to_owned(),
            id: "statuses".to_owned(),
            rows: classification
                .statuses
                .iter()
                .map(|s| row(&s.label, &s.key.value, "statuses", count(&statuses, &s.key.value), 0))
                .collect(),
        },
        VocabularyView {
            title: "Relations".to_owned(),
            id: "relations".to_owned(),
            rows: classification
                .relations
                .iter()
                .zip(&relation_counts)
                .map(|(r, &n)| TermRow {
                    label: format!("{} / {}", r.label, r.inverse_label),
                    key: r.key.value.clone(),
                    url: String::new(),
                    count: n,
                    depth: 0,
                })
                .collect(),
        },
    ]
}
