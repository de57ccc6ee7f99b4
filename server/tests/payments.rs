//! Payments over HTTP, on both backends: wallet payments confirmed by a signed webhook
//! (approve and cancel on the provider's page), webhooks repeated, out of order, unsigned,
//! stale or malformed, and no card number anywhere in the database after card checkouts.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use app::checkout::model::{CheckoutStarted, PlacedOrder};
use app::orders::state::OrderState;
use app::payments::PaymentStatus;
use app::ports::{now, ShopStore};
use server::payments::webhook::{sign, SIGNATURE_HEADER, TOLERANCE_SECS};
use support::TestApp;

fn post(path: &str, body: String, cookie: Option<&str>) -> Request<Body> {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

fn webhook(body: &str, signature: &str) -> Request<Body> {
    Request::post("/webhooks/payments")
        .header(header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn in_stock_code(app: &TestApp, nth: usize) -> String {
    let store: &dyn ShopStore = &*app.store;
    let mut all = store.all_products().await.unwrap();
    all.retain(|p| p.stock > 5 && p.price_minor >= 100);
    all.sort_by(|a, b| a.code.cmp(&b.code));
    all[nth].code.clone()
}

/// A guest fills a basket and places an order over HTTP with `method` (and a card token
/// for cards). Returns the session cookie and the order as placed.
async fn place(
    app: &TestApp,
    nth: usize,
    method: &str,
    card: Option<&str>,
) -> (String, PlacedOrder) {
    let code = in_stock_code(app, nth).await;
    let (status, headers, _) = app
        .request(post(
            "/api/cart/add",
            format!("code={code}&quantity=1"),
            None,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with(app::accounts::session::COOKIE_NAME))
        .unwrap();
    let (status, _, body) = app
        .request(post("/api/checkout/start", String::new(), Some(&cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let started: CheckoutStarted = serde_json::from_str(&body).unwrap();
    let token = match card {
        Some(number) => {
            let (status, _, body) = app
                .request(post(
                    "/pay/sim/tokens",
                    format!("card_number={number}"),
                    None,
                ))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            serde_json::from_str::<app::payments::CardToken>(&body)
                .unwrap()
                .token
        }
        None => String::new(),
    };
    let form = format!(
        "idempotency_key=pay-{method}-{nth}-{}&checkout_token={}&email=payer%40example.com&full_name=Pat+Payer&line1=5+Quay+Road&city=Bristol&postcode=BS1+4DJ&country=GB&delivery_option=standard&payment_method={method}&payment_token={token}",
        now(), started.checkout_token
    );
    let (status, _, body) = app
        .request(post("/api/checkout/place", form, Some(&cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (cookie, serde_json::from_str(&body).unwrap())
}

async fn state_of(app: &TestApp, number: &str) -> OrderState {
    app.store
        .order_by_number(number)
        .await
        .unwrap()
        .unwrap()
        .state
}

on_both_backends! {
    async fn every_instance_is_the_same_provider(app: TestApp) {
        // A second app instance on the same database, as behind a load balancer.
        let state = server::startup::app_state(app.store.clone()).await.unwrap();
        let options = leptos::prelude::LeptosOptions::builder()
            .output_name("emporium")
            .site_root("target/site")
            .build();
        let other = server::router::router(options, state);
        let on_other = |req: Request<Body>| {
            let router = other.clone();
            async move {
                use tower::ServiceExt;
                let res = router.oneshot(req).await.unwrap();
                let status = res.status();
                let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
                (status, location)
            }
        };

        // 3-D Secure: authorised here, approved there, confirmed here.
        let (cookie, placed) = place(app, 2, "card", Some("4000000000003220")).await;
        assert_eq!(placed.state, OrderState::PendingPayment);
        let url = placed.payment.clone().unwrap().next_action_url.unwrap();
        assert!(url.starts_with("/pay/sim/3ds/"), "{url}");
        let (status, location) = on_other(post(&url, String::new(), None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location.unwrap(), format!("/checkout/pay/{}", placed.number));
        let (status, _, body) = app
            .request(post("/api/checkout/confirm", format!("number={}", placed.number), Some(&cookie)))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(state_of(app, &placed.number).await, OrderState::Paid);

        // A wallet: the QR page and the phone's approval reach the other instance.
        let (_, wallet) = place(app, 3, "alipay", None).await;
        let url = wallet.payment.unwrap().next_action_url.unwrap();
        let (status, _) = on_other(Request::get(&url).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = on_other(post(&format!("{url}/approve"), String::new(), None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(state_of(app, &wallet.number).await, OrderState::Paid);
    }

    async fn wallet_payment_is_confirmed_by_the_signed_webhook(app: TestApp) {
        let (_, placed) = place(app, 0, "alipay", None).await;
        assert_eq!(placed.state, OrderState::PendingPayment);
        let payment = placed.payment.clone().unwrap();
        assert_eq!(payment.status, PaymentStatus::Pending);
        let url = payment.next_action_url.unwrap();
        assert!(url.starts_with("/pay/sim/wallet/pi_sim_"), "{url}");

        // The provider's page: amount, QR code, the two buttons.
        let (status, page) = app.get(&url).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<svg") && page.contains("wallet-approve") && page.contains(&placed.number), "{page}");

        // The phone approves: the provider delivers a signed webhook, the shop marks it paid.
        let (status, headers, _) = app.request(post(&format!("{url}/approve"), String::new(), None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], format!("/orders/{}", placed.number));
        assert_eq!(state_of(app, &placed.number).await, OrderState::Paid);

        // A second approval (a double tap) changes nothing.
        let (status, _, _) = app.request(post(&format!("{url}/approve"), String::new(), None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(state_of(app, &placed.number).await, OrderState::Paid);
    }

    async fn a_cancelled_wallet_payment_fails_the_order_and_a_card_pays_it(app: TestApp) {
        let (cookie, placed) = place(app, 1, "wechat_pay", None).await;
        let url = placed.payment.unwrap().next_action_url.unwrap();
        let (status, _, _) = app.request(post(&format!("{url}/cancel"), String::new(), None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(state_of(app, &placed.number).await, OrderState::PaymentFailed);
        // Pay again by card.
        let (_, _, body) = app.request(post("/pay/sim/tokens", "card_number=4242424242424242".into(), None)).await;
        let token = serde_json::from_str::<app::payments::CardToken>(&body).unwrap().token;
        let (status, _, body) = app.request(post("/api/checkout/retry", format!("number={}&payment_method=card&payment_token={token}", placed.number), Some(&cookie))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(state_of(app, &placed.number).await, OrderState::Paid);
    }

    async fn webhooks_are_verified_deduplicated_and_never_go_backwards(app: TestApp) {
        let (_, placed) = place(app, 2, "alipay", None).await;
        let url = placed.payment.unwrap().next_action_url.unwrap();
        let provider_ref = url.rsplit('/').next().unwrap().to_string();
        let event = |id: &str, status: &str| format!(r#"{{"event_id":"{id}","provider_ref":"{provider_ref}","status":"{status}"}}"#);

        // Unsigned, wrongly signed, stale: 401 and nothing happens.
        let captured = event("evt_a", "captured");
        let (status, _, _) = app.request(webhook(&captured, "")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _, _) = app.request(webhook(&captured, &sign(event("evt_other", "captured").as_bytes(), now()))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _, _) = app.request(webhook(&captured, &sign(captured.as_bytes(), now() - TOLERANCE_SECS - 5))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(state_of(app, &placed.number).await, OrderState::PendingPayment);
        // Signed but not an event: 400.
        let (status, _, _) = app.request(webhook("[1,2]", &sign(b"[1,2]", now()))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Out of order: "pending" arrives after "captured"; "failed" later still.
        let (status, _, body) = app.request(webhook(&captured, &sign(captured.as_bytes(), now()))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("applied"), "{body}");
        assert_eq!(state_of(app, &placed.number).await, OrderState::Paid);
        // The same event again (the provider retries): applied once.
        let (status, _, body) = app.request(webhook(&captured, &sign(captured.as_bytes(), now()))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("duplicate"), "{body}");
        for (id, late) in [("evt_b", "pending"), ("evt_c", "declined")] {
            let body_text = event(id, late);
            let (status, _, body) = app.request(webhook(&body_text, &sign(body_text.as_bytes(), now()))).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert!(body.contains("ignored"), "{late}: {body}");
        }
        let order = app.store.order_by_number(&placed.number).await.unwrap().unwrap();
        assert_eq!(order.state, OrderState::Paid);
        let payments = app.store.payments_of(order.id).await.unwrap();
        assert_eq!(payments.last().unwrap().status, "captured", "the payment did not go backwards");
        // An event for a payment the shop does not know: 200, so the provider stops.
        let unknown = r#"{"event_id":"evt_d","provider_ref":"pi_elsewhere","status":"captured"}"#;
        let (status, _, body) = app.request(webhook(unknown, &sign(unknown.as_bytes(), now()))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("unknown_payment"), "{body}");
    }

    async fn card_numbers_never_reach_the_database(app: TestApp) {
        let cards = ["4242424242424242", "4000000000000002", "4000000000009995", "4000000000003220"];
        for (i, card) in cards.iter().enumerate() {
            let (_, placed) = place(app, 3 + i, "card", Some(card)).await;
            assert!(!placed.number.is_empty());
        }
        // Whole numbers, and the first twelve digits (anything longer than the last four).
        let mut needles: Vec<&str> = cards.to_vec();
        needles.extend(cards.iter().map(|c| &c[..12]));
        let leaks = support::scan_database(app, &needles).await;
        assert!(leaks.is_empty(), "card digits stored: {leaks:?}");
    }
}
