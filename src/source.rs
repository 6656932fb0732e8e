//! Source files as folio reads them: normalised text, a display path and the
//! byte-offset to line/column map that every diagnostic goes through.

use std::fmt;
use std::path::{Path, PathBuf};

/// A byte range in a [`SourceFile`]'s normalised text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The same span moved `offset` bytes further into the file.
    #[must_use]
    pub const fn shifted(self, offset: usize) -> Self {
        Self::new(self.start + offset, self.end + offset)
    }
}

/// A value with the span it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it stands in its file.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pair a value with its span.
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// One file of the site, its text normalised the way every later stage sees it:
/// no leading byte order mark, and `\n` as the only line ending.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown to users, relative to the site root where possible.
    pub path: PathBuf,
    /// The normalised text.
    pub text: String,
    line_starts: Vec<usize>,
}

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused.
    Io(std::io::Error),
    /// The bytes are not UTF-8: where the first bad byte is, and the text
    /// with replacement characters, for showing the line.
    NotUtf8 { line: usize, column: usize, lossy: String },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(err) => write!(f, "{err}"),
            Self::NotUtf8 { line, column, .. } => {
                write!(f, "the file is not valid UTF-8 (first bad byte at {line}:{column})")
            }
        }
    }
}

impl SourceFile {
    /// Wrap text that is already in memory, normalising it.
    pub fn new(path: impl Into<PathBuf>, text: &str) -> Self {
        let text = normalise(text);
        let line_starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
        Self { path: path.into(), text, line_starts }
    }

    /// Read a file from disk; `shown_as` is the path that diagnostics print.
    pub fn read(disk_path: &Path, shown_as: PathBuf) -> Result<Self, ReadError> {
        let bytes = std::fs::read(disk_path).map_err(ReadError::Io)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(shown_as, &text)),
            Err(err) => {
                let bytes = err.as_bytes();
                let good = err.utf8_error().valid_up_to();
                let line = 1 + bytes[..good].iter().filter(|&&b| b == b'\n').count();
                let line_start =
                    bytes[..good].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                let column = 1 + String::from_utf8_lossy(&bytes[line_start..good]).chars().count();
                let lossy = String::from_utf8_lossy(bytes).into_owned();
                Err(ReadError::NotUtf8 { line, column, lossy })
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..floor_char_boundary(&self.text, offset)].chars().count();
        (line + 1, column + 1)
    }

    /// The byte offset where a 1-based line starts, clamped to the text.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len())
    }
}

/// Strip one leading byte order mark and turn `\r\n` and lone `\r` into `\n`.
fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let file = SourceFile::new("a.md", "\u{feff}---\r\ntitle: x\r\n---\rbody");
        assert_eq!(file.text, "---\ntitle: x\n---\nbody");
    }

    #[test]
    fn columns_count_characters() {
        let file = SourceFile::new("a.md", "ab\nжжx\n");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(3), (2, 1));
        assert_eq!(file.line_column(7), (2, 3));
    }
}
