//! The `ProfileStore` port: the address book and favourites.
//!
//! Multi-statement changes run in one transaction whose first statement writes, so SQLite
//! takes its write lock up front (a read-then-write transaction could fail as "locked").
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
use crate::storage::sql::profile as q;
use app::accounts::model::{Address, AddressInput};
use app::error::AppResult;

#[async_trait::async_trait]
impl app::accounts::port::ProfileStore for Backend {
    async fn addresses(&self, customer_id: i64) -> AppResult<Vec<Address>> {
        let rows: Vec<q::AddressRow> = sqlx::query_as(q::ADDRESSES)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
    async fn add_address(&self, customer_id: i64, a: &AddressInput, now: i64) -> AppResult<i64> {
        sqlx::query_scalar(q::ADD_ADDRESS)
            .bind(customer_id)
            .bind(&a.full_name)
            .bind(&a.line1)
            .bind(&a.line2)
            .bind(&a.city)
            .bind(&a.postcode)
            .bind(&a.country)
            .bind(&a.phone)
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn update_address(&self, customer_id: i64, id: i64, a: &AddressInput) -> AppResult<bool> {
        let r = sqlx::query(q::UPDATE_ADDRESS)
            .bind(customer_id)
            .bind(id)
            .bind(&a.full_name)
            .bind(&a.line1)
            .bind(&a.line2)
            .bind(&a.city)
            .bind(&a.postcode)
            .bind(&a.country)
            .bind(&a.phone)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }
    async fn delete_address(&self, customer_id: i64, id: i64) -> AppResult<bool> {
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(q::DELETE_ADDRESS)
            .bind(customer_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(q::REPAIR_DEFAULT_ADDRESS)
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(r.rows_affected() > 0)
    }
    async fn set_default_address(&self, customer_id: i64, id: i64) -> AppResult<bool> {
        let r = sqlx::query(q::SET_DEFAULT_ADDRESS)
            .bind(customer_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }
    async fn favourites(&self, customer_id: i64) -> AppResult<Vec<String>> {
        sqlx::query_scalar(q::FAVOURITES)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn add_favourites(&self, customer_id: i64, codes: &[String], now: i64) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        for code in codes {
            sqlx::query(q::ADD_FAVOURITE)
                .bind(customer_id)
                .bind(code)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await.map_err(app::error::AppError::from)
    }
    async fn remove_favourite(&self, customer_id: i64, code: &str) -> AppResult<()> {
        sqlx::query(q::REMOVE_FAVOURITE)
            .bind(customer_id)
            .bind(code)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
