//! From what a reader typed to a tantivy query. The parser is total: every
//! string gives a query, and syntax it does not understand is read as plain
//! words (a URL, `C++`, a stray quote or colon, a leading minus).
//!
//! Words are analyzed with the analyzer of each language searched. A word
//! the analyzer splits (`e-commerce`, `example.org`) becomes a phrase. A
//! begun word of three letters or more stands for itself and the first 50
//! longer words it begins, in the body and in the titles. Every
//! word must match somewhere (title, short title, body or classification
//! labels); when no instrument has them all, the caller retries with
//! [`Plan::relaxed`], where any word will do.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery,
    InvertedIndexRangeQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query as TantivyQuery,
    QueryClone, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::analyzer::{self, normalise};
use super::schema::{self, Fields, LanguageFields};
use crate::content::date::PartialDate;
use crate::error::{Error, Result};

/// How much a match in each text field weighs against one in the body.
const SHORT_TITLE_BOOST: f32 = 4.0;
const TITLE_BOOST: f32 = 2.5;
const BODY_BOOST: f32 = 1.0;
const TAGS_BOOST: f32 = 0.7;
const WORDS_PREFIX_BOOST: f32 = 2.0;
/// A query that names an instrument (its id, a title, a short title).
const EXACT_BOOST: f32 = 8.0;
/// The part of the other fields' scores that counts beside the best one.
const TIE_BREAKER: f32 = 0.1;
/// The shortest word that is expanded as a prefix, in characters. Shorter
/// ones are matched whole: two letters are mostly a name already ("HS",
/// "EU"), and as a prefix they would stand for much of the vocabulary.
const SHORTEST_PREFIX: usize = 3;
/// The most longer words one begun word stands for in a field.
const PREFIX_EXPANSIONS: u32 = 50;
/// Words, phrases and filters read from one query; the rest is ignored, so
/// that a pasted page cannot make one search expensive.
pub(crate) const MOST_CLAUSES: usize = 32;

/// A filter the text may carry, as `name:value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    Type,
    Category,
    Subject,
    Status,
    Body,
    Decade,
    Year,
    Language,
}

impl Filter {
    fn named(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "type" => Self::Type,
            "category" => Self::Category,
            "subject" => Self::Subject,
            "status" => Self::Status,
            "body" => Self::Body,
            "decade" => Self::Decade,
            "year" => Self::Year,
            "lang" | "language" => Self::Language,
            _ => return None,
        })
    }
}

/// One piece of the typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    /// A word, matched as a prefix when `prefix`.
    Word { text: String, prefix: bool },
    /// A quoted phrase; `"foo ba"*` makes its last word a prefix.
    Phrase { text: String, prefix: bool },
    /// A recognised `name:value`.
    Filter { filter: Filter, value: String },
}

/// Split `text` into clauses. With `prefix_last`, the last word counts as a
/// prefix unless the text ends with a space (the reader finished it).
pub(crate) fn parse(text: &str, prefix_last: bool) -> Vec<Clause> {
    let mut clauses = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || clauses.len() == MOST_CLAUSES {
            break;
        }

        if let Some(after) = rest.strip_prefix('"') {
            // An unbalanced quote is dropped and the rest read as words.
            rest = after;
            if let Some(end) = after.find('"') {
                let star = after[end + 1..].starts_with('*');
                clauses.push(Clause::Phrase { text: after[..end].to_owned(), prefix: star });
                rest = &after[end + 1 + usize::from(star)..];
            }
            continue;
        }

        let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if let Some(filter) = filter_clause(word) {
            clauses.push(filter);
            continue;
        }
        let stripped = word.trim_end_matches('*');
        let star = stripped.len() < word.len();
        clauses.push(Clause::Word { text: stripped.to_owned(), prefix: star });
    }

    let finished = text.ends_with(char::is_whitespace) || !rest.is_empty();
    if prefix_last
        && !finished
        && let Some(Clause::Word { prefix, .. }) = clauses.last_mut()
    {
        *prefix = true;
    }
    clauses
}

