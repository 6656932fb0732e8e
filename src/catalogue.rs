//! The catalogue: every instrument with its outline, relations resolved on
//! both sides, and the body links between entries. Built once per run with
//! maps, so every lookup is constant time whatever the catalogue's size.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use crate::classification::Classification;
use crate::config::Config;
use crate::content::{Content, Instrument, Page};
use crate::markdown::{self, LinkTarget, Outline};
use crate::source::Span;

/// One side of a relation as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationEnd {
    /// The index of the relation kind in the classification.
    pub kind: usize,
    /// Whether this is the inverse side (`amended-by`).
    pub inverse: bool,
    /// The other instrument.
    pub other: usize,
}

/// A relation as declared, normalised to its acting side.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The relation kind's index.
    pub kind: usize,
    /// The acting instrument (`amends`).
    pub from: usize,
    /// The instrument acted on.
    pub to: usize,
    /// The instrument whose file declares it.
    pub declared_in: usize,
    /// Where.
    pub span: Span,
    /// Whether it was declared with the inverse key (`amended-by`), on the
    /// side acted on.
    pub declared_inverse: bool,
}

/// A declaration that could not become an edge.
#[derive(Debug, Clone)]
pub enum Unresolved {
    /// The relation kind is unknown.
    Kind { instrument: usize, declaration: usize },
    /// The target id is unknown.
    Target { instrument: usize, declaration: usize },
}

/// A relation declaration resolved to indices. Each is resolved once, so
/// that an edit resolves again only the declarations of the files it read.
#[derive(Debug, Clone, Copy)]
enum Declaration {
    Resolved { kind: usize, inverse: bool, target: usize },
    UnknownKind,
    UnknownTarget,
}

/// One instrument with what the catalogue knows about it.
#[derive(Debug)]
pub struct Entry {
    /// The instrument as read.
    pub instrument: Instrument,
    /// Its body's headings and links.
    pub outline: Outline,
    /// Its relations, both sides, in classification order then target order.
    pub relations: Vec<RelationEnd>,
    /// Instruments whose bodies link here, in catalogue order.
    pub referenced_by: Vec<usize>,
    /// Instruments this body links to.
    pub links_to: Vec<usize>,
    /// Translations by language.
    pub translations: BTreeMap<String, (Instrument, Outline)>,
}

/// A free page with its outline.
#[derive(Debug)]
pub struct PageEntry {
    /// The page as read.
    pub page: Page,
    /// Its headings and links.
    pub outline: Outline,
}

/// The whole catalogue.
#[derive(Debug)]
pub struct Catalogue {
    /// Site settings.
    pub config: Config,
    /// Vocabularies.
    pub classification: Classification,
    /// Instruments, sorted by id.
    pub entries: Vec<Entry>,
    /// Free pages, sorted by order then id.
    pub pages: Vec<PageEntry>,
    /// Translations whose original does not exist.
    pub orphan_translations: Vec<Instrument>,
    /// Every relation once, on its acting side.
    pub edges: Vec<Edge>,
    /// Relations declared twice: (the repeat, the first).
    pub repeated_edges: Vec<(Edge, Edge)>,
    /// Declarations that did not resolve.
    pub unresolved: Vec<Unresolved>,
    /// Each entry's relation declarations, resolved.
    declarations: Vec<Vec<Declaration>>,
    by_id: HashMap<String, usize>,
    page_by_id: HashMap<(String, String), usize>,
}

