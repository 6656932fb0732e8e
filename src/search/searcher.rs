//! Opening a shipped index read-only and answering queries from it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, RamDirectory};
use tantivy::query::Query as TantivyQuery;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, SegmentReader, TantivyDocument,
};

use super::analyzer::register_analyzers;
use super::columns::Columns;
use super::facets::{self, Counts, FacetCounter};
use super::index::failed;
use super::query::{self, Highlight};
use super::schema::{self, Fields, IndexInfo};
use super::snippet::{self, Marker};
use super::{Hit, MAX_PER_PAGE, Query, SearchResults};
use crate::error::{Error, Result};

/// An opened index, ready for any number of concurrent searches.
pub struct Searcher {
    reader: IndexReader,
    fields: Fields,
    info: IndexInfo,
    columns: Arc<Columns>,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher").field("info", &self.info).finish_non_exhaustive()
    }
}

impl Searcher {
    /// Open the index `build_index` wrote into `dir`. The files are read into
    /// memory and never written, so `dir` may be read-only.
    pub fn open(dir: &Path) -> Result<Self> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::MissingInput {
                path: dir.to_path_buf(),
                what: "the search index, which `folio build` writes",
            });
        }
        let ram = RamDirectory::create();
        for entry in std::fs::read_dir(dir).map_err(Error::io("read", dir))? {
            let entry = entry.map_err(Error::io("read", dir))?;
            let name = entry.file_name();
            let is_file = entry.file_type().map_err(Error::io("read", entry.path()))?.is_file();
            if !is_file || name.to_string_lossy().ends_with(".lock") {
                continue;
            }
            let bytes = std::fs::read(entry.path()).map_err(Error::io("read", entry.path()))?;
            ram.atomic_write(Path::new(&name), &bytes).map_err(Error::io("load", entry.path()))?;
        }

        let index = Index::open(ram).map_err(failed("open the search index in", dir))?;
        let metas = index.load_metas().map_err(failed("read the search index in", dir))?;
        let info: IndexInfo = metas
            .payload
            .as_deref()
            .and_then(|payload| serde_json::from_str(payload).ok())
            .ok_or_else(|| Error::Search(format!("{} was not written by folio", dir.display())))?;
        if info.format != schema::FORMAT {
            return Err(Error::Search(format!(
                "{} was written by another version of folio (index format {}, this one reads {}); \
                 build the site again",
                dir.display(),
                info.format,
                schema::FORMAT
            )));
        }
        register_analyzers(&index);
        let fields = Fields::resolve(&index.schema(), &info.languages)
            .map_err(|err| Error::Search(format!("{}: {err}", dir.display())))?;

        let corrupt = index.validate_checksum().map_err(failed("check", dir))?;
        if !corrupt.is_empty() {
            let mut names: Vec<String> = corrupt.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            return Err(Error::Search(format!(
                "{} is corrupt (bad checksum: {}); build the site again",
                dir.display(),
                names.join(", ")
            )));
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(failed("read the search index in", dir))?;
        let columns = Arc::new(Columns::load(&reader.searcher()).map_err(failed("read", dir))?);
        Ok(Self { reader, fields, info, columns })
    }

    /// The site's default language.
    pub fn default_language(&self) -> &str {
        &self.info.default_language
    }

    /// Every language in the index, default first.
    pub fn languages(&self) -> &[String] {
        &self.info.languages
    }

    /// Answer `request`. Any text gives an answer; a broken index fails,
    /// and so does an `in_force_on` that is not a date ([`Error::Usage`]).
    pub fn search(&self, request: &Query) -> Result<SearchResults> {
        let started = Instant::now();
        let plan = query::plan(request, &self.fields, &self.info.default_language)?;
        let searcher = self.reader.searcher();
        let per_page = if request.per_page == 0 { 10 } else { request.per_page.min(MAX_PER_PAGE) };
        let offset = request.page.max(1).saturating_sub(1).saturating_mul(per_page);

        let (mut top, mut total, mut counts) =
            self.run(&searcher, &*plan.strict, per_page, offset)?;
        let mut relaxed = false;
        if total == 0
            && let Some(any_word) = &plan.relaxed
        {
            let found = self.run(&searcher, &**any_word, per_page, offset)?;
            if found.1 > 0 {
                (top, total, counts) = found;
                relaxed = true;
            }
        }

        let collected = started.elapsed();

        // One marker per language for all hits: it remembers the words it
        // has analyzed, and the hits of one search share most of them.
        let mut markers = BTreeMap::new();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            hits.push(self.hit(&searcher, address, score, &plan.highlights, &mut markers)?);
        }
        tracing::trace!(
            total,
            collect_us = collected.as_micros(),
            hits_us = (started.elapsed() - collected).as_micros(),
            "search stages"
        );
        Ok(SearchResults {
            total,
            hits,
            facets: facets::facets(counts),
            relaxed,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// One page of `query`, its total and its facet counts. The score of
    /// each match is BM25 lifted by the document's authority.
    fn run(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn TantivyQuery,
        per_page: usize,
        offset: usize,
    ) -> Result<(Page, usize, Counts)> {
        let all_columns = Arc::clone(&self.columns);
        let authority = move |segment: &SegmentReader| {
            let columns = all_columns.of(segment);
            move |doc: DocId, score: Score| score * columns.authority[doc as usize]
        };
        let top = TopDocs::with_limit(per_page).and_offset(offset).tweak_score(authority);
        searcher
            .search(query, &(top, Count, FacetCounter(&self.columns)))
            .map_err(|err| Error::Search(format!("search failed: {err}")))
    }

    /// A hit as results show it, with the best section's snippet.
    fn hit<'h>(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: Score,
        highlights: &'h BTreeMap<String, Highlight>,
        markers: &mut BTreeMap<String, Marker<'h>>,
    ) -> Result<Hit> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|err| Error::Search(format!("cannot read a hit: {err}")))?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
        let all = |field| doc.get_all(field).filter_map(|v| v.as_str()).collect::<Vec<_>>();

        let id = text(f.id).unwrap_or_default();
        let language = text(f.language).unwrap_or_default();
        let (snippet_html, section, anchor) = match f.languages.get(&language) {
            Some(text_fields) => {
                let sections = all(f.sections);
                let marker = markers.entry(language.clone()).or_insert_with(|| {
                    let highlight = highlights.get(&language).unwrap_or(&NO_HIGHLIGHT);
                    Marker::new(highlight, text_fields.analyzer)
                });
                let (best, matches) = best_section(&sections, marker);
                let heading = all(f.headings).get(best).map(|h| h.to_string());
                let anchor = all(f.anchors).get(best).map(|a| a.to_string());
                let html =
                    sections.get(best).map_or_else(String::new, |s| snippet::snippet(s, &matches));
                let found = !matches.is_empty();
                let nonempty = |s: Option<String>| s.filter(|s| found && !s.is_empty());
                (html, nonempty(heading), nonempty(anchor))
            }
            None => (String::new(), None, None),
        };

        let mut url = text(f.url).unwrap_or_default();
        if let Some(anchor) = &anchor {
            url.push('#');
            url.push_str(anchor);
        }
        Ok(Hit {
            id,
            title: text(f.title).unwrap_or_default(),
            short_title: text(f.short_title),
            url,
            kind: text(f.kind).unwrap_or_default(),
            type_label: text(f.type_label).unwrap_or_default(),
            language,
            year: doc
                .get_first(f.year)
                .and_then(|v| v.as_i64())
                .and_then(|y| i32::try_from(y).ok()),
            snippet_html,
            section,
            anchor,
            score,
        })
    }
}

/// The section with the most distinct matched terms (then the most
/// matches, then the earliest), and its matches.
fn best_section(sections: &[&str], marker: &mut Marker<'_>) -> (usize, Vec<snippet::Match>) {
    let mut best = (0, Vec::new());
    let mut best_weight = (0, 0);
    for (i, section) in sections.iter().enumerate() {
        let matches = marker.matches(section);
        let weight = snippet::weight(&matches);
        if weight > best_weight {
            best_weight = weight;
            best = (i, matches);
        }
    }
    best
}

type Page = Vec<(Score, DocAddress)>;

/// What a hit in a language nothing was searched in highlights.
static NO_HIGHLIGHT: Highlight = Highlight::EMPTY;
