//! What the privacy centre needs from storage: consents, behaviour events, the data
//! export and erasure.

use crate::error::AppResult;

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
