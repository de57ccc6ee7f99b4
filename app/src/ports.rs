//! The interfaces the domain needs from the outside world (hexagonal "ports"). The server
//! crate provides the adapters: a SQLite and a PostgreSQL store, and a tantivy search index.
//! Domain functions take these as arguments, so tests can hand them a real store directly.

use std::sync::Arc;

use crate::accounts::model::{Address, AddressInput, Role};
use crate::catalog::model::{
    CategorySummary, ProductCard, ProductDetail, ProductPage, ProductQuery,
};
use crate::checkout::coupon::Coupon;
use crate::checkout::delivery::DeliveryQuote;
use crate::checkout::pricing::PriceBreakdown;
use crate::error::AppResult;
use crate::orders::state::OrderState;
use crate::payments::{DeclineReason, PaymentMethod, PaymentStatus};
use crate::search::model::{SearchRequest, SearchResults};

#[async_trait::async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    /// Categories with their product counts, largest first.
    async fn categories(&self) -> AppResult<Vec<CategorySummary>>;
    async fn list_products(&self, query: &ProductQuery) -> AppResult<ProductPage>;
    /// The product with its "also bought" list, or None.
    async fn product(&self, code: &str) -> AppResult<Option<ProductDetail>>;
    /// Most units sold in orders placed since `since` (unix seconds).
    async fn best_sellers(&self, since: i64, limit: u32) -> AppResult<Vec<ProductCard>>;
    /// Most recently introduced products (first sale), newest first.
    async fn new_arrivals(&self, limit: u32) -> AppResult<Vec<ProductCard>>;
    /// The given products, in the given order; unknown codes are skipped.
    async fn products_by_codes(&self, codes: &[String]) -> AppResult<Vec<ProductCard>>;
    /// Every product, for building the search index.
    async fn all_products(&self) -> AppResult<Vec<ProductCard>>;
}

pub trait SearchEngine: Send + Sync + 'static {
    fn search(&self, request: &SearchRequest) -> AppResult<SearchResults>;
    /// Completions for what the shopper has typed so far.
    fn suggest(&self, prefix: &str, limit: usize) -> AppResult<Vec<String>>;
}

/// An account as stored. Seeded customers have no email or password until one is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    pub id: i64,
    pub email: Option<String>,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub erased: bool,
}

