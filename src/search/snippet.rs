//! Snippets: find the query's terms in a hit's sections with the same
//! analyzer as the index, pick the section and the passage with the most
//! of them, and write it as HTML with the matches in `<mark>`.
//!
//! The stored text is already decoded (no entities), so it is escaped here
//! exactly once; nothing upstream or downstream may escape it again.

use std::collections::BTreeSet;
use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, Token};

use super::analyzer;
use super::query::Highlight;

/// The longest snippet, in characters.
pub(crate) const SNIPPET_CHARS: usize = 220;
/// Characters shown before the first match of a passage.
const LEAD_CHARS: usize = 50;

/// Finds matches of one language's highlight in text.
pub(crate) struct Marker<'a> {
    highlight: &'a Highlight,
    stemmed: TextAnalyzer,
    plain: TextAnalyzer,
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
        }
    }

    /// The matches in `text`, in order.
    pub fn matches(&mut self, text: &str) -> Vec<Match> {
        if self.highlight.is_empty() {
            return Vec::new();
        }
        let mut stems: Vec<(Range<usize>, String)> = Vec::new();
        let mut plains: Vec<String> = Vec::new();
        self.stemmed
            .token_stream(text)
            .process(&mut |t: &Token| stems.push((t.offset_from..t.offset_to, t.text.clone())));
        self.plain.token_stream(text).process(&mut |t: &Token| plains.push(t.text.clone()));

        // Both analyzers share the tokenizer, so their tokens pair up.
        stems
            .into_iter()
            .zip(plains)
            .filter(|((_, stem), plain)| self.highlight.matches(stem, plain))
            .map(|((range, stem), _)| Match { range, term: stem })
            .collect()
    }
}

/// How well matches answer the query: distinct terms first, then count.
pub(crate) fn weight(matches: &[Match]) -> (usize, usize) {
    let distinct: BTreeSet<&str> = matches.iter().map(|m| m.term.as_str()).collect();
    (distinct.len(), matches.len())
}

/// The best passage of `text` around `matches`, as HTML.
pub(crate) fn snippet(text: &str, matches: &[Match]) -> String {
    let window = if matches.is_empty() {
        window_from(text, 0)
    } else {
        matches
            .iter()
            .map(|m| window_from(text, lead_start(text, m.range.start)))
            .max_by(|a, b| {
                let inside = |w: &Range<usize>| {
                    let within: Vec<Match> = matches
                        .iter()
                        .filter(|m| m.range.start >= w.start && m.range.end <= w.end)
                        .cloned()
                        .collect();
                    weight(&within)
                };
                // On a tie, the earlier passage wins.
                inside(a).cmp(&inside(b)).then_with(|| b.start.cmp(&a.start))
            })
            .unwrap_or_else(|| window_from(text, 0))
    };

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

/// Append `text` to `html` with `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn escape_into(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            _ => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
