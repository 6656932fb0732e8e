//! The real catalogue's pages against `folio::security::CSP`: no inline
//! script, no inline style, no event attributes, no `javascript:` URLs, and
//! nothing loaded from another origin. A small tag scanner reads the HTML;
//! it knows enough of the syntax for generated pages (quoted attributes,
//! comments, raw text in `<script>` and `<style>`).

use std::path::Path;

use crate::harness::Site;

/// One start tag: its lowercase name and attributes (names lowercase).
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, skipping comments, end tags and the raw text
/// of `<script>` and `<style>` elements.
fn start_tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let (tag, after) = read_tag(rest);
        rest = after;
        if matches!(tag.name.as_str(), "script" | "style") {
            let close = format!("</{}", tag.name);
            rest = rest.to_ascii_lowercase().find(&close).map_or("", |end| &rest[end..]);
        }
        tags.push(tag);
    }
    tags
}

/// Read a start tag from just after its `<`; the tag and the text after it.
fn read_tag(text: &str) -> (Tag, &str) {
    let name_end =
        text.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(text.len());
    let name = text[..name_end].to_ascii_lowercase();
    let mut attributes = Vec::new();
    let mut rest = &text[name_end..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return (Tag { name, attributes }, rest.get(1..).unwrap_or(""));
        }
        let end =
            rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
        let attribute = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remainder) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let close = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..close], inner.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close =
                        after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = decode(raw);
            rest = remainder;
        }
        attributes.push((attribute, value));
    }
}

/// Undo the character references a URL attribute may hide a scheme behind.
fn decode(value: &str) -> String {
    let mut out = value.replace("&colon;", ":").replace("&amp;", "&");
    for (reference, c) in [("&#58;", ":"), ("&#x3a;", ":"), ("&#X3A;", ":"), ("&#x3A;", ":")] {
        out = out.replace(reference, c);
    }
    out
}

/// Whether a URL loads from somewhere other than the site itself.
fn other_origin(url: &str, base_url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    let absolute = url.starts_with("//") || url.contains("://");
    absolute && !url.starts_with(&base_url.to_ascii_lowercase())
}

/// What `html` does that the policy forbids, one line each.
fn violations(html: &str, base_url: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        let name = tag.name.as_str();
        match name {
            "script"
                if tag.get("src").is_none() && tag.get("type") != Some("application/ld+json") =>
            {
                found.push("an inline <script>".to_owned());
            }
            "style" => found.push("an inline <style> element".to_owned()),
            "object" | "embed" | "applet" => found.push(format!("a <{name}> (object-src 'none')")),
            "base" => found.push("a <base> element".to_owned()),
            _ => {}
        }
        for (attribute, value) in &tag.attributes {
            let scheme = value.trim().to_ascii_lowercase();
            if attribute.len() > 2 && attribute.starts_with("on") {
                found.push(format!("<{name} {attribute}=…>"));
            }
            if attribute == "style" {
                found.push(format!("<{name} style=\"{value}\">"));
            }
            if scheme.starts_with("javascript:") || scheme.starts_with("vbscript:") {
                found.push(format!("<{name} {attribute}=\"{value}\">"));
            }
        }
        let loaded = match name {
            "script" | "img" | "iframe" | "audio" | "video" | "source" => tag.get("src"),
            "link"
                if tag
                    .get("rel")
                    .is_some_and(|r| r.contains("stylesheet") || r.contains("icon")) =>
            {
                tag.get("href")
            }
            _ => None,
        };
        if let Some(url) = loaded {
            let data_image = name == "img" && url.trim_start().starts_with("data:");
            if other_origin(url, base_url) || (url.trim_start().starts_with("data:") && !data_image)
            {
                found.push(format!("<{name}> loads {url}"));
            }
        }
    }
    found
}

/// What a stylesheet loads from elsewhere.
fn css_violations(css: &str, base_url: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut found = Vec::new();
    for (at, _) in lower.match_indices("url(") {
        let url = lower[at + 4..].trim_start_matches([' ', '"', '\'']);
        let url = &url[..url.find([')', '"', '\'']).unwrap_or(url.len())];
        if other_origin(url, base_url) {
            found.push(format!("url({url})"));
        }
    }
    if lower.contains("@import") {
        found.push("an @import".to_owned());
    }
    found
}

fn files_with(out: &Path, extension: &str) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .map(|e| {
            let relative = e.path().strip_prefix(out).unwrap().to_string_lossy().into_owned();
            (relative, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The `base_url` of a site's `site.yaml`.
fn base_url(site: &Site) -> String {
    let settings = std::fs::read_to_string(site.root.join("content/site.yaml")).unwrap();
    let line = settings.lines().find_map(|l| l.strip_prefix("base_url:")).expect("a base_url");
    line.trim().trim_matches(['"', '\'']).to_owned()
}

#[test]
fn the_policy_allows_no_inline_code_or_other_origins() {
    let policy = folio::security::CSP;
    for directive in [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
    ] {
        assert!(policy.split("; ").any(|d| d == directive), "{policy:?} lacks {directive:?}");
    }
    assert!(!policy.contains("unsafe-"), "{policy:?}");
}

#[test]
fn the_scanner_finds_what_the_policy_forbids() {
    let base = "https://fixture.example.org/";
    let html = "<!-- <script>x</script> --><script>alert(1)</script><style>p{}</style>\
                <p style=color:red onclick='x()'>t</p><a href=\"javascript&#58;x\">a</a>\
                <a href=' JavaScript:x'>b</a><img src=https://evil.example/x.png>\
                <script type=\"application/ld+json\">{\"a\":\"</p>\"}</script>\
                <script src=\"../assets/search.js\"></script>\
                <img src=\"data:image/png;base64,AA\">";
    let found = violations(html, base);
    assert_eq!(found.len(), 7, "{found:#?}");
}

#[test]
fn every_page_of_the_real_catalogue_meets_the_content_security_policy() {
    let site = Site::real_catalogue();
    let outcome = site.build();
    assert!(
        !outcome.failed(false),
        "the real catalogue fails to build: {:#?}",
        outcome.diagnostics
    );
    let base_url = base_url(&site);
    let base_url = base_url.as_str();

    let out = site.out();
    let pages = files_with(&out, "html");
    assert!(pages.len() > 100, "only {} pages", pages.len());
    let mut failures = Vec::new();
    for (page, html) in &pages {
        for violation in violations(html, base_url) {
            failures.push(format!("{page}: {violation}"));
        }
    }
    for (file, css) in files_with(&out, "css") {
        for violation in css_violations(&css, base_url) {
            failures.push(format!("{file}: {violation}"));
        }
    }
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{} violations:\n{}", failures.len(), failures.join("\n"));
}
