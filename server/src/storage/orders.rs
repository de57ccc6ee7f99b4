//! Orders, stock reservations, coupons and payments (the `OrderStore` port), written once
//! for both backends like `accounts.rs`. What differs is the locking, passed in by the
//! store struct (`sqlite.rs` / `postgres.rs`):
//! - `BEGIN_WRITE`: how a read-then-write transaction starts. SQLite: `BEGIN IMMEDIATE`
//!   (the write lock up front, so concurrent checkouts queue on the busy timeout instead
//!   of failing as "database is locked"; it also serialises them). PostgreSQL: `BEGIN`.
//! - `FOR_UPDATE`: appended to the reads of rows a transaction will change. PostgreSQL:
//!   ` FOR UPDATE` (row locks; products are locked in code order so two checkouts never
//!   deadlock). SQLite: empty (the database lock already serialises writers).
//! - `WRITABLE_CTE`: whether a WITH clause may hold INSERT and DELETE statements
//!   (PostgreSQL yes, SQLite no): the end of placement is then one statement.
//!
//! Stock never goes below 0: the decrement is guarded (`WHERE stock - reserved >= $n`)
//! under the lock, and the column has a CHECK.
//!
//! Placing an order (`create_order`) makes few statements whatever its size: the order
//! row is the claim of its idempotency key (unique `orders.idempotency_key`); the stock of
//! all lines is checked and taken by one guarded UPDATE, the lines are one INSERT, the cart
//! lines one DELETE; the order comes back to the caller as stored, so nobody reads it again.

use app::checkout::coupon::{Coupon, CouponKind};
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

pub const SAVE_COUPON: &str = "INSERT INTO coupons (code, kind, amount_minor, percent_bp, kind_min_spend_minor, starts_at, ends_at, max_uses, max_uses_per_customer, min_spend_minor, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (code) DO UPDATE SET \
     kind = excluded.kind, amount_minor = excluded.amount_minor, percent_bp = excluded.percent_bp, \
     kind_min_spend_minor = excluded.kind_min_spend_minor, starts_at = excluded.starts_at, ends_at = excluded.ends_at, \
     max_uses = excluded.max_uses, max_uses_per_customer = excluded.max_uses_per_customer, min_spend_minor = excluded.min_spend_minor";
pub const COUPON: &str = "SELECT code, kind, amount_minor, percent_bp, kind_min_spend_minor, starts_at, ends_at, max_uses, max_uses_per_customer, min_spend_minor \
     FROM coupons WHERE code = $1";
pub const COUPON_LOCK: &str = "SELECT code FROM coupons WHERE code = $1";
pub const COUPON_USES: &str =
    "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN customer = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM coupon_redemptions WHERE code = $1";
pub const REDEEM_COUPON: &str =
    "INSERT INTO coupon_redemptions (code, order_id, customer, at) VALUES ($1, $2, $3, $4)";
pub const FREE_COUPON: &str = "DELETE FROM coupon_redemptions WHERE order_id = $1";

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
pub struct CouponRow {
    pub code: String,
    pub kind: String,
    pub amount_minor: Option<i64>,
    pub percent_bp: Option<i64>,
    pub kind_min_spend_minor: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub max_uses_per_customer: Option<i64>,
    pub min_spend_minor: Option<i64>,
}

/// (kind, amount, percent, kind's own minimum spend) as stored.
pub fn coupon_kind_columns(
    kind: &CouponKind,
) -> (&'static str, Option<i64>, Option<i64>, Option<i64>) {
    match kind {
        CouponKind::FixedAmount { minor } => ("fixed_amount", Some(*minor), None, None),
        CouponKind::Percentage { bp } => ("percentage", None, Some(*bp), None),
        CouponKind::SpendThreshold {
            min_spend_minor,
            off_minor,
        } => (
            "spend_threshold",
            Some(*off_minor),
            None,
            Some(*min_spend_minor),
        ),
        CouponKind::FreeDelivery { min_spend_minor } => {
            ("free_delivery", None, None, *min_spend_minor)
        }
    }
}

