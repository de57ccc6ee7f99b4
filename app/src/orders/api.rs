//! Order server functions: thin. Each first finds out who is asking (the history needs a
//! member; the others take the member or guest session and let `service` decide whether
//! they may see the order), then calls `service`. Reads are GET, changes POST; answers
//! are personal and never cached.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::orders::model::{Invoice, OrderDetail, OrderHistory, ReorderResult};

#[cfg(feature = "ssr")]
mod who {
    use crate::accounts::guard;
    use crate::cart::api::owner;
    use crate::orders::service::Viewer;

    /// Who is asking: the member (with their role) and the request's cart key, if any.
    /// Never fails: someone without a session simply owns no order.
    pub fn viewer() -> Viewer {
        owner::no_store();
        let identity = guard::identity();
        Viewer {
            owner: owner::of(&identity),
            customer_id: identity
                .user
                .as_ref()
                .map(|u| u.id)
                .or(identity.session.as_ref().and_then(|s| s.customer_id)),
            role: identity.user.as_ref().map(|u| u.role),
        }
    }
}

/// A page of the signed-in member's orders, newest first.
#[server(prefix = "/api", endpoint = "orders/history", input = GetUrl)]
pub async fn get_order_history(page: Option<u32>) -> Result<OrderHistory, AppError> {
    let user = crate::accounts::guard::require_user()?;
    crate::cart::api::owner::no_store();
    let state = crate::ports::app_state()?;
    crate::orders::service::history(&*state.store, user.id, page.unwrap_or(1)).await
}

/// An order of the caller's (or any, for staff); 404 otherwise.
#[server(prefix = "/api", endpoint = "orders/detail", input = GetUrl)]
pub async fn get_order(number: String) -> Result<OrderDetail, AppError> {
    let viewer = who::viewer();
    let state = crate::ports::app_state()?;
    crate::orders::service::detail(&*state.store, &viewer, &number).await
}

/// The invoice of a paid order, with the same access rule as [`get_order`].
#[server(prefix = "/api", endpoint = "orders/invoice", input = GetUrl)]
pub async fn get_invoice(number: String) -> Result<Invoice, AppError> {
    let viewer = who::viewer();
    let state = crate::ports::app_state()?;
    crate::orders::service::invoice(&*state.store, &viewer, &number).await
}

/// Cancel one of the caller's orders before it ships; the money goes back.
#[server(prefix = "/api", endpoint = "orders/cancel")]
pub async fn cancel_order(number: String) -> Result<OrderDetail, AppError> {
    let viewer = who::viewer();
    let state = crate::ports::app_state()?;
    crate::orders::service::cancel(
        &*state.store,
        &*state.payments,
        &viewer,
        &number,
        crate::ports::now(),
    )
    .await
}

/// Put one of the caller's orders back into their cart (today's prices and stock).
#[server(prefix = "/api", endpoint = "orders/reorder")]
pub async fn reorder(number: String) -> Result<ReorderResult, AppError> {
    let viewer = who::viewer();
    let state = crate::ports::app_state()?;
    crate::orders::service::reorder(&*state.store, &viewer, &number, crate::ports::now()).await
}
