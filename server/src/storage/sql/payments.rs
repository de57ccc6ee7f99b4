//! The statements and rows of payment webhooks and payment attempts.

pub const WEBHOOK_SEEN: &str = "SELECT COUNT(*) FROM payment_webhook_events WHERE event_id = $1";
pub const RECORD_WEBHOOK: &str =
    "INSERT INTO payment_webhook_events (event_id, provider_ref, status, outcome, received_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING";
pub const ORDER_OF_PAYMENT: &str = "SELECT order_id FROM payments WHERE provider_ref = $1";
pub const START_ATTEMPT: &str =
    "INSERT INTO payment_attempts (attempt_key, order_id, method, amount_minor, started_at, lease_until) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (attempt_key) DO NOTHING";
const ATTEMPT_COLUMNS: &str =
    "SELECT attempt_key, order_id, method, amount_minor, started_at, lease_until, resolved_at, outcome \
     FROM payment_attempts";
pub fn attempts_of() -> String {
    format!("{ATTEMPT_COLUMNS} WHERE order_id = $1 ORDER BY started_at, attempt_key")
}
pub fn stale_attempts() -> String {
    format!(
        "{ATTEMPT_COLUMNS} WHERE resolved_at IS NULL AND lease_until <= $1 \
         ORDER BY started_at, attempt_key LIMIT $2"
    )
}
/// The guarded take-over: only an unresolved attempt nobody holds.
pub const CLAIM_ATTEMPT: &str = "UPDATE payment_attempts SET lease_until = $3 \
     WHERE attempt_key = $1 AND resolved_at IS NULL AND lease_until <= $2";
pub const RELEASE_ATTEMPT: &str =
    "UPDATE payment_attempts SET lease_until = 0 WHERE attempt_key = $1 AND resolved_at IS NULL";
pub const RESOLVE_ATTEMPT: &str = "UPDATE payment_attempts SET resolved_at = $3, outcome = $2 \
     WHERE attempt_key = $1 AND resolved_at IS NULL";

pub type AttemptRow = (String, i64, String, i64, i64, i64, Option<i64>, String);

pub fn attempt(r: AttemptRow) -> app::payments::port::PaymentAttempt {
    app::payments::port::PaymentAttempt {
        key: r.0,
        order_id: r.1,
        method: r.2,
        amount_minor: r.3,
        started_at: r.4,
        lease_until: r.5,
        resolved_at: r.6,
        outcome: r.7,
    }
}
