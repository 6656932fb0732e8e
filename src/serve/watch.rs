//! `folio serve --watch`: rebuild when the sources change, and tell open
//! pages to reload.
//!
//! A debounced watcher (notify-debouncer-full, polling where the system's
//! watcher cannot start) follows `content/`, `templates/` and `theme/`.
//! Editors' swap, backup and temporary files are ignored, so one save is one
//! rebuild. When only instrument files changed, [`super::incremental`] renders
//! again just the pages the change affects, over the served site; anything
//! else is a full `pipeline::build` into the served folder, which writes
//! beside the site and swaps. Either way a failed build leaves the last good
//! site served. A file removed and not back within [`SETTLE`] is a
//! deletion; one that comes back (an editor saving by rename) is a change.
//!
//! Pages learn about builds over Server-Sent Events at `/__folio/reload`:
//! `hello` with the current generation on connect, `reload` after each
//! successful build, `failed` after a failed one, and `rewritten` with the
//! paths of the list pages an incremental rebuild writes after its reload. The script
//! `/__folio/reload.js`, added to every page in watch mode, reloads on
//! `reload` and shows the diagnostics of `/__folio/status` in a box over
//! the page while the build is broken.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use notify::event::{EventKind, ModifyKind, RenameMode};
use notify::{PollWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use serde::Serialize;
use tokio::sync::broadcast;

use super::Shared;
use super::incremental::{Attempt, LastBuild};
use crate::diagnostics::{self, Format};
use crate::error::{Error, Result};
use crate::pipeline::{self, Outcome};
use crate::progress::Silent;

/// How long the watcher waits for a file to be quiet: an editor's save is
/// a burst of events within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(40);
/// How long a removed file has to come back before it counts as deleted.
const SETTLE: Duration = Duration::from_millis(300);
/// How often the polling watcher looks, where the native one fails.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The largest page the reload script is added to.
const LARGEST_PAGE: usize = 64 * 1024 * 1024;
/// The folders of a site that are watched.
const WATCHED: [&str; 3] = ["content", "templates", "theme"];
/// The reload script.
const RELOAD_JS: &str = include_str!("../../theme/reload.js");

/// What to rebuild and whom to tell.
pub struct Options {
    /// The build; its `out` is the served folder.
    pub settings: pipeline::Settings,
    /// Prints a build's diagnostics and summary in the terminal.
    pub on_outcome: Box<dyn Fn(&Outcome) + Send + Sync>,
    /// Prints a failure that stopped a build.
    pub on_error: Box<dyn Fn(&Error) + Send + Sync>,
}

/// What open pages are told.
#[derive(Debug, Clone)]
enum Signal {
    /// A build succeeded; the number of the site now served.
    Reload(u64),
    /// A build failed; the last good site stays.
    Failed,
    /// Pages written after the reload, by site path, separated by spaces.
    Rewritten(Arc<str>),
}

/// The last build's result, as `/__folio/status` answers it.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Status {
    /// Whether the last build succeeded.
    ok: bool,
    /// How many builds succeeded; pages reload when it changes.
    generation: u64,
    /// The diagnostics of the last build, rendered as in the terminal.
    diagnostics: String,
}

/// Rebuild state shared with the request handlers.
pub(crate) struct Live {
    signals: broadcast::Sender<Signal>,
    status: RwLock<Status>,
}

impl Live {
    /// No build yet.
    pub(crate) fn new() -> Self {
        Self { signals: broadcast::channel(16).0, status: RwLock::new(Status::default()) }
    }

    fn status(&self) -> Status {
        self.status.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn succeed(&self, diagnostics: String) {
        let generation = {
            let mut status = self.status.write().unwrap_or_else(|e| e.into_inner());
            status.ok = true;
            status.generation += 1;
            status.diagnostics = diagnostics;
            status.generation
        };
        // No page listening is not an error.
        let _ = self.signals.send(Signal::Reload(generation));
    }

    fn rewritten(&self, paths: &[String]) {
        if !paths.is_empty() {
            let _ = self.signals.send(Signal::Rewritten(paths.join(" ").into()));
        }
    }

    fn fail(&self, diagnostics: String) {
        {
            let mut status = self.status.write().unwrap_or_else(|e| e.into_inner());
            status.ok = false;
            status.diagnostics = diagnostics;
        }
        let _ = self.signals.send(Signal::Failed);
    }

    /// Add the reload script to a page. The page's validators go: the same
    /// file is a different page once the generation changes.
    pub(crate) async fn inject(&self, response: Response) -> Response {
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, LARGEST_PAGE).await else {
            return super::text_response(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "cannot read the page\n",
            );
        };
        let tag = format!(
            "<script src=\"/__folio/reload.js\" data-generation=\"{}\" defer></script>",
            self.status().generation
        );
        let mut page = String::from_utf8_lossy(&bytes).into_owned();
        match page.rfind("</body>") {
            Some(at) => page.insert_str(at, &tag),
            None => page.push_str(&tag),
        }
        for name in [header::CONTENT_LENGTH, header::ETAG, header::LAST_MODIFIED] {
            parts.headers.remove(name);
        }
        Response::from_parts(parts, Body::from(page))
    }
}

