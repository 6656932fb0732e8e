//! Every validation rule fires where its fixture says, and nowhere else.
//! One folder per rule under `tests/fixtures/rules/`; the expected
//! diagnostics are written in the fixture's own files.

use std::collections::BTreeSet;

use crate::harness::{Expected, Site, repo};

/// What differs between a fixture's expectations and what folio found.
fn run(name: &str) -> Option<String> {
    let site = Site::fixture(&format!("rules/{name}"));
    let expected = site.expectations();
    if expected.is_empty() {
        return Some(format!("rules/{name} states no expectation"));
    }
    let found: BTreeSet<Expected> = site.check().diagnostics.iter().map(Expected::from).collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    (!unexpected.is_empty() || !missing.is_empty())
        .then(|| format!("rules/{name}:\n  found but not expected: {unexpected:?}\n  expected but not found: {missing:?}"))
}

#[test]
fn every_rule_has_a_fixture() {
    let missing: Vec<&str> = folio::rules::ALL
        .iter()
        .map(|rule| rule.name)
        .filter(|name| !repo().join("tests/fixtures/rules").join(name).is_dir())
        .collect();
    assert!(missing.is_empty(), "rules without a fixture folder: {missing:?}");
}

#[test]
fn every_fixture_reports_exactly_what_it_expects() {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let failures: Vec<String> = names.iter().filter_map(|name| run(name)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
