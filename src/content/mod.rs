//! Loading a site's `content/` folder: `site.yaml`, `classification.yaml`,
//! every instrument and its translations, and the free pages. Files are found
//! in a deterministic order and read in parallel; every problem becomes a
//! diagnostic and loading goes on with the next file.

pub mod date;
pub mod front_matter;
pub mod instrument;
pub mod page;
pub mod parties;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use instrument::Instrument;
pub use page::Page;

use crate::classification::Classification;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::rules;
use crate::source::{ReadError, SourceFile, Span};
use front_matter::SplitError;

/// Everything `content/` holds, read but not yet checked across files.
#[derive(Debug)]
pub struct Content {
    /// The site settings.
    pub config: Config,
    /// The vocabularies.
    pub classification: Classification,
    /// Instruments in the default language, in path order.
    pub instruments: Vec<Instrument>,
    /// Translations, in path order.
    pub translations: Vec<Instrument>,
    /// Free pages, in path order.
    pub pages: Vec<Page>,
}

/// Read the content of the site at `root`. Returns `Ok(None)` when the
/// settings or the classification are unusable (the diagnostics say why).
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Result<Option<Content>> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Error::MissingInput {
            path: content_dir,
            what: "the folder with site.yaml, classification.yaml and instruments/",
        });
    }
    let site = read_required(root, "content/site.yaml", "the site settings", diagnostics)?;
    let classification_file =
        read_required(root, "content/classification.yaml", "the classification", diagnostics)?;
    let (Some(site), Some(classification_file)) = (site, classification_file) else {
        return Ok(None);
    };
    let config = Config::load(&site, diagnostics);
    let classification = Classification::load(&classification_file, diagnostics);
    let (Some(config), Some(classification)) = (config, classification) else {
        return Ok(None);
    };

    let instrument_paths = discover(root, "content/instruments", diagnostics);
    let page_paths = discover(root, "content/pages", diagnostics);
    let loaded: Vec<(Option<Instrument>, Diagnostics)> = instrument_paths
        .par_iter()
        .map(|path| {
            let mut found = Diagnostics::new();
            let instrument = load_instrument(root, path, &config, &mut found);
            (instrument, found)
        })
        .collect();
    let mut instruments = Vec::new();
    let mut translations = Vec::new();
    for (instrument, found) in loaded {
        diagnostics.extend(found.into_sorted());
        match instrument {
            Some(i) if i.language == config.default_language() => instruments.push(i),
            Some(i) => translations.push(i),
            None => {}
        }
    }

    let mut pages = Vec::new();
    for path in &page_paths {
        if let Some(file) = read_file(root, path, diagnostics)
            && let Some(split) = split_front_matter(&file, diagnostics)
            && let (file, split) = clean_body(file, split, diagnostics)
            && let Some(page) = page::read(&file, split, &config, diagnostics)
        {
            pages.push(page);
        }
    }
    Ok(Some(Content { config, classification, instruments, translations, pages }))
}

/// A file the site cannot do without. Bytes that are not UTF-8 are the
/// author's to fix, so they are a diagnostic (`Ok(None)`); a file that
/// cannot be read at all is an I/O error.
fn read_required(
    root: &Path,
    relative: &str,
    what: &'static str,
    diagnostics: &mut Diagnostics,
) -> Result<Option<Arc<SourceFile>>> {
    let path = root.join(relative);
    if !path.is_file() {
        return Err(Error::MissingInput { path, what });
    }
    match SourceFile::read(&path, PathBuf::from(relative)) {
        Ok(file) => Ok(Some(Arc::new(file))),
        Err(err @ ReadError::NotUtf8 { .. }) => {
            diagnostics.push(unreadable(Path::new(relative), &err));
            Ok(None)
        }
        Err(ReadError::Io(source)) => Err(Error::Io { action: "read", path, source }),
    }
}

/// Every `.md` file below `root/relative`, sorted by path, skipping hidden
/// files and editors' backup and swap files. A folder that does not exist
/// holds no files.
fn discover(root: &Path, relative: &str, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join(relative);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name();
    for entry in walker.into_iter().filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_markdown(entry.file_name()) => {
                paths.push(entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let file = Arc::new(SourceFile::new(shown, ""));
                let (message, hint) = if err.loop_ancestor().is_some() {
                    let message = "a symbolic link leads back into a folder that contains it";
                    (message.to_owned(), "remove the link or point it outside the content folder")
                } else {
                    (
                        format!("cannot read this path: {err}"),
                        "check the path's permissions and links",
                    )
                };
                diagnostics.push(
                    Diagnostic::error(rules::UNREADABLE_FILE, &file, Span::default(), message)
                        .with_hint(hint),
                );
            }
        }
    }
    paths
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with(['.', '#'])
}

fn is_markdown(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.ends_with(".md") && !name.starts_with(['.', '#'])
}