/// A session as the request middleware reads it.
#[derive(Clone, Debug)]
pub struct SessionLookup {
    pub session: SessionRecord,
    pub account: Option<AccountRecord>,
    pub facts: crate::accounts::session::MemberFacts,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: String,
    pub public_id: String,
    /// None for a guest session.
    pub customer_id: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
    pub ip: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleRecord {
    pub failures: i64,
    pub window_start: i64,
    pub last_failure_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    pub purpose: String,
    pub granted: bool,
    pub policy_version: String,
    pub decided_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    pub kind: String,
    pub subject: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLineRecord {
    pub product_code: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRecord {
    pub number: String,
    pub placed_at: i64,
    pub status: String,
    pub total_minor: i64,
    pub lines: Vec<OrderLineRecord>,
}

/// Accounts, sessions and sign-in throttling.
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// The new account's id, or None when the email is taken. `email` is lower-case.
    async fn create_account(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
        now: i64,
    ) -> AppResult<Option<i64>>;
    async fn account_by_email(&self, email: &str) -> AppResult<Option<AccountRecord>>;
    async fn account_by_id(&self, id: i64) -> AppResult<Option<AccountRecord>>;
    async fn set_password(&self, id: i64, password_hash: &str) -> AppResult<()>;
    /// Give a (seeded) account an email and password. False when the email is taken.
    async fn set_credentials(&self, id: i64, email: &str, password_hash: &str) -> AppResult<bool>;
    async fn set_role(&self, id: i64, role: Role) -> AppResult<bool>;
    async fn set_name(&self, id: i64, name: &str) -> AppResult<()>;
    /// Accounts whose email or name contains `needle` (lower-case), and the order count.
    async fn find_accounts(&self, needle: &str, limit: i64)
        -> AppResult<Vec<(AccountRecord, i64)>>;

    async fn insert_session(&self, session: &SessionRecord) -> AppResult<()>;
    /// The session with this token hash, its account, and the facts about the member
    /// that every page needs (one statement: the request middleware runs it each time).
    async fn session(&self, token_hash: &str) -> AppResult<Option<SessionLookup>>;
    async fn touch_session(&self, token_hash: &str, now: i64) -> AppResult<()>;
    async fn delete_session(&self, token_hash: &str) -> AppResult<()>;
    /// Sign one device out; false when that session is not the account's.
    async fn delete_account_session(&self, customer_id: i64, public_id: &str) -> AppResult<bool>;
    /// Every session of the account except `keep` (a token hash).
    async fn delete_account_sessions(&self, customer_id: i64, keep: Option<&str>) -> AppResult<()>;
    async fn account_sessions(&self, customer_id: i64) -> AppResult<Vec<SessionRecord>>;
    /// Delete sessions past their timeouts (members idle since / signed in before the
    /// first two cut-offs, guests idle since the third); returns how many.
    async fn purge_sessions(
        &self,
        member_idle_before: i64,
        member_created_before: i64,
        guest_idle_before: i64,
    ) -> AppResult<u64>;

    async fn throttle(&self, key: &str) -> AppResult<Option<ThrottleRecord>>;
    /// Count a failure; a window older than `window_start_after` restarts at 1.
    async fn throttle_fail(&self, key: &str, now: i64, window_start_after: i64) -> AppResult<()>;
    async fn throttle_clear(&self, key: &str) -> AppResult<()>;
    /// Count one attempt only if the record is still `expected` (a guarded increment; a
    /// window older than `window_start_after` restarts at 1). False when another request
    /// changed it first: read again and decide again.
    async fn throttle_take(
        &self,
        key: &str,
        expected: Option<ThrottleRecord>,
        now: i64,
        window_start_after: i64,
    ) -> AppResult<bool>;
    /// Give back one counted attempt (it turned out to be a success).
    async fn throttle_refund(&self, key: &str) -> AppResult<()>;
}

/// The address book and server-side favourites of members.
#[async_trait::async_trait]
pub trait ProfileStore: Send + Sync + 'static {
    async fn addresses(&self, customer_id: i64) -> AppResult<Vec<Address>>;
    /// Stores a validated address; returns its id.
    async fn add_address(&self, customer_id: i64, input: &AddressInput, now: i64)
        -> AppResult<i64>;
    /// False when the address is not the customer's.
    async fn update_address(
        &self,
        customer_id: i64,
        id: i64,
        input: &AddressInput,
    ) -> AppResult<bool>;
    async fn delete_address(&self, customer_id: i64, id: i64) -> AppResult<bool>;
    async fn set_default_address(&self, customer_id: i64, id: i64) -> AppResult<bool>;

    /// Product codes, most recently added first.
    async fn favourites(&self, customer_id: i64) -> AppResult<Vec<String>>;
    /// Adds those that exist and are not there yet.
    async fn add_favourites(&self, customer_id: i64, codes: &[String], now: i64) -> AppResult<()>;
    async fn remove_favourite(&self, customer_id: i64, code: &str) -> AppResult<()>;
}

/// A stored cart line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCartLine {
    pub code: String,
    pub quantity: i64,
    pub saved: bool,
    /// The price when the shopper last changed the line (None for lines from before this
    /// was recorded).
    pub price_seen_minor: Option<i64>,
}

/// Server-side carts of guests ("s:<session public id>") and members ("a:<id>").
#[async_trait::async_trait]
pub trait CartStore: Send + Sync + 'static {
    /// The basket's lines (not those saved for later): (product code, quantity), oldest
    /// first.
    async fn cart(&self, owner: &str) -> AppResult<Vec<(String, i64)>>;
    /// Every line, saved for later or not, with the price the shopper last saw.
    async fn cart_details(&self, owner: &str) -> AppResult<Vec<StoredCartLine>>;
    /// [`CartStore::cart_details`] with each line's product as it is today, in one
    /// statement; lines of products that left the catalogue are left out.
    async fn cart_with_products(
        &self,
        owner: &str,
    ) -> AppResult<Vec<(StoredCartLine, ProductCard)>>;
    /// Move a line to "saved for later" (or back, without touching its quantity); false
    /// when the owner has no such line.
    async fn set_cart_saved(&self, owner: &str, code: &str, saved: bool) -> AppResult<bool>;
    /// Set a line's quantity (0 removes it), back in the basket, remembering today's
    /// price as the one the shopper saw. Unknown products are refused by the caller.
    async fn set_cart_quantity(
        &self,
        owner: &str,
        code: &str,
        quantity: i64,
        now: i64,
    ) -> AppResult<()>;
    /// Move every line of `from` into `to`, adding quantities (capped at `max_quantity`).
    async fn merge_carts(&self, from: &str, to: &str, max_quantity: i64) -> AppResult<()>;
}