/// The endpoints of watch mode.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__folio/reload", get(reload_events))
        .route("/__folio/status", get(status))
        .route("/__folio/reload.js", get(reload_script))
}

/// `GET /__folio/reload`: `hello`, then one event per build.
async fn reload_events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = std::result::Result<Event, Infallible>>> {
    let live = shared.live.as_ref().expect("watch routes exist in watch mode only");
    let receiver = live.signals.subscribe();
    let hello = Event::default().event("hello").data(live.status().generation.to_string());
    let signals = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(Signal::Reload(generation)) => {
                    let event = Event::default().event("reload").data(generation.to_string());
                    return Some((Ok(event), receiver));
                }
                Ok(Signal::Failed) => {
                    return Some((Ok(Event::default().event("failed").data("")), receiver));
                }
                Ok(Signal::Rewritten(paths)) => {
                    let event = Event::default().event("rewritten").data(&*paths);
                    return Some((Ok(event), receiver));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream::once(async { Ok(hello) }).chain(signals))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `GET /__folio/status`.
async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let live = shared.live.as_ref().expect("watch routes exist in watch mode only");
    axum::Json(live.status()).into_response()
}

/// `GET /__folio/reload.js`.
async fn reload_script() -> Response {
    let mut response = RELOAD_JS.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    response
}

/// Watches the sources until dropped.
pub(crate) struct Watching {
    _debouncer: Box<dyn Send>,
}

/// Build once, then watch and rebuild on every change.
pub(crate) fn start(options: Options, shared: Arc<Shared>) -> Result<Watching> {
    let root = std::path::absolute(&options.settings.root)
        .map_err(Error::io("resolve", &options.settings.root))?;
    let mut last = None;
    rebuild(&options, &shared, &mut last, &[]);
    if shared.searcher().is_none() {
        // The first build failed; serve the previous site's index, if any.
        let _ = shared.reopen_searcher();
    }

    let (sender, receiver) = std::sync::mpsc::channel();
    let debouncer = watch(&root, sender)?;
    std::thread::Builder::new()
        .name("folio-rebuild".to_owned())
        .spawn(move || rebuild_on_change(&receiver, &root, &options, &shared, last))
        .map_err(Error::io("start the watcher of", "the site"))?;
    Ok(Watching { _debouncer: debouncer })
}

/// Start the system's watcher on the site's folders, or a polling one.
fn watch(root: &Path, sender: Sender<DebounceEventResult>) -> Result<Box<dyn Send>> {
    let folders: Vec<PathBuf> =
        WATCHED.iter().map(|name| root.join(name)).filter(|dir| dir.is_dir()).collect();
    let native = notify_debouncer_full::new_debouncer(DEBOUNCE, None, sender.clone()).and_then(
        |mut debouncer| {
            for folder in &folders {
                debouncer.watch(folder, RecursiveMode::Recursive)?;
            }
            Ok(debouncer)
        },
    );
    match native {
        Ok(debouncer) => return Ok(Box::new(debouncer)),
        Err(err) => tracing::warn!(%err, "the system's file watcher failed; polling instead"),
    }

    let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
    let mut debouncer: Debouncer<PollWatcher, RecommendedCache> =
        notify_debouncer_full::new_debouncer_opt(
            DEBOUNCE,
            None,
            sender,
            RecommendedCache::new(),
            config,
        )
        .map_err(|err| watch_error(root, err))?;
    for folder in &folders {
        debouncer
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|err| watch_error(folder, err))?;
    }
    Ok(Box::new(debouncer))
}

fn watch_error(path: &Path, err: notify::Error) -> Error {
    Error::Io { action: "watch", path: path.to_path_buf(), source: std::io::Error::other(err) }
}

/// Wait for changes and rebuild, one build at a time.
fn rebuild_on_change(
    events: &Receiver<DebounceEventResult>,
    root: &Path,
    options: &Options,
    shared: &Shared,
    mut last: Option<LastBuild>,
) {
    while let Ok(first) = events.recv() {
        let mut changes = Changes::default();
        changes.add(first, root);
        changes.drain(events, root);
        if changes.paths.is_empty() {
            continue;
        }
        if changes.removed.iter().any(|path| !path.exists()) {
            // Editors save by renaming the old file away and writing a new
            // one; give the new one time to appear.
            std::thread::sleep(SETTLE);
            changes.drain(events, root);
        }
        tracing::debug!(
            changed = changes.paths.len(),
            first = %changes.paths[0].display(),
            "rebuilding"
        );
        changes.paths.sort();
        changes.paths.dedup();
        rebuild(options, shared, &mut last, &changes.paths);
        write_lists(options, shared, &mut last);
    }
}

/// The relevant paths of a run of events.
#[derive(Default)]
struct Changes {
    paths: Vec<PathBuf>,
    removed: Vec<PathBuf>,
}

