//! Facet counts: for every match of a query, the values of its type,
//! subjects, status and decade, read from the copies `columns` holds and
//! counted.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::Facets;
use super::columns::{Columns, SegmentColumns};

/// Counts per value, one map per field of `columns::FACET_FIELDS`.
pub(crate) type Counts = [BTreeMap<String, usize>; 4];

/// Counts the facet values of every document it is given.
pub(crate) struct FacetCounter<'a>(pub &'a Columns);

impl Collector for FacetCounter<'_> {
    type Fruit = Counts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let columns = self.0.of(reader);
        let counts = columns.facets.each_ref().map(|field| vec![0; field.values.len()]);
        Ok(SegmentFacetCounter { columns, counts })
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
    columns: Arc<SegmentColumns>,
    counts: [Vec<u32>; 4],
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (field, counts) in self.columns.facets.iter().zip(&mut self.counts) {
            for &ord in field.of(doc) {
                counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts::default();
        for ((into, field), per_ord) in counts.iter_mut().zip(&self.columns.facets).zip(self.counts)
        {
            for (ord, count) in per_ord.into_iter().enumerate() {
                if count > 0 {
                    into.insert(field.values[ord].clone(), count as usize);
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
