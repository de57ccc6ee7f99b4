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
//! - **Payments** are in the provider's books (`ledger.rs`): the shop's database when the
//!   shop runs, so every instance is the same provider; `authorise` is idempotent on its
//!   key, `capture` and `refund` on theirs (a repeated capture takes the money once, even
//!   from two instances; [`SimulatedGateway::captures`] counts real ones).
//! - Tokens carry their class; the books record each token issued (`POST /pay/sim/tokens`,
//!   optionally with `amount_minor`), so any instance of the shop can use a token made by
//!   another one, and `authorise` declines (`invalid_token`) a token the provider never
//!   issued, one already spent by another authorisation, or one issued for another
//!   amount.

use app::orders::refusal::OrdersRefusal;
use app::payments::refusal::PaymentsRefusal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use app::error::{AppError, AppResult};
use app::payments::port::{PaymentGateway, PaymentOutcome, PaymentRequest, WebhookEvent};
use app::payments::{CardToken, DeclineReason, PaymentMethod, PaymentStatus};

use crate::payments::ledger::{MemoryLedger, Redeem, SimLedger, SimPayment};

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
        return Err(AppError::bad_request(PaymentsRefusal::CardNumberInvalid));
    }
    let last4 = digits[digits.len() - 4..].to_string();
    let class = CardClass::of(&digits);
    Ok(CardToken {
        token: format!("tok_sim_{}_{last4}_{}", class.as_str(), random_id()),
        brand: brand(&digits).to_string(),
        last4,
    })
}

/// The token of a test card, for tests that hold no provider (in-process callers only:
/// nothing over HTTP reaches this). The token counts as issued by every simulated provider
/// in this process, which records it in its books on first use; it is spent once like any
/// other, for any amount. Tokens for the shop's pages come from `POST /pay/sim/tokens`.
pub fn test_token(card_number: &str) -> String {
    let token = tokenise(card_number).expect("a valid test card").token;
    test_issued()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(token.clone());
    token
}

fn test_issued() -> &'static std::sync::Mutex<std::collections::HashSet<String>> {
    static ISSUED: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<String>>> =
        std::sync::OnceLock::new();
    ISSUED.get_or_init(Default::default)
}

fn random_id() -> String {
    app::accounts::session::new_public_id().replace(['_', '-'], "")
}

/// The simulated provider (see the module docs). Its payments are in a [`SimLedger`]:
/// the database for the running shop, memory for tests that make their own.
pub struct SimulatedGateway {
    ledger: Arc<dyn SimLedger>,
    /// Captures that took money through this gateway (repeats not counted).
    captures: AtomicU64,
}

impl Default for SimulatedGateway {
    fn default() -> Self {
        Self::with_ledger(Arc::new(MemoryLedger::default()))
    }
}

fn unknown(provider_ref: &str) -> AppError {
    AppError::internal(format!("unknown payment {provider_ref}"))
}

impl SimulatedGateway {
    /// A provider whose books are in this process's memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// A provider whose books are `ledger` (the shop's database: see `startup`).
    pub fn with_ledger(ledger: Arc<dyn SimLedger>) -> Self {
        Self {
            ledger,
            captures: AtomicU64::new(0),
        }
    }

    /// Tokenise a card (see [`tokenise`]) and record the token as issued, for
    /// `amount_minor` if given (a payment of another amount declines it), else for any
    /// amount. Either way it pays once.
    pub async fn issue_token(
        &self,
        card_number: &str,
        amount_minor: Option<i64>,
    ) -> AppResult<CardToken> {
        if amount_minor.is_some_and(|a| a <= 0) {
            return Err(AppError::bad_request(PaymentsRefusal::AmountInvalid));
        }
        let token = tokenise(card_number)?;
        self.ledger
            .issue_token(&token.token, amount_minor, app::state::now())
            .await?;
        Ok(token)
    }

