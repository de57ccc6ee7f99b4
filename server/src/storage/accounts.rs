//! Accounts, sessions, throttling, address book, favourites, carts and privacy records,
//! written once for both backends like the catalogue (`catalog.rs`): the SQL below runs
//! unchanged on SQLite and PostgreSQL (`$n` placeholders, `ON CONFLICT`, `RETURNING`,
//! integers for booleans), and a macro instantiates the port implementations per store.
//!
//! Multi-statement changes run in one transaction whose first statement writes, so SQLite
//! takes its write lock up front (a read-then-write transaction could fail as "locked").

use app::accounts::model::{Address, Role};
use app::error::AppError;
use app::ports::{AccountRecord, SessionRecord};

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
/// analytics consent, the unread count as `storage::shipments::unread_sql` counts it, the
/// orders on their way). For a guest session the subqueries find nothing.
pub fn session_with_account() -> String {
    let unread = crate::storage::shipments::unread_sql_for("s.customer_id");
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

pub const ADDRESSES: &str =
    "SELECT id, full_name, line1, line2, city, postcode, country, phone, is_default \
     FROM addresses WHERE customer_id = $1 ORDER BY is_default DESC, id";
pub const ADD_ADDRESS: &str = "INSERT INTO addresses (customer_id, full_name, line1, line2, city, postcode, country, phone, is_default, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id";
pub const UPDATE_ADDRESS: &str = "UPDATE addresses SET full_name = $3, line1 = $4, line2 = $5, city = $6, postcode = $7, country = $8, phone = $9 \
     WHERE customer_id = $1 AND id = $2";
pub const DELETE_ADDRESS: &str = "DELETE FROM addresses WHERE customer_id = $1 AND id = $2";
/// After a delete: if no default is left, the oldest address becomes the default.
pub const REPAIR_DEFAULT_ADDRESS: &str = "UPDATE addresses SET is_default = 1 \
     WHERE id = (SELECT MIN(id) FROM addresses WHERE customer_id = $1) \
     AND NOT EXISTS (SELECT 1 FROM addresses WHERE customer_id = $1 AND is_default = 1)";
pub const SET_DEFAULT_ADDRESS: &str = "UPDATE addresses SET is_default = CASE WHEN id = $2 THEN 1 ELSE 0 END \
     WHERE customer_id = $1 AND EXISTS (SELECT 1 FROM addresses WHERE customer_id = $1 AND id = $2)";

pub const FAVOURITES: &str = "SELECT product_code FROM favourites WHERE customer_id = $1 ORDER BY added_at DESC, product_code";
pub const ADD_FAVOURITE: &str = "INSERT INTO favourites (customer_id, product_code, added_at) \
     SELECT $1, code, $3 FROM products WHERE code = $2 ON CONFLICT DO NOTHING";
pub const REMOVE_FAVOURITE: &str =
    "DELETE FROM favourites WHERE customer_id = $1 AND product_code = $2";

/// The basket: lines not saved for later.
pub const CART: &str = "SELECT product_code, quantity FROM cart_items WHERE owner = $1 AND saved = 0 ORDER BY added_at, product_code";
pub const CART_DETAILS: &str = "SELECT product_code, quantity, saved, price_seen_minor FROM cart_items WHERE owner = $1 ORDER BY added_at, product_code";
/// `CART_DETAILS` with each line's product (`sql::CARD_COLUMNS`), in the same order.
pub const CART_WITH_PRODUCTS: &str = "SELECT c.product_code, c.quantity, c.saved, c.price_seen_minor, \
     p.title, p.category, p.price_minor, p.stock FROM cart_items c JOIN products p ON p.code = c.product_code \
     WHERE c.owner = $1 ORDER BY c.added_at, c.product_code";
/// A change by the shopper: the line is in the basket (not saved for later) and the price
/// they see now is remembered.
pub const CART_SET: &str =
    "INSERT INTO cart_items (owner, product_code, quantity, added_at, price_seen_minor) \
     VALUES ($1, $2, $3, $4, (SELECT price_minor FROM products WHERE code = $2)) \
     ON CONFLICT (owner, product_code) DO UPDATE SET quantity = excluded.quantity, saved = 0, \
     price_seen_minor = excluded.price_seen_minor";
pub const CART_SAVE: &str =
    "UPDATE cart_items SET saved = $3 WHERE owner = $1 AND product_code = $2";
pub const CART_REMOVE: &str = "DELETE FROM cart_items WHERE owner = $1 AND product_code = $2";
pub const CART_MERGE: &str = "INSERT INTO cart_items (owner, product_code, quantity, added_at, saved, price_seen_minor) \
     SELECT $2, product_code, quantity, added_at, saved, price_seen_minor FROM cart_items WHERE owner = $1 \
     ON CONFLICT (owner, product_code) DO UPDATE SET quantity = CASE \
     WHEN cart_items.quantity + excluded.quantity > $3 THEN $3 \
     ELSE cart_items.quantity + excluded.quantity END";
pub const CART_CLEAR: &str = "DELETE FROM cart_items WHERE owner = $1";

pub const CONSENT_LOG: &str = "SELECT purpose, granted, policy_version, decided_at FROM consents WHERE customer_id = $1 ORDER BY id";
pub const RECORD_CONSENT: &str = "INSERT INTO consents (customer_id, purpose, granted, policy_version, decided_at) VALUES ($1, $2, $3, $4, $5)";
pub const RECORD_EVENT: &str =
    "INSERT INTO events (customer_id, kind, subject, at) VALUES ($1, $2, $3, $4)";
pub const EVENTS: &str =
    "SELECT kind, subject, at FROM events WHERE customer_id = $1 ORDER BY at, id";
pub const DELETE_EVENTS: &str = "DELETE FROM events WHERE customer_id = $1";
pub const ORDERS_OF: &str = "SELECT id, number, placed_at, status, total_minor FROM orders WHERE customer_id = $1 ORDER BY placed_at, id";
pub const ORDER_LINES_OF: &str =
    "SELECT l.order_id, l.product_code, l.quantity, l.unit_price_minor FROM order_lines l \
     JOIN orders o ON o.id = l.order_id WHERE o.customer_id = $1 ORDER BY l.order_id, l.line_no";

/// What an erasure statement binds, in the order of its `$n`.
#[derive(Clone, Copy, Debug)]
pub enum EraseParam {
    /// The customer id.
    Customer,
    /// The time of the erasure.
    Now,
    /// The account's owner key (`a:<id>`): carts, reservations, idempotency keys, orders,
    /// coupon uses.
    Owner,
    /// The account as an order event's actor (`customer:<id>`).
    CustomerActor,
    /// The account as a staff member in order events (`staff:<id>`).
    StaffActor,
}

/// Where a carrier scan of the erased account's parcel names the delivery address (the
/// simulated carrier's depot is "<city> delivery office"; a real carrier may put the city,
/// postcode or street in any letter case): the scan then says "Local delivery office",
/// the label a parcel without a city gets at dispatch.
const SCRUB_SCANS: &str = "UPDATE shipment_scans SET location = 'Local delivery office' \
     WHERE EXISTS (SELECT 1 FROM shipments s JOIN orders o ON o.id = s.order_id \
     WHERE s.id = shipment_scans.shipment_id AND o.customer_id = $1 AND ( \
     shipment_scans.location = s.depot \
     OR (o.ship_city <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_city) || '%')) \
     OR (o.ship_postcode <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_postcode) || '%')) \
     OR (o.ship_line1 <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_line1) || '%')) \
     OR (o.ship_line2 <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_line2) || '%')) \
     OR (o.ship_name <> '' AND LOWER(shipment_scans.location) LIKE ('%' || LOWER(o.ship_name) || '%'))))";

/// Erasure, in order, in one transaction (`PrivacyStore::erase_account`), with what each
/// statement binds. Personal data and sessions go; orders stay for the accounts (amounts,
/// dates, lines, country, payments, their history) but are pseudonymised: no contact
/// email (so guest tracking with it finds nothing), delivery name, street, city, postcode
/// or phone, no owner key; their parcels' depot and scans no longer name the city; the
/// account's owner key and actor names in idempotency keys, checkout claims, coupon uses
/// and order events
/// are replaced by neutral values. The scans are rewritten first, while the order still
/// says what to look for. The customers row stays (the orders point at it) without
/// anything that says who it was.
pub const ERASE: [(&str, &[EraseParam]); 17] = {
    use EraseParam::*;
    [
        (SCRUB_SCANS, &[Customer]),
        (
            "UPDATE shipments SET depot = 'Local delivery office' \
             WHERE order_id IN (SELECT id FROM orders WHERE customer_id = $1)",
            &[Customer],
        ),
        (
            "UPDATE orders SET email = NULL, owner = NULL, ship_name = '', ship_line1 = '', \
             ship_line2 = '', ship_city = '', ship_postcode = '', ship_phone = '' \
             WHERE customer_id = $1 OR owner = $2",
            &[Customer, Owner],
        ),
        (
            "UPDATE order_events SET actor = 'guest' WHERE actor = $1",
            &[CustomerActor],
        ),
        (
            "UPDATE order_events SET actor = 'staff' WHERE actor = $1",
            &[StaffActor],
        ),
        (
            "UPDATE idempotency SET owner = 'erased' WHERE owner = $1",
            &[Owner],
        ),
        (
            "UPDATE coupon_redemptions SET customer = 'erased' WHERE customer = $1",
            &[Owner],
        ),
        (
            "UPDATE checkout_claims SET owner = 'erased' WHERE owner = $1",
            &[Owner],
        ),
        ("DELETE FROM stock_reservations WHERE owner = $1", &[Owner]),
        ("DELETE FROM cart_items WHERE owner = $1", &[Owner]),
        ("DELETE FROM sessions WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM notification_reads WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM addresses WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM favourites WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM consents WHERE customer_id = $1", &[Customer]),
        ("DELETE FROM events WHERE customer_id = $1", &[Customer]),
        (
            "UPDATE customers SET email = NULL, display_name = '', password_hash = NULL, role = 'customer', \
             country = '', pseudonym = 'erased-' || id, erased_at = $2 WHERE id = $1",
            &[Customer, Now],
        ),
    ]
};

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
    pub fn into_lookup(self) -> app::ports::SessionLookup {
        let facts = app::accounts::session::MemberFacts {
            analytics_consent: self.analytics_granted.unwrap_or(0) != 0,
            unread_notifications: self.unread_notifications,
            parcels_in_flight: self.parcels_in_flight,
        };
        let (session, account) = self.split();
        app::ports::SessionLookup {
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

#[derive(sqlx::FromRow)]
pub struct AddressRow {
    pub id: i64,
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub is_default: i64,
}

impl From<AddressRow> for Address {
    fn from(r: AddressRow) -> Self {
        Address {
            id: r.id,
            full_name: r.full_name,
            line1: r.line1,
            line2: r.line2,
            city: r.city,
            postcode: r.postcode,
            country: r.country,
            phone: r.phone,
            is_default: r.is_default != 0,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ConsentRow {
    pub purpose: String,
    pub granted: i64,
    pub policy_version: String,
    pub decided_at: i64,
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub kind: String,
    pub subject: String,
    pub at: i64,
}

#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub placed_at: i64,
    pub status: String,
    pub total_minor: i64,
}

#[derive(sqlx::FromRow)]
pub struct OrderLineRow {
    pub order_id: i64,
    pub product_code: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
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

pub fn db(e: sqlx::Error) -> AppError {
    AppError::internal(e)
}

/// Implements `AccountStore`, `ProfileStore`, `CartStore` and `PrivacyStore` for a store
/// with a sqlx `pool` field.
macro_rules! impl_account_stores {
    ($store:ty) => {
        const _: () = {
            use app::accounts::model::{Address, AddressInput, Role};
            use app::error::AppResult;
            use app::ports::{
                AccountRecord, ConsentRecord, EventRecord, OrderLineRecord, OrderRecord,
                SessionRecord, ThrottleRecord,
            };
            use $crate::storage::accounts as q;
            use $crate::storage::accounts::db;

            #[async_trait::async_trait]
            impl app::ports::AccountStore for $store {
                async fn create_account(
                    &self,
                    email: &str,
                    name: &str,
                    password_hash: &str,
                    role: Role,
                    now: i64,
                ) -> AppResult<Option<i64>> {
                    let pseudonym = format!("acct-{}", app::accounts::session::new_public_id());
                    sqlx::query_scalar(q::CREATE_ACCOUNT)
                        .bind(pseudonym)
                        .bind(now)
                        .bind(email)
                        .bind(name)
                        .bind(password_hash)
                        .bind(role.as_str())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn account_by_email(&self, email: &str) -> AppResult<Option<AccountRecord>> {
                    let row: Option<q::AccountRow> = sqlx::query_as(&q::account_by("email"))
                        .bind(email)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(row.map(Into::into))
                }
                async fn account_by_id(&self, id: i64) -> AppResult<Option<AccountRecord>> {
                    let row: Option<q::AccountRow> = sqlx::query_as(&q::account_by("id"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(row.map(Into::into))
                }
                async fn set_password(&self, id: i64, password_hash: &str) -> AppResult<()> {
                    sqlx::query(q::SET_PASSWORD)
                        .bind(id)
                        .bind(password_hash)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn set_credentials(
                    &self,
                    id: i64,
                    email: &str,
                    password_hash: &str,
                ) -> AppResult<bool> {
                    match sqlx::query(q::SET_CREDENTIALS)
                        .bind(id)
                        .bind(email)
                        .bind(password_hash)
                        .execute(&self.pool)
                        .await
                    {
                        Ok(r) => Ok(r.rows_affected() > 0),
                        Err(e) if q::is_unique_violation(&e) => Ok(false),
                        Err(e) => Err(db(e)),
                    }
                }
                async fn set_role(&self, id: i64, role: Role) -> AppResult<bool> {
                    let r = sqlx::query(q::SET_ROLE)
                        .bind(id)
                        .bind(role.as_str())
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected() > 0)
                }
                async fn set_name(&self, id: i64, name: &str) -> AppResult<()> {
                    sqlx::query(q::SET_NAME)
                        .bind(id)
                        .bind(name)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn find_accounts(
                    &self,
                    needle: &str,
                    limit: i64,
                ) -> AppResult<Vec<(AccountRecord, i64)>> {
                    let rows: Vec<q::FoundAccountRow> = sqlx::query_as(q::FIND_ACCOUNTS)
                        .bind(q::like_pattern(needle))
                        .bind(needle)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(|r| (r.account.into(), r.order_count))
                        .collect())
                }

                async fn insert_session(&self, s: &SessionRecord) -> AppResult<()> {
                    sqlx::query(q::INSERT_SESSION)
                        .bind(&s.token_hash)
                        .bind(&s.public_id)
                        .bind(s.customer_id)
                        .bind(s.created_at)
                        .bind(s.last_seen_at)
                        .bind(&s.user_agent)
                        .bind(&s.ip)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn session(
                    &self,
                    token_hash: &str,
                ) -> AppResult<Option<app::ports::SessionLookup>> {
                    let row: Option<q::SessionAccountRow> =
                        sqlx::query_as(&q::session_with_account())
                            .bind(token_hash)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(row.map(q::SessionAccountRow::into_lookup))
                }
                async fn touch_session(&self, token_hash: &str, now: i64) -> AppResult<()> {
                    sqlx::query(q::TOUCH_SESSION)
                        .bind(token_hash)
                        .bind(now)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn delete_session(&self, token_hash: &str) -> AppResult<()> {
                    sqlx::query(q::DELETE_SESSION)
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn delete_account_session(
                    &self,
                    customer_id: i64,
                    public_id: &str,
                ) -> AppResult<bool> {
                    let r = sqlx::query(q::DELETE_ACCOUNT_SESSION)
                        .bind(customer_id)
                        .bind(public_id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected() > 0)
                }
                async fn delete_account_sessions(
                    &self,
                    customer_id: i64,
                    keep: Option<&str>,
                ) -> AppResult<()> {
                    sqlx::query(q::DELETE_ACCOUNT_SESSIONS)
                        .bind(customer_id)
                        .bind(keep.unwrap_or(""))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn account_sessions(
                    &self,
                    customer_id: i64,
                ) -> AppResult<Vec<SessionRecord>> {
                    let rows: Vec<q::SessionRow> = sqlx::query_as(&q::account_sessions())
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }
                async fn purge_sessions(
                    &self,
                    member_idle_before: i64,
                    member_created_before: i64,
                    guest_idle_before: i64,
                ) -> AppResult<u64> {
                    let r = sqlx::query(q::PURGE_SESSIONS)
                        .bind(member_idle_before)
                        .bind(member_created_before)
                        .bind(guest_idle_before)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected())
                }

                async fn throttle(&self, key: &str) -> AppResult<Option<ThrottleRecord>> {
                    let row: Option<(i64, i64, i64)> = sqlx::query_as(q::THROTTLE)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(
                        row.map(|(failures, window_start, last_failure_at)| ThrottleRecord {
                            failures,
                            window_start,
                            last_failure_at,
                        }),
                    )
                }
                async fn throttle_fail(
                    &self,
                    key: &str,
                    now: i64,
                    window_start_after: i64,
                ) -> AppResult<()> {
                    sqlx::query(q::THROTTLE_FAIL)
                        .bind(key)
                        .bind(now)
                        .bind(window_start_after)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn throttle_clear(&self, key: &str) -> AppResult<()> {
                    sqlx::query(q::THROTTLE_CLEAR)
                        .bind(key)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn throttle_take(
                    &self,
                    key: &str,
                    expected: Option<ThrottleRecord>,
                    now: i64,
                    window_start_after: i64,
                ) -> AppResult<bool> {
                    let done = match expected {
                        None => {
                            sqlx::query(q::THROTTLE_TAKE_FIRST)
                                .bind(key)
                                .bind(now)
                                .execute(&self.pool)
                                .await
                        }
                        Some(r) => {
                            sqlx::query(q::THROTTLE_TAKE)
                                .bind(key)
                                .bind(r.failures)
                                .bind(r.window_start)
                                .bind(r.last_failure_at)
                                .bind(now)
                                .bind(window_start_after)
                                .execute(&self.pool)
                                .await
                        }
                    }
                    .map_err(db)?;
                    Ok(done.rows_affected() == 1)
                }
                async fn throttle_refund(&self, key: &str) -> AppResult<()> {
                    for sql in [q::THROTTLE_REFUND, q::THROTTLE_DROP_EMPTY] {
                        sqlx::query(sql)
                            .bind(key)
                            .execute(&self.pool)
                            .await
                            .map_err(db)?;
                    }
                    Ok(())
                }
            }

            #[async_trait::async_trait]
            impl app::ports::ProfileStore for $store {
                async fn addresses(&self, customer_id: i64) -> AppResult<Vec<Address>> {
                    let rows: Vec<q::AddressRow> = sqlx::query_as(q::ADDRESSES)
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }
                async fn add_address(
                    &self,
                    customer_id: i64,
                    a: &AddressInput,
                    now: i64,
                ) -> AppResult<i64> {
                    sqlx::query_scalar(q::ADD_ADDRESS)
                        .bind(customer_id)
                        .bind(&a.full_name)
                        .bind(&a.line1)
                        .bind(&a.line2)
                        .bind(&a.city)
                        .bind(&a.postcode)
                        .bind(&a.country)
                        .bind(&a.phone)
                        .bind(now)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn update_address(
                    &self,
                    customer_id: i64,
                    id: i64,
                    a: &AddressInput,
                ) -> AppResult<bool> {
                    let r = sqlx::query(q::UPDATE_ADDRESS)
                        .bind(customer_id)
                        .bind(id)
                        .bind(&a.full_name)
                        .bind(&a.line1)
                        .bind(&a.line2)
                        .bind(&a.city)
                        .bind(&a.postcode)
                        .bind(&a.country)
                        .bind(&a.phone)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected() > 0)
                }
                async fn delete_address(&self, customer_id: i64, id: i64) -> AppResult<bool> {
                    let mut tx = self.pool.begin().await.map_err(db)?;
                    let r = sqlx::query(q::DELETE_ADDRESS)
                        .bind(customer_id)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(q::REPAIR_DEFAULT_ADDRESS)
                        .bind(customer_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(r.rows_affected() > 0)
                }
                async fn set_default_address(&self, customer_id: i64, id: i64) -> AppResult<bool> {
                    let r = sqlx::query(q::SET_DEFAULT_ADDRESS)
                        .bind(customer_id)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected() > 0)
                }
                async fn favourites(&self, customer_id: i64) -> AppResult<Vec<String>> {
                    sqlx::query_scalar(q::FAVOURITES)
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn add_favourites(
                    &self,
                    customer_id: i64,
                    codes: &[String],
                    now: i64,
                ) -> AppResult<()> {
                    let mut tx = self.pool.begin().await.map_err(db)?;
                    for code in codes {
                        sqlx::query(q::ADD_FAVOURITE)
                            .bind(customer_id)
                            .bind(code)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)
                }
                async fn remove_favourite(&self, customer_id: i64, code: &str) -> AppResult<()> {
                    sqlx::query(q::REMOVE_FAVOURITE)
                        .bind(customer_id)
                        .bind(code)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
            }

            #[async_trait::async_trait]
            impl app::ports::CartStore for $store {
                async fn cart(&self, owner: &str) -> AppResult<Vec<(String, i64)>> {
                    sqlx::query_as(q::CART)
                        .bind(owner)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)
                }
                async fn cart_details(
                    &self,
                    owner: &str,
                ) -> AppResult<Vec<app::ports::StoredCartLine>> {
                    let rows: Vec<(String, i64, i64, Option<i64>)> =
                        sqlx::query_as(q::CART_DETAILS)
                            .bind(owner)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(|(code, quantity, saved, price_seen_minor)| {
                            app::ports::StoredCartLine {
                                code,
                                quantity,
                                saved: saved != 0,
                                price_seen_minor,
                            }
                        })
                        .collect())
                }
                async fn cart_with_products(
                    &self,
                    owner: &str,
                ) -> AppResult<Vec<(app::ports::StoredCartLine, app::catalog::model::ProductCard)>>
                {
                    #[allow(clippy::type_complexity)]
                    let rows: Vec<(
                        String,
                        i64,
                        i64,
                        Option<i64>,
                        String,
                        String,
                        i64,
                        i64,
                    )> = sqlx::query_as(q::CART_WITH_PRODUCTS)
                        .bind(owner)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(
                            |(
                                code,
                                quantity,
                                saved,
                                price_seen_minor,
                                title,
                                category,
                                price_minor,
                                stock,
                            )| {
                                (
                                    app::ports::StoredCartLine {
                                        code: code.clone(),
                                        quantity,
                                        saved: saved != 0,
                                        price_seen_minor,
                                    },
                                    app::catalog::model::ProductCard {
                                        code,
                                        title,
                                        category,
                                        price_minor,
                                        stock,
                                    },
                                )
                            },
                        )
                        .collect())
                }
                async fn set_cart_saved(
                    &self,
                    owner: &str,
                    code: &str,
                    saved: bool,
                ) -> AppResult<bool> {
                    let done = sqlx::query(q::CART_SAVE)
                        .bind(owner)
                        .bind(code)
                        .bind(i64::from(saved))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(done.rows_affected() > 0)
                }
                async fn set_cart_quantity(
                    &self,
                    owner: &str,
                    code: &str,
                    quantity: i64,
                    now: i64,
                ) -> AppResult<()> {
                    if quantity <= 0 {
                        sqlx::query(q::CART_REMOVE)
                            .bind(owner)
                            .bind(code)
                            .execute(&self.pool)
                            .await
                            .map_err(db)?;
                    } else {
                        sqlx::query(q::CART_SET)
                            .bind(owner)
                            .bind(code)
                            .bind(quantity)
                            .bind(now)
                            .execute(&self.pool)
                            .await
                            .map_err(db)?;
                    }
                    Ok(())
                }
                async fn merge_carts(
                    &self,
                    from: &str,
                    to: &str,
                    max_quantity: i64,
                ) -> AppResult<()> {
                    let mut tx = self.pool.begin().await.map_err(db)?;
                    sqlx::query(q::CART_MERGE)
                        .bind(from)
                        .bind(to)
                        .bind(max_quantity)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(q::CART_CLEAR)
                        .bind(from)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    tx.commit().await.map_err(db)
                }
            }

            #[async_trait::async_trait]
            impl app::ports::PrivacyStore for $store {
                async fn consent_log(&self, customer_id: i64) -> AppResult<Vec<ConsentRecord>> {
                    let rows: Vec<q::ConsentRow> = sqlx::query_as(q::CONSENT_LOG)
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(|r| ConsentRecord {
                            purpose: r.purpose,
                            granted: r.granted != 0,
                            policy_version: r.policy_version,
                            decided_at: r.decided_at,
                        })
                        .collect())
                }
                async fn record_consent(
                    &self,
                    customer_id: i64,
                    c: &ConsentRecord,
                ) -> AppResult<()> {
                    sqlx::query(q::RECORD_CONSENT)
                        .bind(customer_id)
                        .bind(&c.purpose)
                        .bind(c.granted as i64)
                        .bind(&c.policy_version)
                        .bind(c.decided_at)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn record_event(&self, customer_id: i64, e: &EventRecord) -> AppResult<()> {
                    sqlx::query(q::RECORD_EVENT)
                        .bind(customer_id)
                        .bind(&e.kind)
                        .bind(&e.subject)
                        .bind(e.at)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
                async fn events(&self, customer_id: i64) -> AppResult<Vec<EventRecord>> {
                    let rows: Vec<q::EventRow> = sqlx::query_as(q::EVENTS)
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(rows
                        .into_iter()
                        .map(|r| EventRecord {
                            kind: r.kind,
                            subject: r.subject,
                            at: r.at,
                        })
                        .collect())
                }
                async fn delete_events(&self, customer_id: i64) -> AppResult<u64> {
                    let r = sqlx::query(q::DELETE_EVENTS)
                        .bind(customer_id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(r.rows_affected())
                }
                async fn orders_of(&self, customer_id: i64) -> AppResult<Vec<OrderRecord>> {
                    let orders: Vec<q::OrderRow> = sqlx::query_as(q::ORDERS_OF)
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    let lines: Vec<q::OrderLineRow> = sqlx::query_as(q::ORDER_LINES_OF)
                        .bind(customer_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    let mut by_order: std::collections::HashMap<i64, Vec<OrderLineRecord>> =
                        std::collections::HashMap::new();
                    for l in lines {
                        by_order
                            .entry(l.order_id)
                            .or_default()
                            .push(OrderLineRecord {
                                product_code: l.product_code,
                                quantity: l.quantity,
                                unit_price_minor: l.unit_price_minor,
                            });
                    }
                    Ok(orders
                        .into_iter()
                        .map(|o| OrderRecord {
                            lines: by_order.remove(&o.id).unwrap_or_default(),
                            number: o.number,
                            placed_at: o.placed_at,
                            status: o.status,
                            total_minor: o.total_minor,
                        })
                        .collect())
                }
                async fn erase_account(&self, customer_id: i64, now: i64) -> AppResult<()> {
                    // One transaction; on SQLite it takes the write lock up front, since it
                    // reads the email before it writes.
                    let mut tx = self
                        .pool
                        .begin_with(<$store>::BEGIN_WRITE)
                        .await
                        .map_err(db)?;
                    let email: Option<String> =
                        sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
                            .bind(customer_id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?
                            .flatten();
                    let owner = app::cart::model::account_owner(customer_id);
                    let customer_actor =
                        app::orders::state::Actor::Customer(customer_id).to_storage();
                    let staff_actor = app::orders::state::Actor::Staff(customer_id).to_storage();
                    for (sql, params) in q::ERASE {
                        let mut query = sqlx::query(sql);
                        for p in params {
                            query = match p {
                                q::EraseParam::Customer => query.bind(customer_id),
                                q::EraseParam::Now => query.bind(now),
                                q::EraseParam::Owner => query.bind(owner.clone()),
                                q::EraseParam::CustomerActor => query.bind(customer_actor.clone()),
                                q::EraseParam::StaffActor => query.bind(staff_actor.clone()),
                            };
                        }
                        query.execute(&mut *tx).await.map_err(db)?;
                    }
                    if let Some(email) = email {
                        sqlx::query(q::THROTTLE_CLEAR)
                            .bind(app::accounts::throttle::account_key(&email))
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)
                }
            }
        };
    };
}
pub(crate) use impl_account_stores;
