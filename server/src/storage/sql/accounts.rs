//! The statements and rows of accounts, sessions and sign-in throttling.

use app::accounts::model::Role;
use app::accounts::port::{AccountRecord, SessionRecord};

pub const CREATE_ACCOUNT: &str = "INSERT INTO customers (pseudonym, country, created_at, email, display_name, password_hash, role) \
     VALUES ($1, '', $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id";
const ACCOUNT_COLUMNS: &str = "id, email, display_name, password_hash, role, erased_at";
pub fn account_by(column: &str) -> String {
    format!("SELECT {ACCOUNT_COLUMNS} FROM customers WHERE {column} = $1")
}
pub const SET_PASSWORD: &str = "UPDATE customers SET password_hash = $2 WHERE id = $1";
pub const SET_CREDENTIALS: &str =
    "UPDATE customers SET email = $2, password_hash = $3 WHERE id = $1 AND erased_at IS NULL";
pub const SET_ROLE: &str = "UPDATE customers SET role = $2 WHERE id = $1 AND erased_at IS NULL";
pub const SET_NAME: &str = "UPDATE customers SET display_name = $2 WHERE id = $1";
pub const FIND_ACCOUNTS: &str = "SELECT c.id, c.email, c.display_name, c.password_hash, c.role, c.erased_at, \
     (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS order_count \
     FROM customers c WHERE c.erased_at IS NULL \
     AND (c.email LIKE $1 ESCAPE '\\' OR lower(c.display_name) LIKE $1 ESCAPE '\\' OR c.pseudonym LIKE $1 ESCAPE '\\' OR c.pseudonym = $2) \
     ORDER BY c.id LIMIT $3";

pub const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, public_id, customer_id, created_at, last_seen_at, user_agent, ip) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SESSION_COLUMNS: &str =
    "s.token_hash, s.public_id, s.customer_id, s.created_at, s.last_seen_at, s.user_agent, s.ip";
/// The session, its account and `MemberFacts` (each an indexed look-up: the latest
/// analytics consent, the unread count as `storage::sql::tracking::unread_sql` counts it, the
/// orders on their way). For a guest session the subqueries find nothing.
pub fn session_with_account() -> String {
    let unread = crate::storage::sql::tracking::unread_sql_for("s.customer_id");
    format!(
        "SELECT {SESSION_COLUMNS}, c.email, c.display_name, c.password_hash, c.role, c.erased_at, \
         (SELECT k.granted FROM consents k WHERE k.customer_id = s.customer_id \
          AND k.purpose = 'analytics' ORDER BY k.id DESC LIMIT 1) AS analytics_granted, \
         ({unread}) AS unread_notifications, \
         (SELECT COUNT(*) FROM orders o WHERE o.customer_id = s.customer_id \
          AND o.status IN ('shipped', 'in_transit', 'out_for_delivery')) AS parcels_in_flight \
         FROM sessions s LEFT JOIN customers c ON c.id = s.customer_id WHERE s.token_hash = $1"
    )
}
pub fn account_sessions() -> String {
    format!("SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.customer_id = $1 ORDER BY s.last_seen_at DESC")
}
pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
pub const DELETE_ACCOUNT_SESSION: &str =
    "DELETE FROM sessions WHERE customer_id = $1 AND public_id = $2";
pub const DELETE_ACCOUNT_SESSIONS: &str =
    "DELETE FROM sessions WHERE customer_id = $1 AND token_hash <> $2";
/// Sessions past their idle or absolute timeout ($1 member idle cut-off, $2 member
/// absolute cut-off, $3 guest idle cut-off).
pub const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE \
     (customer_id IS NOT NULL AND (last_seen_at < $1 OR created_at < $2)) \
     OR (customer_id IS NULL AND last_seen_at < $3)";

pub const THROTTLE: &str =
    "SELECT failures, window_start, last_failure_at FROM login_throttle WHERE key = $1";
/// $2 now, $3 windows that started before this restart at one failure.
pub const THROTTLE_FAIL: &str = "INSERT INTO login_throttle (key, failures, window_start, last_failure_at) VALUES ($1, 1, $2, $2) \
     ON CONFLICT (key) DO UPDATE SET \
     failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
     window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END, \
     last_failure_at = $2";
pub const THROTTLE_CLEAR: &str = "DELETE FROM login_throttle WHERE key = $1";
/// The first attempt of a key: only if no other request created the row first. $2 now.
pub const THROTTLE_TAKE_FIRST: &str = "INSERT INTO login_throttle (key, failures, window_start, last_failure_at) VALUES ($1, 1, $2, $2) \
     ON CONFLICT (key) DO NOTHING";
/// One more attempt, only if the row is still what the caller decided on ($2-$4); $5 now,
/// $6 windows that started before this restart at one.
pub const THROTTLE_TAKE: &str = "UPDATE login_throttle SET \
     failures = CASE WHEN window_start < $6 THEN 1 ELSE failures + 1 END, \
     window_start = CASE WHEN window_start < $6 THEN $5 ELSE window_start END, \
     last_failure_at = $5 \
     WHERE key = $1 AND failures = $2 AND window_start = $3 AND last_failure_at = $4";
pub const THROTTLE_REFUND: &str =
    "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0";
/// A key with nothing counted is no record to keep (it names a client address).
pub const THROTTLE_DROP_EMPTY: &str = "DELETE FROM login_throttle WHERE key = $1 AND failures <= 0";

#[derive(sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub email: Option<String>,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub erased_at: Option<i64>,
}

impl From<AccountRow> for AccountRecord {
    fn from(r: AccountRow) -> Self {
        AccountRecord {
            id: r.id,
            email: r.email,
            name: r.display_name,
            password_hash: r.password_hash,
            // An unknown role in the table gets the least privilege.
            role: Role::parse(&r.role).unwrap_or(Role::Customer),
            erased: r.erased_at.is_some(),
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct FoundAccountRow {
    #[sqlx(flatten)]
    pub account: AccountRow,
    pub order_count: i64,
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub public_id: String,
    pub customer_id: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
    pub ip: String,
}

impl From<SessionRow> for SessionRecord {
    fn from(r: SessionRow) -> Self {
        SessionRecord {
            token_hash: r.token_hash,
            public_id: r.public_id,
            customer_id: r.customer_id,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            user_agent: r.user_agent,
            ip: r.ip,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct SessionAccountRow {
    #[sqlx(flatten)]
    pub session: SessionRow,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<String>,
    pub erased_at: Option<i64>,
    pub analytics_granted: Option<i64>,
    pub unread_notifications: i64,
    pub parcels_in_flight: i64,
}

impl SessionAccountRow {
    pub fn into_lookup(self) -> app::accounts::port::SessionLookup {
        let facts = app::accounts::session::MemberFacts {
            analytics_consent: self.analytics_granted.unwrap_or(0) != 0,
            unread_notifications: self.unread_notifications,
            parcels_in_flight: self.parcels_in_flight,
        };
        let (session, account) = self.split();
        app::accounts::port::SessionLookup {
            session,
            account,
            facts,
        }
    }

    fn split(self) -> (SessionRecord, Option<AccountRecord>) {
        let account = self.session.customer_id.map(|id| {
            AccountRow {
                id,
                email: self.email,
                display_name: self.display_name.unwrap_or_default(),
                password_hash: self.password_hash,
                role: self.role.unwrap_or_default(),
                erased_at: self.erased_at,
            }
            .into()
        });
        (self.session.into(), account)
    }
}

/// `%needle%` for LIKE, with the wildcards in the needle escaped.
pub fn like_pattern(needle: &str) -> String {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
