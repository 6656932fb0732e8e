//! The search API, `GET /api/search`, and the JSON shape of its answer,
//! which `folio search --json` prints too.
//!
//! Parameters: `q` (the text), `type`, `subject`, `status` and `decade`
//! (each repeatable or comma-separated; any value matches), `from` and `to`
//! (years of adoption, inclusive), `in_force_on` (a date: what was in force
//! or current then), `lang` (a language code or `all`),
//! `page` (from 1), `per_page` (at most [`MAX_PER_PAGE`]) and `prefix=1`
//! (the last word is still being typed).

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Shared;
use crate::content::date::PartialDate;
use crate::search::{Facets, MAX_PER_PAGE, Query, SearchResults, Searcher};

/// The most values one filter parameter may carry.
const MOST_FILTER_VALUES: usize = 32;

/// The answer of the search API.
#[derive(Debug, Clone, Serialize)]
pub struct ApiResults {
    /// Instruments matching, on every page.
    pub total: usize,
    /// The page shown, from 1.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// Whether no instrument had every word, so those with any are shown.
    pub relaxed: bool,
    /// The hits of this page, best first.
    pub hits: Vec<ApiHit>,
    /// Counts over all matches, per filter parameter.
    pub facets: ApiFacets,
    /// Time spent searching, in milliseconds.
    pub took_ms: f64,
}

/// One hit as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ApiHit {
    /// The instrument's id.
    pub id: String,
    /// Its full title, as plain text.
    pub title: String,
    /// Its short title, if it has one.
    pub short_title: Option<String>,
    /// The page's URL relative to the site root, with `#anchor` when the
    /// best match is in a section.
    pub url: String,
    /// The type key.
    #[serde(rename = "type")]
    pub kind: String,
    /// The type's label in the hit's language.
    pub type_label: String,
    /// The year of adoption.
    pub year: Option<i32>,
    /// The language of the page.
    pub language: String,
    /// The heading of the section the snippet is from.
    pub section: Option<String>,
    /// A passage of the body: HTML-escaped, the matches inside `<mark>`.
    pub snippet: String,
}

/// Facet counts, named as the filter parameters are.
#[derive(Debug, Clone, Serialize)]
pub struct ApiFacets {
    /// Per type key, most frequent first.
    #[serde(rename = "type")]
    pub types: Vec<FacetCount>,
    /// Per subject key (parents included), most frequent first.
    pub subject: Vec<FacetCount>,
    /// Per status key, most frequent first.
    pub status: Vec<FacetCount>,
    /// Per decade (`1990s`), in order.
    pub decade: Vec<FacetCount>,
}

/// How many matches have one value.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    /// The key.
    pub value: String,
    /// The number of matches.
    pub count: usize,
}

impl ApiResults {
    /// The API's view of `results`, found for `query`.
    pub fn new(results: SearchResults, query: &Query) -> Self {
        Self {
            total: results.total,
            page: query.page.max(1),
            per_page: per_page(query),
            relaxed: results.relaxed,
            hits: results.hits.into_iter().map(ApiHit::from).collect(),
            facets: ApiFacets::from(results.facets),
            took_ms: (results.took_ms * 1000.0).round() / 1000.0,
        }
    }
}

impl From<crate::search::Hit> for ApiHit {
    fn from(hit: crate::search::Hit) -> Self {
        Self {
            id: hit.id,
            title: hit.title,
            short_title: hit.short_title,
            url: hit.url,
            kind: hit.kind,
            type_label: hit.type_label,
            year: hit.year,
            language: hit.language,
            section: hit.section,
            snippet: hit.snippet_html,
        }
    }
}

impl From<Facets> for ApiFacets {
    fn from(facets: Facets) -> Self {
        let list = |counts: Vec<(String, usize)>| {
            counts.into_iter().map(|(value, count)| FacetCount { value, count }).collect()
        };
        Self {
            types: list(facets.types),
            subject: list(facets.subjects),
            status: list(facets.statuses),
            decade: list(facets.decades),
        }
    }
}

/// Hits per page as the searcher applies it.
pub(crate) fn per_page(query: &Query) -> usize {
    if query.per_page == 0 { 10 } else { query.per_page.min(MAX_PER_PAGE) }
}

