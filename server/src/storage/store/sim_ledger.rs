//! The simulated payment provider's books (`payments::ledger::SimLedger`) in the shop's
//! database, compiled once per backend (see `store/mod.rs`).

use super::Db;
use crate::payments::ledger::{self as l, SqlLedger};
use app::error::{AppError, AppResult};

#[async_trait::async_trait]
impl l::SimLedger for SqlLedger<Db> {
    async fn create(
        &self,
        key: &str,
        new_ref: &str,
        new: &l::SimPayment,
    ) -> AppResult<(String, l::SimPayment)> {
        let (r, data): (String, String) = sqlx::query_as(l::CREATE)
            .bind(new_ref)
            .bind(key)
            .bind(l::encode(new)?)
            .fetch_one(&self.pool)
            .await?;
        Ok((r, l::decode(&data)?))
    }
    async fn get(&self, provider_ref: &str) -> AppResult<Option<l::SimPayment>> {
        let data: Option<String> = sqlx::query_scalar(l::BY_REF)
            .bind(provider_ref)
            .fetch_optional(&self.pool)
            .await?;
        data.as_deref().map(l::decode).transpose()
    }
    async fn find(&self, key: &str) -> AppResult<Option<(String, l::SimPayment)>> {
        let row: Option<(String, String)> = sqlx::query_as(l::BY_KEY)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(r, data)| Ok((r, l::decode(&data)?))).transpose()
    }
    async fn update(
        &self,
        provider_ref: &str,
        change: l::Change,
    ) -> AppResult<Option<l::SimPayment>> {
        // Read, change, compare-and-swap: no transaction, and a change that lost a
        // race runs again on the payment the winner stored.
        for _ in 0..100 {
            let data: Option<String> = sqlx::query_scalar(l::BY_REF)
                .bind(provider_ref)
                .fetch_optional(&self.pool)
                .await?;
            let Some(data) = data else {
                return Ok(None);
            };
            let mut p = l::decode(&data)?;
            change(&mut p);
            let changed = l::encode(&p)?;
            if changed == data {
                return Ok(Some(p));
            }
            let swapped = sqlx::query(l::SAVE)
                .bind(provider_ref)
                .bind(&changed)
                .bind(&data)
                .execute(&self.pool)
                .await?
                .rows_affected();
            if swapped == 1 {
                return Ok(Some(p));
            }
        }
        Err(AppError::internal(format!(
            "sim ledger: payment {provider_ref} kept changing"
        )))
    }
    async fn issue_token(&self, token: &str, amount_minor: Option<i64>, now: i64) -> AppResult<()> {
        sqlx::query(l::ISSUE_TOKEN)
            .bind(token)
            .bind(amount_minor)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn redeem_token(
        &self,
        token: &str,
        key: &str,
        amount_minor: i64,
    ) -> AppResult<l::Redeem> {
        let spent = sqlx::query(l::SPEND_TOKEN)
            .bind(token)
            .bind(key)
            .bind(amount_minor)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if spent == 1 {
            return Ok(l::Redeem::Spent);
        }
        let row: Option<(Option<i64>, Option<String>, Option<i64>)> = sqlx::query_as(l::TOKEN)
            .bind(token)
            .fetch_optional(&self.pool)
            .await?;
        let spent_by_key = row.as_ref().is_some_and(|r| r.1.as_deref() == Some(key));
        let stored = row.map(|(amount, used_key, used_amount)| {
            (amount, used_key.map(|k| (k, used_amount.unwrap_or(-1))))
        });
        Ok(match l::redeem_decision(stored, key, amount_minor) {
            // The update did not spend it: only a retry of the authorisation
            // that did may go on (never a token nobody spent, to be safe).
            l::Redeem::Spent if !spent_by_key => l::Redeem::Used,
            other => other,
        })
    }
}
