//! The PostgreSQL store: several stateless app servers can share one database.

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

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

/// What differs from the other backend: locking of read-then-write transactions (see
/// `store/orders.rs`), migrations, bulk import.
impl PgStore {
    pub const NAME: &'static str = "postgres";
    pub const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
    pub const BEGIN_WRITE: &'static str = "BEGIN";
    /// Data-modifying statements in WITH (placement ends in one statement).
    pub const WRITABLE_CTE: bool = true;
    pub const FOR_UPDATE: &'static str = " FOR UPDATE";
    pub const AFTER_ANALYZE: &'static [&'static str] = &[];

    /// The seed's bulk import (`seed/import.rs`).
    async fn import(
        pool: &sqlx::Pool<Db>,
        seed: &crate::seed::format::SeedData,
        now: i64,
    ) -> Result<crate::seed::import::ImportReport, StorageError> {
        Ok(crate::seed::import::import_postgres(pool, seed, now).await?)
    }
}

type Backend = PgStore;
type Db = sqlx::Postgres;

/// The port implementations, shared with the other backend: the same files compiled again
/// with this backend's `Backend` and `Db` (so clippy's `duplicate_mod` is expected here).
#[allow(clippy::duplicate_mod)]
#[path = "store/mod.rs"]
mod store;
