//! Consent, behaviour events, data export and account erasure.

use serde_json::json;

use crate::accounts::model::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::ports::{ConsentRecord, EventRecord, ShopStore};
use crate::privacy::model::{ConsentSetting, Purpose, POLICY_VERSION};

/// The current setting of each purpose: the newest decision, else off.
pub async fn consents(store: &dyn ShopStore, customer_id: i64) -> AppResult<Vec<ConsentSetting>> {
    let log = store.consent_log(customer_id).await?;
    Ok(Purpose::ALL
        .into_iter()
        .map(|purpose| {
            let last = log.iter().rev().find(|c| c.purpose == purpose.as_str());
            ConsentSetting {
                purpose,
                granted: last.is_some_and(|c| c.granted),
                decided_at: last.map(|c| c.decided_at),
                policy_version: last.map(|c| c.policy_version.clone()),
            }
        })
        .collect())
}

pub async fn has_consent(
    store: &dyn ShopStore,
    customer_id: i64,
    purpose: Purpose,
) -> AppResult<bool> {
    Ok(consents(store, customer_id)
        .await?
        .into_iter()
        .any(|c| c.purpose == purpose && c.granted))
}

pub async fn set_consent(
    store: &dyn ShopStore,
    user: &CurrentUser,
    purpose: Purpose,
    granted: bool,
    now: i64,
) -> AppResult<()> {
    store
        .record_consent(
            user.id,
            &ConsentRecord {
                purpose: purpose.as_str().into(),
                granted,
                policy_version: POLICY_VERSION.into(),
                decided_at: now,
            },
        )
        .await?;
    // Events are kept only while analytics consent holds: withdrawing it forgets them.
    if purpose == Purpose::Analytics && !granted {
        store.delete_events(user.id).await?;
    }
    Ok(())
}

/// Record a behaviour event (a product view, a search) only if the member agreed to
/// analytics. Guests are never recorded. Returns whether it was recorded.
pub async fn record_event(
    store: &dyn ShopStore,
    user: Option<&CurrentUser>,
    kind: &str,
    subject: &str,
    now: i64,
) -> AppResult<bool> {
    let Some(user) = user else { return Ok(false) };
    if !has_consent(store, user.id, Purpose::Analytics).await? {
        return Ok(false);
    }
    let subject: String = subject.chars().take(200).collect();
    store
        .record_event(
            user.id,
            &EventRecord {
                kind: kind.into(),
                subject,
                at: now,
            },
        )
        .await?;
    Ok(true)
}

/// Everything the shop holds about the member, as one JSON document.
pub async fn export(
    store: &dyn ShopStore,
    user: &CurrentUser,
    now: i64,
) -> AppResult<serde_json::Value> {
    let account = store
        .account_by_id(user.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    let addresses = store.addresses(user.id).await?;
    let favourites = store.favourites(user.id).await?;
    let cart = store
        .cart(&crate::cart::model::account_owner(user.id))
        .await?;
    let orders = store.orders_of(user.id).await?;
    let consent_log = store.consent_log(user.id).await?;
    let events = store.events(user.id).await?;
    let sessions = store.account_sessions(user.id).await?;
    Ok(json!({
        "exported_at": now,
        "policy_version": POLICY_VERSION,
        "profile": {
            "id": account.id,
            "email": account.email,
            "name": account.name,
            "role": account.role.as_str(),
            "has_password": account.password_hash.is_some(),
        },
        "addresses": addresses,
        "favourites": favourites,
        "cart": cart.iter().map(|(code, qty)| json!({"product_code": code, "quantity": qty})).collect::<Vec<_>>(),
        "orders": orders.iter().map(|o| json!({
            "number": o.number,
            "placed_at": o.placed_at,
            "status": o.status,
            "total_minor": o.total_minor,
            "lines": o.lines.iter().map(|l| json!({
                "product_code": l.product_code,
                "quantity": l.quantity,
                "unit_price_minor": l.unit_price_minor,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "consents": consent_log.iter().map(|c| json!({
            "purpose": c.purpose,
            "granted": c.granted,
            "policy_version": c.policy_version,
            "decided_at": c.decided_at,
        })).collect::<Vec<_>>(),
        "events": events.iter().map(|e| json!({"kind": e.kind, "subject": e.subject, "at": e.at})).collect::<Vec<_>>(),
        "devices": sessions.iter().map(|s| json!({
            "signed_in_at": s.created_at,
            "last_seen_at": s.last_seen_at,
            "user_agent": s.user_agent,
            "ip": s.ip,
        })).collect::<Vec<_>>(),
    }))
}

/// Erase the account after re-checking the password: personal data and sessions go;
/// orders stay for the accounts, linked to a row that no longer says who it was.
pub async fn erase(
    store: &dyn ShopStore,
    user: &CurrentUser,
    password: &str,
    now: i64,
) -> AppResult<()> {
    let account = store
        .account_by_id(user.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    let ok = match &account.password_hash {
        Some(h) => crate::accounts::password::verify(password, h).await,
        None => false,
    };
    if !ok {
        return Err(AppError::bad_request(crate::i18n::tr(
            crate::i18n::Key::MsgDeletePasswordWrong,
        )));
    }
    store.erase_account(user.id, now).await
}
