//! What orders need from storage: orders, stock reservations, coupons and payments as
//! recorded (`OrderStore`), and shipments, scans and notifications (`ShipmentStore`).

use crate::accounts::model::AddressInput;
use crate::cart::model::CartOwner;
use crate::checkout::coupon::Coupon;
use crate::checkout::delivery::DeliveryQuote;
use crate::checkout::pricing::PriceBreakdown;
use crate::error::AppResult;
use crate::orders::state::{OrderEvent, OrderState};
use crate::privacy::port::OrderLineRecord;

/// A product without enough stock for a checkout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortage {
    pub code: String,
    pub title: String,
    /// What others have not reserved (≥ 0).
    pub available: i64,
}

/// An order to create (prepare step of `checkout::service::place_order`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub number: String,
    pub idempotency_key: String,
    pub owner: CartOwner,
    pub customer_id: Option<i64>,
    pub email: String,
    pub checkout_token: String,
    pub address: AddressInput,
    pub delivery: DeliveryQuote,
    pub breakdown: PriceBreakdown,
    /// The coupon applied, re-checked with its use counts inside the transaction, and the
    /// key its per-customer limit counts ("a:<id>" or "e:<email>").
    pub coupon: Option<(Coupon, String)>,
    pub payment_method: String,
    pub placed_at: i64,
    /// Who placed it, for the event log (`Actor::to_storage` or "guest").
    pub actor: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaceOutcome {
    /// Created: the order as stored (what `order_by_id` would read back).
    Placed(Box<StoredOrder>),
    /// The idempotency key names an order already: its id (and owner, to check).
    Existing {
        order_id: i64,
        owner: Option<CartOwner>,
    },
    /// Not enough stock for a line; nothing was written.
    Shortage(Shortage),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredOrder {
    pub id: i64,
    pub number: String,
    /// None once the account is erased.
    pub owner: Option<CartOwner>,
    pub customer_id: Option<i64>,
    pub email: Option<String>,
    pub state: OrderState,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub delivery_fee_minor: i64,
    pub vat_minor: i64,
    /// The instalment plan's fee (in `total_minor`, VAT-exempt).
    pub payment_fee_minor: i64,
    pub total_minor: i64,
    pub coupon_code: Option<String>,
    pub payment_method: String,
    pub placed_at: i64,
    pub updated_at: i64,
    pub lines: Vec<OrderLineRecord>,
}

/// A move of an order that the state machine allowed (`orders::state::next`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition<'a> {
    pub from: OrderState,
    pub to: OrderState,
    pub event: OrderEvent,
    /// Who made it, as the event log stores it (`Actor::to_storage`, or "guest").
    pub actor: &'a str,
}

/// A payment attempt as stored (upserted by provider and reference).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRecord {
    pub order_id: i64,
    pub provider: String,
    pub provider_ref: String,
    pub method: String,
    pub amount_minor: i64,
    /// `PaymentStatus::as_str`
    pub status: String,
    /// A decline reason or the next-action URL.
    pub detail: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderEventRow {
    pub from_state: Option<String>,
    pub to_state: String,
    pub event: String,
    pub actor: String,
    pub at: i64,
}

