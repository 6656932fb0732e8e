//! Search without JavaScript: `GET /search/?q=…` answers with the built
//! search page, its results written in by the server.
//!
//! The page carries a marker, [`MARKER`], inside `<section id="results">`;
//! that element's `data-` attributes hold the page's language and the
//! interface strings in it (`data-none`, `data-one`, `data-few`,
//! `data-many` with `{count}`, `data-relaxed`, `data-previous`,
//! `data-next`). The attribute values are already HTML-escaped by the
//! template and are written back as they are.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

use super::Shared;
use super::api::{self, per_page};
use crate::html_text::escape;
use crate::search::{Query, SearchResults};

/// Where the results go in the built search page.
pub const MARKER: &str = "<!--folio:results-->";
/// The search input of the page, empty as built; the query is written into
/// it.
const EMPTY_INPUT: &str = "name=\"q\" value=\"\"";

/// The search page with results, when `uri` asks a search page (`real`, the
/// resolved file or folder, holds [`MARKER`]) for a non-empty `q`.
pub(crate) async fn respond(shared: &Arc<Shared>, real: &Path, uri: &Uri) -> Option<Response> {
    let raw_query = uri.query()?;
    let asks = form_urlencoded::parse(raw_query.as_bytes())
        .any(|(name, value)| name == "q" && !value.trim().is_empty());
    if !asks {
        return None;
    }
    let file = match real.is_dir() {
        // The file service redirects to the folder's address first.
        true if !uri.path().ends_with('/') => return None,
        true => real.join("index.html"),
        false => real.to_path_buf(),
    };
    if file.extension().is_none_or(|e| e != "html") {
        return None;
    }
    let page = tokio::fs::read_to_string(&file).await.ok()?;
    let marker = page.find(MARKER)?;
    let texts = Texts::read(&page[..marker]);

    let root = root_of(uri.path());
    let html = match api::parse_query(raw_query) {
        Err(message) => paragraph("results-error", &escape(&message)),
        Ok(mut query) => {
            if query.language.is_none() {
                query.language = texts.get("lang").map(str::to_owned);
            }
            match shared.searcher() {
                None => paragraph("results-error", "The search index has not been built yet."),
                Some(searcher) => match api::run(shared, searcher, query).await {
                    Ok((results, query)) => render(&results, &query, &texts, &root),
                    Err(message) => paragraph("results-error", &escape(&message)),
                },
            }
        }
    };

    let text = form_urlencoded::parse(raw_query.as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    let mut page = page;
    page.replace_range(marker..marker + MARKER.len(), &html);
    let filled = format!("name=\"q\" value=\"{}\"", escape(&text));
    let page = page.replacen(EMPTY_INPUT, &filled, 1);

    let mut response = (StatusCode::OK, page).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Some(response)
}

/// The `data-` attributes of the element that holds the marker.
struct Texts(Vec<(String, String)>);

impl Texts {
    /// Read the attributes of the last opening tag in `before`.
    fn read(before: &str) -> Self {
        let tag = before.rfind('<').map_or("", |start| &before[start..]);
        let mut found = Vec::new();
        let mut rest = tag;
        while let Some(at) = rest.find(" data-") {
            rest = &rest[at + " data-".len()..];
            let Some((name, after)) = rest.split_once("=\"") else { break };
            let Some((value, after)) = after.split_once('"') else { break };
            if name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                found.push((name.to_owned(), value.to_owned()));
            }
            rest = after;
        }
        Self(found)
    }

    /// An attribute's value, HTML-escaped as the template wrote it.
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The count line for `total` results.
    fn count(&self, total: usize) -> String {
        let language = self.get("lang").unwrap_or("en");
        let form = if total == 0 { "none" } else { plural(language, total) };
        let text = self.get(form).or_else(|| self.get("many")).unwrap_or("{count}");
        text.replace("{count}", &total.to_string())
    }
}

/// The plural form of `n` in `language`: `one`, `few` or `many`.
fn plural(language: &str, n: usize) -> &'static str {
    match language {
        "ru" | "uk" | "be" => match (n % 10, n % 100) {
            (1, h) if h != 11 => "one",
            (2..=4, h) if !(12..=14).contains(&h) => "few",
            _ => "many",
        },
        _ if n == 1 => "one",
        _ => "many",
    }
}