    /// Spend the request's card token: false unless this provider issued it, nobody spent
    /// it before (a retry of the same authorisation key may repeat) and it is for this
    /// amount.
    async fn spend_token(&self, request: &PaymentRequest) -> AppResult<bool> {
        let known_test_token = test_issued()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&request.token);
        if known_test_token {
            self.ledger
                .issue_token(&request.token, None, app::state::now())
                .await?;
        }
        let r = self
            .ledger
            .redeem_token(
                &request.token,
                &request.idempotency_key,
                request.amount_minor,
            )
            .await?;
        Ok(r == Redeem::Spent)
    }

    /// How many captures through this gateway actually took money (repeats not counted).
    pub fn captures(&self) -> u64 {
        self.captures.load(Ordering::SeqCst)
    }

    /// The shopper passed the 3-D Secure challenge of `provider_ref`.
    pub async fn approve_challenge(&self, provider_ref: &str) -> AppResult<()> {
        self.ledger
            .update(
                provider_ref,
                Box::new(|p| {
                    if p.status == PaymentStatus::RequiresAction {
                        p.status = PaymentStatus::Authorised;
                    }
                }),
            )
            .await?
            .map(|_| ())
            .ok_or_else(|| AppError::not_found(OrdersRefusal::NotFound))
    }

    fn outcome(provider_ref: &str, p: &SimPayment) -> PaymentOutcome {
        PaymentOutcome {
            provider_ref: provider_ref.to_string(),
            status: p.status,
            decline: p.decline,
            next_action_url: match p.status {
                PaymentStatus::RequiresAction => Some(format!("/pay/sim/3ds/{provider_ref}")),
                PaymentStatus::Pending => Some(format!("/pay/sim/wallet/{provider_ref}")),
                _ => None,
            },
        }
    }

    /// The order number and amount of a payment, for the provider's pages.
    pub async fn payment_summary(
        &self,
        provider_ref: &str,
    ) -> Option<(String, PaymentMethod, i64, PaymentStatus)> {
        let p = self.ledger.get(provider_ref).await.ok().flatten()?;
        Some((p.order_number, p.method, p.amount_minor, p.status))
    }

    /// The shopper approved (or refused) a wallet payment on their phone: the money is
    /// taken (or not). Returns the status to announce by webhook; a decision on a payment
    /// no longer pending changes nothing and answers its current status.
    pub async fn decide_wallet(
        &self,
        provider_ref: &str,
        approve: bool,
    ) -> AppResult<PaymentStatus> {
        let not_wallet = || AppError::not_found(OrdersRefusal::NotFound);
        let before = self
            .ledger
            .get(provider_ref)
            .await?
            .filter(|p| p.method.is_wallet())
            .ok_or_else(not_wallet)?;
        let after = self
            .ledger
            .update(
                provider_ref,
                Box::new(move |p| {
                    if p.status == PaymentStatus::Pending {
                        if approve {
                            p.status = PaymentStatus::Captured;
                            p.captured = p.amount_minor;
                        } else {
                            p.status = PaymentStatus::Declined;
                            p.decline = Some(DeclineReason::CardDeclined);
                        }
                    }
                }),
            )
            .await?
            .ok_or_else(not_wallet)?;
        if before.status == PaymentStatus::Pending && after.status == PaymentStatus::Captured {
            self.captures.fetch_add(1, Ordering::SeqCst);
        }
        Ok(after.status)
    }
}

