//! The publisher's edition: the single-page HTML edition (ids, anchors,
//! namespacing), the CSV export, reproducibility, the chapter of changes
//! (`--since`), and with the `edition` feature the PDF of the real catalogue
//! read back as text and as PDF objects (bookmarks, tags).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

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
        since: None,
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

#[test]
fn the_site_build_writes_catalogue_csv_beside_catalogue_json() {
    let site = Site::fixture("sites/edition");
    let outcome = site.build();
    assert!(!outcome.failed(false), "{:#?}", outcome.diagnostics);

    let json: serde_json::Value = serde_json::from_str(&site.read_out("catalogue.json")).unwrap();
    let csv = site.read_out("catalogue.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "id");
    let rows: Vec<(String, String)> = reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            (row[0].to_owned(), row[1].to_owned())
        })
        .collect();
    let instruments: Vec<(String, String)> = json["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_owned(), i["title"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(rows, instruments);
}

// The chapter of changes: `folio edition --since REV`.

fn git(root: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=folio", "-c", "user.email=folio@example.org"])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn guide(id: &str, title: &str, adopted: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\ntype: guide\nbody: secretariat\nsubjects: [origin]\n\
         status: current\nadopted: {adopted}\n---\nText of {id}.\n"
    )
}

/// The edition fixture with an imprint and a third instrument, committed and
/// built (its `catalogue.json` kept as `earlier.json`); then on disk
/// `gamma` removed, `delta` added, and `beta` given a place and a new date
/// of entry into force. Returns the site and the short commit.
fn edition_with_changes() -> (Site, String) {
    let site = Site::fixture("sites/edition");
    site.write(
        "content/site.yaml",
        "title: Fixture catalogue\nbase_url: https://fixture.example.org/\n\
         languages: [en, ru]\ncurrent_to: 2021-12-31\nedition:\n  number: 3\n  \
         date: 2022-02\n  publisher: Fixture Press\n  isbn: 978-3-16-148410-0\n",
    );
    let gamma = guide("gamma-guide-2005", "Gamma Guide to Procedures", "2005");
    site.write("content/instruments/gamma-guide-2005.md", gamma);
    git(&site.root, &["init", "--quiet"]);
    git(&site.root, &["add", "content"]);
    git(&site.root, &["commit", "--quiet", "-m", "the second edition"]);
    let commit = git(&site.root, &["rev-parse", "--short", "HEAD"]);
    assert!(!site.build().failed(false));
    std::fs::copy(site.out().join("catalogue.json"), site.root.join("earlier.json")).unwrap();

    std::fs::remove_file(site.root.join("content/instruments/gamma-guide-2005.md")).unwrap();
    let delta = guide("delta-guide-2010", "Delta Guide to Origin", "2010-05-01");
    site.write("content/instruments/delta-guide-2010.md", delta);
    let beta = site.root.join("content/instruments/beta-convention-1990.md");
    let text = std::fs::read_to_string(&beta).unwrap();
    let text = text.replace("in_force: 1993-11-27\n", "in_force: 1994-01-01\nplace: Brussels\n");
    std::fs::write(&beta, text).unwrap();
    (site, commit)
}

/// Run `folio edition --lang en` with more arguments; the English HTML.
fn edition_html(site: &Site, args: &[&str]) -> String {
    let output = site.folio(&[&["edition", "--lang", "en"], args].concat());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    site.read_out("edition/catalogue.html")
}

/// The text of the HTML's chapter of changes, tags dropped, one line per
/// block.
fn changes_chapter(html: &str) -> Vec<String> {
    let start = html.find("<section class=\"changes\"").expect("a chapter of changes");
    let end = start + html[start..].find("</section>").unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.lines().map(|l| l.trim().replace("&#39;", "'")).filter(|l| !l.is_empty()).collect()
}

/// The lines a publisher sees in the chapter, from either baseline.
fn assert_changes_listed(lines: &[String], compared_with: &str) {
    let expected = [
        "Changes since the previous edition",
        compared_with,
        "Added",
        "Delta Guide to Origin 2.1.1",
        "Removed",
        "Gamma Guide to Procedures (gamma-guide-2005)",
        "Changed",
        "1.1.2Beta Convention on Customs Procedures",
        "Placenone → Brussels",
        "In force27 November 1993 → 1 January 1994",
    ];
    assert_eq!(lines, expected, "the chapter of changes reads\n{}", lines.join("\n"));
}

