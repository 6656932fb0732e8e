//! `folio diff`: what a change means for the catalogue. Both sides are loaded
//! and assembled as a build would do it, and the catalogues are compared, not
//! the texts: a relation declared in one file shows as gained by both of its
//! instruments, and a renamed file is one rename, not a removal and an
//! addition.
//!
//! What the words mean here:
//!
//! - *renamed*: the id or the file of an instrument changed. The same id in
//!   another file is a move; an id that is gone and an id that is new are one
//!   instrument renamed when their titles are equal or, failing that, when
//!   their Markdown bodies are equal and not empty.
//! - *changed*: an instrument on both sides (after renames) whose fields,
//!   text or relations differ. Relations are compared from each
//!   instrument's own page: its declared side and the derived inverse.
//! - *pages affected*: the instrument pages added, removed or changed; the
//!   pages that show a changed title (related and linked instruments); the
//!   list pages an added, removed or re-classified instrument is on, on
//!   either side; and free pages. Site-wide files (`catalogue.json`, the
//!   feed, the sitemap, the search index) change with any of these and are
//!   not listed.

mod git;
mod human;
mod pages;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

pub use human::human;

use pages::Pages;

use crate::catalogue::{Catalogue, Entry};
use crate::content::{self, date::PartialDate};
use crate::diagnostics::{Diagnostics, Severity};
use crate::error::{Error, Result};
use crate::source::Spanned;

/// One side of the comparison, loaded.
#[derive(Debug)]
pub struct Side {
    /// What it is: a revision, or [`WORKING_TREE`].
    pub label: String,
    /// The assembled catalogue.
    pub catalogue: Catalogue,
    /// How many errors loading found (files that did not load are missing).
    pub errors: usize,
    /// The text of `site.yaml`.
    settings: String,
}

/// Load the site at `root` as it is on disk.
pub fn load_working_tree(root: &Path) -> Result<Side> {
    load(root, WORKING_TREE)
}

/// The label of the files on disk, as opposed to a revision.
pub const WORKING_TREE: &str = "working tree";

/// Load the site at `root` as revision `rev` of its git repository has it.
pub fn load_revision(root: &Path, rev: &str) -> Result<Side> {
    let folder = git::checkout_content(root, rev)?;
    load(folder.path(), rev)
}

fn load(root: &Path, label: &str) -> Result<Side> {
    let mut diagnostics = Diagnostics::new();
    let Some(content) = content::load(root, &mut diagnostics)? else {
        return Err(Error::Usage(format!(
            "the site settings or the classification of {} cannot be read; \
             `folio check` there says why",
            human::side(label)
        )));
    };
    let settings = std::fs::read_to_string(root.join("content/site.yaml")).unwrap_or_default();
    Ok(Side {
        label: label.to_owned(),
        catalogue: Catalogue::assemble(content),
        errors: diagnostics.count(Severity::Error),
        settings,
    })
}

/// What changed between two catalogues.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueDiff {
    /// The old side: a revision.
    pub from: String,
    /// The new side: a revision or [`WORKING_TREE`].
    pub to: String,
    /// Instruments only the new side has.
    pub added: Vec<Instrument>,
    /// Instruments only the old side has.
    pub removed: Vec<Instrument>,
    /// Instruments whose id or file changed.
    pub renamed: Vec<Renamed>,
    /// Instruments on both sides that differ.
    pub changed: Vec<Changed>,
    /// The status changes among them.
    pub statuses: Vec<StatusChange>,
    /// The pages of the site that change: instrument and list pages in the
    /// default language, free pages in their own.
    pub pages: Vec<PageChange>,
    /// The language folders where each instrument and list page exists too
    /// (`ru/`).
    pub also_under: Vec<String>,
    /// Whether `classification.yaml` changed (labels show on every page).
    pub classification_changed: bool,
    /// Whether `site.yaml` changed (its values show on every page).
    pub settings_changed: bool,
    /// Loading errors of each side: files that did not load are missing.
    pub errors: Errors,
}

/// An instrument added or removed.
#[derive(Debug, Clone, Serialize)]
pub struct Instrument {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its type key.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its status key.
    pub status: String,
    /// Its file.
    pub path: String,
    /// Its page.
    pub page: String,
    /// Its relations, both sides.
    pub relations: Vec<Relation>,
}

