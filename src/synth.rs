//! A synthetic catalogue for measuring folio: any number of instruments drawn
//! from a real classification, with bodies, relations and links shaped like
//! the real ones, and valid, so that `folio check` reports nothing.
//!
//! The same seed gives the same files, byte for byte. A plan is drawn first,
//! in one pass and in one order: dates, then every instrument's fields, then
//! relations and links, which need to know the other instruments. Bodies are
//! written from the plan in parallel, each from a generator seeded by its
//! own index, so threads cannot change the output.
//!
//! What keeps the catalogue valid:
//!
//! - instruments are numbered in order of adoption; an acyclic relation
//!   (`amends`, `supersedes`, `part-of`) only ever points to a lower number,
//!   so such relations cannot form a cycle or amend a newer instrument;
//! - a pair of instruments is related at most once, from one side;
//! - a link's `#fragment` names an English `##` heading that its target's
//!   plan contains, and heading texts never repeat within a body.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::classification::{Classification, Requirement};
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::markdown;
use crate::source::SourceFile;

/// The real catalogue's classification, written into a site that has none.
pub const CLASSIFICATION_YAML: &str = include_str!("../content/classification.yaml");

/// The real catalogue's site settings, written into a site that has none.
pub const SITE_YAML: &str = include_str!("../content/site.yaml");

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many instruments.
    pub count: usize,
    /// The seed; the same seed and count give the same files.
    pub seed: u64,
    /// Whether an existing `content/instruments/` may be replaced.
    pub replace: bool,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// Instrument files written.
    pub instruments: usize,
    /// Their bytes.
    pub bytes: u64,
}

/// Write a synthetic catalogue into `root`'s `content/`: the settings and the
/// classification when they are absent, then `options.count` instruments
/// drawn from that classification.
pub fn write(root: &Path, options: &Options) -> Result<Summary> {
    let content = root.join("content");
    std::fs::create_dir_all(&content).map_err(Error::io("create", &content))?;
    for (name, text) in [("site.yaml", SITE_YAML), ("classification.yaml", CLASSIFICATION_YAML)] {
        let path = content.join(name);
        if !path.exists() {
            std::fs::write(&path, text).map_err(Error::io("write", &path))?;
        }
    }

    let path = content.join("classification.yaml");
    let file = SourceFile::read(&path, PathBuf::from("content/classification.yaml"))
        .map_err(|err| Error::Usage(format!("cannot read {}: {err}", path.display())))?;
    let mut diagnostics = Diagnostics::new();
    let classification = Classification::load(&Arc::new(file), &mut diagnostics)
        .filter(|_| !diagnostics.has_errors())
        .ok_or_else(|| {
            Error::Usage(format!("{} is not valid; run `folio check`", path.display()))
        })?;
    let vocabulary = Vocabulary::from_classification(&classification)?;

    let instruments = content.join("instruments");
    if instruments.exists() {
        let empty = std::fs::read_dir(&instruments)
            .map_err(Error::io("read", &instruments))?
            .next()
            .is_none();
        if !empty && !options.replace {
            return Err(Error::Usage(format!(
                "{} is not empty; pass --force to replace it",
                instruments.display()
            )));
        }
        std::fs::remove_dir_all(&instruments).map_err(Error::io("remove", &instruments))?;
    }

    let plan = Plan::draw(&vocabulary, options.count, options.seed);
    for kind in &vocabulary.types {
        let folder = instruments.join(&kind.key);
        std::fs::create_dir_all(&folder).map_err(Error::io("create", &folder))?;
    }
    let bytes = (0..plan.items.len())
        .into_par_iter()
        .map(|index| {
            let path = instruments.join(plan.relative_path(&vocabulary, index));
            let text = plan.render(&vocabulary, index);
            std::fs::write(&path, &text).map_err(Error::io("write", &path))?;
            Ok(text.len() as u64)
        })
        .sum::<Result<u64>>()?;
    Ok(Summary { instruments: plan.items.len(), bytes })
}

/// A small, fast, seedable generator (SplitMix64). Not for cryptography.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator that draws the same numbers for the same `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5851_F42D_4C95_7F2D)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be zero.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, drawn in proportion to them.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut left = self.below(weights.iter().sum());
        for (index, &weight) in weights.iter().enumerate() {
            if left < weight {
                return index;
            }
            left -= weight;
        }
        weights.len() - 1
    }
}

