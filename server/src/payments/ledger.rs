//! Where the simulated provider keeps its payments: the provider's own books. In memory
//! for unit tests and tools ([`MemoryLedger`]); in the database for the running shop
//! ([`SqlLedger`], table `sim_provider_payments`), so that every app instance is the same
//! provider, like a real one is one service: a 3-D Secure or wallet page served by one
//! instance finds the payment another one authorised, and a capture repeated on two
//! instances takes the money once (each change runs under the payment row's lock).

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use app::error::{AppError, AppResult};
use app::payments::{DeclineReason, PaymentMethod, PaymentStatus};

/// One payment as the provider sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimPayment {
    pub order_number: String,
    pub method: PaymentMethod,
    pub amount_minor: i64,
    pub status: PaymentStatus,
    pub decline: Option<DeclineReason>,
    pub captured: i64,
    pub refunded: i64,
    /// Idempotency keys of the captures and refunds done, so a repeat does nothing.
    pub done: BTreeSet<String>,
}

/// A change to one payment, run under its lock.
pub type Change = Box<dyn FnOnce(&mut SimPayment) + Send>;

#[async_trait::async_trait]
pub trait SimLedger: Send + Sync {
    /// The payment made for `key` before, or `new` stored as `new_ref` if the key is new:
    /// (reference, payment).
    async fn create(
        &self,
        key: &str,
        new_ref: &str,
        new: &SimPayment,
    ) -> AppResult<(String, SimPayment)>;
    async fn get(&self, provider_ref: &str) -> AppResult<Option<SimPayment>>;
    /// Apply `change` to the payment under its lock and store it; None if unknown.
    async fn update(&self, provider_ref: &str, change: Change) -> AppResult<Option<SimPayment>>;
}

/// The books in this process's memory.
#[derive(Default)]
pub struct MemoryLedger {
    state: Mutex<(HashMap<String, String>, HashMap<String, SimPayment>)>,
}

impl MemoryLedger {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, (HashMap<String, String>, HashMap<String, SimPayment>)> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait::async_trait]
impl SimLedger for MemoryLedger {
    async fn create(
        &self,
        key: &str,
        new_ref: &str,
        new: &SimPayment,
    ) -> AppResult<(String, SimPayment)> {
        let mut s = self.lock();
        if let Some(r) = s.0.get(key).cloned() {
            let p = s.1[&r].clone();
            return Ok((r, p));
        }
        s.0.insert(key.to_string(), new_ref.to_string());
        s.1.insert(new_ref.to_string(), new.clone());
        Ok((new_ref.to_string(), new.clone()))
    }
    async fn get(&self, provider_ref: &str) -> AppResult<Option<SimPayment>> {
        Ok(self.lock().1.get(provider_ref).cloned())
    }
    async fn update(&self, provider_ref: &str, change: Change) -> AppResult<Option<SimPayment>> {
        let mut s = self.lock();
        Ok(s.1.get_mut(provider_ref).map(|p| {
            change(p);
            p.clone()
        }))
    }
}

pub const CREATE: &str = "INSERT INTO sim_provider_payments (provider_ref, idempotency_key, data) \
     VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) DO NOTHING";
pub const BY_KEY: &str =
    "SELECT provider_ref, data FROM sim_provider_payments WHERE idempotency_key = $1";
pub const BY_REF: &str = "SELECT data FROM sim_provider_payments WHERE provider_ref = $1";
pub const SAVE: &str = "UPDATE sim_provider_payments SET data = $2 WHERE provider_ref = $1";

fn decode(data: &str) -> AppResult<SimPayment> {
    serde_json::from_str(data).map_err(|e| AppError::internal(format!("sim ledger: {e}")))
}

fn encode(p: &SimPayment) -> AppResult<String> {
    serde_json::to_string(p).map_err(|e| AppError::internal(format!("sim ledger: {e}")))
}

/// The books in the shop's database (either backend).
pub struct SqlLedger<DB: sqlx::Database> {
    pub pool: sqlx::Pool<DB>,
    /// How a writing transaction begins, and the row lock of a SELECT (see `storage`).
    pub begin_write: &'static str,
    pub for_update: &'static str,
}

macro_rules! impl_sql_ledger {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl $crate::payments::ledger::SimLedger for $crate::payments::ledger::SqlLedger<$db> {
            async fn create(
                &self,
                key: &str,
                new_ref: &str,
                new: &$crate::payments::ledger::SimPayment,
            ) -> app::error::AppResult<(String, $crate::payments::ledger::SimPayment)> {
                use $crate::payments::ledger as l;
                use $crate::storage::accounts::db;
                sqlx::query(l::CREATE)
                    .bind(new_ref)
                    .bind(key)
                    .bind(l::encode(new)?)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                let (r, data): (String, String) = sqlx::query_as(l::BY_KEY)
                    .bind(key)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
                Ok((r, l::decode(&data)?))
            }
            async fn get(
                &self,
                provider_ref: &str,
            ) -> app::error::AppResult<Option<$crate::payments::ledger::SimPayment>> {
                use $crate::payments::ledger as l;
                use $crate::storage::accounts::db;
                let data: Option<String> = sqlx::query_scalar(l::BY_REF)
                    .bind(provider_ref)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                data.as_deref().map(l::decode).transpose()
            }
            async fn update(
                &self,
                provider_ref: &str,
                change: $crate::payments::ledger::Change,
            ) -> app::error::AppResult<Option<$crate::payments::ledger::SimPayment>> {
                use $crate::payments::ledger as l;
                use $crate::storage::accounts::db;
                let mut tx = self.pool.begin_with(self.begin_write).await.map_err(db)?;
                let sql = format!("{}{}", l::BY_REF, self.for_update);
                let data: Option<String> = sqlx::query_scalar(&sql)
                    .bind(provider_ref)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                let Some(data) = data else {
                    tx.rollback().await.map_err(db)?;
                    return Ok(None);
                };
                let mut p = l::decode(&data)?;
                change(&mut p);
                sqlx::query(l::SAVE)
                    .bind(provider_ref)
                    .bind(l::encode(&p)?)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                tx.commit().await.map_err(db)?;
                Ok(Some(p))
            }
        }
    };
}

impl_sql_ledger!(sqlx::Sqlite);
impl_sql_ledger!(sqlx::Postgres);
