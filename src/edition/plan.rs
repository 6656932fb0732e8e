//! The edition's structure, shared by the PDF and the HTML edition: a part
//! per category, a chapter per type in classification order, entries by
//! adoption date, each numbered `part.chapter.entry`; the metadata block of
//! each entry; and the order of the three annexes.
//!
//! Empty categories and types get no number, so numbers have no gaps.

use std::cmp::Ordering;

use crate::catalogue::{Catalogue, Entry, PageEntry};
use crate::content::Instrument;
use crate::content::date::PartialDate;
use crate::markdown::Outline;

use super::changes::Changes;
use super::words::Words;

/// One chapter: the entries of one type.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The chapter's number within its part, from 1.
    pub number: usize,
    /// The type's index in the classification.
    pub kind: usize,
    /// Entry indexes, in print order.
    pub entries: Vec<usize>,
}

/// One part: the chapters of one category.
#[derive(Debug, Clone)]
pub struct Part {
    /// The part's number, from 1.
    pub number: usize,
    /// The category's index in the classification.
    pub category: usize,
    /// Its chapters, in classification order.
    pub chapters: Vec<Chapter>,
}

/// The text of an entry in the edition's language.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    /// The instrument as read in that language (or the default one).
    pub instrument: &'a Instrument,
    /// Its body's outline.
    pub outline: &'a Outline,
}

impl Text<'_> {
    /// The short title, else the title.
    pub fn display_title(&self) -> &str {
        self.instrument.display_title()
    }
}

/// A value of an entry's metadata block.
#[derive(Debug, Clone)]
pub enum Value {
    /// Plain text.
    Text(String),
    /// An address, printed as written.
    Url(String),
    /// Other entries, each printed with its number and page.
    Entries(Vec<usize>),
}

/// One line of an entry's metadata block.
#[derive(Debug, Clone)]
pub struct Field {
    /// The label.
    pub label: String,
    /// The value.
    pub value: Value,
}

/// A subject of the subject index with the entries filed under it.
#[derive(Debug, Clone)]
pub struct SubjectGroup {
    /// The subject's label in the edition's language.
    pub label: String,
    /// Whether it is a child subject.
    pub nested: bool,
    /// Entry indexes in print order.
    pub entries: Vec<usize>,
}

/// A letter of the title index.
#[derive(Debug, Clone)]
pub struct Letter {
    /// The letter, upper case.
    pub letter: String,
    /// (title or short title, entry index), in alphabetical order.
    pub items: Vec<(String, usize)>,
}

/// The numbered structure of the edition in one language.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The catalogue.
    pub catalogue: &'a Catalogue,
    /// The edition's language.
    pub language: String,
    /// The fixed words of that language.
    pub words: &'static Words,
    /// Parts in classification order.
    pub parts: Vec<Part>,
    /// The chapter of changes, when the edition has one (`--since`).
    pub changes: Option<&'a Changes>,
    /// The number of each entry (`2.3.14`), by entry index; `None` for an
    /// entry whose type is unknown (validation reports it).
    numbers: Vec<Option<String>>,
}

impl<'a> Plan<'a> {
    /// Number the catalogue for an edition in `language`.
    pub fn new(catalogue: &'a Catalogue, language: &str) -> Self {
        let classification = &catalogue.classification;
        let mut by_type: Vec<Vec<usize>> = vec![Vec::new(); classification.types.len()];
        for (index, entry) in catalogue.entries.iter().enumerate() {
            let order = classification.type_order(&entry.instrument.kind.value);
            if let Some(list) = by_type.get_mut(order) {
                list.push(index);
            }
        }
        for list in &mut by_type {
            list.sort_by(|&a, &b| by_date(&catalogue.entries[a], &catalogue.entries[b]));
        }

        let mut parts = Vec::new();
        for (category, term) in classification.categories.iter().enumerate() {
            let kinds: Vec<usize> = (0..classification.types.len())
                .filter(|&kind| classification.types[kind].category.value == term.key.value)
                .filter(|&kind| !by_type[kind].is_empty())
                .collect();
            let chapters: Vec<Chapter> = kinds
                .into_iter()
                .enumerate()
                .map(|(n, kind)| Chapter {
                    number: n + 1,
                    kind,
                    entries: std::mem::take(&mut by_type[kind]),
                })
                .collect();
            if !chapters.is_empty() {
                parts.push(Part { number: parts.len() + 1, category, chapters });
            }
        }

        let mut numbers = vec![None; catalogue.entries.len()];
        for part in &parts {
            for chapter in &part.chapters {
                for (n, &entry) in chapter.entries.iter().enumerate() {
                    numbers[entry] = Some(format!("{}.{}.{}", part.number, chapter.number, n + 1));
                }
            }
        }
        let words = Words::of(language);
        Self { catalogue, language: language.to_owned(), words, parts, changes: None, numbers }
    }

