//! Orders, stock reservations, coupons and payments (the `OrderStore` port), written once
//! for both backends like `accounts.rs`. What differs is the locking, passed in by the
//! store struct (`sqlite.rs` / `postgres.rs`):
//! - `BEGIN_WRITE`: how a read-then-write transaction starts. SQLite: `BEGIN IMMEDIATE`
//!   (the write lock up front, so concurrent checkouts queue on the busy timeout instead
//!   of failing as "database is locked"; it also serialises them). PostgreSQL: `BEGIN`.
//! - `FOR_UPDATE`: appended to the reads of rows a transaction will change. PostgreSQL:
//!   ` FOR UPDATE` (row locks; products are locked in code order so two checkouts never
//!   deadlock). SQLite: empty (the database lock already serialises writers).
//!
//! Stock never goes below 0: the decrement is guarded (`WHERE stock >= $n`) on top of the
//! availability check under the lock, and the column has a CHECK.

use app::checkout::coupon::{Coupon, CouponKind};
use app::error::{AppError, AppResult};
use app::orders::state::OrderState;

pub const DELETE_RESERVATIONS: &str = "DELETE FROM stock_reservations WHERE checkout_token = $1";
pub const PRODUCT_STOCK: &str = "SELECT title, stock FROM products WHERE code = $1";
/// Unexpired reservations of other checkouts ($2 now, $3 this checkout's token).
pub const RESERVED_BY_OTHERS: &str =
    "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations \
     WHERE product_code = $1 AND expires_at > $2 AND checkout_token <> $3";
pub const INSERT_RESERVATION: &str =
    "INSERT INTO stock_reservations (checkout_token, owner, product_code, quantity, expires_at) \
     VALUES ($1, $2, $3, $4, $5)";
pub const PURGE_RESERVATIONS: &str = "DELETE FROM stock_reservations WHERE expires_at <= $1";
/// Taking stock for an order is a sale: the popularity counters (best sellers, "popular"
/// sorting) count it at once; a cancellation takes it back out.
pub const TAKE_STOCK: &str =
    "UPDATE products SET stock = stock - $2, units_sold = units_sold + $2, \
     order_count = order_count + 1 WHERE code = $1 AND stock >= $2";
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

pub const CLAIM_KEY: &str = "INSERT INTO idempotency (key, owner, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING";
pub const KEY_ORDER: &str = "SELECT order_id, owner FROM idempotency WHERE key = $1";
pub const SET_KEY_ORDER: &str = "UPDATE idempotency SET order_id = $2 WHERE key = $1";
/// One checkout, one order: the prepare step claims the checkout token before it takes any
/// stock (PostgreSQL: a second claim waits on the first's row until it commits or rolls
/// back; SQLite: `BEGIN IMMEDIATE` already serialises them).
pub const CLAIM_CHECKOUT: &str = "INSERT INTO checkout_claims (checkout_token, owner, created_at) \
     VALUES ($1, $2, $3) ON CONFLICT (checkout_token) DO NOTHING";
pub const CHECKOUT_ORDER: &str =
    "SELECT order_id, owner FROM checkout_claims WHERE checkout_token = $1";
pub const SET_CHECKOUT_ORDER: &str =
    "UPDATE checkout_claims SET order_id = $2 WHERE checkout_token = $1";
pub const INSERT_ORDER: &str = "INSERT INTO orders (number, customer_id, country, status, placed_at, total_minor, owner, email, \
     ship_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, ship_phone, \
     delivery_option, delivery_fee_minor, delivery_window_start, delivery_window_end, \
     subtotal_minor, discount_minor, vat_minor, coupon_code, payment_method, idempotency_key, checkout_token, payment_fee_minor, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $5) \
     RETURNING id";
