//! Payment attempts that a crash left in flight, finished by asking the provider.
//!
//! `service::pay` writes an attempt (`payment_attempts`: the provider's idempotency key,
//! the order, the amount, a lease) before it calls the provider, and resolves it once the
//! payment is recorded. If the process dies in between (after the order was made, after
//! the provider authorised, after it captured), the attempt stays unresolved. Once its
//! lease runs out ([`ATTEMPT_LEASE_SECS`]), a retry of the placement with the same key
//! resumes it (`service::resume`), or [`recover_payments`] (run by the unpaid-order job,
//! which also runs at start-up) claims it and asks the provider what the key made:
//! - nothing: the provider never received it; the attempt is `abandoned` and the order
//!   can be paid again (or expires and is restocked once);
//! - a payment, with the order still awaiting it: settled as if the provider had answered
//!   at checkout (an authorisation is captured, the order becomes Paid);
//! - a payment for an order that will not take it (cancelled meanwhile, or paid by
//!   another attempt): the hold is voided or the capture refunded, and recorded.
//!
//! Every step is safe on several instances: an attempt is claimed by one guarded update,
//! the provider calls repeat under the same keys, and the order moves under its state guard.

use crate::checkout::service::{give_back, settle};
use crate::error::AppResult;
use crate::orders::port::PaymentRecord;
use crate::orders::state::OrderState;
use crate::payments::port::{PaymentAttempt, PaymentGateway};
use crate::payments::PaymentMethod;
use crate::ports::ShopStore;

/// How long whoever started (or took over) an attempt may work on it before others may.
/// Longer than a provider call can take (a real gateway client's timeout is well under).
pub const ATTEMPT_LEASE_SECS: i64 = 30;

/// The outcome of an attempt whose payment is recorded with its order.
pub const SETTLED: &str = "settled";
/// The provider never received the attempt.
pub const ABANDONED: &str = "abandoned";
/// The money was given back (the order was cancelled or already paid).
pub const GIVEN_BACK: &str = "given_back";

/// How many attempts one run looks at, at most.
const BATCH: i64 = 100;

/// What recovery did with one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovered {
    /// Someone else holds it or resolved it first.
    Skipped,
    Abandoned,
    Settled,
    GivenBack,
}

/// Finish every attempt in flight whose lease ran out by `now`. Returns what was done with
/// each attempt this instance claimed.
pub async fn recover_payments(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    now: i64,
) -> AppResult<Vec<(String, Recovered)>> {
    let mut done = Vec::new();
    for attempt in store.stale_attempts(now, BATCH).await? {
        if !store
            .claim_attempt(&attempt.key, now, now + ATTEMPT_LEASE_SECS)
            .await?
        {
            done.push((attempt.key, Recovered::Skipped));
            continue;
        }
        match recover_attempt(store, gateway, &attempt, now).await {
            Ok(r) => {
                tracing::info!(attempt = %attempt.key, outcome = ?r, "recovered a payment attempt");
                done.push((attempt.key, r));
            }
            Err(e) => {
                // Left for the next run.
                tracing::warn!(attempt = %attempt.key, error = %e, "payment recovery failed");
                store.release_attempt(&attempt.key).await?;
            }
        }
    }
    Ok(done)
}

/// One claimed attempt: ask the provider, then settle, give back or abandon.
async fn recover_attempt(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    attempt: &PaymentAttempt,
    now: i64,
) -> AppResult<Recovered> {
    let Some(outcome) = gateway.find(&attempt.key).await? else {
        store.resolve_attempt(&attempt.key, ABANDONED, now).await?;
        return Ok(Recovered::Abandoned);
    };
    let order = store.order_by_id(attempt.order_id).await?.ok_or_else(|| {
        crate::error::AppError::internal(format!("order {} vanished", attempt.order_id))
    })?;
    let method = PaymentMethod::parse(&attempt.method).unwrap_or(PaymentMethod::Card);
    let recorded = store
        .payments_of(order.id)
        .await?
        .into_iter()
        .any(|p| p.provider_ref == outcome.provider_ref);
    let result = if recorded {
        // The crash came after the payment was recorded: nothing left to do.
        Recovered::Settled
    } else if order.state == OrderState::PendingPayment {
        settle(store, gateway, &order, method, outcome, now).await?;
        Recovered::Settled
    } else {
        let record = PaymentRecord {
            order_id: order.id,
            provider: gateway.name().to_string(),
            provider_ref: outcome.provider_ref.clone(),
            method: method.as_str().to_string(),
            amount_minor: attempt.amount_minor,
            status: outcome.status.as_str().to_string(),
            detail: String::new(),
            at: now,
        };
        give_back(store, gateway, &order, record).await?;
        Recovered::GivenBack
    };
    let label = match result {
        Recovered::GivenBack => GIVEN_BACK,
        _ => SETTLED,
    };
    store.resolve_attempt(&attempt.key, label, now).await?;
    Ok(result)
}
