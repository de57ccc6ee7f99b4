//! Storage: one store interface, two implementations (SQLite embedded by default,
//! PostgreSQL for several app servers on one database), chosen from DATABASE_URL at
//! start-up. Each backend has its own migrations folder with the same versions.
//!
//! - `sql/`: the statements and rows, one file per domain, shared by both backends;
//! - `store/`: the port implementations running them, compiled once per backend;
//! - `sqlite.rs`, `postgres.rs`: what differs (connecting, locking, migrations, bulk import).

pub mod postgres;
pub mod sql;
pub mod sqlite;

use std::sync::Arc;

use crate::seed::format::SeedData;
use crate::seed::import::ImportReport;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported DATABASE_URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// What the server needs from a database beyond the domain ports: administration.
#[async_trait::async_trait]
pub trait Store: app::ports::ShopStore {
    fn backend(&self) -> &'static str;
    async fn migrate(&self) -> Result<(), StorageError>;
    /// Close every pooled connection (a SQLite file is then complete without its WAL).
    async fn close(&self);
    async fn product_count(&self) -> Result<i64, StorageError>;
    /// The simulated payment provider's books in this database (`payments::ledger`).
    fn sim_ledger(&self) -> Arc<dyn crate::payments::ledger::SimLedger>;
    /// Load the demo catalogue and order history, in one transaction.
    async fn import_seed(&self, seed: &SeedData, now: i64) -> Result<ImportReport, StorageError>;
}

/// How the connection pool behaves.
#[derive(Clone, Debug)]
pub struct PoolSettings {
    /// How long a request waits for a free connection before it fails with an error.
    pub acquire_timeout: std::time::Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            acquire_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// Open the database named by `url` (sqlite:// or postgres://). Does not migrate.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StorageError> {
    connect_with(url, &PoolSettings::default()).await
}

/// [`connect`] with pool settings of the caller's (tests wait less for a connection).
pub async fn connect_with(
    url: &str,
    settings: &PoolSettings,
) -> Result<Arc<dyn Store>, StorageError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url, settings).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::connect(url, settings).await?))
    } else {
        Err(StorageError::UnsupportedUrl(url.to_string()))
    }
}
