//! Orders after checkout: history, detail, invoice, cancel before shipping and reorder,
//! through the domain functions and the real router, on both backends. Ends with the
//! access-control matrix of every order server function and page.

use app::cart::model::CartOwner;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;

use crate::support::shop::*;
use app::accounts::model::Role;
use app::checkout::coupon::{Coupon, CouponKind};
use app::checkout::service as checkout;
use app::error::{AppError, AppResult};
use app::orders::model::{
    OrderDetail, OrderHistory, OrderNotice, ReorderOutcome, HISTORY_PAGE_SIZE,
};
use app::orders::refusal::OrdersRefusal;
use app::orders::service::{self as orders, Viewer};
use app::orders::state::{Actor, OrderEvent, OrderState};
use app::payments::port::{PaymentGateway, PaymentOutcome, PaymentRequest, WebhookEvent};
use app::payments::PaymentStatus;
use app::state::now;
use server::payments::ledger::{MemoryLedger, SimLedger};
use server::payments::simulated::SimulatedGateway;

/// The simulated provider, counting the calls that give money back. Its books are in
/// memory, where a test reads what the provider really did (`books`).
struct CountingGateway {
    inner: SimulatedGateway,
    books: Arc<MemoryLedger>,
    refunds: AtomicU64,
    voids: AtomicU64,
    /// (payment reference, amount, idempotency key) of every refund asked for.
    refund_calls: Mutex<Vec<(String, i64, String)>>,
}

