//! Snippets: find the query's terms in a hit's sections with the same
//! analyzer as the index, pick the section and the passage with the most
//! of them, and write it as HTML with the matches in `<mark>`.
//!
//! The stored text is already decoded (no entities), so it is escaped here
//! exactly once; nothing upstream or downstream may escape it again.

use std::ops::Range;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use super::analyzer;
use super::query::Highlight;
use crate::html_text::escape_into;

/// The longest snippet, in characters.
pub(crate) const SNIPPET_CHARS: usize = 220;
/// Characters shown before the first match of a passage.
const LEAD_CHARS: usize = 50;

/// Finds matches of one language's highlight in text.
///
/// The analyzers' tokenizer cuts text into words (runs of letters and
/// digits) and the filters then work on one word at a time, so a word
/// analyzed alone gives the terms it gives in its text. The marker cuts the
/// text into words the same way and analyzes each distinct word once: the
/// sections of one body, and the bodies of one page of hits, repeat most of
/// their words, and stemming was most of the cost of a snippet.
pub(crate) struct Marker<'a> {
    highlight: &'a Highlight,
    stemmed: TextAnalyzer,
    plain: TextAnalyzer,
    /// Per word as written, the term it matched, if any.
    seen: FxHashMap<String, Option<String>>,
}

/// A match: where it is, and the term it matched (for counting distinct
/// terms).
#[derive(Debug, Clone)]
pub(crate) struct Match {
    range: Range<usize>,
    term: String,
}

impl<'a> Marker<'a> {
    /// A marker for text analyzed by `analyzer_name`.
    pub fn new(highlight: &'a Highlight, analyzer_name: &str) -> Self {
        Self {
            highlight,
            stemmed: analyzer::by_name(analyzer_name).expect("folio's own analyzer"),
            plain: analyzer::by_name(analyzer::PLAIN).expect("folio's own analyzer"),
            seen: FxHashMap::default(),
        }
    }

    /// The matches in `text`, in order.
    pub fn matches(&mut self, text: &str) -> Vec<Match> {
        if self.highlight.is_empty() {
            return Vec::new();
        }
        let mut matches = Vec::new();
        for (start, word) in words(text) {
            let term = match self.seen.get(word) {
                Some(term) => term.clone(),
                None => {
                    let term =
                        matched_term(self.highlight, &mut self.stemmed, &mut self.plain, word);
                    self.seen.insert(word.to_owned(), term.clone());
                    term
                }
            };
            if let Some(term) = term {
                matches.push(Match { range: start..start + word.len(), term });
            }
        }
        matches
    }
}

/// The words of `text` as the analyzers' tokenizer cuts them (runs of
/// letters and digits), each with its byte offset.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let base = text.as_ptr() as usize;
    text.split(|c: char| !is_word_char(c))
        .filter(|word| !word.is_empty())
        .map(move |word| (word.as_ptr() as usize - base, word))
}

/// `char::is_alphanumeric`, answered without the Unicode tables for the
/// Latin and Cyrillic letters that make up most of the text.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, 'А'..='я' | 'ё' | 'Ё')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// The term `word` matches, analyzed both ways; `None` when it matches none.
fn matched_term(
    highlight: &Highlight,
    stemmed: &mut TextAnalyzer,
    plain: &mut TextAnalyzer,
    word: &str,
) -> Option<String> {
    let stems = analyzer::terms(stemmed, word);
    let plains = analyzer::terms(plain, word);
    // Both analyzers share the tokenizer, so their terms pair up.
    stems.into_iter().zip(plains).find(|(stem, plain)| highlight.matches(stem, plain)).map(|p| p.0)
}

/// How well matches answer the query: distinct terms first, then count.
pub(crate) fn weight(matches: &[Match]) -> (usize, usize) {
    let mut terms: Vec<&str> = matches.iter().map(|m| m.term.as_str()).collect();
    terms.sort_unstable();
    terms.dedup();
    (terms.len(), matches.len())
}

/// The matches inside `window`. Matches are words in order, so their starts
/// and their ends both ascend and those inside are one run of them.
fn within<'m>(matches: &'m [Match], window: &Range<usize>) -> &'m [Match] {
    let first = matches.partition_point(|m| m.range.start < window.start);
    let rest = &matches[first..];
    &rest[..rest.partition_point(|m| m.range.end <= window.end)]
}

