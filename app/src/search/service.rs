//! Search domain functions.

use super::model::{SearchRequest, SearchResults};
use crate::catalog::port::CatalogStore;
use crate::error::AppResult;
use crate::search::port::SearchEngine;

/// Search, then refresh each hit's price and stock from the store: the index is built at
/// start-up and those two change while the shop runs.
pub async fn search(
    engine: &dyn SearchEngine,
    store: &dyn CatalogStore,
    request: &SearchRequest,
) -> AppResult<SearchResults> {
    let mut results = engine.search(request)?;
    let codes: Vec<String> = results.hits.iter().map(|h| h.card.code.clone()).collect();
    let current = store.products_by_codes(&codes).await?;
    for hit in &mut results.hits {
        if let Some(card) = current.iter().find(|c| c.code == hit.card.code) {
            hit.card.price_minor = card.price_minor;
            hit.card.stock = card.stock;
        }
    }
    Ok(results)
}