/// The list of hits, the count, and links to the other pages.
fn render(results: &SearchResults, query: &Query, texts: &Texts, root: &str) -> String {
    let mut html = paragraph("results-count", &texts.count(results.total));
    if results.relaxed
        && let Some(relaxed) = texts.get("relaxed")
    {
        html.push_str(&paragraph("results-relaxed", relaxed));
    }
    if results.hits.is_empty() {
        return html;
    }

    let per_page = per_page(query);
    let first = (query.page.max(1) - 1) * per_page + 1;
    let _ = write!(html, "<ol class=\"results-list\" start=\"{first}\">");
    for hit in &results.hits {
        let _ = write!(
            html,
            "<li class=\"result\"><a class=\"result-title\" href=\"{}{}\">{}</a> \
             <span class=\"result-meta\"><span class=\"result-type\">{}</span>",
            escape(root),
            escape(&hit.url),
            escape(&hit.title),
            escape(&hit.type_label),
        );
        if let Some(year) = hit.year {
            let _ = write!(html, " · <span class=\"result-year\">{year}</span>");
        }
        html.push_str("</span>");
        if !hit.snippet_html.is_empty() {
            // Escaped by the searcher, the matches in `<mark>`.
            let _ = write!(html, "<p class=\"result-snippet\">{}</p>", hit.snippet_html);
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    html.push_str(&pages(results.total, query, per_page, texts));
    html
}

/// "Previous" and "next" links, keeping the query and its filters.
fn pages(total: usize, query: &Query, per_page: usize, texts: &Texts) -> String {
    let page = query.page.max(1);
    let last = total.div_ceil(per_page).max(1);
    let mut links = Vec::new();
    if page > 1 {
        let label = texts.get("previous").unwrap_or("Previous");
        links.push(format!(
            "<a rel=\"prev\" href=\"?{}\">{label}</a>",
            escape(&href(query, page - 1))
        ));
    }
    if page < last {
        let label = texts.get("next").unwrap_or("Next");
        links.push(format!(
            "<a rel=\"next\" href=\"?{}\">{label}</a>",
            escape(&href(query, page + 1))
        ));
    }
    if links.is_empty() {
        return String::new();
    }
    format!("<nav class=\"results-pages\">{}</nav>", links.join(" "))
}

/// The query string of `query` at `page`.
fn href(query: &Query, page: usize) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("q", &query.text);
    for (name, values) in [
        ("type", &query.types),
        ("subject", &query.subjects),
        ("status", &query.statuses),
        ("decade", &query.decades),
    ] {
        for value in values {
            out.append_pair(name, value);
        }
    }
    if let Some(year) = query.from_year {
        out.append_pair("from", &year.to_string());
    }
    if let Some(year) = query.to_year {
        out.append_pair("to", &year.to_string());
    }
    if query.per_page != Query::default().per_page {
        out.append_pair("per_page", &query.per_page.to_string());
    }
    out.append_pair("page", &page.to_string());
    out.finish()
}

/// The relative path from the page at the URI path `path` to the site
/// root: `/ru/search/` gives `../../`.
fn root_of(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let depth = decoded.trim_start_matches('/').matches('/').count();
    "../".repeat(depth)
}

fn paragraph(class: &str, html: &str) -> String {
    format!("<p class=\"{class}\">{html}</p>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_strings_of_the_results_element() {
        let page = "<main><section id=\"results\" data-lang=\"ru\" data-one=\"{count} запись\" \
                    data-few=\"{count} записи\" data-many=\"{count} записей\" data-none=\"Нет\">";
        let texts = Texts::read(page);
        assert_eq!(texts.get("lang"), Some("ru"));
        assert_eq!(texts.count(0), "Нет");
        assert_eq!(texts.count(1), "1 запись");
        assert_eq!(texts.count(3), "3 записи");
        assert_eq!(texts.count(11), "11 записей");
        assert_eq!(texts.count(21), "21 запись");
        assert_eq!(texts.count(112), "112 записей");
    }

    #[test]
    fn finds_the_root_of_a_page() {
        assert_eq!(root_of("/search/"), "../");
        assert_eq!(root_of("/ru/search/"), "../../");
        assert_eq!(root_of("/search/index.html"), "../");
    }

    #[test]
    fn keeps_filters_in_page_links() {
        let query = Query {
            text: "a & b".into(),
            types: vec!["convention".into()],
            from_year: Some(1990),
            ..Query::default()
        };
        assert_eq!(href(&query, 2), "q=a+%26+b&type=convention&from=1990&page=2");
    }
}
