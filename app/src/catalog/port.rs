//! What the catalogue needs from storage.

use crate::catalog::model::{
    CategorySummary, ProductCard, ProductDetail, ProductPage, ProductQuery,
};
use crate::error::AppResult;

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