/// Consents, behaviour events, the data export and erasure.
#[async_trait::async_trait]
pub trait PrivacyStore: Send + Sync + 'static {
    /// Every decision, oldest first.
    async fn consent_log(&self, customer_id: i64) -> AppResult<Vec<ConsentRecord>>;
    async fn record_consent(&self, customer_id: i64, consent: &ConsentRecord) -> AppResult<()>;
    async fn record_event(&self, customer_id: i64, event: &EventRecord) -> AppResult<()>;
    async fn events(&self, customer_id: i64) -> AppResult<Vec<EventRecord>>;
    /// Forget every behaviour event of the member (analytics consent withdrawn).
    async fn delete_events(&self, customer_id: i64) -> AppResult<u64>;
    async fn orders_of(&self, customer_id: i64) -> AppResult<Vec<OrderRecord>>;
    /// Erase the account's personal data and sessions in one transaction; orders stay,
    /// linked to the now pseudonymous row.
    async fn erase_account(&self, customer_id: i64, now: i64) -> AppResult<()>;
}

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
    /// Cart owner key ("a:<id>" or "s:<guest session>").
    pub owner: String,
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
    Existing { order_id: i64, owner: String },
    /// Not enough stock for a line; nothing was written.
    Shortage(Shortage),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredOrder {
    pub id: i64,
    pub number: String,
    pub owner: Option<String>,
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
        owner: &str,
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
    async fn order_for_key(&self, key: &str) -> AppResult<Option<(i64, String)>>;
    /// The order placed from a checkout token (claimed by `create_order`), with the owner
    /// that placed it.
    async fn order_for_checkout(&self, checkout_token: &str) -> AppResult<Option<(i64, String)>>;
    /// [`OrderStore::order_for_key`] and [`OrderStore::order_for_checkout`] in one statement.
    async fn orders_for_request(
        &self,
        key: &str,
        checkout_token: &str,
    ) -> AppResult<(Option<(i64, String)>, Option<(i64, String)>)>;
    /// The prepare step, in one transaction: insert the order (PendingPayment), which
    /// claims the idempotency key, claim the checkout token, take the stock (never below 0,
    /// others' reservations respected), redeem the coupon within its limits
    /// (`coupon::check` with the counts read under the lock), insert the order's lines and
    /// its first event, delete the checkout's reservations and empty the owner's cart.
    /// Returns the order as stored, so the caller need not read it back.
    async fn create_order(&self, order: &NewOrder) -> AppResult<PlaceOutcome>;
    async fn order_by_id(&self, id: i64) -> AppResult<Option<StoredOrder>>;
    async fn order_by_number(&self, number: &str) -> AppResult<Option<StoredOrder>>;
    /// Move an order from `from` to `to` if it is still in `from` (false otherwise, and
    /// nothing written), with an event row, and the payment upserted, in one transaction.
    /// Reaching Cancelled puts the stock back and frees the coupon redemption.
    /// With `from == to` only the payment is recorded.
    #[allow(clippy::too_many_arguments)]
    async fn transition_order(
        &self,
        id: i64,
        from: OrderState,
        to: OrderState,
        event: &str,
        actor: &str,
        now: i64,
        payment: Option<&PaymentRecord>,
    ) -> AppResult<bool>;
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

/// What the payments domain keeps: received webhook events, by event id (deduplication).
/// Implemented in `server/src/storage/store/payments.rs`.
#[async_trait::async_trait]
pub trait PaymentStore: Send + Sync + 'static {
    /// Whether an event with this id was received before.
    async fn webhook_seen(&self, event_id: &str) -> AppResult<bool>;
    /// Remember an event and what it did; false when its id was already there.
    async fn record_webhook(
        &self,
        event_id: &str,
        provider_ref: &str,
        status: &str,
        outcome: &str,
        now: i64,
    ) -> AppResult<bool>;
    /// The order a provider's payment reference belongs to.
    async fn order_of_payment(&self, provider_ref: &str) -> AppResult<Option<i64>>;
    // Payment attempts, written before the provider is called (`checkout::recovery`).
    /// Record an attempt about to reach the provider; false (nothing written) if one with
    /// its key exists (another request is paying for the order right now).
    async fn start_attempt(&self, attempt: &PaymentAttempt) -> AppResult<bool>;
    /// An order's attempts, oldest first.
    async fn attempts_of(&self, order_id: i64) -> AppResult<Vec<PaymentAttempt>>;
    /// Take over an unresolved attempt whose lease ran out by `now`, leasing it until
    /// `lease_until`: one guarded update, so of several instances one gets it.
    async fn claim_attempt(&self, key: &str, now: i64, lease_until: i64) -> AppResult<bool>;
    /// Give up the lease of an attempt still unresolved (whoever comes next may resume it).
    async fn release_attempt(&self, key: &str) -> AppResult<()>;
    /// Mark an attempt as done with; `outcome` says how (see `checkout::recovery`).
    async fn resolve_attempt(&self, key: &str, outcome: &str, now: i64) -> AppResult<()>;
    /// Unresolved attempts whose lease ran out by `now`, oldest first.
    async fn stale_attempts(&self, now: i64, limit: i64) -> AppResult<Vec<PaymentAttempt>>;
}

