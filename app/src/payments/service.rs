//! Payment webhooks, server side: a provider tells the shop, signed, how a payment ended
//! (a wallet payment confirmed on the shopper's phone, a late capture). Plain functions over
//! the ports, tested directly (server/tests/integration/payments.rs).
//!
//! Safe when repeated or out of order:
//! - the signature is checked first (`PaymentGateway::verify_webhook`); nothing is read or
//!   written for an event that does not verify;
//! - an event id seen before is answered as a duplicate and changes nothing;
//! - the order moves only through `orders::state::next`, guarded by its current state, so
//!   a late "failed" after "captured" (or a "pending" after either) is refused by the state
//!   machine and recorded as ignored; a repeated "captured" is a no-op transition.
//!
//! Two deliveries of one event racing each other may both pass the "seen" check; both then
//! meet the guarded transition, and only one moves the order.

use crate::error::{AppError, AppResult};
use crate::payments::port::PaymentGateway;
use crate::ports::ShopStore;

/// What a webhook event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// The order and its payment were updated (or were already where the event says).
    Applied,
    /// This event id was received before: nothing done.
    Duplicate,
    /// Stale or out of order for where the order is now: recorded, nothing changed.
    Ignored,
    /// No payment with that reference (another shop's, or a test event): recorded.
    UnknownPayment,
}

impl WebhookOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookOutcome::Applied => "applied",
            WebhookOutcome::Duplicate => "duplicate",
            WebhookOutcome::Ignored => "ignored",
            WebhookOutcome::UnknownPayment => "unknown_payment",
        }
    }
}

/// Verify, deduplicate and apply one webhook delivery (`body` exactly as received).
/// Unauthorized when the signature does not verify; BadRequest when the body is not an
/// event.
pub async fn apply_webhook(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    body: &[u8],
    signature: &str,
    now: i64,
) -> AppResult<WebhookOutcome> {
    let event = gateway.verify_webhook(body, signature)?;
    if store.webhook_seen(&event.event_id).await? {
        return Ok(WebhookOutcome::Duplicate);
    }
    let outcome = match store.order_of_payment(&event.provider_ref).await? {
        None => {
            leptos::logging::warn!(
                "payment webhook {} names an unknown payment {}",
                event.event_id,
                event.provider_ref
            );
            WebhookOutcome::UnknownPayment
        }
        Some(order_id) => match crate::checkout::service::settle_from_provider(
            store,
            gateway,
            order_id,
            &event.provider_ref,
            event.status,
            now,
        )
        .await
        {
            Ok(_) => WebhookOutcome::Applied,
            Err(AppError::Internal) => return Err(AppError::Internal),
            // The state machine refused it: out of order or stale.
            Err(_) => WebhookOutcome::Ignored,
        },
    };
    let first = store
        .record_webhook(
            &event.event_id,
            &event.provider_ref,
            event.status.as_str(),
            outcome.as_str(),
            now,
        )
        .await?;
    Ok(if first {
        outcome
    } else {
        WebhookOutcome::Duplicate
    })
}