/// The parts of a classification the generator draws from.
#[derive(Debug)]
struct Vocabulary {
    types: Vec<TypeInfo>,
    bodies: Vec<(String, String)>,
    subjects: Vec<(String, String)>,
    statuses: Vec<StatusInfo>,
    relations: Vec<RelationInfo>,
}

#[derive(Debug)]
struct TypeInfo {
    key: String,
    label: String,
    /// Whether the type is in the first category (legal instruments in the
    /// WCO catalogue): these get places of adoption and dates in force.
    first_category: bool,
    /// Indexes of the statuses that apply to the type's category.
    statuses: Vec<usize>,
    /// Fields always required.
    always: Vec<String>,
    /// Fields required with a status: (field, status key).
    with_status: Vec<(String, String)>,
}

#[derive(Debug)]
struct StatusInfo {
    key: String,
    active: bool,
}

#[derive(Debug)]
struct RelationInfo {
    key: String,
    acyclic: bool,
}

impl Vocabulary {
    fn from_classification(classification: &Classification) -> Result<Self> {
        let first = classification.categories.first().map(|c| c.key.value.as_str());
        let types: Vec<TypeInfo> = classification
            .types
            .iter()
            .map(|t| {
                let statuses = (0..classification.statuses.len())
                    .filter(|&s| {
                        classification.statuses[s]
                            .categories
                            .iter()
                            .any(|c| c.value == t.category.value)
                    })
                    .collect();
                let mut always = Vec::new();
                let mut with_status = Vec::new();
                for requirement in &t.requires {
                    match requirement {
                        Requirement::Always(field) => always.push(field.clone()),
                        Requirement::WhenStatus { field, when_status } => {
                            with_status.push((field.clone(), when_status.clone()));
                        }
                    }
                }
                TypeInfo {
                    key: t.key.value.clone(),
                    label: t.label.clone(),
                    first_category: Some(t.category.value.as_str()) == first,
                    statuses,
                    always,
                    with_status,
                }
            })
            .filter(|t: &TypeInfo| !t.statuses.is_empty())
            .collect();
        let vocabulary = Self {
            types,
            bodies: classification
                .bodies
                .iter()
                .map(|b| (b.key.value.clone(), b.label.clone()))
                .collect(),
            subjects: classification
                .subjects
                .iter()
                .map(|s| (s.key.value.clone(), s.label.clone()))
                .collect(),
            statuses: classification
                .statuses
                .iter()
                .map(|s| StatusInfo { key: s.key.value.clone(), active: s.active })
                .collect(),
            relations: classification
                .relations
                .iter()
                .map(|r| RelationInfo { key: r.key.value.clone(), acyclic: r.acyclic })
                .collect(),
        };

        if vocabulary.types.is_empty() || vocabulary.bodies.is_empty() {
            return Err(Error::Usage(
                "the classification needs types with statuses and bodies to draw from".to_owned(),
            ));
        }
        if vocabulary.subjects.is_empty() || vocabulary.relations.iter().all(|r| r.acyclic) {
            return Err(Error::Usage(
                "the classification needs subjects and a relation kind that may form cycles"
                    .to_owned(),
            ));
        }
        Ok(vocabulary)
    }
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Day {
    year: i32,
    month: u32,
    day: u32,
}

/// How much of a date the sources give, least first (as folio orders them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precision {
    Year,
    Month,
    Day,
}

/// A date as written in front matter: the first day it can mean, and how
/// precise it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    first: Day,
    precision: Precision,
}

