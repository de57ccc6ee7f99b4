//! Consent, behaviour events, data export and account erasure.

use crate::privacy::refusal::PrivacyRefusal;
use serde_json::json;

use crate::accounts::model::CurrentUser;
use crate::accounts::session::RequestIdentity;
use crate::error::{AppError, AppResult};
use crate::ports::ShopStore;
use crate::privacy::model::{ConsentSetting, Purpose, POLICY_VERSION};
use crate::privacy::port::{ConsentRecord, EventRecord};

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
/// analytics: the consent as it stood when the request's session was read (`MemberFacts`),
/// so that a member without it costs no statement. Guests are never recorded. Returns
/// whether it was recorded.
pub async fn record_event(
    store: &dyn ShopStore,
    identity: &RequestIdentity,
    kind: &str,
    subject: &str,
    now: i64,
) -> AppResult<bool> {
    let Some(user) = identity.user.as_ref() else {
        return Ok(false);
    };
    if !identity.facts.analytics_consent {
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

/// Far more notifications than a member has: the export holds all of them.
const EXPORTED_NOTIFICATIONS: i64 = 100_000;

/// One order as exported: what was bought and paid, the contact email and delivery
/// address given at checkout, each payment attempt, the order's history, and the parcel
/// with every carrier scan (`null` before dispatch).
async fn order_document(
    store: &dyn ShopStore,
    o: &crate::privacy::port::OrderRecord,
) -> AppResult<serde_json::Value> {
    let lines: Vec<_> = o
        .lines
        .iter()
        .map(|l| {
            json!({
                "product_code": l.product_code,
                "quantity": l.quantity,
                "unit_price_minor": l.unit_price_minor,
            })
        })
        .collect();
    let mut doc = json!({
        "number": o.number,
        "placed_at": o.placed_at,
        "status": o.status,
        "total_minor": o.total_minor,
        "lines": lines,
    });
    let Some(stored) = store.order_by_number(&o.number).await? else {
        return Ok(doc);
    };
    let extras = store.order_extras(stored.id).await?.unwrap_or_default();
    let payments = store.payments_of(stored.id).await?;
    let history = store.order_events(stored.id).await?;
    let shipment = match store.shipment_of_order(stored.id).await? {
        Some(s) => {
            let scans = store.scans_of(s.id).await?;
            json!({
                "carrier": s.carrier,
                "tracking_number": s.tracking_number,
                "shipped_at": s.shipped_at,
                "window_start": s.window_start,
                "window_end": s.window_end,
                "delivered_at": s.delivered_at,
                "scans": scans.iter().map(|c| json!({
                    "at": c.at,
                    "kind": c.kind.as_str(),
                    "location": c.location,
                })).collect::<Vec<_>>(),
            })
        }
        None => serde_json::Value::Null,
    };
    let more = json!({
        "email": stored.email,
        "delivery_address": extras.address,
        "delivery_option": extras.delivery_option,
        "delivery_window": match (extras.window_start, extras.window_end) {
            (Some(start), Some(end)) => json!({"start": start, "end": end}),
            _ => serde_json::Value::Null,
        },
        "subtotal_minor": stored.subtotal_minor,
        "discount_minor": stored.discount_minor,
        "delivery_fee_minor": stored.delivery_fee_minor,
        "payment_fee_minor": stored.payment_fee_minor,
        "vat_minor": stored.vat_minor,
        "refunded_minor": extras.refunded_minor,
        "coupon_code": stored.coupon_code,
        "payment_method": stored.payment_method,
        "updated_at": stored.updated_at,
        "payments": payments.iter().map(|p| json!({
            "provider": p.provider,
            "reference": p.provider_ref,
            "method": p.method,
            "amount_minor": p.amount_minor,
            "status": p.status,
            "detail": p.detail,
            "at": p.at,
        })).collect::<Vec<_>>(),
        // Who made each change is left out: staff ids are the shop's, not the member's.
        "history": history.iter().map(|e| json!({
            "from_state": e.from_state,
            "to_state": e.to_state,
            "event": e.event,
            "at": e.at,
        })).collect::<Vec<_>>(),
        "shipment": shipment,
    });
    if let (Some(doc), serde_json::Value::Object(more)) = (doc.as_object_mut(), more) {
        doc.extend(more);
    }
    Ok(doc)
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
        .cart(&crate::cart::model::CartOwner::Account(user.id))
        .await?;
    let orders = store.orders_of(user.id).await?;
    let mut order_docs = Vec::with_capacity(orders.len());
    for o in &orders {
        order_docs.push(order_document(store, o).await?);
    }
    let consent_log = store.consent_log(user.id).await?;
    let events = store.events(user.id).await?;
    let sessions = store.account_sessions(user.id).await?;
    let (notifications, last_read) = store.notifications(user.id, EXPORTED_NOTIFICATIONS).await?;
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
        "orders": order_docs,
        "notifications": notifications.iter().map(|n| json!({
            "order_number": n.order_number,
            "from_state": n.from_state,
            "to_state": n.to_state,
            "at": n.at,
            "read": n.event_id <= last_read,
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
/// orders stay for the accounts (amounts, dates, lines, country, payments), linked to a row
/// that no longer says who it was, and without the contact email, delivery name, address
/// or phone, also in their parcels' scans (`PrivacyStore::erase_account`, one transaction).
pub async fn erase(
    store: &dyn ShopStore,
    identity: &crate::accounts::session::RequestIdentity,
    user: &CurrentUser,
    password: &str,
    now: i64,
) -> AppResult<()> {
    let account = store
        .account_by_id(user.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    // Throttled like sign-in: a stolen session is no fast way to guess the password.
    let ok = crate::accounts::service::recheck_password(store, identity, &account, password, now)
        .await?;
    if !ok {
        return Err(AppError::bad_request(PrivacyRefusal::DeletePasswordWrong));
    }
    store.erase_account(user.id, now).await
}
