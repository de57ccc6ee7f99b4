//! The embedded SQLite store (WAL mode, one file).

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::catalog::{db, impl_catalog_store};
use super::{StorageError, Store};
use crate::seed::format::SeedData;
use crate::seed::import::ImportReport;

pub struct SqliteStore {
    pub pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL is durable against application crashes and much faster.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }
}

impl_catalog_store!(SqliteStore);

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
    async fn migrate(&self) -> Result<(), StorageError> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.pool)
            .await?;
        Ok(())
    }
    async fn product_count(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar(super::sql::PRODUCT_COUNT)
            .fetch_one(&self.pool)
            .await?)
    }
    async fn import_seed(&self, seed: &SeedData, now: i64) -> Result<ImportReport, StorageError> {
        let report = crate::seed::import::import_sqlite(&self.pool, seed, now).await?;
        sqlx::query(super::sql::ANALYZE).execute(&self.pool).await?;
        Ok(report)
    }
}
