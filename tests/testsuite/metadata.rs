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
    for id in ["kyoto-convention-1973", "revised-kyoto-protocol-1999", "safe-framework-2021"] {
        let data = json_ld(&site.read_out(&format!("instruments/{id}/index.html")));
        assert_eq!(data["@context"], "https://schema.org");
        assert_eq!(data["@type"], "Legislation");
        for key in data.as_object().unwrap().keys().filter(|k| !k.starts_with('@')) {
            assert!(
                LEGISLATION_PROPERTIES.contains(&key.as_str()),
                "{id}: `{key}` is not a Legislation property"
            );
        }
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
