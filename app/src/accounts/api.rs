//! Account server functions. Each checks who is asking (`guard`), then calls the domain
//! function in `service`. Everything that changes state is POST (the server refuses
//! cross-site requests); reads are GET.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::accounts::model::{Address, AddressInput, CurrentUser, Device};
use crate::error::AppError;

/// Where to go after signing in: a path on this site (parsed as a browser would, see
/// `security::same_origin_path`), never another site and never a server function.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(crate::security::same_origin_path)
        .filter(|p| !p.starts_with("/api/"))
        .unwrap_or_else(|| "/account".to_string())
}

#[cfg(feature = "ssr")]
mod cookies {
    use crate::accounts::service::SignedIn;
    use crate::accounts::session::{clear_cookie, set_cookie};
    use crate::state::AppState;

    fn append(value: String) {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(v) = http::HeaderValue::from_str(&value) {
                opts.append_header(http::header::SET_COOKIE, v);
            }
            // Never let a shared cache keep an answer that sets a session.
            opts.insert_header(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
        }
    }
    pub fn give(state: &AppState, signed_in: &SignedIn) {
        append(set_cookie(&signed_in.token, &state.security, true));
    }
    pub fn take() {
        append(clear_cookie());
    }
}

#[server(prefix = "/api", endpoint = "account/me", input = GetUrl)]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::accounts::guard::current_user())
}

#[server(prefix = "/api", endpoint = "account/sign-up")]
pub async fn sign_up(
    email: String,
    name: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let identity = crate::accounts::guard::identity();
    let signed_in = crate::accounts::service::sign_up(
        &*state.store,
        &identity,
        &email,
        &name,
        &password,
        crate::state::now(),
    )
    .await?;
    cookies::give(&state, &signed_in);
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let identity = crate::accounts::guard::identity();
    let signed_in = crate::accounts::service::sign_in(
        &*state.store,
        &identity,
        &email,
        &password,
        crate::state::now(),
    )
    .await?;
    cookies::give(&state, &signed_in);
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    crate::accounts::service::sign_out(&*state.store, &crate::accounts::guard::identity()).await?;
    cookies::take();
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    let identity = crate::accounts::guard::identity();
    let signed_in = crate::accounts::service::change_password(
        &*state.store,
        &identity,
        &user,
        &current,
        &new_password,
        crate::state::now(),
    )
    .await?;
    cookies::give(&state, &signed_in);
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/name")]
pub async fn rename(name: String) -> Result<String, AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::rename(&*state.store, &user, &name).await
}

#[server(prefix = "/api", endpoint = "account/devices", input = GetUrl)]
pub async fn devices() -> Result<Vec<Device>, AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::devices(&*state.store, &user, &crate::accounts::guard::identity())
        .await
}

#[server(prefix = "/api", endpoint = "account/devices/sign-out")]
pub async fn sign_out_device(id: String) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::sign_out_device(&*state.store, &user, &id).await
}

#[server(prefix = "/api", endpoint = "account/devices/sign-out-all")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::sign_out_everywhere(&*state.store, &user).await?;
    cookies::take();
    leptos_axum::redirect("/signin");
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/addresses", input = GetUrl)]
pub async fn addresses() -> Result<Vec<Address>, AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::addresses(&*state.store, &user).await
}

#[server(prefix = "/api", endpoint = "account/addresses/save")]
pub async fn save_address(id: Option<i64>, address: AddressInput) -> Result<i64, AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::save_address(&*state.store, &user, id, &address, crate::state::now())
        .await
}

#[server(prefix = "/api", endpoint = "account/addresses/delete")]
pub async fn delete_address(id: i64) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::delete_address(&*state.store, &user, id).await
}

#[server(prefix = "/api", endpoint = "account/addresses/default")]
pub async fn make_default_address(id: i64) -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::accounts::service::make_default_address(&*state.store, &user, id).await
}
