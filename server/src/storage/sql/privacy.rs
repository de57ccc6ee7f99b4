//! The statements and rows of privacy records: consent, events, the data export and
//! erasure.

pub const CONSENT_LOG: &str = "SELECT purpose, granted, policy_version, decided_at FROM consents WHERE customer_id = $1 ORDER BY id";
pub const RECORD_CONSENT: &str = "INSERT INTO consents (customer_id, purpose, granted, policy_version, decided_at) VALUES ($1, $2, $3, $4, $5)";
pub const RECORD_EVENT: &str =
    "INSERT INTO events (customer_id, kind, subject, at) VALUES ($1, $2, $3, $4)";
pub const EVENTS: &str =
    "SELECT kind, subject, at FROM events WHERE customer_id = $1 ORDER BY at, id";
pub const DELETE_EVENTS: &str = "DELETE FROM events WHERE customer_id = $1";
pub const ORDERS_OF: &str = "SELECT id, number, placed_at, status, total_minor FROM orders WHERE customer_id = $1 ORDER BY placed_at, id";
pub const ORDER_LINES_OF: &str =
    "SELECT l.order_id, l.product_code, l.quantity, l.unit_price_minor FROM order_lines l \
     JOIN orders o ON o.id = l.order_id WHERE o.customer_id = $1 ORDER BY l.order_id, l.line_no";

/// What an erasure statement binds, in the order of its `$n`.
#[derive(Clone, Copy, Debug)]
pub enum EraseParam {
    /// The customer id.
    Customer,
    /// The time of the erasure.
    Now,
    /// The account's owner key (`a:<id>`): carts, reservations, idempotency keys, orders,
    /// coupon uses.
    Owner,
    /// The account as an order event's actor (`customer:<id>`).
    CustomerActor,
    /// The account as a staff member in order events (`staff:<id>`).
    StaffActor,
}

/// Where a carrier scan of the erased account's parcel names the delivery address (the
/// simulated carrier's depot is "<city> delivery office"; a real carrier may put the city,
/// postcode or street in any letter case): the scan then says "Local delivery office",
/// the label a parcel without a city gets at dispatch.
const SCRUB_SCANS: &str = "UPDATE shipment_scans SET location = 'Local delivery office' \
     WHERE EXISTS (SELECT 1 FROM shipments s JOIN orders o ON o.id = s.order_id \
     WHERE s.id = shipment_scans.shipment_id AND o.customer_id = $1 AND ( \
     shipment_scans.location = s.depot \
     OR (o.ship_city <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_city) || '%')) \
     OR (o.ship_postcode <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_postcode) || '%')) \
     OR (o.ship_line1 <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_line1) || '%')) \
     OR (o.ship_line2 <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_line2) || '%')) \
     OR (o.ship_name <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_name) || '%'))))";

/// Erasure, in order, in one transaction (`PrivacyStore::erase_account`), with what each
/// statement binds. Personal data and sessions go; orders stay for the accounts (amounts,
/// dates, lines, country, payments, their history) but are pseudonymised: no contact
/// email (so guest tracking with it finds nothing), delivery name, street, city, postcode
/// or phone, no owner key; their parcels' depot and scans no longer name the city; the
/// account's owner key and actor names in idempotency keys, checkout claims, coupon uses
/// and order events
/// are replaced by neutral values. The scans are rewritten first, while the order still
/// says what to look for. The customers row stays (the orders point at it) without
/// anything that says who it was.
pub const ERASE: [(&str, &[EraseParam]); 17] = {
    use EraseParam::*;
    [
        (SCRUB_SCANS, &[Customer]),
        (
            "UPDATE shipments SET depot = 'Local delivery office' \
             WHERE order_id IN (SELECT id FROM orders WHERE customer_id = $1)",
            &[Customer],
        ),
        (
            "UPDATE orders SET email = NULL, owner = NULL, ship_name = '', ship_line1 = '', \
             ship_line2 = '', ship_city = '', ship_postcode = '', ship_phone = '' \
             WHERE customer_id = $1 OR owner = $2",
            &[Customer, Owner],
        ),
        (
            "UPDATE order_events SET actor = 'guest' WHERE actor = $1",
            &[CustomerActor],
        ),
        (
            "UPDATE order_events SET actor = 'staff' WHERE actor = $1",
            &[StaffActor],
        ),
        (
            "UPDATE idempotency SET owner = 'erased' WHERE owner = $1",
            &[Owner],
        ),
        (
            "UPDATE coupon_redemptions SET customer = 'erased' WHERE customer = $1",
            &[Owner],
        ),
        (
            "UPDATE checkout_claims SET owner = 'erased' WHERE owner = $1",
            &[Owner],
        ),
        ("DELETE FROM stock_reservations WHERE owner = $1", &[Owner]),
        ("DELETE FROM cart_items WHERE owner = $1", &[Owner]),
        ("DELETE FROM sessions WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM notification_reads WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM addresses WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM favourites WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM consents WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM events WHERE customer_id = $1", &[Customer]),
        (
            "UPDATE customers SET email = NULL, display_name = '', password_hash = NULL, role = 'customer', \
             country = '', pseudonym = 'erased-' || id, erased_at = $2 WHERE id = $1",
            &[Customer, Now],
        ),
    ]
};

#[derive(sqlx::FromRow)]
pub struct ConsentRow {
    pub purpose: String,
    pub granted: i64,
    pub policy_version: String,
    pub decided_at: i64,
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub kind: String,
    pub subject: String,
    pub at: i64,
}

#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub placed_at: i64,
    pub status: String,
    pub total_minor: i64,
}

#[derive(sqlx::FromRow)]
pub struct OrderLineRow {
    pub order_id: i64,
    pub product_code: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}
