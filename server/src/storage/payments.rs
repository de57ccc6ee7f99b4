//! The `PaymentStore` port (webhook deduplication), written once for both backends like
//! `orders.rs`.

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

pub fn attempt(r: AttemptRow) -> app::ports::PaymentAttempt {
    app::ports::PaymentAttempt {
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

macro_rules! impl_payments_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl app::ports::PaymentStore for $store {
            async fn webhook_seen(&self, event_id: &str) -> app::error::AppResult<bool> {
                let n: i64 = sqlx::query_scalar($crate::storage::payments::WEBHOOK_SEEN)
                    .bind(event_id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| app::error::AppError::internal(e.to_string()))?;
                Ok(n > 0)
            }
            async fn record_webhook(
                &self,
                event_id: &str,
                provider_ref: &str,
                status: &str,
                outcome: &str,
                now: i64,
            ) -> app::error::AppResult<bool> {
                let done = sqlx::query($crate::storage::payments::RECORD_WEBHOOK)
                    .bind(event_id)
                    .bind(provider_ref)
                    .bind(status)
                    .bind(outcome)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| app::error::AppError::internal(e.to_string()))?;
                Ok(done.rows_affected() > 0)
            }
            async fn order_of_payment(
                &self,
                provider_ref: &str,
            ) -> app::error::AppResult<Option<i64>> {
                sqlx::query_scalar($crate::storage::payments::ORDER_OF_PAYMENT)
                    .bind(provider_ref)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| app::error::AppError::internal(e.to_string()))
            }
            async fn start_attempt(
                &self,
                a: &app::ports::PaymentAttempt,
            ) -> app::error::AppResult<bool> {
                let done = sqlx::query($crate::storage::payments::START_ATTEMPT)
                    .bind(&a.key)
                    .bind(a.order_id)
                    .bind(&a.method)
                    .bind(a.amount_minor)
                    .bind(a.started_at)
                    .bind(a.lease_until)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::storage::accounts::db)?;
                Ok(done.rows_affected() > 0)
            }
            async fn attempts_of(
                &self,
                order_id: i64,
            ) -> app::error::AppResult<Vec<app::ports::PaymentAttempt>> {
                let rows: Vec<$crate::storage::payments::AttemptRow> =
                    sqlx::query_as(&$crate::storage::payments::attempts_of())
                        .bind(order_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err($crate::storage::accounts::db)?;
                Ok(rows
                    .into_iter()
                    .map($crate::storage::payments::attempt)
                    .collect())
            }
            async fn claim_attempt(
                &self,
                key: &str,
                now: i64,
                lease_until: i64,
            ) -> app::error::AppResult<bool> {
                let done = sqlx::query($crate::storage::payments::CLAIM_ATTEMPT)
                    .bind(key)
                    .bind(now)
                    .bind(lease_until)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::storage::accounts::db)?;
                Ok(done.rows_affected() > 0)
            }
            async fn release_attempt(&self, key: &str) -> app::error::AppResult<()> {
                sqlx::query($crate::storage::payments::RELEASE_ATTEMPT)
                    .bind(key)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::storage::accounts::db)?;
                Ok(())
            }
            async fn resolve_attempt(
                &self,
                key: &str,
                outcome: &str,
                now: i64,
            ) -> app::error::AppResult<()> {
                sqlx::query($crate::storage::payments::RESOLVE_ATTEMPT)
                    .bind(key)
                    .bind(outcome)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err($crate::storage::accounts::db)?;
                Ok(())
            }
            async fn stale_attempts(
                &self,
                now: i64,
                limit: i64,
            ) -> app::error::AppResult<Vec<app::ports::PaymentAttempt>> {
                let rows: Vec<$crate::storage::payments::AttemptRow> =
                    sqlx::query_as(&$crate::storage::payments::stale_attempts())
                        .bind(now)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                        .map_err($crate::storage::accounts::db)?;
                Ok(rows
                    .into_iter()
                    .map($crate::storage::payments::attempt)
                    .collect())
            }
        }
    };
}
pub(crate) use impl_payments_store;
