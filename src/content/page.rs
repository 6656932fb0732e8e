//! Free pages (`content/pages/**.md`): about, methodology, how to cite.

use std::sync::Arc;

use serde::Deserialize;

use super::front_matter::Split;
use super::yaml;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::source::{SourceFile, Span};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    #[serde(default)]
    order: Option<i32>,
    #[serde(default)]
    generated: Option<String>,
}

/// Tables a page may ask the generator to append after its text.
pub const GENERATED: &[&str] = &["classification-table"];

/// A free page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its file.
    pub file: Arc<SourceFile>,
    /// The name its URL and links use: the file name without `.md`.
    pub id: String,
    /// The language of the file.
    pub language: String,
    /// The title.
    pub title: String,
    /// Position in the site's navigation.
    pub order: i32,
    /// A generated table to append, one of [`GENERATED`].
    pub generated: Option<String>,
    /// Where the Markdown body stands in the file.
    pub body_span: Span,
}

impl Page {
    /// The Markdown body.
    pub fn markdown(&self) -> &str {
        &self.file.text[self.body_span.start..self.body_span.end]
    }
}

/// Read a page's front matter.
pub fn read(
    file: &Arc<SourceFile>,
    split: Split,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Page> {
    let raw: RawPage = match yaml::parse(&file.text[split.yaml.start..split.yaml.end]) {
        Ok(raw) => raw,
        Err(err) => {
            diagnostics.push(err.into_diagnostic(file));
            return None;
        }
    };
    if let Some(generated) = &raw.generated
        && !GENERATED.contains(&generated.as_str())
    {
        diagnostics.push(
            Diagnostic::error(
                rules::WRONG_TYPE,
                file,
                Span::new(0, 3),
                format!("unknown generated table `{generated}`"),
            )
            .with_hint(format!("the generated tables are {}", GENERATED.join(", "))),
        );
    }
    let stem = file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (id, language) = match stem.rsplit_once('.') {
        Some((id, lang)) if config.languages.iter().any(|l| l == lang) => {
            (id.to_owned(), lang.to_owned())
        }
        _ => (stem, config.default_language().to_owned()),
    };
    Some(Page {
        file: Arc::clone(file),
        id,
        language,
        title: raw.title,
        order: raw.order.unwrap_or(i32::MAX),
        generated: raw.generated,
        body_span: split.body,
    })
}
