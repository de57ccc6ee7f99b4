//! A simulated card provider that behaves like a real one, for the demo and the tests.
//!
//! - **Tokenisation** (`POST /pay/sim/tokens`, the card form posts here, not to the shop):
//!   a Luhn-valid card number becomes a token `tok_sim_<class>_<last4>_<random>`; the
//!   number itself is dropped on the spot, so it never reaches the shop's database or
//!   logs. The class is what the test cards mean:
//!
//!   | card number | outcome |
//!   |---|---|
//!   | 4242 4242 4242 4242 (and any other valid number) | success |
//!   | 4000 0000 0000 0002 | declined |
//!   | … ending 9995 (4000 0000 0000 9995) | insufficient funds |
//!   | … ending 3220 (4000 0000 0000 3220) | 3-D Secure challenge: `requires_action`, then approve at `/pay/sim/3ds/{ref}` |
//!
//! - **Payments** live in this process's memory, like a provider's own database would;
//!   `authorise` is idempotent on its key, `capture` on its key (a repeated capture takes
//!   the money once; [`SimulatedGateway::captures`] counts real ones).
//! - Tokens carry their class, so any instance of the shop can use a token made by
//!   another one; payment references are per instance (a real provider is one service).

use std::collections::HashMap;
use std::sync::Mutex;

use app::error::{AppError, AppResult};
use app::i18n::{tr, Key};
use app::payments::{CardToken, DeclineReason, PaymentStatus};
use app::ports::{PaymentGateway, PaymentOutcome, PaymentRequest, WebhookEvent};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CardClass {
    Success,
    Decline,
    InsufficientFunds,
    Challenge,
}

impl CardClass {
    fn as_str(self) -> &'static str {
        match self {
            CardClass::Success => "ok",
            CardClass::Decline => "decline",
            CardClass::InsufficientFunds => "funds",
            CardClass::Challenge => "3ds",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            CardClass::Success,
            CardClass::Decline,
            CardClass::InsufficientFunds,
            CardClass::Challenge,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    fn of(number: &str) -> Self {
        if number == "4000000000000002" {
            CardClass::Decline
        } else if number.ends_with("9995") {
            CardClass::InsufficientFunds
        } else if number.ends_with("3220") {
            CardClass::Challenge
        } else {
            CardClass::Success
        }
    }
}

fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn brand(number: &str) -> &'static str {
    match number.as_bytes().first() {
        Some(b'4') => "visa",
        Some(b'5') => "mastercard",
        Some(b'3') => "amex",
        _ => "card",
    }
}

/// Turn a card number into a token. The number is not kept anywhere.
pub fn tokenise(card_number: &str) -> AppResult<CardToken> {
    let digits: String = card_number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if !(12..=19).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !luhn_ok(&digits)
    {
        return Err(AppError::bad_request(tr(Key::MsgCardNumberInvalid)));
    }
    let last4 = digits[digits.len() - 4..].to_string();
    let class = CardClass::of(&digits);
    Ok(CardToken {
        token: format!("tok_sim_{}_{last4}_{}", class.as_str(), random_id()),
        brand: brand(&digits).to_string(),
        last4,
    })
}

/// The token of a test card, for tests and the demo.
pub fn test_token(card_number: &str) -> String {
    tokenise(card_number).expect("a valid test card").token
}

fn random_id() -> String {
    app::accounts::session::new_public_id().replace(['_', '-'], "")
}

#[derive(Clone, Debug)]
struct SimPayment {
    amount_minor: i64,
    status: PaymentStatus,
    decline: Option<DeclineReason>,
    captured: i64,
    refunded: i64,
}

#[derive(Default)]
struct SimState {
    /// Authorisation idempotency key → payment reference.
    by_key: HashMap<String, String>,
    payments: HashMap<String, SimPayment>,
    /// Capture / refund idempotency key → the outcome given.
    done: HashMap<String, PaymentOutcome>,
    captures: u64,
}

/// The simulated provider (see the module docs).
#[derive(Default)]
pub struct SimulatedGateway {
    state: Mutex<SimState>,
}

