//! Start-up: open the database, migrate it, seed it on request, build the search index.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::catalog::feeds::FeedsCache;
use app::ports::AppState;

use crate::search::CatalogSearch;
use crate::seed::format::SeedData;
use crate::storage::{self, StorageError, Store};

/// How long an instance reuses the home feeds before asking the database again.
pub const FEEDS_TTL: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("search index: {0}")]
    Search(app::error::AppError),
}

/// Open and migrate the database; with `demo`, seed it when it has no products yet.
pub async fn open_store(database_url: &str, demo: bool) -> Result<Arc<dyn Store>, StartupError> {
    let store = storage::connect(database_url).await?;
    store.migrate().await?;
    if demo && store.product_count().await? == 0 {
        let started = Instant::now();
        let seed = SeedData::embedded();
        let report = store.import_seed(&seed, app::ports::now()).await?;
        tracing::info!(?report, elapsed = ?started.elapsed(), "seeded the demo data");
    }
    Ok(store)
}

/// The state every request sees. The search index is derived from the store, so any
/// number of instances can each build their own.
pub async fn app_state(store: Arc<dyn Store>) -> Result<AppState, StartupError> {
    let products = store.all_products().await.map_err(StartupError::Search)?;
    let search = CatalogSearch::build(&products).map_err(StartupError::Search)?;
    Ok(AppState {
        store,
        search: Arc::new(search),
        feeds_cache: Arc::new(FeedsCache::new(FEEDS_TTL)),
    })
}
