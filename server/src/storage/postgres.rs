//! The PostgreSQL store: several stateless app servers can share one database.

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use super::impl_store;
use super::{PoolSettings, StorageError};

pub struct PgStore {
    pub pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Self, StorageError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(settings.acquire_timeout)
            .connect(url)
            .await?;
        Ok(Self { pool })
    }
}

/// Locking of read-then-write transactions (see `storage/orders.rs`).
impl PgStore {
    pub const BEGIN_WRITE: &'static str = "BEGIN";
    /// Data-modifying statements in WITH (placement ends in one statement).
    pub const WRITABLE_CTE: bool = true;
    pub const FOR_UPDATE: &'static str = " FOR UPDATE";
    pub const AFTER_ANALYZE: &'static [&'static str] = &[];
}

impl_store!(
    PgStore,
    "postgres",
    "./migrations/postgres",
    crate::seed::import::import_postgres
);