impl SimulatedGateway {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many captures actually took money (repeats not counted).
    pub fn captures(&self) -> u64 {
        self.lock().captures
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shopper passed the 3-D Secure challenge of `provider_ref`.
    pub fn approve_challenge(&self, provider_ref: &str) -> AppResult<()> {
        let mut s = self.lock();
        let p = s
            .payments
            .get_mut(provider_ref)
            .ok_or_else(|| AppError::not_found(tr(Key::MsgOrderNotFound)))?;
        if p.status == PaymentStatus::RequiresAction {
            p.status = PaymentStatus::Authorised;
        }
        Ok(())
    }

    fn outcome(provider_ref: &str, p: &SimPayment) -> PaymentOutcome {
        PaymentOutcome {
            provider_ref: provider_ref.to_string(),
            status: p.status,
            decline: p.decline,
            next_action_url: (p.status == PaymentStatus::RequiresAction)
                .then(|| format!("/pay/sim/3ds/{provider_ref}")),
        }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for SimulatedGateway {
    fn name(&self) -> &'static str {
        "simulated"
    }

    async fn authorise(&self, request: &PaymentRequest) -> AppResult<PaymentOutcome> {
        let mut s = self.lock();
        if let Some(existing) = s.by_key.get(&request.idempotency_key).cloned() {
            let p = &s.payments[&existing];
            return Ok(Self::outcome(&existing, p));
        }
        let class = request
            .token
            .strip_prefix("tok_sim_")
            .and_then(|rest| rest.split('_').next())
            .and_then(CardClass::parse);
        let (status, decline) = match class {
            None => (PaymentStatus::Declined, Some(DeclineReason::InvalidToken)),
            Some(CardClass::Success) => (PaymentStatus::Authorised, None),
            Some(CardClass::Decline) => {
                (PaymentStatus::Declined, Some(DeclineReason::CardDeclined))
            }
            Some(CardClass::InsufficientFunds) => (
                PaymentStatus::Declined,
                Some(DeclineReason::InsufficientFunds),
            ),
            Some(CardClass::Challenge) => (PaymentStatus::RequiresAction, None),
        };
        let provider_ref = format!("pi_sim_{}", random_id());
        let p = SimPayment {
            amount_minor: request.amount_minor,
            status,
            decline,
            captured: 0,
            refunded: 0,
        };
        let outcome = Self::outcome(&provider_ref, &p);
        s.payments.insert(provider_ref.clone(), p);
        s.by_key
            .insert(request.idempotency_key.clone(), provider_ref);
        Ok(outcome)
    }

    async fn capture(
        &self,
        provider_ref: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> AppResult<PaymentOutcome> {
        let mut s = self.lock();
        if let Some(done) = s.done.get(idempotency_key) {
            return Ok(done.clone());
        }
        let p = s
            .payments
            .get_mut(provider_ref)
            .ok_or_else(|| AppError::internal(format!("unknown payment {provider_ref}")))?;
        if p.status != PaymentStatus::Authorised || amount_minor > p.amount_minor {
            return Ok(Self::outcome(provider_ref, p));
        }
        p.status = PaymentStatus::Captured;
        p.captured = amount_minor;
        let outcome = Self::outcome(provider_ref, p);
        s.captures += 1;
        s.done.insert(idempotency_key.to_string(), outcome.clone());
        Ok(outcome)
    }

    async fn void(&self, provider_ref: &str) -> AppResult<PaymentOutcome> {
        let mut s = self.lock();
        let p = s
            .payments
            .get_mut(provider_ref)
            .ok_or_else(|| AppError::internal(format!("unknown payment {provider_ref}")))?;
        if matches!(
            p.status,
            PaymentStatus::Authorised | PaymentStatus::RequiresAction
        ) {
            p.status = PaymentStatus::Voided;
        }
        Ok(Self::outcome(provider_ref, p))
    }

    async fn refund(
        &self,
        provider_ref: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> AppResult<PaymentOutcome> {
        let mut s = self.lock();
        if let Some(done) = s.done.get(idempotency_key) {
            return Ok(done.clone());
        }
        let p = s
            .payments
            .get_mut(provider_ref)
            .ok_or_else(|| AppError::internal(format!("unknown payment {provider_ref}")))?;
        if p.status != PaymentStatus::Captured || p.refunded + amount_minor > p.captured {
            return Ok(Self::outcome(provider_ref, p));
        }
        p.refunded += amount_minor;
        if p.refunded == p.captured {
            p.status = PaymentStatus::Refunded;
        }
        let outcome = Self::outcome(provider_ref, p);
        s.done.insert(idempotency_key.to_string(), outcome.clone());
        Ok(outcome)
    }

    async fn status(&self, provider_ref: &str) -> AppResult<PaymentOutcome> {
        let s = self.lock();
        let p = s
            .payments
            .get(provider_ref)
            .ok_or_else(|| AppError::internal(format!("unknown payment {provider_ref}")))?;
        Ok(Self::outcome(provider_ref, p))
    }

    fn verify_webhook(&self, _body: &[u8], _signature: &str) -> AppResult<WebhookEvent> {
        // Webhooks (signed notifications for wallet payments) are not wired up yet.
        Err(AppError::Unauthorized(tr(Key::MsgForbidden).into()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cards_tokenise_to_their_class_and_never_carry_the_number() {
        for (number, class) in [
            ("4242 4242 4242 4242", "ok"),
            ("4000 0000 0000 0002", "decline"),
            ("4000000000009995", "funds"),
            ("4000-0000-0000-3220", "3ds"),
        ] {
            let t = tokenise(number).unwrap();
            assert!(t.token.starts_with(&format!("tok_sim_{class}_")), "{t:?}");
            assert!(!t.token.contains(&number.replace([' ', '-'], "")));
        }
        assert!(tokenise("4242 4242 4242 4241").is_err(), "Luhn");
        assert!(tokenise("12ab").is_err());
    }

    #[tokio::test]
    async fn captures_are_idempotent_and_declines_decline() {
        let g = SimulatedGateway::new();
        let req = |key: &str, card: &str| PaymentRequest {
            idempotency_key: key.into(),
            order_number: "EM1".into(),
            amount_minor: 1000,
            currency: "GBP",
            method: app::payments::PaymentMethod::Card,
            token: test_token(card),
        };
        let a = g.authorise(&req("k1", "4242424242424242")).await.unwrap();
        assert_eq!(a.status, PaymentStatus::Authorised);
        let again = g.authorise(&req("k1", "4242424242424242")).await.unwrap();
        assert_eq!(again.provider_ref, a.provider_ref);
        for _ in 0..3 {
            let c = g.capture(&a.provider_ref, 1000, "cap").await.unwrap();
            assert_eq!(c.status, PaymentStatus::Captured);
        }
        assert_eq!(g.captures(), 1);
        let d = g.authorise(&req("k2", "4000000000000002")).await.unwrap();
        assert_eq!(d.decline, Some(DeclineReason::CardDeclined));
        let f = g.authorise(&req("k3", "4000000000009995")).await.unwrap();
        assert_eq!(f.decline, Some(DeclineReason::InsufficientFunds));
        let c = g.authorise(&req("k4", "4000000000003220")).await.unwrap();
        assert_eq!(c.status, PaymentStatus::RequiresAction);
        g.approve_challenge(&c.provider_ref).unwrap();
        assert_eq!(
            g.status(&c.provider_ref).await.unwrap().status,
            PaymentStatus::Authorised
        );
    }
}

/// HTTP routes of the simulated provider (in a real deployment these are the provider's
/// pages, on its own domain).
pub mod routes {
    use axum::extract::{Form, Path};
    use axum::http::StatusCode;
    use axum::response::{Html, IntoResponse, Response};
    use axum::{Extension, Json};
    use serde::Deserialize;

    use app::ports::AppState;

    use super::{tokenise, SimulatedGateway};

    #[derive(Deserialize)]
    pub struct CardForm {
        pub card_number: String,
    }

    /// `POST /pay/sim/tokens` (form `card_number`): the token, brand and last four digits
    /// as JSON, or 400 with `{"error": …}`. The number is not logged or kept.
    pub async fn tokens(Form(form): Form<CardForm>) -> Response {
        match tokenise(&form.card_number) {
            Ok(token) => Json(token).into_response(),
            Err(e) => (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({ "error": e.to_string() })),
            )
                .into_response(),
        }
    }

    fn sim(state: &AppState) -> Option<&SimulatedGateway> {
        state.payments.as_any().downcast_ref::<SimulatedGateway>()
    }

    fn escape(s: &str) -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    }

    /// `GET /pay/sim/3ds/{ref}`: the bank's challenge page.
    pub async fn challenge_page(Path(provider_ref): Path<String>) -> Html<String> {
        let r = escape(&provider_ref);
        Html(format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Confirm your payment</title></head>\
             <body><h1>Simulated bank: confirm your payment</h1>\
             <form method=\"post\" action=\"/pay/sim/3ds/{r}\"><button type=\"submit\">Approve</button></form></body></html>"
        ))
    }

    /// `POST /pay/sim/3ds/{ref}`: the shopper approves; the shop then calls
    /// `/api/checkout/confirm`.
    pub async fn approve(
        Extension(state): Extension<AppState>,
        Path(provider_ref): Path<String>,
    ) -> Response {
        let Some(gateway) = sim(&state) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        match gateway.approve_challenge(&provider_ref) {
            Ok(()) => Json(serde_json::json!({ "approved": true })).into_response(),
            Err(e) => (
                e.status(),
                Json(serde_json::json!({ "error": e.to_string() })),
            )
                .into_response(),
        }
    }
}
