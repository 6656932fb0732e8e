//! Diagnostics as values: what is wrong with the content, where, and how to fix
//! it. Stages push them into a [`Diagnostics`] list and keep going, so one run
//! reports every problem it can find. This module knows no rules; it only holds
//! and prints what the rules found.

mod render;
mod suggest;

pub use render::{Format, render};
pub use suggest::{did_you_mean, hint as suggestion};

use std::sync::Arc;

use serde::Serialize;

use crate::source::{SourceFile, Span};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported; fails the build only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// The lowercase word printed before the rule name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// A further place that explains the diagnostic ("first defined here").
#[derive(Clone, Debug)]
pub struct Related {
    /// The file of that place.
    pub file: Arc<SourceFile>,
    /// The place.
    pub span: Span,
    /// What it shows.
    pub message: String,
}

/// One problem in the content.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable, kebab-case name of the rule that found it.
    pub rule: &'static str,
    /// The file the problem is in.
    pub file: Arc<SourceFile>,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, starting lowercase, without a final period.
    pub message: String,
    /// A short text under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// Other places that explain it.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// An error found by `rule` at `span` of `file`.
    pub fn error(
        rule: &'static str,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, rule, file, span, message.into())
    }

    /// A warning found by `rule` at `span` of `file`.
    pub fn warning(
        rule: &'static str,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, rule, file, span, message.into())
    }

    fn new(
        severity: Severity,
        rule: &'static str,
        file: &Arc<SourceFile>,
        span: Span,
        message: String,
    ) -> Self {
        Self {
            severity,
            rule,
            file: Arc::clone(file),
            span,
            message,
            label: None,
            hint: None,
            related: Vec::new(),
        }
    }

    /// Add a short text under the caret.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Add advice on how to fix it.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Add advice only when there is some.
    #[must_use]
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Point at another place that explains this one.
    #[must_use]
    pub fn with_related(
        mut self,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related { file: Arc::clone(file), span, message: message.into() });
        self
    }

    /// 1-based line and column of the start.
    pub fn line_column(&self) -> (usize, usize) {
        self.file.line_column(self.span.start)
    }
}

/// The diagnostics of one run, in the order they were found until sorted.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Record many.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Whether any error-level diagnostic was found.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many diagnostics of one severity there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file, position and rule, so output never
    /// depends on thread scheduling.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file.path, a.span.start, a.rule, &a.message).cmp(&(
                &b.file.path,
                b.span.start,
                b.rule,
                &b.message,
            ))
        });
        self.items.dedup_by(|a, b| {
            a.file.path == b.file.path
                && a.span == b.span
                && a.rule == b.rule
                && a.message == b.message
        });
        self.items
    }

    /// The diagnostics as found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}
