//! Order server functions: thin. Each first finds out who is asking (the history needs a
//! member; the others take the member or guest session and let `service` decide whether
//! they may see the order), then calls `service`. Reads are GET, changes POST; answers
//! are personal and never cached.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::orders::model::{
    Dispatched, Invoice, Notifications, OrderDetail, OrderHistory, OrderSummary, ReorderResult,
    Tracking,
};

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
    let state = crate::state::app_state()?;
    crate::orders::service::history(&*state.store, user.id, page.unwrap_or(1)).await
}

/// An order of the caller's (or any, for staff); 404 otherwise.
#[server(prefix = "/api", endpoint = "orders/detail", input = GetUrl)]
pub async fn get_order(number: String) -> Result<OrderDetail, AppError> {
    let viewer = who::viewer();
    let state = crate::state::app_state()?;
    crate::orders::service::detail(&*state.store, &viewer, &number).await
}

/// The invoice of a paid order, with the same access rule as [`get_order`].
#[server(prefix = "/api", endpoint = "orders/invoice", input = GetUrl)]
pub async fn get_invoice(number: String) -> Result<Invoice, AppError> {
    let viewer = who::viewer();
    let state = crate::state::app_state()?;
    crate::orders::service::invoice(&*state.store, &viewer, &number).await
}

/// Cancel one of the caller's orders before it ships; the money goes back.
#[server(prefix = "/api", endpoint = "orders/cancel")]
pub async fn cancel_order(number: String) -> Result<OrderDetail, AppError> {
    let viewer = who::viewer();
    let state = crate::state::app_state()?;
    crate::orders::service::cancel(
        &*state.store,
        &*state.payments,
        &viewer,
        &number,
        crate::state::now(),
    )
    .await
}

/// Put one of the caller's orders back into their cart (today's prices and stock).
#[server(prefix = "/api", endpoint = "orders/reorder")]
pub async fn reorder(number: String) -> Result<ReorderResult, AppError> {
    let viewer = who::viewer();
    let state = crate::state::app_state()?;
    crate::orders::service::reorder(&*state.store, &viewer, &number, crate::state::now()).await
}

// ---- tracking, notifications, staff dispatch ----

/// Tracking of an order of the caller's (or any, for staff); 404 otherwise.
#[server(prefix = "/api", endpoint = "orders/tracking", input = GetUrl)]
pub async fn get_tracking(number: String) -> Result<Tracking, AppError> {
    let viewer = who::viewer();
    let state = crate::state::app_state()?;
    crate::orders::shipping::track(&*state.store, &viewer, &number, crate::state::now()).await
}

/// Tracking for anyone with the order's number and email (guests). POST keeps the email
/// out of URLs and logs; throttled per address and per order number.
#[server(prefix = "/api", endpoint = "track")]
pub async fn track_order(number: String, email: String) -> Result<Tracking, AppError> {
    crate::cart::api::owner::no_store();
    let identity = crate::accounts::guard::identity();
    let state = crate::state::app_state()?;
    crate::orders::shipping::track_by_email(
        &*state.store,
        &identity.client_ip,
        &number,
        &email,
        crate::state::now(),
    )
    .await
}

/// The signed-in member's notification centre.
#[server(prefix = "/api", endpoint = "notifications", input = GetUrl)]
pub async fn get_notifications() -> Result<Notifications, AppError> {
    let user = crate::accounts::guard::require_user()?;
    crate::cart::api::owner::no_store();
    let state = crate::state::app_state()?;
    crate::orders::shipping::notifications(&*state.store, user.id, crate::state::now()).await
}

/// The number on the bell: 0 for someone not signed in (the bell is not shown then).
#[server(prefix = "/api", endpoint = "notifications/count", input = GetUrl)]
pub async fn notification_count() -> Result<i64, AppError> {
    crate::cart::api::owner::no_store();
    let identity = crate::accounts::guard::identity();
    let Some(user) = identity.user else {
        return Ok(0);
    };
    let state = crate::state::app_state()?;
    crate::orders::shipping::bell_count(&*state.store, user.id, identity.facts, crate::state::now())
        .await
}

/// Mark the member's notifications read.
#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let user = crate::accounts::guard::require_user()?;
    let state = crate::state::app_state()?;
    crate::orders::shipping::mark_read(&*state.store, user.id).await
}

/// Staff: orders waiting to be packed or shipped.
#[server(prefix = "/api", endpoint = "staff/dispatch", input = GetUrl)]
pub async fn get_dispatch_queue() -> Result<Vec<OrderSummary>, AppError> {
    crate::accounts::guard::require_staff()?;
    crate::cart::api::owner::no_store();
    let state = crate::state::app_state()?;
    crate::orders::shipping::dispatch_queue(&*state.store).await
}

/// Staff: mark an order packed.
#[server(prefix = "/api", endpoint = "staff/pack")]
pub async fn pack_order(number: String) -> Result<Dispatched, AppError> {
    let staff = crate::accounts::guard::require_staff()?;
    let state = crate::state::app_state()?;
    crate::orders::shipping::pack(&*state.store, staff.id, &number, crate::state::now()).await
}

/// Staff: hand an order to the carrier (it gets a tracking number).
#[server(prefix = "/api", endpoint = "staff/ship")]
pub async fn ship_order(number: String) -> Result<Dispatched, AppError> {
    let staff = crate::accounts::guard::require_staff()?;
    let state = crate::state::app_state()?;
    crate::orders::shipping::ship(
        &*state.store,
        &*state.payments,
        &state.shipping,
        staff.id,
        &number,
        crate::state::now(),
    )
    .await
}
