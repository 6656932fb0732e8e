//! `site.yaml`: the site's title, address, languages, currency date and
//! edition metadata.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::content::date::PartialDate;
use crate::content::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::source::{SourceFile, Spanned};

/// Edition metadata for the publisher's edition and the imprint.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// The edition's title, when it differs from the site's.
    #[serde(default)]
    pub title: Option<String>,
    /// The edition number.
    #[serde(default)]
    pub number: Option<u32>,
    /// The edition's date.
    #[serde(default)]
    pub date: Option<String>,
    /// The publisher.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The ISBN, if any.
    #[serde(default)]
    pub isbn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: Option<String>,
    base_url: Spanned<String>,
    #[serde(default)]
    languages: Vec<Spanned<String>>,
    #[serde(default)]
    current_to: Option<Spanned<String>>,
    #[serde(default)]
    edition: Edition,
    #[serde(default)]
    allow_raw_html: bool,
    #[serde(default)]
    translations: BTreeMap<String, SiteText>,
}

/// The site's title and description in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteText {
    /// The title.
    pub title: String,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
}

/// The site settings, checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's title.
    pub title: String,
    /// A sentence describing the site.
    pub description: Option<String>,
    /// The absolute address the site is published at, ending in `/`.
    pub base_url: String,
    /// Language codes; the first is the default language.
    pub languages: Vec<String>,
    /// The date the catalogue is current to.
    pub current_to: Option<PartialDate>,
    /// Edition metadata.
    pub edition: Edition,
    /// Whether raw HTML in Markdown passes unsanitised.
    pub allow_raw_html: bool,
    /// Title and description in other languages.
    pub translations: BTreeMap<String, SiteText>,
}

impl Config {
    /// Read and check `site.yaml`.
    pub fn load(file: &Arc<SourceFile>, diagnostics: &mut Diagnostics) -> Option<Self> {
        let raw: RawConfig = match yaml::parse(&file.text) {
            Ok(raw) => raw,
            Err(err) => {
                diagnostics.push(err.into_diagnostic(file));
                return None;
            }
        };
        let mut ok = true;
        let mut error = |span, message: String, hint: &str| {
            ok = false;
            diagnostics.push(
                Diagnostic::error(rules::INVALID_SITE_CONFIG, file, span, message).with_hint(hint),
            );
        };

        let base = &raw.base_url.value;
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            error(
                raw.base_url.span,
                format!("`base_url` is `{base}`, not an absolute http(s) address"),
                "write it as `https://example.org/`",
            );
        }
        for language in &raw.languages {
            let code = &language.value;
            if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
                error(
                    language.span,
                    format!("`{code}` is not a two-letter language code"),
                    "use ISO 639-1 codes such as `en` or `ru`",
                );
            }
        }
        let current_to =
            raw.current_to.as_ref().and_then(|date| match PartialDate::parse(&date.value) {
                Ok(parsed) => Some(parsed),
                Err(err) => {
                    error(
                        date.span,
                        format!("`current_to` is not a date: {err}"),
                        "write the date as `YYYY-MM-DD`",
                    );
                    None
                }
            });
        if !ok {
            return None;
        }

        let mut languages: Vec<String> = raw.languages.into_iter().map(|l| l.value).collect();
        if languages.is_empty() {
            languages.push("en".to_owned());
        }
        Some(Self {
            title: raw.title,
            description: raw.description,
            base_url: with_trailing_slash(base),
            languages,
            current_to,
            edition: raw.edition,
            allow_raw_html: raw.allow_raw_html,
            translations: raw.translations,
        })
    }

    /// The default language.
    pub fn default_language(&self) -> &str {
        &self.languages[0]
    }

    /// The title in `language`.
    pub fn title_in(&self, language: &str) -> &str {
        self.translations.get(language).map_or(&self.title, |t| &t.title)
    }

    /// The description in `language`.
    pub fn description_in(&self, language: &str) -> Option<&str> {
        self.translations
            .get(language)
            .and_then(|t| t.description.as_deref())
            .or(self.description.as_deref())
    }

    /// Replace the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = with_trailing_slash(url);
    }
}

/// The base URL with a trailing slash, in ASCII as sitemaps and feeds need
/// it: an international host in punycode, the path percent-encoded once.
fn with_trailing_slash(url: &str) -> String {
    let url = if url.ends_with('/') { url.to_owned() } else { format!("{url}/") };
    url::Url::parse(&url).map_or(url, String::from)
}
