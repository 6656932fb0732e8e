//! The publisher's edition: the whole catalogue as one PDF and one
//! single-page HTML file per language, with a title page and imprint, the
//! free pages, a part per category, a chapter per type, numbered entries,
//! cross-references by number and page, and three annexes.
//!
//! [`plan`] numbers the catalogue once; [`html`] writes the HTML edition and
//! [`document`] the Typst source of the PDF ([`typst`] converts Markdown for
//! it). Only typesetting that source needs the typst crates, behind the
//! `edition` feature ([`world`]); without it, `folio edition` writes the HTML
//! and says the PDF needs the feature. [`changes`] compares the catalogue
//! with an earlier one for the chapter of changes (`--since`). [`export`]
//! holds the CSV export of the normal build.
//!
//! Reproducible: the date every edition carries comes from
//! `SOURCE_DATE_EPOCH`, else from the date the catalogue is current to, and
//! nothing else of the machine or the moment reaches the output.

pub mod changes;
pub mod document;
pub mod export;
pub mod html;
pub mod plan;
pub mod typst;
pub mod words;
#[cfg(feature = "edition")]
pub mod world;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pulldown_cmark::Options;

use crate::catalogue::Catalogue;
use crate::content::{self, date::PartialDate};
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use crate::validate;
use changes::Changes;
use plan::Plan;

/// The Markdown extensions of the site's renderer (`markdown.rs`), so that
/// the edition sees the same headings, tables and footnotes.
// TODO(edition): share `markdown::options` instead of repeating it #7
pub(crate) const MARKDOWN_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Whether this build can typeset the PDF (the `edition` feature).
pub const PDF_AVAILABLE: bool = cfg!(feature = "edition");

/// What to make and where.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site folder, holding `content/`.
    pub root: PathBuf,
    /// The folder the edition's files are written to (`public/edition/`).
    pub out: PathBuf,
    /// Only this language; `None` for the default language and every
    /// language with translated entries.
    pub language: Option<String>,
    /// `SOURCE_DATE_EPOCH`, if set: the edition's date.
    pub source_date_epoch: Option<String>,
    /// A git revision or an earlier `catalogue.json`: when set, the edition
    /// has a chapter of the changes since then.
    pub since: Option<String>,
}

impl Settings {
    /// Settings for a site folder, writing to `<out>/edition/`, reading
    /// `SOURCE_DATE_EPOCH` from the environment.
    pub fn new(root: &Path, site_out: &Path, language: Option<String>) -> Self {
        Self {
            root: root.to_owned(),
            out: site_out.join("edition"),
            language,
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            since: None,
        }
    }
}

/// The two formats of the edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The single-page HTML file.
    Html,
    /// The typeset PDF.
    Pdf,
}

/// One file written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its path.
    pub path: PathBuf,
    /// Its language.
    pub language: String,
    /// HTML or PDF.
    pub format: Format,
    /// Its size.
    pub bytes: usize,
    /// The PDF's pages.
    pub pages: Option<usize>,
    /// How long it took to make.
    pub elapsed: Duration,
}

/// What a run found and wrote.
#[derive(Debug, Default)]
pub struct Report {
    /// The content's diagnostics; nothing is written when they fail.
    pub outcome: Outcome,
    /// The files written, in order.
    pub written: Vec<Written>,
    /// Typst's warnings, if any.
    pub warnings: Vec<String>,
}

/// What the imprint states beyond `site.yaml`, and the title used.
#[derive(Debug, Clone)]
pub struct Imprint {
    /// The edition's title in its language.
    pub title: String,
    /// The edition's date from `site.yaml`, as read in its language.
    pub edition_date: Option<String>,
    /// The date of this printing (year, month, day).
    pub date: (i32, u8, u8),
    /// The catalogue's revision (a git commit), when known.
    pub revision: Option<String>,
}

impl Imprint {
    /// The imprint of `catalogue` in `language`.
    pub fn new(
        catalogue: &Catalogue,
        language: &str,
        date: (i32, u8, u8),
        revision: Option<String>,
    ) -> Self {
        let config = &catalogue.config;
        let translated =
            language != config.default_language() && config.translations.contains_key(language);
        let title = match &config.edition.title {
            Some(title) if !translated => title.clone(),
            _ => config.title_in(language).to_owned(),
        };
        let edition_date =
            config.edition.date.as_deref().map(|date| match PartialDate::parse(date) {
                Ok(parsed) => parsed.long_in(language),
                Err(_) => date.to_owned(),
            });
        Self { title, edition_date, date, revision }
    }

    /// The lines of the imprint page: (label, value).
    pub fn lines(&self, plan: &Plan<'_>) -> Vec<(String, String)> {
        let words = plan.words;
        let config = &plan.catalogue.config;
        let edition = &config.edition;
        let mut lines = vec![(words.title.to_owned(), self.title.clone())];
        if let Some(number) = edition.number {
            let date = self.edition_date.as_ref().map_or_else(String::new, |d| format!(", {d}"));
            lines.push((words.edition.to_owned(), format!("{number}{date}")));
        }
        if let Some(publisher) = &edition.publisher {
            lines.push((words.publisher.to_owned(), publisher.clone()));
        }
        if let Some(isbn) = &edition.isbn {
            lines.push((words.isbn.to_owned(), isbn.clone()));
        }
        if let Some(current_to) = &config.current_to {
            lines.push((words.current_to.to_owned(), current_to.long_in(&plan.language)));
        }
        if let Some(revision) = &self.revision {
            lines.push((words.revision.to_owned(), revision.clone()));
        }
        let (year, month, day) = self.date;
        let date = PartialDate { year, month: Some(month), day: Some(day) };
        lines.push((words.typeset.to_owned(), date.long_in(&plan.language)));
        lines
    }
}

