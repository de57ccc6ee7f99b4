//! The catalogue search engine: an in-memory tantivy index over every product, built at
//! start-up from the store (a few thousand products index in tens of milliseconds), behind
//! the app's [`SearchEngine`] port.
//!
//! Layout: `analysis` (the one tokenizer pipeline everything shares), `query` (building
//! queries programmatically and how they score), `collector` (all matches with scores),
//! `highlight`, `spelling` ("did you mean"). This file holds the engine and the tests.
//!
//! Design decisions:
//! - **One query execution per search.** The catalogue is small, so the engine collects
//!   every match with its score and then, in memory, applies the filters, counts both
//!   facets and picks the page. Facet counts therefore always cover all matches.
//! - **Facet semantics** (standard faceted search): the hits are narrowed by both filters;
//!   the category counts are computed with the price-band filter applied (but not the
//!   category filter), the price-band counts with the category filter applied (but not the
//!   band filter). So a shopper sees how many hits each other choice would give. Values
//!   with no matches are left out, except the selected one (kept, possibly with 0, so the
//!   page can show it as active). Categories are ordered by count, then slug; price bands
//!   keep the order of `PRICE_BANDS`.
//! - **Ranking**: see `query`; exact (stemmed) matches rank above prefix matches, which rank
//!   above typo matches; ties go to the product listed first in the input (the store lists
//!   them by popularity), so results are deterministic.
//! - **Validation**: a query longer than `MAX_QUERY_CHARS` characters, an unknown price band
//!   or an unknown category is a `BadRequest`. A category of the taxonomy that simply has no
//!   products is accepted (and finds nothing). An empty filter value means no filter. An
//!   empty (or punctuation-only) query finds nothing, without error.
//! - **Cards are a snapshot** taken when the index was built (title, category and price do
//!   not change at run time; stock may, so a page that shows stock may refresh it from the
//!   store by code).

mod analysis;
mod collector;
mod highlight;
mod query;
mod spelling;

use app::search::refusal::SearchRefusal;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use app::catalog::model::ProductCard;
use app::catalog::taxonomy;
use app::error::{AppError, AppResult};
use app::search::model::{
    price_band, FacetCount, SearchHit, SearchRequest, SearchResults, MAX_QUERY_CHARS, PRICE_BANDS,
    SEARCH_PAGE_SIZE,
};
use app::search::port::SearchEngine;
use tantivy::collector::Count;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, TantivyDocument};

use self::analysis::{
    stem_analyzer, word_analyzer, Analyzers, Word, STEM_TOKENIZER, WORD_TOKENIZER,
};
use self::collector::{AllMatches, ORD_FIELD};
use self::query::{
    Fields, Matching, ParsedQuery, SEARCH_MIN_PREFIX_CHARS, SUGGEST_MIN_PREFIX_CHARS,
};
use self::spelling::Vocabulary;

/// Below this many hits, the engine looks for spelling corrections.
const FEW_HITS: u64 = 3;
const MAX_DID_YOU_MEAN: usize = 3;
/// Correction candidates tried against the index per search (each is a cheap count).
const MAX_CORRECTION_CHECKS: usize = 8;
/// Upper bound on `suggest`'s `limit`, whatever the caller asks.
const MAX_SUGGESTIONS: usize = 20;
/// tantivy's minimum indexing arena; a few thousand short documents fit many times over.
const INDEX_MEMORY_BYTES: usize = 15_000_000;

struct Product {
    card: ProductCard,
    /// Index into `CatalogSearch::categories`.
    category: usize,
    /// Index into `PRICE_BANDS`.
    band: usize,
    /// The title's words as indexed, for highlighting.
    words: Vec<Word>,
}

