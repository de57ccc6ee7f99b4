//! Favourites server functions, for members only (visitors keep theirs in localStorage).
//! Each checks who is asking, then calls `service`. Changes are POST; answers are personal
//! and never cached.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::catalog::model::ProductCard;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn no_store() {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

#[server(prefix = "/api", endpoint = "favourites", input = GetUrl)]
pub async fn get_favourites() -> Result<Vec<ProductCard>, AppError> {
    let user = crate::accounts::guard::require_user()?;
    no_store();
    let state = crate::state::app_state()?;
    super::service::list(&*state.store, user.id).await
}

/// Merges `codes` into the account's favourites (at most 200 per call).
#[server(prefix = "/api", endpoint = "favourites/add")]
pub async fn add_favourites(codes: Vec<String>) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    no_store();
    let state = crate::state::app_state()?;
    super::service::add(&*state.store, user.id, codes, crate::state::now()).await
}

#[server(prefix = "/api", endpoint = "favourites/remove")]
pub async fn remove_favourite(code: String) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    no_store();
    let state = crate::state::app_state()?;
    super::service::remove(&*state.store, user.id, &code).await
}