/// Orders, stock reservations, coupons and payments. Every method that changes more than
/// one row is one transaction; stock and coupon limits are checked inside it, under a
/// lock (PostgreSQL `SELECT … FOR UPDATE`, SQLite `BEGIN IMMEDIATE`).
#[async_trait::async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// Replace the reservations of `checkout_token` by `lines` (code, quantity) until
    /// `expires_at`, if each is available (stock minus others' unexpired reservations).
    /// Some(shortage) and nothing written otherwise.
    async fn reserve_stock(
        &self,
        owner: &CartOwner,
        checkout_token: &str,
        lines: &[(String, i64)],
        now: i64,
        expires_at: i64,
    ) -> AppResult<Option<Shortage>>;
    /// Forget reservations that expired before `now`; returns how many.
    async fn purge_reservations(&self, now: i64) -> AppResult<u64>;
    /// Create or replace a coupon (validated by the caller).
    async fn save_coupon(&self, coupon: &Coupon, now: i64) -> AppResult<()>;
    async fn coupon(&self, code: &str) -> AppResult<Option<Coupon>>;
    /// Redemptions (of orders not cancelled): in total, and by `customer`.
    async fn coupon_uses(&self, code: &str, customer: &str) -> AppResult<(i64, i64)>;
    /// The order an idempotency key names, with the key's owner.
    async fn order_for_key(&self, key: &str) -> AppResult<Option<(i64, Option<CartOwner>)>>;
    /// The order placed from a checkout token (claimed by `create_order`), with the owner
    /// that placed it.
    async fn order_for_checkout(
        &self,
        checkout_token: &str,
    ) -> AppResult<Option<(i64, Option<CartOwner>)>>;
    /// [`OrderStore::order_for_key`] and [`OrderStore::order_for_checkout`] in one statement.
    async fn orders_for_request(
        &self,
        key: &str,
        checkout_token: &str,
    ) -> AppResult<(
        Option<(i64, Option<CartOwner>)>,
        Option<(i64, Option<CartOwner>)>,
    )>;
    /// The prepare step, in one transaction: insert the order (PendingPayment), which
    /// claims the idempotency key, claim the checkout token, take the stock (never below 0,
    /// others' reservations respected), redeem the coupon within its limits
    /// (`coupon::check` with the counts read under the lock), insert the order's lines and
    /// its first event, delete the checkout's reservations and empty the owner's cart.
    /// Returns the order as stored, so the caller need not read it back.
    async fn create_order(&self, order: &NewOrder) -> AppResult<PlaceOutcome>;
    async fn order_by_id(&self, id: i64) -> AppResult<Option<StoredOrder>>;
    async fn order_by_number(&self, number: &str) -> AppResult<Option<StoredOrder>>;
    /// Make the move if the order is still in `change.from` (false otherwise, and nothing
    /// written): the state, an event row and the payment upserted, in one transaction.
    /// Reaching Cancelled puts the stock back and frees the coupon redemption. A move to
    /// the state the order is in (a repeat the state machine allows) writes only the
    /// payment.
    async fn transition_order(
        &self,
        id: i64,
        change: &Transition<'_>,
        now: i64,
        payment: Option<&PaymentRecord>,
    ) -> AppResult<bool>;
    /// Record a payment's new standing (captured, refunded, voided, waiting) without
    /// moving its order.
    async fn record_payment(&self, payment: &PaymentRecord) -> AppResult<()>;
    /// Payment attempts of an order, oldest first.
    async fn payments_of(&self, order_id: i64) -> AppResult<Vec<PaymentRecord>>;
    async fn order_events(&self, order_id: i64) -> AppResult<Vec<OrderEventRow>>;
    /// Ids and states of orders awaiting payment (pending or failed) placed before
    /// `placed_before`, oldest first.
    async fn unpaid_orders(
        &self,
        placed_before: i64,
        limit: i64,
    ) -> AppResult<Vec<(i64, OrderState)>>;
    // order history and detail (orders/service.rs)
    /// A member's orders (shop orders and the seeded history), newest first, `limit` from
    /// `offset`, and how many there are in all.
    async fn customer_orders(
        &self,
        customer_id: i64,
        offset: i64,
        limit: i64,
    ) -> AppResult<(Vec<crate::orders::model::OrderSummary>, i64)>;
    /// The delivery address and option of an order and the refunds of the seeded history.
    async fn order_extras(
        &self,
        order_id: i64,
    ) -> AppResult<Option<crate::orders::model::OrderExtras>>;
}

/// A parcel on its way: one per order, made when staff ship it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredShipment {
    pub id: i64,
    pub order_id: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: i64,
    pub window_start: i64,
    pub window_end: i64,
    /// Where the simulated carrier's last leg starts (from the delivery city).
    pub depot: String,
    /// The simulated carrier's time compression fixed at dispatch; 0 for a real carrier.
    pub speed: f64,
    pub delivered_at: Option<i64>,
}

/// One event of a member's orders, for the notification centre.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationRow {
    /// `order_events.id`: newer events have larger ids.
    pub event_id: i64,
    pub order_number: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub at: i64,
}

/// Shipments, carrier scans and the customer's notifications. Implemented in
/// `server/src/storage/store/tracking.rs`.
#[async_trait::async_trait]
pub trait ShipmentStore: Send + Sync + 'static {
    /// Insert the order's shipment unless it has one (`id` is ignored); returns the
    /// order's shipment either way, so shipping twice makes one parcel.
    async fn create_shipment(&self, shipment: &StoredShipment) -> AppResult<StoredShipment>;
    async fn shipment_of_order(&self, order_id: i64) -> AppResult<Option<StoredShipment>>;
    async fn shipment_by_tracking(
        &self,
        carrier: &str,
        tracking_number: &str,
    ) -> AppResult<Option<StoredShipment>>;
    /// Record a scan once per `event_id` (false, nothing written, when already there);
    /// a delivered scan also marks the shipment delivered.
    async fn record_scan(
        &self,
        shipment_id: i64,
        event_id: &str,
        scan: &crate::orders::tracking::Scan,
        now: i64,
    ) -> AppResult<bool>;
    /// The scans of a shipment in the order they happened.
    async fn scans_of(&self, shipment_id: i64) -> AppResult<Vec<crate::orders::tracking::Scan>>;
    /// Simulated shipments (speed > 0) not delivered yet, oldest first.
    async fn open_simulated_shipments(&self, limit: i64) -> AppResult<Vec<StoredShipment>>;
    /// Ids of orders still Delivered whose parcel was delivered at or before
    /// `delivered_by`, the earliest delivered first.
    async fn delivered_orders(&self, delivered_by: i64, limit: i64) -> AppResult<Vec<i64>>;
    /// Orders waiting for staff (paid or packed), oldest first.
    async fn dispatch_queue(
        &self,
        limit: i64,
    ) -> AppResult<Vec<crate::orders::model::OrderSummary>>;
    /// The newest `limit` events of a member's orders (newest first), and the id of the
    /// newest one they have read (0 if none).
    async fn notifications(
        &self,
        customer_id: i64,
        limit: i64,
    ) -> AppResult<(Vec<NotificationRow>, i64)>;
    /// Events of a member's orders newer than the last one they read.
    async fn unread_notifications(&self, customer_id: i64) -> AppResult<i64>;
    /// Everything up to `event_id` is read (never moves backwards).
    async fn mark_notifications_read(&self, customer_id: i64, event_id: i64) -> AppResult<()>;
}
