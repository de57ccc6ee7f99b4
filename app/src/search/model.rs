//! Search types shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::catalog::model::{Minor, ProductCard};

/// Longer queries are refused: no product title is anywhere near this long.
pub const MAX_QUERY_CHARS: usize = 200;
pub const SEARCH_PAGE_SIZE: usize = 24;

/// Price bands used as a search facet, in minor units, upper bound exclusive.
pub const PRICE_BANDS: [(&str, Minor, Minor); 5] = [
    ("0-2", 0, 200),
    ("2-5", 200, 500),
    ("5-10", 500, 1000),
    ("10-25", 1000, 2500),
    ("25+", 2500, i64::MAX),
];

pub fn price_band(price: Minor) -> &'static str {
    PRICE_BANDS
        .iter()
        .find(|(_, lo, hi)| price >= *lo && price < *hi)
        .map(|(name, _, _)| *name)
        .unwrap_or("25+")
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: String,
    /// Category slug facet filter.
    pub category: Option<String>,
    /// Price band facet filter (a name from [`PRICE_BANDS`]).
    pub price_band: Option<String>,
}

/// A title split into runs, `true` where the run matched the query.
pub type Highlighted = Vec<(String, bool)>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub card: ProductCard,
    pub title_highlighted: Highlighted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub categories: Vec<FacetCount>,
    pub price_bands: Vec<FacetCount>,
    /// When nothing (or little) matched: spelling corrections of the query.
    pub did_you_mean: Vec<String>,
}