pub const INSERT_LINE: &str = "INSERT INTO order_lines (order_id, line_no, product_code, quantity, unit_price_minor) VALUES ($1, $2, $3, $4, $5)";
pub const INSERT_EVENT: &str = "INSERT INTO order_events (order_id, from_state, to_state, event, actor, at) VALUES ($1, $2, $3, $4, $5, $6)";
pub const REMOVE_CART_LINE: &str = "DELETE FROM cart_items WHERE owner = $1 AND product_code = $2";
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
/// constants `BEGIN_WRITE` and `FOR_UPDATE` (see the module docs).
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
                    let row: Option<(Option<i64>, String)> = sqlx::query_as(q::KEY_ORDER)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(row.and_then(|(id, owner)| id.map(|id| (id, owner))))
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
                    let lock = format!("{}{}", q::PRODUCT_STOCK, <$store>::FOR_UPDATE);
                    let mut tx = self.pool.begin_with(<$store>::BEGIN_WRITE).await.map_err(db)?;
                    // 1. The key first: a repeat waits here for the first to finish, then
                    //    finds its order (PostgreSQL blocks on the conflicting insert).
                    let claimed = sqlx::query(q::CLAIM_KEY)
                        .bind(&o.idempotency_key)
                        .bind(&o.owner)
                        .bind(o.placed_at)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected();
                    if claimed == 0 {
                        tx.rollback().await.map_err(db)?;
                        return match self.order_for_key(&o.idempotency_key).await? {
                            Some((order_id, owner)) => Ok(PlaceOutcome::Existing { order_id, owner }),
                            None => Err(app::error::AppError::internal("idempotency key without order")),
                        };
                    }
                    // 1b. The checkout: one order per checkout token, whatever the key
                    //     (two tabs, a reload). A second placement waits here for the
                    //     first, then answers with its order; its key stays unclaimed.
                    let claimed = sqlx::query(q::CLAIM_CHECKOUT)
                        .bind(&o.checkout_token)
                        .bind(&o.owner)
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
                    // 2. Stock, in code order (no deadlocks), under the lock.
                    let mut lines: Vec<&app::checkout::pricing::PricedLine> = o.breakdown.lines.iter().collect();
                    lines.sort_by(|a, b| a.product_code.cmp(&b.product_code));
                    for l in &lines {
                        let row: Option<(String, i64)> = sqlx::query_as(&lock)
                            .bind(&l.product_code)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        let Some((title, stock)) = row else {
                            tx.rollback().await.map_err(db)?;
                            return Ok(PlaceOutcome::Shortage(Shortage { code: l.product_code.clone(), title: l.product_code.clone(), available: 0 }));
                        };
                        let reserved: i64 = sqlx::query_scalar(q::RESERVED_BY_OTHERS)
                            .bind(&l.product_code)
                            .bind(o.placed_at)
                            .bind(&o.checkout_token)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                        let available = (stock - reserved).max(0);
                        let taken = if l.quantity <= available {
                            sqlx::query(q::TAKE_STOCK)
                                .bind(&l.product_code)
                                .bind(l.quantity)
                                .execute(&mut *tx)
                                .await
                                .map_err(db)?
                                .rows_affected()
                        } else {
                            0
                        };
                        if taken == 0 {
                            tx.rollback().await.map_err(db)?;
                            return Ok(PlaceOutcome::Shortage(Shortage { code: l.product_code.clone(), title, available }));
                        }
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
                        if let Err(e) = app::checkout::coupon::check(coupon, o.breakdown.subtotal_minor, o.placed_at, total, mine) {
                            tx.rollback().await.map_err(db)?;
                            return Err(e);
                        }
                    }
                    // 4. The order, its lines, its first event.
                    let b = &o.breakdown;
                    let a = &o.address;
                    let order_id: i64 = sqlx::query_scalar(q::INSERT_ORDER)
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
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?;
                    for (i, l) in b.lines.iter().enumerate() {
                        sqlx::query(q::INSERT_LINE)
                            .bind(order_id)
                            .bind(i as i64 + 1)
                            .bind(&l.product_code)
                            .bind(l.quantity)
                            .bind(l.unit_price_minor)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        sqlx::query(q::REMOVE_CART_LINE)
                            .bind(&o.owner)
                            .bind(&l.product_code)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
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
                    if let Some((coupon, customer)) = &o.coupon {
                        sqlx::query(q::REDEEM_COUPON)
                            .bind(&coupon.code)
                            .bind(order_id)
                            .bind(customer)
                            .bind(o.placed_at)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    sqlx::query(q::SET_KEY_ORDER)
                        .bind(&o.idempotency_key)
                        .bind(order_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(q::SET_CHECKOUT_ORDER)
                        .bind(&o.checkout_token)
                        .bind(order_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(q::DELETE_RESERVATIONS)
                        .bind(&o.checkout_token)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(PlaceOutcome::Placed(order_id))
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