/// The best passage of `text` around `matches`, as HTML.
pub(crate) fn snippet(text: &str, matches: &[Match]) -> String {
    // Each match proposes the passage that leads up to it; the one holding
    // the most distinct terms, then the most matches, then the earliest wins.
    let mut best: Option<(Range<usize>, (usize, usize))> = None;
    for m in matches {
        let window = window_from(text, lead_start(text, m.range.start));
        let inside = weight(within(matches, &window));
        let better = best.as_ref().is_none_or(|(kept, kept_weight)| {
            inside > *kept_weight || (inside == *kept_weight && window.start < kept.start)
        });
        if better {
            best = Some((window, inside));
        }
    }
    let window = best.map_or_else(|| window_from(text, 0), |(window, _)| window);

    let mut html = String::with_capacity(window.len() + 32);
    if window.start > 0 {
        html.push_str("… ");
    }
    let mut at = window.start;
    for m in matches {
        if m.range.start < at || m.range.end > window.end {
            continue;
        }
        escape_into(&mut html, &text[at..m.range.start]);
        html.push_str("<mark>");
        escape_into(&mut html, &text[m.range.clone()]);
        html.push_str("</mark>");
        at = m.range.end;
    }
    escape_into(&mut html, &text[at..window.end]);
    if window.end < text.len() {
        html.push_str(" …");
    }
    html
}

/// Where a passage showing a match at `at` starts: a little before it, at
/// the start of a word.
fn lead_start(text: &str, at: usize) -> usize {
    let back = text[..at].char_indices().rev().nth(LEAD_CHARS - 1).map_or(0, |(i, _)| i);
    if back == 0 {
        return 0;
    }
    match text[back..at].find(char::is_whitespace) {
        Some(space) => back + space + 1,
        None => at,
    }
}

/// The passage of at most [`SNIPPET_CHARS`] from `start`, ending at the end
/// of a word.
fn window_from(text: &str, start: usize) -> Range<usize> {
    let Some((limit, _)) = text[start..].char_indices().nth(SNIPPET_CHARS) else {
        return start..text.len();
    };
    let limit = start + limit;
    let end = text[start..limit].rfind(char::is_whitespace).map_or(limit, |space| start + space);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_where_the_tokenizer_does() {
        for c in ['a', 'Z', '7', 'é', 'Ж', 'ё', 'Ё', 'ß', '٣', ' ', '-', '.', '«', '\u{301}']
        {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    fn marker_for(terms: &[&str]) -> Highlight {
        let mut en = analyzer::by_name(analyzer::ENGLISH).unwrap();
        let mut highlight = Highlight::default();
        for term in terms {
            highlight.terms.extend(analyzer::terms(&mut en, term));
        }
        highlight
    }

    #[test]
    fn matches_are_marked_and_the_rest_escaped_once() {
        let highlight = marker_for(&["chips"]);
        let mut marker = Marker::new(&highlight, analyzer::ENGLISH);
        let text = "Fish & Chips <b>served</b>";
        let html = snippet(text, &marker.matches(text));
        assert_eq!(html, "Fish &amp; <mark>Chips</mark> &lt;b&gt;served&lt;/b&gt;");
    }

    #[test]
    fn long_texts_show_the_passage_with_the_match() {
        let highlight = marker_for(&["needle"]);
        let mut marker = Marker::new(&highlight, analyzer::ENGLISH);
        let text = format!("{} a needle here {}", "hay ".repeat(200), "straw ".repeat(200));
        let html = snippet(&text, &marker.matches(&text));
        assert!(html.starts_with("… hay"), "{html}");
        assert!(html.contains("<mark>needle</mark>"), "{html}");
        assert!(html.ends_with(" …"), "{html}");
        assert!(html.chars().count() < SNIPPET_CHARS + 30, "{html}");
    }

    #[test]
    fn cyrillic_passages_cut_on_characters() {
        let highlight = Highlight::default();
        let text = "данные ".repeat(100);
        let html = snippet(&text, &Marker::new(&highlight, analyzer::RUSSIAN).matches(&text));
        assert!(html.ends_with(" …"));
    }
}
