//! The `PrivacyStore` port: consent, events, the data export and erasure.
//!
//! Multi-statement changes run in one transaction whose first statement writes, so SQLite
//! takes its write lock up front (a read-then-write transaction could fail as "locked").
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
use crate::storage::sql::privacy as q;
use app::error::AppResult;
use app::privacy::port::{ConsentRecord, EventRecord, OrderLineRecord, OrderRecord};

#[async_trait::async_trait]
impl app::privacy::port::PrivacyStore for Backend {
    async fn consent_log(&self, customer_id: i64) -> AppResult<Vec<ConsentRecord>> {
        let rows: Vec<q::ConsentRow> = sqlx::query_as(q::CONSENT_LOG)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| ConsentRecord {
                purpose: r.purpose,
                granted: r.granted != 0,
                policy_version: r.policy_version,
                decided_at: r.decided_at,
            })
            .collect())
    }
    async fn record_consent(&self, customer_id: i64, c: &ConsentRecord) -> AppResult<()> {
        sqlx::query(q::RECORD_CONSENT)
            .bind(customer_id)
            .bind(&c.purpose)
            .bind(c.granted as i64)
            .bind(&c.policy_version)
            .bind(c.decided_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn record_event(&self, customer_id: i64, e: &EventRecord) -> AppResult<()> {
        sqlx::query(q::RECORD_EVENT)
            .bind(customer_id)
            .bind(&e.kind)
            .bind(&e.subject)
            .bind(e.at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn events(&self, customer_id: i64) -> AppResult<Vec<EventRecord>> {
        let rows: Vec<q::EventRow> = sqlx::query_as(q::EVENTS)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| EventRecord {
                kind: r.kind,
                subject: r.subject,
                at: r.at,
            })
            .collect())
    }
    async fn delete_events(&self, customer_id: i64) -> AppResult<u64> {
        let r = sqlx::query(q::DELETE_EVENTS)
            .bind(customer_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
    async fn orders_of(&self, customer_id: i64) -> AppResult<Vec<OrderRecord>> {
        let orders: Vec<q::OrderRow> = sqlx::query_as(q::ORDERS_OF)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        let lines: Vec<q::OrderLineRow> = sqlx::query_as(q::ORDER_LINES_OF)
            .bind(customer_id)
            .fetch_all(&self.pool)
            .await?;
        let mut by_order: std::collections::HashMap<i64, Vec<OrderLineRecord>> =
            std::collections::HashMap::new();
        for l in lines {
            by_order
                .entry(l.order_id)
                .or_default()
                .push(OrderLineRecord {
                    product_code: l.product_code,
                    quantity: l.quantity,
                    unit_price_minor: l.unit_price_minor,
                });
        }
        Ok(orders
            .into_iter()
            .map(|o| OrderRecord {
                lines: by_order.remove(&o.id).unwrap_or_default(),
                number: o.number,
                placed_at: o.placed_at,
                status: o.status,
                total_minor: o.total_minor,
            })
            .collect())
    }
    async fn erase_account(&self, customer_id: i64, now: i64) -> AppResult<()> {
        // One transaction; on SQLite it takes the write lock up front, since it
        // reads the email before it writes.
        let mut tx = self.pool.begin_with(Backend::BEGIN_WRITE).await?;
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
        let owner = app::cart::model::CartOwner::Account(customer_id).key();
        let customer_actor = app::orders::state::Actor::Customer(customer_id).to_storage();
        let staff_actor = app::orders::state::Actor::Staff(customer_id).to_storage();
        for (sql, params) in q::ERASE {
            let mut query = sqlx::query(sql);
            for p in params {
                query = match p {
                    q::EraseParam::Customer => query.bind(customer_id),
                    q::EraseParam::Now => query.bind(now),
                    q::EraseParam::Owner => query.bind(owner.clone()),
                    q::EraseParam::CustomerActor => query.bind(customer_actor.clone()),
                    q::EraseParam::StaffActor => query.bind(staff_actor.clone()),
                };
            }
            query.execute(&mut *tx).await?;
        }
        if let Some(email) = email {
            sqlx::query(crate::storage::sql::accounts::THROTTLE_CLEAR)
                .bind(app::accounts::throttle::account_key(&email))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await.map_err(app::error::AppError::from)
    }
}