/// Load and validate the site, then write the edition of each language:
/// the HTML always, the PDF when this build has the `edition` feature.
pub fn run(settings: &Settings) -> Result<Report> {
    let mut report = Report::default();
    let Some(catalogue) = load(&settings.root, &mut report.outcome)? else {
        return Ok(report);
    };
    if report.outcome.failed(false) {
        return Ok(report);
    }

    let languages = languages(&catalogue, settings.language.as_deref())?;
    let date = plan::edition_date(
        settings.source_date_epoch.as_deref(),
        catalogue.config.current_to.as_ref(),
    );
    let revision = revision(&settings.root);
    let changes = match &settings.since {
        Some(since) => Some(Changes::since(&settings.root, &catalogue, since)?),
        None => None,
    };
    std::fs::create_dir_all(&settings.out).map_err(Error::io("create", &settings.out))?;

    for language in &languages {
        let mut plan = Plan::new(&catalogue, language);
        plan.changes = changes.as_ref();
        let imprint = Imprint::new(&catalogue, language, date, revision.clone());
        let suffix = if language == catalogue.config.default_language() {
            String::new()
        } else {
            format!(".{language}")
        };

        let start = Instant::now();
        let html = html::render(&plan, &imprint);
        let path = settings.out.join(format!("catalogue{suffix}.html"));
        write_atomic(&path, html.as_bytes())?;
        report.written.push(Written {
            path,
            language: language.clone(),
            format: Format::Html,
            bytes: html.len(),
            pages: None,
            elapsed: start.elapsed(),
        });

        #[cfg(feature = "edition")]
        {
            let start = Instant::now();
            let pdf = pdf(&plan, &imprint)?;
            let path = settings.out.join(format!("catalogue{suffix}.pdf"));
            write_atomic(&path, &pdf.bytes)?;
            report.warnings.extend(pdf.warnings);
            report.written.push(Written {
                path,
                language: language.clone(),
                format: Format::Pdf,
                bytes: pdf.bytes.len(),
                pages: Some(pdf.pages),
                elapsed: start.elapsed(),
            });
        }
    }
    Ok(report)
}

/// Typeset the PDF edition of a plan.
#[cfg(feature = "edition")]
pub fn pdf(plan: &Plan<'_>, imprint: &Imprint) -> Result<world::Pdf> {
    let source = document::source(plan, imprint);
    world::typeset(source, imprint.date)
        .map_err(|message| Error::Template(format!("typesetting the edition failed:\n{message}")))
}

/// Load, assemble and validate, as `folio check` does.
fn load(root: &Path, outcome: &mut Outcome) -> Result<Option<Catalogue>> {
    let mut diagnostics = Diagnostics::new();
    let Some(content) = content::load(root, &mut diagnostics)? else {
        outcome.diagnostics = diagnostics.into_sorted();
        return Ok(None);
    };
    outcome.instruments = content.instruments.len();
    let catalogue = Catalogue::assemble(content);
    validate::validate(&catalogue, &mut diagnostics);
    outcome.diagnostics = diagnostics.into_sorted();
    Ok(Some(catalogue))
}

/// The languages to make: the one asked for, or the default language and
/// every language some entry is translated into.
fn languages(catalogue: &Catalogue, asked: Option<&str>) -> Result<Vec<String>> {
    let config = &catalogue.config;
    if let Some(language) = asked {
        if !config.languages.iter().any(|l| l == language) {
            return Err(Error::Usage(format!(
                "`{language}` is not a language of this site; site.yaml lists {}",
                config.languages.join(", ")
            )));
        }
        return Ok(vec![language.to_owned()]);
    }
    let translated =
        |language: &String| catalogue.entries.iter().any(|e| e.translations.contains_key(language));
    Ok(config
        .languages
        .iter()
        .enumerate()
        .filter(|&(n, language)| n == 0 || translated(language))
        .map(|(_, language)| language.clone())
        .collect())
}

/// The short commit of the site folder when it is a git checkout.
fn revision(root: &Path) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--short", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let commit = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !commit.is_empty()).then_some(commit)
}

/// Write a file whole or not at all: into a temporary file beside it, then
/// renamed over it.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;

    let folder = path.parent().unwrap_or(Path::new("."));
    let mut file =
        tempfile::NamedTempFile::new_in(folder).map_err(Error::io("create a file in", folder))?;
    file.write_all(bytes).map_err(Error::io("write", path))?;
    #[cfg(unix)]
    {
        // A temporary file is private to its owner; the edition is for readers.
        use std::os::unix::fs::PermissionsExt as _;
        let readable = std::fs::Permissions::from_mode(0o644);
        file.as_file().set_permissions(readable).map_err(Error::io("write", path))?;
    }
    file.persist(path).map_err(|err| Error::io("write", path)(err.error))?;
    Ok(())
}