impl Date {
    fn last(self) -> Day {
        let Day { year, month, .. } = self.first;
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => Day { year, month, day: days_in_month(year, month) },
            Precision::Year => Day { year, month: 12, day: 31 },
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Day { year, month, day } = self.first;
        match self.precision {
            Precision::Year => write!(f, "{year:04}"),
            Precision::Month => write!(f, "{year:04}-{month:02}"),
            Precision::Day => write!(f, "{year:04}-{month:02}-{day:02}"),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(day: Day) -> i64 {
    let year = i64::from(day.year) - i64::from(day.month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(day.month);
    let day_of_year =
        (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The day `days` days after 1970-01-01.
fn civil_from_days(days: i64) -> Day {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    Day { year, month, day }
}

/// The fewest words a body has.
const MIN_WORDS: usize = 300;

/// Adoption years, as the real catalogue spans them.
const FIRST_YEAR: i32 = 1950;
const LAST_YEAR: i32 = 2021;

/// The day the catalogue is current to: no date in force is later.
const CURRENT_TO: Day = Day { year: LAST_YEAR, month: 12, day: 31 };

/// One instrument as planned, before its text is written.
#[derive(Debug)]
struct Planned {
    id: String,
    title: String,
    short_title: Option<String>,
    kind: usize,
    body: usize,
    subjects: Vec<usize>,
    status: usize,
    adopted: Date,
    in_force: Option<Day>,
    place: Option<&'static str>,
    parties: Option<(usize, u32)>,
    source: bool,
    /// Indexes into [`SECTIONS`], ascending.
    sections: Vec<usize>,
    russian: bool,
    words: usize,
    /// Relations declared here: (relation kind, target), sorted.
    relations: Vec<(usize, usize)>,
    /// Body links: (target, the target's section linked to).
    links: Vec<(usize, Option<usize>)>,
    seed: u64,
}

/// The whole catalogue as planned, in order of adoption.
#[derive(Debug)]
struct Plan {
    items: Vec<Planned>,
}

impl Plan {
    fn draw(vocabulary: &Vocabulary, count: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);

        let mut dates: Vec<Date> = (0..count).map(|_| draw_date(&mut rng)).collect();
        dates.sort_unstable();
        let mut items: Vec<Planned> = dates
            .into_iter()
            .enumerate()
            .map(|(index, adopted)| draw_instrument(vocabulary, &mut rng, index, adopted))
            .collect();

        draw_relations(vocabulary, &mut rng, &mut items);
        retire_superseded(vocabulary, &mut rng, &mut items);
        draw_links(&mut rng, &mut items);
        Self { items }
    }

    fn relative_path(&self, vocabulary: &Vocabulary, index: usize) -> PathBuf {
        let item = &self.items[index];
        Path::new(&vocabulary.types[item.kind].key).join(format!("{}.md", item.id))
    }

    /// The file of one instrument: front matter, then the body.
    fn render(&self, vocabulary: &Vocabulary, index: usize) -> String {
        let item = &self.items[index];
        let mut text = String::with_capacity(item.words * 8 + 1024);
        self.front_matter(vocabulary, item, &mut text);
        Body { plan: self, vocabulary, item, rng: Rng::new(item.seed), text: &mut text }.write();
        text
    }

    fn front_matter(&self, vocabulary: &Vocabulary, item: &Planned, out: &mut String) {
        let kind = &vocabulary.types[item.kind];
        let subjects: Vec<&str> =
            item.subjects.iter().map(|&s| vocabulary.subjects[s].0.as_str()).collect();

        out.push_str("---\n");
        let _ = writeln!(out, "id: {}", item.id);
        let _ = writeln!(out, "title: \"{}\"", item.title);
        if let Some(short) = &item.short_title {
            let _ = writeln!(out, "short_title: \"{short}\"");
        }
        let _ = writeln!(out, "type: {}", kind.key);
        let _ = writeln!(out, "body: {}", vocabulary.bodies[item.body].0);
        let _ = writeln!(out, "subjects: [{}]", subjects.join(", "));
        let _ = writeln!(out, "status: {}", vocabulary.statuses[item.status].key);
        let _ = writeln!(out, "adopted: {}", item.adopted);
        if let Some(place) = item.place {
            let _ = writeln!(out, "place: \"{place}\"");
        }
        if let Some(day) = item.in_force {
            let _ = writeln!(out, "in_force: {}", Date { first: day, precision: Precision::Day });
        }

        if !item.relations.is_empty() {
            out.push_str("relations:\n");
            let mut by_kind: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
            for &(relation, target) in &item.relations {
                by_kind.entry(relation).or_default().push(&self.items[target].id);
            }
            for (relation, targets) in by_kind {
                let key = &vocabulary.relations[relation].key;
                let _ = writeln!(out, "  {key}: [{}]", targets.join(", "));
            }
        }
        if let Some((count, month)) = item.parties {
            let _ = writeln!(out, "parties: {{ count: {count}, as_of: {LAST_YEAR}-{month:02} }}");
        }
        if item.source {
            let _ = writeln!(out, "source: https://www.example.org/instruments/{}", item.id);
        }
        out.push_str("---\n\n");
    }
}

fn draw_date(rng: &mut Rng) -> Date {
    let year = FIRST_YEAR + rng.below((LAST_YEAR - FIRST_YEAR + 1) as usize) as i32;
    let month = rng.between(1, 12) as u32;
    let day = rng.between(1, days_in_month(year, month) as usize) as u32;
    match rng.below(20) {
        0 => Date { first: Day { year, month: 1, day: 1 }, precision: Precision::Year },
        1..=3 => Date { first: Day { year, month, day: 1 }, precision: Precision::Month },
        _ => Date { first: Day { year, month, day }, precision: Precision::Day },
    }
}

fn draw_instrument(vocabulary: &Vocabulary, rng: &mut Rng, index: usize, adopted: Date) -> Planned {
    let kind_index = rng.below(vocabulary.types.len());
    let kind = &vocabulary.types[kind_index];
    let year = adopted.first.year;

    // An instrument adopted in the last two years is rarely in force yet: it
    // takes a status that needs no date in force, where the category has one.
    let needs_in_force =
        |status: usize| kind.with_status.iter().any(|(_, s)| *s == vocabulary.statuses[status].key);
    let weights: Vec<usize> = kind
        .statuses
        .iter()
        .map(|&s| {
            let recent = year >= LAST_YEAR - 1 && needs_in_force(s);
            match (vocabulary.statuses[s].active, recent) {
                (_, true) => 0,
                (true, false) => 8,
                (false, false) => 1,
            }
        })
        .collect();
    let status = if weights.iter().sum::<usize>() == 0 {
        kind.statuses[0]
    } else {
        kind.statuses[rng.weighted(&weights)]
    };
    let status_key = vocabulary.statuses[status].key.as_str();
    let required = |field: &str| {
        kind.always.iter().any(|f| f == field)
            || kind.with_status.iter().any(|(f, s)| f == field && s == status_key)
    };

    let body = rng.below(vocabulary.bodies.len());
    let mut subjects = Vec::new();
    for _ in 0..rng.between(1, 3.min(vocabulary.subjects.len())) {
        let subject = rng.below(vocabulary.subjects.len());
        if !subjects.contains(&subject) {
            subjects.push(subject);
        }
    }

    let (subject_key, subject_label) = &vocabulary.subjects[subjects[0]];
    let aspect = rng.pick(ASPECTS);
    let title = format!("{} on {aspect} in {}", kind.label, subject_label.to_lowercase());
    let short_title = (required("short_title") || rng.chance(40))
        .then(|| format!("{subject_label} {} ({year})", kind.label.to_lowercase()));
    let id = format!("{subject_key}-{}-{year}-{index}", kind.key);

    // A date in force where the type may need one, unless the status says the
    // instrument never took effect or nobody knows.
    let optional = !kind.with_status.is_empty()
        && !matches!(status_key, "not-in-force" | "unknown")
        && rng.chance(15);
    let in_force = (required("in_force") || optional).then(|| draw_in_force(rng, adopted));
    let place = (required("place") || (kind.first_category && rng.chance(70)))
        .then(|| if rng.chance(60) { "Brussels" } else { *rng.pick(PLACES) });
    let parties = (required("parties") || (in_force.is_some() && rng.chance(60)))
        .then(|| (rng.between(8, 180), rng.between(1, 12) as u32));

    let source = required("source") || rng.chance(85);
    let words = rng.between(300, 1500);
    let mut sections: Vec<usize> = Vec::new();
    let wanted = rng.between(3, (2 + words / 250).min(8));
    while sections.len() < wanted {
        let section = rng.below(SECTIONS.len() - 1);
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    if !source || rng.chance(30) {
        sections.push(SECTIONS.len() - 1);
    }
    sections.sort_unstable();

    Planned {
        id,
        title,
        short_title,
        kind: kind_index,
        body,
        subjects,
        status,
        adopted,
        in_force,
        place,
        parties,
        source,
        sections,
        russian: rng.chance(25),
        words,
        relations: Vec::new(),
        links: Vec::new(),
        seed: rng.next_u64(),
    }
}

/// A day in force after the adoption and not after the catalogue's end; the
/// day of adoption itself when that is the end.
fn draw_in_force(rng: &mut Rng, adopted: Date) -> Day {
    let last = days_from_civil(adopted.last());
    let room = days_from_civil(CURRENT_TO) - last;
    let delay = if room >= 1 { rng.between(1, room.min(2500) as usize) } else { 0 };
    civil_from_days(last + delay as i64)
}

/// Declare 2 to 5 relations per instrument. Acyclic kinds point to an older
/// instrument (a lower index); a pair is related once, from one side.
fn draw_relations(vocabulary: &Vocabulary, rng: &mut Rng, items: &mut [Planned]) {
    let count = items.len();
    if count < 2 {
        return;
    }
    let weights: Vec<usize> = vocabulary
        .relations
        .iter()
        .map(|r| match r.key.as_str() {
            "amends" => 20,
            "supersedes" => 10,
            "part-of" => 10,
            _ if r.acyclic => 10,
            _ => 30,
        })
        .collect();
    let cyclic: Vec<usize> =
        (0..vocabulary.relations.len()).filter(|&r| !vocabulary.relations[r].acyclic).collect();

    let mut related: HashSet<(usize, usize)> = HashSet::new();
    for (index, item) in items.iter_mut().enumerate() {
        let wanted = rng.between(2, 5);
        let mut relations = Vec::new();
        for _ in 0..wanted * 4 {
            if relations.len() == wanted {
                break;
            }
            let mut kind = rng.weighted(&weights);
            let target = if vocabulary.relations[kind].acyclic && index > 0 {
                rng.below(index)
            } else {
                kind = *rng.pick(&cyclic);
                rng.below(count)
            };
            let pair = (index.min(target), index.max(target));
            if target != index && related.insert(pair) {
                relations.push((kind, target));
            }
        }
        relations.sort_unstable();
        item.relations = relations;
    }
}

/// An instrument that an active one supersedes cannot be active itself: give
/// it an inactive status of its category (`superseded` where there is one),
/// or drop the relation where the category has none.
fn retire_superseded(vocabulary: &Vocabulary, rng: &mut Rng, items: &mut [Planned]) {
    let active = |status: usize| vocabulary.statuses[status].active;
    for index in 0..items.len() {
        let mut relations = std::mem::take(&mut items[index].relations);
        relations.retain(|&(relation, target)| {
            if vocabulary.relations[relation].key != "supersedes"
                || !active(items[index].status)
                || !active(items[target].status)
            {
                return true;
            }
            let kind = &vocabulary.types[items[target].kind];
            let inactive: Vec<usize> =
                kind.statuses.iter().copied().filter(|&s| !active(s)).collect();
            let Some(&first) = inactive.first() else { return false };
            let status = inactive
                .iter()
                .copied()
                .find(|&s| vocabulary.statuses[s].key == "superseded")
                .unwrap_or(first);

            let target = &mut items[target];
            target.status = status;
            let key = vocabulary.statuses[status].key.as_str();
            let needs_in_force = kind.with_status.iter().any(|(f, s)| f == "in_force" && s == key);
            if needs_in_force && target.in_force.is_none() {
                target.in_force = Some(draw_in_force(rng, target.adopted));
            }
            true
        });
        items[index].relations = relations;
    }
}

/// Put 2 to 5 links to other instruments into each body; two in five name a
/// heading of their target.
fn draw_links(rng: &mut Rng, items: &mut [Planned]) {
    let count = items.len();
    if count < 2 {
        return;
    }
    for index in 0..count {
        let mut links = Vec::new();
        for _ in 0..rng.between(2, 5) {
            let mut target = rng.below(count - 1);
            if target >= index {
                target += 1;
            }
            let fragment = rng.chance(40).then(|| *rng.pick(&items[target].sections));
            links.push((target, fragment));
        }
        items[index].links = links;
    }
}

/// Writes one body from its plan.
struct Body<'a> {
    plan: &'a Plan,
    vocabulary: &'a Vocabulary,
    item: &'a Planned,
    rng: Rng,
    text: &'a mut String,
}

impl Body<'_> {
    fn write(mut self) {
        let item = self.item;
        let kind = &self.vocabulary.types[item.kind];

        // Each part is filled up to its share of the words and ends with a
        // whole paragraph, list or table, which overshoots the share a little.
        let budget = (item.words * 4 / 5).max(MIN_WORDS);
        let english = if item.russian { budget * 3 / 5 } else { budget };
        let opening = self.sentence();
        let opening = format!(
            "This {} was adopted by the {} in {}. It concerns {}. {opening}\n\n",
            kind.label.to_lowercase(),
            self.vocabulary.bodies[item.body].1,
            item.adopted.first.year,
            self.vocabulary.subjects[item.subjects[0]].1.to_lowercase(),
        );
        let mut written = opening.split(' ').count();
        self.text.push_str(&opening);

        // Links are spread over the sections, first to last; "Sources" comes
        // last and holds only its list.
        let sources = SECTIONS.len() - 1;
        let sections: Vec<usize> =
            item.sections.iter().copied().filter(|&s| s != sources).collect();
        let mut links = item.links.iter();
        let table_at = self.rng.chance(15).then(|| self.rng.below(sections.len()));
        let mut subsections: Vec<usize> = Vec::new();
        for (position, &section) in sections.iter().enumerate() {
            let _ = writeln!(self.text, "## {}\n", SECTIONS[section]);
            let due = (item.links.len() * (position + 1)).div_ceil(sections.len());
            let mut here = Vec::new();
            while item.links.len() - links.len() < due {
                here.push(*links.next().expect("counted above"));
            }
            written += self.paragraph(&here);

            if self.rng.chance(40) {
                written += self.list();
            }
            if table_at == Some(position) {
                written += self.table();
            }
            if self.rng.chance(30) && subsections.len() < SUBSECTIONS.len() {
                let sub = loop {
                    let sub = self.rng.below(SUBSECTIONS.len());
                    if !subsections.contains(&sub) {
                        break sub;
                    }
                };
                subsections.push(sub);
                let _ = writeln!(self.text, "### {}\n", SUBSECTIONS[sub]);
                written += self.paragraph(&[]);
            }
            while written < english * (position + 1) / sections.len() {
                written += self.paragraph(&[]);
            }
        }
        if item.sections.contains(&sources) {
            let _ = writeln!(self.text, "## {}\n", SECTIONS[sources]);
            self.sources();
        }

        if item.russian {
            self.russian(budget - english);
        }
    }

    /// One paragraph of 2 to 5 sentences and the given links; its words.
    fn paragraph(&mut self, links: &[(usize, Option<usize>)]) -> usize {
        let mut words = 0;
        let mut parts = Vec::new();
        for _ in 0..self.rng.between(2, 5) {
            let sentence = self.sentence();
            words += sentence.split(' ').count();
            parts.push(sentence);
        }
        for &(target, fragment) in links {
            let other = &self.plan.items[target];
            let title = other.short_title.as_ref().unwrap_or(&other.title);
            let destination = match fragment {
                Some(section) => format!("{}#{}", other.id, markdown::slug(SECTIONS[section])),
                None => other.id.clone(),
            };
            let sentence = match self.rng.below(3) {
                0 => format!("See also the [{title}]({destination})."),
                1 => format!("It should be read together with the [{title}]({destination})."),
                _ => format!("The [{title}]({destination}) deals with the same matters."),
            };
            let at = self.rng.below(parts.len() + 1);
            words += sentence.split(' ').count();
            parts.insert(at, sentence);
        }
        self.text.push_str(&parts.join(" "));
        self.text.push_str("\n\n");
        words
    }

    fn sentence(&mut self) -> String {
        let rng = &mut self.rng;
        let actor = rng.pick(ACTORS);
        let modal = rng.pick(MODALS);
        let verb = rng.pick(VERBS);
        let object = rng.pick(OBJECTS);
        let manner = rng.pick(MANNERS);
        match rng.below(4) {
            0 => {
                format!("Where {}, {} {modal} {verb} {object}.", rng.pick(CONDITIONS), lower(actor))
            }
            1 => format!("This section explains how {} {modal} {verb} {object}.", lower(actor)),
            _ if manner.is_empty() => format!("{actor} {modal} {verb} {object}."),
            _ => format!("{actor} {modal} {verb} {object} {manner}."),
        }
    }

    fn list(&mut self) -> usize {
        let numbered = self.rng.chance(40);
        let mut words = 0;
        let items = self.rng.between(3, 6);
        for number in 1..=items {
            let verb = self.rng.pick(VERBS);
            let object = self.rng.pick(OBJECTS);
            let item = format!("{verb} {object}{}", if number == items { "." } else { ";" });
            words += item.split(' ').count();
            if numbered {
                let _ = writeln!(self.text, "{number}. {}", capitalise(&item));
            } else {
                let _ = writeln!(self.text, "- {}", capitalise(&item));
            }
        }
        self.text.push('\n');
        words
    }

    /// A table of annexes; its words.
    fn table(&mut self) -> usize {
        self.text.push_str("| Part | Subject | Applies from |\n| --- | --- | --- |\n");
        let mut words = 5;
        for (number, letter) in ('A'..='Z').take(self.rng.between(3, 6)).enumerate() {
            let subject = &self.rng.pick(&self.vocabulary.subjects).1;
            let year = self.item.adopted.first.year + number as i32;
            let _ = writeln!(self.text, "| Annex {letter} | {subject} | {year} |");
            words += 3 + subject.split(' ').count();
        }
        self.text.push('\n');
        words
    }

    fn sources(&mut self) {
        let item = self.item;
        let _ = writeln!(
            self.text,
            "- [Text of the instrument](https://www.example.org/texts/{}.pdf)\n\
             - [Explanatory note](https://www.example.org/notes/{}.html)\n",
            item.id, item.id
        );
    }

    fn russian(&mut self, words: usize) {
        let _ = writeln!(self.text, "## {}\n", RUSSIAN_HEADINGS[0]);
        let mut written = 0;
        let mut heading = 1;
        while written < words {
            if written > 0 && heading < RUSSIAN_HEADINGS.len() && self.rng.chance(30) {
                let _ = writeln!(self.text, "### {}\n", RUSSIAN_HEADINGS[heading]);
                heading += 1;
            }
            let mut parts = Vec::new();
            for _ in 0..self.rng.between(3, 5) {
                let sentence = *self.rng.pick(RUSSIAN);
                written += sentence.split(' ').count();
                parts.push(sentence);
            }
            self.text.push_str(&parts.join(" "));
            self.text.push_str("\n\n");
        }
    }
}

fn lower(text: &str) -> String {
    if text.starts_with("An") || text.starts_with("The") || text.starts_with("Each") {
        let mut chars = text.chars();
        chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
    } else {
        text.to_owned()
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `##` headings, in the order a body uses them. The last, "Sources", holds
/// the external links; none of these gives an id the page templates use.
const SECTIONS: &[&str] = &[
    "Purpose",
    "Scope",
    "Background",
    "Definitions",
    "Structure",
    "General principles",
    "Main provisions",
    "Obligations of the parties",
    "Implementation",
    "Administrative arrangements",
    "Use of information technology",
    "Risk management",
    "Cooperation between administrations",
    "Exchange of information",
    "Data protection",
    "Technical assistance",
    "Monitoring and review",
    "Entry into force",
    "Amendment procedure",
    "Reservations",
    "Settlement of disputes",
    "Final provisions",
    "Practical guidance",
    "Examples from administrations",
    "Training",
    "History",
    "Related work",
    "Sources",
];

/// `###` headings; no text is also a section's.
const SUBSECTIONS: &[&str] = &[
    "Application in practice",
    "Responsibilities",
    "Time limits",
    "Documents required",
    "Exceptions",
    "Notes on the text",
    "Transitional measures",
    "Worked examples",
    "Procedure",
    "Conditions",
    "Records",
    "Periodic review",
];

/// Headings of the Russian part: its `##` first, then `###`s.
const RUSSIAN_HEADINGS: &[&str] = &[
    "Краткое изложение на русском языке",
    "Основные положения",
    "Порядок применения",
    "Сфера действия",
];

const ASPECTS: &[&str] = &[
    "the Simplification of Procedures",
    "Cooperation",
    "the Exchange of Information",
    "Risk Management",
    "the Use of Electronic Data",
    "Best Practice",
    "Mutual Recognition",
    "Performance Measurement",
    "Training and Capacity",
    "Control and Audit",
    "Guarantees",
    "Advance Rulings",
];

const PLACES: &[&str] =
    &["Geneva", "Kyoto", "Nairobi", "Johannesburg", "Istanbul", "Paris", "New York", "Vienna"];

const ACTORS: &[&str] = &[
    "Each Contracting Party",
    "The customs administration",
    "The competent authority",
    "The Secretariat",
    "Members",
    "The Committee",
    "An administration that applies this instrument",
    "The declarant",
    "The authorised operator",
    "The office of departure",
];

const MODALS: &[&str] = &["shall", "should", "may", "is encouraged to", "undertakes to"];

const VERBS: &[&str] = &[
    "apply",
    "publish",
    "review",
    "simplify",
    "notify",
    "establish",
    "maintain",
    "make available",
    "take into account",
    "coordinate",
];

const OBJECTS: &[&str] = &[
    "the procedures set out in this instrument",
    "a single point of contact for enquiries",
    "the data elements required for the goods declaration",
    "the relevant provisions of national legislation",
    "risk management techniques based on advance information",
    "the results of post-clearance audit",
    "the list of authorised economic operators",
    "information on its tariff classification decisions",
    "the documents required for the release of goods",
    "guarantees for the duties and taxes at stake",
    "the conditions for temporary admission",
    "statistics on the time needed for release",
];

const MANNERS: &[&str] = &[
    "",
    "without undue delay",
    "in accordance with national legislation",
    "so that goods can be released promptly",
    "at least once a year",
    "in cooperation with other border agencies",
    "where the risk is low",
    "to the extent its resources allow",
];

const CONDITIONS: &[&str] = &[
    "the declaration is lodged electronically",
    "goods are carried under customs control",
    "an operator meets the criteria for authorisation",
    "the risk assessment shows no need for examination",
    "the national legislation so provides",
    "several administrations are concerned",
];

/// Russian sentences for the Cyrillic part of some bodies.
const RUSSIAN: &[&str] = &[
    "Настоящий документ устанавливает общие принципы упрощения таможенных процедур.",
    "Каждая Договаривающаяся сторона применяет эти положения в соответствии с национальным \
     законодательством.",
    "Таможенная служба публикует сведения о порядке декларирования товаров.",
    "Секретариат регулярно проводит обзор практики применения стандартов.",
    "Выпуск товаров производится в кратчайшие сроки после подачи декларации.",
    "Администрации обмениваются информацией о рисках на основе взаимности.",
    "Требования к документам сводятся к минимуму, необходимому для таможенного контроля.",
    "Комитет рассматривает предложения о поправках и представляет их Совету.",
    "Применение информационных технологий ускоряет таможенное оформление.",
    "Положения этого раздела не ограничивают право сторон вводить более благоприятные условия.",
    "Таможенные органы сотрудничают с другими государственными органами на границе.",
    "Оценка рисков проводится на основе заранее полученных электронных данных.",
    "Уполномоченные экономические операторы пользуются упрощениями при выполнении условий.",
    "Решения о классификации товаров доводятся до сведения заинтересованных лиц.",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_numbers() {
        for day in [
            Day { year: 1970, month: 1, day: 1 },
            Day { year: 1950, month: 2, day: 28 },
            Day { year: 2000, month: 2, day: 29 },
            Day { year: 2021, month: 12, day: 31 },
        ] {
            assert_eq!(civil_from_days(days_from_civil(day)), day);
        }
        assert_eq!(days_from_civil(Day { year: 1970, month: 1, day: 1 }), 0);
        let leap = Day { year: 2000, month: 2, day: 28 };
        assert_eq!(civil_from_days(days_from_civil(leap) + 1).day, 29);
    }

    #[test]
    fn the_generator_repeats_itself_for_a_seed() {
        let draw = |seed| (0..8).map(|_| Rng::new(seed).next_u64()).collect::<Vec<_>>();
        assert_eq!(draw(7), draw(7));
        let mut rng = Rng::new(7);
        assert_ne!(rng.next_u64(), rng.next_u64());
        assert!((0..1000).all(|_| rng.below(3) < 3));
    }

    #[test]
    fn heading_ids_are_distinct_and_not_reserved() {
        let mut ids: Vec<String> = SECTIONS
            .iter()
            .chain(SUBSECTIONS)
            .chain(RUSSIAN_HEADINGS)
            .map(|h| markdown::slug(h))
            .collect();
        assert!(ids.iter().all(|id| !markdown::RESERVED_IDS.contains(&id.as_str())), "{ids:?}");
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
