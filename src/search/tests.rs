//! Building an index of a small catalogue in a temporary folder and searching
//! it, and the same over the real catalogue.

use std::collections::BTreeSet;
use std::path::Path;

use super::{IndexStats, MAX_PER_PAGE, Query, SearchResults, Searcher, build_index};
use crate::catalogue::Catalogue;
use crate::chronology;
use crate::content::date::PartialDate;
use crate::diagnostics::Diagnostics;
use crate::error::Error;

const SITE: &str = "\
title: Test catalogue
base_url: https://example.org/
languages: [en, ru]
";

/// (path under `content/instruments/`, file text).
const INSTRUMENTS: &[(&str, &str)] = &[
    (
        "convention/kyoto-convention-1973.md",
        "---
id: kyoto-convention-1973
title: International Convention on the Simplification and Harmonization of Customs Procedures
short_title: Kyoto Convention (1973)
type: convention
body: council
subjects: [procedures-facilitation]
status: superseded
adopted: 1973-05
place: Kyoto
---
The first convention on customs procedures.

## Structure

A body and 31 annexes on clearance, warehousing and transit.

## History

Revised by the Protocol of Amendment of 1999.
",
    ),
    (
        "convention/kyoto-convention-1973.ru.md",
        "---
id: kyoto-convention-1973
title: Международная конвенция об упрощении и гармонизации таможенных процедур
short_title: Киотская конвенция (1973)
---
Первая конвенция о таможенных процедурах. Миграция данных не рассматривалась.

## Структура

Тело конвенции и 31 приложение. Ёмкость приложений велика.

## Передача

Не передавать данные третьим лицам.
",
    ),
    (
        "protocol/revised-kyoto-protocol-1999.md",
        "---
id: revised-kyoto-protocol-1999
title: >-
  Protocol of Amendment to the International Convention on the Simplification and
  Harmonization of Customs Procedures
short_title: Kyoto Protocol of Amendment (1999)
type: protocol
body: council
subjects: [procedures-facilitation]
status: in-force
adopted: 1999-06-26
relations:
  amends: [kyoto-convention-1973]
---
The Protocol amends the 1973 Kyoto Convention.

## Annexes

It replaces the annexes with a General Annex and Specific Annexes.
",
    ),
    (
        "convention/hs-convention-1983.md",
        "---
id: hs-convention-1983
title: International Convention on the Harmonized Commodity Description and Coding System
short_title: HS Convention
type: convention
body: council
subjects: [tariff-classification]
status: in-force
adopted: 1983-06-14
---
The HS nomenclature classifies goods. See the [Kyoto Convention](kyoto-convention-1973).
",
    ),
    (
        "recommendation/hs-amendment-2017.md",
        "---
id: hs-amendment-2017
title: Recommendation concerning the amendment of the Nomenclature of the HS (HS 2017)
short_title: HS amendment Recommendation (HS 2017)
type: recommendation
body: council
subjects: [tariff-classification]
status: in-force
adopted: 2014-06
relations:
  amends: [hs-convention-1983]
---
Amendments to the HS nomenclature, in force in 2017. The HS changes every five years.
",
    ),
    (
        "framework-of-standards/safe-framework-2021.md",
        "---
id: safe-framework-2021
title: WCO SAFE Framework of Standards (2021 edition)
short_title: SAFE Framework (2021)
type: framework-of-standards
body: council
subjects: [security]
status: current
adopted: 2021
---
Standards to secure and facilitate global trade. SAFE stands for the standards.
",
    ),
    (
        "package/safe-package-2010.md",
        "---
id: safe-package-2010
title: WCO SAFE Package
short_title: SAFE Package
type: package
body: council
subjects: [security]
status: current
adopted: 2010
---
Instruments and tools on supply chain security, including the [framework](safe-framework-2021).
",
    ),
    (
        "guidelines/aeo-guidelines.md",
        "---
id: aeo-guidelines
title: Guidelines for authorized economic operators
type: guidelines
body: secretariat
subjects: [security]
status: current
adopted: 2012
relations:
  implements: [safe-framework-2021]
---
How operators are authorized under the framework.
",
    ),
    (
        "guidelines/passwords-guidelines.md",
        "---
id: passwords-guidelines
title: Guidelines on credentials
type: guidelines
body: secretariat
subjects: [it-data]
status: current
adopted: 2016
---
Do not store passwords in plain text.
",
    ),
    (
        "guidelines/vault-guidelines.md",
        "---
id: vault-guidelines
title: Guidelines on secrets
type: guidelines
body: secretariat
subjects: [it-data]
status: current
adopted: 2017
---
Store passwords in a vault. Keep a copy for the auditors.
",
    ),
    (
        "guide/interface-guide.md",
        "---
id: interface-guide
title: Guide to terminals
type: guide
body: secretariat
subjects: [it-data]
status: current
adopted: 2019
---
## Settings

UI and OS settings of the terminals.
",
    ),
    (
        "guide/plans-guide.md",
        "---
id: plans-guide
title: Plans 2022 &ndash; 2023
type: guide
body: secretariat
subjects: [capacity-building]
status: current
adopted: 2022
---
Between a&nbsp;b lies Fish &amp; Chips, and <b>bold</b> claims.
",
    ),
    (
        "guide/cafe-guide.md",
        "---
id: cafe-guide
title: Guide for the café
type: guide
body: secretariat
subjects: [capacity-building]
status: current
adopted: 2008
---
A résumé of naïve questions from the père of the house.
",
    ),
];

