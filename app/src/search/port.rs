//! What search needs: a full-text index (server: tantivy, `server/src/search/`).

use crate::error::AppResult;
use crate::search::model::{SearchRequest, SearchResults};

pub trait SearchEngine: Send + Sync + 'static {
    fn search(&self, request: &SearchRequest) -> AppResult<SearchResults>;
    /// Completions for what the shopper has typed so far.
    fn suggest(&self, prefix: &str, limit: usize) -> AppResult<Vec<String>>;
}
