//! Turning what the shopper typed into a tantivy query, programmatically: the query parser
//! never sees raw input, so quotes, colons, brackets, `+` and `-` are just separators.
//!
//! Scoring, per query word (every word is required, AND semantics, except a few stop words
//! such as "of" or "for", which only add to the score):
//! - exact match of the stem in the title: BM25 plus a constant bonus ([`EXACT_TITLE`]),
//! - exact match of the stem in the category slug's words: smaller BM25 and bonus,
//! - the last word as a prefix of a title/category word: a constant ([`PREFIX`]),
//! - within the allowed edit distance ([`typo_distance`]): a smaller constant ([`FUZZY`]).
//!
//! A document that matches a word exactly also matches it fuzzily (distance 0 is within
//! any distance), so the exact bonus is always on top of what a fuzzy-only document gets:
//! exact matches rank above prefix matches, which rank above typo matches. The index keeps
//! no field norms, so BM25 does not favour short titles; equal scores are common and are
//! broken by input order (popularity) in the engine.

use tantivy::query::{BooleanQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::analysis::{Analyzers, Word};

/// Words beyond this are ignored: no product title needs more, and it bounds the work a
/// single (at most `MAX_QUERY_CHARS` long) query can cause.
pub(super) const MAX_QUERY_WORDS: usize = 12;
/// In a search, a last word shorter than this is not expanded as a prefix ("a" would match
/// half the shop); search-as-you-type expands even one letter ("lunch bag s").
pub(super) const SEARCH_MIN_PREFIX_CHARS: usize = 2;
pub(super) const SUGGEST_MIN_PREFIX_CHARS: usize = 1;

const EXACT_TITLE: f32 = 4.0;
const EXACT_CATEGORY: f32 = 2.0;
const CATEGORY_BM25_BOOST: f32 = 0.5;
const PREFIX: f32 = 1.0;
const FUZZY: f32 = 0.5;
const FUZZY_PREFIX: f32 = 0.25;
/// An exact product code outranks anything a title can score.
const CODE: f32 = 1000.0;

/// Words that are optional in a query: "holder for tea lights" should not require "for".
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with",
];

/// The allowed typo distance for a query word of `chars` characters (search and
/// highlighting agree on it).
pub(super) fn typo_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How loosely query words match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Matching {
    /// Same stem (or the product code) only: used to check spelling corrections.
    Exact,
    /// Also typos and, for the last word, prefixes.
    Search,
    /// As `Search`, plus a last word that is a prefix with one typo (search-as-you-type).
    Suggest,
}

#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub title: Field,
    pub category: Field,
    pub words: Field,
    pub code: Field,
}

#[derive(Clone, Debug)]
pub(super) struct QueryWord {
    pub word: Word,
    pub stop: bool,
    /// Also matches as a prefix (the last word, if long enough).
    pub prefix: bool,
}

#[derive(Clone, Debug)]
pub(super) struct ParsedQuery {
    pub words: Vec<QueryWord>,
    /// The whole query, trimmed and lower-cased, tried as a product code.
    pub code: String,
}

impl ParsedQuery {
    pub fn parse(analyzers: &Analyzers, text: &str, min_prefix_chars: usize) -> Self {
        let mut words: Vec<QueryWord> = analyzers
            .words(text, MAX_QUERY_WORDS)
            .into_iter()
            .map(|word| QueryWord {
                stop: STOP_WORDS.contains(&word.raw.as_str()),
                word,
                prefix: false,
            })
            .collect();
        if let Some(last) = words.last_mut() {
            last.prefix = last.word.char_len() >= min_prefix_chars;
        }
        Self {
            words,
            code: text.trim().to_lowercase(),
        }
    }

    /// The last word, when it may also match as a prefix with one typo.
    pub fn typo_prefix_word(&self) -> Option<&Word> {
        self.words
            .last()
            .filter(|w| w.prefix && typo_distance(w.word.char_len()) > 0)
            .map(|w| &w.word)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The tantivy query, or None when there is nothing to search for.
    pub fn to_query(&self, fields: Fields, matching: Matching) -> Option<Box<dyn Query>> {
        if self.words.is_empty() {
            return None;
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = self
            .words
            .iter()
            .map(|w| {
                let occur = if w.stop { Occur::Should } else { Occur::Must };
                (occur, word_query(fields, w, matching))
            })
            .collect();
        let mut top: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, Box::new(BooleanQuery::new(clauses)))];
        if !self.code.is_empty() {
            let code = TermQuery::new(
                Term::from_field_text(fields.code, &self.code),
                IndexRecordOption::Basic,
            );
            top.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(code), CODE)),
            ));
        }
        Some(Box::new(BooleanQuery::new(top)))
    }
}

fn constant(query: impl Query, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(query), score))
}

/// Everything one query word may match, as a disjunction whose score adds up the parts.
fn word_query(fields: Fields, w: &QueryWord, matching: Matching) -> Box<dyn Query> {
    let word = &w.word;
    let title = Term::from_field_text(fields.title, &word.stem);
    let category = Term::from_field_text(fields.category, &word.stem);
    let raw = Term::from_field_text(fields.words, &word.raw);
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Should,
            Box::new(TermQuery::new(title.clone(), IndexRecordOption::WithFreqs)),
        ),
        (
            Occur::Should,
            constant(TermQuery::new(title, IndexRecordOption::Basic), EXACT_TITLE),
        ),
        (
            Occur::Should,
            Box::new(tantivy::query::BoostQuery::new(
                Box::new(TermQuery::new(
                    category.clone(),
                    IndexRecordOption::WithFreqs,
                )),
                CATEGORY_BM25_BOOST,
            )),
        ),
        (
            Occur::Should,
            constant(
                TermQuery::new(category, IndexRecordOption::Basic),
                EXACT_CATEGORY,
            ),
        ),
    ];
    if matching == Matching::Exact {
        return Box::new(BooleanQuery::new(alternatives));
    }
    let distance = typo_distance(word.char_len());
    if distance > 0 {
        alternatives.push((
            Occur::Should,
            constant(FuzzyTermQuery::new(raw.clone(), distance, true), FUZZY),
        ));
    }
    if w.prefix {
        alternatives.push((
            Occur::Should,
            constant(FuzzyTermQuery::new_prefix(raw.clone(), 0, true), PREFIX),
        ));
        if matching == Matching::Suggest && distance > 0 {
            alternatives.push((
                Occur::Should,
                constant(FuzzyTermQuery::new_prefix(raw, 1, true), FUZZY_PREFIX),
            ));
        }
    }
    Box::new(BooleanQuery::new(alternatives))
}
