//! Where the simulated provider keeps its payments: the provider's own books. In memory
//! for unit tests and tools ([`MemoryLedger`]); in the database for the running shop
//! ([`SqlLedger`], table `sim_provider_payments`), so that every app instance is the same
//! provider, like a real one is one service: a 3-D Secure or wallet page served by one
//! instance finds the payment another one authorised, and a capture repeated on two
//! instances takes the money once (each change is a compare-and-swap of the payment row).
//!
//! The books also hold the card tokens the provider issued (table `sim_provider_tokens`):
//! an authorisation spends its token ([`SimLedger::redeem_token`]), so a token is taken
//! only if it was issued here, only once, and only for the amount it was issued for.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use app::error::{AppError, AppResult};
use app::payments::{DeclineReason, PaymentMethod, PaymentStatus};

/// One payment as the provider sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimPayment {
    pub order_number: String,
    pub method: PaymentMethod,
    pub amount_minor: i64,
    pub status: PaymentStatus,
    pub decline: Option<DeclineReason>,
    pub captured: i64,
    pub refunded: i64,
    /// Idempotency keys of the captures and refunds done, so a repeat does nothing.
    pub done: BTreeSet<String>,
}

/// A change to one payment. The database books apply it with a compare-and-swap, so it
/// may run more than once (on the payment as it is each time): it must depend only on
/// the payment it is given.
pub type Change = Box<dyn Fn(&mut SimPayment) + Send>;

/// What the books say when an authorisation spends a card token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redeem {
    /// Spent now by this authorisation (or earlier by the same one: a retry of its key).
    Spent,
    /// The provider never issued it.
    Unknown,
    /// Already spent by another authorisation.
    Used,
    /// Issued for another amount (not spent).
    WrongAmount,
}

/// An issued token as (the amount it is for, the key and amount that spent it).
type IssuedToken = (Option<i64>, Option<(String, i64)>);
/// Issued tokens by token.
type TokenBook = HashMap<String, IssuedToken>;

/// The decision of [`SimLedger::redeem_token`] for a token as stored.
pub(crate) fn redeem_decision(stored: Option<IssuedToken>, key: &str, amount_minor: i64) -> Redeem {
    match stored {
        None => Redeem::Unknown,
        Some((_, Some((k, a)))) if k == key && a == amount_minor => Redeem::Spent,
        Some((_, Some(_))) => Redeem::Used,
        Some((Some(a), None)) if a != amount_minor => Redeem::WrongAmount,
        Some((_, None)) => Redeem::Spent,
    }
}

#[async_trait::async_trait]
pub trait SimLedger: Send + Sync {
    /// The payment made for `key` before, or `new` stored as `new_ref` if the key is new:
    /// (reference, payment).
    async fn create(
        &self,
        key: &str,
        new_ref: &str,
        new: &SimPayment,
    ) -> AppResult<(String, SimPayment)>;
    async fn get(&self, provider_ref: &str) -> AppResult<Option<SimPayment>>;
    /// The payment made for `key`, if any: (reference, payment).
    async fn find(&self, key: &str) -> AppResult<Option<(String, SimPayment)>>;
    /// Apply `change` to the payment atomically and store it; None if unknown.
    async fn update(&self, provider_ref: &str, change: Change) -> AppResult<Option<SimPayment>>;
    /// Record a card token as issued, for `amount_minor` if given (else for any amount).
    /// Issuing a token already in the books changes nothing.
    async fn issue_token(&self, token: &str, amount_minor: Option<i64>, now: i64) -> AppResult<()>;
    /// Spend `token` for the authorisation `key` of `amount_minor`, atomically: of two
    /// authorisations racing with one token, one spends it.
    async fn redeem_token(&self, token: &str, key: &str, amount_minor: i64) -> AppResult<Redeem>;
}

/// The books in this process's memory.
#[derive(Default)]
pub struct MemoryLedger {
    state: Mutex<(HashMap<String, String>, HashMap<String, SimPayment>)>,
    tokens: Mutex<TokenBook>,
}

