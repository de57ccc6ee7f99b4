//! A collector that keeps every match with its score, as (product ordinal, score).
//!
//! The catalogue is small (thousands of products), so keeping all matches is cheap and lets
//! one query execution serve the page of hits, the total and both facets, with the filters
//! applied in memory (see `CatalogSearch::search`).

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The fast field holding each document's position in the product list.
pub(super) const ORD_FIELD: &str = "ord";

pub(super) struct AllMatches;

pub(super) struct SegmentMatches {
    ords: Arc<dyn ColumnValues<u64>>,
    matches: Vec<(u32, Score)>,
}

impl Collector for AllMatches {
    type Fruit = Vec<(u32, Score)>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let ords = segment
            .fast_fields()
            .u64(ORD_FIELD)?
            .first_or_default_col(0);
        Ok(SegmentMatches {
            ords,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, Score)>>) -> tantivy::Result<Vec<(u32, Score)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches.push((self.ords.get_val(doc) as u32, score));
    }

    fn harvest(self) -> Vec<(u32, Score)> {
        self.matches
    }
}
