//! The `ShipmentStore` port (shipments, carrier scans, the notification centre's read
//! marker), written once for both backends like `orders.rs`.

const SHIPMENT_COLUMNS: &str = "id, order_id, carrier, tracking_number, shipped_at, window_start, \
     window_end, depot, speed, delivered_at";

pub fn shipment_by(condition: &str) -> String {
    format!("SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE {condition}")
}

pub const INSERT_SHIPMENT: &str = "INSERT INTO shipments (order_id, carrier, tracking_number, \
     shipped_at, window_start, window_end, depot, speed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (order_id) DO NOTHING";
pub const INSERT_SCAN: &str = "INSERT INTO shipment_scans (shipment_id, event_id, kind, location, \
     at, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING";
pub const MARK_DELIVERED: &str =
    "UPDATE shipments SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL";
pub const SCANS_OF: &str =
    "SELECT kind, location, at FROM shipment_scans WHERE shipment_id = $1 ORDER BY at, id";
pub const DISPATCH_QUEUE: &str = "SELECT o.number, o.placed_at, o.status, o.total_minor, \
     CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM orders o \
     LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.status IN ('paid', 'packed') \
     GROUP BY o.id, o.number, o.placed_at, o.status, o.total_minor \
     ORDER BY o.placed_at, o.id LIMIT $1";
pub const DELIVERED_ORDERS: &str =
    "SELECT o.id FROM orders o JOIN shipments s ON s.order_id = o.id \
     WHERE o.status = 'delivered' AND s.delivered_at IS NOT NULL AND s.delivered_at <= $1 \
     ORDER BY s.delivered_at, o.id LIMIT $2";
/// What a member is told about: their orders' changes, except the ones they made
/// themselves (placing, cancelling, retrying a payment).
const NOTIFIED_EVENTS: &str = "FROM order_events e JOIN orders o ON o.id = e.order_id \
     WHERE o.customer_id = $1 AND e.from_state IS NOT NULL AND e.actor NOT LIKE 'customer:%'";

pub fn notifications_sql() -> String {
    format!(
        "SELECT e.id, o.number, e.from_state, e.to_state, e.at {NOTIFIED_EVENTS} \
         ORDER BY e.id DESC LIMIT $2"
    )
}
pub fn unread_sql() -> String {
    unread_sql_for("$1")
}
/// The unread count of the member whose id is the SQL expression `customer` (a placeholder,
/// or a column of an outer query).
pub fn unread_sql_for(customer: &str) -> String {
    let events = NOTIFIED_EVENTS.replace("$1", customer);
    format!(
        "SELECT COUNT(*) {events} AND e.id > COALESCE((SELECT r.last_event_id \
         FROM notification_reads r WHERE r.customer_id = {customer}), 0)"
    )
}
pub const LAST_READ: &str = "SELECT last_event_id FROM notification_reads WHERE customer_id = $1";
pub const MARK_READ: &str = "INSERT INTO notification_reads (customer_id, last_event_id) \
     VALUES ($1, $2) ON CONFLICT (customer_id) DO UPDATE SET last_event_id = CASE \
     WHEN excluded.last_event_id > notification_reads.last_event_id \
     THEN excluded.last_event_id ELSE notification_reads.last_event_id END";

type ShipmentRow = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    f64,
    Option<i64>,
);

pub fn to_shipment(r: ShipmentRow) -> app::ports::StoredShipment {
    app::ports::StoredShipment {
        id: r.0,
        order_id: r.1,
        carrier: r.2,
        tracking_number: r.3,
        shipped_at: r.4,
        window_start: r.5,
        window_end: r.6,
        depot: r.7,
        speed: r.8,
        delivered_at: r.9,
    }
}

macro_rules! impl_shipments_store {
    ($store:ty) => {
        const _: () = {
            use app::error::AppResult;
            use app::orders::tracking::{Scan, ScanKind};
            use app::ports::{NotificationRow, StoredShipment};
            use $crate::storage::accounts::db;
            use $crate::storage::shipments as q;

            impl $store {
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
                    Ok(query
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .map(q::to_shipment))
                }
            }

            #[async_trait::async_trait]
            impl app::ports::ShipmentStore for $store {
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
                        .await
                        .map_err(db)?;
                    self.shipment_of_order(s.order_id).await?.ok_or_else(|| {
                        app::error::AppError::internal("shipment vanished after insert")
                    })
                }
                async fn shipment_of_order(
                    &self,
                    order_id: i64,
                ) -> AppResult<Option<StoredShipment>> {
                    let sql = q::shipment_by("order_id = $1");
                    Ok(sqlx::query_as(&sql)
                        .bind(order_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
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
                    let mut tx = self
                        .pool
                        .begin_with(<$store>::BEGIN_WRITE)
                        .await
                        .map_err(db)?;
                    let added = sqlx::query(q::INSERT_SCAN)
                        .bind(shipment_id)
                        .bind(event_id)
                        .bind(scan.kind.as_str())
                        .bind(&scan.location)
                        .bind(scan.at)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected()
                        > 0;
                    if added && scan.kind == ScanKind::Delivered {
                        sqlx::query(q::MARK_DELIVERED)
                            .bind(shipment_id)
                            .bind(scan.at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(added)
                }
                async fn scans_of(&self, shipment_id: i64) -> AppResult<Vec<Scan>> {
                    let rows: Vec<(String, String, i64)> = sqlx::query_as(q::SCANS_OF)
                        .bind(shipment_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
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
                async fn open_simulated_shipments(
                    &self,
                    limit: i64,
                ) -> AppResult<Vec<StoredShipment>> {
                    let sql = q::shipment_by(
                        "delivered_at IS NULL AND speed > 0 ORDER BY shipped_at, id LIMIT $1",
                    );
                    Ok(sqlx::query_as(&sql)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?
                        .into_iter()
                        .map(q::to_shipment)
                        .collect())
                }
                async fn delivered_orders(
                    &self,
                    delivered_by: i64,
                    limit: i64,
                ) -> AppResult<Vec<i64>> {
                    sqlx::query_scalar(q::DELIVERED_ORDERS)
                        .bind(delivered_by)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn dispatch_queue(
                    &self,
                    limit: i64,
                ) -> AppResult<Vec<app::orders::model::OrderSummary>> {
                    let rows: Vec<(String, i64, String, i64, i64)> =
                        sqlx::query_as(q::DISPATCH_QUEUE)
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    rows.into_iter()
                        .map(|(number, placed_at, status, total_minor, item_count)| {
                            Ok(app::orders::model::OrderSummary {
                                number,
                                placed_at,
                                state: $crate::storage::orders::parse_state(&status)?,
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
                    let rows: Vec<(i64, String, Option<String>, String, i64)> =
                        sqlx::query_as(&sql)
                            .bind(customer_id)
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    let last_read: Option<i64> = sqlx::query_scalar(q::LAST_READ)
                        .bind(customer_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok((
                        rows.into_iter()
                            .map(|(event_id, order_number, from_state, to_state, at)| {
                                NotificationRow {
                                    event_id,
                                    order_number,
                                    from_state,
                                    to_state,
                                    at,
                                }
                            })
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
                        .map_err(db)
                }
                async fn mark_notifications_read(
                    &self,
                    customer_id: i64,
                    event_id: i64,
                ) -> AppResult<()> {
                    sqlx::query(q::MARK_READ)
                        .bind(customer_id)
                        .bind(event_id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_shipments_store;