/// The search engine. Immutable once built: share it (`Arc`) between any number of tasks.
pub struct CatalogSearch {
    /// One reader for the life of the engine; each call takes its (cheap) current searcher.
    reader: IndexReader,
    fields: Fields,
    analyzers: Analyzers,
    /// In input order: a document's `ord` fast field is its position here.
    products: Vec<Product>,
    categories: Vec<String>,
    /// Each category slug's words ("home-decor" → home, decor), by category index.
    category_words: Vec<Vec<Word>>,
    category_ids: HashMap<String, usize>,
    vocabulary: Vocabulary,
}

#[derive(Clone, Copy)]
enum CategoryFilter {
    Any,
    Only(usize),
    /// A category of the taxonomy that no product is in.
    Empty,
}

impl CategoryFilter {
    fn accepts(self, category: usize) -> bool {
        match self {
            CategoryFilter::Any => true,
            CategoryFilter::Only(c) => c == category,
            CategoryFilter::Empty => false,
        }
    }
}

/// Score descending, then input order (popularity) ascending.
fn rank(a: &(u32, Score), b: &(u32, Score)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Sorts the best `k` of `matches` to the front and drops the rest.
fn top_k(matches: &mut Vec<(u32, Score)>, k: usize) {
    if matches.len() > k && k > 0 {
        matches.select_nth_unstable_by(k - 1, rank);
    }
    matches.truncate(k);
    matches.sort_unstable_by(rank);
}

fn check_length(text: &str) -> AppResult<()> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::bad_request(SearchRefusal::TooLong {
            max: MAX_QUERY_CHARS,
        }));
    }
    Ok(())
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn band_filter(value: Option<&str>) -> AppResult<Option<usize>> {
    let Some(value) = non_empty(value) else {
        return Ok(None);
    };
    PRICE_BANDS
        .iter()
        .position(|(name, _, _)| *name == value)
        .map(Some)
        .ok_or_else(|| AppError::bad_request(SearchRefusal::NoSuchPriceBand))
}