/// A built index of [`INSTRUMENTS`] and a searcher over it.
struct Fixture {
    _dir: tempfile::TempDir,
    stats: IndexStats,
    searcher: Searcher,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("site/content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("site.yaml"), SITE).unwrap();
        let classification =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content/classification.yaml");
        std::fs::copy(classification, content.join("classification.yaml")).unwrap();
        for (path, text) in INSTRUMENTS {
            let path = content.join("instruments").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        let catalogue = load(&dir.path().join("site"));
        let index = dir.path().join("index");
        std::fs::create_dir(&index).unwrap();
        let stats = build_index(&catalogue, &index).unwrap();
        let searcher = Searcher::open(&index).unwrap();
        Self { _dir: dir, stats, searcher }
    }

    fn index_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("index")
    }

    fn search(&self, query: &Query) -> SearchResults {
        self.searcher.search(query).unwrap()
    }

    fn ids(&self, text: &str) -> Vec<String> {
        ids(&self.search(&Query::text(text)))
    }

    fn ids_in(&self, text: &str, language: &str) -> Vec<String> {
        let query = Query { language: Some(language.to_owned()), ..Query::text(text) };
        ids(&self.search(&query))
    }
}

fn load(root: &Path) -> Catalogue {
    let mut diagnostics = Diagnostics::new();
    let content = crate::content::load(root, &mut diagnostics).unwrap().unwrap();
    Catalogue::assemble(content)
}

fn ids(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.id.clone()).collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn one_document_per_instrument_per_language() {
    let fixture = Fixture::new();
    assert_eq!(fixture.stats.documents, INSTRUMENTS.len());
    let languages: Vec<_> =
        fixture.stats.languages.iter().map(|l| (l.language.as_str(), l.documents)).collect();
    assert_eq!(languages, [("en", INSTRUMENTS.len() - 1), ("ru", 1)]);
    assert!(fixture.stats.bytes > 0);

    let files: Vec<_> = std::fs::read_dir(fixture.index_dir()).unwrap().collect();
    let segments = files
        .iter()
        .filter(|f| f.as_ref().unwrap().file_name().to_string_lossy().ends_with(".idx"))
        .count();
    assert_eq!(segments, 1, "merged to one segment");
    let locks = files
        .iter()
        .filter(|f| f.as_ref().unwrap().file_name().to_string_lossy().ends_with(".lock"));
    assert_eq!(locks.count(), 0, "lock files shipped");
}

