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
//! The stemmers are snowball's, as tantivy runs them; each thread remembers
//! the stems it worked out, since a catalogue's words repeat. Each analyzer
//! has a twin ending in [`Pairs`], for the fields of neighbouring terms.
//!
//! tantivy stores only an analyzer's name in the schema, so whoever opens an
//! index must call [`register_analyzers`] before searching it.

use std::borrow::Cow;
use std::cell::RefCell;

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The English analyzer's name in the schema.
pub const ENGLISH: &str = "folio_en";
/// The Russian analyzer's name.
pub const RUSSIAN: &str = "folio_ru";
/// The analyzer without stemming.
pub const PLAIN: &str = "folio_plain";
/// The English analyzer followed by [`Pairs`].
pub const ENGLISH_PAIRS: &str = "folio_en_pairs";
/// The Russian analyzer followed by [`Pairs`].
pub const RUSSIAN_PAIRS: &str = "folio_ru_pairs";
/// The plain analyzer followed by [`Pairs`].
pub const PLAIN_PAIRS: &str = "folio_plain_pairs";

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

/// The name of the analyzer of pairs for `language`.
pub fn pairs_name_for(language: &str) -> &'static str {
    match language {
        "en" => ENGLISH_PAIRS,
        "ru" => RUSSIAN_PAIRS,
        _ => PLAIN_PAIRS,
    }
}

/// Register folio's analyzers on `index`. Both the build and every opening
/// of a shipped index call this, so they always agree.
pub fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(ENGLISH, english());
    manager.register(RUSSIAN, russian());
    manager.register(PLAIN, plain());
    manager.register(ENGLISH_PAIRS, english_chain().filter(Pairs).build());
    manager.register(RUSSIAN_PAIRS, russian_chain().filter(Pairs).build());
    manager.register(PLAIN_PAIRS, plain_chain().filter(Pairs).build());
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
    english_chain().build()
}

fn english_chain() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer(Algorithm::English))
}

fn russian() -> TextAnalyzer {
    russian_chain().build()
}

fn russian_chain() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(YoToYe)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer(Algorithm::Russian))
}

fn plain() -> TextAnalyzer {
    plain_chain().build()
}

fn plain_chain() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(YoToYe)
        .filter(AsciiFoldingFilter)
}

/// Text as every analyzer expects it: NFC, so a letter with a combining
/// accent is one character and not a word break. Text that is NFC already,
/// as almost all is, is borrowed.
pub fn normalise(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        IsNormalized::No | IsNormalized::Maybe => Cow::Owned(text.nfc().collect()),
    }
}

/// The terms of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    analyzer.token_stream(text).process(&mut |token: &Token| terms.push(token.text.clone()));
    terms
}

/// The term [`Pairs`] makes of two neighbouring terms.
pub fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// The most stems one thread remembers per language before it starts over.
const REMEMBERED_STEMS: usize = 500_000;

thread_local! {
    /// The stems this thread has worked out, per algorithm and word. The
    /// words of a catalogue repeat, the body is analyzed for two fields,
    /// and stemming was most of the cost of analysis.
    static STEMS: RefCell<FxHashMap<Algorithm, FxHashMap<String, String>>> =
        RefCell::new(FxHashMap::default());
}

/// The snowball stemmer of `frostem`, as tantivy's own stemmer runs it,
/// with what it found remembered.
#[derive(Clone, Copy)]
pub struct CachedStemmer(pub Algorithm);

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { algorithm: self.0, inner: tokenizer }
    }
}

/// [`CachedStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    algorithm: Algorithm,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            algorithm: self.algorithm,
            stemmer: frostem::Stemmer::new(self.algorithm),
        }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<T> {
    tail: T,
    algorithm: Algorithm,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        STEMS.with_borrow_mut(|by_algorithm| {
            let stems = by_algorithm.entry(self.algorithm).or_default();
            if let Some(stem) = stems.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            if stems.len() >= REMEMBERED_STEMS {
                stems.clear();
            }
            let stem = self.stemmer.stem(&token.text).into_owned();
            let word = std::mem::replace(&mut token.text, stem);
            stems.insert(word, token.text.clone());
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
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

/// A token filter that makes every two neighbouring terms one term
/// ("custom valuat"), so that a phrase of two words is one lookup rather
/// than two long lists compared position by position. Terms with a dropped
/// token between them are no neighbours.
#[derive(Clone)]
pub struct Pairs;

impl TokenFilter for Pairs {
    type Tokenizer<T: Tokenizer> = PairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PairsFilter<T> {
        PairsFilter { inner: tokenizer }
    }
}

/// [`Pairs`] applied to a tokenizer.
#[derive(Clone)]
pub struct PairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for PairsFilter<T> {
    type TokenStream<'a> = PairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairsStream { tail: self.inner.token_stream(text), previous: None, token: Token::default() }
    }
}

/// The token stream of [`PairsFilter`].
pub struct PairsStream<T> {
    tail: T,
    previous: Option<Token>,
    token: Token,
}

impl<T: TokenStream> TokenStream for PairsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let current = self.tail.token();
            let paired = match &mut self.previous {
                Some(previous) => {
                    let neighbours = current.position == previous.position + 1;
                    if neighbours {
                        self.token.text.clear();
                        self.token.text.push_str(&previous.text);
                        self.token.text.push(' ');
                        self.token.text.push_str(&current.text);
                        self.token.position = previous.position;
                        self.token.offset_from = previous.offset_from;
                        self.token.offset_to = current.offset_to;
                    }
                    previous.text.clear();
                    previous.text.push_str(&current.text);
                    previous.position = current.position;
                    previous.offset_from = current.offset_from;
                    neighbours
                }
                None => {
                    self.previous = Some(current.clone());
                    false
                }
            };
            if paired {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
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
    fn remembered_stems_are_the_stems_of_tantivy() {
        use tantivy::tokenizer::{Language, Stemmer};
        let text = "Conventions convention conventional customs Customs валюта таможенной \
                    таможенная таможенной administrations";
        for (algorithm, language) in
            [(Algorithm::English, Language::English), (Algorithm::Russian, Language::Russian)]
        {
            let lowered = || TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser);
            let mut ours = lowered().filter(CachedStemmer(algorithm)).build();
            let mut theirs = lowered().filter(Stemmer::new(language)).build();
            let expected = terms(&mut theirs, text);
            assert_eq!(terms(&mut ours, text), expected);
            assert_eq!(terms(&mut ours, text), expected, "from what it remembered");
        }
    }

    #[test]
    fn pairs_join_neighbours_only() {
        let mut analyzer = english_chain().filter(Pairs).build();
        let long = "0123456789".repeat(7);
        let text = format!("Customs valuation; and a very long hash {long} here");
        let pairs = terms(&mut analyzer, &text);
        assert_eq!(
            pairs,
            ["custom valuat", "valuat and", "and a", "a veri", "veri long", "long hash"]
        );
        assert_eq!(pairs[0], pair("custom", "valuat"));
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
