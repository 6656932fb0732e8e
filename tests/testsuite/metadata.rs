//! Machine-readable metadata: the JSON-LD of instrument pages uses only
//! schema.org types and properties, with values of the expected kinds.

use serde_json::Value;

use crate::harness::Site;

/// schema.org properties that a `Legislation` may carry (its own, and those
/// it inherits from `CreativeWork` and `Thing`) that folio uses or may use.
const LEGISLATION_PROPERTIES: &[&str] = &[
    "jurisdiction",
    "legislationAmends",
    "legislationApplies",
    "legislationChanges",
    "legislationConsolidates",
    "legislationDate",
    "legislationDateVersion",
    "legislationIdentifier",
    "legislationJurisdiction",
    "legislationLegalForce",
    "legislationPassedBy",
    "legislationResponsible",
    "legislationTransposes",
    "legislationType",
    "about",
    "abstract",
    "alternateName",
    "citation",
    "dateCreated",
    "dateModified",
    "datePublished",
    "description",
    "hasPart",
    "identifier",
    "inLanguage",
    "isPartOf",
    "keywords",
    "name",
    "sameAs",
    "url",
];

/// schema.org properties of `Organization` (and `Thing`) that folio uses or
/// may use.
const ORGANIZATION_PROPERTIES: &[&str] =
    &["alternateName", "description", "identifier", "legalName", "name", "sameAs", "url"];

/// schema.org properties of `Collection` (and `CreativeWork`, `Thing`)
/// that folio uses or may use.
const COLLECTION_PROPERTIES: &[&str] =
    &["collectionSize", "description", "hasPart", "inLanguage", "name", "publisher", "url"];

/// The schema.org types folio may use, each with its properties.
const TYPES: &[(&str, &[&str])] = &[
    ("Legislation", LEGISLATION_PROPERTIES),
    ("Organization", ORGANIZATION_PROPERTIES),
    ("Collection", COLLECTION_PROPERTIES),
];

/// Check every node of a JSON-LD tree: a typed node has a schema.org type
/// and only that type's properties; an untyped node is a bare reference.
fn check_terms(page: &str, path: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                check_terms(page, &format!("{path}[{n}]"), item);
            }
        }
        Value::Object(node) => {
            let Some(kind) = node.get("@type") else {
                let keys: Vec<_> = node.keys().collect();
                assert_eq!(keys, ["@id"], "{page} {path}: an untyped node is only a reference");
                assert!(node["@id"].as_str().unwrap().starts_with("https://"), "{page} {path}");
                return;
            };
            let kind = kind.as_str().unwrap();
            let properties = TYPES
                .iter()
                .find(|(name, _)| *name == kind)
                .unwrap_or_else(|| panic!("{page} {path}: `{kind}` is not a type folio may use"))
                .1;
            for (key, child) in node.iter().filter(|(key, _)| !key.starts_with('@')) {
                assert!(
                    properties.contains(&key.as_str()),
                    "{page} {path}: `{key}` is not a property of {kind}"
                );
                check_terms(page, &format!("{path}.{key}"), child);
            }
        }
        _ => {}
    }
}

/// Members of schema.org's `LegalForceStatus` enumeration.
const LEGAL_FORCE: &[&str] = &[
    "https://schema.org/InForce",
    "https://schema.org/NotInForce",
    "https://schema.org/PartiallyInForce",
];

fn json_ld(html: &str) -> Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("a JSON-LD block")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

#[test]
fn instrument_pages_describe_themselves_with_schema_org_terms() {
    let site = Site::real_catalogue();
    assert!(site.build().diagnostics.is_empty());
    let instruments = [
        "kyoto-convention-1973",
        "revised-kyoto-protocol-1999",
        "safe-framework-2021",
        "nairobi-convention-1977",
    ];
    for id in instruments {
        let data = json_ld(&site.read_out(&format!("instruments/{id}/index.html")));
        assert_eq!(data["@context"], "https://schema.org");
        assert_eq!(data["@type"], "Legislation");
        check_terms(id, "$", &data);
        assert!(LEGAL_FORCE.contains(&data["legislationLegalForce"].as_str().unwrap()), "{id}");
        assert_eq!(data["legislationIdentifier"], id);
        assert_eq!(data["legislationPassedBy"]["@type"], "Organization");
        assert_eq!(data["isPartOf"]["@type"], "Collection");
        let date = data["legislationDate"].as_str().unwrap_or("2000");
        assert!(date.len() >= 4 && date[..4].bytes().all(|b| b.is_ascii_digit()), "{id}: {date}");
    }

    let protocol = json_ld(&site.read_out("instruments/revised-kyoto-protocol-1999/index.html"));
    let amends = protocol["legislationAmends"].as_array().unwrap();
    assert_eq!(
        amends[0]["@id"],
        "https://catalogue.example.org/instruments/kyoto-convention-1973/"
    );
    let superseded = json_ld(&site.read_out("instruments/kyoto-convention-1973/index.html"));
    assert_eq!(superseded["legislationLegalForce"], "https://schema.org/NotInForce");
    let changes = json_ld(&site.read_out("instruments/safe-framework-2021/index.html"));
    assert_eq!(
        changes["legislationChanges"][0]["@id"],
        "https://catalogue.example.org/instruments/safe-framework-2018/"
    );
    let parts = json_ld(&site.read_out("instruments/nairobi-convention-1977/index.html"));
    assert_eq!(parts["hasPart"].as_array().unwrap().len(), 11);
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = Site::fixture("sites/small");
    site.build();
    let html = site.read_out("instruments/alpha-convention-1970/index.html");
    let data = json_ld(&html);
    assert_eq!(data["name"], "Fish & Chips <script>alert(\"x\")</script> it's");
    let block = &html[html.find("application/ld+json").unwrap()..];
    let block = &block[..block.find("</script>").unwrap()];
    assert!(!block.contains("<script") && !block.contains("</"), "{block}");
}

#[test]
fn a_wrapped_first_paragraph_is_the_description_with_its_spaces() {
    let site = Site::fixture("sites/small");
    let page = "content/instruments/gamma-guide-2005.md";
    let original = std::fs::read_to_string(site.root.join(page)).unwrap();
    let front_matter = &original[..original.rfind("---\n").unwrap() + 4];
    let body = "A guide wrapped\nover two lines,\\\nand a third.\n\n- not the first paragraph\n";
    site.write(page, format!("{front_matter}{body}"));
    site.build();

    let wanted = "A guide wrapped over two lines, and a third.";
    let html = site.read_out("instruments/gamma-guide-2005/index.html");
    assert!(html.contains(&format!("<meta name=\"description\" content=\"{wanted}\"")), "{html}");
    let feed = site.read_out("feed.xml");
    assert!(feed.contains(&format!("<summary>{wanted}</summary>")), "{feed}");
}