#[async_trait::async_trait]
impl PaymentGateway for SimulatedGateway {
    fn name(&self) -> &'static str {
        "simulated"
    }

    async fn authorise(&self, request: &PaymentRequest) -> AppResult<PaymentOutcome> {
        let class = request
            .token
            .strip_prefix("tok_sim_")
            .and_then(|rest| rest.split('_').next())
            .and_then(CardClass::parse);
        // A card token pays only if issued here, once, for this amount.
        let spendable = request.method.is_wallet() || self.spend_token(request).await?;
        let (status, decline) = match class {
            // A wallet waits for the shopper's phone.
            _ if request.method.is_wallet() => (PaymentStatus::Pending, None),
            _ if !spendable => (PaymentStatus::Declined, Some(DeclineReason::InvalidToken)),
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
        let new = SimPayment {
            order_number: request.order_number.clone(),
            method: request.method,
            amount_minor: request.amount_minor,
            status,
            decline,
            captured: 0,
            refunded: 0,
            done: Default::default(),
        };
        // The same key answers with the payment it made first.
        let (provider_ref, p) = self
            .ledger
            .create(
                &request.idempotency_key,
                &format!("pi_sim_{}", random_id()),
                &new,
            )
            .await?;
        Ok(Self::outcome(&provider_ref, &p))
    }

    async fn capture(
        &self,
        provider_ref: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> AppResult<PaymentOutcome> {
        let key = idempotency_key.to_string();
        let took = Arc::new(AtomicU64::new(0));
        let flag = took.clone();
        let p = self
            .ledger
            .update(
                provider_ref,
                Box::new(move |p| {
                    // May run again on a newer payment (see `Change`): only the last run counts.
                    flag.store(0, Ordering::SeqCst);
                    if p.done.contains(&key)
                        || p.status != PaymentStatus::Authorised
                        || amount_minor > p.amount_minor
                    {
                        return;
                    }
                    p.status = PaymentStatus::Captured;
                    p.captured = amount_minor;
                    p.done.insert(key.clone());
                    flag.store(1, Ordering::SeqCst);
                }),
            )
            .await?
            .ok_or_else(|| unknown(provider_ref))?;
        if took.load(Ordering::SeqCst) == 1 {
            self.captures.fetch_add(1, Ordering::SeqCst);
        }
        Ok(Self::outcome(provider_ref, &p))
    }

    async fn void(&self, provider_ref: &str) -> AppResult<PaymentOutcome> {
        let p = self
            .ledger
            .update(
                provider_ref,
                Box::new(|p| {
                    if matches!(
                        p.status,
                        PaymentStatus::Authorised
                            | PaymentStatus::RequiresAction
                            | PaymentStatus::Pending
                    ) {
                        p.status = PaymentStatus::Voided;
                    }
                }),
            )
            .await?
            .ok_or_else(|| unknown(provider_ref))?;
        Ok(Self::outcome(provider_ref, &p))
    }

    async fn refund(
        &self,
        provider_ref: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> AppResult<PaymentOutcome> {
        let key = idempotency_key.to_string();
        let p = self
            .ledger
            .update(
                provider_ref,
                Box::new(move |p| {
                    if p.done.contains(&key)
                        || p.status != PaymentStatus::Captured
                        || p.refunded + amount_minor > p.captured
                    {
                        return;
                    }
                    p.refunded += amount_minor;
                    if p.refunded == p.captured {
                        p.status = PaymentStatus::Refunded;
                    }
                    p.done.insert(key.clone());
                }),
            )
            .await?
            .ok_or_else(|| unknown(provider_ref))?;
        Ok(Self::outcome(provider_ref, &p))
    }

    async fn status(&self, provider_ref: &str) -> AppResult<PaymentOutcome> {
        let p = self
            .ledger
            .get(provider_ref)
            .await?
            .ok_or_else(|| unknown(provider_ref))?;
        Ok(Self::outcome(provider_ref, &p))
    }

    async fn find(&self, idempotency_key: &str) -> AppResult<Option<PaymentOutcome>> {
        Ok(self
            .ledger
            .find(idempotency_key)
            .await?
            .map(|(r, p)| Self::outcome(&r, &p)))
    }

    fn verify_webhook(&self, body: &[u8], signature: &str) -> AppResult<WebhookEvent> {
        crate::payments::webhook::verify(body, signature, app::state::now())
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
        g.approve_challenge(&c.provider_ref).await.unwrap();
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
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{Html, IntoResponse, Redirect, Response};
    use axum::{Extension, Json};
    use serde::Deserialize;

    use app::i18n::Key;
    use app::payments::PaymentStatus;
    use app::state::AppState;

    use super::{random_id, SimulatedGateway};

    #[derive(Deserialize)]
    pub struct CardForm {
        pub card_number: String,
        /// The amount the token is for (minor units); without it, any amount.
        #[serde(default)]
        pub amount_minor: Option<i64>,
    }

    /// `POST /pay/sim/tokens` (form `card_number`, optional `amount_minor`): the token,
    /// brand and last four digits as JSON, or 400 with `{"error": …}`. The provider records
    /// the token as issued; the number is not logged or kept.
    pub async fn tokens(
        Extension(state): Extension<AppState>,
        Form(form): Form<CardForm>,
    ) -> Response {
        let Some(gateway) = sim(&state) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        match gateway
            .issue_token(&form.card_number, form.amount_minor)
            .await
        {
            Ok(token) => Json(token).into_response(),
            Err(e) => (
                e.status(),
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

    /// `POST /pay/sim/3ds/{ref}`: the shopper approves; the browser goes back to the shop's
    /// pay page, which asks the shop to confirm (`/api/checkout/confirm`). A client asking
    /// for JSON gets `{"approved": true}` instead.
    pub async fn approve(
        Extension(state): Extension<AppState>,
        Path(provider_ref): Path<String>,
        headers: HeaderMap,
    ) -> Response {
        let Some(gateway) = sim(&state) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let wants_json = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json"));
        match gateway.approve_challenge(&provider_ref).await {
            Ok(()) if wants_json => Json(serde_json::json!({ "approved": true })).into_response(),
            Ok(()) => {
                let number = gateway
                    .payment_summary(&provider_ref)
                    .await
                    .map(|(n, ..)| n)
                    .unwrap_or_default();
                Redirect::to(&format!("/checkout/pay/{}", escape(&number))).into_response()
            }
            Err(e) => (
                e.status(),
                Json(serde_json::json!({ "error": e.to_string() })),
            )
                .into_response(),
        }
    }

    /// `GET /pay/sim/wallet/{ref}`: the wallet's payment page: the amount, a QR code to scan
    /// with the phone, and the two buttons that stand in for the phone.
    pub async fn wallet_page(
        Extension(state): Extension<AppState>,
        Path(provider_ref): Path<String>,
        headers: HeaderMap,
    ) -> Response {
        let locale = app::prefs::Prefs::from_headers(
            headers.get(header::COOKIE).and_then(|v| v.to_str().ok()),
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
        .locale;
        let text = |k| app::i18n::text(locale, k);
        let r = escape(&provider_ref);
        let summary = match sim(&state) {
            Some(g) => g.payment_summary(&r).await,
            None => None,
        };
        let Some((number, method, amount, status)) = summary else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let wallet = app::i18n::text(locale, method.label_key());
        let qr = qrcode::QrCode::new(format!("/pay/sim/wallet/{r}").as_bytes())
            .map(|code| {
                code.render::<qrcode::render::svg::Color>()
                    .min_dimensions(180, 180)
                    .build()
            })
            .unwrap_or_default();
        // The SVG carries an XML declaration; inline it without.
        let qr = qr.split_once("?>").map(|(_, svg)| svg).unwrap_or(&qr);
        let body = if status == PaymentStatus::Pending {
            format!(
                "<p>{scan}</p><div class=\"qr\" role=\"img\" aria-label=\"{qr_label}\">{qr}</div>\
                 <form method=\"post\" action=\"/pay/sim/wallet/{r}/approve\"><button type=\"submit\" data-testid=\"wallet-approve\">{approve}</button></form>\
                 <form method=\"post\" action=\"/pay/sim/wallet/{r}/cancel\"><button type=\"submit\" class=\"secondary\" data-testid=\"wallet-cancel\">{cancel}</button></form>",
                scan = text(Key::WalletScan),
                qr_label = text(Key::WalletQrLabel),
                approve = text(Key::WalletApprove),
                cancel = text(Key::WalletCancel),
            )
        } else {
            format!(
                "<p>{done}</p><p><a href=\"/orders/{n}\">{back}</a></p>",
                done = text(Key::WalletDone),
                n = escape(&number),
                back = text(Key::CheckoutViewOrder),
            )
        };
        Html(format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{wallet}</title><style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}\
             button{{font:inherit;padding:.7rem 1.2rem;margin:.3rem 0;min-width:12rem;border-radius:6px;border:1px solid #1f6f43;background:#1f6f43;color:#fff}}\
             button.secondary{{background:#fff;color:#1f6f43}}.qr svg{{width:180px;height:180px}}</style></head>\
             <body><main><h1>{wallet}</h1><p>{order_label} {n} · <strong>{amount}</strong></p>{body}</main></body></html>",
            lang = locale.code(),
            order_label = text(Key::CheckoutOrderNumber),
            n = escape(&number),
            amount = app::i18n::format_price(amount),
        ))
        .into_response()
    }

    /// `POST /pay/sim/wallet/{ref}/{approve|cancel}`: the phone's answer. The provider
    /// records it, then delivers a signed webhook to the shop exactly as it would over the
    /// network (the same verification and handling as `POST /webhooks/payments`), and sends
    /// the browser back to the order.
    pub async fn wallet_decide(
        Extension(state): Extension<AppState>,
        Path((provider_ref, decision)): Path<(String, String)>,
    ) -> Response {
        let Some(gateway) = sim(&state) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let approve = match decision.as_str() {
            "approve" => true,
            "cancel" => false,
            _ => return StatusCode::NOT_FOUND.into_response(),
        };
        let status = match gateway.decide_wallet(&provider_ref, approve).await {
            Ok(s) => s,
            Err(e) => return (e.status(), e.to_string()).into_response(),
        };
        let number = gateway
            .payment_summary(&provider_ref)
            .await
            .map(|(n, ..)| n)
            .unwrap_or_default();
        let event = crate::payments::webhook::EventBody {
            event_id: format!("evt_sim_{}", random_id()),
            provider_ref: provider_ref.clone(),
            status: status.as_str().to_string(),
        };
        let body = serde_json::to_vec(&event).unwrap_or_default();
        let now = app::state::now();
        let signature = crate::payments::webhook::sign(&body, now);
        if let Err(e) = app::payments::service::apply_webhook(
            &*state.store,
            &*state.payments,
            &body,
            &signature,
            now,
        )
        .await
        {
            // A real provider would retry the delivery; the order page shows the payment
            // as still waiting meanwhile, and unpaid-order expiry cleans up in the end.
            tracing::warn!("wallet webhook for {provider_ref} not applied: {e}");
        }
        Redirect::to(&format!("/orders/{}", escape(&number))).into_response()
    }
}
