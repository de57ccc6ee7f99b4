//! The `CatalogStore` port: categories, listings, product pages, best sellers.
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
#[async_trait::async_trait]
impl app::catalog::port::CatalogStore for Backend {
    async fn categories(&self) -> app::error::AppResult<Vec<app::catalog::model::CategorySummary>> {
        let rows: Vec<crate::storage::sql::catalog::CategoryRow> =
            sqlx::query_as(crate::storage::sql::catalog::CATEGORIES)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn list_products(
        &self,
        query: &app::catalog::model::ProductQuery,
    ) -> app::error::AppResult<app::catalog::model::ProductPage> {
        use crate::storage::sql::catalog::Bind;
        let listing = crate::storage::sql::catalog::listing(query);
        let mut select =
            sqlx::query_as::<_, crate::storage::sql::catalog::CardRow>(&listing.select);
        let mut count = sqlx::query_scalar::<_, i64>(&listing.count);
        for b in &listing.binds {
            match b {
                Bind::Int(v) => {
                    select = select.bind(*v);
                    count = count.bind(*v);
                }
                Bind::Text(v) => {
                    select = select.bind(v.clone());
                    count = count.bind(v.clone());
                }
            }
        }
        let items = select.fetch_all(&self.pool).await?;
        let total = count.fetch_one(&self.pool).await?;
        Ok(app::catalog::model::ProductPage {
            items: crate::storage::sql::catalog::cards(items),
            page: query.page,
            total,
        })
    }

    async fn product(
        &self,
        code: &str,
    ) -> app::error::AppResult<Option<app::catalog::model::ProductDetail>> {
        let rows: Vec<crate::storage::sql::catalog::DetailRow> =
            sqlx::query_as(crate::storage::sql::catalog::PRODUCT_WITH_ALSO_BOUGHT)
                .bind(code)
                .fetch_all(&self.pool)
                .await?;
        Ok(crate::storage::sql::catalog::detail(rows))
    }

    async fn best_sellers(
        &self,
        since: i64,
        limit: u32,
    ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
        let rows = sqlx::query_as(crate::storage::sql::catalog::BEST_SELLERS)
            .bind(since)
            .bind(limit as i64)
            .fetch_all(&self.pool)
            .await?;
        Ok(crate::storage::sql::catalog::cards(rows))
    }

    async fn new_arrivals(
        &self,
        limit: u32,
    ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
        let rows = sqlx::query_as(crate::storage::sql::catalog::NEW_ARRIVALS)
            .bind(limit as i64)
            .fetch_all(&self.pool)
            .await?;
        Ok(crate::storage::sql::catalog::cards(rows))
    }

    async fn products_by_codes(
        &self,
        codes: &[String],
    ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = crate::storage::sql::catalog::by_codes(codes.len());
        let mut q = sqlx::query_as::<_, crate::storage::sql::catalog::CardRow>(&sql);
        for c in codes {
            q = q.bind(c.clone());
        }
        let mut found: std::collections::HashMap<String, app::catalog::model::ProductCard> = q
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| (r.code.clone(), r.into()))
            .collect();
        Ok(codes.iter().filter_map(|c| found.remove(c)).collect())
    }

    async fn all_products(&self) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
        let rows = sqlx::query_as(crate::storage::sql::catalog::ALL_PRODUCTS)
            .fetch_all(&self.pool)
            .await?;
        Ok(crate::storage::sql::catalog::cards(rows))
    }
}
