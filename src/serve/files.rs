//! The site's files: which request may reach which file, the 404 page, and
//! the headers every response gets (caching, content type, security
//! policy, and the reload script in watch mode).
//!
//! tower-http's `ServeDir` does the serving (content types, `ETag` and
//! `If-None-Match`, ranges, index files). Before it sees a request, the path
//! is decoded once and checked here: no `.` or `..` segment, no backslash,
//! no NUL, no hidden file, and, after every symlink is followed, a file
//! inside the site folder. Containment is checked on path components, so a
//! sibling folder whose name starts with the site's (`public-leak` beside
//! `public`) is outside.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::{CSP, Shared, results, text_response};

/// `Cache-Control` of files below `assets/`.
// TODO(assets): the theme's files keep their names between builds, so a
// browser may show an old stylesheet for this long after a deploy; add a
// content hash to their names and mark them `immutable`.
const ASSETS_CACHE: &str = "public, max-age=31536000";
/// `Cache-Control` of everything else: pages, data, the API. Revalidation
/// with the `ETag` is cheap.
const REVALIDATE: &str = "no-cache";

/// The file service of a site folder.
pub(crate) fn service(site: &Path) -> ServeDir {
    ServeDir::new(site)
}

/// Why a path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The path is malformed or tries to climb: 400.
    BadRequest,
    /// The path names something that is not served: 404.
    NotFound,
}

/// Check the URI path `raw` against the site folder. `Ok(Some(file))` is
/// the real path of an existing file or folder inside the site; `Ok(None)`
/// a path that does not exist (the file service answers 404).
pub(crate) fn resolve(site: &Path, raw: &str) -> Result<Option<PathBuf>, Refusal> {
    let decoded = percent_decode_str(raw).decode_utf8().map_err(|_| Refusal::BadRequest)?;
    if decoded.contains(['\0', '\\']) {
        return Err(Refusal::BadRequest);
    }

    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(Refusal::BadRequest),
            hidden if hidden.starts_with('.') && hidden != ".well-known" => {
                return Err(Refusal::NotFound);
            }
            name => relative.push(name),
        }
    }

    let root = site.canonicalize().map_err(|_| Refusal::NotFound)?;
    match root.join(&relative).canonicalize() {
        Ok(real) if real.starts_with(&root) => Ok(Some(real)),
        Ok(real) => {
            tracing::debug!(path = raw, target = %real.display(), "refused: leads out of the site");
            Err(Refusal::NotFound)
        }
        Err(_) => Ok(None),
    }
}

/// Every path that no route claims: a file of the site, the search page
/// with results, or the site's 404 page.
pub(crate) async fn serve(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let real = match resolve(&shared.site, request.uri().path()) {
        Ok(real) => real,
        Err(Refusal::BadRequest) => return text_response(StatusCode::BAD_REQUEST, "bad request\n"),
        Err(Refusal::NotFound) => return not_found(&shared).await,
    };

    if let Some(real) = &real
        && matches!(*request.method(), Method::GET | Method::HEAD)
        && let Some(response) = results::respond(&shared, real, request.uri()).await
    {
        return response;
    }

    let Ok(response) = shared.files.clone().oneshot(request).await;
    if response.status() == StatusCode::NOT_FOUND {
        return not_found(&shared).await;
    }
    response.map(Body::new)
}

/// The site's `404.html` with status 404.
pub(crate) async fn not_found(shared: &Shared) -> Response {
    let page = shared.site.join("404.html");
    let body = match tokio::fs::read(&page).await {
        Ok(bytes) => bytes,
        Err(_) if shared.live.is_some() => {
            // Watch mode before any build succeeded: a page that still loads
            // the reload script, so the browser recovers by itself.
            b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not built yet</title>\
              </head><body><p>The site has not been built yet.</p></body></html>"
                .to_vec()
        }
        Err(_) => return text_response(StatusCode::NOT_FOUND, "not found\n"),
    };
    let mut response = (StatusCode::NOT_FOUND, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Set the headers every response gets; in watch mode, add the reload
/// script to pages.
pub(crate) async fn headers(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;

    let status = response.status();
    let fresh = status.is_success() || status == StatusCode::NOT_MODIFIED;
    let cache = if is_asset && fresh && shared.live.is_none() { ASSETS_CACHE } else { REVALIDATE };
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    add_charset(headers);

    match &shared.live {
        Some(live) if is_html(&response) => live.inject(response).await,
        _ => response,
    }
}

/// Text types leave the file service without a charset; folio writes
/// UTF-8 only.
fn add_charset(headers: &mut axum::http::HeaderMap) {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let textual = value.starts_with("text/") || value == "application/javascript";
    if textual && !value.contains("charset") {
        let with_charset = format!("{value}; charset=utf-8");
        headers.insert(header::CONTENT_TYPE, super::header_value(&with_charset));
    }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let site = temp.path().join("public");
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("a/index.html"), "a").unwrap();
        std::fs::write(site.join(".folio-build"), "").unwrap();
        std::fs::create_dir_all(temp.path().join("public-leak")).unwrap();
        std::fs::write(temp.path().join("public-leak/secret.txt"), "secret").unwrap();
        std::fs::write(temp.path().join("outside.txt"), "outside").unwrap();
        (temp, site)
    }

    #[test]
    fn serves_what_is_inside() {
        let (_temp, site) = site();
        let real = resolve(&site, "/a/index.html").unwrap().unwrap();
        assert!(real.ends_with("public/a/index.html"));
        assert!(resolve(&site, "/a/").unwrap().is_some());
        assert_eq!(resolve(&site, "/missing.html"), Ok(None));
        assert_eq!(resolve(&site, "/%252e%252e/outside.txt"), Ok(None));
    }

    #[test]
    fn refuses_every_way_out() {
        let (_temp, site) = site();
        for path in [
            "/../outside.txt",
            "/%2e%2e/outside.txt",
            "/%2E%2E/outside.txt",
            "/..%2fpublic-leak/secret.txt",
            "/a/../../outside.txt",
            "/..\\outside.txt",
            "/%5c..%5coutside.txt",
            "/a/%00",
            "/%ff",
        ] {
            assert_eq!(resolve(&site, path), Err(Refusal::BadRequest), "{path}");
        }
        assert_eq!(resolve(&site, "/.folio-build"), Err(Refusal::NotFound));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_out_of_the_site() {
        let (temp, site) = site();
        std::os::unix::fs::symlink(temp.path().join("public-leak"), site.join("leak")).unwrap();
        std::os::unix::fs::symlink(temp.path().join("outside.txt"), site.join("o.txt")).unwrap();
        std::os::unix::fs::symlink(site.join("a/index.html"), site.join("inside.html")).unwrap();
        assert_eq!(resolve(&site, "/leak/secret.txt"), Err(Refusal::NotFound));
        assert_eq!(resolve(&site, "/o.txt"), Err(Refusal::NotFound));
        assert!(resolve(&site, "/inside.html").unwrap().is_some());
    }
}
