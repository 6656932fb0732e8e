//! The site in two languages: switchers, `hreflang`, fallbacks, sitemap.

use std::collections::{BTreeMap, BTreeSet};

use crate::build::{html_files, resolve};
use crate::harness::Site;

/// The value of attribute `name` in the text of one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let opening = format!("{name}=\"");
    let (at, _) = tag
        .match_indices(&opening)
        .find(|&(at, _)| tag[..at].chars().next_back().is_none_or(char::is_whitespace))?;
    tag[at + opening.len()..].split('"').next()
}

/// The `hreflang` alternates of a page: language → absolute URL.
fn alternates(html: &str) -> BTreeMap<String, String> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang=\""))
        .map(|l| (attribute(l, "hreflang").unwrap().into(), attribute(l, "href").unwrap().into()))
        .collect()
}

/// The real catalogue built without a diagnostic, with its HTML pages.
fn built_real_catalogue() -> (Site, BTreeMap<String, String>) {
    let site = Site::real_catalogue();
    assert!(site.build().diagnostics.is_empty());
    let pages = html_files(&site.out());
    (site, pages)
}

#[test]
fn every_page_links_to_itself_in_the_other_language_both_ways() {
    let (site, pages) = built_real_catalogue();
    let out = site.out();
    let base = "https://catalogue.example.org/";
    let mut checked = 0;
    for (path, html) in &pages {
        if path == "404.html" {
            continue;
        }
        let links = alternates(html);
        assert_eq!(
            links.keys().cloned().collect::<BTreeSet<_>>(),
            ["en", "ru", "x-default"].map(String::from).into(),
            "{path}"
        );
        assert_eq!(links["x-default"], links["en"], "{path}");
        let own = if path.starts_with("ru/") { "ru" } else { "en" };
        let own_url = format!("{base}{}", path.trim_end_matches("index.html"));
        assert_eq!(links[own], own_url, "{path} names itself wrongly");

        for (language, url) in &links {
            let other_path = format!("{}index.html", url.strip_prefix(base).unwrap());
            let other = pages
                .get(&other_path)
                .unwrap_or_else(|| panic!("{path}: {language} page {other_path} missing"));
            assert_eq!(
                alternates(other),
                links,
                "{path} and {other_path} disagree on their alternates"
            );
        }

        let switcher = &html[html.find("class=\"languages\"").expect("a language switcher")..];
        let switcher = &switcher[..switcher.find("</nav>").unwrap()];
        let href = switcher.split("href=\"").nth(1).unwrap().split('"').next().unwrap();
        let target = resolve(&out, &out.join(path), href).unwrap();
        assert!(target.is_file(), "{path}: switcher leads to missing {}", target.display());
        checked += 1;
    }
    assert!(checked > 500, "only {checked} pages checked");
}

/// The `href` of every `<a>` of `html` but the language switcher's.
fn links_within_the_language(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .map(|tag| &tag[..tag.find('>').unwrap()])
        .filter(|tag| !tag.contains("hreflang="))
        .filter_map(|tag| attribute(tag, "href").map(str::to_owned))
        .collect()
}

#[test]
fn russian_pages_link_to_russian_pages_in_russian() {
    let (site, pages) = built_real_catalogue();
    let out = site.out();
    let mut checked = 0;
    for (path, html) in pages.iter().filter(|(path, _)| path.starts_with("ru/")) {
        for href in links_within_the_language(html) {
            let Some(target) = resolve(&out, &out.join(path), &href) else { continue };
            let target = target.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
            if target.ends_with(".html") && !target.starts_with("ru/") {
                assert!(
                    !pages.contains_key(&format!("ru/{target}")),
                    "{path} links to the English {target} through {href}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 10_000, "only {checked} links checked");

    let all = site.read_out("ru/instruments/index.html");
    assert!(all.contains(">Конвенции</a></h2>"), "{all}");
    assert!(!all.contains(">Conventions</a></h2>"), "{all}");
}

#[test]
fn a_missing_translation_falls_back_with_a_note() {
    let site = Site::real_catalogue();
    site.build();
    // A recommendation has no Russian text: the Russian page shows English.
    let fallback = site.read_out("ru/instruments/recommendation-customs-sealing-1968/index.html");
    assert!(fallback.contains("class=\"fallback-note\""), "{fallback}");
    assert!(fallback.contains("<h1 lang=\"en\">"), "{fallback}");
    let english = site.read_out("instruments/recommendation-customs-sealing-1968/index.html");
    assert!(
        english.contains("перевода пока нет") || english.contains("no translation yet"),
        "the switcher says so"
    );
    assert!(!english.contains("class=\"fallback-note\""));

    // A convention has one: no note, Russian title and labels.
    let translated = site.read_out("ru/instruments/kyoto-convention-1973/index.html");
    assert!(!translated.contains("class=\"fallback-note\""));
    assert!(translated.contains("<html lang=\"ru\">"));
    assert!(
        translated
            .contains("Международная конвенция об упрощении и гармонизации таможенных процедур")
    );
    assert!(translated.contains("25 сентября 1974 г."));
}

#[test]
fn the_sitemap_lists_both_languages() {
    let site = Site::real_catalogue();
    site.build();
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://catalogue.example.org/instruments/kyoto-convention-1973/</loc>"
        )
    );
    assert!(sitemap.contains(
        "<loc>https://catalogue.example.org/ru/instruments/kyoto-convention-1973/</loc>"
    ));
    let entries = |prefix: &str| {
        sitemap
            .lines()
            .filter_map(|l| {
                l.trim().strip_prefix(&format!(
                    "<url><loc>https://catalogue.example.org/{prefix}instruments/"
                ))
            })
            .filter(|rest| !rest.starts_with("</loc>"))
            .count()
    };
    assert_eq!(entries(""), 123);
    assert_eq!(entries("ru/"), 123);
}
