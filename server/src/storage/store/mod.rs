//! The port implementations, written once and compiled once per backend: `sqlite.rs` and
//! `postgres.rs` each include this folder as their `store` module, after naming their store
//! type `Backend` and their sqlx database `Db`. sqlx's query API is the same for both pools,
//! so the code is plain Rust with one meaning per backend. What differs between backends is
//! given by the store type: `Backend::BEGIN_WRITE`, `FOR_UPDATE`, `WRITABLE_CTE` (see
//! `orders.rs`), its `MIGRATOR`, `NAME` and bulk import.
//!
//! The statements themselves are in `storage/sql/`, one file per domain.

mod accounts;
mod cart;
mod catalog;
mod orders;
mod payments;
mod privacy;
mod profile;
mod sim_ledger;
mod tracking;

use std::sync::Arc;

use super::{Backend, Db};
use crate::payments::ledger::{SimLedger, SqlLedger};
use crate::seed::format::SeedData;
use crate::seed::import::ImportReport;
use crate::storage::sql::catalog as q;
use crate::storage::{StorageError, Store};

#[async_trait::async_trait]
impl Store for Backend {
    fn backend(&self) -> &'static str {
        Backend::NAME
    }
    fn sim_ledger(&self) -> Arc<dyn SimLedger> {
        Arc::new(SqlLedger::<Db> {
            pool: self.pool.clone(),
        })
    }
    async fn migrate(&self) -> Result<(), StorageError> {
        Backend::MIGRATOR.run(&self.pool).await?;
        Ok(())
    }
    async fn close(&self) {
        self.pool.close().await;
    }
    async fn product_count(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar(q::PRODUCT_COUNT)
            .fetch_one(&self.pool)
            .await?)
    }
    async fn import_seed(&self, seed: &SeedData, now: i64) -> Result<ImportReport, StorageError> {
        let report = Backend::import(&self.pool, seed, now).await?;
        sqlx::query(q::ANALYZE).execute(&self.pool).await?;
        for sql in Backend::AFTER_ANALYZE {
            sqlx::query(sql).execute(&self.pool).await?;
        }
        Ok(report)
    }
}