impl Changes {
    fn add(&mut self, result: DebounceEventResult, root: &Path) {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for err in errors {
                    tracing::warn!(%err, "the file watcher reported an error");
                }
                return;
            }
        };
        for event in events {
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            let removal = matches!(
                event.kind,
                EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From))
            );
            for (i, path) in event.paths.iter().enumerate() {
                if is_ignored(path, root) {
                    tracing::trace!(path = %path.display(), "ignored: an editor's file");
                    continue;
                }
                let renamed_away = i == 0
                    && matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::Both)));
                if removal || renamed_away {
                    self.removed.push(path.clone());
                }
                self.paths.push(path.clone());
            }
        }
    }

    fn drain(&mut self, events: &Receiver<DebounceEventResult>, root: &Path) {
        while let Ok(more) = events.try_recv() {
            self.add(more, root);
        }
    }
}

/// Whether `path` is an editor's swap, backup or temporary file, or a
/// hidden file, rather than a source of the site.
fn is_ignored(path: &Path, root: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let hidden = relative.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else { return true };
    hidden
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.bytes().all(|b| b.is_ascii_digit())
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || [".swp", ".swx", ".bck", ".bak", ".tmp", ".orig"].iter().any(|ext| name.ends_with(ext))
}

/// Build what `changed` affects (everything when it is empty), tell the
/// terminal and the pages, and open the new index.
fn rebuild(options: &Options, shared: &Shared, last: &mut Option<LastBuild>, changed: &[PathBuf]) {
    let live = shared.live.as_ref().expect("rebuilds happen in watch mode only");
    let built = std::panic::catch_unwind(AssertUnwindSafe(|| build(options, last, changed)));
    if !matches!(built, Ok(Ok(_))) {
        // What is kept may be half updated; the next build starts afresh.
        *last = None;
    }
    match built {
        Ok(Ok((outcome, whole))) => {
            (options.on_outcome)(&outcome);
            let text = diagnostics::render(&outcome.diagnostics, Format::Human, false);
            if outcome.written.is_none() {
                live.fail(text);
                return;
            }
            // An incremental rebuild updates the index after the reload.
            let reopened = if whole { shared.reopen_searcher() } else { Ok(()) };
            if let Err(err) = reopened {
                (options.on_error)(&err);
                live.succeed(String::new());
                live.fail(format!("error: {err}\n"));
                return;
            }
            live.succeed(text);
        }
        Ok(Err(err)) => {
            (options.on_error)(&err);
            live.fail(format!("error: {err}\n"));
        }
        Err(_) => {
            let err =
                Error::Usage("the build stopped on an internal error; see the terminal".into());
            (options.on_error)(&err);
            live.fail(format!("error: {err}\n"));
        }
    }
}

/// Write the list pages and the search documents an incremental rebuild
/// leaves for after the reload, open the index again, and tell the pages
/// that show one of the list pages.
fn write_lists(options: &Options, shared: &Shared, last: &mut Option<LastBuild>) {
    let Some(kept) = last.as_mut() else { return };
    let live = shared.live.as_ref().expect("rebuilds happen in watch mode only");
    let written =
        std::panic::catch_unwind(AssertUnwindSafe(|| kept.write_lists(&options.settings)));
    let err = match written {
        Ok(Ok(paths)) if paths.is_empty() => return,
        Ok(Ok(paths)) => match shared.reopen_searcher() {
            Ok(()) => {
                live.rewritten(&paths);
                return;
            }
            Err(err) => err,
        },
        Ok(Err(err)) => err,
        Err(_) => Error::Usage("the build stopped on an internal error; see the terminal".into()),
    };
    *last = None;
    (options.on_error)(&err);
    live.fail(format!("error: {err}\n"));
}

/// Rebuild incrementally when the last build allows it, else everything;
/// `true` with a full build.
fn build(
    options: &Options,
    last: &mut Option<LastBuild>,
    changed: &[PathBuf],
) -> Result<(Outcome, bool)> {
    if let Some(kept) = last.as_mut()
        && !changed.is_empty()
        && let Attempt::Done(outcome) = kept.rebuild(changed, &options.settings)?
    {
        return Ok((outcome, false));
    }
    *last = None;
    let (outcome, built) = pipeline::build_and_keep(&options.settings, &Silent)?;
    *last = built.map(LastBuild::new);
    Ok((outcome, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_what_editors_leave_behind() {
        let root = Path::new("/site");
        let dir = root.join("content/instruments");
        for name in [
            ".#entry.md",
            "entry.md~",
            ".entry.md.swp",
            ".entry.md.swx",
            "4913",
            "entry.md___jb_tmp___",
            "entry.md___jb_old___",
            "entry.md0HlVyu.bck",
            "#entry.md#",
            ".hidden.md",
        ] {
            assert!(is_ignored(&dir.join(name), root), "{name}");
        }
        assert!(is_ignored(&root.join("content/.git/index"), root));
        for name in ["entry.md", "entry.ru.md", "site.yaml", "2021.md"] {
            assert!(!is_ignored(&dir.join(name), root), "{name}");
        }
    }
}
