//! The publisher's edition: the single-page HTML edition (ids, anchors,
//! namespacing), the CSV export, reproducibility, and with the `edition`
//! feature the PDF of the real catalogue read back as text.

use std::collections::{BTreeMap, BTreeSet};

use folio::edition::{self, Format, Report, Settings};

use crate::harness::Site;

/// 2022-01-01T00:00:00Z.
const EPOCH: &str = "1640995200";

/// Make the edition of `site` into `public/edition/`.
fn make(site: &Site, language: Option<&str>) -> Report {
    let settings = Settings {
        root: site.root.clone(),
        out: site.out().join("edition"),
        language: language.map(str::to_owned),
        source_date_epoch: Some(EPOCH.to_owned()),
    };
    let report = edition::run(&settings).expect("the edition runs");
    assert!(!report.outcome.failed(false), "{:#?}", report.outcome.diagnostics);
    report
}

/// The file of one format and language that a run wrote.
fn written(report: &Report, format: Format, language: &str) -> Vec<u8> {
    let file = report
        .written
        .iter()
        .find(|w| w.format == format && w.language == language)
        .unwrap_or_else(|| panic!("no {format:?} edition in {language}: {:#?}", report.written));
    std::fs::read(&file.path).unwrap()
}

/// Every value of an attribute in an HTML text, decoded.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').unwrap();
        let value = rest[..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
        found.push(percent_encoding::percent_decode_str(&value).decode_utf8_lossy().into_owned());
    }
    found
}

/// Assert every id is unique and every `#` link has its target.
fn assert_anchors_hold(html: &str) {
    let mut ids = BTreeMap::new();
    for id in attributes(html, "id") {
        *ids.entry(id).or_insert(0) += 1;
    }
    let repeated: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "ids used more than once: {repeated:?}");

    let dangling: BTreeSet<String> = attributes(html, "href")
        .into_iter()
        .filter_map(|href| href.strip_prefix('#').map(str::to_owned))
        .filter(|fragment| !ids.contains_key(fragment))
        .collect();
    assert!(dangling.is_empty(), "links to no anchor: {dangling:?}");
}

#[test]
fn html_edition_of_the_real_catalogue_has_unique_ids_and_no_dangling_anchors() {
    let site = Site::real_catalogue();
    let report = make(&site, Some("en"));
    let html = String::from_utf8(written(&report, Format::Html, "en")).unwrap();
    assert_anchors_hold(&html);

    // Every entry is there, numbered, under its own id.
    let catalogue = site.check();
    assert_eq!(html.matches("<article class=\"entry\"").count(), catalogue.instruments);
    assert!(html.contains("id=\"revised-kyoto-convention-1999\""));
    assert!(html.contains("<span class=\"number\">1.1.1</span>"), "no entry 1.1.1");
}

#[test]
fn html_edition_namespaces_the_ids_of_each_entry() {
    // BC-051: two entries with `## Scope` and a footnote `[^1]` each.
    let site = Site::fixture("sites/edition");
    let report = make(&site, Some("en"));
    let html = String::from_utf8(written(&report, Format::Html, "en")).unwrap();
    assert_anchors_hold(&html);

    for id in ["alpha-convention-1970--scope", "beta-convention-1990--scope", "about--scope"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no heading id {id}");
    }
    for id in ["alpha-convention-1970--fn-1", "beta-convention-1990--fn-1"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no footnote id {id}");
        assert!(html.contains(&format!("href=\"#{id}\"")), "no link to footnote {id}");
    }
    // A link to another entry's heading stays in the page; a link to a file
    // resolves from the edition's folder to the entry's folder of the site.
    assert!(html.contains("href=\"#beta-convention-1990--scope\""));
    assert!(html.contains("href=\"#alpha-convention-1970--scope\""));
    assert!(html.contains("href=\"../instruments/alpha-convention-1970/../files/form.pdf\""));
    assert!(html.contains("@media print"), "no print stylesheet");

    // Body headings sit below the entry's own heading, and close as opened.
    assert!(html.contains("<h4 id=\"beta-convention-1990--scope\">Scope</h4>"), "{html}");
}

#[test]
fn an_edition_is_made_per_language_with_translations() {
    let site = Site::fixture("sites/edition");
    let report = make(&site, None);
    let languages: BTreeSet<_> = report.written.iter().map(|w| w.language.as_str()).collect();
    assert_eq!(languages, BTreeSet::from(["en", "ru"]));
    let out = site.out().join("edition");
    assert!(out.join("catalogue.html").is_file());
    assert!(out.join("catalogue.ru.html").is_file());

    let russian = std::fs::read_to_string(out.join("catalogue.ru.html")).unwrap();
    assert!(russian.contains("<html lang=\"ru\">"));
    assert!(russian.contains("Конвенция Бета о таможенных процедурах"));
    assert!(russian.contains("Содержание"));
    assert_anchors_hold(&russian);
}

