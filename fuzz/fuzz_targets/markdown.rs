//! Markdown bodies: the outline (headings, ids, links) and the HTML, with a
//! resolver that resolves every link so the rewriting paths all run.
//!
//! Heading ids must be non-empty and unique; link spans must lie in the
//! text; sanitised HTML must hold no script tag and no `javascript:` link.

#![no_main]

use std::collections::HashSet;

use folio::markdown::{self, LinkResolver, LinkTarget};
use libfuzzer_sys::fuzz_target;

/// Resolves every target, as if every id existed.
struct Everything;

impl LinkResolver for Everything {
    fn resolve(&self, target: &LinkTarget) -> Option<String> {
        Some(match target {
            LinkTarget::Entry { id, fragment: Some(fragment) } => {
                format!("../../instruments/{id}/#{fragment}")
            }
            LinkTarget::Entry { id, fragment: None } => format!("../../instruments/{id}/"),
            LinkTarget::Local { fragment } => format!("#{fragment}"),
            LinkTarget::Asset => "../../files/asset.pdf".to_owned(),
            LinkTarget::Unsafe => "#".to_owned(),
            LinkTarget::External => return None,
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let outline = markdown::outline(text, 0);

    let mut ids = HashSet::new();
    for heading in &outline.headings {
        assert!(!heading.id.is_empty(), "an empty heading id");
        assert!(ids.insert(heading.id.as_str()), "the heading id {:?} twice", heading.id);
    }
    for link in &outline.links {
        assert!(link.span.start <= link.span.end && link.span.end <= text.len(), "{:?}", link.span);
    }

    // Text escapes `<`, so every `<` of the HTML opens a real tag.
    let html = markdown::render(text, &outline, &Everything, false).to_ascii_lowercase();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        assert!(!tag.starts_with("script"), "a script survived: {html}");
        for scheme in ["javascript:", "vbscript:", "data:"] {
            for attribute in ["href", "src"] {
                let written = format!("{attribute}=\"{scheme}");
                assert!(!tag.contains(&written), "{written} survived: {html}");
            }
        }
    }
    let _ = markdown::render(text, &outline, &Everything, true);
    let _ = markdown::sanitise(text);
});
