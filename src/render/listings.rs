//! List pages and the tables of counts: every instrument grouped by
//! category, type, body, subject, status and decade. Each grouping is one
//! pass over the catalogue into maps, so the work grows with its size.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{GroupView, ItemView, LinkView, ListingView, TermRow, Views, VocabularyView};
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
            crate::work::count(crate::work::Work::GroupedItems);
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
pub fn by_type(views: &Views<'_>, members: &[&Entry]) -> Vec<GroupView> {
    let catalogue = views.catalogue;
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
                kind.plural_in(&views.locale.code).to_owned(),
                kind.key.value.clone(),
                Some(views.url(&format!("types/{}/", kind.key.value))),
                views,
                members,
            )
        })
        .collect()
}

fn listing(title: &str, kind: &str, intro: Option<&str>, groups: Vec<GroupView>) -> ListingView {
    let count = groups.iter().map(|g| g.items.len()).sum();
    let intro = intro.map(str::to_owned);
    ListingView {
        title: title.to_owned(),
        kind: kind.to_owned(),
        intro,
        groups,
        count,
        points_in_time: Vec::new(),
        picture: None,
    }
}

/// The URLs of every list page, in the order [`all`] builds them.
pub fn urls(catalogue: &Catalogue) -> Vec<String> {
    let c = &catalogue.classification;
    let mut urls = vec!["instruments/".to_owned()];
    urls.extend(c.categories.iter().map(|t| format!("categories/{}/", t.key.value)));
    urls.extend(c.types.iter().map(|t| format!("types/{}/", t.key.value)));
    urls.extend(c.bodies.iter().map(|t| format!("bodies/{}/", t.key.value)));
    urls.extend(c.subjects.iter().map(|t| format!("subjects/{}/", t.key.value)));
    urls.extend(c.statuses.iter().map(|t| format!("statuses/{}/", t.key.value)));
    urls.push("years/".to_owned());
    let decades: std::collections::BTreeSet<i32> =
        catalogue.entries.iter().filter_map(decade_of).collect();
    urls.extend(decades.into_iter().map(|d| format!("years/{d}s/")));
    urls
}

/// The list pages whose default-language URL is `wanted`, with that URL,
/// in the order of [`urls`].
// TODO(perf): list pages are not split into pages; at 100,000 instruments `instruments/` is 29 MB
pub fn all(views: &Views<'_>, wanted: &dyn Fn(&str) -> bool) -> Vec<(String, ListingView)> {
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let text = |key| views.locale.text(key);
    let classification = &catalogue.classification;
    let mut pages = Vec::new();
    if !urls(catalogue).iter().any(|url| wanted(url)) {
        return pages;
    }
    if wanted("instruments/") {
        let everything: Vec<&Entry> = catalogue.entries.iter().collect();
        let groups = by_type(views, &everything);
        let view = listing(text("all_instruments"), text("kind_index"), None, groups);
        pages.push(("instruments/".to_owned(), view));
    }

    let categories = members_by(catalogue, |e| {
        classification
            .instrument_type(&e.instrument.kind.value)
            .map(|t| vec![t.category.value.as_str()])
            .unwrap_or_default()
    });
    for category in &classification.categories {
        let url = format!("categories/{}/", category.key.value);
        if !wanted(&url) {
            continue;
        }
        let members = categories.get(category.key.value.as_str()).cloned().unwrap_or_default();
        let intro = if language == catalogue.config.default_language() {
            category.description.as_deref()
        } else {
            None
        };
        let view = listing(
            category.label_in(language),
            text("kind_category"),
            intro,
            by_type(views, &members),
        );
        pages.push((url, view));
    }

    let types = members_by(catalogue, |e| vec![e.instrument.kind.value.as_str()]);
    for kind in &classification.types {
        let url = format!("types/{}/", kind.key.value);
        if !wanted(&url) {
            continue;
        }
        let members = types.get(kind.key.value.as_str()).cloned().unwrap_or_default();
        let plural = kind.plural_in(language);
        let groups = vec![group(plural.to_owned(), "all".to_owned(), None, views, members)];
        pages.push((url, listing(plural, text("kind_type"), None, groups)));
    }

    let bodies = members_by(catalogue, |e| vec![e.instrument.body.value.as_str()]);
    for body in &classification.bodies {
        let url = format!("bodies/{}/", body.key.value);
        if !wanted(&url) {
            continue;
        }
        let members = bodies.get(body.key.value.as_str()).cloned().unwrap_or_default();
        let view =
            listing(body.label_in(language), text("kind_body"), None, by_type(views, &members));
        pages.push((url, view));
    }

    let subjects = members_by(catalogue, |e| subject_keys(catalogue, e));
    for subject in &classification.subjects {
        let url = format!("subjects/{}/", subject.key.value);
        if !wanted(&url) {
            continue;
        }
        let members = subjects.get(subject.key.value.as_str()).cloned().unwrap_or_default();
        let view = listing(
            subject.label_in(language),
            text("kind_subject"),
            None,
            by_type(views, &members),
        );
        pages.push((url, view));
    }

    let statuses = members_by(catalogue, |e| vec![e.instrument.status.value.as_str()]);
    for status in &classification.statuses {
        let url = format!("statuses/{}/", status.key.value);
        if !wanted(&url) {
            continue;
        }
        let members = statuses.get(status.key.value.as_str()).cloned().unwrap_or_default();
        let view =
            listing(status.label_in(language), text("kind_status"), None, by_type(views, &members));
        pages.push((url, view));
    }

    pages.extend(years(views, wanted));
    pages
}

