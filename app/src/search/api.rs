//! Search server functions.

use leptos::prelude::*;

use super::model::{SearchRequest, SearchResults};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "search", input = server_fn::codec::GetUrl)]
pub async fn search(request: SearchRequest) -> Result<SearchResults, AppError> {
    let state = crate::state::app_state()?;
    let results =
        super::service::search(state.search.as_ref(), state.store.as_ref(), &request).await?;
    if !request.query.trim().is_empty() {
        crate::privacy::service::record_event(
            &*state.store,
            &crate::accounts::guard::identity(),
            "search",
            request.query.trim(),
            crate::state::now(),
        )
        .await?;
    }
    Ok(results)
}

#[server(prefix = "/api", endpoint = "suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest(prefix: String) -> Result<Vec<String>, AppError> {
    let state = crate::state::app_state()?;
    state.search.suggest(&prefix, 8)
}
