//! Rebuilding only what an edit affects, for `serve --watch`.
//!
//! The common edit changes instrument files and nothing else. For that case
//! the catalogue of the last good build stays in memory: the changed files
//! are read again and put in place of the old instruments; only their own
//! relations and body links are resolved again, and only the entries the
//! edit touches (the edited ones, the ones they relate or link to, the ones
//! linking to them) are validated again, beside the catalogue-wide checks.
//! Then only the pages the edit touches are rendered, in every language:
//!
//! - the instrument's own page;
//! - the pages of the instruments it relates to or links to, before and
//!   after the edit (they show its title);
//! - the list pages its fields put it on, before and after, the home and
//!   classification pages, and the point-in-time pages of the years it is
//!   listed or changes in;
//! - the point-in-time pages where a related instrument's standing changes
//!   with it (a successor's dates end the instrument it supersedes);
//! - `catalogue.json`, `catalogue.csv` and the feed.
//!
//! Each file is written to a temporary file beside it and renamed over it,
//! so a reader never sees half a page; a page whose bytes did not change
//! is left alone. The search index gets the instruments' new documents.
//!
//! Anything else (settings, classification, templates, theme, free pages, a
//! file added, removed or renamed, an id changed, a page appearing or going)
//! needs the full build, and [`Attempt::Full`] says so.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::catalogue::Catalogue;
use crate::chronology;
use crate::content::{self, Instrument};
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::pipeline::{Built, Outcome, Settings, Timing};
use crate::render::Renderer;
use crate::render::context::instrument_url;
use crate::render::partial::{self, Sink};
use crate::search;
use crate::validate::{EntryDiagnostics, Rechecked};

/// The folder of instrument files, relative to the site root.
const INSTRUMENTS: &str = "content/instruments";

/// What the last good build left, kept up to date by each rebuild.
pub(crate) struct LastBuild {
    catalogue: Catalogue,
    renderer: Renderer,
    /// The diagnostics of each entry as last validated.
    checked: EntryDiagnostics,
    /// The instrument and translation files it read, relative to the root.
    files: HashSet<PathBuf>,
    /// The default-language URL of every page it wrote besides the
    /// instruments' own, which change only with the files.
    site_urls: Vec<String>,
    /// Files changed since, that did not build yet.
    pending: BTreeSet<PathBuf>,
    /// Pages of the last edit still to write, after its instrument pages.
    lists: BTreeSet<String>,
    /// Entries whose search documents the last edit changed.
    documents: Vec<usize>,
}

/// What became of a rebuild.
pub(crate) enum Attempt {
    /// Done (written, or failed on its diagnostics with the site untouched).
    Done(Outcome),
    /// The change needs the full build.
    Full,
}

impl LastBuild {
    /// Keep what a full build built.
    pub(crate) fn new(built: Built) -> Self {
        let Built { catalogue, renderer } = built;
        let files = catalogue
            .entries
            .iter()
            .flat_map(|e| {
                let translations = e.translations.values().map(|(t, _)| t);
                std::iter::once(&e.instrument).chain(translations)
            })
            .map(|instrument| instrument.file.path.clone())
            .collect();
        let site_urls = partial::site_page_urls(&catalogue);
        let checked = EntryDiagnostics::of(&catalogue);
        Self {
            catalogue,
            renderer,
            checked,
            files,
            site_urls,
            pending: BTreeSet::new(),
            lists: BTreeSet::new(),
            documents: Vec::new(),
        }
    }

