//! After packing: staff pack and ship, the simulated carrier's scans, the signed carrier
//! webhook (repeated, out of order, tampered), the tracking page and guest tracking, delay
//! alerts and the notification centre, on both backends through the real router. Ends
//! with the access-control matrix of these server functions and pages.

use axum::http::StatusCode;

use crate::support::shop::*;
use app::accounts::model::Role;
use app::orders::model::{Dispatched, Notifications, Tracking};
use app::orders::port::StoredShipment;
use app::orders::shipping::{self, SIMULATED_CARRIER};
use app::orders::state::OrderState;
use app::orders::tracking::{self, Delay, ScanKind};
use app::state::{now, ShippingConfig};
use server::payments::webhook::sign_with;

const HOUR: i64 = 3600;

async fn shipment(app: &crate::support::TestApp, number: &str) -> StoredShipment {
    let order = app.store.order_by_number(number).await.unwrap().unwrap();
    app.store
        .shipment_of_order(order.id)
        .await
        .unwrap()
        .expect("a shipment")
}

/// Pack and ship `number` as staff member `staff_id` through the domain functions.
async fn dispatch(app: &crate::support::TestApp, staff_id: i64, number: &str, speed: f64) {
    shipping::pack(&*app.store, staff_id, number, now())
        .await
        .unwrap();
    let config = ShippingConfig {
        carrier_speed: speed,
    };
    let gateway = server::payments::simulated::SimulatedGateway::new();
    shipping::ship(&*app.store, &gateway, &config, staff_id, number, now())
        .await
        .unwrap();
}

fn carrier_event(tracking: &str, id: &str, kind: &str, at: i64) -> String {
    format!(
        r#"{{"event_id":"{id}","tracking_number":"{tracking}","kind":"{kind}","location":"Leeds delivery office","at":{at}}}"#
    )
}

fn signed_post(
    path: &str,
    body: &str,
    signature: Option<String>,
) -> axum::http::Request<axum::body::Body> {
    let mut b = axum::http::Request::post(path)
        .header("content-type", "application/json")
        .header("host", "shop.test");
    if let Some(sig) = signature {
        b = b.header("emporium-signature", sig);
    }
    b.body(axum::body::Body::from(body.to_string())).unwrap()
}

fn sign(body: &str) -> Option<String> {
    Some(sign_with(server::carrier::secret(), body.as_bytes(), now()))
}

