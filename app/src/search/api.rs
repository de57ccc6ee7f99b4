//! Search server functions.

use leptos::prelude::*;

use super::model::{SearchRequest, SearchResults};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "search", input = server_fn::codec::GetUrl)]
pub async fn search(request: SearchRequest) -> Result<SearchResults, AppError> {
    crate::error::respond(
        async move {
            let state = crate::ports::app_state()?;
            super::service::search(state.search.as_ref(), state.store.as_ref(), &request).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest(prefix: String) -> Result<Vec<String>, AppError> {
    if prefix.chars().count() > super::model::MAX_QUERY_CHARS {
        return crate::error::respond(Err(AppError::bad_request("That search is too long.")));
    }
    crate::error::respond(
        async move {
            let state = crate::ports::app_state()?;
            state.search.suggest(&prefix, 8)
        }
        .await,
    )
}
