//! The real WCO catalogue of `content/`: it checks clean, every row of the
//! fact table is an instrument with its relations on both pages, and every
//! page can be reached from the home page.

use std::collections::{BTreeSet, VecDeque};

use crate::build::{html_files, links, resolve};
use crate::harness::{Site, repo};

fn built() -> Site {
    let site = Site::real_catalogue();
    let outcome = site.build();
    let problems: Vec<String> =
        outcome.diagnostics.iter().map(|d| format!("{}: {}", d.rule, d.message)).collect();
    assert!(problems.is_empty(), "the catalogue has diagnostics: {problems:#?}");
    site
}

#[test]
fn every_row_of_the_fact_table_is_an_instrument_with_its_relations() {
    let site = built();
    let table = std::fs::read_to_string(repo().join("tests/data/wco-instruments.csv")).unwrap();
    let mut rows = csv_rows(&table);
    let header = rows.remove(0);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, relations) = (column("id"), column("relations"));
    assert_eq!(rows.len(), 123);

    for row in &rows {
        let page = site.read_out(&format!("instruments/{}/index.html", row[id]));
        for relation in row[relations].split(';').filter(|r| !r.is_empty()) {
            let (_, target) = relation.split_once(':').unwrap();
            let href = format!("href=\"../../instruments/{target}/\"");
            assert!(page.contains(&href), "{} does not link to {target}", row[id]);
            let other = site.read_out(&format!("instruments/{target}/index.html"));
            let back = format!("href=\"../../instruments/{}/\"", row[id]);
            assert!(other.contains(&back), "{target} does not show its relation to {}", row[id]);
        }
    }
}

#[test]
fn every_page_is_reachable_from_the_home_page() {
    let site = built();
    let out = site.out();
    let pages: BTreeSet<String> =
        html_files(&out).into_keys().filter(|p| p != "404.html").collect();
    let mut seen = BTreeSet::from(["index.html".to_owned()]);
    let mut queue = VecDeque::from([("index.html".to_owned(), 0)]);
    let mut depth_of_conventions = Vec::new();
    while let Some((page, depth)) = queue.pop_front() {
        if page.starts_with("instruments/") && page.contains("convention") {
            depth_of_conventions.push((page.clone(), depth));
        }
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        for href in links(&html) {
            let Some(target) = resolve(&out, &out.join(&page), &href) else { continue };
            let relative = target.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
            if relative.ends_with(".html") && seen.insert(relative.clone()) {
                queue.push_back((relative, depth + 1));
            }
        }
    }
    let unreachable: Vec<&String> = pages.difference(&seen).collect();
    assert!(unreachable.is_empty(), "not reachable from the home page: {unreachable:?}");
    let far: Vec<_> =
        depth_of_conventions.iter().filter(|(p, d)| *d > 2 && p.contains("-convention-")).collect();
    assert!(far.is_empty(), "conventions more than two clicks from home: {far:?}");
}

/// A small reader for the fact table: quoted fields may hold commas and
/// doubled quotes.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
