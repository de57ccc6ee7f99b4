//! A crash during order placement (issue 10, item 12), on both backends. The process is
//! "killed" between the steps of placement by a fault-injection gateway: it does the real
//! provider's work up to a step (the simulated provider's books are in the database, like
//! a real provider's are elsewhere), then never returns, and the test drops the placement
//! there, as a killed process would. Then a retry with the same key through another
//! instance, or the unpaid-order job, must leave the books agreeing: no order paid for
//! without a payment row, no authorisation left open, stock released once.

use app::cart::model::CartOwner;
use std::sync::Arc;
use std::time::Duration;

use crate::support::shop::*;
use crate::support::TestApp;
use app::accounts::model::Role;
use app::checkout::recovery::{self, Recovered, ATTEMPT_LEASE_SECS};
use app::checkout::service as checkout;
use app::error::AppResult;
use app::orders::port::StoredOrder;
use app::orders::state::{Actor, CancelledBy, OrderEvent, OrderState};
use app::payments::port::{PaymentGateway, PaymentOutcome, PaymentRequest, WebhookEvent};
use app::payments::PaymentStatus;
use app::state::now;
use server::payments::simulated::SimulatedGateway;
use server::storage::Store;
use tokio::sync::Notify;

/// Where the process dies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// The attempt is written; the provider is never reached.
    BeforeAuthorise,
    /// The provider authorised; the shop never heard back.
    AfterAuthorise,
    /// The provider captured; the shop never recorded it.
    AfterCapture,
}

/// The fault-injection hook: the real provider up to `at`, then silence forever.
struct Crashing {
    inner: SimulatedGateway,
    at: Step,
    reached: Arc<Notify>,
}

