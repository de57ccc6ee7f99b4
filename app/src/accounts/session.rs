//! Server-side sessions. The browser holds a random 256-bit token in a `__Host-` cookie
//! (HttpOnly, Secure, SameSite=Lax, path /, no domain); the database holds only the token's
//! SHA-256, so neither a database copy nor a log line can be replayed as a cookie. Every
//! app instance reads the same table, so any instance serves any session.
//!
//! Timeouts follow OWASP ASVS 4.0 §3.3.2 at level 2: a member's session ends after 30
//! minutes without a request and 12 hours after sign-in, whichever comes first. Guest
//! sessions only hold a cart and end after 30 idle days.

use base64::Engine as _;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::accounts::model::CurrentUser;
use crate::accounts::port::{AccountRecord, AccountStore, SessionLookup, SessionRecord};
use crate::error::AppResult;

/// `__Host-` makes the browser refuse the cookie unless it is Secure, path `/` and has no
/// Domain, so no sibling subdomain can set or shadow it.
pub const COOKIE_NAME: &str = "__Host-emporium";

#[derive(Clone, Debug)]
pub struct SecurityConfig {
    pub member_idle_secs: i64,
    pub member_absolute_secs: i64,
    pub guest_idle_secs: i64,
    /// Write `last_seen_at` at most this often, not on every request.
    pub touch_every_secs: i64,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            member_idle_secs: 30 * 60,
            member_absolute_secs: 12 * 3600,
            guest_idle_secs: 30 * 24 * 3600,
            touch_every_secs: 60,
        }
    }
}

/// What every page needs to know about a signed-in member besides who they are, read with
/// the session in the same statement, so that a page's header and its behaviour event cost
/// no query of their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberFacts {
    /// The member's latest choice for analytics: behaviour events are kept only then.
    pub analytics_consent: bool,
    /// Order events the member has not seen (the bell's number, before delay alerts).
    pub unread_notifications: i64,
    /// The member's orders on their way (shipped, in transit, out for delivery): only then
    /// can a parcel be late, so only then is tracking read for the bell.
    pub parcels_in_flight: i64,
}

/// Who is asking, as the router's middleware found out before any handler runs.
#[derive(Clone, Debug, Default)]
pub struct RequestIdentity {
    pub session: Option<SessionRecord>,
    pub user: Option<CurrentUser>,
    /// Zero for anyone not signed in.
    pub facts: MemberFacts,
    pub client_ip: String,
    pub user_agent: String,
}

/// A fresh random token for a cookie.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A short random public id (devices page, cart owner of a guest).
pub fn new_public_id() -> String {
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn set_cookie(token: &str, config: &SecurityConfig, member: bool) -> String {
    let max_age = if member {
        config.member_absolute_secs
    } else {
        config.guest_idle_secs
    };
    format!("{COOKIE_NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age}")
}

pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

pub fn user_of(account: &AccountRecord) -> CurrentUser {
    CurrentUser {
        id: account.id,
        email: account.email.clone().unwrap_or_default(),
        name: account.name.clone(),
        role: account.role,
    }
}

/// Whether a session is still valid at `now`.
pub fn is_live(session: &SessionRecord, config: &SecurityConfig, now: i64) -> bool {
    if session.customer_id.is_some() {
        now - session.last_seen_at <= config.member_idle_secs
            && now - session.created_at <= config.member_absolute_secs
    } else {
        now - session.last_seen_at <= config.guest_idle_secs
    }
}

/// The session a cookie token names, if it is live; expired ones are deleted. Refreshes
/// the idle timer (at most once per `touch_every_secs`).
pub async fn resolve(
    store: &dyn AccountStore,
    config: &SecurityConfig,
    token: &str,
    now: i64,
) -> AppResult<Option<(SessionRecord, Option<CurrentUser>, MemberFacts)>> {
    let hash = hash_token(token);
    let Some(SessionLookup {
        session,
        account,
        facts,
    }) = store.session(&hash).await?
    else {
        return Ok(None);
    };
    let erased = account.as_ref().is_some_and(|a| a.erased);
    if !is_live(&session, config, now) || erased {
        store.delete_session(&hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at >= config.touch_every_secs {
        store.touch_session(&hash, now).await?;
    }
    Ok(Some((session, account.as_ref().map(user_of), facts)))
}

/// Start a session and return its cookie token. A new token every time: sign-in, sign-up
/// and any change of privilege call this, never reuse an old id (session fixation).
pub async fn start(
    store: &dyn AccountStore,
    customer_id: Option<i64>,
    identity: &RequestIdentity,
    now: i64,
) -> AppResult<(String, SessionRecord)> {
    let token = new_token();
    let record = SessionRecord {
        token_hash: hash_token(&token),
        public_id: new_public_id(),
        customer_id,
        created_at: now,
        last_seen_at: now,
        user_agent: identity.user_agent.chars().take(200).collect(),
        ip: identity.client_ip.clone(),
    };
    store.insert_session(&record).await?;
    Ok((token, record))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(customer: Option<i64>, created: i64, seen: i64) -> SessionRecord {
        SessionRecord {
            token_hash: String::new(),
            public_id: String::new(),
            customer_id: customer,
            created_at: created,
            last_seen_at: seen,
            user_agent: String::new(),
            ip: String::new(),
        }
    }

    #[test]
    fn member_sessions_end_after_idle_and_absolute_timeouts() {
        let c = SecurityConfig::default();
        assert!(is_live(&session(Some(1), 0, 0), &c, 30 * 60));
        assert!(!is_live(&session(Some(1), 0, 0), &c, 30 * 60 + 1));
        // Active all along, but past 12 hours since sign-in.
        let t = 12 * 3600 + 1;
        assert!(!is_live(&session(Some(1), 0, t - 10), &c, t));
        // Guests keep their cart for 30 idle days.
        assert!(is_live(&session(None, 0, 0), &c, 29 * 24 * 3600));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }

    #[test]
    fn cookie_has_the_host_prefix_attributes() {
        let c = set_cookie("t", &SecurityConfig::default(), true);
        for part in [
            "__Host-emporium=t",
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Lax",
        ] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!c.contains("Domain"));
    }
}
