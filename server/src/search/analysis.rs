//! Text analysis shared by indexing, querying and highlighting, so that all three see the
//! same words: split on anything that is not a letter or digit, drop absurdly long tokens,
//! lower-case, fold accents ("crème" → "creme"), and, for the stemmed view, apply the
//! English Snowball stemmer.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, TokenStream,
};

/// Name of the unstemmed analyzer registered on the index (fuzzy and prefix matching).
pub(super) const WORD_TOKENIZER: &str = "shop_word";
/// Name of the stemmed analyzer registered on the index (exact, BM25-scored matching).
pub(super) const STEM_TOKENIZER: &str = "shop_stem";

/// Tokens longer than this (in bytes) are dropped everywhere: no real word is that long,
/// and it bounds the size of the Levenshtein automata a query can ask for.
const MAX_TOKEN_BYTES: usize = 40;

pub(super) fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(super) fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// One word of a text: its byte span in the original, its normalised form, and its stem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Word {
    pub from: usize,
    pub to: usize,
    /// Lower-cased, accent-folded, unstemmed.
    pub raw: String,
    /// `raw` through the English stemmer: exactly what the stemmed index field holds.
    pub stem: String,
}

impl Word {
    pub fn char_len(&self) -> usize {
        self.raw.chars().count()
    }
}

/// The analyzers, kept as prototypes: tantivy's token streams need `&mut`, so each call
/// works on cheap clones and the engine itself stays `Sync`.
#[derive(Clone)]
pub(super) struct Analyzers {
    word: TextAnalyzer,
    /// Stems one already-normalised word (the stemmed field's pipeline is the word
    /// pipeline followed by the stemmer, so `stem(raw)` equals the indexed stem).
    stem_one: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Self {
        Self {
            word: word_analyzer(),
            stem_one: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }

    /// The words of `text`, at most `max` of them.
    pub fn words(&self, text: &str, max: usize) -> Vec<Word> {
        let mut word = self.word.clone();
        let mut stem_one = self.stem_one.clone();
        let mut out = Vec::new();
        let mut stream = word.token_stream(text);
        while out.len() < max && stream.advance() {
            let token = stream.token();
            let raw = token.text.clone();
            let stem = {
                let mut s = stem_one.token_stream(&raw);
                if s.advance() {
                    s.token().text.clone()
                } else {
                    raw.clone()
                }
            };
            out.push(Word {
                from: token.offset_from,
                to: token.offset_to,
                raw,
                stem,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_normalised_and_stemmed_with_offsets() {
        let words = Analyzers::new().words("Crème HANGING Hearts, t-light", 10);
        let view: Vec<(&str, &str, usize, usize)> = words
            .iter()
            .map(|w| (w.raw.as_str(), w.stem.as_str(), w.from, w.to))
            .collect();
        assert_eq!(
            view,
            vec![
                ("creme", "creme", 0, 6),
                ("hanging", "hang", 7, 14),
                ("hearts", "heart", 15, 21),
                ("t", "t", 23, 24),
                ("light", "light", 25, 30),
            ]
        );
    }
}
