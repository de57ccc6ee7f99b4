//! Signed payment webhooks: the signature scheme (HMAC-SHA256 over "<timestamp>.<body>",
//! like the big providers use) and the HTTP route that hands deliveries to
//! `app::payments::service::apply_webhook`.
//!
//! Header: `Emporium-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`.
//! A delivery older or newer than [`TOLERANCE_SECS`] is refused, so a captured delivery
//! cannot be replayed later; the comparison is constant-time (`Mac::verify_slice`).
//!
//! The secret: `EMPORIUM_PAYMENT_WEBHOOK_SECRET` when set (a real provider's signing
//! secret; every instance must share it), else one made at start-up for the built-in
//! simulated provider, which runs in the same process and signs its own deliveries.

use app::payments::refusal::PaymentsRefusal;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use app::error::{AppError, AppResult};
use app::payments::port::WebhookEvent;
use app::payments::PaymentStatus;
use app::state::AppState;

pub const SIGNATURE_HEADER: &str = "emporium-signature";
/// How far a delivery's timestamp may be from now.
pub const TOLERANCE_SECS: i64 = 300;

fn secret() -> &'static [u8] {
    static SECRET: OnceLock<Vec<u8>> = OnceLock::new();
    SECRET.get_or_init(|| match std::env::var("EMPORIUM_PAYMENT_WEBHOOK_SECRET") {
        Ok(s) if !s.is_empty() => s.into_bytes(),
        _ => app::accounts::session::new_token().into_bytes(),
    })
}

fn mac_with(secret: &[u8], t: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The signature header value for `body` sent at `t`.
pub fn sign(body: &[u8], t: i64) -> String {
    sign_with(secret(), body, t)
}

/// The same scheme with another secret (the carrier webhook has its own).
pub fn sign_with(secret: &[u8], body: &[u8], t: i64) -> String {
    let digest = mac_with(secret, t, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

fn unauthorized() -> AppError {
    AppError::unauthorized(PaymentsRefusal::WebhookSignatureInvalid)
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// What a provider sends.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventBody {
    pub event_id: String,
    pub provider_ref: String,
    /// `PaymentStatus::as_str`.
    pub status: String,
}

/// Check the signature of `body` at `now`, then parse it.
pub fn verify(body: &[u8], signature: &str, now: i64) -> AppResult<WebhookEvent> {
    check_signature(secret(), body, signature, now)?;
    let parsed: EventBody = serde_json::from_slice(body)
        .map_err(|_| AppError::bad_request(PaymentsRefusal::WebhookMalformed))?;
    let status = PaymentStatus::parse(&parsed.status)
        .ok_or_else(|| AppError::bad_request(PaymentsRefusal::WebhookMalformed))?;
    if parsed.event_id.is_empty() || parsed.event_id.len() > 200 || parsed.provider_ref.len() > 200
    {
        return Err(AppError::bad_request(PaymentsRefusal::WebhookMalformed));
    }
    Ok(WebhookEvent {
        event_id: parsed.event_id,
        provider_ref: parsed.provider_ref,
        status,
    })
}

/// Check an `Emporium-Signature` header against `secret`: 401 when it is missing, wrong,
/// or outside the tolerance.
pub fn check_signature(secret: &[u8], body: &[u8], signature: &str, now: i64) -> AppResult<()> {
    let mut t = None;
    let mut v1 = None;
    for part in signature.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = from_hex(v),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(unauthorized());
    };
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(unauthorized());
    }
    mac_with(secret, t, body)
        .verify_slice(&v1)
        .map_err(|_| unauthorized())
}

/// `POST /webhooks/payments`: the provider's servers call it (no browser: no Origin, no
/// Fetch Metadata, so the cross-site refusal lets it through). 200 with what the event did
/// (also for repeats and unknown payments, so the provider stops retrying); 401 for a bad
/// signature, 400 for a body that is not an event.
pub async fn receive(
    Extension(state): Extension<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match app::payments::service::apply_webhook(
        &*state.store,
        &*state.payments,
        &body,
        signature,
        app::state::now(),
    )
    .await
    {
        Ok(outcome) => (
            StatusCode::OK,
            Json(serde_json::json!({ "received": true, "outcome": outcome.as_str() })),
        )
            .into_response(),
        Err(e) => (
            e.status(),
            Json(serde_json::json!({ "error": e.to_string() })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"event_id":"evt_1","provider_ref":"pi_1","status":"captured"}"#;

    #[test]
    fn a_signed_body_verifies_and_parses() {
        let event = verify(BODY, &sign(BODY, 1_000), 1_010).unwrap();
        assert_eq!(event.event_id, "evt_1");
        assert_eq!(event.status, PaymentStatus::Captured);
    }

    #[test]
    fn tampering_staleness_and_garbage_are_refused() {
        let sig = sign(BODY, 1_000);
        let tampered = br#"{"event_id":"evt_1","provider_ref":"pi_2","status":"captured"}"#;
        assert!(matches!(
            verify(tampered, &sig, 1_000),
            Err(AppError::Unauthorized(_))
        ));
        assert!(matches!(
            verify(BODY, &sig, 1_000 + TOLERANCE_SECS + 1),
            Err(AppError::Unauthorized(_))
        ));
        assert!(matches!(
            verify(BODY, "", 1_000),
            Err(AppError::Unauthorized(_))
        ));
        assert!(matches!(
            verify(BODY, "t=1000,v1=zz", 1_000),
            Err(AppError::Unauthorized(_))
        ));
        let other_time = sig.replace("t=1000", "t=1001");
        assert!(matches!(
            verify(BODY, &other_time, 1_000),
            Err(AppError::Unauthorized(_))
        ));
        let not_json = b"hello";
        assert!(matches!(
            verify(not_json, &sign(not_json, 1_000), 1_000),
            Err(AppError::BadRequest(_))
        ));
    }
}