impl CatalogSearch {
    /// Indexes `products`; their order is the tie-break order of equally relevant hits.
    pub fn build(products: &[ProductCard]) -> Result<Self, AppError> {
        // No field norms: BM25 then ignores title length. Titles are all short, and a shorter
        // one is not a better match; without them, equally matching products tie and the
        // more popular one wins.
        let text = |tokenizer: &str, option: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(option)
                    .set_fieldnorms(false),
            )
        };
        let mut schema = Schema::builder();
        let fields = Fields {
            title: schema
                .add_text_field("title", text(STEM_TOKENIZER, IndexRecordOption::WithFreqs)),
            category: schema.add_text_field(
                "category",
                text(STEM_TOKENIZER, IndexRecordOption::WithFreqs),
            ),
            // Unstemmed title and category words, for typo and prefix matching.
            words: schema.add_text_field("words", text(WORD_TOKENIZER, IndexRecordOption::Basic)),
            code: schema.add_text_field("code", STRING),
        };
        let ord = schema.add_u64_field(ORD_FIELD, FAST);
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(WORD_TOKENIZER, word_analyzer());
        index.tokenizers().register(STEM_TOKENIZER, stem_analyzer());

        let analyzers = Analyzers::new();
        let mut categories: Vec<String> = Vec::new();
        let mut category_ids: HashMap<String, usize> = HashMap::new();
        let mut category_words: Vec<Vec<Word>> = Vec::new();
        let mut indexed = Vec::with_capacity(products.len());
        let mut codes = HashSet::new();

        // One thread and one commit: a single segment, built in well under a second.
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, INDEX_MEMORY_BYTES)
            .map_err(AppError::internal)?;
        for (i, card) in products.iter().enumerate() {
            let category = *category_ids
                .entry(card.category.clone())
                .or_insert_with(|| {
                    categories.push(card.category.clone());
                    category_words.push(analyzers.words(&card.category, usize::MAX));
                    categories.len() - 1
                });
            let code = card.code.to_lowercase();
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.title, &card.title);
            doc.add_text(fields.category, &card.category);
            doc.add_text(fields.words, &card.title);
            doc.add_text(fields.words, &card.category);
            doc.add_text(fields.code, &code);
            doc.add_u64(ord, i as u64);
            writer.add_document(doc).map_err(AppError::internal)?;
            codes.insert(code);
            let band = PRICE_BANDS
                .iter()
                .position(|(name, _, _)| *name == price_band(card.price_minor))
                .unwrap_or(PRICE_BANDS.len() - 1);
            indexed.push(Product {
                card: card.clone(),
                category,
                band,
                words: analyzers.words(&card.title, usize::MAX),
            });
        }
        writer.commit().map_err(AppError::internal)?;
        drop(writer);

        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(AppError::internal)?;
        let vocabulary_docs: Vec<Vec<Word>> = indexed
            .iter()
            .map(|p: &Product| {
                p.words
                    .iter()
                    .chain(&category_words[p.category])
                    .cloned()
                    .collect()
            })
            .collect();
        let vocabulary = Vocabulary::build(vocabulary_docs.iter().map(Vec::as_slice), codes);
        Ok(Self {
            reader,
            fields,
            analyzers,
            products: indexed,
            categories,
            category_words,
            category_ids,
            vocabulary,
        })
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn category_filter(&self, value: Option<&str>) -> AppResult<CategoryFilter> {
        let Some(value) = non_empty(value) else {
            return Ok(CategoryFilter::Any);
        };
        if let Some(&id) = self.category_ids.get(value) {
            Ok(CategoryFilter::Only(id))
        } else if taxonomy::is_known(value) {
            Ok(CategoryFilter::Empty)
        } else {
            Err(AppError::bad_request(SearchRefusal::NoSuchCategory))
        }
    }

    fn all_matches(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        matching: Matching,
    ) -> AppResult<Vec<(u32, Score)>> {
        match parsed.to_query(self.fields, matching) {
            Some(query) => searcher
                .search(&*query, &AllMatches)
                .map_err(AppError::internal),
            None => Ok(Vec::new()),
        }
    }

    /// Up to three corrected queries that find more than `total` products by exact words
    /// alone (ignoring the filters: the page links a correction without them).
    fn did_you_mean(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        total: u64,
        nothing_matched: bool,
    ) -> AppResult<Vec<String>> {
        let mut out = Vec::new();
        for text in self
            .vocabulary
            .candidates(&parsed.words, nothing_matched)
            .into_iter()
            .take(MAX_CORRECTION_CHECKS)
        {
            let candidate = ParsedQuery::parse(&self.analyzers, &text, SEARCH_MIN_PREFIX_CHARS);
            let Some(query) = candidate.to_query(self.fields, Matching::Exact) else {
                continue;
            };
            let count = searcher
                .search(&*query, &Count)
                .map_err(AppError::internal)? as u64;
            if count > total {
                out.push(text);
                if out.len() == MAX_DID_YOU_MEAN {
                    break;
                }
            }
        }
        Ok(out)
    }
}