/// The years overview (a group per decade) and a page per decade (a group
/// per year).
fn years(views: &Views<'_>, wanted: &dyn Fn(&str) -> bool) -> Vec<(String, ListingView)> {
    let text = |key| views.locale.text(key);
    let mut decades: BTreeMap<i32, Vec<&Entry>> = BTreeMap::new();
    let mut undated = Vec::new();
    for entry in &views.catalogue.entries {
        match decade_of(entry) {
            Some(decade) => decades.entry(decade).or_default().push(entry),
            None => undated.push(entry),
        }
    }
    let point_in_time = |year: i32| LinkView {
        title: year.to_string(),
        url: views.url(&super::timeline::year_url(year)),
    };
    let covered = crate::chronology::year_range(views.catalogue);
    let years_of = |from: i32, to: i32| -> Vec<LinkView> {
        covered.map_or_else(Vec::new, |(first, last)| {
            (from.max(first)..=to.min(last)).map(point_in_time).collect()
        })
    };

    let mut pages = Vec::new();
    if wanted("years/") {
        let mut overview: Vec<GroupView> = decades
            .iter()
            .map(|(decade, members)| {
                let url = views.url(&format!("years/{decade}s/"));
                group(format!("{decade}s"), format!("d{decade}"), Some(url), views, members.clone())
            })
            .collect();
        if !undated.is_empty() {
            let undated =
                group(text("undated").to_owned(), "undated".to_owned(), None, views, undated);
            overview.push(undated);
        }
        let mut overview =
            listing(text("years"), text("kind_chronology"), Some(text("years_intro")), overview);
        overview.points_in_time = years_of(i32::MIN, i32::MAX);
        pages.push(("years/".to_owned(), overview));
    }

    for (decade, members) in decades {
        let url = format!("years/{decade}s/");
        if !wanted(&url) {
            continue;
        }
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
        let title = format!("{decade}s");
        let mut view = listing(&title, text("kind_decade"), None, groups);
        view.points_in_time = years_of(decade, decade + 9);
        pages.push((url, view));
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
pub fn home(views: &Views<'_>) -> HomeView {
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let tables = classification(views);
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
            let description = (language == catalogue.config.default_language())
                .then(|| category.description.clone())
                .flatten();
            CategoryCard {
                label: category.label_in(language).to_owned(),
                url: views.url(&format!("categories/{}/", category.key.value)),
                count: members.iter().map(|r| r.count).sum(),
                description,
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
pub fn classification(views: &Views<'_>) -> Vec<VocabularyView> {
    let catalogue = views.catalogue;
    let language = views.locale.code.as_str();
    let text = |key| views.locale.text(key).to_owned();
    let classification = &catalogue.classification;
    let count = |map: &BTreeMap<&str, Vec<&Entry>>, key: &str| map.get(key).map_or(0, Vec::len);
    let row = |label: &str, key: &str, folder: &str, count: usize, depth: u8| TermRow {
        label: label.to_owned(),
        key: key.to_owned(),
        url: views.url(&format!("{folder}/{key}/")),
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
        type_rows.push(row(
            category.label_in(language),
            &category.key.value,
            "categories",
            total,
            0,
        ));
        type_rows.extend(kinds.iter().map(|t| {
            row(t.plural_in(language), &t.key.value, "types", count(&types, &t.key.value), 1)
        }));
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
            title: text("categories_and_types"),
            id: "types".to_owned(),
            rows: type_rows,
        },
        VocabularyView {
            title: text("issuing_bodies"),
            id: "bodies".to_owned(),
            rows: classification
                .bodies
                .iter()
                .map(|b| {
                    row(
                        b.label_in(language),
                        &b.key.value,
                        "bodies",
                        count(&bodies, &b.key.value),
                        0,
                    )
                })
                .collect(),
        },
        VocabularyView {
            title: text("subjects"),
            id: "subjects".to_owned(),
            rows: classification
                .subjects
                .iter()
                .map(|s| {
                    row(
                        s.label_in(language),
                        &s.key.value,
                        "subjects",
                        count(&subjects, &s.key.value),
                        u8::from(s.parent.is_some()),
                    )
                })
                .collect(),
        },
        VocabularyView {
            title: text("statuses"),
            id: "statuses".to_owned(),
            rows: classification
                .statuses
                .iter()
                .map(|s| {
                    row(
                        s.label_in(language),
                        &s.key.value,
                        "statuses",
                        count(&statuses, &s.key.value),
                        0,
                    )
                })
                .collect(),
        },
        VocabularyView {
            title: text("relations"),
            id: "relations".to_owned(),
            rows: classification
                .relations
                .iter()
                .zip(&relation_counts)
                .map(|(r, &n)| TermRow {
                    label: format!(
                        "{} / {}",
                        r.side_label_in(false, language),
                        r.side_label_in(true, language)
                    ),
                    key: r.key.value.clone(),
                    url: String::new(),
                    count: n,
                    depth: 0,
                })
                .collect(),
        },
    ]
}
