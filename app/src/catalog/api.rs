//! Catalogue server functions: thin wrappers that fetch the state and call the domain.
//! An `AppError` they return gets its HTTP status in the router (`server_fn_error_status`).

use leptos::prelude::*;

use super::model::{HomeFeeds, ProductCard, ProductDetail, ProductPage, ProductQuery};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "home_feeds", input = server_fn::codec::GetUrl)]
pub async fn get_home_feeds() -> Result<HomeFeeds, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::accounts::guard::current_user();
    super::service::home_feeds_for(
        state.store.as_ref(),
        &state.feeds_cache,
        user.as_ref(),
        crate::state::now(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "products", input = server_fn::codec::GetUrl)]
pub async fn list_products(query: ProductQuery) -> Result<ProductPage, AppError> {
    let state = crate::state::app_state()?;
    super::service::list_products(state.store.as_ref(), query).await
}

#[server(prefix = "/api", endpoint = "product", input = server_fn::codec::GetUrl)]
pub async fn get_product(code: String) -> Result<ProductDetail, AppError> {
    let state = crate::state::app_state()?;
    let product = super::service::product(state.store.as_ref(), &code).await?;
    // A product view is a behaviour event: kept only with the member's analytics consent.
    crate::privacy::service::record_event(
        &*state.store,
        &crate::accounts::guard::identity(),
        "product_view",
        &product.card.code,
        crate::state::now(),
    )
    .await?;
    Ok(product)
}

/// Read-only, but POST because a list of codes can be long.
#[server(prefix = "/api", endpoint = "products_by_codes")]
pub async fn products_by_codes(codes: Vec<String>) -> Result<Vec<ProductCard>, AppError> {
    let state = crate::state::app_state()?;
    super::service::products_by_codes(state.store.as_ref(), codes).await
}
