//! Typesetting the edition's Typst source into a PDF, in memory: a Typst
//! `World` with one source file, the fonts compiled into the binary
//! (Libertinus Serif, New Computer Modern, DejaVu Sans Mono; all cover
//! Cyrillic), no packages, no files and a fixed date. Nothing is read from
//! the machine, so the same source gives the same bytes anywhere.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// A typeset edition.
#[derive(Debug)]
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
    /// Typst's warnings, as text.
    pub warnings: Vec<String>,
}

/// The embedded fonts, loaded once per process.
fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store
    })
}

/// The standard library, built once per process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// The world of one edition: its source and its date.
struct EditionWorld {
    main: Source,
    today: Option<Datetime>,
}

impl World for EditionWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }

    /// The edition's date whatever the offset: the document must not
    /// depend on where or when it is typeset.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Typeset `source` dated `date` (year, month, day) into a PDF. On failure,
/// the error holds Typst's messages with the line of the source they concern.
pub fn typeset(source: String, date: (i32, u8, u8)) -> Result<Pdf, String> {
    let path = VirtualPath::new("edition.typ").map_err(|err| format!("{err:?}"))?;
    let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
    let today = Datetime::from_ymd(date.0, date.1, date.2);
    let world = EditionWorld { main: Source::new(id, source), today };

    let compiled = typst::compile::<PagedDocument>(&world);
    let warnings = compiled.warnings.iter().map(|d| describe(&world, d)).collect();
    let document = compiled.output.map_err(|errors| {
        errors.iter().map(|d| describe(&world, d)).collect::<Vec<_>>().join("\n")
    })?;

    let options = PdfOptions {
        ident: Smart::Custom("folio-edition".to_owned()),
        timestamp: today.map(Timestamp::new_utc),
        // Tagged PDF: reading order, headings and tables for assistive technology.
        tagged: true,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| {
        errors.iter().map(|d| describe(&world, d)).collect::<Vec<_>>().join("\n")
    })?;
    Ok(Pdf { bytes, pages: document.pages().len(), warnings })
}

/// A diagnostic as one line: severity, source line and message.
fn describe(world: &EditionWorld, diagnostic: &SourceDiagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let line = typst::WorldExt::range(world, diagnostic.span)
        .and_then(|range| world.main.lines().byte_to_line(range.start))
        .map_or_else(String::new, |line| format!(" at line {}", line + 1));
    let hints: String = diagnostic.hints.iter().map(|h| format!("; hint: {}", h.v)).collect();
    format!("{severity}{line}: {}{hints}", diagnostic.message)
}
