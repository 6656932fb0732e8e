//! The catalogue as a legal reference: status lines, history, what was in
//! force on a day, and parties counted from their rows.

use crate::harness::Site;

/// The part of a point-in-time page that lists what was in force.
fn in_force_section(html: &str) -> &str {
    let start = html.find("id=\"in-force\"").expect("an in-force section");
    &html[start..]
}

#[test]
fn the_kyoto_convention_shows_its_successor_with_the_date() {
    let site = Site::real_catalogue();
    assert!(site.build().diagnostics.is_empty());
    let page = site.read_out("instruments/kyoto-convention-1973/index.html");
    let status = page.split("<p class=\"status-line\">").nth(1).expect("a status line");
    let status = &status[..status.find("</p>").unwrap()];
    assert!(status.contains("Superseded by"), "{status}");
    assert!(status.contains("instruments/revised-kyoto-convention-1999/"), "{status}");
    assert!(status.contains("3 February 2006"), "{status}");
    assert!(
        page.contains("<time datetime=\"2006-02-03\">3 February 2006</time> Superseded by"),
        "{page}"
    );
}

#[test]
fn point_in_time_pages_list_what_was_in_force() {
    let site = Site::real_catalogue();
    site.build();
    let page = site.read_out("in-force/1990/index.html");
    let listed = in_force_section(&page);
    assert!(listed.contains("instruments/nairobi-convention-1977/"));
    assert!(listed.contains("instruments/kyoto-convention-1973/"));
    // Adopted in June 1990, in force only from 1993.
    assert!(!listed.contains("instruments/istanbul-convention-1990/"));
    // Later instruments, and what they replaced, are where they belong.
    assert!(!listed.contains("instruments/revised-kyoto-convention-1999/"));
    assert!(listed.contains("instruments/packings-convention-1960/"));
    let changes =
        &page[page.find("id=\"changes\"").unwrap()..page.find("id=\"in-force\"").unwrap()];
    assert!(changes.contains("instruments/istanbul-convention-1990/"), "{changes}");

    // The year's changes name the instrument they happened to.
    let page = site.read_out("in-force/2006/index.html");
    assert!(
        page.contains("· Superseded: <a href=\"../../instruments/kyoto-convention-1973/\">"),
        "{page}"
    );
    assert!(!page.contains("Superseded by:"), "{page}");
    let page = site.read_out("ru/in-force/2006/index.html");
    assert!(
        page.contains("· Заменён: <a href=\"../../../ru/instruments/kyoto-convention-1973/\">")
    );

    let page = site.read_out("in-force/2005/index.html");
    assert!(in_force_section(&page).contains("instruments/safe-framework-2005/"));
    let page = site.read_out("in-force/2008/index.html");
    assert!(!in_force_section(&page).contains("instruments/safe-framework-2005/"));
    assert!(in_force_section(&page).contains("instruments/safe-framework-2007/"));

    let years = site.read_out("years/index.html");
    assert!(years.contains("href=\"../in-force/1990/\""));
}

#[test]
fn parties_are_counted_from_their_rows() {
    let site = Site::fixture("sites/parties");
    let outcome = site.build();
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let page = site.read_out("instruments/alpha-convention-1990/index.html");
    let table = &page[page.find("id=\"parties\"").unwrap()..];
    let rows = table.matches("<th scope=\"row\">").count();
    assert_eq!(rows, 4);
    assert!(table.contains("Parties bound: <strong>3</strong>"), "{table}");
    assert!(table.contains("signatories not yet bound: 1"), "{table}");
    assert!(table.contains("<time datetime=\"1995-08-12\">12 August 1995</time>"), "{table}");
    assert!(table.contains("Annex B.5 not accepted, per its declaration"), "{table}");
    assert!(page.contains("<dd><a href=\"#parties\">3</a></dd>"));
}
