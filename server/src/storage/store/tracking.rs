//! The `ShipmentStore` port: shipments, carrier scans and the notification centre's read
//! marker.
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
use crate::storage::sql::tracking as q;
use app::error::AppResult;
use app::orders::port::{NotificationRow, StoredShipment};
use app::orders::tracking::{Scan, ScanKind};

impl Backend {
    async fn shipment_where(
        &self,
        condition: &str,
        a: &str,
        b: Option<&str>,
    ) -> AppResult<Option<StoredShipment>> {
        let sql = q::shipment_by(condition);
        let mut query = sqlx::query_as(&sql).bind(a.to_string());
        if let Some(b) = b {
            query = query.bind(b.to_string());
        }
        Ok(query.fetch_optional(&self.pool).await?.map(q::to_shipment))
    }
}

#[async_trait::async_trait]
impl app::orders::port::ShipmentStore for Backend {
    async fn create_shipment(&self, s: &StoredShipment) -> AppResult<StoredShipment> {
        sqlx::query(q::INSERT_SHIPMENT)
            .bind(s.order_id)
            .bind(&s.carrier)
            .bind(&s.tracking_number)
            .bind(s.shipped_at)
            .bind(s.window_start)
            .bind(s.window_end)
            .bind(&s.depot)
            .bind(s.speed)
            .execute(&self.pool)
            .await?;
        self.shipment_of_order(s.order_id)
            .await?
            .ok_or_else(|| app::error::AppError::internal("shipment vanished after insert"))
    }
    async fn shipment_of_order(&self, order_id: i64) -> AppResult<Option<StoredShipment>> {
        let sql = q::shipment_by("order_id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(order_id)
            .fetch_optional(&self.pool)
            .await?
            .map(q::to_shipment))
    }
    async fn shipment_by_tracking(
        &self,
        carrier: &str,
        tracking_number: &str,
    ) -> AppResult<Option<StoredShipment>> {
        self.shipment_where(
            "tracking_number = $1 AND carrier = $2",
            tracking_number,
            Some(carrier),
        )
        .await
    }
    async fn record_scan(
        &self,
        shipment_id: i64,
        event_id: &str,
        scan: &Scan,
        now: i64,
    ) -> AppResult<bool> {
        let mut tx = self.pool.begin_with(Backend::BEGIN_WRITE).await?;
        let added = sqlx::query(q::INSERT_SCAN)
            .bind(shipment_id)
            .bind(event_id)
            .bind(scan.kind.as_str())
            .bind(&scan.location)
            .bind(scan.at)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if added && scan.kind == ScanKind::Delivered {
            sqlx::query(q::MARK_DELIVERED)
                .bind(shipment_id)
                .bind(scan.at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(added)
    }
    async fn scans_of(&self, shipment_id: i64) -> AppResult<Vec<Scan>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(q::SCANS_OF)
            .bind(shipment_id)
            .fetch_all(&self.pool)
            .await?;
        // A kind this version does not know (a newer carrier's) is skipped.
        Ok(rows
            .into_iter()
            .filter_map(|(kind, location, at)| {
                Some(Scan {
                    at,
                    kind: ScanKind::parse(&kind)?,
                    location,
                })
            })
            .collect())
    }
    async fn open_simulated_shipments(&self, limit: i64) -> AppResult<Vec<StoredShipment>> {
        let sql =
            q::shipment_by("delivered_at IS NULL AND speed > 0 ORDER BY shipped_at, id LIMIT $1");
        Ok(sqlx::query_as(&sql)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(q::to_shipment)
            .collect())
    }
    async fn delivered_orders(&self, delivered_by: i64, limit: i64) -> AppResult<Vec<i64>> {
        sqlx::query_scalar(q::DELIVERED_ORDERS)
            .bind(delivered_by)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn dispatch_queue(&self, limit: i64) -> AppResult<Vec<app::orders::model::OrderSummary>> {
        let rows: Vec<(String, i64, String, i64, i64)> = sqlx::query_as(q::DISPATCH_QUEUE)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|(number, placed_at, status, total_minor, item_count)| {
                Ok(app::orders::model::OrderSummary {
                    number,
                    placed_at,
                    state: crate::storage::sql::orders::parse_state(&status)?,
                    item_count,
                    total_minor,
                })
            })
            .collect()
    }
    async fn notifications(
        &self,
        customer_id: i64,
        limit: i64,
    ) -> AppResult<(Vec<NotificationRow>, i64)> {
        let sql = q::notifications_sql();
        let rows: Vec<(i64, String, Option<String>, String, i64)> = sqlx::query_as(&sql)
            .bind(customer_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let last_read: Option<i64> = sqlx::query_scalar(q::LAST_READ)
            .bind(customer_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok((
            rows.into_iter()
                .map(
                    |(event_id, order_number, from_state, to_state, at)| NotificationRow {
                        event_id,
                        order_number,
                        from_state,
                        to_state,
                        at,
                    },
                )
                .collect(),
            last_read.unwrap_or(0),
        ))
    }
    async fn unread_notifications(&self, customer_id: i64) -> AppResult<i64> {
        let sql = q::unread_sql();
        sqlx::query_scalar(&sql)
            .bind(customer_id)
            .fetch_one(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn mark_notifications_read(&self, customer_id: i64, event_id: i64) -> AppResult<()> {
        sqlx::query(q::MARK_READ)
            .bind(customer_id)
            .bind(event_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
