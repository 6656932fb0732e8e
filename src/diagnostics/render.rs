//! Printing diagnostics: the rustc-like report for people, one line each for
//! editors, JSON for tools, and workflow annotations for CI logs.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Diagnostic, Severity};

/// How `folio check` and `folio build` print diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The source line with a caret, the message and a hint.
    #[default]
    Human,
    /// `path:line:col: severity[rule]: message`, one line each.
    Short,
    /// One JSON object per line.
    Json,
    /// Workflow commands that CI turns into annotations.
    Github,
}

/// Render sorted diagnostics in `format`; `color` only affects `Human`.
pub fn render(diagnostics: &[Diagnostic], format: Format, color: bool) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        match format {
            Format::Human => {
                out.push_str(&human(diagnostic, color));
                out.push_str("\n\n");
            }
            Format::Short => writeln!(out, "{}", short(diagnostic)).unwrap(),
            Format::Json => writeln!(out, "{}", json(diagnostic)).unwrap(),
            Format::Github => writeln!(out, "{}", github(diagnostic)).unwrap(),
        }
    }
    out
}

fn human(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.file.path.display().to_string();
    let primary = AnnotationKind::Primary.span(d.span.start..d.span.end).label(d.label.as_deref());
    let mut group = level
        .primary_title(d.message.as_str())
        .id(d.rule)
        .element(Snippet::source(d.file.text.as_str()).path(path).annotation(primary));

    let related_paths: Vec<String> =
        d.related.iter().map(|r| r.file.path.display().to_string()).collect();
    for (related, path) in d.related.iter().zip(&related_paths) {
        let annotation = AnnotationKind::Context
            .span(related.span.start..related.span.end)
            .label(Some(related.message.as_str()));
        group = group.element(
            Snippet::source(related.file.text.as_str()).path(path.as_str()).annotation(annotation),
        );
    }
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }

    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let report: [Group<'_>; 1] = [group];
    renderer.render(&report)
}

fn short(d: &Diagnostic) -> String {
    let (line, column) = d.line_column();
    let mut text = format!(
        "{}:{line}:{column}: {}[{}]: {}",
        d.file.path.display(),
        d.severity.as_str(),
        d.rule,
        d.message
    );
    if let Some(hint) = &d.hint {
        write!(text, " ({hint})").unwrap();
    }
    text
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    rule: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

fn json(d: &Diagnostic) -> String {
    let (line, column) = d.file.line_column(d.span.start);
    let (end_line, end_column) = d.file.line_column(d.span.end);
    let value = JsonDiagnostic {
        severity: d.severity,
        rule: d.rule,
        file: d.file.path.display().to_string(),
        line,
        column,
        end_line,
        end_column,
        byte_start: d.span.start,
        byte_end: d.span.end,
        message: &d.message,
        hint: d.hint.as_deref(),
    };
    serde_json::to_string(&value).expect("a diagnostic always serialises")
}

/// Workflow commands need `%`, `\r`, `\n` (and in properties `:` and `,`) encoded.
fn github(d: &Diagnostic) -> String {
    fn data(text: &str) -> String {
        text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
    }
    fn property(text: &str) -> String {
        data(text).replace(':', "%3A").replace(',', "%2C")
    }
    let (line, column) = d.line_column();
    let (end_line, end_column) = d.file.line_column(d.span.end);
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        write!(message, "\n{hint}").unwrap();
    }
    format!(
        "::{kind} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
        property(&d.file.path.display().to_string()),
        property(d.rule),
        data(&message)
    )
}