impl MemoryLedger {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, (HashMap<String, String>, HashMap<String, SimPayment>)> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait::async_trait]
impl SimLedger for MemoryLedger {
    async fn create(
        &self,
        key: &str,
        new_ref: &str,
        new: &SimPayment,
    ) -> AppResult<(String, SimPayment)> {
        let mut s = self.lock();
        if let Some(r) = s.0.get(key).cloned() {
            let p = s.1[&r].clone();
            return Ok((r, p));
        }
        s.0.insert(key.to_string(), new_ref.to_string());
        s.1.insert(new_ref.to_string(), new.clone());
        Ok((new_ref.to_string(), new.clone()))
    }
    async fn get(&self, provider_ref: &str) -> AppResult<Option<SimPayment>> {
        Ok(self.lock().1.get(provider_ref).cloned())
    }
    async fn find(&self, key: &str) -> AppResult<Option<(String, SimPayment)>> {
        let s = self.lock();
        Ok(s.0.get(key).map(|r| (r.clone(), s.1[r].clone())))
    }
    async fn update(&self, provider_ref: &str, change: Change) -> AppResult<Option<SimPayment>> {
        let mut s = self.lock();
        Ok(s.1.get_mut(provider_ref).map(|p| {
            change(p);
            p.clone()
        }))
    }
    async fn issue_token(
        &self,
        token: &str,
        amount_minor: Option<i64>,
        _now: i64,
    ) -> AppResult<()> {
        let mut t = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        t.entry(token.to_string()).or_insert((amount_minor, None));
        Ok(())
    }
    async fn redeem_token(&self, token: &str, key: &str, amount_minor: i64) -> AppResult<Redeem> {
        let mut t = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let decision = redeem_decision(t.get(token).cloned(), key, amount_minor);
        if decision == Redeem::Spent {
            if let Some(entry) = t.get_mut(token) {
                entry.1 = Some((key.to_string(), amount_minor));
            }
        }
        Ok(decision)
    }
}

/// A new payment, or the one made for the key before (the no-op update makes the
/// existing row come back): (reference, data) either way, in one statement.
pub const CREATE: &str = "INSERT INTO sim_provider_payments (provider_ref, idempotency_key, data) \
     VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = excluded.idempotency_key \
     RETURNING provider_ref, data";
pub const BY_KEY: &str =
    "SELECT provider_ref, data FROM sim_provider_payments WHERE idempotency_key = $1";
pub const BY_REF: &str = "SELECT data FROM sim_provider_payments WHERE provider_ref = $1";
/// Compare-and-swap: store the payment ($2) only if it is still as read ($3).
pub const SAVE: &str =
    "UPDATE sim_provider_payments SET data = $2 WHERE provider_ref = $1 AND data = $3";
pub const ISSUE_TOKEN: &str = "INSERT INTO sim_provider_tokens (token, amount_minor, issued_at) \
     VALUES ($1, $2, $3) ON CONFLICT (token) DO NOTHING";
/// Spend an unspent token ($2 the authorisation's key, $3 its amount) if it is for that
/// amount or for any: one guarded update, so of racing authorisations one spends it.
pub const SPEND_TOKEN: &str =
    "UPDATE sim_provider_tokens SET used_key = $2, used_amount_minor = $3 \
     WHERE token = $1 AND used_key IS NULL AND (amount_minor IS NULL OR amount_minor = $3)";
pub const TOKEN: &str =
    "SELECT amount_minor, used_key, used_amount_minor FROM sim_provider_tokens WHERE token = $1";

pub(crate) fn decode(data: &str) -> AppResult<SimPayment> {
    serde_json::from_str(data).map_err(|e| AppError::internal(format!("sim ledger: {e}")))
}

pub(crate) fn encode(p: &SimPayment) -> AppResult<String> {
    serde_json::to_string(p).map_err(|e| AppError::internal(format!("sim ledger: {e}")))
}

/// The books in the shop's database (either backend).
pub struct SqlLedger<DB: sqlx::Database> {
    pub pool: sqlx::Pool<DB>,
}