impl Default for CountingGateway {
    fn default() -> Self {
        let books = Arc::new(MemoryLedger::default());
        Self {
            inner: SimulatedGateway::with_ledger(books.clone()),
            books,
            refunds: AtomicU64::new(0),
            voids: AtomicU64::new(0),
            refund_calls: Mutex::new(Vec::new()),
        }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for CountingGateway {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    async fn authorise(&self, request: &PaymentRequest) -> AppResult<PaymentOutcome> {
        self.inner.authorise(request).await
    }
    async fn capture(&self, r: &str, amount: i64, key: &str) -> AppResult<PaymentOutcome> {
        self.inner.capture(r, amount, key).await
    }
    async fn void(&self, r: &str) -> AppResult<PaymentOutcome> {
        self.voids.fetch_add(1, Ordering::SeqCst);
        self.inner.void(r).await
    }
    async fn refund(&self, r: &str, amount: i64, key: &str) -> AppResult<PaymentOutcome> {
        self.refunds.fetch_add(1, Ordering::SeqCst);
        self.refund_calls
            .lock()
            .unwrap()
            .push((r.to_string(), amount, key.to_string()));
        self.inner.refund(r, amount, key).await
    }
    async fn status(&self, r: &str) -> AppResult<PaymentOutcome> {
        self.inner.status(r).await
    }
    async fn find(&self, key: &str) -> AppResult<Option<PaymentOutcome>> {
        self.inner.find(key).await
    }
    fn verify_webhook(&self, body: &[u8], signature: &str) -> AppResult<WebhookEvent> {
        self.inner.verify_webhook(body, signature)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

on_both_backends! {
    async fn history_lists_a_members_orders_newest_first_and_nobody_elses(app: TestApp) {
        let gateway = SimulatedGateway::new();
        let codes = products(app, 2, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let b = member(app, "bob", Role::Customer).await;
        let first = place(app, &gateway, &a.buyer(), &[(&codes[0], 1)], GOOD, None).await;
        // One second later, so "newest" is by time, not by id.
        exec(app, &format!("UPDATE orders SET placed_at = placed_at - 10 WHERE number = '{}'", first.number)).await;
        let second = place(app, &gateway, &a.buyer(), &[(&codes[0], 2), (&codes[1], 3)], GOOD, None).await;
        let bobs = place(app, &gateway, &b.buyer(), &[(&codes[1], 1)], GOOD, None).await;

        let h = orders::history(&*app.store, a.id, 1).await.unwrap();
        let numbers: Vec<&str> = h.orders.iter().map(|o| o.number.as_str()).collect();
        assert_eq!(numbers, [second.number.as_str(), first.number.as_str()]);
        assert_eq!((h.total, h.page, h.pages), (2, 1, 1));
        assert_eq!(h.orders[0].item_count, 5);
        assert_eq!(h.orders[0].state, OrderState::Paid);
        assert_eq!(h.orders[0].total_minor, second.total_minor);

        // Over HTTP: the same list for A, only Bob's for Bob.
        let (status, _, text) = app.request(get("/api/orders/history", Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        let over_http: OrderHistory = serde_json::from_str(&text).unwrap();
        assert_eq!(over_http, h);
        let (_, _, text) = app.request(get("/api/orders/history", Some(&b.cookie))).await;
        assert!(text.contains(&bobs.number) && !text.contains(&first.number) && !text.contains(&second.number), "{text}");
        // The page lists them with links to the detail.
        let (status, _, html) = app.request(get("/account/orders", Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("/orders/{}", second.number)));
        assert!(html.find(&second.number).unwrap() < html.find(&first.number).unwrap(), "newest first");

        // Paging: 25 more (history-like) orders → 20 on page 1, the rest on page 2.
        for i in 0..25 {
            exec(app, &format!(
                "INSERT INTO orders (number, customer_id, country, status, placed_at, total_minor) \
                 VALUES ('HIST{:02}{}', {}, 'GB', 'completed', {}, {})",
                i, a.id, a.id, 1_000_000 + i, 100 + i
            )).await;
        }
        let p1 = orders::history(&*app.store, a.id, 1).await.unwrap();
        let p2 = orders::history(&*app.store, a.id, 2).await.unwrap();
        assert_eq!((p1.total, p1.pages), (27, 2));
        assert_eq!(p1.orders.len(), HISTORY_PAGE_SIZE as usize);
        assert_eq!(p2.orders.len(), 7);
        let all: Vec<i64> = p1.orders.iter().chain(&p2.orders).map(|o| o.placed_at).collect();
        assert!(all.windows(2).all(|w| w[0] >= w[1]), "newest first across pages");
        assert_eq!(p2.orders.last().unwrap().number, format!("HIST00{}", a.id));
        assert_eq!(p2.orders.last().unwrap().state, OrderState::Completed);
        let (_, _, html) = app.request(get("/account/orders?page=2", Some(&a.cookie))).await;
        assert!(html.contains("rel=\"prev\"") && html.contains(&format!("HIST00{}", a.id)));
    }

    async fn the_seeded_history_is_listed_and_shown(app: TestApp) {
        // The seeded customer with the most orders.
        let customer = scalar(app, "SELECT customer_id FROM orders WHERE customer_id IS NOT NULL \
                                   GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 1").await;
        let count = scalar(app, &format!("SELECT COUNT(*) FROM orders WHERE customer_id = {customer}")).await;
        let h = orders::history(&*app.store, customer, 1).await.unwrap();
        assert_eq!(h.total, count);
        assert!(h.orders.windows(2).all(|w| w[0].placed_at >= w[1].placed_at));
        let newest = &h.orders[0];
        let viewer = Viewer { owner: Some(CartOwner::Account(customer)), customer_id: Some(customer), role: Some(Role::Customer) };
        let d = orders::detail(&*app.store, &viewer, &newest.number).await.unwrap();
        assert!(d.legacy && d.paid == d.state.holds_payment());
        assert_eq!(d.item_count(), newest.item_count);
        assert_eq!(d.subtotal_minor, d.lines.iter().map(|l| l.line_total_minor).sum::<i64>());
        assert!(d.vat_minor > 0 && d.vat_minor < d.total_minor);
        assert!(!d.lines[0].title.is_empty() && d.lines[0].title != d.lines[0].product_code);
        assert_eq!(d.events[0].actor, app::orders::model::ActorKind::You);
        assert!(!d.can_track, "the history has no parcels");
    }

    async fn detail_is_for_the_owner_their_guest_session_and_staff_only(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let b = member(app, "bob", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let admin = member(app, "admin", Role::Admin).await;
        let mine = place_http(app, &a.cookie, &codes[0], 2, "detail-a-000001").await;
        let guest = guest_cookie(app, &codes[0]).await;
        let guests = place_http(app, &guest, &codes[0], 1, "detail-g-000001").await;
        let other_guest = guest_cookie(app, &codes[0]).await;

        let detail = |n: &str| format!("/api/orders/detail?number={n}");
        let (_, _, unknown) = app.request(get(&detail("EMNOSUCHORDER"), Some(&b.cookie))).await;
        for (who, cookie, number, want) in [
            ("A", Some(&a.cookie), &mine.number, 200),
            ("B", Some(&b.cookie), &mine.number, 404),
            ("anonymous", None, &mine.number, 404),
            ("agent", Some(&agent.cookie), &mine.number, 200),
            ("admin", Some(&admin.cookie), &mine.number, 200),
            ("guest owner", Some(&guest), &guests.number, 200),
            ("another guest", Some(&other_guest), &guests.number, 404),
            ("A on the guest's order", Some(&a.cookie), &guests.number, 404),
            ("agent on the guest's order", Some(&agent.cookie), &guests.number, 200),
        ] {
            let (status, _, text) = app.request(get(&detail(number), cookie.map(String::as_str))).await;
            assert_eq!(status.as_u16(), want, "{who}: {text}");
            if want == 404 {
                assert_eq!(text, unknown, "{who} is told the same as for a number that does not exist");
            } else {
                let d: OrderDetail = serde_json::from_str(&text).unwrap();
                assert_eq!(&d.number, number);
                assert_eq!(d.is_owner, who.contains("owner") || who == "A", "{who}");
                assert_eq!(d.can_cancel, d.is_owner, "{who}");
            }
        }
        let d: OrderDetail = serde_json::from_str(&app.request(get(&detail(&mine.number), Some(&a.cookie))).await.2).unwrap();
        assert_eq!(d.address.full_name, "Alice Orders");
        assert_eq!(d.lines.len(), 1);
        assert_eq!(d.lines[0].quantity, 2);
        assert_eq!(d.subtotal_minor - d.discount_minor + d.delivery_minor, d.total_minor);
        assert_eq!((d.subtotal_minor, d.vat_minor, d.total_minor), (mine.subtotal_minor, mine.vat_minor, mine.total_minor));
        assert_eq!(d.payment_status, Some(PaymentStatus::Captured));
        assert!(d.delivery_option.is_some() && d.window_start.is_some());
        let events: Vec<(bool, OrderState)> = d.events.iter().map(|e| (e.placed, e.to)).collect();
        assert_eq!(events, [(true, OrderState::PendingPayment), (false, OrderState::Paid)]);
        assert_eq!(d.events[0].actor, app::orders::model::ActorKind::You);
        assert_eq!(d.events[1].actor, app::orders::model::ActorKind::PaymentProvider);

        // The pages: the owner sees the order, B gets the same 404 page as for no order.
        let (status, _, html) = app.request(get(&format!("/orders/{}", mine.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Alice Orders") && html.contains("data-testid=\"order-detail\""));
        assert!(html.contains(&format!("/orders/{}/invoice", mine.number)));
        let (status, _, html) = app.request(get(&format!("/orders/{}", mine.number), Some(&b.cookie))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!html.contains("Alice Orders"));
        let (status, _, _) = app.request(get(&format!("/orders/{}", guests.number), Some(&guest))).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn cancelling_a_paid_order_refunds_once_and_puts_stock_back(app: TestApp) {
        let gateway = CountingGateway::default();
        let codes = products(app, 2, 20).await;
        let a = member(app, "alice", Role::Customer).await;
        app.store.save_coupon(&Coupon {
            code: "TAKE100".into(),
            kind: CouponKind::FixedAmount { minor: 100 },
            starts_at: None,
            ends_at: None,
            max_uses: Some(1),
            max_uses_per_customer: None,
            min_spend_minor: None,
        }, now()).await.unwrap();
        let sold = |code: String| async move { scalar(app, &format!("SELECT units_sold FROM products WHERE code = '{code}'")).await };
        let sold_before = sold(codes[0].clone()).await;
        let placed = place(app, &gateway, &a.buyer(), &[(&codes[0], 3), (&codes[1], 1)], GOOD, Some("TAKE100")).await;
        assert_eq!(placed.state, OrderState::Paid);
        assert_eq!((stock_of(app, &codes[0]).await, stock_of(app, &codes[1]).await), (17, 19));
        assert_eq!(sold(codes[0].clone()).await, sold_before + 3, "a sale counts towards best sellers");
        assert_eq!(app.store.coupon_uses("TAKE100", "").await.unwrap().0, 1);

        let cancelled = orders::cancel(&*app.store, &gateway, &a.viewer(), &placed.number, now()).await.unwrap();
        assert_eq!(cancelled.state, OrderState::Cancelled);
        assert_eq!(cancelled.payment_status, Some(PaymentStatus::Refunded));
        assert!(matches!(cancelled.notice, Some(OrderNotice::Refunded { .. })), "{:?}", cancelled.notice);
        assert!(!cancelled.can_cancel);
        assert_eq!(gateway.refunds.load(Ordering::SeqCst), 1);
        assert_eq!((stock_of(app, &codes[0]).await, stock_of(app, &codes[1]).await), (20, 20));
        assert_eq!(sold(codes[0].clone()).await, sold_before, "a cancelled order is no sale");
        assert_eq!(app.store.coupon_uses("TAKE100", "").await.unwrap().0, 0, "the coupon use is freed");
        let provider_ref = app.store.payments_of(app.store.order_by_number(&placed.number).await.unwrap().unwrap().id).await.unwrap()[0].provider_ref.clone();
        assert_eq!(gateway.status(&provider_ref).await.unwrap().status, PaymentStatus::Refunded);

        // A double click: nothing more happens.
        let again = orders::cancel(&*app.store, &gateway, &a.viewer(), &placed.number, now()).await.unwrap();
        assert_eq!(again.state, OrderState::Cancelled);
        assert_eq!(gateway.refunds.load(Ordering::SeqCst), 1, "refunded once");
        assert_eq!((stock_of(app, &codes[0]).await, stock_of(app, &codes[1]).await), (20, 20), "stock back once");
        let id = app.store.order_by_number(&placed.number).await.unwrap().unwrap().id;
        let events = app.store.order_events(id).await.unwrap();
        let cancels: Vec<_> = events.iter().filter(|e| e.to_state == "cancelled").collect();
        assert_eq!(cancels.len(), 1);
        assert_eq!(cancels[0].event, "cancel_by_customer");
        assert_eq!(cancels[0].actor, format!("customer:{}", a.id));
        assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM payments WHERE order_id = {id} AND status = 'refunded'")).await, 1);
    }

    async fn eight_concurrent_cancels_refund_once_and_in_full(app: TestApp) {
        let gateway = Arc::new(CountingGateway::default());
        let codes = products(app, 1, 20).await;
        let a = member(app, "alice", Role::Customer).await;
        let sold_before = scalar(app, &format!("SELECT units_sold FROM products WHERE code = '{}'", codes[0])).await;
        let racing = place(app, &*gateway, &a.buyer(), &[(&codes[0], 2)], GOOD, None).await;
        assert_eq!(racing.state, OrderState::Paid);
        assert_eq!(stock_of(app, &codes[0]).await, 18);
        let id = app.store.order_by_number(&racing.number).await.unwrap().unwrap().id;
        let taken = app.store.payments_of(id).await.unwrap();
        assert_eq!(taken.len(), 1, "{taken:?}");
        let (reference, total) = (taken[0].provider_ref.clone(), racing.total_minor);
        assert_eq!((taken[0].status.as_str(), taken[0].amount_minor), ("captured", total));
        assert_eq!(gateway.books.get(&reference).await.unwrap().unwrap().captured, total);

        // Eight cancels of one paid order (double clicks, two tabs, a client retrying),
        // released together at a barrier once every task is running.
        let contenders = 8;
        let barrier = Arc::new(tokio::sync::Barrier::new(contenders));
        let mut tasks = Vec::new();
        for _ in 0..contenders {
            let (store, gateway, viewer, number, barrier) = (app.store.clone(), gateway.clone(), a.viewer(), racing.number.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                orders::cancel(&*store, &*gateway, &viewer, &number, now()).await
            }));
        }
        for t in tasks {
            let d = t.await.unwrap().expect("every cancel answers");
            assert_eq!(d.state, OrderState::Cancelled);
            assert_eq!(d.payment_status, Some(PaymentStatus::Refunded), "{:?}", d.notice);
        }

        // Exactly one refund, of the full amount. In the provider's books: the money taken
        // once, given back once, in full, under one refund key.
        let books = gateway.books.get(&reference).await.unwrap().unwrap();
        assert_eq!((books.status, books.captured, books.refunded), (PaymentStatus::Refunded, total, total), "{books:?}");
        let calls = gateway.refund_calls.lock().unwrap().clone();
        let keys: std::collections::BTreeSet<&str> = calls.iter().map(|(_, _, k)| k.as_str()).collect();
        let refunds_done: Vec<&String> = books.done.iter().filter(|k| keys.contains(k.as_str())).collect();
        assert_eq!(refunds_done.len(), 1, "one refund in the provider's books: {:?}", books.done);
        // What the shop asked for: this payment, the full amount, and always the same
        // idempotency key, so a provider can never pay out twice however many ask.
        assert!(!calls.is_empty());
        assert_eq!(keys.len(), 1, "one refund key for one payment: {calls:?}");
        for (r, amount, _) in &calls {
            assert_eq!((r.as_str(), *amount), (reference.as_str(), total), "{calls:?}");
        }
        println!("{} refund request(s) reached the provider for {contenders} cancels", calls.len());
        // The shop's records: one payment, refunded, for the full amount; one cancel event;
        // stock and best-seller counts back once.
        let rows = app.store.payments_of(id).await.unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0].status.as_str(), rows[0].amount_minor), ("refunded", total));
        assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM payments WHERE order_id = {id} AND status = 'refunded'")).await, 1);
        assert_eq!(scalar(app, &format!("SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM payments WHERE order_id = {id} AND status = 'refunded'")).await, total);
        assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM order_events WHERE order_id = {id} AND to_state = 'cancelled'")).await, 1);
        assert_eq!(stock_of(app, &codes[0]).await, 20);
        assert_eq!(scalar(app, &format!("SELECT units_sold FROM products WHERE code = '{}'", codes[0])).await, sold_before);
        let d = orders::detail(&*app.store, &a.viewer(), &racing.number).await.unwrap();
        assert_eq!((d.state, d.payment_status), (OrderState::Cancelled, Some(PaymentStatus::Refunded)));
    }

    async fn cancelling_an_unpaid_order_releases_it_without_a_refund(app: TestApp) {
        let gateway = CountingGateway::default();
        let codes = products(app, 1, 10).await;
        let a = member(app, "alice", Role::Customer).await;
        let failed = place(app, &gateway, &a.buyer(), &[(&codes[0], 4)], DECLINE, None).await;
        assert_eq!(failed.state, OrderState::PaymentFailed);
        assert_eq!(stock_of(app, &codes[0]).await, 6, "a failed payment keeps its stock for a retry");
        let d = orders::detail(&*app.store, &a.viewer(), &failed.number).await.unwrap();
        assert!(d.can_pay_again && d.can_cancel && !d.paid);
        let c = orders::cancel(&*app.store, &gateway, &a.viewer(), &failed.number, now()).await.unwrap();
        assert_eq!(c.state, OrderState::Cancelled);
        assert_eq!(gateway.refunds.load(Ordering::SeqCst) + gateway.voids.load(Ordering::SeqCst), 0);
        assert_eq!(stock_of(app, &codes[0]).await, 10);
    }

    async fn a_shipped_order_cannot_be_cancelled(app: TestApp) {
        let gateway = CountingGateway::default();
        let codes = products(app, 1, 10).await;
        let a = member(app, "alice", Role::Customer).await;
        let placed = place(app, &gateway, &a.buyer(), &[(&codes[0], 1)], GOOD, None).await;
        let id = app.store.order_by_number(&placed.number).await.unwrap().unwrap().id;
        for event in [OrderEvent::Pack, OrderEvent::Ship] {
            checkout::apply_event(&*app.store, id, event, Actor::Staff(1), now(), None).await.unwrap();
        }
        let e = orders::cancel(&*app.store, &gateway, &a.viewer(), &placed.number, now()).await.unwrap_err();
        assert_eq!(e, AppError::conflict(OrdersRefusal::TooLateToCancel));
        assert_eq!(state_of(app, &placed.number).await, OrderState::Shipped);
        assert_eq!(gateway.refunds.load(Ordering::SeqCst), 0);
        assert_eq!(stock_of(app, &codes[0]).await, 9);
        let d = orders::detail(&*app.store, &a.viewer(), &placed.number).await.unwrap();
        assert!(!d.can_cancel && d.can_track && d.past_shipping());
        // Over HTTP: 409 with the message; the page shows the hint and the tracking link.
        let (status, _, text) = app.request(form("/api/orders/cancel", &format!("number={}", placed.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(refusal_in(&text), OrdersRefusal::TooLateToCancel.into());
        let (_, _, html) = app.request(get(&format!("/orders/{}", placed.number), Some(&a.cookie))).await;
        assert!(html.contains("too-late-to-cancel") && html.contains(&format!("/orders/{}/tracking", placed.number)));
        assert!(!html.contains("confirm-cancel"));
    }

    async fn reorder_fills_the_cart_within_stock_and_reports_each_line(app: TestApp) {
        let gateway = SimulatedGateway::new();
        let codes = products(app, 3, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let placed = place(app, &gateway, &a.buyer(), &[(&codes[0], 2), (&codes[1], 5), (&codes[2], 4)], GOOD, None).await;
        // Since then: the first sold out, the second has 3 left; the cart already holds 97
        // of the third (the cap is 99).
        set_stock(app, &codes[0], 0).await;
        set_stock(app, &codes[1], 3).await;
        set_stock(app, &codes[2], 500).await;
        app.store.set_cart_quantity(&CartOwner::Account(a.id), &codes[2], 97, now()).await.unwrap();

        let r = orders::reorder(&*app.store, &a.viewer(), &placed.number, now()).await.unwrap();
        let got: Vec<(&str, i64, i64, ReorderOutcome)> = r.lines.iter().map(|l| (l.product_code.as_str(), l.asked, l.added, l.outcome)).collect();
        assert_eq!(got, [
            (codes[0].as_str(), 2, 0, ReorderOutcome::Unavailable),
            (codes[1].as_str(), 5, 3, ReorderOutcome::Reduced),
            (codes[2].as_str(), 4, 2, ReorderOutcome::Reduced),
        ]);
        let mut cart = app.store.cart(&CartOwner::Account(a.id)).await.unwrap();
        cart.sort();
        let mut want = vec![(codes[1].clone(), 3), (codes[2].clone(), 99)];
        want.sort();
        assert_eq!(cart, want);
        assert_eq!(r.cart_items, 102);

        // Over HTTP, with everything back in stock and an empty cart: all added.
        for c in &codes {
            set_stock(app, c, 50).await;
            app.store.set_cart_quantity(&CartOwner::Account(a.id), c, 0, now()).await.unwrap();
        }
        let (status, _, text) = app.request(form("/api/orders/reorder", &format!("number={}", placed.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let r: app::orders::model::ReorderResult = serde_json::from_str(&text).unwrap();
        assert_eq!(r.count(ReorderOutcome::Added), 3);
        assert_eq!(r.cart_items, 11);
        assert_eq!(state_of(app, &placed.number).await, OrderState::Paid, "reordering leaves the order alone");
    }

    async fn invoices_exist_only_for_paid_orders(app: TestApp) {
        let gateway = SimulatedGateway::new();
        let codes = products(app, 1, 20).await;
        let a = member(app, "alice", Role::Customer).await;
        let unpaid = place(app, &gateway, &a.buyer(), &[(&codes[0], 1)], DECLINE, None).await;
        let e = orders::invoice(&*app.store, &a.viewer(), &unpaid.number).await.unwrap_err();
        assert_eq!(e, AppError::conflict(OrdersRefusal::InvoiceUnpaid));
        let (status, _, text) = app.request(get(&format!("/api/orders/invoice?number={}", unpaid.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{text}");
        let (status, _, html) = app.request(get(&format!("/orders/{}/invoice", unpaid.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(html.contains("not been paid"));

        let paid = place(app, &gateway, &a.buyer(), &[(&codes[0], 3)], GOOD, None).await;
        let inv = orders::invoice(&*app.store, &a.viewer(), &paid.number).await.unwrap();
        assert_eq!(inv.order.number, paid.number);
        assert_eq!(inv.vat_rate_bp, 2000);
        assert_eq!(inv.net_minor + inv.order.vat_minor, inv.order.total_minor);
        // 20 % included: VAT is a sixth of the total, to the penny.
        assert!((inv.order.vat_minor * 6 - inv.order.total_minor).abs() <= 6, "{} of {}", inv.order.vat_minor, inv.order.total_minor);
        let stored = app.store.order_by_number(&paid.number).await.unwrap().unwrap();
        assert!(inv.issued_at >= stored.placed_at && inv.issued_at <= now());
        assert_eq!(inv.order.placed_at, stored.placed_at);
        let (status, _, html) = app.request(get(&format!("/orders/{}/invoice", paid.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("data-testid=\"invoice\"") && html.contains("Emporium Demo Ltd") && html.contains("print-invoice"));
    }

    async fn access_control_matrix(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let b = member(app, "bob", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let admin = member(app, "admin", Role::Admin).await;
        let order = place_http(app, &a.cookie, &codes[0], 2, "matrix-a-000001").await;
        let to_cancel = place_http(app, &a.cookie, &codes[0], 1, "matrix-a-000002").await;
        let n = &order.number;

        type Check = (&'static str, String, Option<String>, [u16; 5]);
        // (label, path, form body for POST, statuses for anonymous, A, B, agent, admin).
        let checks: Vec<Check> = vec![
            ("order history", "/api/orders/history".into(), None, [401, 200, 200, 200, 200]),
            ("order history page 2", "/api/orders/history?page=2".into(), None, [401, 200, 200, 200, 200]),
            ("A's order", format!("/api/orders/detail?number={n}"), None, [404, 200, 404, 200, 200]),
            ("A's invoice", format!("/api/orders/invoice?number={n}"), None, [404, 200, 404, 200, 200]),
            ("reorder A's order", "/api/orders/reorder".into(), Some(format!("number={n}")), [404, 200, 404, 403, 403]),
            ("cancel an order nobody has", "/api/orders/cancel".into(), Some("number=EMNOSUCHORDER".into()), [404, 404, 404, 404, 404]),
            ("history page", "/account/orders".into(), None, [401, 200, 200, 200, 200]),
            ("A's order page", format!("/orders/{n}"), None, [404, 200, 404, 200, 200]),
            ("A's invoice page", format!("/orders/{n}/invoice"), None, [404, 200, 404, 200, 200]),
        ];
        let actors: [(&str, Option<&str>); 5] = [
            ("anonymous", None),
            ("customer A", Some(&a.cookie)),
            ("customer B", Some(&b.cookie)),
            ("agent", Some(&agent.cookie)),
            ("admin", Some(&admin.cookie)),
        ];
        let mut table = String::from("| route | anonymous | customer A | customer B | agent | admin |\n|---|---|---|---|---|---|\n");
        for (label, path, body, want) in &checks {
            let route = path.split('?').next().unwrap().replace(n.as_str(), ":number");
            let mut row = format!("| {label} `{route}` |");
            for (i, (actor, cookie)) in actors.iter().enumerate() {
                let req = match body {
                    Some(body) => form(path, body, *cookie),
                    None => get(path, *cookie),
                };
                let (status, _, text) = app.request(req).await;
                assert_eq!(status.as_u16(), want[i], "{label} as {actor}: {}", &text[..text.len().min(300)]);
                // Staff may read any order; anonymous and B get nothing of A's.
                if (i == 0 || i == 2) && !label.contains("history") {
                    assert!(!text.contains("Alice Orders") && !text.contains(&a.email), "{label}: {actor} sees nothing of A's");
                }
                if label.contains("history") && i >= 2 {
                    assert!(!text.contains(n.as_str()), "{label}: {actor} does not see A's orders");
                }
                row.push_str(&format!(" {} |", status.as_u16()));
            }
            table.push_str(&row);
            table.push('\n');
        }
        // Cancelling A's order: everyone else first, and it stays paid; then A.
        let body = format!("number={}", to_cancel.number);
        let mut row = String::from("| cancel A's order `/api/orders/cancel` |");
        let mut cells = [0u16; 5];
        for i in [0usize, 2, 3, 4, 1] {
            let (actor, cookie) = actors[i];
            let (status, _, text) = app.request(form("/api/orders/cancel", &body, cookie)).await;
            let want = [404, 200, 404, 403, 403][i];
            assert_eq!(status.as_u16(), want, "cancel as {actor}: {text}");
            if i != 1 {
                assert_eq!(state_of(app, &to_cancel.number).await, OrderState::Paid, "{actor} could not cancel A's order");
            }
            cells[i] = status.as_u16();
        }
        for c in cells {
            row.push_str(&format!(" {c} |"));
        }
        table.push_str(&row);
        table.push('\n');
        println!("{table}");
        assert_eq!(state_of(app, &to_cancel.number).await, OrderState::Cancelled);
        // A's first order is as it was; reorders went into A's cart only.
        assert_eq!(state_of(app, n).await, OrderState::Paid);
        let a_cart = app.store.cart(&CartOwner::Account(a.id)).await.unwrap();
        assert_eq!(a_cart, vec![(codes[0].clone(), 2)], "only A's own reorder filled A's cart");
        for m in [&b, &agent, &admin] {
            assert!(app.store.cart(&CartOwner::Account(m.id)).await.unwrap().is_empty());
        }
    }
}
