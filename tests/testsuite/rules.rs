//! Every validation rule fires where its fixture says, and nowhere else.
//! One folder per rule under `tests/fixtures/rules/`; the expected
//! diagnostics are written in the fixture's own files.

use std::collections::BTreeSet;

use crate::harness::{Expected, Site, repo};

fn run(name: &str) {
    let site = Site::fixture(&format!("rules/{name}"));
    let expected = site.expectations();
    assert!(!expected.is_empty(), "fixture rules/{name} states no expectation");
    let found: BTreeSet<Expected> = site.check().diagnostics.iter().map(Expected::from).collect();
    assert_eq!(found, expected, "rules/{name}: found (left) differs from expected (right)");
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
    for name in names {
        run(&name);
    }
}
