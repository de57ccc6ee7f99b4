//! The `CartStore` port: baskets and lines saved for later.
//!
//! Multi-statement changes run in one transaction whose first statement writes, so SQLite
//! takes its write lock up front (a read-then-write transaction could fail as "locked").
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
use crate::storage::sql::cart as q;
use app::cart::model::CartOwner;
use app::error::AppResult;

#[async_trait::async_trait]
impl app::cart::port::CartStore for Backend {
    async fn cart(&self, owner: &CartOwner) -> AppResult<Vec<(String, i64)>> {
        sqlx::query_as(q::CART)
            .bind(owner.key())
            .fetch_all(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn cart_details(
        &self,
        owner: &CartOwner,
    ) -> AppResult<Vec<app::cart::port::StoredCartLine>> {
        let rows: Vec<(String, i64, i64, Option<i64>)> = sqlx::query_as(q::CART_DETAILS)
            .bind(owner.key())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(code, quantity, saved, price_seen_minor)| app::cart::port::StoredCartLine {
                    code,
                    quantity,
                    saved: saved != 0,
                    price_seen_minor,
                },
            )
            .collect())
    }
    async fn cart_with_products(
        &self,
        owner: &CartOwner,
    ) -> AppResult<
        Vec<(
            app::cart::port::StoredCartLine,
            app::catalog::model::ProductCard,
        )>,
    > {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(String, i64, i64, Option<i64>, String, String, i64, i64)> =
            sqlx::query_as(q::CART_WITH_PRODUCTS)
                .bind(owner.key())
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(
                |(code, quantity, saved, price_seen_minor, title, category, price_minor, stock)| {
                    (
                        app::cart::port::StoredCartLine {
                            code: code.clone(),
                            quantity,
                            saved: saved != 0,
                            price_seen_minor,
                        },
                        app::catalog::model::ProductCard {
                            code,
                            title,
                            category,
                            price_minor,
                            stock,
                        },
                    )
                },
            )
            .collect())
    }
    async fn set_cart_saved(&self, owner: &CartOwner, code: &str, saved: bool) -> AppResult<bool> {
        let done = sqlx::query(q::CART_SAVE)
            .bind(owner.key())
            .bind(code)
            .bind(i64::from(saved))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
    async fn set_cart_quantity(
        &self,
        owner: &CartOwner,
        code: &str,
        quantity: i64,
        now: i64,
    ) -> AppResult<()> {
        if quantity <= 0 {
            sqlx::query(q::CART_REMOVE)
                .bind(owner.key())
                .bind(code)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query(q::CART_SET)
                .bind(owner.key())
                .bind(code)
                .bind(quantity)
                .bind(now)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
    async fn merge_carts(
        &self,
        from: &CartOwner,
        to: &CartOwner,
        max_quantity: i64,
    ) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(q::CART_MERGE)
            .bind(from.key())
            .bind(to.key())
            .bind(max_quantity)
            .execute(&mut *tx)
            .await?;
        sqlx::query(q::CART_CLEAR)
            .bind(from.key())
            .execute(&mut *tx)
            .await?;
        tx.commit().await.map_err(app::error::AppError::from)
    }
}