    /// Rebuild after `changed` (absolute paths) up to the instrument pages
    /// and the search index, or say that it takes the full build. The list
    /// pages follow with [`LastBuild::write_lists`].
    pub(crate) fn rebuild(&mut self, changed: &[PathBuf], settings: &Settings) -> Result<Attempt> {
        let started = Instant::now();
        let root =
            std::path::absolute(&settings.root).map_err(Error::io("resolve", &settings.root))?;
        let Some(paths) = self.instrument_files(changed, &root) else {
            return Ok(Attempt::Full);
        };
        let mut outcome = Outcome::default();
        let mut diagnostics = Diagnostics::new();

        let read = time(&mut outcome, "load", || self.read(&root, &paths, &mut diagnostics));
        let Some(instruments) = read else {
            outcome.diagnostics = diagnostics.into_sorted();
            return Ok(self.failed(outcome, paths, started));
        };
        let Some(changed) = self.indices_of(&instruments) else { return Ok(Attempt::Full) };
        let edit = apply(&mut self.catalogue, &self.checked, instruments, &changed, &mut outcome);
        let Some(Edit { replaced, before, after, rechecked, checked }) = edit else {
            return Ok(Attempt::Full);
        };
        let (pages, lists) = before.pages_with(&after).into_iter().partition(|url| {
            url.strip_prefix("instruments/").is_some_and(|id| id.matches('/').count() == 1)
        });
        tracing::debug!(?pages, ?lists, "rebuilding the pages an edit affects");
        diagnostics.extend(checked.into_sorted());
        outcome.diagnostics = diagnostics.into_sorted();
        if outcome.failed(settings.deny_warnings) {
            let restored = self.catalogue.replace_instruments(replaced);
            assert!(restored.is_ok(), "the instruments read before fit where they were");
            return Ok(self.failed(outcome, paths, started));
        }
        if partial::site_page_urls(&self.catalogue) != self.site_urls {
            tracing::debug!("the edit adds or removes pages; building everything");
            return Ok(Attempt::Full);
        }
        self.checked.keep(rechecked);
        let out =
            std::path::absolute(&settings.out).map_err(Error::io("resolve", &settings.out))?;
        let sink: &Sink<'_> = &|path, bytes| replace_file(&out.join(path), bytes);
        let written = time(&mut outcome, "render", || {
            partial::render_pages(&self.catalogue, &self.renderer, &pages, sink)
        })?;
        self.lists = lists;
        self.documents = changed.iter().chain(after.related.keys()).copied().collect();

        self.pending.clear();
        outcome.instruments = self.catalogue.entries.len();
        outcome.written = Some(written);
        outcome.elapsed = started.elapsed();
        Ok(Attempt::Done(outcome))
    }

    /// The instrument files among `changed` with those still pending, or
    /// `None` when something else changed.
    fn instrument_files(&self, changed: &[PathBuf], root: &Path) -> Option<BTreeSet<PathBuf>> {
        let mut paths = self.pending.clone();
        for path in changed {
            let relative = path.strip_prefix(root).ok()?;
            let known = relative.starts_with(INSTRUMENTS)
                && relative.extension().is_some_and(|e| e == "md")
                && self.files.contains(relative)
                && path.is_file();
            if !known {
                tracing::debug!(path = %relative.display(), "not an instrument file read before");
                return None;
            }
            paths.insert(relative.to_path_buf());
        }
        Some(paths)
    }

