//! Cart server functions. Each finds out whose cart it is (a member's account, else the
//! guest session; a guest's first change starts a guest session), then calls `service`.
//! Changes are POST (the server refuses cross-site requests); answers are never cached.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::cart::model::Cart;
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub(crate) mod owner {
    use http::{header, HeaderValue};

    use crate::accounts::guard;
    use crate::accounts::session::{self, RequestIdentity};
    use crate::cart::model::CartOwner;
    use crate::error::AppResult;
    use crate::state::AppState;

    /// A cart is personal: no shared cache may keep an answer about one.
    pub fn no_store() {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            opts.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }

    /// Whose cart this request reads, if it has one.
    pub fn of(identity: &RequestIdentity) -> Option<CartOwner> {
        if let Some(user) = &identity.user {
            return Some(CartOwner::Account(user.id));
        }
        let session = identity.session.as_ref()?;
        Some(match session.customer_id {
            Some(id) => CartOwner::Account(id),
            None => CartOwner::guest(&session.public_id),
        })
    }

    /// Whose cart this request changes: a guest without a session gets one (and its cookie).
    pub async fn for_write(state: &AppState, now: i64) -> AppResult<CartOwner> {
        let identity = guard::identity();
        if let Some(owner) = of(&identity) {
            return Ok(owner);
        }
        let (token, record) = session::start(&*state.store, None, &identity, now).await?;
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(v) =
                HeaderValue::from_str(&session::set_cookie(&token, &state.security, false))
            {
                opts.append_header(header::SET_COOKIE, v);
            }
        }
        Ok(CartOwner::guest(&record.public_id))
    }
}

#[server(prefix = "/api", endpoint = "cart", input = GetUrl)]
pub async fn get_cart() -> Result<Cart, AppError> {
    // Without a session there is no cart, and the answer is the same for everyone (the
    // page micro-cache may keep pages that show it).
    let Some(owner) = owner::of(&crate::accounts::guard::identity()) else {
        return Ok(Cart::default());
    };
    owner::no_store();
    let state = crate::state::app_state()?;
    crate::cart::service::view(&*state.store, &owner).await
}

#[server(prefix = "/api", endpoint = "cart/add")]
pub async fn add_to_cart(code: String, quantity: i64) -> Result<Cart, AppError> {
    owner::no_store();
    let state = crate::state::app_state()?;
    let now = crate::state::now();
    let owner = owner::for_write(&state, now).await?;
    crate::cart::service::add(&*state.store, &owner, &code, quantity, now).await
}

#[server(prefix = "/api", endpoint = "cart/set")]
pub async fn set_cart_quantity(code: String, quantity: i64) -> Result<Cart, AppError> {
    owner::no_store();
    if quantity == 0 && owner::of(&crate::accounts::guard::identity()).is_none() {
        // Nothing to remove from a cart that does not exist: no session for that.
        return Ok(Cart::default());
    }
    let state = crate::state::app_state()?;
    let now = crate::state::now();
    let owner = owner::for_write(&state, now).await?;
    crate::cart::service::set_quantity(&*state.store, &owner, &code, quantity, now).await
}

/// Keep a line for later: out of the basket (and checkout), still in the cart.
#[server(prefix = "/api", endpoint = "cart/save")]
pub async fn save_for_later(code: String) -> Result<Cart, AppError> {
    owner::no_store();
    let Some(owner) = owner::of(&crate::accounts::guard::identity()) else {
        return Ok(Cart::default());
    };
    let state = crate::state::app_state()?;
    crate::cart::service::save_for_later(&*state.store, &owner, &code).await
}

/// Bring a saved line back into the basket.
#[server(prefix = "/api", endpoint = "cart/move")]
pub async fn move_to_basket(code: String) -> Result<Cart, AppError> {
    owner::no_store();
    let Some(owner) = owner::of(&crate::accounts::guard::identity()) else {
        return Ok(Cart::default());
    };
    let state = crate::state::app_state()?;
    crate::cart::service::move_to_basket(&*state.store, &owner, &code, crate::state::now()).await
}
