//! The statements and rows of orders, stock reservations and payments.

use app::error::{AppError, AppResult};
use app::orders::state::OrderState;

pub const DELETE_RESERVATIONS: &str = "DELETE FROM stock_reservations WHERE checkout_token = $1";
pub const PRODUCT_STOCK: &str = "SELECT title, stock FROM products WHERE code = $1";
/// Unexpired reservations of other checkouts ($2 now, $3 this checkout's token).
pub const RESERVED_BY_OTHERS: &str =
    "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations \
     WHERE product_code = $1 AND expires_at > $2 AND checkout_token <> $3";
/// A product's title, stock and what other checkouts hold of it (`RESERVED_BY_OTHERS`'s
/// parameters), to name a shortage.
pub const STOCK_AND_RESERVED: &str =
    "SELECT title, stock, CAST((SELECT COALESCE(SUM(r.quantity), 0) \
     FROM stock_reservations r WHERE r.product_code = products.code AND r.expires_at > $2 \
     AND r.checkout_token <> $3) AS BIGINT) FROM products WHERE code = $1";
pub const INSERT_RESERVATION: &str =
    "INSERT INTO stock_reservations (checkout_token, owner, product_code, quantity, expires_at) \
     VALUES ($1, $2, $3, $4, $5)";
pub const PURGE_RESERVATIONS: &str = "DELETE FROM stock_reservations WHERE expires_at <= $1";
/// `($first, $first+1, ...), (...)`: `rows` tuples of `cols` placeholders.
pub fn value_rows(rows: usize, cols: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (0..cols)
                .map(|c| format!("${}", first + r * cols + c))
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$first, ..., $(first+n-1)`.
pub fn placeholders(n: usize, first: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lock the products of an order (PostgreSQL: in code order, so two checkouts never
/// deadlock), before `take_stock` reads what others reserved: that read then starts after
/// any checkout holding these rows has committed. With the store's `FOR_UPDATE` appended.
pub fn lock_products(n: usize) -> String {
    format!(
        "SELECT code FROM products WHERE code IN ({}) ORDER BY code",
        placeholders(n, 1)
    )
}

/// Taking stock for an order is a sale: the popularity counters (best sellers, "popular"
/// sorting) count it at once; a cancellation takes it back out. One statement for every
/// line ($1 now, $2 this checkout's token, then (code, quantity) pairs): a line is taken
/// only if its stock less what other checkouts hold unexpired covers it. Returns the codes
/// taken: fewer than the lines means a shortage (the caller rolls back).
pub fn take_stock(lines: usize) -> String {
    format!(
        "UPDATE products SET stock = stock - v.column2, units_sold = units_sold + v.column2, \
         order_count = order_count + 1 FROM (VALUES {}) AS v \
         WHERE products.code = v.column1 AND products.stock - (SELECT COALESCE(SUM(r.quantity), 0) \
         FROM stock_reservations r WHERE r.product_code = products.code AND r.expires_at > $1 \
         AND r.checkout_token <> $2) >= v.column2 RETURNING code",
        value_rows(lines, 2, 3)
    )
}
pub const PUT_BACK_STOCK: &str = "UPDATE products SET stock = stock + $2, \
     units_sold = CASE WHEN units_sold >= $2 THEN units_sold - $2 ELSE 0 END, \
     order_count = CASE WHEN order_count > 0 THEN order_count - 1 ELSE 0 END WHERE code = $1";

/// The order an idempotency key placed (the key is claimed by inserting the order: unique
/// `orders.idempotency_key`). Erasure clears the owner: such a key is nobody's now.
pub const KEY_ORDER: &str =
    "SELECT id, COALESCE(owner, 'erased') FROM orders WHERE idempotency_key = $1";
/// One checkout, one order: the prepare step claims the checkout token right after
/// inserting the order, before it takes any stock (PostgreSQL: a second claim waits on the
/// first's row until it commits or rolls back; SQLite: `BEGIN IMMEDIATE` already
/// serialises them).
pub const CLAIM_CHECKOUT: &str =
    "INSERT INTO checkout_claims (checkout_token, owner, order_id, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (checkout_token) DO NOTHING";
pub const CHECKOUT_ORDER: &str =
    "SELECT order_id, owner FROM checkout_claims WHERE checkout_token = $1";
/// `KEY_ORDER` ($1) and `CHECKOUT_ORDER` ($2) in one statement: 0 marks the key's order,
/// 1 the checkout's.
pub const REQUEST_ORDERS: &str =
    "SELECT CAST(0 AS BIGINT), id, COALESCE(owner, 'erased') FROM orders WHERE idempotency_key = $1 \
     UNION ALL SELECT CAST(1 AS BIGINT), order_id, owner FROM checkout_claims \
     WHERE checkout_token = $2 AND order_id IS NOT NULL";
/// The order, which claims its idempotency key (and number): on a conflict nothing is
/// inserted and no id comes back (PostgreSQL: a repeat waits here for the first to commit
/// or roll back).
pub const INSERT_ORDER: &str = "INSERT INTO orders (number, customer_id, country, status, placed_at, total_minor, owner, email, \
     ship_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, ship_phone, \
     delivery_option, delivery_fee_minor, delivery_window_start, delivery_window_end, \
     subtotal_minor, discount_minor, vat_minor, coupon_code, payment_method, idempotency_key, checkout_token, payment_fee_minor, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $5) \
     ON CONFLICT DO NOTHING RETURNING id";
/// All lines of an order ($1 the order, then (line_no, code, quantity, unit price) rows).
pub fn insert_lines(lines: usize) -> String {
    let rows: Vec<String> = (0..lines)
        .map(|r| format!("($1, {})", placeholders(4, 2 + r * 4)))
        .collect();
    format!(
        "INSERT INTO order_lines (order_id, line_no, product_code, quantity, unit_price_minor) VALUES {}",
        rows.join(", ")
    )
}
pub const INSERT_EVENT: &str = "INSERT INTO order_events (order_id, from_state, to_state, event, actor, at) VALUES ($1, $2, $3, $4, $5, $6)";
/// The end of placement in one statement where the database can (PostgreSQL, whose WITH
/// takes INSERT and DELETE): the lines, the cart lines' removal and the checkout's
/// reservations' deletion as data-modifying CTEs, and the first event. Parameters: $1 the
/// order, $2 the owner, $3 the checkout token, $4 the actor, $5 the time, $6 the state,
/// then (line_no, code, quantity, unit price) rows, then the codes again.
pub fn finish_order(lines: usize) -> String {
    let rows: Vec<String> = (0..lines)
        .map(|r| format!("($1, {})", placeholders(4, 7 + r * 4)))
        .collect();
    format!(
        "WITH lines AS (INSERT INTO order_lines (order_id, line_no, product_code, quantity, unit_price_minor) VALUES {}), \
         cart AS (DELETE FROM cart_items WHERE owner = $2 AND product_code IN ({})), \
         held AS (DELETE FROM stock_reservations WHERE checkout_token = $3) \
         INSERT INTO order_events (order_id, from_state, to_state, event, actor, at) \
         VALUES ($1, NULL, $6, 'place', $4, $5)",
        rows.join(", "),
        placeholders(lines, 7 + lines * 4)
    )
}
/// The ordered lines leave the owner's cart ($1 the owner, then the codes).
pub fn remove_cart_lines(lines: usize) -> String {
    format!(
        "DELETE FROM cart_items WHERE owner = $1 AND product_code IN ({})",
        placeholders(lines, 2)
    )
}
const ORDER_COLUMNS: &str = "id, number, owner, customer_id, email, status, subtotal_minor, discount_minor, delivery_fee_minor, \
     vat_minor, total_minor, coupon_code, payment_method, placed_at, updated_at, payment_fee_minor";
pub fn order_by(column: &str) -> String {
    format!("SELECT {ORDER_COLUMNS} FROM orders WHERE {column} = $1")
}
pub const ORDER_LINES: &str = "SELECT product_code, quantity, unit_price_minor FROM order_lines WHERE order_id = $1 ORDER BY line_no";
pub const MOVE_ORDER: &str =
    "UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2";
pub const UPSERT_PAYMENT: &str = "INSERT INTO payments (order_id, provider, provider_ref, method, amount_minor, status, detail, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (provider, provider_ref) DO UPDATE SET \
     status = excluded.status, detail = excluded.detail, amount_minor = excluded.amount_minor, updated_at = excluded.updated_at";
pub const PAYMENTS_OF: &str =
    "SELECT order_id, provider, provider_ref, method, amount_minor, status, detail, updated_at \
     FROM payments WHERE order_id = $1 ORDER BY id";
pub const EVENTS_OF: &str =
    "SELECT from_state, to_state, event, actor, at FROM order_events WHERE order_id = $1 ORDER BY id";
pub const UNPAID: &str =
    "SELECT id, status FROM orders WHERE status IN ('pending_payment', 'payment_failed') \
     AND placed_at < $1 ORDER BY placed_at, id LIMIT $2";

#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub owner: Option<String>,
    pub customer_id: Option<i64>,
    pub email: Option<String>,
    pub status: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub delivery_fee_minor: i64,
    pub vat_minor: i64,
    pub total_minor: i64,
    pub coupon_code: Option<String>,
    pub payment_method: String,
    pub placed_at: i64,
    pub updated_at: i64,
    pub payment_fee_minor: i64,
}

/// The state in the status column; the seeded history's `partially_refunded` is a
/// completed order (its refunds are in `refunds`).
pub fn parse_state(s: &str) -> AppResult<OrderState> {
    match s {
        "partially_refunded" => Ok(OrderState::Completed),
        _ => OrderState::parse(s)
            .ok_or_else(|| AppError::internal(format!("unknown order status {s:?}"))),
    }
}

// order history and detail (orders/service.rs)
pub const CUSTOMER_ORDER_COUNT: &str = "SELECT COUNT(*) FROM orders WHERE customer_id = $1";
/// A page of a member's orders, newest first, with their unit counts ($2 limit, $3 offset).
pub const CUSTOMER_ORDERS: &str = "SELECT o.number, o.placed_at, o.status, o.total_minor, \
     CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM orders o \
     LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.customer_id = $1 \
     GROUP BY o.id, o.number, o.placed_at, o.status, o.total_minor \
     ORDER BY o.placed_at DESC, o.id DESC LIMIT $2 OFFSET $3";
/// The seeded history has no shipping columns: its `country` stands in for the address.
pub const ORDER_EXTRAS: &str =
    "SELECT o.ship_name, o.ship_line1, o.ship_line2, o.ship_city, o.ship_postcode, \
     CASE WHEN o.ship_country = '' THEN o.country ELSE o.ship_country END AS ship_country, \
     o.ship_phone, o.delivery_option, o.delivery_window_start, o.delivery_window_end, \
     CAST((SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r WHERE r.order_id = o.id) AS BIGINT) AS refunded_minor \
     FROM orders o WHERE o.id = $1";

#[derive(sqlx::FromRow)]
pub struct ExtrasRow {
    pub ship_name: String,
    pub ship_line1: String,
    pub ship_line2: String,
    pub ship_city: String,
    pub ship_postcode: String,
    pub ship_country: String,
    pub ship_phone: String,
    pub delivery_option: String,
    pub delivery_window_start: Option<i64>,
    pub delivery_window_end: Option<i64>,
    pub refunded_minor: i64,
}

impl ExtrasRow {
    pub fn into_extras(self) -> app::orders::model::OrderExtras {
        app::orders::model::OrderExtras {
            address: app::orders::model::ShippingAddress {
                full_name: self.ship_name,
                line1: self.ship_line1,
                line2: self.ship_line2,
                city: self.ship_city,
                postcode: self.ship_postcode,
                country: self.ship_country,
                phone: self.ship_phone,
            },
            delivery_option: self.delivery_option,
            window_start: self.delivery_window_start,
            window_end: self.delivery_window_end,
            refunded_minor: self.refunded_minor,
        }
    }
}