on_both_backends! {
    async fn staff_pack_and_ship_and_the_simulated_carrier_delivers(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let order = place_http(app, &a.cookie, &codes[0], 2, "track-a-0000001").await;
        let n = order.number.as_str();

        // The dispatch list has it; shipping before packing is refused with a reason.
        let (status, _, text) = app.request(get("/api/staff/dispatch", Some(&agent.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.contains(n), "{text}");
        let (status, _, text) = app.request(form("/api/staff/ship", &format!("number={n}"), Some(&agent.cookie))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{text}");
        // Pack twice (a double click): one event.
        for _ in 0..2 {
            let (status, _, text) = app.request(form("/api/staff/pack", &format!("number={n}"), Some(&agent.cookie))).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            let d: Dispatched = serde_json::from_str(&text).unwrap();
            assert_eq!(d.state, OrderState::Packed);
        }
        // Ship twice: one parcel, one tracking number.
        let mut numbers = Vec::new();
        for _ in 0..2 {
            let (status, _, text) = app.request(form("/api/staff/ship", &format!("number={n}"), Some(&agent.cookie))).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            let d: Dispatched = serde_json::from_str(&text).unwrap();
            assert_eq!(d.state, OrderState::Shipped);
            numbers.push(d.tracking_number.expect("a tracking number"));
        }
        assert_eq!(numbers[0], numbers[1]);
        let order_id = app.store.order_by_number(n).await.unwrap().unwrap().id;
        assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM shipments WHERE order_id = {order_id}")).await, 1);
        assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM order_events WHERE order_id = {order_id} AND event = 'pack'")).await, 1);
        let (status, _, text) = app.request(get("/api/staff/dispatch", Some(&agent.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!text.contains(n), "shipped orders leave the list");

        // The simulated carrier (real time here): nothing until collection, then step by
        // step to delivered, each scan recorded once however often it is replayed.
        let s = shipment(app, n).await;
        assert_eq!(s.carrier, SIMULATED_CARRIER);
        assert_eq!(s.tracking_number, numbers[0]);
        let plan = tracking::simulated_scans(s.shipped_at, s.window_start, s.window_end, s.speed, &s.depot);
        let viewer = a.viewer();
        let t0 = shipping::track(&*app.store, &viewer, n, s.shipped_at + 60).await.unwrap();
        assert_eq!(t0.state, OrderState::Shipped);
        assert!(t0.scans.is_empty());
        assert_eq!(t0.shipment.as_ref().unwrap().tracking_number, numbers[0]);
        let t1 = shipping::track(&*app.store, &viewer, n, plan[1].at).await.unwrap();
        assert_eq!(t1.state, OrderState::InTransit);
        assert_eq!(t1.scans.len(), 2);
        assert_eq!(t1.scans[0].kind, ScanKind::AtHub, "newest first");
        assert_eq!(t1.delay, None);
        let last = plan.last().unwrap().at;
        for _ in 0..3 {
            shipping::advance_all_simulated(&*app.store, last).await.unwrap();
        }
        let done = shipping::track(&*app.store, &viewer, n, last + 10).await.unwrap();
        assert_eq!(done.state, OrderState::Delivered);
        assert_eq!(done.scans.len(), plan.len());
        assert_eq!(done.shipment.as_ref().unwrap().delivered_at, Some(last));
        assert!(done.steps.iter().all(|s| s.at.is_some()), "every step reached: {:?}", done.steps);
        let carrier_events = scalar(app, &format!("SELECT COUNT(*) FROM order_events WHERE order_id = {order_id} AND actor = 'carrier'")).await;
        assert_eq!(carrier_events, 3, "in transit, out for delivery, delivered");

        // The tracking page and the notification centre.
        let (status, _, html) = app.request(get(&format!("/orders/{n}/tracking"), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&numbers[0]) && html.contains("data-testid=\"scans\""));
        let (status, _, text) = app.request(get("/api/notifications", Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let list: Notifications = serde_json::from_str(&text).unwrap();
        let states: Vec<OrderState> = list.items.iter().map(|i| i.state).collect();
        assert_eq!(&states[..4], [OrderState::Delivered, OrderState::OutForDelivery, OrderState::InTransit, OrderState::Shipped]);
        assert!(states.contains(&OrderState::Paid) && states.contains(&OrderState::Packed));
        assert_eq!(list.unread, list.items.len() as i64);
        let (_, _, count) = app.request(get("/api/notifications/count", Some(&a.cookie))).await;
        assert_eq!(count.trim(), list.unread.to_string());
        let (status, _, _) = app.request(form("/api/notifications/read", "", Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        let (_, _, count) = app.request(get("/api/notifications/count", Some(&a.cookie))).await;
        assert_eq!(count.trim(), "0");
    }

    async fn the_carrier_webhook_is_signed_deduplicated_and_safe_out_of_order(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let order = place_http(app, &a.cookie, &codes[0], 1, "track-w-0000001").await;
        let n = order.number.as_str();
        dispatch(app, agent.id, n, 1.0).await;
        // A real carrier: its scans come only by webhook.
        exec(app, "UPDATE shipments SET speed = 0").await;
        let tn = shipment(app, n).await.tracking_number;
        let path = format!("/webhooks/carrier/{SIMULATED_CARRIER}");
        let t = now();

        let ofd = carrier_event(&tn, "evt-2", "out_for_delivery", t - 100);
        let (status, _, _) = app.request(signed_post(&path, &ofd, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "unsigned");
        let tampered = ofd.replace("out_for_delivery", "delivered");
        let (status, _, _) = app.request(signed_post(&path, &tampered, sign(&ofd))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "tampered");
        let stale = Some(sign_with(server::carrier::secret(), ofd.as_bytes(), t - 3600));
        let (status, _, _) = app.request(signed_post(&path, &ofd, stale)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "stale");
        let payment_secret = Some(server::payments::webhook::sign(ofd.as_bytes(), t));
        let (status, _, _) = app.request(signed_post(&path, &ofd, payment_secret)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the payment webhook's secret is not the carrier's");
        let garbage = r#"{"event_id":"x","tracking_number":"y","kind":"teleported","location":"","at":1}"#;
        let (status, _, text) = app.request(signed_post(&path, garbage, sign(garbage))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert_eq!(state_of(app, n).await, OrderState::Shipped, "nothing applied yet");

        let (status, _, text) = app.request(signed_post(&path, &ofd, sign(&ofd))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert!(text.contains("\"applied\""), "{text}");
        assert_eq!(state_of(app, n).await, OrderState::OutForDelivery);
        // The same event again, and an older scan arriving late.
        let (_, _, text) = app.request(signed_post(&path, &ofd, sign(&ofd))).await;
        assert!(text.contains("\"duplicate\""), "{text}");
        let transit = carrier_event(&tn, "evt-1", "at_hub", t - 200);
        let (status, _, text) = app.request(signed_post(&path, &transit, sign(&transit))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.contains("\"out_of_order\""), "{text}");
        assert_eq!(state_of(app, n).await, OrderState::OutForDelivery, "never backwards");
        let unknown = carrier_event("EP999999999GB", "evt-9", "delivered", t - 50);
        let (_, _, text) = app.request(signed_post(&path, &unknown, sign(&unknown))).await;
        assert!(text.contains("\"unknown_shipment\""), "{text}");
        let other_carrier = "/webhooks/carrier/another-carrier";
        let delivered = carrier_event(&tn, "evt-3", "delivered", t - 10);
        let (_, _, text) = app.request(signed_post(other_carrier, &delivered, sign(&delivered))).await;
        assert!(text.contains("\"unknown_shipment\""), "a tracking number belongs to its carrier: {text}");
        let (_, _, text) = app.request(signed_post(&path, &delivered, sign(&delivered))).await;
        assert!(text.contains("\"applied\""), "{text}");
        assert_eq!(state_of(app, n).await, OrderState::Delivered);

        // The timeline keeps all three, in the order they happened.
        let tr = shipping::track(&*app.store, &a.viewer(), n, now()).await.unwrap();
        let kinds: Vec<ScanKind> = tr.scans.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [ScanKind::Delivered, ScanKind::OutForDelivery, ScanKind::AtHub]);
        assert_eq!(tr.shipment.unwrap().delivered_at, Some(t - 10));
        // 16 deliveries of one event at once: recorded once.
        let again = carrier_event(&tn, "evt-4", "delivered", t - 5);
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let router = app.router.clone();
            let req = signed_post(&path, &again, sign(&again));
            tasks.push(tokio::spawn(async move {
                use tower::ServiceExt;
                router.oneshot(req).await.unwrap().status()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), StatusCode::OK);
        }
        let order_id = app.store.order_by_number(n).await.unwrap().unwrap().id;
        let scans = scalar(app, &format!("SELECT COUNT(*) FROM shipment_scans s JOIN shipments p ON p.id = s.shipment_id WHERE p.order_id = {order_id}")).await;
        assert_eq!(scans, 4);
    }

    async fn guests_track_with_number_and_email_and_guessing_is_throttled(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let agent = member(app, "agent", Role::Agent).await;
        let guest = guest_cookie(app, &codes[0]).await;
        let order = place_http(app, &guest, &codes[0], 1, "track-g-0000001").await;
        let n = order.number.as_str();
        dispatch(app, agent.id, n, 1.0).await;

        // Anyone (no cookie) with the number and the email, in any case.
        let (status, _, text) = app.request(form("/api/track", &format!("number={}&email=Shopper%40Example.com", n.to_lowercase()), None)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let tr: Tracking = serde_json::from_str(&text).unwrap();
        assert_eq!(tr.number, n);
        assert_eq!(tr.state, OrderState::Shipped);
        assert!(tr.shipment.is_some());
        // A wrong email and an unknown number get the same answer.
        let (status, _, wrong) = app.request(form("/api/track", &format!("number={n}&email=someone%40example.com"), None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, unknown) = app.request(form("/api/track", "number=EMNOSUCHORDER&email=shopper%40example.com", None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(wrong, unknown);
        assert!(!wrong.contains(n));
        // Guessing one order's email: a few tries are free, then 429 with the wait, and
        // the right email waits too (at one instant, so the waits cannot run out).
        let t = now();
        for i in 0..4 {
            let r = shipping::track_by_email(&*app.store, "192.0.2.7", n, &format!("guess{i}@example.com"), t).await;
            assert!(matches!(r, Err(app::error::AppError::NotFound(_))), "{r:?}");
        }
        let r = shipping::track_by_email(&*app.store, "192.0.2.7", n, "guess9@example.com", t).await;
        assert!(matches!(r, Err(app::error::AppError::TooManyRequests(_))), "{r:?}");
        let r = shipping::track_by_email(&*app.store, "192.0.2.8", n, "shopper@example.com", t).await;
        assert!(matches!(r, Err(app::error::AppError::TooManyRequests(_))), "per order, from any address: {r:?}");
        // Over HTTP the server reads its own clock, and the one-second wait above may have
        // run out (it did in CI at stop 21): ten more guesses on record make it a minute.
        let order_key = format!("track-order:{n}");
        for _ in 0..10 {
            app.store.throttle_fail(&order_key, now(), now() - 3600).await.unwrap();
        }
        let (status, _, text) = app.request(form("/api/track", &format!("number={n}&email=shopper%40example.com"), None)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
        // The guest's own session sees the tracking page too.
        let (status, _, html) = app.request(get(&format!("/orders/{n}/tracking"), Some(&guest))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&tr.shipment.unwrap().tracking_number));
        // The form page itself.
        let (status, _, html) = app.request(get("/track", None)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("track-email"));
    }

    async fn a_silent_or_late_parcel_is_flagged_and_the_customer_alerted(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let order = place_http(app, &a.cookie, &codes[0], 1, "track-d-0000001").await;
        let n = order.number.as_str();
        dispatch(app, agent.id, n, 1.0).await;
        exec(app, "UPDATE shipments SET speed = 0").await;
        let s = shipment(app, n).await;
        let viewer = a.viewer();

        let soon = shipping::track(&*app.store, &viewer, n, s.shipped_at + HOUR).await.unwrap();
        assert_eq!(soon.delay, None);
        let silent_at = s.shipped_at + tracking::MAX_SILENCE_SECS + 2 * HOUR;
        let silent = shipping::track(&*app.store, &viewer, n, silent_at).await.unwrap();
        assert_eq!(silent.delay, Some(Delay::NoScanFor { hours: 38 }));
        let late = shipping::track(&*app.store, &viewer, n, s.window_end + 60).await.unwrap();
        assert_eq!(late.delay, Some(Delay::PastWindow));
        // The customer's bell counts the alert, and the centre shows it first.
        let list = shipping::notifications(&*app.store, a.id, s.window_end + 60).await.unwrap();
        assert_eq!(list.items[0].delay, Some(Delay::PastWindow));
        assert_eq!(list.items[0].order_number, n);
        let with_alert = shipping::unread_count(&*app.store, a.id, s.window_end + 60).await.unwrap();
        let without = shipping::unread_count(&*app.store, a.id, s.shipped_at + HOUR).await.unwrap();
        assert_eq!(with_alert, without + 1);
        // The page shows the alert to assistive technology.
        exec(app, &format!("UPDATE shipments SET window_end = {}, window_start = {}", now() - 60, now() - 7200)).await;
        let (status, _, html) = app.request(get(&format!("/orders/{n}/tracking"), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("role=\"alert\"") && html.contains("data-testid=\"delay-alert\""), "an alert");
        // The header's bell over HTTP counts the alert too: the session's facts say a parcel
        // is on its way, so its tracking is read.
        let (_, _, count) = app.request(get("/api/notifications/count", Some(&a.cookie))).await;
        let expected = shipping::unread_count(&*app.store, a.id, now()).await.unwrap();
        let events = app.store.unread_notifications(a.id).await.unwrap();
        assert_eq!(count.trim(), expected.to_string());
        assert_eq!(expected, events + 1, "the unread events and one delay alert");
        // Delivered: no longer late.
        let body = carrier_event(&s.tracking_number, "evt-d", "delivered", now() - 5);
        let (_, _, text) = app.request(signed_post(&format!("/webhooks/carrier/{SIMULATED_CARRIER}"), &body, sign(&body))).await;
        assert!(text.contains("\"applied\""), "{text}");
        let after = shipping::track(&*app.store, &viewer, n, now()).await.unwrap();
        assert_eq!(after.delay, None);
    }

    async fn access_control_matrix(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let a = member(app, "alice", Role::Customer).await;
        let b = member(app, "bob", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let admin = member(app, "admin", Role::Admin).await;
        // A's parcel: placed with a contact email, a name and a city found nowhere else in
        // the shop, and shipped, so it has a tracking number. A's second order waits for the
        // staff rows to pack and ship it.
        let parcel = place_http_as(app, &a.cookie, &HttpOrder {
            code: &codes[0], quantity: 1, key: "track-m-0000001", card: GOOD,
            email: "quill.parcelworth@example.net", full_name: "Quentin Parcelworth", city: "Quillonbury",
        }).await;
        assert_eq!(parcel.state, OrderState::Paid);
        dispatch(app, agent.id, &parcel.number, 1.0).await;
        let waiting = place_http(app, &a.cookie, &codes[0], 1, "track-m-0000002").await;
        let (p, w) = (parcel.number.as_str(), waiting.number.as_str());

        // What must not leak, as the shop stored it (not as this test typed it).
        let stored = app.store.order_by_number(p).await.unwrap().unwrap();
        let contact = stored.email.clone().expect("a contact email");
        let name = app.store.order_extras(stored.id).await.unwrap().unwrap().address.full_name;
        let tracking_number = shipment(app, p).await.tracking_number;
        assert_eq!((contact.as_str(), name.as_str()), ("quill.parcelworth@example.net", "Quentin Parcelworth"));
        assert_ne!(contact, a.email, "the order's contact is not the account's email");
        const CONTACT: &str = "contact email";
        const NAME: &str = "name";
        const PARCEL: &str = "tracking number";
        const ORDER: &str = "order number";
        const WAITING: &str = "other order number";
        let secrets: [(&str, &str); 5] = [(CONTACT, &contact), (NAME, &name), (PARCEL, &tracking_number), (ORDER, p), (WAITING, w)];

        type Check = (&'static str, String, Option<String>, [u16; 5], &'static [&'static str], &'static [&'static str]);
        // (label, path, form body for POST, statuses for anonymous, A, B, agent, admin,
        // then which secrets A's answer and the staff's answers must show: the positive
        // control that the leak check looks for something that is really there).
        // Staff rows run agent before admin: the admin's repeat is a no-op, still 200.
        let checks: Vec<Check> = vec![
            ("A's tracking", format!("/api/orders/tracking?number={p}"), None, [404, 200, 404, 200, 200], &[PARCEL, ORDER], &[PARCEL, ORDER]),
            ("A's tracking page", format!("/orders/{p}/tracking"), None, [404, 200, 404, 200, 200], &[PARCEL, ORDER], &[PARCEL, ORDER]),
            ("A's order, linked from its tracking", format!("/api/orders/detail?number={p}"), None, [404, 200, 404, 200, 200], &[CONTACT, NAME, ORDER], &[CONTACT, NAME, ORDER]),
            ("A's order page", format!("/orders/{p}"), None, [404, 200, 404, 200, 200], &[NAME, ORDER], &[NAME, ORDER]),
            ("guest tracking, wrong email", "/api/track".into(), Some(format!("number={p}&email=nobody%40example.com")), [404, 404, 404, 404, 404], &[], &[]),
            ("notifications", "/api/notifications".into(), None, [401, 200, 200, 200, 200], &[ORDER, WAITING], &[]),
            ("notification count", "/api/notifications/count".into(), None, [200, 200, 200, 200, 200], &[], &[]),
            ("notifications page", "/account/notifications".into(), None, [401, 200, 200, 200, 200], &[ORDER, WAITING], &[]),
            ("mark notifications read", "/api/notifications/read".into(), Some(String::new()), [401, 200, 200, 200, 200], &[], &[]),
            ("dispatch list", "/api/staff/dispatch".into(), None, [401, 403, 403, 200, 200], &[], &[WAITING]),
            ("dispatch page", "/staff/orders".into(), None, [401, 403, 403, 200, 200], &[], &[WAITING]),
            ("pack A's order", "/api/staff/pack".into(), Some(format!("number={w}")), [401, 403, 403, 200, 200], &[], &[WAITING]),
            ("ship A's order", "/api/staff/ship".into(), Some(format!("number={w}")), [401, 403, 403, 200, 200], &[], &[WAITING]),
        ];
        let actors: [(&str, Option<&str>); 5] = [
            ("anonymous", None),
            ("customer A", Some(&a.cookie)),
            ("customer B", Some(&b.cookie)),
            ("agent", Some(&agent.cookie)),
            ("admin", Some(&admin.cookie)),
        ];
        let mut table = String::from("| route | anonymous | customer A | customer B | agent | admin |\n|---|---|---|---|---|---|\n");
        for (label, path, body, want, a_sees, staff_sees) in &checks {
            let route = path.split('?').next().unwrap().replace(p, ":number");
            let mut row = format!("| {label} `{route}` |");
            for (i, (actor, cookie)) in actors.iter().enumerate() {
                let req = match body {
                    Some(body) => form(path, body, *cookie),
                    None => get(path, *cookie),
                };
                let (status, _, text) = app.request(req).await;
                let asked = format!("{path} {}", body.as_deref().unwrap_or(""));
                // Anonymous and B get nothing of A's, whatever the status; nor does any
                // refusal. An order number they typed themselves may be echoed back.
                if i == 0 || i == 2 || !status.is_success() {
                    for (what, secret) in &secrets {
                        let typed = (*what == ORDER || *what == WAITING) && asked.contains(secret);
                        assert!(typed || !text.contains(secret), "{label}: {actor}'s answer ({status}) holds A's {what} {secret}");
                    }
                }
                // The positive control: what the owner and the staff are shown is there.
                let sees: &[&str] = match i { 1 => a_sees, 3 | 4 => staff_sees, _ => &[] };
                for what in sees {
                    let (_, secret) = secrets.iter().find(|(w, _)| w == what).unwrap();
                    assert!(text.contains(secret), "{label}: {actor}'s answer ({status}) does not show the {what} {secret}: {}", &text[..text.len().min(300)]);
                }
                assert_eq!(status.as_u16(), want[i], "{label} as {actor}: {}", &text[..text.len().min(300)]);
                if label.starts_with("pack") || label.starts_with("ship") {
                    let expected = match (label.starts_with("pack"), i < 3) {
                        (true, true) => OrderState::Paid,
                        (true, false) | (false, true) => OrderState::Packed,
                        (false, false) => OrderState::Shipped,
                    };
                    assert_eq!(state_of(app, w).await, expected, "{label} as {actor}");
                }
                row.push_str(&format!(" {} |", status.as_u16()));
            }
            table.push_str(&row);
            table.push('\n');
        }
        println!("{table}");
        // A's parcel is as it was.
        assert_eq!(state_of(app, p).await, OrderState::Shipped);
        assert_eq!(shipment(app, p).await.tracking_number, tracking_number);
    }
}
