//! Failures that stop a run before or outside the content's own problems:
//! a missing site folder, an unwritable output, a broken template.
//! Content problems are never errors of this kind; they are diagnostics.

use std::path::PathBuf;

/// A failure that ends the run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site folder has no `content/` or misses a required file.
    #[error("{path} not found: {what}")]
    MissingInput {
        /// The path looked for.
        path: PathBuf,
        /// What it should be.
        what: &'static str,
    },
    /// Reading or writing a file failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What folio tried to do.
        action: &'static str,
        /// The path it tried it on.
        path: PathBuf,
        /// The operating system's answer.
        source: std::io::Error,
    },
    /// A template failed to compile or render.
    #[error("template error: {0}")]
    Template(String),
    /// The search index could not be built or opened.
    #[error("search index: {0}")]
    Search(String),
    /// A command was given arguments that cannot work together.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// Wrap an I/O error with what was being done and to which path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { action, path, source }
    }

    /// The process exit code for this failure.
    pub const fn exit_code(&self) -> u8 {
        match self {
            Self::MissingInput { .. } | Self::Usage(_) => 2,
            Self::Io { .. } | Self::Template(_) | Self::Search(_) => 3,
        }
    }
}

/// The result of an operation that may fail outright.
pub type Result<T, E = Error> = std::result::Result<T, E>;
