//! `folio serve`: one HTTP server for a built site and its search API. It is
//! what operators run in production and, with `--watch`, what authors
//! preview with.
//!
//! The pieces, from the socket in:
//!
//! 1. An accept loop that holds at most [`MAX_CONNECTIONS`] connections and
//!    hands each to hyper's HTTP/1 server with a header read timeout, a cap
//!    on header size and count, and a write timeout against readers that
//!    stop reading.
//! 2. An axum router: `/api/search` ([`api`]), the live-reload endpoints of
//!    watch mode ([`watch`]), and every other path to the site's files
//!    ([`files`]), where `/search/?q=…` gets server-rendered results
//!    ([`results`]).
//! 3. Around every route, from the outside: one debug log line, the URI size
//!    limit, at most [`MAX_IN_FLIGHT`] requests at once, a timeout,
//!    compression, and the response headers (caching, security policy).
//!
//! The index is opened once, before the socket is bound: a site without a
//! usable index fails at start with exit code 3, never at the first query.

pub mod api;
mod files;
mod incremental;
mod results;
pub mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::{Error, Result};
use crate::search::Searcher;

/// The Content-Security-Policy sent with every response.
pub use crate::security::CSP;

/// The longest query string accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The longest path accepted, in bytes.
const MAX_PATH_BYTES: usize = 4 * 1024;
/// The most bytes of request line and headers together.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The most header fields in one request.
const MAX_HEADERS: usize = 64;
/// Connections held open at once; further clients wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 2048;
/// Requests being answered at once; further requests wait for a slot.
pub const MAX_IN_FLIGHT: usize = 512;
/// How long a client may take to send a request's headers, and how long an
/// idle kept-alive connection stays open.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a write to a client may stall before the connection is closed.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long answering one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// What to serve and where.
pub struct Options {
    /// The built site.
    pub out: PathBuf,
    /// The address to listen on (port 0: any free port).
    pub address: SocketAddr,
    /// Rebuild on changes and reload open pages.
    pub watch: Option<watch::Options>,
}

/// What every request handler shares.
pub(crate) struct Shared {
    /// The built site, as given (the folder is replaced on every rebuild).
    site: PathBuf,
    /// The opened index; `None` only in watch mode before a first build.
    searcher: RwLock<Option<Arc<Searcher>>>,
    /// Rebuild state and reload signals, in watch mode.
    live: Option<watch::Live>,
    /// The file service over `site`.
    files: tower_http::services::ServeDir,
    /// One permit per core for searches.
    searches: Semaphore,
}

impl Shared {
    /// The current index, if there is one.
    pub(crate) fn searcher(&self) -> Option<Arc<Searcher>> {
        self.searcher.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Open the site's index again after a rebuild.
    pub(crate) fn reopen_searcher(&self) -> Result<()> {
        let searcher = open_searcher(&self.site)?;
        *self.searcher.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(searcher));
        Ok(())
    }
}

/// Serve until interrupted. `ready` is called with the bound address once
/// the server accepts connections.
pub fn run(options: Options, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("folio-serve")
        .build()
        .map_err(Error::io("start the server for", &options.out))?;

    let live = options.watch.as_ref().map(|_| watch::Live::new());
    let shared = Arc::new(Shared {
        site: options.out.clone(),
        searcher: RwLock::new(None),
        live,
        files: files::service(&options.out),
        searches: Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
    });
    let _watcher = match options.watch {
        Some(watch) => Some(watch::start(watch, Arc::clone(&shared))?),
        None => {
            check_site(&options.out)?;
            shared.reopen_searcher()?;
            None
        }
    };

    runtime.block_on(async move {
        let listener = TcpListener::bind(options.address)
            .await
            .map_err(|err| listen_error(options.address, err))?;
        let address = listener.local_addr().map_err(|err| listen_error(options.address, err))?;
        ready(address);
        accept(listener, router(shared)).await;
        Ok(())
    })
}

/// The site folder must exist before anything is served from it.
fn check_site(site: &Path) -> Result<()> {
    if site.is_dir() {
        return Ok(());
    }
    Err(Error::Io {
        action: "serve",
        path: site.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no built site here; run `folio build` first",
        ),
    })
}

/// Open `<site>/search`. Every failure, a missing index included, is an
/// [`Error::Search`], so the command exits with code 3.
fn open_searcher(site: &Path) -> Result<Searcher> {
    let dir = site.join("search");
    Searcher::open(&dir).map_err(|err| match err {
        Error::MissingInput { path, .. } => Error::Search(format!(
            "no index in {}; build the site with `folio build` first",
            path.display()
        )),
        Error::Search(message) => Error::Search(message),
        other => Error::Search(other.to_string()),
    })
}

fn listen_error(address: SocketAddr, err: std::io::Error) -> Error {
    Error::Io { action: "listen on", path: PathBuf::from(address.to_string()), source: err }
}

/// The routes and the layers around them.
fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new().route("/api/search", get(api::search));
    if shared.live.is_some() {
        router = router.merge(watch::routes());
    }
    router
        .fallback(files::serve)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), files::headers))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .layer(GlobalConcurrencyLimitLayer::new(MAX_IN_FLIGHT))
        .layer(middleware::from_fn(limit_uri))
        .layer(middleware::from_fn(log))
        .with_state(shared)
}

/// Accept connections until Ctrl-C, at most [`MAX_CONNECTIONS`] at once.
async fn accept(listener: TcpListener, router: Router) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let slot = Arc::clone(&slots).acquire_owned().await.expect("the semaphore stays open");
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut interrupted => return,
        };
        let (stream, peer) = match accepted {
            Ok(connection) => connection,
            Err(err) => {
                // Out of file descriptors or a connection reset before it was
                // accepted: wait a moment rather than spin.
                tracing::debug!(%err, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
            stream.set_write_timeout(Some(WRITE_TIMEOUT));
            let io = TokioIo::new(Box::pin(stream));
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_header_size(MAX_HEADER_BYTES)
                .max_headers(MAX_HEADERS)
                .serve_connection(io, service);
            if let Err(err) = connection.await {
                tracing::debug!(%peer, %err, "connection closed on an error");
            }
            drop(slot);
        });
    }
}

/// Refuse a path or query longer than the limits before any work is done.
async fn limit_uri(request: Request, next: Next) -> Response {
    let uri: &Uri = request.uri();
    let too_long =
        uri.path().len() > MAX_PATH_BYTES || uri.query().is_some_and(|q| q.len() > MAX_QUERY_BYTES);
    if too_long {
        return (StatusCode::URI_TOO_LONG, "the address is too long\n").into_response();
    }
    next.run(request).await
}

/// One line per request, at debug level.
async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::debug!(
        %method,
        path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// `value` as a header value; the callers pass text they built.
pub(crate) fn header_value(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A response with a plain-text body.
pub(crate) fn text_response(status: StatusCode, text: &str) -> Response {
    let mut response = (status, text.to_owned()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}
