//! Facet counts: for every match of a query, the values of its type,
//! subjects, status and decade, read from fast fields and counted.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::Facets;
use super::schema;

/// The fields counted, in the order of [`Counts`].
const FIELDS: [&str; 4] = [schema::TYPE, schema::SUBJECTS, schema::STATUS, schema::DECADE];

/// Counts per value, one map per field of [`FIELDS`].
pub(crate) type Counts = [BTreeMap<String, usize>; 4];

/// Counts the facet values of every document it is given.
pub(crate) struct FacetCounter;

impl Collector for FacetCounter {
    type Fruit = Counts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let mut columns = Vec::with_capacity(FIELDS.len());
        for name in FIELDS {
            let column = reader.fast_fields().str(name)?;
            let terms = column.as_ref().map_or(0, |c| c.num_terms());
            columns.push((column, vec![0usize; terms]));
        }
        Ok(SegmentFacetCounter { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::default();
        for fruit in fruits {
            for (into, from) in merged.iter_mut().zip(fruit) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

/// [`FacetCounter`] within one segment: counts per term ordinal.
pub(crate) struct SegmentFacetCounter {
    columns: Vec<(Option<StrColumn>, Vec<usize>)>,
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in &mut self.columns {
            let Some(column) = column else { continue };
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts::default();
        for (into, (column, per_ord)) in counts.iter_mut().zip(self.columns) {
            let Some(column) = column else { continue };
            let mut value = String::new();
            for (ord, count) in per_ord.into_iter().enumerate() {
                if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    into.insert(value.clone(), count);
                }
            }
        }
        counts
    }
}

/// Counts as results show them: most frequent first, ties by value;
/// decades in order.
pub(crate) fn facets(counts: Counts) -> Facets {
    let [types, subjects, statuses, decades] = counts;
    let by_count = |map: BTreeMap<String, usize>| {
        let mut list: Vec<(String, usize)> = map.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    Facets {
        types: by_count(types),
        subjects: by_count(subjects),
        statuses: by_count(statuses),
        decades: decades.into_iter().collect(),
    }
}