    /// Read the files again; `None` when one of them cannot be read.
    fn read(
        &self,
        root: &Path,
        paths: &BTreeSet<PathBuf>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Vec<Instrument>> {
        let config = &self.catalogue.config;
        paths.iter().map(|path| content::load_instrument(root, path, config, diagnostics)).collect()
    }

    /// The entries the instruments read again belong to, by id; `None` when
    /// an id is new.
    fn indices_of(&self, instruments: &[Instrument]) -> Option<Vec<usize>> {
        let mut indices: Vec<usize> = instruments
            .iter()
            .map(|i| self.catalogue.index_of(&i.id.value))
            .collect::<Option<_>>()?;
        indices.sort_unstable();
        indices.dedup();
        Some(indices)
    }

    /// A rebuild that stopped on the sources' errors: nothing is written,
    /// and the files are read again with the next change.
    fn failed(
        &mut self,
        mut outcome: Outcome,
        paths: BTreeSet<PathBuf>,
        started: Instant,
    ) -> Attempt {
        self.pending = paths;
        outcome.instruments = self.catalogue.entries.len();
        outcome.elapsed = started.elapsed();
        Attempt::Done(outcome)
    }

    /// Write the list pages, the point-in-time pages and the data files the
    /// last edit affects, if any are left, and return the site paths of the
    /// pages (`/types/convention/`, in every language).
    // TODO(watch): at 10,000 instruments this takes about a second (the
    // index and point-in-time pages list thousands each), and the next save
    // waits for it; a save could cut it short. #8
    pub(crate) fn write_lists(&mut self, settings: &Settings) -> Result<Vec<String>> {
        if self.lists.is_empty() {
            return Ok(Vec::new());
        }
        let lists = std::mem::take(&mut self.lists);
        let documents = std::mem::take(&mut self.documents);
        let out =
            std::path::absolute(&settings.out).map_err(Error::io("resolve", &settings.out))?;
        let sink: &Sink<'_> = &|path, bytes| replace_file(&out.join(path), bytes);
        let index_dir = out.join("search");
        let (rendered, indexed) = background().install(|| {
            std::thread::scope(|scope| {
                let index = scope.spawn(|| {
                    timed(|| search::update_index(&self.catalogue, &documents, &index_dir))
                });
                let rendered = timed(|| {
                    partial::render_pages(&self.catalogue, &self.renderer, &lists, sink)?;
                    partial::render_data(&self.catalogue, &self.renderer, sink)
                });
                (rendered, index.join().expect("the index thread does not panic"))
            })
        });
        let ms = |elapsed: std::time::Duration| elapsed.as_secs_f64() * 1000.0;
        tracing::debug!(pages = lists.len(), elapsed_ms = ms(rendered.1), "list pages written");
        tracing::debug!(documents = documents.len(), elapsed_ms = ms(indexed.1), "index updated");
        rendered.0?;
        indexed.0?;
        let prefixes = partial::language_prefixes(&self.renderer);
        Ok(prefixes
            .iter()
            .flat_map(|p| lists.iter().map(move |url| format!("/{p}{url}")))
            .collect())
    }
}

/// The threads that write what a rebuild leaves for after the reload, at
/// the lowest priority, so that readers' requests and the next rebuild come
/// first. Threads they start (the index writer's) inherit it.
fn background() -> &'static ThreadPool {
    static POOL: OnceLock<ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        ThreadPoolBuilder::new()
            .thread_name(|i| format!("folio-background-{i}"))
            .start_handler(|_| {
                if let Err(err) = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                ) {
                    tracing::debug!(?err, "background threads keep the normal priority");
                }
            })
            .build()
            .expect("a thread pool starts")
    })
}

/// An edit put in place in the catalogue held in memory.
struct Edit {
    /// The instruments it replaced, to restore when it fails.
    replaced: Vec<Instrument>,
    before: Footprint,
    after: Footprint,
    /// The entries it touches, checked again.
    rechecked: Rechecked,
    /// The diagnostics of the whole catalogue with the edit.
    checked: Diagnostics,
}

/// Put `instruments`, read again from the entries at `changed`, in place
/// of the old ones and check again the entries they touch; `None` when one
/// does not fit its place (the catalogue is then unchanged).
fn apply(
    catalogue: &mut Catalogue,
    checked: &EntryDiagnostics,
    instruments: Vec<Instrument>,
    changed: &[usize],
    outcome: &mut Outcome,
) -> Option<Edit> {
    let new_targets = instruments
        .iter()
        .flat_map(|i| i.relations.iter())
        .filter_map(|r| catalogue.index_of(&r.target.value))
        .collect();
    let before = Footprint::of(catalogue, changed, &new_targets);
    let replaced = time(outcome, "assemble", || catalogue.replace_instruments(instruments)).ok()?;
    let old_related = before.related.keys().copied().collect();
    let after = Footprint::of(catalogue, changed, &old_related);
    let touched = before.touched.union(&after.touched).copied().collect();
    let (rechecked, checked) = time(outcome, "validate", || checked.recheck(catalogue, &touched));
    Some(Edit { replaced, before, after, rechecked, checked })
}

