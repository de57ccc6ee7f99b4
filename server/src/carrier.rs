//! Carriers: the signed webhook through which a real carrier reports scans
//! (`POST /webhooks/carrier/{carrier}`), and the job that drives the built-in simulated
//! carrier. Both end in `app::orders::shipping`, which records each scan once by event id
//! and moves the order through the state machine.
//!
//! The webhook is signed like the payment webhook (`Emporium-Signature`, HMAC-SHA256 over
//! "t.body", 5-minute tolerance) with its own secret, `EMPORIUM_CARRIER_WEBHOOK_SECRET`
//! (one made at start-up when unset, which no outsider can sign with). Body:
//! `{"event_id", "tracking_number", "kind", "location", "at"}`, `kind` one of
//! collected, at_hub, at_depot, out_for_delivery, delivered. Answers: 200 with the outcome
//! (applied, duplicate, out_of_order, unknown_shipment), 401 for a bad signature, 400 for
//! a malformed body.

use app::orders::refusal::OrdersRefusal;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use app::error::{AppError, AppResult};
use app::orders::tracking::{Scan, ScanKind};
use app::state::AppState;

use crate::payments::webhook::{check_signature, SIGNATURE_HEADER, TOLERANCE_SECS};

pub fn secret() -> &'static [u8] {
    static SECRET: OnceLock<Vec<u8>> = OnceLock::new();
    SECRET.get_or_init(|| match std::env::var("EMPORIUM_CARRIER_WEBHOOK_SECRET") {
        Ok(s) if !s.is_empty() => s.into_bytes(),
        _ => app::accounts::session::new_token().into_bytes(),
    })
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CarrierEventBody {
    pub event_id: String,
    pub tracking_number: String,
    pub kind: String,
    pub location: String,
    /// When the scan happened (unix seconds).
    pub at: i64,
}

fn malformed() -> AppError {
    AppError::bad_request(OrdersRefusal::ScanMalformed)
}

/// A verified, well-formed event: (tracking number, event id, scan).
pub fn parse(body: &[u8], now: i64) -> AppResult<(String, String, Scan)> {
    let e: CarrierEventBody = serde_json::from_slice(body).map_err(|_| malformed())?;
    let kind = ScanKind::parse(&e.kind).ok_or_else(malformed)?;
    let ok_text = |s: &str| !s.trim().is_empty() && s.len() <= 200;
    // A scan from the future is a carrier's clock gone wrong: refused, not stored.
    if !ok_text(&e.event_id)
        || !ok_text(&e.tracking_number)
        || e.location.len() > 200
        || e.at <= 0
        || e.at > now + TOLERANCE_SECS
    {
        return Err(malformed());
    }
    Ok((
        e.tracking_number.trim().to_string(),
        e.event_id,
        Scan {
            at: e.at,
            kind,
            location: e.location.trim().to_string(),
        },
    ))
}

pub async fn receive(
    Extension(state): Extension<AppState>,
    Path(carrier): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = app::state::now();
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let result = async {
        check_signature(secret(), &body, signature, now)?;
        let (tracking_number, event_id, scan) = parse(&body, now)?;
        app::orders::shipping::carrier_event(
            &*state.store,
            &carrier,
            &tracking_number,
            &event_id,
            &scan,
            now,
        )
        .await
    }
    .await;
    match result {
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

/// Catch the simulated carrier's parcels up every second. Safe with several instances:
/// scans are recorded once by event id and each order move is a guarded update.
pub fn spawn_simulated_carrier(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) =
                app::orders::shipping::advance_all_simulated(&*state.store, app::state::now()).await
            {
                tracing::warn!(error = %e, "simulated carrier step failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_checked_before_they_are_stored() {
        let good = br#"{"event_id":"e1","tracking_number":"EP1GB","kind":"at_hub","location":"Hub","at":100}"#;
        let (tn, id, scan) = parse(good, 1_000).unwrap();
        assert_eq!((tn.as_str(), id.as_str()), ("EP1GB", "e1"));
        assert_eq!(scan.kind, ScanKind::AtHub);
        for bad in [
            &br#"{"event_id":"e1","tracking_number":"EP1GB","kind":"teleported","location":"","at":100}"#[..],
            br#"{"event_id":"","tracking_number":"EP1GB","kind":"at_hub","location":"","at":100}"#,
            br#"{"event_id":"e1","tracking_number":"EP1GB","kind":"at_hub","location":"","at":99999}"#,
            b"not json",
        ] {
            assert!(matches!(parse(bad, 1_000), Err(AppError::BadRequest(_))));
        }
    }
}