/// `type:convention` and the like; `None` when `word` is not a filter
/// folio knows with a usable value, so it is searched as text instead.
fn filter_clause(word: &str) -> Option<Clause> {
    let (name, value) = word.split_once(':')?;
    let filter = Filter::named(name)?;
    let value = value.trim().to_lowercase();
    let valid = match filter {
        Filter::Year => year_range(&value).is_some(),
        Filter::Decade => decade_key(&value).is_some(),
        _ => !value.is_empty(),
    };
    valid.then_some(Clause::Filter { filter, value })
}

/// `1999` or `1990-1999` or `1990..1999`.
fn year_range(value: &str) -> Option<(i32, i32)> {
    let (from, to) = match value.split_once("..").or_else(|| value.split_once('-')) {
        Some((from, to)) => (from.parse().ok()?, to.parse().ok()?),
        None => (value.parse().ok()?, value.parse().ok()?),
    };
    Some((from, to))
}

/// `1990s` or `1990` → `1990s`.
fn decade_key(value: &str) -> Option<String> {
    let year: i32 = value.strip_suffix('s').unwrap_or(value).parse().ok()?;
    Some(schema::decade(year))
}

/// A word or phrase analyzed for one language.
#[derive(Debug, Clone)]
struct Unit {
    /// Stemmed terms, in order.
    terms: Vec<String>,
    /// The same terms unstemmed.
    plain: Vec<String>,
    /// Whether the last term is a prefix.
    prefix: bool,
}

/// What to highlight in one language's text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Highlight {
    /// Stemmed terms matched whole.
    pub terms: BTreeSet<String>,
    /// Stemmed prefixes.
    pub stem_prefixes: BTreeSet<String>,
    /// Unstemmed prefixes.
    pub plain_prefixes: BTreeSet<String>,
}

impl Highlight {
    /// Nothing to highlight.
    pub const EMPTY: Self = Self {
        terms: BTreeSet::new(),
        stem_prefixes: BTreeSet::new(),
        plain_prefixes: BTreeSet::new(),
    };

    /// Whether the token `stem` (unstemmed `plain`) is a match.
    pub fn matches(&self, stem: &str, plain: &str) -> bool {
        self.terms.contains(stem)
            || self.stem_prefixes.iter().any(|p| stem.starts_with(p.as_str()))
            || self.plain_prefixes.iter().any(|p| plain.starts_with(p.as_str()))
    }

    /// Whether there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.stem_prefixes.is_empty() && self.plain_prefixes.is_empty()
    }
}

/// The queries to run for one request.
pub(crate) struct Plan {
    /// Every word must match.
    pub strict: Box<dyn TantivyQuery>,
    /// Any word may match; `None` when that is no different.
    pub relaxed: Option<Box<dyn TantivyQuery>>,
    /// What to mark in snippets, per language.
    pub highlights: BTreeMap<String, Highlight>,
}

/// Turn `request` into queries over `fields`. `default_language` is the
/// site's; an unknown language gives a query that matches nothing. Only a
/// request field that is not what it claims (an `in_force_on` that is no
/// date) fails; the text never does.
pub(crate) fn plan(
    request: &super::Query,
    fields: &Fields,
    default_language: &str,
) -> Result<Plan> {
    let in_force_on = in_force_day(request)?;
    let text = normalise(&request.text);
    let clauses = parse(&text, request.prefix);

    let mut language = request.language.clone();
    for clause in &clauses {
        if let Clause::Filter { filter: Filter::Language, value } = clause {
            language = Some(value.clone());
        }
    }
    let scope: Vec<String> = match language.as_deref() {
        None | Some("") => vec![default_language.to_owned()],
        Some("all" | "*") => fields.languages.keys().cloned().collect(),
        Some(code) => vec![code.to_lowercase()],
    };

    let searched: Vec<&Clause> =
        clauses.iter().filter(|c| !matches!(c, Clause::Filter { .. })).collect();
    let mut strict_parts = Vec::new();
    let mut relaxed_parts = Vec::new();
    let mut highlights = BTreeMap::new();
    let mut any_units = false;
    let mut multiple_units = false;
    for code in &scope {
        let Some(language_fields) = fields.languages.get(code) else { continue };
        let units = analyze(&searched, language_fields);
        any_units |= !units.is_empty();
        multiple_units |= units.len() > 1;
        highlights.insert(code.clone(), highlight(&units));

        // Ids and exact titles are in no language's fields: scoped here,
        // where the words are scoped by the fields they are searched in.
        let exact = exact_query(fields, &units, &text)
            .map(|exact| all_of(vec![exact, constant(one_of(fields.language, [code.as_str()]))]));
        let unit_queries: Vec<_> = units.iter().map(|u| unit_query(language_fields, u)).collect();
        let copies = unit_queries.iter().map(|q| q.box_clone()).collect();
        strict_parts.push(with_exact(all_of(copies), exact.as_ref().map(|q| q.box_clone())));
        relaxed_parts.push(with_exact(any_of(unit_queries), exact));
    }

    let filters = filters(request, &clauses, fields, in_force_on);
    let build = |parts: Vec<Box<dyn TantivyQuery>>| -> Box<dyn TantivyQuery> {
        let mut all = Vec::new();
        if any_units {
            // Each part searches one language's fields only.
            all.push((Occur::Must, any_of(parts)));
        } else if searched.is_empty() {
            let languages = one_of(fields.language, scope.iter().map(String::as_str));
            all.push((Occur::Must, constant(languages)));
        } else {
            // Words were typed, but none holds a letter or a digit.
            all.push((Occur::Must, Box::new(EmptyQuery)));
        }
        all.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
        Box::new(BooleanQuery::new(all))
    };
    Ok(Plan {
        strict: build(strict_parts),
        relaxed: multiple_units.then(|| build(relaxed_parts)),
        highlights,
    })
}