impl TryFrom<CouponRow> for Coupon {
    type Error = AppError;
    fn try_from(r: CouponRow) -> AppResult<Coupon> {
        let missing = || AppError::internal(format!("coupon {} has an incomplete row", r.code));
        let kind = match r.kind.as_str() {
            "fixed_amount" => CouponKind::FixedAmount {
                minor: r.amount_minor.ok_or_else(missing)?,
            },
            "percentage" => CouponKind::Percentage {
                bp: r.percent_bp.ok_or_else(missing)?,
            },
            "spend_threshold" => CouponKind::SpendThreshold {
                min_spend_minor: r.kind_min_spend_minor.ok_or_else(missing)?,
                off_minor: r.amount_minor.ok_or_else(missing)?,
            },
            "free_delivery" => CouponKind::FreeDelivery {
                min_spend_minor: r.kind_min_spend_minor,
            },
            other => return Err(AppError::internal(format!("unknown coupon kind {other}"))),
        };
        Ok(Coupon {
            code: r.code,
            kind,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            max_uses: r.max_uses,
            max_uses_per_customer: r.max_uses_per_customer,
            min_spend_minor: r.min_spend_minor,
        })
    }
}

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

/// Implements `OrderStore` for a store with a sqlx `pool` field and the associated
/// constants `BEGIN_WRITE`, `FOR_UPDATE` and `WRITABLE_CTE` (see the module docs).
macro_rules! impl_order_store {
    ($store:ty) => {
        const _: () = {
            use app::checkout::coupon::Coupon;
            use app::error::AppResult;
            use app::orders::state::OrderState;
            use app::ports::{
                NewOrder, OrderEventRow, OrderLineRecord, PaymentRecord, PlaceOutcome, Shortage,
                StoredOrder,
            };
            use $crate::storage::accounts::db;
            use $crate::storage::orders as q;

            impl $store {
                async fn load_order(&self, column: &str, value: OrderKey<'_>) -> AppResult<Option<StoredOrder>> {
                    let sql = q::order_by(column);
                    let query = sqlx::query_as::<_, q::OrderRow>(&sql);
                    let query = match value {
                        OrderKey::Id(id) => query.bind(id),
                        OrderKey::Number(n) => query.bind(n.to_string()),
                    };
                    let Some(r) = query.fetch_optional(&self.pool).await.map_err(db)? else {
                        return Ok(None);
                    };
                    let lines: Vec<(String, i64, i64)> = sqlx::query_as(q::ORDER_LINES)
                        .bind(r.id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(Some(StoredOrder {
                        state: q::parse_state(&r.status)?,
                        id: r.id,
                        number: r.number,
                        owner: r.owner,
                        customer_id: r.customer_id,
                        email: r.email,
                        subtotal_minor: r.subtotal_minor,
                        discount_minor: r.discount_minor,
                        delivery_fee_minor: r.delivery_fee_minor,
                        vat_minor: r.vat_minor,
                        total_minor: r.total_minor,
                        coupon_code: r.coupon_code,
                        payment_method: r.payment_method,
                        placed_at: r.placed_at,
                        updated_at: r.updated_at,
                        payment_fee_minor: r.payment_fee_minor,
                        lines: lines
                            .into_iter()
                            .map(|(product_code, quantity, unit_price_minor)| OrderLineRecord {
                                product_code,
                                quantity,
                                unit_price_minor,
                            })
                            .collect(),
                    }))
                }
            }

            enum OrderKey<'a> {
                Id(i64),
                Number(&'a str),
            }

            #[async_trait::async_trait]
            impl app::ports::OrderStore for $store {
                async fn reserve_stock(
                    &self,
                    owner: &str,
                    checkout_token: &str,
                    lines: &[(String, i64)],
                    now: i64,
                    expires_at: i64,
                ) -> AppResult<Option<Shortage>> {
                    let mut lines = lines.to_vec();
                    lines.sort();
                    let lock = format!("{}{}", q::PRODUCT_STOCK, <$store>::FOR_UPDATE);
                    let mut tx = self.pool.begin_with(<$store>::BEGIN_WRITE).await.map_err(db)?;
                    sqlx::query(q::DELETE_RESERVATIONS)
                        .bind(checkout_token)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    for (code, quantity) in &lines {
                        let row: Option<(String, i64)> = sqlx::query_as(&lock)
                            .bind(code)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        let Some((title, stock)) = row else {
                            tx.rollback().await.map_err(db)?;
                            return Ok(Some(Shortage { code: code.clone(), title: code.clone(), available: 0 }));
                        };
                        let reserved: i64 = sqlx::query_scalar(q::RESERVED_BY_OTHERS)
                            .bind(code)
                            .bind(now)
                            .bind(checkout_token)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                        let available = (stock - reserved).max(0);
                        if *quantity > available {
                            tx.rollback().await.map_err(db)?;
                            return Ok(Some(Shortage { code: code.clone(), title, available }));
                        }
                        sqlx::query(q::INSERT_RESERVATION)
                            .bind(checkout_token)
                            .bind(owner)
                            .bind(code)
                            .bind(quantity)
                            .bind(expires_at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(None)
                }
                async fn purge_reservations(&self, now: i64) -> AppResult<u64> {
                    let r = sqlx::query(q::PURGE_RESERVATIONS)
                        .bind(now)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected())
                }
                async fn save_coupon(&self, c: &Coupon, now: i64) -> AppResult<()> {
                    let (kind, amount, percent, kind_min) = q::coupon_kind_columns(&c.kind);
                    sqlx::query(q::SAVE_COUPON)
                        .bind(&c.code)
                        .bind(kind)
                        .bind(amount)
                        .bind(percent)
                        .bind(kind_min)
                        .bind(c.starts_at)
                        .bind(c.ends_at)
                        .bind(c.max_uses)
                        .bind(c.max_uses_per_customer)
                        .bind(c.min_spend_minor)
                        .bind(now)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn coupon(&self, code: &str) -> AppResult<Option<Coupon>> {
                    let row: Option<q::CouponRow> = sqlx::query_as(q::COUPON)
                        .bind(code)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    row.map(Coupon::try_from).transpose()
                }
                async fn coupon_uses(&self, code: &str, customer: &str) -> AppResult<(i64, i64)> {
                    sqlx::query_as(q::COUPON_USES)
                        .bind(code)
                        .bind(customer)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn order_for_key(&self, key: &str) -> AppResult<Option<(i64, String)>> {
                    sqlx::query_as(q::KEY_ORDER)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn orders_for_request(
                    &self,
                    key: &str,
                    checkout_token: &str,
                ) -> AppResult<(Option<(i64, String)>, Option<(i64, String)>)> {
                    let rows: Vec<(i64, i64, String)> = sqlx::query_as(q::REQUEST_ORDERS)
                        .bind(key)
                        .bind(checkout_token)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    let mut found = (None, None);
                    for (which, id, owner) in rows {
                        if which == 0 {
                            found.0 = Some((id, owner));
                        } else {
                            found.1 = Some((id, owner));
                        }
                    }
                    Ok(found)
                }
                async fn order_for_checkout(&self, checkout_token: &str) -> AppResult<Option<(i64, String)>> {
                    let row: Option<(Option<i64>, String)> = sqlx::query_as(q::CHECKOUT_ORDER)
                        .bind(checkout_token)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(row.and_then(|(id, owner)| id.map(|id| (id, owner))))
                }
                async fn create_order(&self, o: &NewOrder) -> AppResult<PlaceOutcome> {
                    let b = &o.breakdown;
                    let a = &o.address;
                    let mut tx = self.pool.begin_with(<$store>::BEGIN_WRITE).await.map_err(db)?;
                    // 1. The order first: it claims the idempotency key (unique). A repeat
                    //    waits here for the first to finish (PostgreSQL blocks on the
                    //    conflicting index entry), then finds its order.
                    let order_id: Option<i64> = sqlx::query_scalar(q::INSERT_ORDER)
                        .bind(&o.number)
                        .bind(o.customer_id)
                        .bind(&a.country)
                        .bind(OrderState::PendingPayment.as_str())
                        .bind(o.placed_at)
                        .bind(b.total_minor)
                        .bind(&o.owner)
                        .bind(&o.email)
                        .bind(&a.full_name)
                        .bind(&a.line1)
                        .bind(&a.line2)
                        .bind(&a.city)
                        .bind(&a.postcode)
                        .bind(&a.country)
                        .bind(&a.phone)
                        .bind(o.delivery.option.as_str())
                        .bind(b.delivery_minor)
                        .bind(o.delivery.window_start)
                        .bind(o.delivery.window_end)
                        .bind(b.subtotal_minor)
                        .bind(b.goods_discount_minor)
                        .bind(b.vat_minor)
                        .bind(o.coupon.as_ref().map(|(c, _)| c.code.clone()))
                        .bind(&o.payment_method)
                        .bind(&o.idempotency_key)
                        .bind(&o.checkout_token)
                        .bind(b.payment_fee_minor)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    let Some(order_id) = order_id else {
                        tx.rollback().await.map_err(db)?;
                        return match self.order_for_key(&o.idempotency_key).await? {
                            Some((order_id, owner)) => Ok(PlaceOutcome::Existing { order_id, owner }),
                            None => Err(app::error::AppError::internal("order insert conflicted without an order for its key")),
                        };
                    };
                    // 1b. The checkout: one order per checkout token, whatever the key
                    //     (two tabs, a reload). A second placement waits here for the
                    //     first, then answers with its order; its key stays unclaimed.
                    let claimed = sqlx::query(q::CLAIM_CHECKOUT)
                        .bind(&o.checkout_token)
                        .bind(&o.owner)
                        .bind(order_id)
                        .bind(o.placed_at)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected();
                    if claimed == 0 {
                        tx.rollback().await.map_err(db)?;
                        return match self.order_for_checkout(&o.checkout_token).await? {
                            Some((order_id, owner)) => Ok(PlaceOutcome::Existing { order_id, owner }),
                            None => Err(app::error::AppError::internal("checkout claim without order")),
                        };
                    }
                    // 2. Stock, every line in one guarded statement, under the lock (in
                    //    code order: no deadlocks). PostgreSQL takes the row locks first, so
                    //    the guarded update reads others' reservations as they stand once
                    //    no other checkout holds these products; SQLite's write lock is
                    //    already held.
                    let mut lines: Vec<&app::checkout::pricing::PricedLine> = b.lines.iter().collect();
                    lines.sort_by(|x, y| x.product_code.cmp(&y.product_code));
                    if !<$store>::FOR_UPDATE.is_empty() && !lines.is_empty() {
                        let sql = format!("{}{}", q::lock_products(lines.len()), <$store>::FOR_UPDATE);
                        let mut lock = sqlx::query(&sql);
                        for l in &lines {
                            lock = lock.bind(&l.product_code);
                        }
                        lock.fetch_all(&mut *tx).await.map_err(db)?;
                    }
                    let sql = q::take_stock(lines.len());
                    let mut take = sqlx::query_scalar::<_, String>(&sql)
                        .bind(o.placed_at)
                        .bind(&o.checkout_token);
                    for l in &lines {
                        take = take.bind(&l.product_code).bind(l.quantity);
                    }
                    let taken: std::collections::HashSet<String> = if lines.is_empty() {
                        Default::default()
                    } else {
                        take.fetch_all(&mut *tx).await.map_err(db)?.into_iter().collect()
                    };
                    if let Some(short) = lines.iter().find(|l| !taken.contains(&l.product_code)) {
                        // The first line (in code order) not taken: what is left of it.
                        let row: Option<(String, i64, i64)> = sqlx::query_as(q::STOCK_AND_RESERVED)
                            .bind(&short.product_code)
                            .bind(o.placed_at)
                            .bind(&o.checkout_token)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        tx.rollback().await.map_err(db)?;
                        let code = short.product_code.clone();
                        return Ok(PlaceOutcome::Shortage(match row {
                            Some((title, stock, reserved)) => Shortage { code, title, available: (stock - reserved).max(0) },
                            None => Shortage { title: code.clone(), code, available: 0 },
                        }));
                    }
                    // 3. The coupon, its limits counted under its row lock.
                    if let Some((coupon, customer)) = &o.coupon {
                        let locked: Option<String> = sqlx::query_scalar(&format!("{}{}", q::COUPON_LOCK, <$store>::FOR_UPDATE))
                            .bind(&coupon.code)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        if locked.is_none() {
                            tx.rollback().await.map_err(db)?;
                            return Err(app::error::AppError::bad_request(app::i18n::tr(app::i18n::Key::MsgCouponUnknown)));
                        }
                        let (total, mine): (i64, i64) = sqlx::query_as(q::COUPON_USES)
                            .bind(&coupon.code)
                            .bind(customer)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                        if let Err(e) = app::checkout::coupon::check(coupon, b.subtotal_minor, o.placed_at, total, mine) {
                            tx.rollback().await.map_err(db)?;
                            return Err(e);
                        }
                        sqlx::query(q::REDEEM_COUPON)
                            .bind(&coupon.code)
                            .bind(order_id)
                            .bind(customer)
                            .bind(o.placed_at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    // 4. Its lines (one statement), its first event; the lines leave the
                    //    cart (one statement) and the checkout's reservations go. PostgreSQL
                    //    does all four in one statement (`finish_order`).
                    if <$store>::WRITABLE_CTE && !b.lines.is_empty() {
                        let sql = q::finish_order(b.lines.len());
                        let mut finish = sqlx::query(&sql)
                            .bind(order_id)
                            .bind(&o.owner)
                            .bind(&o.checkout_token)
                            .bind(&o.actor)
                            .bind(o.placed_at)
                            .bind(OrderState::PendingPayment.as_str());
                        for (i, l) in b.lines.iter().enumerate() {
                            finish = finish
                                .bind(i as i64 + 1)
                                .bind(&l.product_code)
                                .bind(l.quantity)
                                .bind(l.unit_price_minor);
                        }
                        for l in &b.lines {
                            finish = finish.bind(&l.product_code);
                        }
                        finish.execute(&mut *tx).await.map_err(db)?;
                    } else {
                        if !b.lines.is_empty() {
                            let sql = q::insert_lines(b.lines.len());
                            let mut insert = sqlx::query(&sql).bind(order_id);
                            for (i, l) in b.lines.iter().enumerate() {
                                insert = insert
                                    .bind(i as i64 + 1)
                                    .bind(&l.product_code)
                                    .bind(l.quantity)
                                    .bind(l.unit_price_minor);
                            }
                            insert.execute(&mut *tx).await.map_err(db)?;
                            let sql = q::remove_cart_lines(b.lines.len());
                            let mut remove = sqlx::query(&sql).bind(&o.owner);
                            for l in &b.lines {
                                remove = remove.bind(&l.product_code);
                            }
                            remove.execute(&mut *tx).await.map_err(db)?;
                        }
                        sqlx::query(q::INSERT_EVENT)
                            .bind(order_id)
                            .bind(None::<String>)
                            .bind(OrderState::PendingPayment.as_str())
                            .bind("place")
                            .bind(&o.actor)
                            .bind(o.placed_at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        sqlx::query(q::DELETE_RESERVATIONS)
                            .bind(&o.checkout_token)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)?;
                    // The order as stored (what `order_by_id` reads back).
                    Ok(PlaceOutcome::Placed(Box::new(StoredOrder {
                        id: order_id,
                        number: o.number.clone(),
                        owner: Some(o.owner.clone()),
                        customer_id: o.customer_id,
                        email: Some(o.email.clone()),
                        state: OrderState::PendingPayment,
                        subtotal_minor: b.subtotal_minor,
                        discount_minor: b.goods_discount_minor,
                        delivery_fee_minor: b.delivery_minor,
                        vat_minor: b.vat_minor,
                        payment_fee_minor: b.payment_fee_minor,
                        total_minor: b.total_minor,
                        coupon_code: o.coupon.as_ref().map(|(c, _)| c.code.clone()),
                        payment_method: o.payment_method.clone(),
                        placed_at: o.placed_at,
                        updated_at: o.placed_at,
                        lines: b
                            .lines
                            .iter()
                            .map(|l| OrderLineRecord {
                                product_code: l.product_code.clone(),
                                quantity: l.quantity,
                                unit_price_minor: l.unit_price_minor,
                            })
                            .collect(),
                    })))
                }
                async fn order_by_id(&self, id: i64) -> AppResult<Option<StoredOrder>> {
                    self.load_order("id", OrderKey::Id(id)).await
                }
                async fn order_by_number(&self, number: &str) -> AppResult<Option<StoredOrder>> {
                    self.load_order("number", OrderKey::Number(number)).await
                }
                async fn transition_order(
                    &self,
                    id: i64,
                    from: OrderState,
                    to: OrderState,
                    event: &str,
                    actor: &str,
                    now: i64,
                    payment: Option<&PaymentRecord>,
                ) -> AppResult<bool> {
                    let mut tx = self.pool.begin_with(<$store>::BEGIN_WRITE).await.map_err(db)?;
                    if from != to {
                        let moved = sqlx::query(q::MOVE_ORDER)
                            .bind(id)
                            .bind(from.as_str())
                            .bind(to.as_str())
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?
                            .rows_affected();
                        if moved == 0 {
                            tx.rollback().await.map_err(db)?;
                            return Ok(false);
                        }
                        sqlx::query(q::INSERT_EVENT)
                            .bind(id)
                            .bind(Some(from.as_str()))
                            .bind(to.as_str())
                            .bind(event)
                            .bind(actor)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        if to == OrderState::Cancelled {
                            let mut lines: Vec<(String, i64)> = sqlx::query_as(
                                "SELECT product_code, quantity FROM order_lines WHERE order_id = $1",
                            )
                            .bind(id)
                            .fetch_all(&mut *tx)
                            .await
                            .map_err(db)?;
                            lines.sort();
                            for (code, quantity) in lines {
                                sqlx::query(q::PUT_BACK_STOCK)
                                    .bind(code)
                                    .bind(quantity)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(db)?;
                            }
                            sqlx::query(q::FREE_COUPON)
                                .bind(id)
                                .execute(&mut *tx)
                                .await
                                .map_err(db)?;
                        }
                    }
                    if let Some(p) = payment {
                        sqlx::query(q::UPSERT_PAYMENT)
                            .bind(p.order_id)
                            .bind(&p.provider)
                            .bind(&p.provider_ref)
                            .bind(&p.method)
                            .bind(p.amount_minor)
                            .bind(&p.status)
                            .bind(&p.detail)
                            .bind(p.at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(true)
                }
                async fn payments_of(&self, order_id: i64) -> AppResult<Vec<PaymentRecord>> {
                    let rows: Vec<(i64, String, String, String, i64, String, String, i64)> =
                        sqlx::query_as(q::PAYMENTS_OF)
                            .bind(order_id)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(|(order_id, provider, provider_ref, method, amount_minor, status, detail, at)| PaymentRecord {
                            order_id,
                            provider,
                            provider_ref,
                            method,
                            amount_minor,
                            status,
                            detail,
                            at,
                        })
                        .collect())
                }
                async fn order_events(&self, order_id: i64) -> AppResult<Vec<OrderEventRow>> {
                    let rows: Vec<(Option<String>, String, String, String, i64)> =
                        sqlx::query_as(q::EVENTS_OF)
                            .bind(order_id)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(|(from_state, to_state, event, actor, at)| OrderEventRow {
                            from_state,
                            to_state,
                            event,
                            actor,
                            at,
                        })
                        .collect())
                }
                async fn unpaid_orders(
                    &self,
                    placed_before: i64,
                    limit: i64,
                ) -> AppResult<Vec<(i64, OrderState)>> {
                    let rows: Vec<(i64, String)> = sqlx::query_as(q::UNPAID)
                        .bind(placed_before)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    rows.into_iter()
                        .map(|(id, s)| Ok((id, q::parse_state(&s)?)))
                        .collect()
                }
                // order history and detail (orders/service.rs)
                async fn customer_orders(
                    &self,
                    customer_id: i64,
                    offset: i64,
                    limit: i64,
                ) -> AppResult<(Vec<app::orders::model::OrderSummary>, i64)> {
                    let total: i64 = sqlx::query_scalar(q::CUSTOMER_ORDER_COUNT)
                        .bind(customer_id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)?;
                    let rows: Vec<(String, i64, String, i64, i64)> =
                        sqlx::query_as(q::CUSTOMER_ORDERS)
                            .bind(customer_id)
                            .bind(limit)
                            .bind(offset)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    let orders = rows
                        .into_iter()
                        .map(|(number, placed_at, status, total_minor, item_count)| {
                            Ok(app::orders::model::OrderSummary {
                                number,
                                placed_at,
                                state: q::parse_state(&status)?,
                                item_count,
                                total_minor,
                            })
                        })
                        .collect::<AppResult<Vec<_>>>()?;
                    Ok((orders, total))
                }
                async fn order_extras(
                    &self,
                    order_id: i64,
                ) -> AppResult<Option<app::orders::model::OrderExtras>> {
                    let row: Option<q::ExtrasRow> = sqlx::query_as(q::ORDER_EXTRAS)
                        .bind(order_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(row.map(q::ExtrasRow::into_extras))
                }
            }
        };
    };
}
pub(crate) use impl_order_store;

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