#[test]
fn two_html_editions_of_the_same_content_are_byte_identical() {
    let first = Site::real_catalogue();
    let second = Site::real_catalogue();
    let a = written(&make(&first, Some("en")), Format::Html, "en");
    let b = written(&make(&second, Some("en")), Format::Html, "en");
    assert!(a == b, "the HTML editions differ");
}

#[test]
fn csv_export_has_a_row_per_instrument() {
    let site = Site::fixture("sites/edition");
    let csv = folio::edition::export::catalogue_csv(&load(&site));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, folio::edition::export::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);

    // Quoting survives commas, quotes and backslashes in titles.
    let alpha = &rows[0];
    assert_eq!(&alpha[0], "alpha-convention-1970");
    assert!(alpha[1].contains("$dollars$, @refs") && alpha[1].ends_with("\\ backslashes"));
    assert_eq!(&alpha[15], "https://fixture.example.org/instruments/alpha-convention-1970/");
    assert_eq!(&alpha[16], "superseded-by: beta-convention-1990");
    assert_eq!(&rows[1][6], "procedures; origin");
}

#[test]
fn csv_export_of_the_real_catalogue_parses() {
    let site = Site::real_catalogue();
    let catalogue = load(&site);
    let csv = folio::edition::export::catalogue_csv(&catalogue);
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().map(Result::unwrap).count();
    assert_eq!(rows, catalogue.entries.len());
}

/// Load and assemble a site's catalogue.
fn load(site: &Site) -> folio::catalogue::Catalogue {
    let mut diagnostics = folio::diagnostics::Diagnostics::new();
    let content = folio::content::load(&site.root, &mut diagnostics).unwrap().expect("content");
    folio::catalogue::Catalogue::assemble(content)
}

