//! Per-document values every search reads for every match, copied out of
//! tantivy's fast fields once when the index is opened: the facet values
//! and the authority factor of the score.
//!
//! tantivy's columns decode a value through an index that serves sparse and
//! multi-valued columns alike, which costs tens of nanoseconds per value. A
//! query matching most of a large catalogue reads five values for each of
//! its matches, so at 100,000 instruments that decoding was most of the
//! time of a search. Plain arrays cost a few bytes per document and answer
//! with one load.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use super::schema;

/// The fields counted as facets, in the order of `facets::Counts`.
pub(crate) const FACET_FIELDS: [&str; 4] =
    [schema::TYPE, schema::SUBJECTS, schema::STATUS, schema::DECADE];

/// How much being pointed at by other instruments lifts a score: a factor
/// of `1 + AUTHORITY_WEIGHT * ln(1 + inbound)`. Small enough that a better
/// text match still wins; large enough to order equal ones.
const AUTHORITY_WEIGHT: f32 = 0.25;

/// The values of one field for every document: document `d` has the
/// ordinals `ords[starts[d]..starts[d + 1]]`.
#[derive(Debug, Default)]
pub(crate) struct Ordinals {
    starts: Vec<u32>,
    ords: Vec<u32>,
    /// The value of each ordinal.
    pub values: Vec<String>,
}

impl Ordinals {
    /// The ordinals of `doc`.
    pub fn of(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&start), Some(&end)) => &self.ords[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// The copied values of one segment.
#[derive(Debug)]
pub(crate) struct SegmentColumns {
    segment: SegmentId,
    /// One per field of [`FACET_FIELDS`].
    pub facets: [Ordinals; 4],
    /// Each document's combination of facet values, an index into
    /// `combinations`: counting these is one load and one increment per
    /// match, where counting the values was one of each per value.
    pub combination: Vec<u32>,
    /// The ordinals of each combination, per field of [`FACET_FIELDS`].
    pub combinations: Vec<[Vec<u32>; 4]>,
    /// The factor each document's score is multiplied by.
    pub authority: Vec<f32>,
}

/// The copied values of every segment of an opened index.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    segments: Vec<Arc<SegmentColumns>>,
}

impl Columns {
    /// Copy the values of every segment `searcher` reads.
    pub fn load(searcher: &tantivy::Searcher) -> tantivy::Result<Self> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| SegmentColumns::load(segment).map(Arc::new))
            .collect::<tantivy::Result<_>>()?;
        Ok(Self { segments })
    }

    /// The values of `segment`. Every segment was copied at opening, and the
    /// reader never reloads, so a miss is a bug.
    pub fn of(&self, segment: &SegmentReader) -> Arc<SegmentColumns> {
        let id = segment.segment_id();
        let found = self.segments.iter().find(|s| s.segment == id);
        Arc::clone(found.expect("the columns of every segment are loaded when opening"))
    }
}

impl SegmentColumns {
    fn load(segment: &SegmentReader) -> tantivy::Result<Self> {
        let docs = segment.max_doc();
        let mut facets: [Ordinals; 4] = Default::default();
        for (name, into) in FACET_FIELDS.into_iter().zip(&mut facets) {
            let Some(column) = segment.fast_fields().str(name)? else { continue };
            into.starts.reserve(docs as usize + 1);
            into.starts.push(0);
            for doc in 0..docs {
                into.ords.extend(column.term_ords(doc).map(|ord| ord as u32));
                into.starts.push(into.ords.len() as u32);
            }
            let mut value = String::new();
            for ord in 0..column.num_terms() as u64 {
                let found = column.ord_to_str(ord, &mut value)?;
                into.values.push(if found { value.clone() } else { String::new() });
            }
        }

        let mut known: FxHashMap<[Vec<u32>; 4], u32> = FxHashMap::default();
        let mut combinations = Vec::new();
        let combination = (0..docs)
            .map(|doc| {
                let values = facets.each_ref().map(|field| field.of(doc).to_vec());
                *known.entry(values).or_insert_with_key(|values| {
                    combinations.push(values.clone());
                    combinations.len() as u32 - 1
                })
            })
            .collect();
        tracing::debug!(documents = docs, combinations = combinations.len(), "facet values read");

        let inbound = segment.fast_fields().f64(schema::AUTHORITY).ok();
        let inbound = inbound.map(|c| c.first_or_default_col(0.0));
        let authority = (0..docs)
            .map(|doc| {
                let inbound = inbound.as_ref().map_or(0.0, |c| c.get_val(doc)) as f32;
                1.0 + AUTHORITY_WEIGHT * inbound.ln_1p()
            })
            .collect();
        Ok(Self { segment: segment.segment_id(), facets, combination, combinations, authority })
    }
}