    /// The number of an entry, if it is in the edition.
    pub fn number(&self, entry: usize) -> Option<&str> {
        self.numbers.get(entry).and_then(Option::as_deref)
    }

    /// Every printed entry in print order.
    pub fn entries(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().flat_map(|p| &p.chapters).flat_map(|c| c.entries.iter().copied())
    }

    /// The text of an entry in the edition's language, falling back to the
    /// default language.
    pub fn text(&self, entry: usize) -> Text<'a> {
        let entry = &self.catalogue.entries[entry];
        match entry.translations.get(&self.language) {
            Some((instrument, outline)) => Text { instrument, outline },
            None => Text { instrument: &entry.instrument, outline: &entry.outline },
        }
    }

    /// The free pages in the edition's language (a translation where there
    /// is one), in the site's order.
    pub fn pages(&self) -> Vec<&'a PageEntry> {
        let default = self.catalogue.config.default_language();
        let pages = &self.catalogue.pages;
        pages
            .iter()
            .filter(|p| p.page.language == default)
            .map(|page| {
                pages
                    .iter()
                    .find(|p| p.page.id == page.page.id && p.page.language == self.language)
                    .unwrap_or(page)
            })
            .collect()
    }

    /// A part's heading: its category's label.
    pub fn part_title(&self, part: &Part) -> &'a str {
        self.catalogue.classification.categories[part.category].label_in(&self.language)
    }

    /// A chapter's heading: its type's plural label.
    pub fn chapter_title(&self, chapter: &Chapter) -> &'a str {
        self.catalogue.classification.types[chapter.kind].plural_in(&self.language)
    }

    /// The metadata block of an entry, in the order the site shows it.
    pub fn fields(&self, entry: usize) -> Vec<Field> {
        let words = self.words;
        let language = self.language.as_str();
        let classification = &self.catalogue.classification;
        let text = self.text(entry);
        let original = &self.catalogue.entries[entry].instrument;
        let mut fields = Vec::new();
        let mut text_field = |label: &str, value: String| {
            fields.push(Field { label: label.to_owned(), value: Value::Text(value) });
        };

        if let Some(short) = &text.instrument.short_title {
            text_field(words.short_title, short.value.clone());
        }
        if let Some(kind) = classification.instrument_type(&original.kind.value) {
            text_field(words.kind, kind.label_in(language).to_owned());
        }
        if let Some(body) = classification.body(&original.body.value) {
            text_field(words.body, body.label_in(language).to_owned());
        }
        let subjects: Vec<&str> = original
            .subjects
            .iter()
            .filter_map(|s| classification.subject(&s.value))
            .map(|s| s.label_in(language))
            .collect();
        if !subjects.is_empty() {
            text_field(words.subjects, subjects.join("; "));
        }
        if let Some(status) = classification.status(&original.status.value) {
            text_field(words.status, status.label_in(language).to_owned());
        }
        if let Some(adopted) = &original.adopted {
            text_field(words.adopted, adopted.value.long_in(language));
        }
        if let Some(place) = &original.place {
            text_field(words.place, place.clone());
        }
        if let Some(in_force) = &original.in_force {
            text_field(words.in_force, in_force.value.long_in(language));
        }
        if let Some(parties) = &original.parties {
            let as_of = parties.as_of.as_ref().map_or_else(String::new, |date| {
                format!(" ({} {})", words.as_of, date.long_in(language))
            });
            text_field(words.parties, format!("{}{as_of}", parties.count));
        }
        text_field(words.id, original.id.value.clone());

        if let Some(source) = &original.source {
            fields
                .push(Field { label: words.source.to_owned(), value: Value::Url(source.clone()) });
        }
        fields.extend(self.relation_fields(entry));
        fields
    }

    /// The relations of an entry, one field per kind and side.
    fn relation_fields(&self, entry: usize) -> Vec<Field> {
        let classification = &self.catalogue.classification;
        let mut fields: Vec<Field> = Vec::new();
        let mut last = None;
        for relation in &self.catalogue.entries[entry].relations {
            if self.number(relation.other).is_none() {
                continue;
            }
            if last != Some((relation.kind, relation.inverse)) {
                let kind = &classification.relations[relation.kind];
                let label = kind.side_label_in(relation.inverse, &self.language).to_owned();
                fields.push(Field { label, value: Value::Entries(Vec::new()) });
                last = Some((relation.kind, relation.inverse));
            }
            if let Some(Field { value: Value::Entries(list), .. }) = fields.last_mut() {
                list.push(relation.other);
            }
        }
        fields
    }

    /// Every printed entry by adoption date, undated ones last.
    pub fn chronology(&self) -> Vec<usize> {
        let entries = &self.catalogue.entries;
        let mut order: Vec<usize> = self.entries().collect();
        order.sort_by(|&a, &b| by_date(&entries[a], &entries[b]));
        order
    }

    /// The subject index: every subject in classification order with the
    /// entries filed under it; a parent stays when only its children have
    /// entries, an empty child is left out.
    pub fn subjects(&self) -> Vec<SubjectGroup> {
        let classification = &self.catalogue.classification;
        let mut groups: Vec<SubjectGroup> = classification
            .subjects
            .iter()
            .map(|subject| SubjectGroup {
                label: subject.label_in(&self.language).to_owned(),
                nested: subject.parent.is_some(),
                entries: self
                    .entries()
                    .filter(|&e| {
                        let subjects = &self.catalogue.entries[e].instrument.subjects;
                        subjects.iter().any(|s| s.value == subject.key.value)
                    })
                    .collect(),
            })
            .collect();

        let keep: Vec<bool> = (0..groups.len())
            .map(|i| {
                let mut children = groups[i + 1..].iter().take_while(|g| g.nested);
                let filed_below = !groups[i].nested && children.any(|g| !g.entries.is_empty());
                !groups[i].entries.is_empty() || filed_below
            })
            .collect();
        let mut keep = keep.into_iter();
        groups.retain(|_| keep.next().unwrap_or(false));
        groups
    }

    /// The index of titles and short titles, grouped by first letter.
    pub fn titles(&self) -> Vec<Letter> {
        let mut items: Vec<(String, String, usize)> = Vec::new();
        for entry in self.entries() {
            let instrument = self.text(entry).instrument;
            let mut push = |title: &str| {
                items.push((sort_key(title), title.to_owned(), entry));
            };
            push(&instrument.title.value);
            if let Some(short) = &instrument.short_title
                && short.value != instrument.title.value
            {
                push(&short.value);
            }
        }
        items.sort();

        let mut letters: Vec<Letter> = Vec::new();
        for (key, title, entry) in items {
            let letter =
                key.chars().next().map_or_else(String::new, |c| c.to_uppercase().collect());
            match letters.last_mut() {
                Some(last) if last.letter == letter => last.items.push((title, entry)),
                _ => letters.push(Letter { letter, items: vec![(title, entry)] }),
            }
        }
        letters
    }
}

