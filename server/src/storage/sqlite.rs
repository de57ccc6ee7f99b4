//! The embedded SQLite store (WAL mode, one file).

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

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

/// What differs from the other backend: locking of read-then-write transactions (see
/// `store/orders.rs`), migrations, bulk import.
impl SqliteStore {
    pub const NAME: &'static str = "sqlite";
    pub const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
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

    /// The seed's bulk import (`seed/import.rs`).
    async fn import(
        pool: &sqlx::Pool<Db>,
        seed: &crate::seed::format::SeedData,
        now: i64,
    ) -> Result<crate::seed::import::ImportReport, StorageError> {
        Ok(crate::seed::import::import_sqlite(pool, seed, now).await?)
    }
}

type Backend = SqliteStore;
type Db = sqlx::Sqlite;

/// The port implementations, shared with the other backend: the same files compiled again
/// with this backend's `Backend` and `Db` (so clippy's `duplicate_mod` is expected here).
#[allow(clippy::duplicate_mod)]
#[path = "store/mod.rs"]
mod store;
