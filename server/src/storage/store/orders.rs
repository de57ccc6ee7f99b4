//! The `OrderStore` port: orders, stock reservations, coupons and payments. What differs
//! between backends is the locking, given by the backend's store type (`sqlite.rs` /
//! `postgres.rs`):
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
//!
//! A refusal rolls its transaction back before it returns, rather than leaving it to the
//! drop: a dropped sqlx transaction only queues its ROLLBACK for the connection's next use,
//! and until then its locks stay held (the placement tests fail without these).
//!
//! Compiled once per backend (see `store/mod.rs`): `Backend` is that backend's store.

use super::Backend;
use crate::storage::sql::coupons;
use crate::storage::sql::orders as q;
use app::cart::model::CartOwner;
use app::checkout::coupon::Coupon;
use app::checkout::refusal::CheckoutRefusal;
use app::error::AppResult;
use app::orders::port::{
    NewOrder, OrderEventRow, PaymentRecord, PlaceOutcome, Shortage, StoredOrder, Transition,
};
use app::orders::state::OrderState;
use app::privacy::port::OrderLineRecord;

impl Backend {
    async fn load_order(
        &self,
        column: &str,
        value: OrderKey<'_>,
    ) -> AppResult<Option<StoredOrder>> {
        let sql = q::order_by(column);
        let query = sqlx::query_as::<_, q::OrderRow>(&sql);
        let query = match value {
            OrderKey::Id(id) => query.bind(id),
            OrderKey::Number(n) => query.bind(n.to_string()),
        };
        let Some(r) = query.fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let lines: Vec<(String, i64, i64)> = sqlx::query_as(q::ORDER_LINES)
            .bind(r.id)
            .fetch_all(&self.pool)
            .await?;
        Ok(Some(StoredOrder {
            state: q::parse_state(&r.status)?,
            id: r.id,
            number: r.number,
            owner: r.owner.as_deref().and_then(CartOwner::parse),
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
                .map(
                    |(product_code, quantity, unit_price_minor)| OrderLineRecord {
                        product_code,
                        quantity,
                        unit_price_minor,
                    },
                )
                .collect(),
        }))
    }
}

enum OrderKey<'a> {
    Id(i64),
    Number(&'a str),
}