/// Where the edited instruments show, in one state of the catalogue.
struct Footprint {
    /// Pages that show them, by default-language URL: their own, the pages
    /// of the instruments they relate or link to, and the lists they are on.
    pages: BTreeSet<String>,
    /// Each related instrument with what the point-in-time pages say of it.
    related: BTreeMap<usize, BTreeSet<Standing>>,
    /// The entries whose checks read the edited ones: those, their related
    /// instruments, and the instruments they link to or are linked from.
    touched: BTreeSet<usize>,
}

impl Footprint {
    /// The footprint of the entries at `changed`; the entries at `also`
    /// count as related (relations the edit adds or removes).
    fn of(catalogue: &Catalogue, changed: &[usize], also: &BTreeSet<usize>) -> Self {
        let mut pages: BTreeSet<String> =
            ["", "classification/", "instruments/", "years/"].map(str::to_owned).into();
        // Free pages with a generated table count the instruments too.
        let default = catalogue.config.default_language();
        let counting = catalogue.pages.iter().map(|p| &p.page);
        let counting = counting.filter(|p| p.generated.is_some() && p.language == default);
        pages.extend(counting.map(|page| format!("{}/", page.id)));
        let mut related = also.clone();
        let mut touched: BTreeSet<usize> = changed.iter().copied().collect();
        for &index in changed {
            let entry = &catalogue.entries[index];
            touched.extend(entry.links_to.iter().chain(&entry.referenced_by));
            pages.insert(instrument_url(&entry.instrument.id.value));
            pages.extend(list_pages(catalogue, &entry.instrument));
            pages.extend(standing(catalogue, index).into_iter().map(|s| partial::year_url(s.0)));
            related.extend(entry.relations.iter().map(|r| r.other));
            let linked = entry.links_to.iter().map(|&i| &catalogue.entries[i].instrument.id.value);
            pages.extend(linked.map(|id| instrument_url(id)));
        }
        touched.extend(&related);
        related.retain(|index| !changed.contains(index));
        pages.extend(
            related.iter().map(|&i| instrument_url(&catalogue.entries[i].instrument.id.value)),
        );
        let related = related.into_iter().map(|i| (i, standing(catalogue, i))).collect();
        Self { pages, related, touched }
    }

    /// The pages to render: both states' pages, and the point-in-time
    /// pages where a related instrument is listed in one state only.
    fn pages_with(&self, after: &Self) -> BTreeSet<String> {
        let mut pages: BTreeSet<String> = self.pages.union(&after.pages).cloned().collect();
        let nowhere = BTreeSet::new();
        for (index, now) in &after.related {
            let before = self.related.get(index).unwrap_or(&nowhere);
            pages.extend(before.symmetric_difference(now).map(|s| partial::year_url(s.0)));
        }
        pages
    }
}

/// The list pages an instrument's fields put it on.
fn list_pages(catalogue: &Catalogue, instrument: &Instrument) -> Vec<String> {
    let classification = &catalogue.classification;
    let mut pages = vec![
        format!("types/{}/", instrument.kind.value),
        format!("bodies/{}/", instrument.body.value),
        format!("statuses/{}/", instrument.status.value),
    ];
    if let Some(kind) = classification.instrument_type(&instrument.kind.value) {
        pages.push(format!("categories/{}/", kind.category.value));
    }
    for subject in &instrument.subjects {
        pages.push(format!("subjects/{}/", subject.value));
        let parent = classification.subject(&subject.value).and_then(|s| s.parent.as_ref());
        pages.extend(parent.map(|p| format!("subjects/{}/", p.value)));
    }
    if let Some(adopted) = &instrument.adopted {
        pages.push(format!("years/{}s/", adopted.value.year.div_euclid(10) * 10));
    }
    pages
}