/// A payment attempt as the shop wrote it before calling the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentAttempt {
    /// The provider's idempotency key: `<order number>-<n>`.
    pub key: String,
    pub order_id: i64,
    /// `PaymentMethod::as_str`
    pub method: String,
    pub amount_minor: i64,
    pub started_at: i64,
    pub lease_until: i64,
    pub resolved_at: Option<i64>,
    pub outcome: String,
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

/// What a payment provider is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRequest {
    /// The provider deduplicates on it: the same key never charges twice.
    pub idempotency_key: String,
    pub order_number: String,
    pub amount_minor: i64,
    pub currency: &'static str,
    pub method: PaymentMethod,
    /// The provider's token for the card (`tok_…`).
    pub token: String,
}

/// What a provider answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentOutcome {
    pub provider_ref: String,
    pub status: PaymentStatus,
    pub decline: Option<DeclineReason>,
    pub next_action_url: Option<String>,
}

/// A verified notification from the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    pub event_id: String,
    pub provider_ref: String,
    pub status: PaymentStatus,
}

/// A payment provider. Calls go over the network in real life: never inside a database
/// transaction. Each call is idempotent on its key / reference.
#[async_trait::async_trait]
pub trait PaymentGateway: Send + Sync + 'static {
    /// Stable provider name for the payments table.
    fn name(&self) -> &'static str;
    /// Hold (or, for methods that cannot hold, take) the money.
    async fn authorise(&self, request: &PaymentRequest) -> AppResult<PaymentOutcome>;
    /// Take held money; repeating it with the same key takes it once.
    async fn capture(
        &self,
        provider_ref: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> AppResult<PaymentOutcome>;
    /// Release held money.
    async fn void(&self, provider_ref: &str) -> AppResult<PaymentOutcome>;
    async fn refund(
        &self,
        provider_ref: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> AppResult<PaymentOutcome>;
    /// Where a payment awaiting the shopper stands now (after a 3-D Secure challenge).
    async fn status(&self, provider_ref: &str) -> AppResult<PaymentOutcome>;
    /// The payment an authorisation with this idempotency key made, or None if the
    /// provider never received one (crash recovery asks this of attempts in flight).
    async fn find(&self, idempotency_key: &str) -> AppResult<Option<PaymentOutcome>>;
    /// Check a webhook's signature and parse it; Unauthorized when it does not verify.
    fn verify_webhook(&self, body: &[u8], signature: &str) -> AppResult<WebhookEvent>;
    /// For the provider's own routes (a simulated provider's pages), to reach its type.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// Everything the shop keeps, as one object: the server's stores implement all of it.
pub trait ShopStore:
    CatalogStore
    + AccountStore
    + ProfileStore
    + CartStore
    + PrivacyStore
    + OrderStore
    + PaymentStore
    + ShipmentStore
{
}
impl<T> ShopStore for T where
    T: CatalogStore
        + AccountStore
        + ProfileStore
        + CartStore
        + PrivacyStore
        + OrderStore
        + PaymentStore
        + ShipmentStore
{
}

/// Everything a request handler may use, provided to server functions through context.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ShopStore>,
    pub security: Arc<crate::accounts::session::SecurityConfig>,
    pub search: Arc<dyn SearchEngine>,
    pub feeds_cache: Arc<crate::catalog::feeds::FeedsCache>,
    pub payments: Arc<dyn PaymentGateway>,
    pub checkout: Arc<CheckoutConfig>,
    pub shipping: Arc<ShippingConfig>,
}

/// Shipping settings.
#[derive(Clone, Debug)]
pub struct ShippingConfig {
    /// The simulated carrier's time compression for new shipments: 1 is real time, 3600
    /// an hour of a parcel's journey per second (`EMPORIUM_CARRIER_SPEED`).
    pub carrier_speed: f64,
}

impl Default for ShippingConfig {
    fn default() -> Self {
        Self { carrier_speed: 1.0 }
    }
}

/// Checkout settings.
#[derive(Clone, Debug)]
pub struct CheckoutConfig {
    /// Unpaid orders older than this are cancelled and their stock released.
    pub unpaid_timeout_secs: i64,
}

impl Default for CheckoutConfig {
    fn default() -> Self {
        Self {
            unpaid_timeout_secs: crate::checkout::model::UNPAID_ORDER_TIMEOUT_SECS,
        }
    }
}

/// The state, from a server function or a component rendered on the server.
pub fn app_state() -> AppResult<AppState> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
}

/// Current time in unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