impl SearchEngine for CatalogSearch {
    fn search(&self, request: &SearchRequest) -> AppResult<SearchResults> {
        check_length(&request.query)?;
        let category = self.category_filter(request.category.as_deref())?;
        let band = band_filter(request.price_band.as_deref())?;
        let parsed = ParsedQuery::parse(&self.analyzers, &request.query, SEARCH_MIN_PREFIX_CHARS);
        if parsed.is_empty() {
            return Ok(SearchResults::default());
        }
        let searcher = self.searcher();
        let matches = self.all_matches(&searcher, &parsed, Matching::Search)?;

        let mut category_counts = vec![0u64; self.categories.len()];
        let mut band_counts = [0u64; PRICE_BANDS.len()];
        let mut hits = Vec::new();
        for &(ord, score) in &matches {
            let product = &self.products[ord as usize];
            let in_category = category.accepts(product.category);
            let in_band = band.is_none_or(|b| b == product.band);
            if in_band {
                category_counts[product.category] += 1;
            }
            if in_category {
                band_counts[product.band] += 1;
            }
            if in_category && in_band {
                hits.push((ord, score));
            }
        }
        let total = hits.len() as u64;
        top_k(&mut hits, SEARCH_PAGE_SIZE);
        let hits = hits
            .iter()
            .map(|&(ord, _)| {
                let product = &self.products[ord as usize];
                SearchHit {
                    card: product.card.clone(),
                    title_highlighted: highlight::highlight(
                        &product.card.title,
                        &product.words,
                        &parsed.words,
                    ),
                }
            })
            .collect();

        let mut categories: Vec<FacetCount> = category_counts
            .iter()
            .enumerate()
            .filter(|&(id, &count)| {
                count > 0 || matches!(category, CategoryFilter::Only(c) if c == id)
            })
            .map(|(id, &count)| FacetCount {
                value: self.categories[id].clone(),
                count,
            })
            .collect();
        categories.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        if let (CategoryFilter::Empty, Some(value)) =
            (category, non_empty(request.category.as_deref()))
        {
            categories.push(FacetCount {
                value: value.to_string(),
                count: 0,
            });
        }
        let price_bands = PRICE_BANDS
            .iter()
            .zip(band_counts)
            .enumerate()
            .filter(|&(i, (_, count))| count > 0 || band == Some(i))
            .map(|(_, ((name, _, _), count))| FacetCount {
                value: name.to_string(),
                count,
            })
            .collect();

        // A product code is spelled as the shopper meant it.
        let did_you_mean = if total < FEW_HITS && !self.vocabulary.is_code(&parsed.code) {
            self.did_you_mean(&searcher, &parsed, total, matches.is_empty())?
        } else {
            Vec::new()
        };
        Ok(SearchResults {
            total,
            hits,
            categories,
            price_bands,
            did_you_mean,
        })
    }

    /// Product titles completing `prefix`: every word but the last as in a search, the last
    /// also as a prefix (even of one letter). When those are fewer than `limit`, completions
    /// with one typo follow (for a last word of four characters or more, same first letter).
    /// Within each group: by relevance, then input (popularity) order. Titles are
    /// de-duplicated case-insensitively.
    fn suggest(&self, prefix: &str, limit: usize) -> AppResult<Vec<String>> {
        check_length(prefix)?;
        let limit = limit.min(MAX_SUGGESTIONS);
        let parsed = ParsedQuery::parse(&self.analyzers, prefix, SUGGEST_MIN_PREFIX_CHARS);
        if limit == 0 || parsed.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.searcher();
        let mut out = Vec::with_capacity(limit);
        let mut seen = HashSet::new();
        let exact = self.all_matches(&searcher, &parsed, Matching::Search)?;
        self.add_titles(exact, limit, &mut seen, &mut out, |_| true);
        if let Some(last) = parsed.typo_prefix_word().filter(|_| out.len() < limit) {
            let typo = self.all_matches(&searcher, &parsed, Matching::Suggest)?;
            self.add_titles(typo, limit, &mut seen, &mut out, |p| {
                p.words
                    .iter()
                    .chain(&self.category_words[p.category])
                    .any(|w| highlight::typo_prefix(last, w))
            });
        }
        Ok(out)
    }
}

impl CatalogSearch {
    /// Appends the titles of the best `matches` that pass `keep` until `out` holds `limit`.
    fn add_titles(
        &self,
        mut matches: Vec<(u32, Score)>,
        limit: usize,
        seen: &mut HashSet<String>,
        out: &mut Vec<String>,
        keep: impl Fn(&Product) -> bool,
    ) {
        matches.sort_unstable_by(rank);
        for (ord, _) in matches {
            if out.len() >= limit {
                break;
            }
            let product = &self.products[ord as usize];
            if keep(product) && seen.insert(product.card.title.to_lowercase()) {
                out.push(product.card.title.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