/// What the point-in-time page of a year says of an instrument: that it is
/// in force at the year's end, or an event of its history.
type Standing = (i32, String);

/// What the point-in-time pages say of the entry at `index`: the years it
/// is in force at the end of, and each dated event. Two states differ on a
/// year's page exactly where these differ, even when both mention the year.
fn standing(catalogue: &Catalogue, index: usize) -> BTreeSet<Standing> {
    let Some((first, last)) = chronology::year_range(catalogue) else { return BTreeSet::new() };
    let in_force = (first..=last)
        .filter(|&year| chronology::in_force_on(catalogue, index, &chronology::year_end(year)))
        .map(|year| (year, "in force".to_owned()));
    let history = chronology::history(catalogue, index).into_iter();
    in_force.chain(history.map(|event| (event.date.year, format!("{event:?}")))).collect()
}

/// Write `bytes` to `path` unless it holds them already: into a temporary
/// file in the same folder, then renamed over the old file.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let folder = path.parent().expect("a page's path has a folder");
    std::fs::create_dir_all(folder).map_err(Error::io("create", folder))?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(Error::io("write", folder))?;
    file.write_all(bytes).map_err(Error::io("write", path))?;
    file.persist(path).map_err(|err| Error::Io {
        action: "write",
        path: path.into(),
        source: err.error,
    })?;
    Ok(())
}

fn time<T>(outcome: &mut Outcome, stage: &'static str, work: impl FnOnce() -> T) -> T {
    let (value, elapsed) = timed(work);
    tracing::debug!(stage, elapsed_ms = elapsed.as_secs_f64() * 1000.0, "stage done");
    outcome.timings.push(Timing { stage, elapsed });
    value
}

