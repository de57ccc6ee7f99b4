//! Favourites of members, kept on the server (visitors keep theirs in the browser).
//! Plain async functions over the store, called by the server functions in `api`.

use crate::catalog::model::ProductCard;
use crate::catalog::service::check_code;
use crate::catalog::service_limits::MAX_FAVOURITES;
use crate::error::{AppError, AppResult};
use crate::favourites::refusal::FavouritesRefusal;
use crate::ports::ShopStore;

/// Most favourites one account keeps.
pub const MAX_ACCOUNT_FAVOURITES: usize = 500;

/// The member's favourites that are still in the catalogue, most recently added first.
pub async fn list(store: &dyn ShopStore, customer_id: i64) -> AppResult<Vec<ProductCard>> {
    let codes = store.favourites(customer_id).await?;
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    store.products_by_codes(&codes).await
}

/// Add `codes` to the member's favourites (a guest list merging in on sign-in, or one
/// tap). Codes that are not product codes are skipped, like unknown products.
pub async fn add(
    store: &dyn ShopStore,
    customer_id: i64,
    codes: Vec<String>,
    now: i64,
) -> AppResult<()> {
    if codes.len() > MAX_FAVOURITES {
        return Err(AppError::bad_request(FavouritesRefusal::TooManyAtOnce {
            max: MAX_FAVOURITES,
        }));
    }
    let mut valid: Vec<String> = Vec::with_capacity(codes.len());
    for code in codes {
        if check_code(&code).is_ok() && !valid.contains(&code) {
            valid.push(code);
        }
    }
    if valid.is_empty() {
        return Ok(());
    }
    let existing = store.favourites(customer_id).await?;
    let new = valid.iter().filter(|c| !existing.contains(c)).count();
    if existing.len() + new > MAX_ACCOUNT_FAVOURITES {
        return Err(AppError::bad_request(FavouritesRefusal::TooMany {
            max: MAX_ACCOUNT_FAVOURITES,
        }));
    }
    store.add_favourites(customer_id, &valid, now).await
}

pub async fn remove(store: &dyn ShopStore, customer_id: i64, code: &str) -> AppResult<()> {
    let code = check_code(code)?;
    store.remove_favourite(customer_id, code).await
}
