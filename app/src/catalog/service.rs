//! Catalogue domain functions. Plain async functions over the ports, called by the server
//! functions and tested directly against a real store.

use super::feeds::FeedsCache;
use super::model::{HomeFeeds, ProductCard, ProductDetail, ProductPage, ProductQuery};
use crate::error::{AppError, AppResult};
use crate::ports::CatalogStore;

pub const HOME_STRIP_LEN: u32 = 12;
const DAY: i64 = 86_400;
/// Favourites and similar lookups are capped: a longer list is a bug or an abuse.
pub const MAX_CODES: usize = super::service_limits::MAX_FAVOURITES;

pub async fn home_feeds(
    store: &dyn CatalogStore,
    cache: &FeedsCache,
    now: i64,
) -> AppResult<HomeFeeds> {
    cache
        .get_or_build(|| async {
            let best_sellers = store
                .best_sellers(now - 30 * DAY, HOME_STRIP_LEN * 2)
                .await?;
            Ok(HomeFeeds {
                categories: store.categories().await?,
                // Until the recommender exists (a later issue), "recommended" is the second
                // half of the best-seller list so that the two strips do not repeat.
                recommended: best_sellers
                    .iter()
                    .skip(HOME_STRIP_LEN as usize)
                    .cloned()
                    .collect(),
                best_sellers: best_sellers
                    .into_iter()
                    .take(HOME_STRIP_LEN as usize)
                    .collect(),
                new_arrivals: store.new_arrivals(HOME_STRIP_LEN).await?,
            })
        })
        .await
}

pub async fn list_products(
    store: &dyn CatalogStore,
    query: ProductQuery,
) -> AppResult<ProductPage> {
    let query = query.validate()?;
    store.list_products(&query).await
}

/// A product code as it appears in URLs: letters, digits, and a few separators.
pub fn check_code(code: &str) -> AppResult<&str> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(code)
    } else {
        Err(AppError::not_found("There is no product with that code."))
    }
}

pub async fn product(store: &dyn CatalogStore, code: &str) -> AppResult<ProductDetail> {
    let code = check_code(code)?;
    store
        .product(code)
        .await?
        .ok_or_else(|| AppError::not_found("There is no product with that code."))
}

pub async fn products_by_codes(
    store: &dyn CatalogStore,
    codes: Vec<String>,
) -> AppResult<Vec<ProductCard>> {
    if codes.len() > MAX_CODES {
        return Err(AppError::bad_request(format!(
            "At most {MAX_CODES} products can be fetched at once."
        )));
    }
    let valid: Vec<String> = codes
        .into_iter()
        .filter(|c| check_code(c).is_ok())
        .collect();
    store.products_by_codes(&valid).await
}
