//! The privacy centre's two promises about orders (issue 10), on both backends through the
//! real router: deleting an account leaves its orders for the accounts without the name,
//! email, addresses or phone (anywhere in the database, in any letter case), and the data
//! export holds each order's contact and address, payments, shipment and scans, and the
//! notifications.

use axum::http::StatusCode;

use crate::support::shop::*;
use crate::support::{Backend, TestApp};
use app::accounts::model::{AddressInput, Role};
use app::accounts::session::{self, RequestIdentity};
use app::checkout::model::{CheckoutStarted, PlacedOrder};
use app::orders::port::StoredShipment;
use app::orders::shipping;
use app::orders::state::OrderState;
use app::orders::tracking::{self, Scan, ScanKind};
use app::state::{now, ShippingConfig};
use server::payments::simulated::test_token;

/// Who places the orders of a test, with values found nowhere else in the database.
struct Person {
    name: &'static str,
    email: String,
    line1: &'static str,
    line2: &'static str,
    city: &'static str,
    postcode: &'static str,
    phone: &'static str,
}

/// A member whose account name is `person.name`, signed in.
async fn account_of(app: &TestApp, person: &Person) -> Member {
    let id = app::accounts::service::provision(
        &*app.store,
        &person.email,
        person.name,
        PASSWORD,
        Role::Customer,
        None,
        now(),
    )
    .await
    .expect("provision");
    let signed = app::accounts::service::sign_in(
        &*app.store,
        &RequestIdentity::default(),
        &person.email,
        PASSWORD,
        now(),
    )
    .await
    .expect("sign in");
    Member {
        id,
        email: person.email.clone(),
        cookie: format!("{}={}", session::COOKIE_NAME, signed.token),
    }
}