/// The day [`super::Query::in_force_on`] asks about, as a day number: the
/// last day of a year or a month, as `chronology::in_force_on` reads it.
fn in_force_day(request: &super::Query) -> Result<Option<i64>> {
    let Some(text) = request.in_force_on.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let date = PartialDate::parse(text).map_err(|err| {
        Error::Usage(format!("`in_force_on` is `{text}`, which is not a date: {err}"))
    })?;
    Ok(Some(schema::day_number(date.latest())))
}

/// Analyze the searched clauses for one language, dropping any that leave
/// no term.
fn analyze(clauses: &[&Clause], fields: &LanguageFields) -> Vec<Unit> {
    let mut stemmed = analyzer::by_name(fields.analyzer).expect("folio's own analyzer");
    let mut plain = analyzer::by_name(analyzer::PLAIN).expect("folio's own analyzer");
    let mut units = Vec::new();
    for clause in clauses {
        let (text, prefix) = match clause {
            Clause::Word { text, prefix } | Clause::Phrase { text, prefix } => (text, *prefix),
            Clause::Filter { .. } => continue,
        };
        let terms = analyzer::terms(&mut stemmed, text);
        if terms.is_empty() {
            continue;
        }
        let plain = analyzer::terms(&mut plain, text);
        let long_enough = plain.last().is_some_and(|t| t.chars().count() >= SHORTEST_PREFIX);
        units.push(Unit { terms, plain, prefix: prefix && long_enough });
    }
    units
}

fn highlight(units: &[Unit]) -> Highlight {
    let mut highlight = Highlight::default();
    for unit in units {
        let last = unit.terms.len() - 1;
        for (i, term) in unit.terms.iter().enumerate() {
            if unit.prefix && i == last {
                highlight.stem_prefixes.insert(term.clone());
                highlight.plain_prefixes.insert(unit.plain[i].clone());
            } else {
                highlight.terms.insert(term.clone());
            }
        }
    }
    highlight
}

/// A word or phrase in any text field, the best field counting most. A
/// begun word is looked for as begun in the body and in the titles as
/// written (`words`), and whole in the other fields.
fn unit_query(fields: &LanguageFields, unit: &Unit) -> Box<dyn TantivyQuery> {
    let mut disjuncts: Vec<Box<dyn TantivyQuery>> = [
        ((fields.short_title, fields.short_title_pairs), SHORT_TITLE_BOOST, false),
        ((fields.title, fields.title_pairs), TITLE_BOOST, false),
        ((fields.body, fields.body_pairs), BODY_BOOST, unit.prefix),
        ((fields.tags, fields.tags_pairs), TAGS_BOOST, false),
    ]
    .into_iter()
    .map(|(field, boost, prefix)| boosted(terms_query(field, &unit.terms, prefix), boost))
    .collect();
    if unit.prefix {
        let words = prefix_query(fields.words, &unit.plain);
        disjuncts.push(boosted(words, WORDS_PREFIX_BOOST));
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, TIE_BREAKER))
}

