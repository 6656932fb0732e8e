//! Counts of the work a run does, for tests that check that the work grows
//! with the catalogue's size and no faster.
//!
//! Each counter is a relaxed atomic added to in a hot loop of a stage: one
//! uncontended add per lookup, check or page, which costs nothing next to the
//! work it counts. The counters are process-wide; a test that compares two runs
//! runs each in a process of its own, so that other tests cannot add to them.

use std::sync::atomic::{AtomicU64, Ordering};

/// A kind of work whose amount should grow linearly with the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Work {
    /// A relation declaration looked up while resolving relations.
    RelationLookups,
    /// A body link looked up while resolving links and backlinks.
    LinkLookups,
    /// A Markdown body read for its outline (headings and links).
    Outlines,
    /// An instrument run through the per-instrument checks.
    EntryChecks,
    /// A relation edge run through the relation checks.
    EdgeChecks,
    /// A body link run through the link checks.
    LinkChecks,
    /// A step of the cycle search over acyclic relations.
    CycleSteps,
    /// An instrument placed into a group of a list page.
    GroupedItems,
    /// A page rendered through a template.
    PagesRendered,
    /// Bytes written into the output.
    BytesWritten,
}

impl Work {
    /// Every kind of work, in the order reports list them.
    pub const ALL: [Self; 10] = [
        Self::RelationLookups,
        Self::LinkLookups,
        Self::Outlines,
        Self::EntryChecks,
        Self::EdgeChecks,
        Self::LinkChecks,
        Self::CycleSteps,
        Self::GroupedItems,
        Self::PagesRendered,
        Self::BytesWritten,
    ];

    /// The counter's name in reports, kebab-case.
    pub const fn name(self) -> &'static str {
        match self {
            Self::RelationLookups => "relation-lookups",
            Self::LinkLookups => "link-lookups",
            Self::Outlines => "outlines",
            Self::EntryChecks => "entry-checks",
            Self::EdgeChecks => "edge-checks",
            Self::LinkChecks => "link-checks",
            Self::CycleSteps => "cycle-steps",
            Self::GroupedItems => "grouped-items",
            Self::PagesRendered => "pages-rendered",
            Self::BytesWritten => "bytes-written",
        }
    }
}

static COUNTERS: [AtomicU64; Work::ALL.len()] = [const { AtomicU64::new(0) }; Work::ALL.len()];

/// Count one unit of `work`.
#[inline]
pub fn count(work: Work) {
    add(work, 1);
}

/// Count `amount` units of `work`.
#[inline]
pub fn add(work: Work, amount: u64) {
    COUNTERS[work as usize].fetch_add(amount, Ordering::Relaxed);
}

/// Set every counter back to zero.
pub fn reset() {
    for counter in &COUNTERS {
        counter.store(0, Ordering::Relaxed);
    }
}

/// Every counter's current value, in the order of [`Work::ALL`].
pub fn snapshot() -> Vec<(Work, u64)> {
    Work::ALL.iter().map(|&work| (work, COUNTERS[work as usize].load(Ordering::Relaxed))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_in_order() {
        for (index, work) in Work::ALL.iter().enumerate() {
            assert_eq!(*work as usize, index, "{}", work.name());
        }
        let mut names: Vec<_> = Work::ALL.iter().map(|w| w.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Work::ALL.len());
    }
}
