//! The PostgreSQL store: several stateless app servers can share one database.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use super::catalog::{db, impl_catalog_store};
use super::{StorageError, Store};
use crate::seed::format::SeedData;
use crate::seed::import::ImportReport;

pub struct PgStore {
    pub pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(Self { pool })
    }
}

impl_catalog_store!(PgStore);

#[async_trait::async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }
    async fn migrate(&self) -> Result<(), StorageError> {
        sqlx::migrate!("./migrations/postgres")
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
        let report = crate::seed::import::import_postgres(&self.pool, seed, now).await?;
        sqlx::query(super::sql::ANALYZE).execute(&self.pool).await?;
        Ok(report)
    }
}
