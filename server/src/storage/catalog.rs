//! The catalogue part of the store, written once for both backends: sqlx's query API is the
//! same for SQLite and PostgreSQL pools, so a macro instantiates this implementation for
//! each. What differs between backends (connecting, migrations, bulk import, locking) lives
//! in `sqlite.rs` and `postgres.rs`.

use app::catalog::model::{CategorySummary, ProductCard, ProductDetail};

#[derive(sqlx::FromRow)]
pub struct CardRow {
    pub code: String,
    pub title: String,
    pub category: String,
    pub price_minor: i64,
    pub stock: i64,
}

impl From<CardRow> for ProductCard {
    fn from(r: CardRow) -> Self {
        ProductCard {
            code: r.code,
            title: r.title,
            category: r.category,
            price_minor: r.price_minor,
            stock: r.stock,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct CategoryRow {
    pub slug: String,
    pub product_count: i64,
}

impl From<CategoryRow> for CategorySummary {
    fn from(r: CategoryRow) -> Self {
        CategorySummary {
            slug: r.slug,
            product_count: r.product_count,
        }
    }
}

/// A row of `sql::PRODUCT_WITH_ALSO_BOUGHT`: the product itself (`pos` 0, every column set)
/// or a product bought with it (`pos` 1, the detail columns NULL).
#[derive(sqlx::FromRow)]
pub struct DetailRow {
    pub pos: i64,
    #[sqlx(flatten)]
    pub card: CardRow,
    pub description: Option<String>,
    pub units_sold: Option<i64>,
    pub order_count: Option<i64>,
    pub first_sold_at: Option<i64>,
}

/// The product page from its rows (none: no such product).
pub fn detail(rows: Vec<DetailRow>) -> Option<ProductDetail> {
    let mut rows = rows.into_iter();
    let first = rows.next().filter(|r| r.pos == 0)?;
    Some(ProductDetail {
        card: first.card.into(),
        description: first.description.unwrap_or_default(),
        units_sold: first.units_sold.unwrap_or_default(),
        order_count: first.order_count.unwrap_or_default(),
        first_sold_at: first.first_sold_at.unwrap_or_default(),
        also_bought: rows.map(|r| r.card.into()).collect(),
    })
}

pub fn cards(rows: Vec<CardRow>) -> Vec<ProductCard> {
    rows.into_iter().map(Into::into).collect()
}

/// Implements `app::ports::CatalogStore` for a struct with a `pool` field of a sqlx pool.
macro_rules! impl_catalog_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl app::ports::CatalogStore for $store {
            async fn categories(
                &self,
            ) -> app::error::AppResult<Vec<app::catalog::model::CategorySummary>> {
                let rows: Vec<$crate::storage::catalog::CategoryRow> =
                    sqlx::query_as($crate::storage::sql::CATEGORIES)
                        .fetch_all(&self.pool)
                        .await
                        .map_err($crate::storage::catalog::db)?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn list_products(
                &self,
                query: &app::catalog::model::ProductQuery,
            ) -> app::error::AppResult<app::catalog::model::ProductPage> {
                use $crate::storage::sql::Bind;
                let listing = $crate::storage::sql::listing(query);
                let mut select =
                    sqlx::query_as::<_, $crate::storage::catalog::CardRow>(&listing.select);
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
                let items = select
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::storage::catalog::db)?;
                let total = count
                    .fetch_one(&self.pool)
                    .await
                    .map_err($crate::storage::catalog::db)?;
                Ok(app::catalog::model::ProductPage {
                    items: $crate::storage::catalog::cards(items),
                    page: query.page,
                    total,
                })
            }

            async fn product(
                &self,
                code: &str,
            ) -> app::error::AppResult<Option<app::catalog::model::ProductDetail>> {
                let rows: Vec<$crate::storage::catalog::DetailRow> =
                    sqlx::query_as($crate::storage::sql::PRODUCT_WITH_ALSO_BOUGHT)
                        .bind(code)
                        .fetch_all(&self.pool)
                        .await
                        .map_err($crate::storage::catalog::db)?;
                Ok($crate::storage::catalog::detail(rows))
            }

            async fn best_sellers(
                &self,
                since: i64,
                limit: u32,
            ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
                let rows = sqlx::query_as($crate::storage::sql::BEST_SELLERS)
                    .bind(since)
                    .bind(limit as i64)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::storage::catalog::db)?;
                Ok($crate::storage::catalog::cards(rows))
            }

            async fn new_arrivals(
                &self,
                limit: u32,
            ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
                let rows = sqlx::query_as($crate::storage::sql::NEW_ARRIVALS)
                    .bind(limit as i64)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::storage::catalog::db)?;
                Ok($crate::storage::catalog::cards(rows))
            }

            async fn products_by_codes(
                &self,
                codes: &[String],
            ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
                if codes.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = $crate::storage::sql::by_codes(codes.len());
                let mut q = sqlx::query_as::<_, $crate::storage::catalog::CardRow>(&sql);
                for c in codes {
                    q = q.bind(c.clone());
                }
                let mut found: std::collections::HashMap<String, app::catalog::model::ProductCard> =
                    q.fetch_all(&self.pool)
                        .await
                        .map_err($crate::storage::catalog::db)?
                        .into_iter()
                        .map(|r| (r.code.clone(), r.into()))
                        .collect();
                Ok(codes.iter().filter_map(|c| found.remove(c)).collect())
            }

            async fn all_products(
                &self,
            ) -> app::error::AppResult<Vec<app::catalog::model::ProductCard>> {
                let rows = sqlx::query_as($crate::storage::sql::ALL_PRODUCTS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::storage::catalog::db)?;
                Ok($crate::storage::catalog::cards(rows))
            }
        }
    };
}
pub(crate) use impl_catalog_store;

/// Database errors are ours, not the user's: log them, answer with the opaque variant.
pub fn db(e: sqlx::Error) -> app::error::AppError {
    app::error::AppError::internal(e)
}
