//! Home-page feeds. They change slowly (they summarise 30 days of orders) and every visitor
//! of the home page asks for them, so each server instance keeps them for a short while.
//! The copy is a cache of what the database says, not state: any instance can rebuild it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::model::HomeFeeds;

pub struct FeedsCache {
    ttl: Duration,
    slot: Mutex<Option<(Instant, HomeFeeds)>>,
}

impl FeedsCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Mutex::new(None),
        }
    }

    pub fn get(&self) -> Option<HomeFeeds> {
        let slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, f)| f.clone())
    }

    pub fn put(&self, feeds: HomeFeeds) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), feeds));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let cache = FeedsCache::new(Duration::from_millis(0));
        cache.put(HomeFeeds {
            categories: vec![],
            best_sellers: vec![],
            new_arrivals: vec![],
            recommended: vec![],
        });
        assert!(cache.get().is_none());
        let cache = FeedsCache::new(Duration::from_secs(60));
        cache.put(HomeFeeds {
            categories: vec![],
            best_sellers: vec![],
            new_arrivals: vec![],
            recommended: vec![],
        });
        assert!(cache.get().is_some());
    }
}
