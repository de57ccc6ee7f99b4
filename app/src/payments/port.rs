//! What payments need: the provider (`PaymentGateway`) and the shop's own payment records
//! (`PaymentStore`: webhook events, payment attempts).

use crate::error::AppResult;
use crate::payments::{DeclineReason, PaymentMethod, PaymentStatus};

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
