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
        let counts = vec![0; columns.combinations.len()];
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

/// [`FacetCounter`] within one segment: counts per combination of values.
pub(crate) struct SegmentFacetCounter {
    columns: Arc<SegmentColumns>,
    counts: Vec<u32>,
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.counts[self.columns.combination[doc as usize] as usize] += 1;
    }

    fn harvest(self) -> Counts {
        let columns = &self.columns;
        let mut per_ord = columns.facets.each_ref().map(|field| vec![0; field.values.len()]);
        for (combination, &count) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            for (into, ords) in per_ord.iter_mut().zip(&columns.combinations[combination]) {
                for &ord in ords {
                    into[ord as usize] += count as usize;
                }
            }
        }
        let mut counts = Counts::default();
        for ((into, field), per_ord) in counts.iter_mut().zip(&columns.facets).zip(per_ord) {
            for (ord, count) in per_ord.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                into.insert(field.values[ord].clone(), count);
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