fn timed<T>(work: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let start = Instant::now();
    let value = work();
    (value, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    /// A copy of the catalogue in `content/`, edited file by file.
    struct Copy {
        _temp: tempfile::TempDir,
        root: PathBuf,
    }

    impl Copy {
        fn of_the_real_catalogue() -> Self {
            let temp = tempfile::tempdir().unwrap();
            let root = temp.path().to_path_buf();
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
            for entry in walkdir::WalkDir::new(&source) {
                let entry = entry.unwrap();
                let to = root.join("content").join(entry.path().strip_prefix(&source).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(entry.path(), &to).unwrap();
                }
            }
            Self { _temp: temp, root }
        }

        fn edit(&self, file: &str, from: &str, to: &str) -> PathBuf {
            let relative = instrument_file(&self.root, file);
            let path = self.root.join(&relative);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{file} has no `{from}`");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            relative
        }

        fn load(&self) -> Catalogue {
            let mut diagnostics = Diagnostics::new();
            let content = content::load(&self.root, &mut diagnostics).unwrap().unwrap();
            assert!(diagnostics.is_empty(), "{:?}", diagnostics.into_sorted());
            Catalogue::assemble(content)
        }
    }

    /// The path of `file.md` (`id` or `id.language`) under the instruments.
    fn instrument_file(root: &Path, file: &str) -> PathBuf {
        let name = format!("{file}.md");
        walkdir::WalkDir::new(root.join(INSTRUMENTS))
            .into_iter()
            .map(|entry| entry.unwrap().into_path())
            .find(|path| path.file_name().is_some_and(|n| n == name.as_str()))
            .unwrap_or_else(|| panic!("no file {name}"))
            .strip_prefix(root)
            .unwrap()
            .to_path_buf()
    }

    /// What a reader sees of a diagnostic.
    fn seen(diagnostics: Vec<Diagnostic>) -> Vec<String> {
        diagnostics
            .into_iter()
            .map(|d| {
                let related: Vec<String> = d
                    .related
                    .iter()
                    .map(|r| format!("{}:{} {}", r.file.path.display(), r.span.start, r.message))
                    .collect();
                format!(
                    "{}:{} {:?} {} {} {:?} {:?} {related:?}",
                    d.file.path.display(),
                    d.span.start,
                    d.severity,
                    d.rule,
                    d.message,
                    d.label,
                    d.hint
                )
            })
            .collect()
    }

    /// One edit: the file (an id, or an id and a language), the text
    /// replaced, and what the diagnostics of the whole catalogue then hold
    /// and do not hold.
    struct Step {
        file: &'static str,
        from: &'static str,
        to: &'static str,
        shows: &'static str,
        gone: &'static str,
    }

    const fn step(file: &'static str, from: &'static str, to: &'static str) -> Step {
        Step { file, from, to, shows: "", gone: "" }
    }

    /// Every file under `dir` but the search index, by relative path.
    fn site_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| entry.path().strip_prefix(dir).unwrap().to_path_buf())
            .filter(|relative| !relative.starts_with("search"))
            .map(|relative| (relative.clone(), std::fs::read(dir.join(&relative)).unwrap()))
            .collect()
    }

    #[test]
    fn rebuilding_edits_writes_what_a_full_build_writes() {
        let copy = Copy::of_the_real_catalogue();
        let settings = |out: &str| Settings {
            root: copy.root.clone(),
            out: copy.root.join(out),
            base_url: None,
            deny_warnings: false,
        };
        let live = settings("public");
        let (_, built) = crate::pipeline::build_and_keep(&live, &crate::progress::Silent).unwrap();
        let mut kept = LastBuild::new(built.expect("the real catalogue builds"));
        let edits = [
            // A title shows on its page, its neighbours', lists and data.
            ("istanbul-convention-1990", "on Temporary Admission", "on Zebracorns"),
            // A status moves it between lists and point-in-time pages.
            ("istanbul-convention-1990", "status: in-force", "status: terminated"),
            // A date moves it to another year and decade.
            ("istanbul-convention-1990", "adopted: 1990-06-26", "adopted: 1989-06-26"),
            // A relation taken out changes both sides and the successors'.
            ("istanbul-convention-1990", "packings-convention-1960, ", ""),
            // A link added shows on the page linked to.
            (
                "packings-convention-1960",
                "(professional-equipment-convention-1961).",
                "(professional-equipment-convention-1961) and the [ATA Convention](ata-convention-1961).",
            ),
            // A translation's title shows on the pages in its language.
            ("ata-convention-1961.ru", "short_title: \"Конвенция А.Т.А.\"", "short_title: \"АТА\""),
        ];
        for (file, from, to) in edits {
            let edited = copy.root.join(copy.edit(file, from, to));
            let attempt = kept.rebuild(&[edited], &live).unwrap();
            assert!(matches!(attempt, Attempt::Done(_)), "{file}: `{from}` to `{to}`");
            kept.write_lists(&live).unwrap();

            let fresh = settings("fresh");
            crate::pipeline::build_and_keep(&fresh, &crate::progress::Silent).unwrap();
            let (rebuilt, full) = (site_files(&live.out), site_files(&fresh.out));
            assert_eq!(
                rebuilt.keys().collect::<Vec<_>>(),
                full.keys().collect::<Vec<_>>(),
                "after `{from}` to `{to}`"
            );
            let differing: Vec<_> = rebuilt
                .iter()
                .filter(|(path, bytes)| full[*path] != **bytes)
                .map(|p| p.0)
                .collect();
            assert!(differing.is_empty(), "after `{from}` to `{to}`: {differing:?}");
        }
    }

    #[test]
    fn checking_what_an_edit_touches_finds_what_checking_everything_finds() {
        const CONFLICT: &str =
            "`istanbul-convention-1990` (in effect since 27 November 1993) supersedes it";
        const ANCHOR: &str = "`exhibitions-convention-1961` has no heading with the id `purpose`";
        const TWICE: &str = "is declared twice";
        let steps = [
            // A new title changes no diagnostic; nor do links taken out, which
            // leave the Istanbul Convention and the 1961 one related only.
            step("istanbul-convention-1990", "on Temporary Admission", "on Zebracorns"),
            step("istanbul-convention-1990", "(exhibitions-convention-1961)", ""),
            step("exhibitions-convention-1961", "(istanbul-convention-1990)", ""),
            // A predecessor in force while its successor is: an error on the
            // predecessor, which comes and goes with edits of the successor.
            Step {
                shows: CONFLICT,
                ..step("exhibitions-convention-1961", "status: superseded", "status: in-force")
            },
            Step {
                gone: CONFLICT,
                ..step("istanbul-convention-1990", "status: in-force", "status: terminated")
            },
            Step {
                shows: CONFLICT,
                ..step("istanbul-convention-1990", "status: terminated", "status: in-force")
            },
            // A link into a section of an instrument it is not related to,
            // then that section renamed: the error is on the file not edited.
            step(
                "packings-convention-1960",
                "(exhibitions-convention-1961)",
                "(exhibitions-convention-1961#purpose)",
            ),
            Step { shows: ANCHOR, ..step("exhibitions-convention-1961", "## Purpose", "## Aim") },
            Step { gone: ANCHOR, ..step("exhibitions-convention-1961", "## Aim", "## Purpose") },
            // Relations: to no instrument, declared on both sides, removed.
            Step {
                shows: "no instrument has the id `no-such-convention`",
                ..step(
                    "istanbul-convention-1990",
                    "complements: [ata-convention-1961]",
                    "complements: [ata-convention-1961, no-such-convention]",
                )
            },
            Step {
                shows: TWICE,
                gone: CONFLICT,
                ..step(
                    "exhibitions-convention-1961",
                    "status: in-force",
                    "status: superseded\nrelations:\n  superseded-by: [istanbul-convention-1990]",
                )
            },
            Step {
                gone: TWICE,
                ..step(
                    "istanbul-convention-1990",
                    "supersedes: [exhibitions-convention-1961, ",
                    "supersedes: [",
                )
            },
            // A translation that contradicts its original.
            Step {
                shows: "`place` is `Paris` here but `Brussels`",
                ..step("exhibitions-convention-1961.ru", "\n---\n", "\nplace: \"Paris\"\n---\n")
            },
        ];

        let copy = Copy::of_the_real_catalogue();
        let mut catalogue = copy.load();
        let mut checked = EntryDiagnostics::of(&catalogue);
        for (number, step) in steps.iter().enumerate() {
            let path = copy.edit(step.file, step.from, step.to);
            let id = step.file.split('.').next().unwrap();
            let mut diagnostics = Diagnostics::new();
            let instrument =
                content::load_instrument(&copy.root, &path, &catalogue.config, &mut diagnostics)
                    .unwrap();
            let changed = [catalogue.index_of(id).unwrap()];
            let edit = apply(
                &mut catalogue,
                &checked,
                vec![instrument],
                &changed,
                &mut Outcome::default(),
            )
            .unwrap();
            let incremental = seen(edit.checked.into_sorted());
            checked.keep(edit.rechecked);

            let mut everything = Diagnostics::new();
            crate::validate::validate(&copy.load(), &mut everything);
            let everything = seen(everything.into_sorted());
            assert_eq!(incremental, everything, "step {number}: {}", step.file);
            let holds = |text: &str| everything.iter().any(|d| d.contains(text));
            assert!(step.shows.is_empty() || holds(step.shows), "step {number}: {everything:#?}");
            assert!(step.gone.is_empty() || !holds(step.gone), "step {number}: {everything:#?}");
        }
    }
}
