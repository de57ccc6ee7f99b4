//! What accounts need from storage: accounts, sessions, throttling, the address book and
//! favourites.

use crate::accounts::model::{Address, AddressInput, Role};
use crate::error::AppResult;

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