#[async_trait::async_trait]
impl app::orders::port::OrderStore for Backend {
    async fn reserve_stock(
        &self,
        owner: &CartOwner,
        checkout_token: &str,
        lines: &[(String, i64)],
        now: i64,
        expires_at: i64,
    ) -> AppResult<Option<Shortage>> {
        let mut lines = lines.to_vec();
        lines.sort();
        let lock = format!("{}{}", q::PRODUCT_STOCK, Backend::FOR_UPDATE);
        let mut tx = self.pool.begin_with(Backend::BEGIN_WRITE).await?;
        sqlx::query(q::DELETE_RESERVATIONS)
            .bind(checkout_token)
            .execute(&mut *tx)
            .await?;
        for (code, quantity) in &lines {
            let row: Option<(String, i64)> = sqlx::query_as(&lock)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((title, stock)) = row else {
                tx.rollback().await?;
                return Ok(Some(Shortage {
                    code: code.clone(),
                    title: code.clone(),
                    available: 0,
                }));
            };
            let reserved: i64 = sqlx::query_scalar(q::RESERVED_BY_OTHERS)
                .bind(code)
                .bind(now)
                .bind(checkout_token)
                .fetch_one(&mut *tx)
                .await?;
            let available = (stock - reserved).max(0);
            if *quantity > available {
                tx.rollback().await?;
                return Ok(Some(Shortage {
                    code: code.clone(),
                    title,
                    available,
                }));
            }
            sqlx::query(q::INSERT_RESERVATION)
                .bind(checkout_token)
                .bind(owner.key())
                .bind(code)
                .bind(quantity)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(None)
    }
    async fn purge_reservations(&self, now: i64) -> AppResult<u64> {
        let r = sqlx::query(q::PURGE_RESERVATIONS)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
    async fn save_coupon(&self, c: &Coupon, now: i64) -> AppResult<()> {
        let (kind, amount, percent, kind_min) = coupons::coupon_kind_columns(&c.kind);
        sqlx::query(coupons::SAVE_COUPON)
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
            .await?;
        Ok(())
    }
    async fn coupon(&self, code: &str) -> AppResult<Option<Coupon>> {
        let row: Option<coupons::CouponRow> = sqlx::query_as(coupons::COUPON)
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.map(Coupon::try_from).transpose()
    }
    async fn coupon_uses(&self, code: &str, customer: &str) -> AppResult<(i64, i64)> {
        sqlx::query_as(coupons::COUPON_USES)
            .bind(code)
            .bind(customer)
            .fetch_one(&self.pool)
            .await
            .map_err(app::error::AppError::from)
    }
    async fn order_for_key(&self, key: &str) -> AppResult<Option<(i64, Option<CartOwner>)>> {
        let row: Option<(i64, String)> = sqlx::query_as(q::KEY_ORDER)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(id, owner)| (id, CartOwner::parse(&owner))))
    }
    async fn orders_for_request(
        &self,
        key: &str,
        checkout_token: &str,
    ) -> AppResult<(
        Option<(i64, Option<CartOwner>)>,
        Option<(i64, Option<CartOwner>)>,
    )> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(q::REQUEST_ORDERS)
            .bind(key)
            .bind(checkout_token)
            .fetch_all(&self.pool)
            .await?;
        let mut found = (None, None);
        for (which, id, owner) in rows {
            let owner = CartOwner::parse(&owner);
            if which == 0 {
                found.0 = Some((id, owner));
            } else {
                found.1 = Some((id, owner));
            }
        }
        Ok(found)
    }
    async fn order_for_checkout(
        &self,
        checkout_token: &str,
    ) -> AppResult<Option<(i64, Option<CartOwner>)>> {
        let row: Option<(Option<i64>, String)> = sqlx::query_as(q::CHECKOUT_ORDER)
            .bind(checkout_token)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|(id, owner)| id.map(|id| (id, CartOwner::parse(&owner)))))
    }
    async fn create_order(&self, o: &NewOrder) -> AppResult<PlaceOutcome> {
        let b = &o.breakdown;
        let a = &o.address;
        let mut tx = self.pool.begin_with(Backend::BEGIN_WRITE).await?;
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
            .bind(o.owner.key())
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
            .await?;
        let Some(order_id) = order_id else {
            tx.rollback().await?;
            return match self.order_for_key(&o.idempotency_key).await? {
                Some((order_id, owner)) => Ok(PlaceOutcome::Existing { order_id, owner }),
                None => Err(app::error::AppError::internal(
                    "order insert conflicted without an order for its key",
                )),
            };
        };
        // 1b. The checkout: one order per checkout token, whatever the key
        //     (two tabs, a reload). A second placement waits here for the
        //     first, then answers with its order; its key stays unclaimed.
        let claimed = sqlx::query(q::CLAIM_CHECKOUT)
            .bind(&o.checkout_token)
            .bind(o.owner.key())
            .bind(order_id)
            .bind(o.placed_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            tx.rollback().await?;
            return match self.order_for_checkout(&o.checkout_token).await? {
                Some((order_id, owner)) => Ok(PlaceOutcome::Existing { order_id, owner }),
                None => Err(app::error::AppError::internal(
                    "checkout claim without order",
                )),
            };
        }
        // 2. Stock, every line in one guarded statement, under the lock (in
        //    code order: no deadlocks). PostgreSQL takes the row locks first, so
        //    the guarded update reads others' reservations as they stand once
        //    no other checkout holds these products; SQLite's write lock is
        //    already held.
        let mut lines: Vec<&app::checkout::pricing::PricedLine> = b.lines.iter().collect();
        lines.sort_by(|x, y| x.product_code.cmp(&y.product_code));
        if !Backend::FOR_UPDATE.is_empty() && !lines.is_empty() {
            let sql = format!("{}{}", q::lock_products(lines.len()), Backend::FOR_UPDATE);
            let mut lock = sqlx::query(&sql);
            for l in &lines {
                lock = lock.bind(&l.product_code);
            }
            lock.fetch_all(&mut *tx).await?;
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
            take.fetch_all(&mut *tx).await?.into_iter().collect()
        };
        if let Some(short) = lines.iter().find(|l| !taken.contains(&l.product_code)) {
            // The first line (in code order) not taken: what is left of it.
            let row: Option<(String, i64, i64)> = sqlx::query_as(q::STOCK_AND_RESERVED)
                .bind(&short.product_code)
                .bind(o.placed_at)
                .bind(&o.checkout_token)
                .fetch_optional(&mut *tx)
                .await?;
            tx.rollback().await?;
            let code = short.product_code.clone();
            return Ok(PlaceOutcome::Shortage(match row {
                Some((title, stock, reserved)) => Shortage {
                    code,
                    title,
                    available: (stock - reserved).max(0),
                },
                None => Shortage {
                    title: code.clone(),
                    code,
                    available: 0,
                },
            }));
        }
        // 3. The coupon, its limits counted under its row lock.
        if let Some((coupon, customer)) = &o.coupon {
            let locked: Option<String> =
                sqlx::query_scalar(&format!("{}{}", coupons::COUPON_LOCK, Backend::FOR_UPDATE))
                    .bind(&coupon.code)
                    .fetch_optional(&mut *tx)
                    .await?;
            if locked.is_none() {
                tx.rollback().await?;
                return Err(app::error::AppError::bad_request(
                    CheckoutRefusal::CouponUnknown,
                ));
            }
            let (total, mine): (i64, i64) = sqlx::query_as(coupons::COUPON_USES)
                .bind(&coupon.code)
                .bind(customer)
                .fetch_one(&mut *tx)
                .await?;
            if let Err(e) =
                app::checkout::coupon::check(coupon, b.subtotal_minor, o.placed_at, total, mine)
            {
                tx.rollback().await?;
                return Err(e);
            }
            sqlx::query(coupons::REDEEM_COUPON)
                .bind(&coupon.code)
                .bind(order_id)
                .bind(customer)
                .bind(o.placed_at)
                .execute(&mut *tx)
                .await?;
        }
        // 4. Its lines (one statement), its first event; the lines leave the
        //    cart (one statement) and the checkout's reservations go. PostgreSQL
        //    does all four in one statement (`finish_order`).
        if Backend::WRITABLE_CTE && !b.lines.is_empty() {
            let sql = q::finish_order(b.lines.len());
            let mut finish = sqlx::query(&sql)
                .bind(order_id)
                .bind(o.owner.key())
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
            finish.execute(&mut *tx).await?;
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
                insert.execute(&mut *tx).await?;
                let sql = q::remove_cart_lines(b.lines.len());
                let mut remove = sqlx::query(&sql).bind(o.owner.key());
                for l in &b.lines {
                    remove = remove.bind(&l.product_code);
                }
                remove.execute(&mut *tx).await?;
            }
            sqlx::query(q::INSERT_EVENT)
                .bind(order_id)
                .bind(None::<String>)
                .bind(OrderState::PendingPayment.as_str())
                .bind("place")
                .bind(&o.actor)
                .bind(o.placed_at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(q::DELETE_RESERVATIONS)
                .bind(&o.checkout_token)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
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
        change: &Transition<'_>,
        now: i64,
        payment: Option<&PaymentRecord>,
    ) -> AppResult<bool> {
        let Transition {
            from,
            to,
            event,
            actor,
        } = *change;
        let event = event.as_str();
        let mut tx = self.pool.begin_with(Backend::BEGIN_WRITE).await?;
        if from != to {
            let moved = sqlx::query(q::MOVE_ORDER)
                .bind(id)
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved == 0 {
                tx.rollback().await?;
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
                .await?;
            if to == OrderState::Cancelled {
                let mut lines: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT product_code, quantity FROM order_lines WHERE order_id = $1",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                lines.sort();
                for (code, quantity) in lines {
                    sqlx::query(q::PUT_BACK_STOCK)
                        .bind(code)
                        .bind(quantity)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(coupons::FREE_COUPON)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some(p) = payment {
            upsert_payment(p).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
    async fn record_payment(&self, payment: &PaymentRecord) -> AppResult<()> {
        upsert_payment(payment).execute(&self.pool).await?;
        Ok(())
    }
    async fn payments_of(&self, order_id: i64) -> AppResult<Vec<PaymentRecord>> {
        let rows: Vec<(i64, String, String, String, i64, String, String, i64)> =
            sqlx::query_as(q::PAYMENTS_OF)
                .bind(order_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(
                |(order_id, provider, provider_ref, method, amount_minor, status, detail, at)| {
                    PaymentRecord {
                        order_id,
                        provider,
                        provider_ref,
                        method,
                        amount_minor,
                        status,
                        detail,
                        at,
                    }
                },
            )
            .collect())
    }
    async fn order_events(&self, order_id: i64) -> AppResult<Vec<OrderEventRow>> {
        let rows: Vec<(Option<String>, String, String, String, i64)> = sqlx::query_as(q::EVENTS_OF)
            .bind(order_id)
            .fetch_all(&self.pool)
            .await?;
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
            .await?;
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
            .await?;
        let rows: Vec<(String, i64, String, i64, i64)> = sqlx::query_as(q::CUSTOMER_ORDERS)
            .bind(customer_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
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
            .await?;
        Ok(row.map(q::ExtrasRow::into_extras))
    }
}

/// The payment as a row: inserted, or updated by provider and reference.
fn upsert_payment(
    p: &PaymentRecord,
) -> sqlx::query::Query<'_, super::Db, <super::Db as sqlx::Database>::Arguments<'_>> {
    sqlx::query(q::UPSERT_PAYMENT)
        .bind(p.order_id)
        .bind(&p.provider)
        .bind(&p.provider_ref)
        .bind(&p.method)
        .bind(p.amount_minor)
        .bind(&p.status)
        .bind(&p.detail)
        .bind(p.at)
}