/// Place an order over HTTP (the app's own payment provider), delivered to `to`, whose
/// contact email is `email` (empty: the account's).
async fn place_for(
    app: &TestApp,
    cookie: &str,
    code: &str,
    key: &str,
    to: &Person,
    email: &str,
) -> PlacedOrder {
    let (status, _, text) = app
        .request(form(
            "/api/cart/add",
            &format!("code={code}&quantity=1"),
            Some(cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _, text) = app
        .request(form("/api/checkout/start", "", Some(cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let started: CheckoutStarted = serde_json::from_str(&text).unwrap();
    let body = format!(
        "order[idempotency_key]={key}&order[checkout_token]={}&order[email]={}&order[address][full_name]={}&order[address][line1]={}&order[address][line2]={}&order[address][city]={}\
         &order[address][postcode]={}&order[address][country]=GB&order[address][phone]={}&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]={}",
        enc(&started.checkout_token),
        enc(email),
        enc(to.name),
        enc(to.line1),
        enc(to.line2),
        enc(to.city),
        enc(to.postcode),
        enc(to.phone),
        enc(&test_token(GOOD))
    );
    let (status, _, text) = app
        .request(form("/api/checkout/place", &body, Some(cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let placed: PlacedOrder = serde_json::from_str(&text).unwrap();
    assert_eq!(placed.state, OrderState::Paid);
    placed
}

/// Pack and ship `number` as `staff_id`, then let the simulated carrier make every scan
/// of its journey (delivered). Returns the shipment.
async fn ship_and_deliver(app: &TestApp, staff_id: i64, number: &str) -> StoredShipment {
    shipping::pack(&*app.store, staff_id, number, now())
        .await
        .unwrap();
    let gateway = server::payments::simulated::SimulatedGateway::new();
    let config = ShippingConfig {
        carrier_speed: 3600.0,
    };
    shipping::ship(&*app.store, &gateway, &config, staff_id, number, now())
        .await
        .unwrap();
    let order = app.store.order_by_number(number).await.unwrap().unwrap();
    let s = app
        .store
        .shipment_of_order(order.id)
        .await
        .unwrap()
        .unwrap();
    let plan = tracking::simulated_scans(
        s.shipped_at,
        s.window_start,
        s.window_end,
        s.speed,
        &s.depot,
    );
    let end = plan.last().unwrap().at;
    shipping::advance_simulated(&*app.store, &s, end + 1)
        .await
        .unwrap();
    s
}

/// Every `table.column` (any type, read as text) holding one of `needles`, ignoring letter
/// case: tables and columns from `sqlite_master` / `pragma_table_info` or
/// `information_schema.columns`, matched with `lower(..) LIKE lower(..)` / `ILIKE`. The
/// migrations' own table (`_sqlx_migrations`) is left out.
async fn scan_ignoring_case(app: &TestApp, needles: &[&str]) -> Vec<String> {
    use sqlx::Row;
    let mut leaks = Vec::new();
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            let cols = sqlx::query(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE '\\_%' ESCAPE '\\'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            assert!(cols.len() > 50, "the scan sees the tables");
            for c in cols {
                let (t, col): (String, String) = (c.get(0), c.get(1));
                let sql = format!(
                    "SELECT COUNT(*) FROM \"{t}\" WHERE lower(CAST(\"{col}\" AS TEXT)) LIKE lower($1)"
                );
                for n in needles {
                    let hits: i64 = sqlx::query_scalar(&sql)
                        .bind(format!("%{n}%"))
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                    if hits > 0 {
                        leaks.push(format!("{t}.{col} has {n:?} ({hits} rows)"));
                    }
                }
            }
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            let cols = sqlx::query(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            assert!(cols.len() > 50, "the scan sees the tables");
            for c in cols {
                let (t, col): (String, String) = (c.get(0), c.get(1));
                let sql =
                    format!("SELECT COUNT(*) FROM \"{t}\" WHERE CAST(\"{col}\" AS TEXT) ILIKE $1");
                for n in needles {
                    let hits: i64 = sqlx::query_scalar(&sql)
                        .bind(format!("%{n}%"))
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                    if hits > 0 {
                        leaks.push(format!("{t}.{col} has {n:?} ({hits} rows)"));
                    }
                }
            }
            pool.close().await;
        }
    }
    leaks
}

fn zebedee() -> Person {
    Person {
        name: "Zebedee Quuxley",
        email: format!("zebedee.erase{}@example.com", std::process::id()),
        line1: "77 Unforgettable Road",
        line2: "Flat Yarrowby",
        city: "Quuxhampton",
        postcode: "QX9 7ZZ",
        phone: "07700 900123",
    }
}

on_both_backends! {
    async fn erasure_pseudonymises_orders_shipments_events_and_keys(app: TestApp) {
        let codes = products(app, 2, 50).await;
        let z = zebedee();
        let a = account_of(app, &z).await;
        let agent = member(app, "agent", Role::Agent).await;
        // Someone else's order must keep its delivery details.
        let other = Person { name: "Olwen Keepsake", email: "olwen.keep@example.com".into(), line1: "3 Remain Row", line2: "", city: "Staybridge", postcode: "ST1 1AA", phone: "" };
        let b = member(app, "keeper", Role::Customer).await;
        let kept = place_for(app, &b.cookie, &codes[0], "privacy-keep-000001", &other, &other.email).await;

        // Two orders: one to the account's email, one to another contact address (in
        // capitals, as someone might type it); one saved to the address book.
        let user = session::user_of(&app.store.account_by_id(a.id).await.unwrap().unwrap());
        app::accounts::service::save_address(&*app.store, &user, None, &AddressInput {
            full_name: z.name.into(), line1: z.line1.into(), line2: z.line2.into(), city: z.city.into(),
            postcode: z.postcode.into(), country: "GB".into(), phone: z.phone.into(), make_default: true,
        }, now()).await.unwrap();
        let contact = "Zeb.Contact.Erase@Example.com";
        let first = place_for(app, &a.cookie, &codes[0], "privacy-erase-00001", &z, "").await;
        let second = place_for(app, &a.cookie, &codes[1], "privacy-erase-00002", &z, contact).await;
        // The first travels: depot and scans name the city; a real carrier's scan names it
        // in capitals with the postcode.
        let s = ship_and_deliver(app, agent.id, &first.number).await;
        assert!(s.depot.contains(z.city), "{}", s.depot);
        let scan = Scan { at: s.shipped_at + 10, kind: ScanKind::AtHub, location: format!("{} SORTING, {}", z.city.to_uppercase(), z.postcode) };
        shipping::carrier_event(&*app.store, &s.carrier, &s.tracking_number, "privacy-real-scan", &scan, now()).await.unwrap();
        // A checkout started and not finished holds a reservation in the account's name.
        app.request(form("/api/cart/add", &format!("code={}&quantity=1", codes[1]), Some(&a.cookie))).await;
        let (status, _, _) = app.request(form("/api/checkout/start", "", Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);

        // Before: guest tracking finds the second order by its contact email.
        let track = |email: &str, number: &str| form("/api/track", &format!("number={number}&email={}", enc(email)), None);
        let (status, _, text) = app.request(track(contact, &second.number)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let personal_before = scan_ignoring_case(app, &[&a.email, contact, z.city, z.postcode, z.line1, z.phone]).await;
        assert!(!personal_before.is_empty(), "the scan finds what is there");
        let orders_before = app.store.orders_of(a.id).await.unwrap();
        assert_eq!(orders_before.len(), 2);
        let events_before = scalar(app, "SELECT COUNT(*) FROM order_events").await;

        let (status, _, text) = app.request(form("/api/privacy/delete-account", &format!("password={}", enc(PASSWORD)), Some(&a.cookie))).await;
        assert!(status.is_success() || status.is_redirection(), "{status} {text}");

        // Nothing personal is left anywhere, in any letter case.
        let owner = format!("a:{}", a.id);
        let actor = format!("customer:{}", a.id);
        let needles = [a.email.as_str(), contact, "Zebedee", "Quuxley", z.line1, z.line2, z.city, z.postcode, z.phone, owner.as_str(), actor.as_str()];
        let leaks = scan_ignoring_case(app, &needles).await;
        assert!(leaks.is_empty(), "personal data left behind: {leaks:?}");

        // Guest tracking with the erased email answers as for an unknown order.
        let (status, _, gone) = app.request(track(contact, &second.number)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
        let (status, _, unknown) = app.request(track(contact, "EMNOSUCHORDER")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(gone, unknown);
        let (status, _, _) = app.request(track(&a.email, &first.number)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // What the accounts need stays: amounts, dates, lines, country, payments, history.
        assert_eq!(app.store.orders_of(a.id).await.unwrap(), orders_before);
        for placed in [&first, &second] {
            let o = app.store.order_by_number(&placed.number).await.unwrap().unwrap();
            assert_eq!(o.email, None);
            assert_eq!(o.total_minor, placed.total_minor);
            let extras = app.store.order_extras(o.id).await.unwrap().unwrap();
            assert_eq!(extras.address.country, "GB");
            assert!(extras.address.city.is_empty() && extras.address.full_name.is_empty());
            let payments = app.store.payments_of(o.id).await.unwrap();
            assert!(payments.iter().any(|p| p.amount_minor == placed.total_minor), "{payments:?}");
        }
        assert_eq!(scalar(app, "SELECT COUNT(*) FROM order_events").await, events_before);
        let o = app.store.order_by_number(&first.number).await.unwrap().unwrap();
        assert_eq!(app.store.scans_of(s.id).await.unwrap().len(), tracking::simulated_scans(s.shipped_at, s.window_start, s.window_end, s.speed, &s.depot).len() + 1, "scans stay, without the city");
        assert_eq!(app.store.shipment_of_order(o.id).await.unwrap().unwrap().tracking_number, s.tracking_number);

        // The other customer's order is untouched and still tracks.
        let kept_order = app.store.order_by_number(&kept.number).await.unwrap().unwrap();
        assert_eq!(kept_order.email.as_deref(), Some(other.email.as_str()));
        assert_eq!(app.store.order_extras(kept_order.id).await.unwrap().unwrap().address.city, other.city);
        let (status, _, text) = app.request(track(&other.email, &kept.number)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
    }

    async fn export_holds_each_orders_contact_address_payments_shipment_and_notifications(app: TestApp) {
        let codes = products(app, 2, 50).await;
        let m = member(app, "exporter", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let other = member(app, "stranger", Role::Customer).await;
        let first = place_http(app, &m.cookie, &codes[0], 2, "privacy-export-0001").await;
        let second = place_http(app, &m.cookie, &codes[1], 1, "privacy-export-0002").await;
        let theirs = place_http(app, &other.cookie, &codes[0], 1, "privacy-export-0003").await;
        let s = ship_and_deliver(app, agent.id, &first.number).await;
        let scans = app.store.scans_of(s.id).await.unwrap();
        assert!(!scans.is_empty());

        let (status, _, export) = app.request(get("/account/export.json", Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&export).unwrap();
        let orders = json["orders"].as_array().unwrap();
        assert_eq!(orders.len(), 2, "{export}");
        assert!(!export.contains(&theirs.number), "nothing of another member's orders");
        for (o, placed) in orders.iter().zip([&first, &second]) {
            assert_eq!(o["number"], placed.number.as_str());
            // The contact and the delivery address given at checkout.
            assert_eq!(o["email"], "shopper@example.com", "{o}");
            let to = &o["delivery_address"];
            assert_eq!(to["full_name"], "Alice Orders", "{o}");
            assert_eq!(to["line1"], "1 High Street");
            assert_eq!(to["city"], "London");
            assert_eq!(to["postcode"], "SW1A 1AA");
            assert_eq!(to["country"], "GB");
            assert_eq!(o["delivery_option"], "standard");
            // Its payments.
            let payments = o["payments"].as_array().unwrap();
            assert!(!payments.is_empty(), "{o}");
            assert_eq!(payments.last().unwrap()["amount_minor"], placed.total_minor);
            assert_eq!(payments.last().unwrap()["method"], "card");
            assert!(payments.last().unwrap()["status"].is_string());
            assert!(o["history"].as_array().is_some_and(|h| !h.is_empty()), "{o}");
        }
        // The shipment of the first, with every scan; the second has none yet.
        let shipment = &orders[0]["shipment"];
        assert_eq!(shipment["tracking_number"], s.tracking_number.as_str(), "{}", orders[0]);
        assert_eq!(shipment["carrier"], s.carrier.as_str());
        assert!(shipment["delivered_at"].is_i64());
        let exported_scans = shipment["scans"].as_array().unwrap();
        assert_eq!(exported_scans.len(), scans.len());
        assert!(exported_scans.iter().any(|x| x["location"] == "London delivery office"), "{shipment}");
        assert!(exported_scans.iter().all(|x| x["kind"].is_string() && x["at"].is_i64()));
        assert!(orders[1]["shipment"].is_null());
        // The notifications: the shop's and the carrier's changes to the first order.
        let notifications = json["notifications"].as_array().unwrap();
        assert!(!notifications.is_empty(), "{export}");
        assert!(notifications.iter().all(|n| n["order_number"] != theirs.number.as_str()), "{notifications:?}");
        for state in ["packed", "shipped", "delivered"] {
            assert!(notifications.iter().any(|n| n["order_number"] == first.number.as_str() && n["to_state"] == state), "{state}: {notifications:?}");
        }
        assert!(notifications.iter().all(|n| n["read"] == false));
        assert!(!export.contains("argon2"), "no password hash in the export");
    }
}
