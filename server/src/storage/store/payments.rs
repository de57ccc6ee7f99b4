//! The `PaymentStore` port: webhook deduplication and payment attempts.
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
#[async_trait::async_trait]
impl app::payments::port::PaymentStore for Backend {
    async fn webhook_seen(&self, event_id: &str) -> app::error::AppResult<bool> {
        let n: i64 = sqlx::query_scalar(crate::storage::sql::payments::WEBHOOK_SEEN)
            .bind(event_id)
            .fetch_one(&self.pool)
            .await?;
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
        let done = sqlx::query(crate::storage::sql::payments::RECORD_WEBHOOK)
            .bind(event_id)
            .bind(provider_ref)
            .bind(status)
            .bind(outcome)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
    async fn order_of_payment(&self, provider_ref: &str) -> app::error::AppResult<Option<i64>> {
        sqlx::query_scalar(crate::storage::sql::payments::ORDER_OF_PAYMENT)
            .bind(provider_ref)
            .fetch_optional(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn start_attempt(
        &self,
        a: &app::payments::port::PaymentAttempt,
    ) -> app::error::AppResult<bool> {
        let done = sqlx::query(crate::storage::sql::payments::START_ATTEMPT)
            .bind(&a.key)
            .bind(a.order_id)
            .bind(&a.method)
            .bind(a.amount_minor)
            .bind(a.started_at)
            .bind(a.lease_until)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
    async fn attempts_of(
        &self,
        order_id: i64,
    ) -> app::error::AppResult<Vec<app::payments::port::PaymentAttempt>> {
        let rows: Vec<crate::storage::sql::payments::AttemptRow> =
            sqlx::query_as(&crate::storage::sql::payments::attempts_of())
                .bind(order_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(crate::storage::sql::payments::attempt)
            .collect())
    }
    async fn claim_attempt(
        &self,
        key: &str,
        now: i64,
        lease_until: i64,
    ) -> app::error::AppResult<bool> {
        let done = sqlx::query(crate::storage::sql::payments::CLAIM_ATTEMPT)
            .bind(key)
            .bind(now)
            .bind(lease_until)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
    async fn release_attempt(&self, key: &str) -> app::error::AppResult<()> {
        sqlx::query(crate::storage::sql::payments::RELEASE_ATTEMPT)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn resolve_attempt(
        &self,
        key: &str,
        outcome: &str,
        now: i64,
    ) -> app::error::AppResult<()> {
        sqlx::query(crate::storage::sql::payments::RESOLVE_ATTEMPT)
            .bind(key)
            .bind(outcome)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn stale_attempts(
        &self,
        now: i64,
        limit: i64,
    ) -> app::error::AppResult<Vec<app::payments::port::PaymentAttempt>> {
        let rows: Vec<crate::storage::sql::payments::AttemptRow> =
            sqlx::query_as(&crate::storage::sql::payments::stale_attempts())
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(crate::storage::sql::payments::attempt)
            .collect())
    }
}