/// One side of a relation, as an instrument's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Relation {
    /// The side's key: `amends`, or the derived `amended-by`.
    pub relation: String,
    /// The other instrument's id.
    pub other: String,
    /// The side's label.
    pub label: String,
}

/// An instrument whose id or file changed.
#[derive(Debug, Clone, Serialize)]
pub struct Renamed {
    /// The old id.
    pub from: String,
    /// The new id.
    pub to: String,
    /// The old file.
    pub from_path: String,
    /// The new file.
    pub to_path: String,
    /// Why both are one instrument: `id`, `title` or `text`.
    pub matched_by: &'static str,
}

/// An instrument on both sides that differs.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    /// The id (the new one, when it was renamed).
    pub id: String,
    /// Its file.
    pub path: String,
    /// Its title.
    pub title: String,
    /// The fields that differ.
    pub fields: Vec<FieldChange>,
    /// Whether the Markdown body differs.
    pub text_changed: bool,
    /// Relations its page shows now and did not before.
    pub relations_gained: Vec<Relation>,
    /// Relations its page showed before and does not now.
    pub relations_lost: Vec<Relation>,
}

/// A field's old and new value; `None` where it is absent.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    /// The front matter field (or `translation.<language>`).
    pub field: String,
    /// Before.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// A changed status, with its labels.
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    /// The instrument's id.
    pub id: String,
    /// The old status key.
    pub old: String,
    /// The new status key.
    pub new: String,
    /// The old status's label.
    pub old_label: String,
    /// The new status's label.
    pub new_label: String,
}

/// What happens to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageEffect {
    /// The page is new.
    Added,
    /// The page is gone.
    Removed,
    /// The page shows something else.
    Changed,
}

/// A page of the built site that changes.
#[derive(Debug, Clone, Serialize)]
pub struct PageChange {
    /// Its path below the site root (`instruments/x/`; empty for the home page).
    pub path: String,
    /// Its address.
    pub url: String,
    /// What happens to it.
    pub change: PageEffect,
}

/// Loading errors of each side.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Errors {
    /// Of the old side.
    pub from: usize,
    /// Of the new side.
    pub to: usize,
}

impl CatalogueDiff {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.changed.is_empty()
            && self.pages.is_empty()
            && !self.classification_changed
            && !self.settings_changed
    }
}

/// The fields whose values list pages show or group by.
const LISTED_FIELDS: &[&str] =
    &["title", "short_title", "type", "body", "subjects", "status", "adopted"];

/// Compare two loaded sides.
pub fn compare(old: &Side, new: &Side) -> CatalogueDiff {
    let (a, b) = (&old.catalogue, &new.catalogue);
    let pairs = pair(a, b);
    let renames: BTreeMap<&str, &str> =
        pairs.iter().map(|p| (id(a, p.old), id(b, p.new))).collect();

    let mut pages = Pages::default();
    let mut diff = CatalogueDiff {
        from: old.label.clone(),
        to: new.label.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        renamed: Vec::new(),
        changed: Vec::new(),
        statuses: Vec::new(),
        pages: Vec::new(),
        also_under: b.config.languages.iter().skip(1).map(|l| format!("{l}/")).collect(),
        classification_changed: a.classification.file.text != b.classification.file.text,
        settings_changed: old.settings != new.settings,
        errors: Errors { from: old.errors, to: new.errors },
    };

    let paired_new: BTreeSet<usize> = pairs.iter().map(|p| p.new).collect();
    let paired_old: BTreeSet<usize> = pairs.iter().map(|p| p.old).collect();
    for index in (0..b.entries.len()).filter(|i| !paired_new.contains(i)) {
        diff.added.push(summary(b, index));
        pages.instrument_gone_or_new(b, index, PageEffect::Added);
    }
    for index in (0..a.entries.len()).filter(|i| !paired_old.contains(i)) {
        diff.removed.push(summary(a, index));
        pages.instrument_gone_or_new(a, index, PageEffect::Removed);
    }

    for pair in &pairs {
        compare_pair(a, b, pair, &renames, &mut diff, &mut pages);
    }
    pages.free_pages(a, b);

    diff.added.sort_by(|x, y| x.id.cmp(&y.id));
    diff.removed.sort_by(|x, y| x.id.cmp(&y.id));
    diff.renamed.sort_by(|x, y| x.to.cmp(&y.to));
    diff.changed.sort_by(|x, y| x.id.cmp(&y.id));
    diff.statuses.sort_by(|x, y| x.id.cmp(&y.id));
    diff.pages = pages.finish(&b.config.base_url);
    diff
}

