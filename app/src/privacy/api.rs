//! Privacy-centre server functions. The data export is a plain GET download served by the
//! router (`/account/export.json`), built by [`crate::privacy::service::export`].

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::privacy::model::{ConsentSetting, Purpose};

#[server(prefix = "/api", endpoint = "privacy/consents", input = GetUrl)]
pub async fn consents() -> Result<Vec<ConsentSetting>, AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::privacy::service::consents(&*state.store, user.id).await
}

#[server(prefix = "/api", endpoint = "privacy/consents/set")]
pub async fn set_consent(purpose: Purpose, granted: bool) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::privacy::service::set_consent(
        &*state.store,
        &user,
        purpose,
        granted,
        crate::state::now(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "privacy/delete-account")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    let identity = crate::accounts::guard::identity();
    crate::privacy::service::erase(
        &*state.store,
        &identity,
        &user,
        &password,
        crate::state::now(),
    )
    .await?;
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = http::HeaderValue::from_str(&crate::accounts::session::clear_cookie()) {
            opts.append_header(http::header::SET_COOKIE, v);
        }
    }
    leptos_axum::redirect("/?account=deleted");
    Ok(())
}
