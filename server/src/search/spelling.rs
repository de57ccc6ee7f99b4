//! "Did you mean": spelling corrections built from the index's own vocabulary.
//!
//! Each query word that the catalogue does not know (neither the word nor its stem occurs in
//! a title or category, and it is not a product code) is replaced by its closest known
//! words: smallest edit distance (transpositions count one), then same first letter (typos
//! rarely hit it), then the most frequent. Whole-query candidates are combined with a small
//! beam, cheapest first; the caller keeps the ones that actually find products.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use super::analysis::Word;
use super::query::QueryWord;

/// Corrections kept per word.
const PER_WORD: usize = 3;
/// Whole-query candidates kept while combining words.
const BEAM: usize = 12;
/// Cost of leaving a word out (offered only when nothing matched at all).
const DROP_COST: usize = 3;

fn correction_distance(chars: usize) -> usize {
    match chars {
        0..=2 => 0,
        3 => 1,
        4..=7 => 2,
        _ => 3,
    }
}

struct Entry {
    word: String,
    chars: Vec<char>,
    letters: u64,
    frequency: u32,
}

/// The set of characters of a word, as bits (letters and digits exactly, others hashed).
fn letter_set(chars: &[char]) -> u64 {
    chars.iter().fold(0, |set, &c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + c as u32 % 28,
        };
        set | 1 << bit
    })
}

pub(super) struct Vocabulary {
    /// Normalised word → number of products whose title or category holds it.
    frequency: HashMap<String, u32>,
    /// The same words as a list, for the edit-distance scan.
    words: Vec<Entry>,
    stems: HashSet<String>,
    codes: HashSet<String>,
}

impl Vocabulary {
    /// `documents`: each product's words (title and category); `codes`: lower-cased codes.
    pub fn build<'a>(documents: impl Iterator<Item = &'a [Word]>, codes: HashSet<String>) -> Self {
        let mut frequency: HashMap<String, u32> = HashMap::new();
        let mut stems = HashSet::new();
        for words in documents {
            let mut seen = HashSet::new();
            for w in words {
                stems.insert(w.stem.clone());
                if seen.insert(w.raw.as_str()) {
                    *frequency.entry(w.raw.clone()).or_default() += 1;
                }
            }
        }
        let mut list: Vec<Entry> = frequency
            .iter()
            .map(|(word, &frequency)| {
                let chars: Vec<char> = word.chars().collect();
                Entry {
                    word: word.clone(),
                    letters: letter_set(&chars),
                    chars,
                    frequency,
                }
            })
            .collect();
        list.sort_by(|a, b| a.word.cmp(&b.word));
        Self {
            frequency,
            words: list,
            stems,
            codes,
        }
    }

    pub fn knows(&self, q: &QueryWord) -> bool {
        q.stop
            || self.frequency.contains_key(&q.word.raw)
            || self.stems.contains(&q.word.stem)
            || self.codes.contains(&q.word.raw)
    }

    pub fn is_code(&self, text: &str) -> bool {
        self.codes.contains(text)
    }

    /// The closest known words to `raw`, best first: (word, distance, frequency).
    fn corrections(&self, raw: &str) -> Vec<(&str, usize, u32)> {
        let query: Vec<char> = raw.chars().collect();
        let max = correction_distance(query.len());
        if max == 0 {
            return Vec::new();
        }
        let letters = letter_set(&query);
        let mut scratch = Vec::new();
        let mut found: Vec<(&str, usize, u32)> = self
            .words
            .iter()
            // Each edit brings in or removes at most one distinct character on each side.
            .filter(|e| {
                e.chars.len().abs_diff(query.len()) <= max
                    && (letters & !e.letters).count_ones() as usize <= max
                    && (e.letters & !letters).count_ones() as usize <= max
            })
            .filter_map(|e| {
                bounded_osa(&query, &e.chars, max, &mut scratch)
                    .map(|d| (e.word.as_str(), d, e.frequency))
            })
            .collect();
        let first = query.first().copied();
        found.sort_by_key(|&(w, d, f)| (d, w.chars().next() != first, Reverse(f), w));
        found.truncate(PER_WORD);
        found
    }

    /// Candidate corrected queries, cheapest first, none equal to the query itself.
    /// `allow_drop`: a word may also be left out (at a cost), so that a query whose words
    /// all exist but never meet ("spaceboy cabinet") still gets suggestions.
    pub fn candidates(&self, query: &[QueryWord], allow_drop: bool) -> Vec<String> {
        // (words so far, total cost, frequency of the corrections: higher is better)
        let mut beam: Vec<(Vec<&str>, usize, u64)> = vec![(Vec::new(), 0, 0)];
        for q in query {
            let mut options: Vec<(Option<&str>, usize, u64)> = if self.knows(q) {
                vec![(Some(q.word.raw.as_str()), 0, 0)]
            } else {
                self.corrections(&q.word.raw)
                    .into_iter()
                    .map(|(w, d, f)| (Some(w), d, f as u64))
                    .collect()
            };
            if allow_drop && query.len() > 1 && !q.stop {
                options.push((None, DROP_COST, 0));
            }
            if options.is_empty() {
                return Vec::new();
            }
            let mut next = Vec::with_capacity(beam.len() * options.len());
            for (words, cost, freq) in &beam {
                for (option, c, f) in &options {
                    let mut words = words.clone();
                    words.extend(option);
                    next.push((words, cost + c, freq + f));
                }
            }
            next.sort_by_key(|(words, cost, freq)| (*cost, Reverse(*freq), words.clone()));
            next.truncate(BEAM);
            beam = next;
        }
        let original: Vec<&str> = query.iter().map(|q| q.word.raw.as_str()).collect();
        let mut out: Vec<String> = Vec::new();
        for (words, _, _) in beam {
            if words.is_empty() || words == original {
                continue;
            }
            let text = words.join(" ");
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }
}

/// Optimal string alignment distance (edits, with adjacent transpositions costing one), or
/// None as soon as it must exceed `max`: most vocabulary words are rejected after a few rows.
/// `scratch` is reused between calls to avoid allocating.
fn bounded_osa(a: &[char], b: &[char], max: usize, scratch: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    // Three rows of the table: i - 2 (for transpositions), i - 1 and i.
    scratch.clear();
    scratch.resize(3 * width, 0);
    let (mut before, rest) = scratch.split_at_mut(width);
    let (mut previous, mut current) = rest.split_at_mut(width);
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::bounded_osa;

    #[test]
    fn bounded_osa_agrees_with_strsim_within_the_bound() {
        let words = [
            "",
            "a",
            "bag",
            "bga",
            "lantern",
            "lnatren",
            "lantren",
            "cakestand",
            "cakestnad",
            "heart",
            "hearts",
            "earth",
            "retrospot",
            "retrsopto",
            "ca",
            "abc",
            "ca abc",
        ];
        for a in words {
            for b in words {
                let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let exact = strsim::osa_distance(a, b);
                for max in 0..4 {
                    let expected = (exact <= max).then_some(exact);
                    assert_eq!(
                        bounded_osa(&ac, &bc, max, &mut Vec::new()),
                        expected,
                        "{a:?} {b:?} {max}"
                    );
                }
            }
        }
    }
}