/// Record what differs for one instrument that both sides have.
fn compare_pair(
    a: &Catalogue,
    b: &Catalogue,
    pair: &Pair,
    renames: &BTreeMap<&str, &str>,
    diff: &mut CatalogueDiff,
    pages: &mut Pages,
) {
    let (was, is) = (&a.entries[pair.old], &b.entries[pair.new]);
    let (from, to) = (id(a, pair.old), id(b, pair.new));
    let (from_path, to_path) = (path_of(was), path_of(is));
    if from != to || from_path != to_path {
        diff.renamed.push(Renamed {
            from: from.to_owned(),
            to: to.to_owned(),
            from_path,
            to_path,
            matched_by: pair.matched_by,
        });
    }
    if from != to {
        pages.set(&page_of(from), PageEffect::Removed);
        pages.set(&page_of(to), PageEffect::Added);
    }

    let Some(changed) = changed(a, b, pair, renames) else { return };
    pages.instrument_changed(a, b, pair, &changed, renames);
    if let Some(status) = changed.fields.iter().find(|f| f.field == "status") {
        diff.statuses.push(status_change(a, b, to, status));
    }
    diff.changed.push(changed);
}

/// The same instrument on both sides, by index.
struct Pair {
    old: usize,
    new: usize,
    matched_by: &'static str,
}

/// Pair the instruments of both sides: by id first, then the ids left over
/// by title, then by body text. Each of the later passes takes the first
/// unpaired match in id order.
fn pair(a: &Catalogue, b: &Catalogue) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = (0..a.entries.len())
        .filter_map(|old| {
            let new = b.index_of(id(a, old))?;
            Some(Pair { old, new, matched_by: "id" })
        })
        .collect();

    for by in ["title", "text"] {
        let key_of = |entry: &Entry| match by {
            "title" => entry.instrument.title.value.trim().to_owned(),
            _ => entry.instrument.markdown().trim().to_owned(),
        };
        let paired_old: BTreeSet<usize> = pairs.iter().map(|p| p.old).collect();
        let paired_new: BTreeSet<usize> = pairs.iter().map(|p| p.new).collect();
        let mut fresh: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for new in (0..b.entries.len()).filter(|n| !paired_new.contains(n)) {
            fresh.entry(key_of(&b.entries[new])).or_default().push(new);
        }

        for old in (0..a.entries.len()).filter(|o| !paired_old.contains(o)) {
            let key = key_of(&a.entries[old]);
            let candidates = fresh.get_mut(&key).filter(|c| !key.is_empty() && !c.is_empty());
            if let Some(candidates) = candidates {
                pairs.push(Pair { old, new: candidates.remove(0), matched_by: by });
            }
        }
    }
    pairs
}

fn id(catalogue: &Catalogue, index: usize) -> &str {
    &catalogue.entries[index].instrument.id.value
}

fn path_of(entry: &Entry) -> String {
    entry.instrument.file.path.to_string_lossy().replace('\\', "/")
}

fn page_of(id: &str) -> String {
    format!("instruments/{id}/")
}

fn summary(catalogue: &Catalogue, index: usize) -> Instrument {
    let entry = &catalogue.entries[index];
    let instrument = &entry.instrument;
    Instrument {
        id: instrument.id.value.clone(),
        title: instrument.title.value.clone(),
        kind: instrument.kind.value.clone(),
        status: instrument.status.value.clone(),
        path: path_of(entry),
        page: page_of(&instrument.id.value),
        relations: relations(catalogue, entry, &BTreeMap::new()).into_iter().collect(),
    }
}

/// The relations an entry's page shows, with the other side's id mapped
/// through `renames` (old id → new id) so that a rename is not a change.
fn relations(
    catalogue: &Catalogue,
    entry: &Entry,
    renames: &BTreeMap<&str, &str>,
) -> BTreeSet<Relation> {
    entry
        .relations
        .iter()
        .map(|end| {
            let kind = &catalogue.classification.relations[end.kind];
            let (relation, label) = if end.inverse {
                (&kind.inverse.value, &kind.inverse_label)
            } else {
                (&kind.key.value, &kind.label)
            };
            let other = id(catalogue, end.other);
            Relation {
                relation: relation.clone(),
                other: renames.get(other).copied().unwrap_or(other).to_owned(),
                label: label.clone(),
            }
        })
        .collect()
}

