//! The embedded SQLite store (WAL mode, one file).

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::impl_store;
use super::{PoolSettings, StorageError};

pub struct SqliteStore {
    pub pool: SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Self, StorageError> {
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
            // An in-process database cannot hang up: the default ping before every
            // acquire is a round trip to the connection's worker thread for nothing
            // (two thread wake-ups per statement).
            .test_before_acquire(false)
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }
}

/// Locking of read-then-write transactions (see `storage/orders.rs`).
impl SqliteStore {
    pub const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    /// SQLite has no INSERT or DELETE inside WITH.
    pub const WRITABLE_CTE: bool = false;
    pub const FOR_UPDATE: &'static str = "";
    /// Run after `ANALYZE`. SQLite's per-value histograms (`sqlite_stat4`, kept by the
    /// bundled build) make every statement with a bound value that an index could use be
    /// parsed and planned again each time the value changes: a product page spent a tenth
    /// of its CPU re-preparing its one query. The table-level statistics (`sqlite_stat1`)
    /// stay; `ANALYZE sqlite_schema` reloads them.
    pub const AFTER_ANALYZE: &'static [&'static str] =
        &["DELETE FROM sqlite_stat4", "ANALYZE sqlite_schema"];
}

impl_store!(
    SqliteStore,
    "sqlite",
    "./migrations/sqlite",
    crate::seed::import::import_sqlite
);