#[cfg(not(feature = "edition"))]
#[test]
fn without_the_feature_the_command_writes_html_and_names_the_feature() {
    let site = Site::fixture("sites/edition");
    let output = site.folio(&["edition", "--lang", "en"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(site.out().join("edition/catalogue.html").is_file());
    assert!(!site.out().join("edition/catalogue.pdf").exists());
    assert!(stderr.contains("--features edition"), "{stderr}");
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let site = Site::fixture("sites/edition");
    let output = site.folio(&["edition", "--lang", "fr"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
}

#[cfg(feature = "edition")]
mod pdf {
    //! The PDF, read back with `pdf-extract`.

    use std::sync::OnceLock;

    use super::*;

    /// The real catalogue's English edition, typeset once for these tests.
    fn real() -> &'static (Site, Report, Vec<String>) {
        static REAL: OnceLock<(Site, Report, Vec<String>)> = OnceLock::new();
        REAL.get_or_init(|| {
            let site = Site::real_catalogue();
            let report = make(&site, Some("en"));
            let pages = pages(&written(&report, Format::Pdf, "en"));
            (site, report, pages)
        })
    }

    /// The text of each page.
    fn pages(pdf: &[u8]) -> Vec<String> {
        pdf_extract::extract_text_from_mem_by_pages(pdf).expect("the PDF reads back")
    }

    /// Text compared without spaces, line breaks or typographic quotes.
    fn squash(text: &str) -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{00AD}')
            .map(|c| match c {
                '“' | '”' | '„' | '«' | '»' => '"',
                '‘' | '’' => '\'',
                c => c,
            })
            .collect()
    }

    /// The physical page whose footer prints the (arabic) number `printed`.
    fn page_numbered(pages: &[String], printed: usize) -> usize {
        let found: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, text)| {
                text.lines().rev().find(|l| !l.trim().is_empty()).map(str::trim)
                    == Some(printed.to_string().as_str())
            })
            .map(|(n, _)| n)
            .collect();
        assert!(!found.is_empty(), "no page prints the number {printed}");
        *found.last().unwrap()
    }

    /// The digits that follow `after` in squashed text, skipping leaders.
    fn number_after(text: &str, after: &str) -> Option<usize> {
        let at = text.find(after)? + after.len();
        let digits: String = text[at..]
            .chars()
            .skip_while(|c| *c == '.' || *c == ',' || *c == '…')
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    }

    /// The page number ending the contents line of `heading` (squashed):
    /// the digits at the end of the line where the heading's text ends.
    fn page_in_contents(contents: &str, heading: &str) -> Option<usize> {
        let mut squashed = String::new();
        let mut raw_end = Vec::new();
        for (at, c) in contents.char_indices() {
            let kept = squash(&c.to_string());
            squashed.push_str(&kept);
            raw_end.extend(kept.bytes().map(|_| at + c.len_utf8()));
        }
        let end = raw_end[squashed.find(heading)? + heading.len() - 1];
        let line = contents[end..].lines().next()?.trim_end();
        let digits = line.len() - line.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        line[line.len() - digits..].parse().ok()
    }

    #[test]
    fn pdf_edition_shows_every_entry_title() {
        let (site, _, pages) = real();
        let text = squash(&pages.join("\n"));
        let catalogue = load(site);
        let missing: Vec<&str> = catalogue
            .entries
            .iter()
            .map(|e| e.instrument.title.value.as_str())
            .filter(|title| !text.contains(&squash(title)))
            .collect();
        assert!(missing.is_empty(), "titles not found in the PDF: {missing:#?}");
    }

    #[test]
    fn pdf_contents_give_the_page_each_entry_starts_on() {
        let (site, _, pages) = real();
        let catalogue = load(site);
        let plan = folio::edition::plan::Plan::new(&catalogue, "en");
        let contents: String = pages
            .iter()
            .skip_while(|p| !p.contains("Contents"))
            .take_while(|p| !p.contains("About the catalogue") || p.contains("Contents"))
            .map(String::as_str)
            .collect();
        assert!(!contents.is_empty(), "no contents pages");

        for entry in plan.entries().step_by(17) {
            let number = plan.number(entry).unwrap();
            let title = squash(&catalogue.entries[entry].instrument.title.value);
            let heading = format!("{number}{title}");
            let printed = page_in_contents(&contents, &heading)
                .unwrap_or_else(|| panic!("{heading} has no page in the contents"));
            let page = &pages[page_numbered(pages, printed)];
            assert!(squash(page).contains(&heading), "{heading} is not on page {printed}");
        }
    }

    #[test]
    fn pdf_cross_references_name_the_number_and_page() {
        let (site, _, pages) = real();
        let catalogue = load(site);
        let plan = folio::edition::plan::Plan::new(&catalogue, "en");
        let to = catalogue.index_of("kyoto-convention-1973").unwrap();
        let number = plan.number(to).unwrap();

        let metadata = "Identifierrevised-kyoto-convention-1999";
        let start = pages.iter().position(|p| squash(p).contains(metadata)).expect("the RKC entry");
        let text: String = pages[start..start + 2].iter().map(|p| squash(p)).collect();
        let printed = number_after(&text, &format!("(see{number},p."))
            .unwrap_or_else(|| panic!("no reference to {number} with a page"));
        let target = squash(&format!("{number} {}", catalogue.entries[to].instrument.title.value));
        assert!(squash(&pages[page_numbered(pages, printed)]).contains(&target));
    }

    #[test]
    fn pdf_imprint_and_annexes_are_there() {
        let (_, _, pages) = real();
        let text = squash(&pages.join("\n"));
        for expected in [
            "Imprint",
            "Currentto31December2021",
            "Typeset1January2022",
            "Chronologicaltable",
            "Indexbysubject",
            "Indexoftitlesandshorttitles",
        ] {
            assert!(text.contains(expected), "no {expected} in the PDF");
        }
    }

    #[test]
    fn pdf_sets_cyrillic_and_markup_characters() {
        let site = Site::fixture("sites/edition");
        let report = make(&site, None);
        let russian = squash(&pages(&written(&report, Format::Pdf, "ru")).join("\n"));
        assert!(russian.contains(&squash("Конвенция Бета о таможенных процедурах")), "{russian}");
        assert!(russian.contains(&squash("Съешь же ещё этих мягких французских булок")));
        assert!(russian.contains("Содержание"));

        let english = squash(&pages(&written(&report, Format::Pdf, "en")).join("\n"));
        let title = concat!(
            "Alpha Convention on #hashes, $dollars$, @refs, <labels>, *stars*, _under_, ",
            "[brackets], ~tildes~, // slashes, `ticks`, = equals, - dashes, 1. and \\ backslashes"
        );
        assert!(english.contains(&squash(title)), "{english}");
        assert!(english.contains(&squash("#let x = \"raw text\"")));
    }

    #[test]
    fn two_pdf_editions_of_the_same_content_are_byte_identical() {
        let (_, report, _) = real();
        let site = Site::real_catalogue();
        let again = make(&site, Some("en"));
        let a = written(report, Format::Pdf, "en");
        let b = written(&again, Format::Pdf, "en");
        assert!(a == b, "the PDF editions differ ({} and {} bytes)", a.len(), b.len());
    }
}