#[test]
fn names_rank_their_instruments_first() {
    let fixture = Fixture::new();
    let kyoto = fixture.ids("Kyoto");
    assert!(kyoto[..2].contains(&"kyoto-convention-1973".to_owned()), "{kyoto:?}");
    assert!(kyoto[..2].contains(&"revised-kyoto-protocol-1999".to_owned()), "{kyoto:?}");
    assert_eq!(fixture.ids("HS")[0], "hs-convention-1983");
    assert_eq!(fixture.ids("HS Convention")[0], "hs-convention-1983");
    assert_eq!(fixture.ids("HS 2017")[0], "hs-amendment-2017");
    // Both short titles match; more instruments point at the Framework.
    assert_eq!(fixture.ids("SAFE")[0], "safe-framework-2021");
    assert_eq!(fixture.ids("SAFE Package")[0], "safe-package-2010");
    assert_eq!(fixture.ids("vault-guidelines")[0], "vault-guidelines");
}

#[test]
fn titles_weigh_above_bodies() {
    let fixture = Fixture::new();
    // "Protocol" is in one title and in another body.
    let hits = fixture.ids("protocol");
    assert_eq!(hits[0], "revised-kyoto-protocol-1999", "{hits:?}");
}

#[test]
fn russian_inflections_find_the_same_pages() {
    let fixture = Fixture::new();
    let convention = fixture.ids_in("конвенция", "ru");
    assert_eq!(convention, ["kyoto-convention-1973"]);
    assert_eq!(fixture.ids_in("конвенции", "ru"), convention);
    assert_eq!(fixture.ids_in("КОНВЕНЦИЮ", "ru"), convention);
    for form in ["миграция", "миграции", "миграцию"] {
        assert_eq!(fixture.ids_in(form, "ru"), convention, "{form}");
    }
}

#[test]
fn yo_and_ye_are_the_same_letter() {
    let fixture = Fixture::new();
    assert_eq!(fixture.ids_in("емкость", "ru"), ["kyoto-convention-1973"]);
    assert_eq!(fixture.ids_in("ёмкость", "ru"), ["kyoto-convention-1973"]);
}

#[test]
fn accented_and_plain_spellings_find_each_other() {
    let fixture = Fixture::new();
    for query in ["café", "cafe", "CAFE", "resume", "résumé", "naive", "père", "pere"] {
        assert_eq!(fixture.ids(query), ["cafe-guide"], "{query}");
    }
    let hit = &fixture.search(&Query::text("pere")).hits[0];
    assert!(hit.snippet_html.contains("<mark>père</mark>"), "{}", hit.snippet_html);
}

#[test]
fn negations_and_stop_words_are_searchable() {
    let fixture = Fixture::new();
    assert_eq!(fixture.ids("not store")[0], "passwords-guidelines");
    assert_eq!(fixture.ids("do not store passwords")[0], "passwords-guidelines");
    assert!(!fixture.ids("for").is_empty(), "a query of only a stop word still finds");
    assert!(!fixture.ids("the of and").is_empty());
    assert_eq!(fixture.ids_in("не передавать", "ru"), ["kyoto-convention-1973"]);
}

#[test]
fn two_letter_terms_are_searchable() {
    let fixture = Fixture::new();
    assert_eq!(fixture.ids("UI"), ["interface-guide"]);
    assert_eq!(fixture.ids("os"), ["interface-guide"]);
}

