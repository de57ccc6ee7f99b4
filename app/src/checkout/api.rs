//! Checkout server functions: thin. Each finds out who is asking (a member, else the guest
//! session that holds the basket; guests give an email with the order), then calls
//! `service`. All are POST (they change state; the server refuses cross-site requests)
//! and their answers are never cached.

use leptos::prelude::*;

use crate::checkout::model::{CheckoutStarted, PlaceOrderRequest, PlacedOrder};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod who {
    use crate::accounts::guard;
    use crate::cart::api::owner;
    use crate::checkout::refusal::CheckoutRefusal;
    use crate::checkout::service::Buyer;
    use crate::error::{AppError, AppResult};

    /// The buyer of this request. Without a member or a guest session there is no basket.
    pub fn buyer() -> AppResult<Buyer> {
        owner::no_store();
        let identity = guard::identity();
        let owner = owner::of(&identity)
            .ok_or_else(|| AppError::bad_request(CheckoutRefusal::CartEmpty))?;
        Ok(Buyer {
            owner,
            customer_id: identity
                .user
                .as_ref()
                .map(|u| u.id)
                .or(identity.session.as_ref().and_then(|s| s.customer_id)),
            account_email: identity
                .user
                .as_ref()
                .map(|u| u.email.clone())
                .filter(|e| !e.is_empty()),
        })
    }
}

/// Reserve the basket's stock for 15 minutes. Pass the token back to keep the same hold
/// (it is replaced, not added to); without one a new checkout starts.
#[server(prefix = "/api", endpoint = "checkout/start")]
pub async fn start_checkout(checkout_token: Option<String>) -> Result<CheckoutStarted, AppError> {
    let buyer = who::buyer()?;
    let state = crate::state::app_state()?;
    let token = checkout_token
        .filter(|t| !t.is_empty())
        .unwrap_or_else(crate::checkout::service::new_checkout_token);
    crate::checkout::service::reserve(&*state.store, &buyer.owner, &token, crate::state::now())
        .await
}

/// Place the basket as an order and pay with a provider token. The client picks
/// `idempotency_key` once per checkout page: sending it again (a double click, a retry
/// after a network error) answers with the same order and never charges twice.
#[server(prefix = "/api", endpoint = "checkout/place")]
pub async fn place_order(order: PlaceOrderRequest) -> Result<PlacedOrder, AppError> {
    let buyer = who::buyer()?;
    let state = crate::state::app_state()?;
    crate::checkout::service::place_order(
        &*state.store,
        &*state.payments,
        &buyer,
        &order,
        crate::state::now(),
    )
    .await
}

/// Pay again (another card) for an order of this buyer whose payment failed.
#[server(prefix = "/api", endpoint = "checkout/retry")]
pub async fn retry_payment(
    number: String,
    payment_method: String,
    payment_token: String,
) -> Result<PlacedOrder, AppError> {
    let buyer = who::buyer()?;
    let state = crate::state::app_state()?;
    crate::checkout::service::retry_payment(
        &*state.store,
        &*state.payments,
        &buyer,
        &number,
        &payment_method,
        &payment_token,
        crate::state::now(),
    )
    .await
}

/// After the bank's challenge (3-D Secure): finish the payment of this buyer's order.
#[server(prefix = "/api", endpoint = "checkout/confirm")]
pub async fn confirm_payment(number: String) -> Result<PlacedOrder, AppError> {
    let buyer = who::buyer()?;
    let state = crate::state::app_state()?;
    crate::checkout::service::confirm_payment(
        &*state.store,
        &*state.payments,
        &buyer,
        &number,
        crate::state::now(),
    )
    .await
}

/// The basket's price with these choices, before paying (the review step). A GET: it
/// changes nothing, and the answer is personal (never cached).
#[server(prefix = "/api", endpoint = "checkout/quote", input = server_fn::codec::GetUrl)]
pub async fn quote_checkout(
    email: Option<String>,
    delivery_option: String,
    delivery_day: Option<String>,
    coupon_code: Option<String>,
    payment_method: Option<String>,
) -> Result<crate::checkout::model::CheckoutQuote, AppError> {
    let buyer = who::buyer()?;
    let state = crate::state::app_state()?;
    let request = crate::checkout::service::QuoteRequest {
        email: email.unwrap_or_default(),
        delivery_option,
        delivery_day,
        coupon_code,
        payment_method: payment_method.unwrap_or_default(),
    };
    crate::checkout::service::quote(&*state.store, &buyer, &request, crate::state::now()).await
}
