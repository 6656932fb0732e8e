//! How text becomes terms, identically when indexing and when querying.
//!
//! Every analyzer splits on anything that is not a letter or a digit, drops
//! absurdly long tokens and lowercases with Unicode rules. None removes stop
//! words: "not", "no", "не" and "без" change what a rule says, and a query of
//! only common words must still find something. Two-letter terms ("HS",
//! "OS") are kept like any other.
//!
//! - English folds accents to ASCII *before* stemming, so "café" and "cafe"
//!   reach the stemmer as the same word.
//! - Russian folds "ё" to "е", then stems. Latin words inside Russian text
//!   are folded as in English.
//! - Any other language gets the plain chain: lowercase and folding. The
//!   plain chain also serves prefix matching on titles, where a stem of a
//!   half-typed word would miss.
//!
//! tantivy stores only an analyzer's name in the schema, so whoever opens an
//! index must call [`register_analyzers`] before searching it.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::UnicodeNormalization;

/// The English analyzer's name in the schema.
pub const ENGLISH: &str = "folio_en";
/// The Russian analyzer's name.
pub const RUSSIAN: &str = "folio_ru";
/// The analyzer without stemming.
pub const PLAIN: &str = "folio_plain";

/// Tokens longer than this many bytes are dropped (hashes, base64, URLs).
const LONGEST_TOKEN: usize = 60;

/// The name of the analyzer for `language`.
pub fn name_for(language: &str) -> &'static str {
    match language {
        "en" => ENGLISH,
        "ru" => RUSSIAN,
        _ => PLAIN,
    }
}

/// Register folio's analyzers on `index`. Both the build and every opening
/// of a shipped index call this, so they always agree.
pub fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(ENGLISH, english());
    manager.register(RUSSIAN, russian());
    manager.register(PLAIN, plain());
}

/// A fresh analyzer by name; `None` for a name folio does not know.
pub fn by_name(name: &str) -> Option<TextAnalyzer> {
    match name {
        ENGLISH => Some(english()),
        RUSSIAN => Some(russian()),
        PLAIN => Some(plain()),
        _ => None,
    }
}

fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

fn russian() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(YoToYe)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::Russian))
        .build()
}

fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(YoToYe)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Text as every analyzer expects it: NFC, so a letter with a combining
/// accent is one character and not a word break.
pub fn normalise(text: &str) -> String {
    text.nfc().collect()
}

/// The terms of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    analyzer.token_stream(text).process(&mut |token: &Token| terms.push(token.text.clone()));
    terms
}

/// A token filter that writes "ё" as "е", as Russian readers and most texts
/// do; it runs after lowercasing.
#[derive(Clone)]
pub struct YoToYe;

impl TokenFilter for YoToYe {
    type Tokenizer<T: Tokenizer> = YoToYeFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> YoToYeFilter<T> {
        YoToYeFilter { inner: tokenizer }
    }
}

/// [`YoToYe`] applied to a tokenizer.
#[derive(Clone)]
pub struct YoToYeFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for YoToYeFilter<T> {
    type TokenStream<'a> = YoToYeStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        YoToYeStream { tail: self.inner.token_stream(text) }
    }
}

/// The token stream of [`YoToYeFilter`].
pub struct YoToYeStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for YoToYeStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.contains('ё') {
            token.text = token.text.replace('ё', "е");
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english_terms(text: &str) -> Vec<String> {
        terms(&mut english(), &normalise(text))
    }

    #[test]
    fn english_folds_before_stemming_and_keeps_short_and_stop_words() {
        assert_eq!(english_terms("Café cafe"), ["cafe", "cafe"]);
        assert_eq!(english_terms("résumé resume"), english_terms("resume resume"));
        assert_eq!(english_terms("Do not store"), ["do", "not", "store"]);
        assert_eq!(english_terms("UI and OS"), ["ui", "and", "os"]);
    }

    #[test]
    fn combining_accents_do_not_split_words() {
        assert_eq!(english_terms("cafe\u{301}"), ["cafe"]);
    }

    #[test]
    fn russian_folds_yo_and_stems_inflections() {
        let mut ru = russian();
        let stem = |ru: &mut TextAnalyzer, word: &str| terms(ru, word).remove(0);
        assert_eq!(stem(&mut ru, "ёлка"), stem(&mut ru, "елка"));
        assert_eq!(stem(&mut ru, "Конвенции"), stem(&mut ru, "конвенция"));
        let forms = ["миграция", "миграции", "миграцию"].map(|w| stem(&mut ru, w));
        assert!(forms.iter().all(|f| *f == forms[0]), "{forms:?}");
        assert_eq!(terms(&mut ru, "не передавать").len(), 2);
    }
}