#[test]
fn entities_are_decoded_and_escaped_once() {
    let fixture = Fixture::new();
    for entity in ["nbsp", "amp", "ndash"] {
        assert!(fixture.ids(entity).is_empty(), "{entity} matched");
    }
    let results = fixture.search(&Query::text("chips"));
    let hit = &results.hits[0];
    assert_eq!(hit.title, "Plans 2022 – 2023");
    assert!(hit.snippet_html.contains("Fish &amp; <mark>Chips</mark>"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.contains("&lt;b&gt;") || hit.snippet_html.contains("bold"));
    assert!(!hit.snippet_html.contains("&amp;amp;"), "{}", hit.snippet_html);
}

#[test]
fn malformed_queries_answer() {
    let fixture = Fixture::new();
    let queries = [
        "https://example.org/a",
        "-foo",
        "following:",
        ">>>",
        "C++",
        "y+(y+25)",
        "title:",
        "\"unbalanced",
        "\"",
        "*",
        "type:",
        "year:",
        "AND OR NOT",
        "((",
        "~1",
        "^2",
        "\\",
        "",
        "   ",
        "lang:xx kyoto",
        "status:nonsense",
    ];
    for text in queries {
        for prefix in [false, true] {
            let query = Query { prefix, ..Query::text(text) };
            assert!(fixture.searcher.search(&query).is_ok(), "{text:?}");
        }
    }
    let pasted = "customs ".repeat(5_000);
    assert!(!fixture.ids(&pasted).is_empty(), "words past the limit are ignored");
    assert!(fixture.ids(">>>").is_empty());
    assert_eq!(fixture.ids("\"plain text")[0], "passwords-guidelines");
}

#[test]
fn quoted_phrases_match_in_order() {
    let fixture = Fixture::new();
    assert_eq!(fixture.ids("\"store passwords\""), ["passwords-guidelines", "vault-guidelines"]);
    assert_eq!(fixture.ids("\"plain text\""), ["passwords-guidelines"]);
    assert!(fixture.ids("\"text plain\"").is_empty());
    assert_eq!(fixture.ids("\"passwords in plain\""), ["passwords-guidelines"]);
    // "keep a" and "a vault" are both in one body, but not as one phrase.
    assert!(fixture.ids("\"keep a vault\"").is_empty());
    assert_eq!(fixture.ids("\"keep a copy\""), ["vault-guidelines"]);
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    let fixture = Fixture::new();
    let typing = |text: &str| ids(&fixture.search(&Query { prefix: true, ..Query::text(text) }));
    let kyoto = typing("kyo");
    assert!(kyoto.contains(&"kyoto-convention-1973".to_owned()), "{kyoto:?}");
    assert!(typing("harmoniz").contains(&"hs-convention-1983".to_owned()));
    assert_eq!(typing("vau"), ["vault-guidelines"]);
    assert!(fixture.ids("vau").is_empty(), "without prefix, whole words only");
    assert_eq!(fixture.ids("vau*"), ["vault-guidelines"]);
}

#[test]
fn the_default_language_only_unless_asked() {
    let fixture = Fixture::new();
    assert!(fixture.ids("конвенция").is_empty());
    let all = fixture.search(&Query { language: Some("all".into()), ..Query::text("1973") });
    let languages: Vec<_> = all.hits.iter().map(|h| h.language.as_str()).collect();
    assert!(languages.contains(&"en") && languages.contains(&"ru"), "{languages:?}");
    let ru =
        fixture.search(&Query { language: Some("ru".into()), ..Query::text("конвенция") });
    assert_eq!(ru.hits[0].url, "ru/instruments/kyoto-convention-1973/");
    assert_eq!(fixture.ids("lang:ru конвенция"), ["kyoto-convention-1973"]);
}

#[test]
fn hits_point_into_their_best_section() {
    let fixture = Fixture::new();
    let hit = &fixture.search(&Query::text("warehousing")).hits[0];
    assert_eq!(hit.url, "instruments/kyoto-convention-1973/#structure");
    assert_eq!(hit.section.as_deref(), Some("Structure"));
    assert!(hit.snippet_html.contains("<mark>warehousing</mark>"), "{}", hit.snippet_html);

    let intro = &fixture.search(&Query::text("first convention")).hits[0];
    assert_eq!(intro.url, "instruments/kyoto-convention-1973/");
    assert_eq!(intro.section, None);

    let ru = Query { language: Some("ru".into()), ..Query::text("третьим лицам") };
    let hit = &fixture.search(&ru).hits[0];
    assert_eq!(hit.url, "ru/instruments/kyoto-convention-1973/#передача");
}

#[test]
fn facets_agree_with_filtered_counts() {
    let fixture = Fixture::new();
    for text in ["", "customs", "guidelines", "the"] {
        let results = fixture.search(&Query { per_page: 1, ..Query::text(text) });
        let by_type: usize = results.facets.types.iter().map(|(_, n)| n).sum();
        assert_eq!(by_type, results.total, "{text:?}");
        let by_status: usize = results.facets.statuses.iter().map(|(_, n)| n).sum();
        assert_eq!(by_status, results.total, "{text:?}");
        for (kind, count) in &results.facets.types {
            let query = Query { types: vec![kind.clone()], ..Query::text(text) };
            assert_eq!(fixture.search(&query).total, *count, "{text:?} {kind}");
        }
        for (subject, count) in &results.facets.subjects {
            let query = Query { subjects: vec![subject.clone()], ..Query::text(text) };
            assert_eq!(fixture.search(&query).total, *count, "{text:?} {subject}");
        }
        for (decade, count) in &results.facets.decades {
            let query = Query { decades: vec![decade.clone()], ..Query::text(text) };
            assert_eq!(fixture.search(&query).total, *count, "{text:?} {decade}");
        }
    }
}

#[test]
fn parent_subjects_count_and_filter_their_children() {
    let fixture = Fixture::new();
    let query = Query { subjects: vec!["tariff-trade".into()], ..Query::default() };
    assert_eq!(sorted(ids(&fixture.search(&query))), ["hs-amendment-2017", "hs-convention-1983"]);
}

#[test]
fn paging_walks_every_hit_once() {
    let fixture = Fixture::new();
    let everything = fixture.search(&Query { per_page: 100, ..Query::text("the") });
    let mut paged = Vec::new();
    for page in 1..=10 {
        let results = fixture.search(&Query { page, per_page: 3, ..Query::text("the") });
        assert_eq!(results.total, everything.total);
        paged.extend(ids(&results));
    }
    assert_eq!(paged, ids(&everything));
    let past_the_end = fixture.search(&Query { page: 99, ..Query::text("the") });
    assert!(past_the_end.hits.is_empty());
    assert_eq!(past_the_end.total, everything.total);
}

#[test]
fn filters_by_type_year_and_decade() {
    let fixture = Fixture::new();
    let conventions = Query { types: vec!["convention".into()], ..Query::default() };
    assert_eq!(
        sorted(ids(&fixture.search(&conventions))),
        ["hs-convention-1983", "kyoto-convention-1973"]
    );
    let typed = fixture.search(&Query::text("type:convention kyoto"));
    assert_eq!(typed.hits[0].id, "kyoto-convention-1973");
    assert!(typed.hits.iter().all(|h| h.kind == "convention"));

    let nineties = Query { decades: vec!["1990s".into()], ..Query::default() };
    assert_eq!(ids(&fixture.search(&nineties)), ["revised-kyoto-protocol-1999"]);
    let range = Query { from_year: Some(1990), to_year: Some(1999), ..Query::text("kyoto") };
    assert_eq!(ids(&fixture.search(&range)), ["revised-kyoto-protocol-1999"]);
    assert_eq!(fixture.ids("decade:1990s kyoto"), ["revised-kyoto-protocol-1999"]);
    assert_eq!(fixture.ids("year:1970-1979"), ["kyoto-convention-1973"]);
}

#[test]
fn no_instrument_with_every_word_relaxes_to_any_word() {
    let fixture = Fixture::new();
    let results = fixture.search(&Query::text("vault warehousing"));
    assert!(results.relaxed);
    assert_eq!(sorted(ids(&results)), ["kyoto-convention-1973", "vault-guidelines"]);
    assert!(!fixture.search(&Query::text("vault passwords")).relaxed);
}

#[test]
fn opening_reads_without_writing_and_fails_clearly() {
    let fixture = Fixture::new();
    let dir = fixture.index_dir();
    let listing = |dir: &Path| {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|f| {
                let f = f.unwrap();
                (
                    f.file_name(),
                    f.metadata().unwrap().len(),
                    f.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = listing(&dir);
    let searcher = Searcher::open(&dir).unwrap();
    searcher.search(&Query::text("kyoto")).unwrap();
    assert_eq!(listing(&dir), before, "opening and searching wrote to the index folder");

    let missing = Searcher::open(&dir.join("nowhere")).unwrap_err();
    assert!(matches!(missing, Error::MissingInput { .. }), "{missing}");

    let store = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| f.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut bytes = std::fs::read(&store).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&store, bytes).unwrap();
    let corrupt = Searcher::open(&dir).unwrap_err();
    assert!(corrupt.to_string().contains("corrupt"), "{corrupt}");
}

#[test]
fn a_searcher_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Searcher>();
}

/// The real catalogue, as the issue asks: names first, facets that add up.
#[test]
fn real_catalogue_ranks_named_instruments_first() {
    let catalogue = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let dir = tempfile::tempdir().unwrap();
    build_index(&catalogue, dir.path()).unwrap();
    let searcher = Searcher::open(dir.path()).unwrap();
    let first = |text: &str, n: usize| {
        let results = searcher.search(&Query::text(text)).unwrap();
        ids(&results).into_iter().take(n).collect::<Vec<_>>()
    };

    let kyoto = first("Kyoto", 3);
    assert!(kyoto.contains(&"kyoto-convention-1973".to_owned()), "{kyoto:?}");
    assert!(kyoto.contains(&"revised-kyoto-protocol-1999".to_owned()), "{kyoto:?}");
    assert_eq!(first("HS", 1), ["hs-convention-1983"]);
    assert_eq!(first("HS Convention", 1), ["hs-convention-1983"]);
    assert!(first("SAFE", 1)[0].starts_with("safe-framework-"), "{:?}", first("SAFE", 3));
    assert_eq!(first("Revised Kyoto Convention", 1), ["revised-kyoto-convention-1999"]);
    assert_eq!(first("RKC", 1), ["revised-kyoto-convention-1999"]);

    let everything = searcher.search(&Query::default()).unwrap();
    assert_eq!(everything.total, catalogue.entries.len());
    for (kind, count) in &everything.facets.types {
        let expected =
            catalogue.entries.iter().filter(|e| &e.instrument.kind.value == kind).count();
        assert_eq!(*count, expected, "{kind}");
    }
    let conventions = Query { types: vec!["convention".into()], ..Query::text("customs") };
    let results = searcher.search(&conventions).unwrap();
    assert!(results.hits.iter().all(|h| h.kind == "convention"));
}

/// Every id a query matches, over as many pages as it takes.
fn all_ids(searcher: &Searcher, query: &Query) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for page in 1.. {
        let query = Query { page, per_page: MAX_PER_PAGE, ..query.clone() };
        let results = searcher.search(&query).unwrap();
        if results.hits.is_empty() {
            assert_eq!(found.len(), results.total, "paging lost hits of {query:?}");
            break;
        }
        found.extend(ids(&results));
    }
    found
}

/// Issue #11: the point-in-time filter of the search says what the
/// point-in-time pages say, for the last day of every year the catalogue
/// covers and for the days on which an instrument starts or stops.
#[test]
fn in_force_on_agrees_with_chronology_on_the_real_catalogue() {
    let catalogue = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let dir = tempfile::tempdir().unwrap();
    build_index(&catalogue, dir.path()).unwrap();
    let searcher = Searcher::open(dir.path()).unwrap();

    let (first, last) = chronology::year_range(&catalogue).unwrap();
    let mut days: Vec<PartialDate> = (first..=last).map(chronology::year_end).collect();
    for index in 0..catalogue.entries.len() {
        let bounds =
            [chronology::start(&catalogue.entries[index]), chronology::end(&catalogue, index)];
        for (year, month, day) in bounds.iter().flatten().flat_map(|d| [d.earliest(), d.latest()]) {
            days.push(PartialDate { year, month: Some(month), day: Some(day) });
            let before = if day > 1 { (year, month, day - 1) } else { (year - 1, 12, 31) };
            days.push(PartialDate { year: before.0, month: Some(before.1), day: Some(before.2) });
        }
    }
    days.push(PartialDate { year: 2006, month: Some(2), day: None });
    days.sort();
    days.dedup();

    let mut sizes = BTreeSet::new();
    for day in &days {
        let expected: BTreeSet<String> = (0..catalogue.entries.len())
            .filter(|&i| chronology::in_force_on(&catalogue, i, day))
            .map(|i| catalogue.entries[i].instrument.id.value.clone())
            .collect();
        let query = Query { in_force_on: Some(day.iso()), ..Query::default() };
        assert_eq!(all_ids(&searcher, &query), expected, "in force on {day}");
        assert_eq!(searcher.search(&query).unwrap().total, expected.len(), "{day}");
        sizes.insert(expected.len());
    }
    assert!(sizes.len() > 5, "the catalogue changes over time: {sizes:?}");

    // The filter narrows a text search too, and the API's words still apply.
    let kyoto = |day: &str| {
        let query = Query { in_force_on: Some(day.into()), ..Query::text("Kyoto") };
        ids(&searcher.search(&query).unwrap())
    };
    assert!(kyoto("1990").contains(&"kyoto-convention-1973".to_owned()));
    assert!(!kyoto("2010").contains(&"kyoto-convention-1973".to_owned()));
    assert!(kyoto("2010").contains(&"revised-kyoto-convention-1999".to_owned()));
}

#[test]
fn a_bad_in_force_date_is_a_usage_error() {
    let fixture = Fixture::new();
    for bad in ["2005-13", "31/12/2005", "yesterday", "1700", "2005-02-30"] {
        let query = Query { in_force_on: Some(bad.into()), ..Query::default() };
        let err = fixture.searcher.search(&query).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{bad}: {err}");
        assert!(err.to_string().contains("in_force_on") && err.to_string().contains(bad), "{err}");
    }
    let everything = fixture.search(&Query::default()).total;
    let blank = Query { in_force_on: Some(" ".into()), ..Query::default() };
    assert_eq!(fixture.search(&blank).total, everything, "a blank date is no filter");
}

#[test]
fn empty_text_with_filters_lists_every_match() {
    let fixture = Fixture::new();
    let guidelines = Query { types: vec!["guidelines".into()], ..Query::default() };
    let results = fixture.search(&guidelines);
    assert_eq!(results.total, 3);
    assert_eq!(
        sorted(ids(&results)),
        ["aeo-guidelines", "passwords-guidelines", "vault-guidelines"]
    );
    // Current tools adopted by 2016; the superseded Kyoto Convention of the
    // fixture has no successor that dates its end, so it is never in force.
    let in_2016 = Query { in_force_on: Some("2016".into()), ..Query::default() };
    let found = sorted(ids(&fixture.search(&in_2016)));
    assert!(found.contains(&"passwords-guidelines".to_owned()), "{found:?}");
    assert!(!found.contains(&"vault-guidelines".to_owned()), "{found:?}");
    assert!(!found.contains(&"kyoto-convention-1973".to_owned()), "{found:?}");
}