/// `terms` in a text field whose neighbouring terms are also indexed as
/// pairs: a phrase of two is its pair, a longer one all its pairs and then
/// the positions, which only the documents holding every pair are read for.
fn terms_query(
    (field, pairs): (Field, Field),
    terms: &[String],
    prefix: bool,
) -> Box<dyn TantivyQuery> {
    if prefix {
        return prefix_query(field, terms);
    }
    let term = |text: &str| Term::from_field_text(field, text);
    let pair_terms: Vec<Box<dyn TantivyQuery>> = terms
        .windows(2)
        .map(|two| {
            let pair = Term::from_field_text(pairs, &analyzer::pair(&two[0], &two[1]));
            Box::new(TermQuery::new(pair, IndexRecordOption::WithFreqs)) as Box<dyn TantivyQuery>
        })
        .collect();
    match terms {
        [only] => Box::new(TermQuery::new(term(only), IndexRecordOption::WithFreqs)),
        [_, _] => pair_terms.into_iter().next().expect("two terms make a pair"),
        _ => {
            let positions = PhraseQuery::new(terms.iter().map(|t| term(t)).collect());
            let mut all = pair_terms;
            all.push(Box::new(ConstScoreQuery::new(Box::new(positions), 0.0)));
            all_of(all)
        }
    }
}

/// `terms` with the last one only begun. A begun word stands for itself and
/// at most [`PREFIX_EXPANSIONS`] longer words of the field, the first in
/// order.
fn prefix_query(field: Field, terms: &[String]) -> Box<dyn TantivyQuery> {
    let term = |text: &str| Term::from_field_text(field, text);
    match terms {
        [only] => {
            // The word itself scores as a word; the longer ones it begins
            // only match, and the word is not read twice.
            let whole = TermQuery::new(term(only), IndexRecordOption::WithFreqs);
            let last_begun = format!("{only}{}", char::MAX);
            let mut begun = InvertedIndexRangeQuery::new(
                Bound::Excluded(term(only)),
                Bound::Included(term(&last_begun)),
            );
            begun.limit(u64::from(PREFIX_EXPANSIONS));
            any_of(vec![Box::new(whole), Box::new(begun)])
        }
        _ => {
            let mut query = PhrasePrefixQuery::new(terms.iter().map(|t| term(t)).collect());
            query.set_max_expansions(PREFIX_EXPANSIONS);
            Box::new(query)
        }
    }
}

/// The query named an instrument: its id as typed, or a title's terms.
fn exact_query(fields: &Fields, units: &[Unit], text: &str) -> Option<Box<dyn TantivyQuery>> {
    let key: Vec<&str> = units.iter().flat_map(|u| u.terms.iter().map(String::as_str)).collect();
    if key.is_empty() {
        return None;
    }
    let by_key = TermQuery::new(
        Term::from_field_text(fields.exact, &key.join(" ")),
        IndexRecordOption::Basic,
    );
    let by_id = TermQuery::new(
        Term::from_field_text(fields.id, &text.trim().to_lowercase()),
        IndexRecordOption::Basic,
    );
    Some(boosted(any_of(vec![Box::new(by_key), Box::new(by_id)]), EXACT_BOOST))
}

fn with_exact(
    text: Box<dyn TantivyQuery>,
    exact: Option<Box<dyn TantivyQuery>>,
) -> Box<dyn TantivyQuery> {
    match exact {
        Some(exact) => any_of(vec![text, exact]),
        None => text,
    }
}