/// Every field of an entry as text, in the order of the content format.
fn fields(entry: &Entry) -> Vec<(&'static str, Option<String>)> {
    let i = &entry.instrument;
    let text = |value: &Spanned<String>| Some(value.value.clone());
    let date = |value: &Option<Spanned<PartialDate>>| value.as_ref().map(|d| d.value.iso());
    let parties = i.parties.as_ref().map(|p| match &p.as_of {
        Some(as_of) => format!("{} (as of {})", p.count, as_of.iso()),
        None => p.count.to_string(),
    });
    let subjects: Vec<&str> = i.subjects.iter().map(|s| s.value.as_str()).collect();
    vec![
        ("title", text(&i.title)),
        ("short_title", i.short_title.as_ref().and_then(text)),
        ("type", text(&i.kind)),
        ("body", text(&i.body)),
        ("subjects", Some(subjects.join(", "))),
        ("status", text(&i.status)),
        ("adopted", date(&i.adopted)),
        ("place", i.place.clone()),
        ("in_force", date(&i.in_force)),
        ("reviewed", date(&i.reviewed)),
        ("parties", parties),
        ("source", i.source.clone()),
    ]
}

/// Translations added, removed or edited, as `translation.<language>`
/// fields whose values say so (`present`, `changed`) rather than quote the
/// whole text.
fn translation_changes(was: &Entry, is: &Entry) -> Vec<FieldChange> {
    let languages: BTreeSet<&String> =
        was.translations.keys().chain(is.translations.keys()).collect();
    let text = |entry: &Entry, language: &str| {
        entry.translations.get(language).map(|(t, _)| t.file.text.clone())
    };
    languages
        .into_iter()
        .filter_map(|language| {
            let (old, new) = (text(was, language), text(is, language));
            let new_word = match (&old, &new) {
                (_, None) => None,
                (None, Some(_)) => Some("present"),
                (Some(old), Some(new)) if old != new => Some("changed"),
                (Some(_), Some(_)) => return None,
            };
            Some(FieldChange {
                field: format!("translation.{language}"),
                old: old.map(|_| "present".to_owned()),
                new: new_word.map(str::to_owned),
            })
        })
        .collect()
}

/// What differs for one pair, or `None` when nothing does.
fn changed(
    a: &Catalogue,
    b: &Catalogue,
    pair: &Pair,
    renames: &BTreeMap<&str, &str>,
) -> Option<Changed> {
    let (was, is) = (&a.entries[pair.old], &b.entries[pair.new]);
    let mut field_changes: Vec<FieldChange> = fields(was)
        .into_iter()
        .zip(fields(is))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, old), (_, new))| FieldChange { field: field.to_owned(), old, new })
        .collect();
    field_changes.extend(translation_changes(was, is));

    let old_relations = relations(a, was, renames);
    let new_relations = relations(b, is, &BTreeMap::new());
    let key = |r: &Relation| (r.relation.clone(), r.other.clone());
    let old_keys: BTreeSet<_> = old_relations.iter().map(key).collect();
    let new_keys: BTreeSet<_> = new_relations.iter().map(key).collect();
    let gained: Vec<Relation> =
        new_relations.iter().filter(|r| !old_keys.contains(&key(r))).cloned().collect();
    let lost: Vec<Relation> =
        old_relations.iter().filter(|r| !new_keys.contains(&key(r))).cloned().collect();
    let text_changed = was.instrument.markdown() != is.instrument.markdown();

    if field_changes.is_empty() && gained.is_empty() && lost.is_empty() && !text_changed {
        return None;
    }
    Some(Changed {
        id: id(b, pair.new).to_owned(),
        path: path_of(is),
        title: is.instrument.title.value.clone(),
        fields: field_changes,
        text_changed,
        relations_gained: gained,
        relations_lost: lost,
    })
}

fn status_change(a: &Catalogue, b: &Catalogue, id: &str, status: &FieldChange) -> StatusChange {
    let old = status.old.clone().unwrap_or_default();
    let new = status.new.clone().unwrap_or_default();
    let label = |catalogue: &Catalogue, key: &str| {
        catalogue.classification.status(key).map_or_else(|| key.to_owned(), |s| s.label.clone())
    };
    StatusChange {
        id: id.to_owned(),
        old_label: label(a, &old),
        new_label: label(b, &new),
        old,
        new,
    }
}
