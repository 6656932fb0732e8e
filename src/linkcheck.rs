//! Checking the rendered site: every internal link of every HTML page leads
//! to a file that exists, and every `#fragment` to an id on the target page.
//! Body links are checked against the catalogue before rendering; this pass
//! also covers what templates add, including a site's own overrides.
//!
//! The scan reads attributes the way folio's templates write them (double
//! quotes, entities for `&` and `"`), which is all it needs to read.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::rules;
use crate::source::{SourceFile, Span};

/// Every id and every link of one page.
struct Page {
    file: Arc<SourceFile>,
    ids: HashSet<String>,
    links: Vec<(String, Span)>,
}

/// Check every HTML file below `dir`; `shown_as` prefixes the paths that
/// diagnostics print (the pages are not source files).
pub fn check(dir: &Path, shown_as: &str) -> Vec<Diagnostic> {
    let files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(dir).expect("below dir").to_path_buf())
        .collect();
    let pages: HashMap<String, Page> = files
        .par_iter()
        .filter_map(|relative| {
            let text = std::fs::read_to_string(dir.join(relative)).ok()?;
            let key = relative.to_string_lossy().replace('\\', "/");
            let file = Arc::new(SourceFile::new(format!("{shown_as}/{key}"), &text));
            let (ids, links) = scan(&file.text);
            Some((key, Page { file, ids, links }))
        })
        .collect();

    let mut diagnostics: Vec<Diagnostic> = pages
        .par_iter()
        .filter(|(key, _)| key.as_str() != "404.html")
        .flat_map_iter(|(key, page)| {
            page.links.iter().filter_map(|(href, span)| {
                let problem = problem(&pages, dir, key, page, href)?;
                Some(
                    Diagnostic::error(rules::BROKEN_OUTPUT_LINK, &page.file, *span, problem)
                        .with_hint("a template or a site's own template writes this link; fix the template"),
                )
            })
        })
        .collect();
    diagnostics.sort_by(|a, b| (&a.file.path, a.span.start).cmp(&(&b.file.path, b.span.start)));
    diagnostics
}

/// What is wrong with one link, if anything.
fn problem(
    pages: &HashMap<String, Page>,
    dir: &Path,
    key: &str,
    page: &Page,
    href: &str,
) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:")
        || href.starts_with("//")
    {
        return None;
    }
    let (path, fragment) = href.split_once('#').map_or((href, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or_default();
    let target = if path.is_empty() { Some(key.to_owned()) } else { resolve(key, path) };
    let Some(target) = target else {
        return Some(format!("the link `{href}` leaves the site"));
    };
    let target_page = pages.get(&target);
    if target_page.is_none() && !dir.join(&target).is_file() {
        return Some(format!(
            "the link `{href}` leads to `{target}`, which the build does not write"
        ));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    let ids = &target_page.map_or(&page.ids, |p| &p.ids);
    (!ids.contains(decoded.as_ref()))
        .then(|| format!("the link `{href}` names an id that `{target}` does not have"))
}

/// The site-relative file a link from page `key` leads to.
fn resolve(key: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> =
        if path.starts_with('/') { Vec::new() } else { key.split('/').collect() };
    if !path.starts_with('/') {
        parts.pop();
    }
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(percent_encoding::percent_decode_str(&joined).decode_utf8_lossy().into_owned())
}

/// The `id` values and the `href` values (with their spans) of a page.
fn scan(html: &str) -> (HashSet<String>, Vec<(String, Span)>) {
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    for (attribute, is_link) in [(" id=\"", false), (" href=\"", true)] {
        for (at, _) in html.match_indices(attribute) {
            let start = at + attribute.len();
            let Some(length) = html[start..].find('"') else { continue };
            let value = unescape(&html[start..start + length]);
            if is_link {
                links.push((value, Span::new(start, start + length)));
            } else {
                ids.insert(value);
            }
        }
    }
    (ids, links)
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("instruments/a/index.html", "../b/").as_deref(),
            Some("instruments/b/index.html")
        );
        assert_eq!(resolve("index.html", "assets/style.css").as_deref(), Some("assets/style.css"));
        assert_eq!(resolve("index.html", "../../x/"), None);
        assert_eq!(resolve("ru/index.html", "../").as_deref(), Some("index.html"));
    }
}
