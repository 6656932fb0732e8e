//! The pages of the built site that a change touches: instrument pages, the
//! pages that show a changed title, list pages and free pages. Paths are
//! those of the default language; every other language has the same pages
//! under its own folder.

use std::collections::{BTreeMap, BTreeSet};

use super::{Changed, LISTED_FIELDS, PageChange, PageEffect, Pair, id, page_of};
use crate::catalogue::{Catalogue, Entry};

/// The pages that change, each with the strongest effect found: a page
/// added or removed is not also "changed".
#[derive(Default)]
pub(super) struct Pages(BTreeMap<String, PageEffect>);

impl Pages {
    pub(super) fn set(&mut self, path: &str, effect: PageEffect) {
        let current = self.0.entry(path.to_owned()).or_insert(effect);
        *current = (*current).min(effect);
    }

    /// An instrument only one side has: its page, the lists it is on, and the
    /// pages of the instruments it is related to or links to.
    pub(super) fn instrument_gone_or_new(
        &mut self,
        catalogue: &Catalogue,
        index: usize,
        effect: PageEffect,
    ) {
        let entry = &catalogue.entries[index];
        self.set(&page_of(&entry.instrument.id.value), effect);
        for list in lists(catalogue, entry) {
            self.set(&list, PageEffect::Changed);
        }
        for other in neighbours(entry) {
            self.set(&page_of(id(catalogue, other)), PageEffect::Changed);
        }
    }

    /// An instrument both sides have that differs.
    pub(super) fn instrument_changed(
        &mut self,
        a: &Catalogue,
        b: &Catalogue,
        pair: &Pair,
        changed: &Changed,
        renames: &BTreeMap<&str, &str>,
    ) {
        let (was, is) = (&a.entries[pair.old], &b.entries[pair.new]);
        self.set(&page_of(&changed.id), PageEffect::Changed);
        for relation in changed.relations_gained.iter().chain(&changed.relations_lost) {
            self.set(&page_of(&relation.other), PageEffect::Changed);
        }
        if changed.fields.iter().any(|f| LISTED_FIELDS.contains(&f.field.as_str())) {
            for list in lists(a, was).into_iter().chain(lists(b, is)) {
                self.set(&list, PageEffect::Changed);
            }
        }
        let title_changed =
            changed.fields.iter().any(|f| f.field == "title" || f.field == "short_title");
        let old_links: BTreeSet<&str> = was
            .links_to
            .iter()
            .map(|&o| id(a, o))
            .map(|o| renames.get(o).copied().unwrap_or(o))
            .collect();
        let new_links: BTreeSet<&str> = is.links_to.iter().map(|&o| id(b, o)).collect();
        for other in old_links.symmetric_difference(&new_links) {
            self.set(&page_of(other), PageEffect::Changed);
        }
        if title_changed {
            for other in neighbours(is) {
                self.set(&page_of(id(b, other)), PageEffect::Changed);
            }
        }
    }

    /// Free pages added, removed or changed, by language and id.
    pub(super) fn free_pages(&mut self, a: &Catalogue, b: &Catalogue) {
        let index = |catalogue: &Catalogue| -> BTreeMap<String, String> {
            let default = catalogue.config.default_language();
            catalogue
                .pages
                .iter()
                .map(|p| {
                    let page = &p.page;
                    let prefix = if page.language == default {
                        String::new()
                    } else {
                        format!("{}/", page.language)
                    };
                    (format!("{prefix}{}/", page.id), page.file.text.clone())
                })
                .collect()
        };
        let (old, new) = (index(a), index(b));
        for (path, text) in &new {
            match old.get(path) {
                None => self.set(path, PageEffect::Added),
                Some(before) if before != text => self.set(path, PageEffect::Changed),
                Some(_) => {}
            }
        }
        for path in old.keys().filter(|p| !new.contains_key(*p)) {
            self.set(path, PageEffect::Removed);
        }
    }

    pub(super) fn finish(self, base_url: &str) -> Vec<PageChange> {
        let base = base_url.trim_end_matches('/');
        self.0
            .into_iter()
            .map(|(path, change)| PageChange { url: format!("{base}/{path}"), path, change })
            .collect()
    }
}

/// The list pages an entry appears on, with the home page and the
/// classification overview, whose counts include it.
fn lists(catalogue: &Catalogue, entry: &Entry) -> Vec<String> {
    let classification = &catalogue.classification;
    let instrument = &entry.instrument;
    let mut lists = vec![String::new(), "classification/".to_owned(), "instruments/".to_owned()];
    if let Some(kind) = classification.instrument_type(&instrument.kind.value) {
        lists.push(format!("categories/{}/", kind.category.value));
    }
    lists.push(format!("types/{}/", instrument.kind.value));
    lists.push(format!("bodies/{}/", instrument.body.value));
    for subject in &instrument.subjects {
        lists.push(format!("subjects/{}/", subject.value));
        if let Some(parent) = classification.subject(&subject.value).and_then(|s| s.parent.as_ref())
        {
            lists.push(format!("subjects/{}/", parent.value));
        }
    }
    lists.push(format!("statuses/{}/", instrument.status.value));
    lists.push("years/".to_owned());
    if let Some(adopted) = &instrument.adopted {
        lists.push(format!("years/{}s/", adopted.value.year / 10 * 10));
    }
    lists
}

/// The instruments whose pages show this entry's title: related ones, and
/// those it links to (their "referenced by" lists it).
fn neighbours(entry: &Entry) -> BTreeSet<usize> {
    entry.relations.iter().map(|r| r.other).chain(entry.links_to.iter().copied()).collect()
}
