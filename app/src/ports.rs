//! The interfaces the domain needs from the outside world (hexagonal "ports"). The server
//! crate provides the adapters: a SQLite and a PostgreSQL store, and a tantivy search index.
//! Domain functions take these as arguments, so tests can hand them a real store directly.

use std::sync::Arc;

use crate::catalog::model::{
    CategorySummary, ProductCard, ProductDetail, ProductPage, ProductQuery,
};
use crate::error::AppResult;
use crate::search::model::{SearchRequest, SearchResults};

#[async_trait::async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    /// Categories with their product counts, largest first.
    async fn categories(&self) -> AppResult<Vec<CategorySummary>>;
    async fn list_products(&self, query: &ProductQuery) -> AppResult<ProductPage>;
    /// The product with its "also bought" list, or None.
    async fn product(&self, code: &str) -> AppResult<Option<ProductDetail>>;
    /// Most units sold in orders placed since `since` (unix seconds).
    async fn best_sellers(&self, since: i64, limit: u32) -> AppResult<Vec<ProductCard>>;
    /// Most recently introduced products (first sale), newest first.
    async fn new_arrivals(&self, limit: u32) -> AppResult<Vec<ProductCard>>;
    /// The given products, in the given order; unknown codes are skipped.
    async fn products_by_codes(&self, codes: &[String]) -> AppResult<Vec<ProductCard>>;
    /// Every product, for building the search index.
    async fn all_products(&self) -> AppResult<Vec<ProductCard>>;
}

pub trait SearchEngine: Send + Sync + 'static {
    fn search(&self, request: &SearchRequest) -> AppResult<SearchResults>;
    /// Completions for what the shopper has typed so far.
    fn suggest(&self, prefix: &str, limit: usize) -> AppResult<Vec<String>>;
}

/// Everything a request handler may use, provided to server functions through context.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn CatalogStore>,
    pub search: Arc<dyn SearchEngine>,
    pub feeds_cache: Arc<crate::catalog::feeds::FeedsCache>,
}

/// The state, from a server function or a component rendered on the server.
pub fn app_state() -> AppResult<AppState> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
}

/// Current time in unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
