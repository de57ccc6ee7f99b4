//! Catalogue domain functions. Plain async functions over the ports, called by the server
//! functions and tested directly against a real store.

use super::feeds::FeedsCache;
use super::model::{HomeFeeds, ProductCard, ProductDetail, ProductPage, ProductQuery};
use crate::accounts::model::CurrentUser;
use crate::catalog::port::CatalogStore;
use crate::catalog::refusal::CatalogRefusal;
use crate::error::{AppError, AppResult};
use crate::ports::ShopStore;
use crate::privacy::model::Purpose;

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
                personalised: false,
            })
        })
        .await
}

/// The home feeds for this visitor: with a signed-in member's personalisation consent,
/// "recommended" becomes what other customers bought with the member's favourites and
/// recent purchases; without it (and for guests) everyone gets the same, non-personal feeds.
pub async fn home_feeds_for(
    store: &dyn ShopStore,
    cache: &FeedsCache,
    user: Option<&CurrentUser>,
    now: i64,
) -> AppResult<HomeFeeds> {
    let mut feeds = home_feeds(store, cache, now).await?;
    let Some(user) = user else { return Ok(feeds) };
    if !crate::privacy::service::has_consent(store, user.id, Purpose::Personalisation).await? {
        return Ok(feeds);
    }
    let picks = personal_picks(store, user.id, HOME_STRIP_LEN as usize).await?;
    if !picks.is_empty() {
        feeds.recommended = picks;
        feeds.personalised = true;
    }
    Ok(feeds)
}

/// Up to `limit` products bought together with the member's favourites and most recent
/// purchases, excluding those they already have.
pub async fn personal_picks(
    store: &dyn ShopStore,
    customer_id: i64,
    limit: usize,
) -> AppResult<Vec<ProductCard>> {
    let mut seeds: Vec<String> = store.favourites(customer_id).await?;
    let orders = store.orders_of(customer_id).await?;
    for order in orders.iter().rev() {
        seeds.extend(order.lines.iter().map(|l| l.product_code.clone()));
    }
    let owned: std::collections::HashSet<String> = seeds.iter().cloned().collect();
    let mut seen = std::collections::HashSet::new();
    let mut picks = Vec::new();
    let mut seed_seen = std::collections::HashSet::new();
    let unique_seeds = seeds.iter().filter(|c| seed_seen.insert(c.as_str()));
    for code in unique_seeds.take(6) {
        let Some(detail) = store.product(code).await? else {
            continue;
        };
        for card in detail.also_bought {
            if !owned.contains(&card.code) && seen.insert(card.code.clone()) {
                picks.push(card);
            }
        }
    }
    picks.truncate(limit);
    Ok(picks)
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
        Err(AppError::not_found(CatalogRefusal::NoSuchProduct {
            code: None,
        }))
    }
}

pub async fn product(store: &dyn CatalogStore, code: &str) -> AppResult<ProductDetail> {
    let code = check_code(code)?;
    store
        .product(code)
        .await?
        .ok_or_else(|| AppError::not_found(CatalogRefusal::NoSuchProduct { code: None }))
}

pub async fn products_by_codes(
    store: &dyn CatalogStore,
    codes: Vec<String>,
) -> AppResult<Vec<ProductCard>> {
    if codes.len() > MAX_CODES {
        return Err(AppError::bad_request(CatalogRefusal::TooManyCodes {
            max: MAX_CODES,
        }));
    }
    let valid: Vec<String> = codes
        .into_iter()
        .filter(|c| check_code(c).is_ok())
        .collect();
    store.products_by_codes(&valid).await
}