#[test]
fn edition_since_a_revision_lists_what_was_added_removed_and_changed() {
    let (site, commit) = edition_with_changes();
    let html = edition_html(&site, &["--since", "HEAD"]);
    assert_anchors_hold(&html);
    let compared_with = format!("Compared with revision {commit} (HEAD).");
    assert_changes_listed(&changes_chapter(&html), &compared_with);
    assert!(html.contains("<li><a href=\"#_changes\">Changes since the previous edition</a></li>"));

    // The imprint: the title page's fields from site.yaml, the commit, the date.
    for line in [
        "<p class=\"edition\">Edition 3</p>",
        "<p class=\"date\">February 2022</p>",
        "<p class=\"publisher\">Fixture Press</p>",
        "<dt>ISBN</dt><dd>978-3-16-148410-0</dd>",
        &format!("<dt>Catalogue revision</dt><dd>{commit}</dd>"),
        "<dt>Typeset</dt><dd>31 December 2021</dd>",
    ] {
        assert!(html.contains(line), "no {line} in the imprint");
    }

    #[cfg(feature = "edition")]
    {
        let pdf = std::fs::read(site.out().join("edition/catalogue.pdf")).unwrap();
        let pages = pdf::pages(&pdf);
        let text = pdf::squash(&pages.join("\n"));
        let title_page = pdf::squash(&pages[0]);
        for expected in ["Fixturecatalogue", "Edition3", "February2022", "FixturePress"] {
            assert!(title_page.contains(expected), "no {expected} on the title page");
        }
        let imprint = pdf::squash(&pages[1]);
        for expected in ["ISBN978-3-16-148410-0", &format!("Cataloguerevision{commit}")] {
            assert!(imprint.contains(expected), "no {expected} in the imprint: {imprint}");
        }
        for expected in [
            "Changessincethepreviousedition",
            &pdf::squash(&compared_with),
            "GammaGuidetoProcedures(gamma-guide-2005)",
            "Placenone→Brussels",
            "Inforce27November1993→1January1994",
        ] {
            assert!(text.contains(expected), "no {expected} in the PDF");
        }
        // The added guide and the changed convention, with number and page.
        let chapter = &text[text.find("Comparedwithrevision").unwrap()..];
        let added = &chapter[chapter.find("DeltaGuidetoOrigin").expect("the added guide")..];
        let printed = pdf::number_after(added, "2.1.1,").expect("the added guide's page");
        let page = pdf::squash(&pages[pdf::page_numbered(&pages, printed)]);
        assert!(page.contains("2.1.1DeltaGuidetoOrigin"), "2.1.1 is not on page {printed}");
        assert!(chapter.contains("1.1.2BetaConventiononCustomsProcedures(see1.1.2,p."));
    }
}

#[test]
fn edition_since_an_earlier_catalogue_json_lists_the_same_changes() {
    let (site, _) = edition_with_changes();
    let earlier = site.root.join("earlier.json");
    let html = edition_html(&site, &["--since", earlier.to_str().unwrap()]);
    let compared_with = "Compared with earlier.json (current to 31 December 2021).";
    assert_changes_listed(&changes_chapter(&html), compared_with);
}