impl Crashing {
    async fn die_if(&self, step: Step) {
        if self.at == step {
            self.reached.notify_one();
            std::future::pending::<()>().await;
        }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for Crashing {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    async fn authorise(&self, request: &PaymentRequest) -> AppResult<PaymentOutcome> {
        self.die_if(Step::BeforeAuthorise).await;
        let o = self.inner.authorise(request).await?;
        self.die_if(Step::AfterAuthorise).await;
        Ok(o)
    }
    async fn capture(&self, r: &str, amount: i64, key: &str) -> AppResult<PaymentOutcome> {
        let o = self.inner.capture(r, amount, key).await?;
        self.die_if(Step::AfterCapture).await;
        Ok(o)
    }
    async fn void(&self, r: &str) -> AppResult<PaymentOutcome> {
        self.inner.void(r).await
    }
    async fn refund(&self, r: &str, amount: i64, key: &str) -> AppResult<PaymentOutcome> {
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

/// A provider instance on the shop's database books (each app instance has its own).
fn provider(app: &TestApp) -> SimulatedGateway {
    SimulatedGateway::with_ledger(app.store.sim_ledger())
}

struct Crashed {
    order: StoredOrder,
    code: String,
    stock_before: i64,
    req: app::checkout::model::PlaceOrderRequest,
    buyer: checkout::Buyer,
    at: i64,
}

/// Start a placement of 2 units and kill it at `step`.
async fn crash_at(app: &TestApp, tag: &str, step: Step) -> Crashed {
    let code = products(app, 1, 10).await.remove(0);
    let member = member(app, tag, Role::Customer).await;
    let buyer = member.buyer();
    let at = now();
    app.store
        .set_cart_quantity(&buyer.owner, &code, 2, at)
        .await
        .unwrap();
    let token = format!("crash-checkout-{tag}");
    checkout::reserve(&*app.store, &buyer.owner, &token, at)
        .await
        .unwrap();
    let req = request(&format!("crash-key-{tag}"), &token, GOOD, None);

    let reached = Arc::new(Notify::new());
    let gateway = Crashing {
        inner: provider(app),
        at: step,
        reached: reached.clone(),
    };
    let store: Arc<dyn Store> = app.store.clone();
    let (b, r) = (buyer.clone(), req.clone());
    let placement =
        tokio::spawn(async move { checkout::place_order(&*store, &gateway, &b, &r, at).await });
    tokio::time::timeout(Duration::from_secs(30), reached.notified())
        .await
        .expect("the placement reached the step where it dies");
    placement.abort();
    assert!(
        placement.await.unwrap_err().is_cancelled(),
        "killed mid-way"
    );

    let order = app
        .store
        .order_by_number(&only_order_of(app, &buyer.owner).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(order.state, OrderState::PendingPayment);
    assert!(
        app.store.payments_of(order.id).await.unwrap().is_empty(),
        "the crash came before the payment was recorded"
    );
    assert_eq!(stock_of(app, &code).await, 8, "the order holds its stock");
    Crashed {
        order,
        code,
        stock_before: 10,
        req,
        buyer,
        at,
    }
}

async fn only_order_of(app: &TestApp, owner: &CartOwner) -> String {
    let owner = owner.key();
    let rows = scalar_text(
        app,
        &format!("SELECT number FROM orders WHERE owner = '{owner}'"),
    )
    .await;
    assert_eq!(rows.len(), 1, "one order for the placement");
    rows.into_iter().next().unwrap()
}

async fn scalar_text(app: &TestApp, sql: &str) -> Vec<String> {
    use sqlx::Row;
    match app.backend {
        crate::support::Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
            rows.iter().map(|r| r.get::<String, _>(0)).collect()
        }
        crate::support::Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
            rows.iter().map(|r| r.get::<String, _>(0)).collect()
        }
    }
}

/// The provider's books and the shop's agree for the order: every payment the provider
/// holds money for is recorded with an order that is paid; nothing is left authorised or
/// waiting for an order that will not be paid; no attempt is left in flight.
async fn assert_books_agree(app: &TestApp, order_id: i64) -> (OrderState, i64) {
    let provider = provider(app);
    let order = app.store.order_by_id(order_id).await.unwrap().unwrap();
    let payments = app.store.payments_of(order_id).await.unwrap();
    let attempts = app.store.attempts_of(order_id).await.unwrap();
    let mut held = 0;
    for a in &attempts {
        let Some(at_provider) = provider.find(&a.key).await.unwrap() else {
            continue;
        };
        let recorded = payments
            .iter()
            .find(|p| p.provider_ref == at_provider.provider_ref)
            .unwrap_or_else(|| panic!("the provider's payment {a:?} has no payment row"));
        assert_eq!(
            recorded.status,
            at_provider.status.as_str(),
            "the shop records what the provider did"
        );
        match at_provider.status {
            PaymentStatus::Captured => {
                assert!(
                    !matches!(
                        order.state,
                        OrderState::Cancelled | OrderState::PendingPayment
                    ),
                    "money taken for an order in {:?}",
                    order.state
                );
                held += a.amount_minor;
            }
            PaymentStatus::Authorised | PaymentStatus::RequiresAction | PaymentStatus::Pending => {
                assert_ne!(order.state, OrderState::Cancelled, "a hold left open")
            }
            _ => {}
        }
    }
    assert!(
        held <= order.total_minor,
        "charged {held} for {}",
        order.total_minor
    );
    (order.state, held)
}

on_both_backends! {
    async fn a_retry_with_the_same_key_resumes_a_placement_killed_at_any_step(app: TestApp) {
        for (i, step) in [Step::BeforeAuthorise, Step::AfterAuthorise, Step::AfterCapture].into_iter().enumerate() {
            let c = crash_at(app, &format!("retry{i}"), step).await;
            // Another instance, at once: the dead request's lease still runs, so nobody
            // else may touch its attempt yet; the shopper is told the payment is under way.
            let other = provider(app);
            let early = checkout::place_order(&*app.store, &other, &c.buyer, &c.req, c.at + 1).await.unwrap();
            assert_eq!(early.state, OrderState::PendingPayment, "{step:?}");
            assert!(early.message.is_some(), "{step:?}: told it is in progress");
            // Once the lease ran out the retry finishes it: one order, paid once.
            let later = c.at + ATTEMPT_LEASE_SECS + 1;
            let placed = checkout::place_order(&*app.store, &other, &c.buyer, &c.req, later).await.unwrap();
            assert_eq!((placed.number.as_str(), placed.state), (c.order.number.as_str(), OrderState::Paid), "{step:?}");
            let (state, held) = assert_books_agree(app, c.order.id).await;
            assert_eq!((state, held), (OrderState::Paid, c.order.total_minor), "{step:?}");
            assert_eq!(other.captures(), u64::from(step != Step::AfterCapture), "{step:?}: captured once in all");
            assert_eq!(stock_of(app, &c.code).await, c.stock_before - 2, "{step:?}");
            // And recovery has nothing left to do.
            let after = recovery::recover_payments(&*app.store, &other, later + 3600).await.unwrap();
            assert!(after.is_empty(), "{step:?}: {after:?}");
        }
    }

    async fn the_unpaid_order_job_finishes_or_releases_a_placement_killed_at_any_step(app: TestApp) {
        let timeout = 30 * 60;
        for (i, step) in [Step::BeforeAuthorise, Step::AfterAuthorise, Step::AfterCapture].into_iter().enumerate() {
            let c = crash_at(app, &format!("job{i}"), step).await;
            // Before the lease runs out the job leaves the attempt alone.
            let early = recovery::recover_payments(&*app.store, &provider(app), c.at + 1).await.unwrap();
            assert!(early.is_empty(), "{step:?}: {early:?}");
            // Two instances run the job at once, past the unpaid timeout.
            let (a, b) = (provider(app), provider(app));
            let late = c.at + timeout + 1;
            let (x, y) = tokio::join!(
                checkout::expire_unpaid(&*app.store, &a, late, timeout),
                checkout::expire_unpaid(&*app.store, &b, late, timeout),
            );
            let cancelled = x.unwrap() + y.unwrap();
            // A second run changes nothing.
            assert_eq!(checkout::expire_unpaid(&*app.store, &a, late + 60, timeout).await.unwrap(), 0);
            let (state, held) = assert_books_agree(app, c.order.id).await;
            match step {
                // The provider never heard of it: the order is cancelled, restocked once.
                Step::BeforeAuthorise => {
                    assert_eq!((state, held, cancelled), (OrderState::Cancelled, 0, 1), "{step:?}");
                    assert_eq!(stock_of(app, &c.code).await, c.stock_before, "restocked once");
                    let attempts = app.store.attempts_of(c.order.id).await.unwrap();
                    assert_eq!(attempts[0].outcome, recovery::ABANDONED);
                }
                // The provider holds or took the money: the order is paid, not cancelled.
                _ => {
                    assert_eq!((state, held, cancelled), (OrderState::Paid, c.order.total_minor, 0), "{step:?}");
                    assert_eq!(stock_of(app, &c.code).await, c.stock_before - 2, "{step:?}");
                    assert_eq!(a.captures() + b.captures(), u64::from(step == Step::AfterAuthorise), "{step:?}");
                }
            }
        }
    }

    async fn a_hold_for_an_order_cancelled_meanwhile_is_voided_and_a_capture_refunded(app: TestApp) {
        for (i, step) in [Step::AfterAuthorise, Step::AfterCapture].into_iter().enumerate() {
            let c = crash_at(app, &format!("cancel{i}"), step).await;
            // Staff cancel the stuck order while its payment is still in flight.
            checkout::apply_event(&*app.store, c.order.id, OrderEvent::Cancel { by: CancelledBy::Staff }, Actor::Staff(1), c.at + 5, None).await.unwrap();
            assert_eq!(stock_of(app, &c.code).await, c.stock_before, "restocked by the cancel");
            let gateway = provider(app);
            let done = recovery::recover_payments(&*app.store, &gateway, c.at + ATTEMPT_LEASE_SECS + 1).await.unwrap();
            assert_eq!(done.len(), 1, "{step:?}: {done:?}");
            assert_eq!(done[0].1, Recovered::GivenBack, "{step:?}");
            let (state, held) = assert_books_agree(app, c.order.id).await;
            assert_eq!((state, held), (OrderState::Cancelled, 0), "{step:?}");
            let key = &app.store.attempts_of(c.order.id).await.unwrap()[0].key;
            let at_provider = gateway.find(key).await.unwrap().unwrap();
            let expected = if step == Step::AfterAuthorise { PaymentStatus::Voided } else { PaymentStatus::Refunded };
            assert_eq!(at_provider.status, expected, "{step:?}");
            assert_eq!(stock_of(app, &c.code).await, c.stock_before, "{step:?}: stock released once");
        }
    }
}
