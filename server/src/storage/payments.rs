//! The `PaymentStore` port (webhook deduplication), written once for both backends like
//! `orders.rs`.

pub const WEBHOOK_SEEN: &str = "SELECT COUNT(*) FROM payment_webhook_events WHERE event_id = $1";
pub const RECORD_WEBHOOK: &str =
    "INSERT INTO payment_webhook_events (event_id, provider_ref, status, outcome, received_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING";
pub const ORDER_OF_PAYMENT: &str = "SELECT order_id FROM payments WHERE provider_ref = $1";

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
        }
    };
}
pub(crate) use impl_payments_store;