#[test]
fn edition_since_an_unknown_revision_is_a_usage_error() {
    let (site, _) = edition_with_changes();
    let output = site.folio(&["edition", "--lang", "en", "--since", "no-such-tag"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no-such-tag"), "{stderr}");
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

    /// The real catalogue's editions (English and Russian), typeset once
    /// for these tests, with the text of each page of the English one.
    fn real() -> &'static (Site, Report, Vec<String>) {
        static REAL: OnceLock<(Site, Report, Vec<String>)> = OnceLock::new();
        REAL.get_or_init(|| {
            let site = Site::real_catalogue();
            let report = make(&site, None);
            let pages = pages(&written(&report, Format::Pdf, "en"));
            (site, report, pages)
        })
    }

    /// The text of each page.
    pub(super) fn pages(pdf: &[u8]) -> Vec<String> {
        pdf_extract::extract_text_from_mem_by_pages(pdf).expect("the PDF reads back")
    }

    /// Text compared without spaces, line breaks or typographic quotes.
    pub(super) fn squash(text: &str) -> String {
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
    pub(super) fn page_numbered(pages: &[String], printed: usize) -> usize {
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
    pub(super) fn number_after(text: &str, after: &str) -> Option<usize> {
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

        for entry in plan.entries() {
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
    fn pdf_title_page_imprint_and_annexes_are_there() {
        let (_, _, pages) = real();
        let title_page = squash(&pages[0]);
        for expected in ["LegalInstrumentsandToolsoftheWCO", "Edition1", "March2021", "folio"] {
            assert!(title_page.contains(expected), "no {expected} on the title page");
        }
        let imprint = squash(&pages[1]);
        for expected in [
            "Imprint",
            "Edition1,March2021",
            "Publishedbyfolio",
            "Currentto31December2021",
            "Typeset1January2022",
        ] {
            assert!(imprint.contains(expected), "no {expected} in the imprint: {imprint}");
        }
        // The copy of the catalogue is no git checkout: no revision to state.
        assert!(!imprint.contains("Cataloguerevision"), "{imprint}");

        let text = squash(&pages.join("\n"));
        for expected in ["Chronologicaltable", "Indexbysubject", "Indexoftitlesandshorttitles"] {
            assert!(text.contains(expected), "no {expected} in the PDF");
        }
    }

    #[test]
    fn pdf_bookmarks_lead_to_every_entry_and_the_pdf_is_tagged() {
        let (site, report, pages) = real();
        let document = lopdf::Document::load_mem(&written(report, Format::Pdf, "en")).unwrap();
        let marks = bookmarks(&document);

        let catalogue = load(site);
        let plan = folio::edition::plan::Plan::new(&catalogue, "en");
        for entry in plan.entries() {
            let title = &catalogue.entries[entry].instrument.title.value;
            let heading = squash(&format!("{} {title}", plan.number(entry).unwrap()));
            let (level, page) = marks[&heading];
            assert_eq!(level, 3, "{heading} is not a third-level bookmark");
            assert!(squash(&pages[page - 1]).contains(&heading), "{heading} not on its page");
        }
        for top in ["Contents", "Part1Legalinstruments", "Part2Tools", "Tablesandindexes"] {
            assert_eq!(marks.get(top).map(|m| m.0), Some(1), "no bookmark {top}: {marks:#?}");
        }

        // Tagged for assistive technology, in the edition's language.
        let catalog = document.catalog().unwrap();
        assert!(catalog.get(b"StructTreeRoot").is_ok(), "no structure tree");
        let mark_info = catalog.get(b"MarkInfo").and_then(|o| document.dereference(o)).unwrap();
        let marked = mark_info.1.as_dict().unwrap().get(b"Marked").unwrap().as_bool().unwrap();
        assert!(marked, "the PDF is not marked as tagged");
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    }

    /// The bookmarks of a PDF: squashed title → (level, page from 1).
    fn bookmarks(document: &lopdf::Document) -> BTreeMap<String, (usize, usize)> {
        let toc = document.get_toc().expect("the PDF has bookmarks");
        toc.toc.iter().map(|m| (squash(&m.title), (m.level, m.page))).collect()
    }

    #[test]
    fn pdf_pages_carry_running_heads_and_page_numbers() {
        let (site, report, pages) = real();
        let document = lopdf::Document::load_mem(&written(report, Format::Pdf, "en")).unwrap();
        let marks = bookmarks(&document);
        let catalogue = load(site);
        let plan = folio::edition::plan::Plan::new(&catalogue, "en");
        // The pages a part or chapter opens on (the bookmarks of levels 1, 2).
        let openings: BTreeSet<usize> =
            marks.values().filter(|(level, _)| *level <= 2).map(|(_, page)| page - 1).collect();

        // Every page of entries that opens no part or chapter is headed by
        // the chapter it is in, and ends with its page number.
        let mut headed = 0;
        for part in &plan.parts {
            for chapter in &part.chapters {
                let head = squash(&format!(
                    "{}.{} {}",
                    part.number,
                    chapter.number,
                    plan.chapter_title(chapter)
                ));
                let first = |entry: usize| {
                    let number = plan.number(entry).unwrap();
                    let title = &catalogue.entries[entry].instrument.title.value;
                    marks[&squash(&format!("{number} {title}"))].1 - 1
                };
                let (from, to) =
                    (first(chapter.entries[0]), first(*chapter.entries.last().unwrap()));
                for (n, page) in pages.iter().enumerate().take(to + 1).skip(from) {
                    if openings.contains(&n) {
                        continue;
                    }
                    let top = page.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
                    assert_eq!(squash(top), head, "a page of {head} is headed otherwise");
                    let bottom = page.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
                    assert!(bottom.trim().parse::<usize>().is_ok(), "no page number: {bottom}");
                    headed += 1;
                }
            }
        }
        assert!(headed > 10, "only {headed} pages with running heads");
    }

    #[test]
    fn pdf_of_the_real_catalogue_sets_its_russian_titles() {
        let (site, report, _) = real();
        let russian = squash(&pages(&written(report, Format::Pdf, "ru")).join("\n"));
        let catalogue = load(site);
        let titles: Vec<&str> = catalogue
            .entries
            .iter()
            .filter_map(|e| e.translations.get("ru"))
            .map(|(instrument, _)| instrument.title.value.as_str())
            .collect();
        assert!(titles.len() >= 10, "only {} Russian titles", titles.len());
        let missing: Vec<&&str> = titles.iter().filter(|t| !russian.contains(&squash(t))).collect();
        assert!(missing.is_empty(), "Russian titles not found in the PDF: {missing:#?}");
        assert!(russian.contains("Содержание") && russian.contains("Выходныеданные"));
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