/// Filters from the request and from the text; each narrows the results,
/// and within one filter any value matches. They add nothing to scores.
fn filters(
    request: &super::Query,
    clauses: &[Clause],
    fields: &Fields,
    in_force_on: Option<i64>,
) -> Vec<Box<dyn TantivyQuery>> {
    let mut filters = Vec::new();
    for (field, values) in [
        (fields.kind, &request.types),
        (fields.subjects, &request.subjects),
        (fields.status, &request.statuses),
        (fields.decade, &request.decades),
    ] {
        if !values.is_empty() {
            filters.push(one_of(field, values.iter().map(String::as_str)));
        }
    }
    if request.from_year.is_some() || request.to_year.is_some() {
        filters.push(years(fields.year, request.from_year, request.to_year));
    }
    if let Some(day) = in_force_on {
        // In force from `from` (inclusive) until `until` (exclusive).
        let from = Term::from_field_i64(fields.in_force_from, day);
        let until = Term::from_field_i64(fields.in_force_until, day);
        filters.push(Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(from))));
        filters.push(Box::new(RangeQuery::new(Bound::Excluded(until), Bound::Unbounded)));
    }

    for clause in clauses {
        let Clause::Filter { filter, value } = clause else { continue };
        let field = match filter {
            Filter::Type => fields.kind,
            Filter::Category => fields.category,
            Filter::Subject => fields.subjects,
            Filter::Status => fields.status,
            Filter::Body => fields.issuer,
            Filter::Decade => {
                let key = decade_key(value).unwrap_or_default();
                filters.push(one_of(fields.decade, [key.as_str()]));
                continue;
            }
            Filter::Year => {
                let (from, to) = year_range(value).unwrap_or_default();
                filters.push(years(fields.year, Some(from), Some(to)));
                continue;
            }
            Filter::Language => continue,
        };
        filters.push(one_of(field, [value.as_str()]));
    }
    filters.into_iter().map(constant).collect()
}

/// A filter: it narrows the matches and adds nothing to their scores.
fn constant(filter: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
    Box::new(ConstScoreQuery::new(filter, 0.0))
}

fn one_of<'a>(field: Field, values: impl IntoIterator<Item = &'a str>) -> Box<dyn TantivyQuery> {
    let mut terms: Vec<Term> =
        values.into_iter().map(|v| Term::from_field_text(field, v)).collect();
    if terms.len() == 1 {
        // A set builds an automaton for every search; one term needs none.
        let term = terms.pop().expect("one term");
        return Box::new(TermQuery::new(term, IndexRecordOption::Basic));
    }
    Box::new(TermSetQuery::new(terms))
}

fn years(field: Field, from: Option<i32>, to: Option<i32>) -> Box<dyn TantivyQuery> {
    let bound = |year: Option<i32>| match year {
        Some(year) => Bound::Included(Term::from_field_i64(field, i64::from(year))),
        None => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(bound(from), bound(to)))
}

fn boosted(query: Box<dyn TantivyQuery>, boost: f32) -> Box<dyn TantivyQuery> {
    Box::new(BoostQuery::new(query, boost))
}

fn all_of(queries: Vec<Box<dyn TantivyQuery>>) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Must, q)).collect()))
}

fn any_of(queries: Vec<Box<dyn TantivyQuery>>) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, prefix: bool) -> Clause {
        Clause::Word { text: text.to_owned(), prefix }
    }

    #[test]
    fn quotes_stars_and_filters() {
        let clauses = parse(r#"kyoto "customs procedures" type:convention annex*"#, false);
        assert_eq!(
            clauses,
            [
                word("kyoto", false),
                Clause::Phrase { text: "customs procedures".into(), prefix: false },
                Clause::Filter { filter: Filter::Type, value: "convention".into() },
                word("annex", true),
            ]
        );
    }

    #[test]
    fn malformed_syntax_is_read_as_words() {
        assert_eq!(parse(r#""unbalanced"#, false), [word("unbalanced", false)]);
        assert_eq!(parse("title:", false), [word("title:", false)]);
        assert_eq!(parse("following:", false), [word("following:", false)]);
        assert_eq!(parse("year:soon", false), [word("year:soon", false)]);
        assert_eq!(parse("https://example.org/a", false), [word("https://example.org/a", false)]);
    }

    #[test]
    fn the_last_word_is_a_prefix_while_typing() {
        assert_eq!(parse("kyoto conv", true), [word("kyoto", false), word("conv", true)]);
        assert_eq!(parse("kyoto conv ", true), [word("kyoto", false), word("conv", false)]);
    }

    #[test]
    fn year_and_decade_values() {
        assert_eq!(year_range("1990-1999"), Some((1990, 1999)));
        assert_eq!(year_range("1999"), Some((1999, 1999)));
        assert_eq!(decade_key("1995"), Some("1990s".into()));
        assert_eq!(decade_key("1990s"), Some("1990s".into()));
    }
}
