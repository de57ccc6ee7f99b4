//! Payments over HTTP, on both backends: wallet payments confirmed by a signed webhook
//! (approve and cancel on the provider's page), webhooks repeated, out of order, unsigned,
//! stale or malformed, and no card number anywhere in the database after card checkouts.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::support::TestApp;
use app::checkout::model::{CheckoutStarted, PlacedOrder};
use app::orders::state::OrderState;
use app::payments::PaymentStatus;
use app::ports::ShopStore;
use app::state::now;
use server::payments::webhook::{sign, SIGNATURE_HEADER, TOLERANCE_SECS};

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
        "order[idempotency_key]=pay-{method}-{nth}-{}&order[checkout_token]={}&order[email]=payer%40example.com&order[address][full_name]=Pat+Payer&order[address][line1]=5+Quay+Road&order[address][city]=Bristol&order[address][postcode]=BS1+4DJ&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]={method}&order[payment_token]={token}",
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
        let leaks = crate::support::scan_database(app, &needles).await;
        assert!(leaks.is_empty(), "card digits stored: {leaks:?}");
    }
}

/// A guest puts the `nth` product in a basket and places it over HTTP paying by card with
/// `token`, whatever it is. Returns the order as placed.
async fn place_with_token(app: &TestApp, nth: usize, token: &str) -> PlacedOrder {
    let (cookie, started) = basket_at_checkout(app, nth).await;
    let form = format!(
        "order[idempotency_key]=tok-{nth}-{}&order[checkout_token]={}&order[email]=payer%40example.com&order[address][full_name]=Pat+Payer&order[address][line1]=5+Quay+Road&order[address][city]=Bristol&order[address][postcode]=BS1+4DJ&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]={token}",
        now(), started.checkout_token
    );
    let (status, _, body) = app
        .request(post("/api/checkout/place", form, Some(&cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// A guest with the `nth` product in the basket and the checkout started.
async fn basket_at_checkout(app: &TestApp, nth: usize) -> (String, CheckoutStarted) {
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
    (cookie, serde_json::from_str(&body).unwrap())
}

/// `POST /pay/sim/tokens` with this form; the token.
async fn issue_token(app: &TestApp, form: &str) -> String {
    let (status, _, body) = app
        .request(post("/pay/sim/tokens", form.into(), None))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str::<app::payments::CardToken>(&body)
        .unwrap()
        .token
}

fn declined_for_token(placed: &PlacedOrder) -> bool {
    let payment = placed.payment.as_ref().expect("a payment attempt");
    placed.state == OrderState::PaymentFailed
        && payment.status == PaymentStatus::Declined
        && payment.decline == Some(app::payments::DeclineReason::InvalidToken)
}

on_both_backends! {
    // Issue 10, item 13: the provider takes only tokens it issued, each once, and a token
    // issued for an amount only for that amount.
    async fn the_provider_takes_only_its_own_tokens_once_and_for_their_amount(app: TestApp) {
        // Never issued, though it looks like a good card's token.
        let forged = place_with_token(app, 0, "tok_sim_ok_4242_forgedbyshopper01").await;
        assert!(declined_for_token(&forged), "a forged token is declined: {forged:?}");

        // Issued: it pays once; the same token on another order is declined.
        let token = issue_token(app, "card_number=4242424242424242").await;
        let first = place_with_token(app, 1, &token).await;
        assert_eq!(first.state, OrderState::Paid, "{first:?}");
        let again = place_with_token(app, 2, &token).await;
        assert!(declined_for_token(&again), "a used token is declined: {again:?}");

        // Issued for 1p: declined for an order of another amount.
        let penny = issue_token(app, "card_number=4242424242424242&amount_minor=1").await;
        let wrong = place_with_token(app, 3, &penny).await;
        assert!(wrong.total_minor > 1);
        assert!(declined_for_token(&wrong), "a token for another amount is declined: {wrong:?}");

        // Issued for the basket's total (as the review step quotes it): it pays.
        let (cookie, started) = basket_at_checkout(app, 4).await;
        let (status, _, body) = app
            .request(
                Request::get("/api/checkout/quote?delivery_option=standard&payment_method=card")
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let quote: app::checkout::model::CheckoutQuote = serde_json::from_str(&body).unwrap();
        let exact = issue_token(app, &format!("card_number=4242424242424242&amount_minor={}", quote.total_minor)).await;
        let form = format!(
            "order[idempotency_key]=tok-exact-{}&order[checkout_token]={}&order[email]=payer%40example.com&order[address][full_name]=Pat+Payer&order[address][line1]=5+Quay+Road&order[address][city]=Bristol&order[address][postcode]=BS1+4DJ&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]={exact}",
            now(), started.checkout_token
        );
        let (status, _, body) = app.request(post("/api/checkout/place", form, Some(&cookie))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let paid: PlacedOrder = serde_json::from_str(&body).unwrap();
        assert_eq!(paid.total_minor, quote.total_minor);
        assert_eq!(paid.state, OrderState::Paid, "{paid:?}");
    }
}

/// The same rules with a provider whose books are in memory (as tests that build their own
/// gateway have): issued tokens only, once, for their amount; a retry of the same
/// authorisation is not a second use.
#[tokio::test]
async fn a_provider_in_memory_takes_only_its_own_tokens_once_and_for_their_amount() {
    use app::payments::port::{PaymentGateway, PaymentRequest};
    use app::payments::{DeclineReason, PaymentMethod};
    use server::payments::simulated::SimulatedGateway;
    let g = SimulatedGateway::new();
    let req = |key: &str, token: &str, amount_minor: i64| PaymentRequest {
        idempotency_key: key.into(),
        order_number: "EM1".into(),
        amount_minor,
        currency: "GBP",
        method: PaymentMethod::Card,
        token: token.into(),
    };
    let declined = |o: &app::payments::port::PaymentOutcome| {
        o.status == PaymentStatus::Declined && o.decline == Some(DeclineReason::InvalidToken)
    };
    let forged = g
        .authorise(&req("m1", "tok_sim_ok_4242_notissuedbyme01", 1000))
        .await
        .unwrap();
    assert!(declined(&forged), "{forged:?}");

    let token = g.issue_token("4242424242424242", None).await.unwrap().token;
    let first = g.authorise(&req("m2", &token, 1000)).await.unwrap();
    assert_eq!(first.status, PaymentStatus::Authorised);
    let retry = g.authorise(&req("m2", &token, 1000)).await.unwrap();
    assert_eq!(
        retry.provider_ref, first.provider_ref,
        "a retry is the same payment"
    );
    let second = g.authorise(&req("m3", &token, 1000)).await.unwrap();
    assert!(declined(&second), "{second:?}");

    let bound = g
        .issue_token("4242424242424242", Some(1000))
        .await
        .unwrap()
        .token;
    let wrong = g.authorise(&req("m4", &bound, 999)).await.unwrap();
    assert!(declined(&wrong), "{wrong:?}");
    let right = g.authorise(&req("m5", &bound, 1000)).await.unwrap();
    assert_eq!(right.status, PaymentStatus::Authorised);
    assert!(g.issue_token("4242424242424242", Some(0)).await.is_err());
}

on_both_backends! {
    // Issue 10, item 21: a payment captured 32 times at once through two provider
    // instances on the same books (two app servers, one provider): half repeat the shop's
    // capture key, half come with keys of their own. The money is taken once: one capture
    // that took it, `captured == amount` exactly, one key in the books. Without the
    // payment row's lock about two races in three took the money twice on PostgreSQL, so
    // four payments are raced in turn.
    async fn thirty_two_captures_on_two_provider_instances_take_the_amount_once(app: TestApp) {
        use std::sync::Arc;
        use app::payments::PaymentMethod;
        use app::payments::port::{PaymentGateway, PaymentRequest};
        use server::payments::simulated::{test_token, SimulatedGateway};
        let instances = [
            Arc::new(SimulatedGateway::with_ledger(app.store.sim_ledger())),
            Arc::new(SimulatedGateway::with_ledger(app.store.sim_ledger())),
        ];
        let took_so_far = |instances: &[Arc<SimulatedGateway>; 2]| -> Vec<u64> {
            instances.iter().map(|g| g.captures()).collect()
        };
        for round in 0..4u64 {
            let amount = 12_345 + round as i64;
            let authorised = instances[0]
                .authorise(&PaymentRequest {
                    idempotency_key: format!("EMRACE{round}-1"),
                    order_number: format!("EMRACE{round}"),
                    amount_minor: amount,
                    currency: "GBP",
                    method: PaymentMethod::Card,
                    token: test_token("4242424242424242"),
                })
                .await
                .unwrap();
            assert_eq!(authorised.status, PaymentStatus::Authorised);
            let provider_ref = authorised.provider_ref.clone();
            // Both instances see the payment and have used the pool before the race.
            for g in &instances {
                assert_eq!(g.status(&provider_ref).await.unwrap().status, PaymentStatus::Authorised);
            }
            let before: u64 = took_so_far(&instances).iter().sum();
            let captures = 32;
            let barrier = Arc::new(tokio::sync::Barrier::new(captures));
            let mut tasks = Vec::new();
            for i in 0..captures {
                let gateway = instances[i % 2].clone();
                let barrier = barrier.clone();
                let provider_ref = provider_ref.clone();
                tasks.push(tokio::spawn(async move {
                    let key = if i < captures / 2 {
                        format!("capture-{provider_ref}")
                    } else {
                        format!("capture-{provider_ref}-client-{i:02}")
                    };
                    barrier.wait().await;
                    gateway.capture(&provider_ref, amount, &key).await
                }));
            }
            for t in tasks {
                let outcome = t.await.unwrap().expect("every capture answers");
                assert_eq!(outcome.status, PaymentStatus::Captured, "{outcome:?}");
                assert_eq!(outcome.provider_ref, provider_ref);
            }
            let took = took_so_far(&instances).iter().sum::<u64>() - before;
            let books = app.store.sim_ledger().get(&provider_ref).await.unwrap().unwrap();
            eprintln!(
                "{:?} round {round}: {captures} captures on two instances: took the money {took} time(s), \
                 captured {} of {amount}, keys {:?}",
                app.backend, books.captured, books.done
            );
            assert_eq!(took, 1, "round {round}: the money was taken once");
            assert_eq!(books.status, PaymentStatus::Captured);
            assert_eq!(books.captured, amount, "captured == amount");
            assert_eq!(books.done.len(), 1, "one capture in the books: {:?}", books.done);
            // A later repeat on either instance changes nothing.
            for g in &instances {
                let again = g.capture(&provider_ref, amount, "capture-late").await.unwrap();
                assert_eq!(again.status, PaymentStatus::Captured);
            }
            assert_eq!(took_so_far(&instances).iter().sum::<u64>() - before, 1);
            let books = app.store.sim_ledger().get(&provider_ref).await.unwrap().unwrap();
            assert_eq!((books.captured, books.done.len()), (amount, 1));
        }
    }
}