/// Adoption date first, undated last, then id: the order within a chapter.
fn by_date(a: &Entry, b: &Entry) -> Ordering {
    let date = |e: &Entry| e.instrument.adopted.as_ref().map(|d| d.value);
    let key = |e: &Entry| (date(e).is_none(), date(e));
    key(a).cmp(&key(b)).then_with(|| a.instrument.id.value.cmp(&b.instrument.id.value))
}

/// How a title sorts: lower case, leading quotes and punctuation ignored.
fn sort_key(title: &str) -> String {
    title.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// The date an edition carries: `SOURCE_DATE_EPOCH` when it is set (as the
/// UTC day of that second), else the date the catalogue is current to.
pub fn edition_date(
    source_date_epoch: Option<&str>,
    current_to: Option<&PartialDate>,
) -> (i32, u8, u8) {
    let from_epoch = source_date_epoch.and_then(|s| s.trim().parse::<i64>().ok()).map(civil_day);
    from_epoch.or_else(|| current_to.map(PartialDate::latest)).unwrap_or((1970, 1, 1))
}

/// The calendar day (UTC) of a Unix time, by the days-from-civil inverse.
fn civil_day(seconds: i64) -> (i32, u8, u8) {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_utc_days() {
        assert_eq!(civil_day(0), (1970, 1, 1));
        assert_eq!(civil_day(1_640_995_199), (2021, 12, 31));
        assert_eq!(civil_day(951_782_400), (2000, 2, 29));
        assert_eq!(civil_day(-1), (1969, 12, 31));
    }

    #[test]
    fn the_date_falls_back_to_current_to() {
        let current_to = PartialDate::parse("2021-12").unwrap();
        assert_eq!(edition_date(None, Some(&current_to)), (2021, 12, 31));
        assert_eq!(edition_date(Some("86400"), Some(&current_to)), (1970, 1, 2));
        assert_eq!(edition_date(Some("soon"), None), (1970, 1, 1));
    }

    #[test]
    fn titles_sort_without_leading_quotes() {
        assert!(sort_key("\"Zeta\"") > sort_key("alpha"));
        assert_eq!(sort_key("«Конвенция»"), "конвенция»");
    }
}