impl Catalogue {
    /// Put the loaded content together. Unknown ids and kinds are recorded,
    /// not fatal, so validation can report all of them.
    pub fn assemble(content: Content) -> Self {
        let Content { config, classification, mut instruments, translations, pages } = content;
        instruments.sort_by(|a, b| {
            a.id.value.cmp(&b.id.value).then_with(|| a.file.path.cmp(&b.file.path))
        });

        let mut by_id = HashMap::with_capacity(instruments.len());
        for (index, instrument) in instruments.iter().enumerate() {
            by_id.entry(instrument.id.value.clone()).or_insert(index);
        }
        let outlines: Vec<Outline> = {
            use rayon::prelude::*;
            instruments
                .par_iter()
                .map(|i| markdown::outline(i.markdown(), i.body_span.start))
                .collect()
        };
        let mut entries: Vec<Entry> = instruments
            .into_iter()
            .zip(outlines)
            .map(|(instrument, outline)| Entry {
                instrument,
                outline,
                relations: Vec::new(),
                referenced_by: Vec::new(),
                links_to: Vec::new(),
                translations: BTreeMap::new(),
            })
            .collect();

        let mut orphan_translations = Vec::new();
        for translation in translations {
            match by_id.get(&translation.id.value) {
                Some(&index) => {
                    let outline =
                        markdown::outline(translation.markdown(), translation.body_span.start);
                    entries[index]
                        .translations
                        .insert(translation.language.clone(), (translation, outline));
                }
                None => orphan_translations.push(translation),
            }
        }

        let mut pages: Vec<PageEntry> = pages
            .into_iter()
            .map(|page| {
                let outline = markdown::outline(page.markdown(), page.body_span.start);
                PageEntry { page, outline }
            })
            .collect();
        pages.sort_by(|a, b| (a.page.order, &a.page.id).cmp(&(b.page.order, &b.page.id)));
        let page_by_id = pages
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.page.id.clone(), p.page.language.clone()), i))
            .rev()
            .collect();

        let mut catalogue = Self {
            config,
            classification,
            entries,
            pages,
            orphan_translations,
            edges: Vec::new(),
            repeated_edges: Vec::new(),
            unresolved: Vec::new(),
            declarations: Vec::new(),
            by_id,
            page_by_id,
        };
        let resolved: Vec<(Vec<Declaration>, Vec<usize>)> = {
            use rayon::prelude::*;
            let catalogue = &catalogue;
            (0..catalogue.entries.len())
                .into_par_iter()
                .map(|index| (catalogue.declarations_of(index), catalogue.links_of(index)))
                .collect()
        };
        for (index, (declarations, links_to)) in resolved.into_iter().enumerate() {
            catalogue.declarations.push(declarations);
            catalogue.entries[index].links_to = links_to;
        }
        catalogue.connect();
        catalogue
    }

    /// The index of the instrument with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The free page with this id, in the default language.
    pub fn page(&self, id: &str) -> Option<&PageEntry> {
        self.page_in(id, self.config.default_language())
    }

    /// The free page with this id in `language`, if it has been written.
    pub fn page_in(&self, id: &str, language: &str) -> Option<&PageEntry> {
        self.page_by_id.get(&(id.to_owned(), language.to_owned())).map(|&i| &self.pages[i])
    }

    /// The display title of an instrument in `language`: the translation's
    /// short title or title when there is one.
    pub fn title_in(&self, index: usize, language: &str) -> &str {
        let entry = &self.entries[index];
        entry
            .translations
            .get(language)
            .map_or_else(|| entry.instrument.display_title(), |(t, _)| t.display_title())
    }

    /// Put instruments read again from their files in place of the ones
    /// read before. Only their own relations and body links are resolved
    /// again; both sides of every relation are then joined up anew from
    /// indices, without a lookup by id. Each must keep its file's id and
    /// language. Returns what was replaced, or the new instruments untouched
    /// when one of them does not fit (a new id, a new file): the catalogue
    /// must then be assembled afresh.
    pub fn replace_instruments(
        &mut self,
        instruments: Vec<Instrument>,
    ) -> std::result::Result<Vec<Instrument>, Vec<Instrument>> {
        let places: Option<Vec<usize>> = instruments.iter().map(|i| self.place_of(i)).collect();
        let Some(places) = places else { return Err(instruments) };

        let mut replaced = Vec::with_capacity(instruments.len());
        for (instrument, &index) in instruments.into_iter().zip(&places) {
            let outline = markdown::outline(instrument.markdown(), instrument.body_span.start);
            let entry = &mut self.entries[index];
            let old = if instrument.language == entry.instrument.language {
                entry.outline = outline;
                std::mem::replace(&mut entry.instrument, instrument)
            } else {
                let language = instrument.language.clone();
                let slot = entry.translations.get_mut(&language).expect("found by place_of");
                std::mem::replace(slot, (instrument, outline)).0
            };
            replaced.push(old);
        }

        for index in places {
            self.declarations[index] = self.declarations_of(index);
            self.entries[index].links_to = self.links_of(index);
        }
        self.connect();
        Ok(replaced)
    }

    /// The entry an instrument read again belongs to: the one with its id
    /// whose file (or translation in its language) is the same file.
    fn place_of(&self, instrument: &Instrument) -> Option<usize> {
        let index = self.index_of(&instrument.id.value)?;
        let entry = &self.entries[index];
        let same_file = if instrument.language == entry.instrument.language {
            entry.instrument.file.path == instrument.file.path
        } else {
            let (translation, _) = entry.translations.get(&instrument.language)?;
            translation.file.path == instrument.file.path
        };
        same_file.then_some(index)
    }

    /// Every instrument id, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.entries.iter().map(|e| e.instrument.id.value.as_str())
    }

    /// The relation declarations of the entry at `index`, resolved.
    fn declarations_of(&self, index: usize) -> Vec<Declaration> {
        let classification = &self.classification;
        let declared = &self.entries[index].instrument.relations;
        declared
            .iter()
            .map(|relation| {
                crate::work::count(crate::work::Work::RelationLookups);
                let key = relation.kind.value.as_str();
                let (kind, inverse) =
                    match (classification.relation(key), classification.relation_by_inverse(key)) {
                        (Some(kind), _) => (kind, false),
                        (None, Some(kind)) => (kind, true),
                        (None, None) => return Declaration::UnknownKind,
                    };
                let Some(&target) = self.by_id.get(&relation.target.value) else {
                    return Declaration::UnknownTarget;
                };
                let kind = classification
                    .relations
                    .iter()
                    .position(|r| r.key.value == kind.key.value)
                    .expect("found above");
                Declaration::Resolved { kind, inverse, target }
            })
            .collect()
    }

    /// The other entries the body of the entry at `index` links to.
    fn links_of(&self, index: usize) -> Vec<usize> {
        let mut targets: Vec<usize> = self.entries[index]
            .outline
            .links
            .iter()
            .inspect(|_| crate::work::count(crate::work::Work::LinkLookups))
            .filter_map(|link| match &link.target {
                LinkTarget::Entry { id, .. } => self.by_id.get(id).copied(),
                _ => None,
            })
            .filter(|&target| target != index)
            .collect();
        targets.sort_unstable();
        targets.dedup();
        targets
    }

    /// Join up what the resolved declarations and links say: the edges, both
    /// sides of every relation, and the backlinks. Indices only; linear in
    /// the entries and the declarations.
    fn connect(&mut self) {
        self.edges.clear();
        self.repeated_edges.clear();
        self.unresolved.clear();
        let mut seen: FxHashMap<(usize, usize, usize), usize> = FxHashMap::default();
        for (index, declarations) in self.declarations.iter().enumerate() {
            for (declaration, resolved) in declarations.iter().enumerate() {
                let (kind, inverse, target) = match *resolved {
                    Declaration::Resolved { kind, inverse, target } => (kind, inverse, target),
                    Declaration::UnknownKind => {
                        self.unresolved.push(Unresolved::Kind { instrument: index, declaration });
                        continue;
                    }
                    Declaration::UnknownTarget => {
                        self.unresolved.push(Unresolved::Target { instrument: index, declaration });
                        continue;
                    }
                };
                let (mut from, mut to) = if inverse { (target, index) } else { (index, target) };
                if self.classification.relations[kind].is_symmetric() && from > to {
                    std::mem::swap(&mut from, &mut to);
                }
                let span = self.entries[index].instrument.relations[declaration].target.span;
                let edge =
                    Edge { kind, from, to, declared_in: index, span, declared_inverse: inverse };
                match seen.get(&(kind, from, to)) {
                    Some(&first) => self.repeated_edges.push((edge, self.edges[first].clone())),
                    None => {
                        seen.insert((kind, from, to), self.edges.len());
                        self.edges.push(edge);
                    }
                }
            }
        }

        for entry in &mut self.entries {
            entry.relations.clear();
            entry.referenced_by.clear();
        }
        for edge in &self.edges {
            let symmetric = self.classification.relations[edge.kind].is_symmetric();
            self.entries[edge.from].relations.push(RelationEnd {
                kind: edge.kind,
                inverse: false,
                other: edge.to,
            });
            self.entries[edge.to].relations.push(RelationEnd {
                kind: edge.kind,
                inverse: !symmetric,
                other: edge.from,
            });
        }
        for index in 0..self.entries.len() {
            for position in 0..self.entries[index].links_to.len() {
                let target = self.entries[index].links_to[position];
                self.entries[target].referenced_by.push(index);
            }
        }
        for entry in &mut self.entries {
            entry.relations.sort_by_key(|r| (r.kind, r.inverse, r.other));
            entry.relations.dedup();
        }
    }
}