/// Read a query string into a [`Query`]; the error says which parameter
/// is wrong. Unknown parameters are ignored.
pub fn parse_query(raw: &str) -> Result<Query, String> {
    let mut query = Query::default();
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        let value = value.trim();
        match &*name {
            "q" => query.text = value.to_owned(),
            "type" => add_values(&mut query.types, value),
            "subject" => add_values(&mut query.subjects, value),
            "status" => add_values(&mut query.statuses, value),
            "decade" => add_values(&mut query.decades, value),
            "from" => query.from_year = year(&name, value)?,
            "to" => query.to_year = year(&name, value)?,
            "in_force_on" => query.in_force_on = date(&name, value)?,
            "lang" => query.language = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "page" => query.page = whole_number(&name, value)?.unwrap_or(1).max(1),
            "per_page" => query.per_page = whole_number(&name, value)?.unwrap_or(0),
            "prefix" => query.prefix = matches!(value, "1" | "true" | "yes" | "on"),
            _ => {}
        }
    }
    Ok(query)
}

fn add_values(into: &mut Vec<String>, value: &str) {
    for part in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if into.len() < MOST_FILTER_VALUES && !into.iter().any(|v| v == part) {
            into.push(part.to_owned());
        }
    }
}

fn year(name: &str, value: &str) -> Result<Option<i32>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i32>() {
        Ok(year) if (0..=9999).contains(&year) => Ok(Some(year)),
        _ => Err(format!("`{name}` must be a year, such as 1999; got `{}`", shorten(value))),
    }
}

fn date(name: &str, value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match PartialDate::parse(value) {
        Ok(_) => Ok(Some(value.to_owned())),
        Err(_) => Err(format!(
            "`{name}` must be a date, such as 2005, 2005-06 or 2005-06-23; got `{}`",
            shorten(value)
        )),
    }
}

fn whole_number(name: &str, value: &str) -> Result<Option<usize>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<usize>().map(Some).map_err(|_| {
        format!("`{name}` must be a whole number, such as 2; got `{}`", shorten(value))
    })
}

/// At most 40 characters of what the client sent, for an error message.
fn shorten(value: &str) -> String {
    value.chars().take(40).collect()
}

/// Run `query` on a blocking thread: a search is CPU work. At most one
/// search per core runs at once; the others wait their turn rather than
/// crowd the cores.
pub(crate) async fn run(
    shared: &Shared,
    searcher: Arc<Searcher>,
    query: Query,
) -> Result<(SearchResults, Query), String> {
    let _turn = shared.searches.acquire().await.expect("the semaphore stays open");
    let task = tokio::task::spawn_blocking(move || {
        searcher.search(&query).map(|results| (results, query)).map_err(|err| err.to_string())
    });
    task.await.map_err(|_| "the search stopped unexpectedly".to_owned())?
}

/// `GET /api/search`.
pub(crate) async fn search(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = match parse_query(raw.as_deref().unwrap_or("")) {
        Ok(query) => query,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let Some(searcher) = shared.searcher() else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the search index has not been built yet");
    };
    match run(&shared, searcher, query).await {
        Ok((results, query)) => Json(ApiResults::new(results, &query)).into_response(),
        Err(message) => {
            tracing::error!(message, "search failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "the search failed")
        }
    }
}

/// `{"error": "…"}` with `status`.
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_parameter() {
        let query = parse_query(
            "q=kyoto+convention&type=convention,protocol&type=protocol&subject=origin\
             &status=in-force&decade=1990s&from=1970&to=2000&lang=ru&page=2&per_page=5&prefix=1\
             &unknown=x",
        )
        .unwrap();
        assert_eq!(query.text, "kyoto convention");
        assert_eq!(query.types, ["convention", "protocol"]);
        assert_eq!(query.subjects, ["origin"]);
        assert_eq!(query.statuses, ["in-force"]);
        assert_eq!(query.decades, ["1990s"]);
        assert_eq!((query.from_year, query.to_year), (Some(1970), Some(2000)));
        assert_eq!(query.language.as_deref(), Some("ru"));
        assert_eq!((query.page, query.per_page, query.prefix), (2, 5, true));
    }

    #[test]
    fn names_the_wrong_parameter() {
        let err = parse_query("q=x&page=two").unwrap_err();
        assert!(err.contains("`page`"), "{err}");
        let err = parse_query("from=19x9").unwrap_err();
        assert!(err.contains("`from`"), "{err}");
        let err = parse_query("in_force_on=31.12.1990").unwrap_err();
        assert!(err.contains("`in_force_on`"), "{err}");
        assert_eq!(
            parse_query("in_force_on=1990-06").unwrap().in_force_on.as_deref(),
            Some("1990-06")
        );
        assert_eq!(parse_query("page=0").unwrap().page, 1);
        assert_eq!(parse_query("").unwrap().text, "");
    }

    #[test]
    fn bounds_the_values_of_a_filter() {
        let many: Vec<String> = (0..100).map(|i| format!("type=t{i}")).collect();
        let query = parse_query(&many.join("&")).unwrap();
        assert_eq!(query.types.len(), MOST_FILTER_VALUES);
    }
}
