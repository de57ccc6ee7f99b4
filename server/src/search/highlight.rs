//! Marking the words of a title that matched the query, by the same rules the index used:
//! same stem, prefix of the last query word, or within the query word's typo distance.

use app::search::model::Highlighted;

use super::analysis::Word;
use super::query::{typo_distance, QueryWord};

fn matches(title_word: &Word, q: &QueryWord) -> bool {
    let query = &q.word;
    if title_word.stem == query.stem || title_word.raw == query.raw {
        return true;
    }
    if q.prefix && title_word.raw.starts_with(&query.raw) {
        return true;
    }
    let distance = typo_distance(query.char_len()) as usize;
    distance > 0
        && title_word.char_len().abs_diff(query.char_len()) <= distance
        && strsim::osa_distance(&title_word.raw, &query.raw) <= distance
}

/// Whether some prefix of `word` is within one typo of `query`, with the same first letter
/// (tantivy's fuzzy prefix has no fixed first letter: "lant" would complete to "antique").
pub(super) fn typo_prefix(query: &Word, word: &Word) -> bool {
    let mut q = query.raw.chars();
    if q.next() != word.raw.chars().next() {
        return false;
    }
    let len = query.char_len();
    (len.saturating_sub(1).max(1)..=len + 1).any(|n| {
        let prefix: String = word.raw.chars().take(n).collect();
        prefix.chars().count() == n && strsim::osa_distance(&query.raw, &prefix) <= 1
    })
}

/// `title` split into runs that concatenate back to it exactly; `words` are its words as
/// analysed at indexing time.
pub(super) fn highlight(title: &str, words: &[Word], query: &[QueryWord]) -> Highlighted {
    let mut runs: Highlighted = Vec::new();
    let mut pos = 0;
    for word in words {
        if !query.iter().any(|q| matches(word, q)) {
            continue;
        }
        if word.from > pos {
            runs.push((title[pos..word.from].to_string(), false));
        }
        runs.push((title[word.from..word.to].to_string(), true));
        pos = word.to;
    }
    if pos < title.len() {
        runs.push((title[pos..].to_string(), false));
    }
    runs
}