fn read_file(
    root: &Path,
    relative: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<Arc<SourceFile>> {
    match SourceFile::read(&root.join(relative), relative.to_path_buf()) {
        Ok(file) => Some(Arc::new(file)),
        Err(err) => {
            diagnostics.push(unreadable(relative, &err));
            None
        }
    }
}

/// The diagnostic of a file that cannot be read, at its first bad byte when
/// it is not UTF-8.
fn unreadable(relative: &Path, err: &ReadError) -> Diagnostic {
    let (file, span, hint) = match err {
        ReadError::NotUtf8 { line, column, lossy } => {
            let file = SourceFile::new(relative, lossy);
            let start = file.line_start(*line);
            let offset: usize =
                file.text[start..].chars().take(column - 1).map(char::len_utf8).sum();
            (file, Span::new(start + offset, start + offset), "save the file as UTF-8")
        }
        ReadError::Io(_) => {
            (SourceFile::new(relative, ""), Span::default(), "check that the file can be read")
        }
    };
    let message = format!("cannot read the file: {err}");
    Diagnostic::error(rules::UNREADABLE_FILE, &Arc::new(file), span, message).with_hint(hint)
}

fn split_front_matter(
    file: &Arc<SourceFile>,
    diagnostics: &mut Diagnostics,
) -> Option<front_matter::Split> {
    match front_matter::split(&file.text) {
        Ok(split) => Some(split),
        Err(SplitError::Empty) => {
            diagnostics.push(
                Diagnostic::error(rules::EMPTY_FILE, file, Span::default(), "the file is empty")
                    .with_hint("start it with front matter between `---` lines, or delete it"),
            );
            None
        }
        Err(SplitError::Missing) => {
            let first_line = Span::new(0, file.text.find('\n').unwrap_or(file.text.len()));
            diagnostics.push(
                Diagnostic::error(
                    rules::MISSING_FRONT_MATTER,
                    file,
                    first_line,
                    "the file does not start with front matter",
                )
                .with_label("expected `---` here")
                .with_hint(
                    "begin the file with a `---` line, the YAML fields, and another `---` line",
                ),
            );
            None
        }
        Err(SplitError::Unclosed { opening, near_miss }) => {
            let mut diagnostic = Diagnostic::error(
                rules::UNCLOSED_FRONT_MATTER,
                file,
                opening,
                "front matter not closed",
            )
            .with_label("opened here")
            .with_hint("end the front matter with a line that is exactly `---`");
            if let Some(line) = near_miss {
                diagnostic = diagnostic.with_related(file, line, "this line is not exactly `---`");
            }
            diagnostics.push(diagnostic);
            None
        }
    }
}

/// The file with every control character of its body (NUL, escape, form
/// feed...) replaced by U+FFFD, as CommonMark does with NUL: no page, feed or
/// data file may carry them. One warning points at the first. Lines and
/// columns stay where they were.
fn clean_body(
    file: Arc<SourceFile>,
    split: front_matter::Split,
    diagnostics: &mut Diagnostics,
) -> (Arc<SourceFile>, front_matter::Split) {
    let body = &file.text[split.body.start..split.body.end];
    let Some((at, c)) = body.char_indices().find(|&(_, c)| yaml::is_forbidden_control(c)) else {
        return (file, split);
    };
    let start = split.body.start + at;
    diagnostics.push(
        Diagnostic::warning(
            rules::CONTROL_CHARACTER,
            &file,
            Span::new(start, start + c.len_utf8()),
            format!("the control character U+{:04X} is replaced by U+FFFD", u32::from(c)),
        )
        .with_hint("delete it; an editor that shows invisible characters finds it"),
    );
    let clean: String =
        body.chars().map(|c| if yaml::is_forbidden_control(c) { '\u{fffd}' } else { c }).collect();
    let text = [&file.text[..split.body.start], &clean, &file.text[split.body.end..]].concat();
    let body = Span::new(split.body.start, split.body.start + clean.len());
    let file = Arc::new(SourceFile::new(file.path.clone(), &text));
    (file, front_matter::Split { body, ..split })
}

/// Read one instrument or translation file, `path` relative to `root`, with
/// its parties when it has them. `None` when the file could not be read (the
/// diagnostics say why).
pub fn load_instrument(
    root: &Path,
    path: &Path,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Instrument> {
    let file = read_file(root, path, diagnostics)?;
    let split = split_front_matter(&file, diagnostics)?;
    let (file, split) = clean_body(file, split, diagnostics);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let language = stem.rsplit_once('.').map(|(_, suffix)| suffix).filter(|suffix| {
        config.languages.iter().any(|l| l == suffix) && *suffix != config.default_language()
    });
    let translation = language.is_some();
    let language = language.unwrap_or(config.default_language());
    let mut instrument =
        instrument::read(&file, split.yaml, split.body, language, translation, diagnostics)?;
    if !translation {
        let parties_path = path.with_file_name(format!("{stem}.parties.csv"));
        if root.join(&parties_path).is_file()
            && let Some(parties_file) = read_file(root, &parties_path, diagnostics)
        {
            instrument.parties_table = parties::read(&parties_file, diagnostics);
        }
    }
    Some(instrument)
}
