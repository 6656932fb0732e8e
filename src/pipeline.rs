//! The one module that knows the order of the stages. `check` loads,
//! assembles and validates; `build` goes on to render and write, and only
//! swaps the new site in when nothing failed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::catalogue::Catalogue;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::error::Result;
use crate::linkcheck;
use crate::output::Staging;
use crate::progress::{Progress, Silent};
use crate::render::{self, RenderStats, Renderer};
use crate::search;
use crate::validate;

/// What to build and how strictly.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site folder, holding `content/`.
    pub root: PathBuf,
    /// Where the site is written.
    pub out: PathBuf,
    /// Replaces `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
    /// Whether warnings fail the run.
    pub deny_warnings: bool,
}

/// How long a stage took.
#[derive(Debug, Clone)]
pub struct Timing {
    /// The stage's name.
    pub stage: &'static str,
    /// Its wall time.
    pub elapsed: Duration,
}

/// What a run found and did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How many instruments were read (default language).
    pub instruments: usize,
    /// What the render wrote; `None` when nothing was written.
    pub written: Option<RenderStats>,
    /// Stage timings, in order; stages that run side by side overlap.
    pub timings: Vec<Timing>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl Outcome {
    /// Whether the run failed on its diagnostics.
    pub fn failed(&self, deny_warnings: bool) -> bool {
        self.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
        })
    }

    fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = work();
        let elapsed = start.elapsed();
        tracing::debug!(stage, elapsed_ms = elapsed.as_secs_f64() * 1000.0, "stage done");
        self.timings.push(Timing { stage, elapsed });
        value
    }
}

/// Load, assemble and validate; the catalogue is `None` when the settings or
/// the classification were unusable.
fn load_and_validate(settings: &Settings, outcome: &mut Outcome) -> Result<Option<Catalogue>> {
    let mut diagnostics = Diagnostics::new();
    let content = outcome.time("load", || content::load(&settings.root, &mut diagnostics))?;
    let Some(mut content) = content else {
        outcome.diagnostics = diagnostics.into_sorted();
        return Ok(None);
    };
    if let Some(base_url) = &settings.base_url {
        content.config.set_base_url(base_url);
    }
    outcome.instruments = content.instruments.len();

    let catalogue = outcome.time("assemble", || Catalogue::assemble(content));
    outcome.time("validate", || validate::validate(&catalogue, &mut diagnostics));
    outcome.diagnostics = diagnostics.into_sorted();
    Ok(Some(catalogue))
}

/// Validate the site, render it into a temporary folder and check every
/// link of the rendered pages; write nothing to the output.
pub fn check(settings: &Settings) -> Result<Outcome> {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let Some(catalogue) = load_and_validate(settings, &mut outcome)? else {
        return Ok(outcome);
    };
    if outcome.failed(false) {
        return Ok(outcome);
    }

    let scratch =
        tempfile::tempdir().map_err(crate::error::Error::io("create", std::env::temp_dir()))?;
    let languages = &catalogue.config.languages;
    let renderer = outcome.time("templates", || Renderer::new(&settings.root, languages))?;
    let staging = Staging::new(&scratch.path().join("site"))?;
    outcome
        .time("render", || render::render_site(&catalogue, &renderer, &settings.root, &staging))?;
    let broken = outcome.time("links", || linkcheck::check(staging.dir(), "rendered"));
    outcome.diagnostics.extend(broken);
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// Validate, render and write the site. On any error (or warning, with
/// `deny_warnings`) nothing is written and the previous output stays.
pub fn build(settings: &Settings) -> Result<Outcome> {
    build_with(settings, &Silent)
}

/// [`build`], reporting each stage and each page written to `progress`.
pub fn build_with(settings: &Settings, progress: &dyn Progress) -> Result<Outcome> {
    Ok(build_and_keep(settings, progress)?.0)
}

/// What a build that wrote the site leaves for `serve --watch` to rebuild
/// from: the catalogue as validated and the compiled templates.
pub struct Built {
    /// The catalogue the site was rendered from.
    pub catalogue: Catalogue,
    /// The templates it was rendered with.
    pub renderer: Renderer,
}

/// [`build_with`], handing back what was built when the site was written.
pub fn build_and_keep(
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<(Outcome, Option<Built>)> {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    progress.stage("load", None);
    let Some(catalogue) = load_and_validate(settings, &mut outcome)? else {
        return Ok((outcome, None));
    };
    if outcome.failed(settings.deny_warnings) {
        return Ok((outcome, None));
    }

    let languages = &catalogue.config.languages;
    let renderer = outcome.time("templates", || Renderer::new(&settings.root, languages))?;
    let staging = Staging::new(&settings.out)?;

    // The index is built on its own thread while the pages render on the
    // pool: tantivy's writer and the renderer then share the cores.
    let index_dir = staging.fresh_folder("search")?;
    let (rendered, indexed) = std::thread::scope(|scope| {
        let index = scope.spawn(|| timed(|| search::build_index(&catalogue, &index_dir)));
        let rendered = timed(|| {
            render::render_site_with(&catalogue, &renderer, &settings.root, &staging, progress)
        });
        progress.stage("index", None);
        (rendered, index.join().expect("the index thread does not panic"))
    });
    outcome.timings.push(Timing { stage: "render", elapsed: rendered.1 });
    outcome.timings.push(Timing { stage: "index", elapsed: indexed.1 });
    let stats = rendered.0?;
    indexed.0?;

    progress.stage("swap", None);
    outcome.time("swap", || staging.commit())?;
    outcome.written = Some(stats);
    outcome.elapsed = started.elapsed();
    Ok((outcome, Some(Built { catalogue, renderer })))
}

/// Run `work` and measure it.
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = work();
    (value, start.elapsed())
}

/// The default output folder of a site.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
