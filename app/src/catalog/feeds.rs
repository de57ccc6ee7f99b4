//! Home-page feeds. They change slowly (they summarise 30 days of orders) and every visitor
//! of the home page asks for them, so each server instance keeps them for a short while.
//! The copy is a cache of what the database says, not state: any instance can rebuild it.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::model::HomeFeeds;
use crate::error::AppResult;

pub struct FeedsCache {
    ttl: Duration,
    slot: Mutex<Option<(Instant, HomeFeeds)>>,
    /// Only one request rebuilds an expired entry; the others wait for its result rather
    /// than all querying the database at once.
    refresh: tokio::sync::Mutex<()>,
}

impl FeedsCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn fresh(&self) -> Option<HomeFeeds> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, f)| f.clone())
    }

    /// The cached feeds, or the result of `build` (stored for the next callers).
    pub async fn get_or_build<F, Fut>(&self, build: F) -> AppResult<HomeFeeds>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<HomeFeeds>>,
    {
        if let Some(f) = self.fresh() {
            return Ok(f);
        }
        let _guard = self.refresh.lock().await;
        if let Some(f) = self.fresh() {
            return Ok(f);
        }
        let feeds = build().await?;
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), feeds.clone()));
        Ok(feeds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> HomeFeeds {
        HomeFeeds {
            categories: vec![],
            best_sellers: vec![],
            new_arrivals: vec![],
            recommended: vec![],
            personalised: false,
        }
    }

    #[tokio::test]
    async fn builds_once_until_expiry() {
        let cache = FeedsCache::new(Duration::from_secs(60));
        let mut builds = 0;
        for _ in 0..3 {
            cache
                .get_or_build(|| {
                    builds += 1;
                    async { Ok(empty()) }
                })
                .await
                .unwrap();
        }
        assert_eq!(builds, 1);
        let expired = FeedsCache::new(Duration::ZERO);
        let mut builds = 0;
        for _ in 0..2 {
            expired
                .get_or_build(|| {
                    builds += 1;
                    async { Ok(empty()) }
                })
                .await
                .unwrap();
        }
        assert_eq!(builds, 2);
    }

    #[tokio::test]
    async fn errors_are_not_cached() {
        let cache = FeedsCache::new(Duration::from_secs(60));
        let err = cache
            .get_or_build(|| async { Err(crate::error::AppError::Internal) })
            .await;
        assert!(err.is_err());
        assert!(cache.get_or_build(|| async { Ok(empty()) }).await.is_ok());
    }
}
