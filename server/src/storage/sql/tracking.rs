//! The statements and rows of shipments, carrier scans and the notification centre's
//! read marker.

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

pub fn to_shipment(r: ShipmentRow) -> app::orders::port::StoredShipment {
    app::orders::port::StoredShipment {
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
