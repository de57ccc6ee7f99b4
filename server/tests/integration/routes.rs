//! Who may call what, for every route the shop serves, generated from the router itself:
//! the Leptos page routes (`server::router::route_list`), every server function
//! (`server_fn_paths`) and the router's own axum routes (`server::router::OWN_ROUTES`).
//! A route without a row in [`ROWS`], or a row for a route that is gone, fails
//! `every_route_has_a_row`; `who_may_call_what` makes each row's request as an anonymous
//! visitor, a customer, an agent and an administrator and checks each status.
//!
//! Owner checks (customer B asking for customer A's data) are in the domain matrices
//! (`accounts::access_control_matrix`, `orders::...`, `tracking::...`); this one pins the
//! role boundary of every route, so a new route is never left without one.

use std::collections::BTreeSet;

use app::accounts::model::Role;
use server::payments::simulated::test_token;

use crate::support::shop::{enc, form, get, member, place_http, products, GOOD};

/// What a row's request needs from the test's data.
struct Ctx {
    /// A product in stock.
    code: String,
    /// An order of the customer's (paid, not yet shipped).
    number: String,
}

/// The request of a row: its path (with a query) and, for a POST, its form body.
type Sample = fn(&Ctx) -> (String, Option<String>);

/// A route, the request that stands for it, and the status each of anonymous, customer,
/// agent and administrator gets.
struct Row {
    route: &'static str,
    sample: Sample,
    want: [u16; 4],
}

const fn row(route: &'static str, sample: Sample, want: [u16; 4]) -> Row {
    Row {
        route,
        sample,
        want,
    }
}

fn at(path: &str) -> (String, Option<String>) {
    (path.to_string(), None)
}

fn post(path: &str, body: &str) -> (String, Option<String>) {
    (path.to_string(), Some(body.to_string()))
}

const ANYONE: [u16; 4] = [200, 200, 200, 200];
/// A member's own data or action: anonymous visitors are asked to sign in.
const MEMBERS: [u16; 4] = [401, 200, 200, 200];
const STAFF: [u16; 4] = [401, 403, 200, 200];
/// An order: its owner and staff see it; to anyone else there is no such order (guests
/// own orders too, so a visitor without a session is told 404, not 401).
const OWNER_OR_STAFF: [u16; 4] = [404, 200, 200, 200];
/// Changing an order: its owner only (staff are refused, anyone else finds no order).
const OWNER_ONLY: [u16; 4] = [404, 200, 403, 403];

/// Every route. Rows that end sessions come last (they sign the actors out).
#[rustfmt::skip]
const ROWS: &[Row] = &[
    // Pages: the storefront.
    row("/", |_| at("/"), ANYONE),
    row("/c/{slug}", |_| at("/c/kitchen"), ANYONE),
    row("/p/{code}", |c| at(&format!("/p/{}", c.code)), ANYONE),
    row("/search", |_| at("/search?q=mug"), ANYONE),
    row("/favourites", |_| at("/favourites"), ANYONE),
    row("/cart", |_| at("/cart"), ANYONE),
    row("/checkout", |_| at("/checkout"), ANYONE),
    row("/privacy", |_| at("/privacy"), ANYONE),
    row("/signin", |_| at("/signin"), ANYONE),
    row("/signup", |_| at("/signup"), ANYONE),
    row("/track", |_| at("/track"), ANYONE),
    // Pages: a member's own.
    row("/account", |_| at("/account"), MEMBERS),
    row("/account/addresses", |_| at("/account/addresses"), MEMBERS),
    row("/account/devices", |_| at("/account/devices"), MEMBERS),
    row("/account/privacy", |_| at("/account/privacy"), MEMBERS),
    row("/account/orders", |_| at("/account/orders"), MEMBERS),
    row("/account/notifications", |_| at("/account/notifications"), MEMBERS),
    // An order's pages.
    row("/orders/{number}", |c| at(&format!("/orders/{}", c.number)), OWNER_OR_STAFF),
    row("/orders/{number}/invoice", |c| at(&format!("/orders/{}/invoice", c.number)), OWNER_OR_STAFF),
    row("/orders/{number}/tracking", |c| at(&format!("/orders/{}/tracking", c.number)), OWNER_OR_STAFF),
    // Paying again is the buyer's alone. A visitor without a session gets 400 (no buyer at
    // all; a known gap, see issue 10's closing note).
    row("/checkout/pay/{number}", |c| at(&format!("/checkout/pay/{}", c.number)), [400, 200, 404, 404]),
    // Pages: staff.
    row("/staff", |_| at("/staff"), STAFF),
    row("/staff/orders", |_| at("/staff/orders"), STAFF),
    // Server functions: the catalogue, open to all.
    row("/api/home_feeds", |_| at("/api/home_feeds"), ANYONE),
    row("/api/product", |c| at(&format!("/api/product?code={}", c.code)), ANYONE),
    row("/api/products", |_| at("/api/products?query[category]=kitchen&query[sort]=Popular&query[in_stock_only]=false&query[page]=1"), ANYONE),
    row("/api/products_by_codes", |c| post("/api/products_by_codes", &format!("codes[0]={}", c.code)), ANYONE),
    row("/api/search", |_| at("/api/search?request[query]=mug"), ANYONE),
    row("/api/suggest", |_| at("/api/suggest?prefix=mu"), ANYONE),
    // Server functions: carts belong to a session (a guest's first change starts one).
    row("/api/cart", |_| at("/api/cart"), ANYONE),
    row("/api/cart/add", |c| post("/api/cart/add", &format!("code={}&quantity=1", c.code)), ANYONE),
    row("/api/cart/set", |c| post("/api/cart/set", &format!("code={}&quantity=1", c.code)), ANYONE),
    row("/api/cart/save", |c| post("/api/cart/save", &format!("code={}", c.code)), ANYONE),
    row("/api/cart/move", |c| post("/api/cart/move", &format!("code={}", c.code)), ANYONE),
    // Checkout: the basket of whoever asks; a visitor without a session has none.
    row("/api/checkout/start", |_| post("/api/checkout/start", ""), [400, 200, 200, 200]),
    row("/api/checkout/quote", |_| at("/api/checkout/quote?delivery_option=standard"), [400, 200, 200, 200]),
    // The customer's basket (filled by the cart rows above) becomes an order; the same
    // order request from anyone else is refused as already used.
    row("/api/checkout/place", |_| post("/api/checkout/place", &place_body()), [400, 200, 409, 409]),
    // Paying again for a paid order answers with the order; it is nobody else's.
    row("/api/checkout/retry", |c| post("/api/checkout/retry", &format!("number={}&payment_method=card&payment_token={}", c.number, enc(&test_token(GOOD)))), [400, 200, 404, 404]),
    row("/api/checkout/confirm", |c| post("/api/checkout/confirm", &format!("number={}", c.number)), [400, 200, 404, 404]),
    // Guest tracking: number and email must match (and guesses are throttled).
    row("/api/track", |c| post("/api/track", &format!("number={}&email=nobody%40example.com", c.number)), [404, 404, 404, 404]),
    // Server functions: a member's own.
    row("/api/account/me", |_| at("/api/account/me"), ANYONE),
    row("/api/account/addresses", |_| at("/api/account/addresses"), MEMBERS),
    row("/api/account/addresses/save", |_| post("/api/account/addresses/save", "address[full_name]=&address[line1]=&address[line2]=&address[city]=&address[postcode]=&address[country]=GB&address[phone]=&address[make_default]=false"), [401, 400, 400, 400]),
    row("/api/account/addresses/default", |_| post("/api/account/addresses/default", "id=999999"), [401, 404, 404, 404]),
    row("/api/account/addresses/delete", |_| post("/api/account/addresses/delete", "id=999999"), [401, 404, 404, 404]),
    row("/api/account/devices", |_| at("/api/account/devices"), MEMBERS),
    row("/api/account/name", |_| post("/api/account/name", "name=Renamed"), MEMBERS),
    row("/api/account/password", |_| post("/api/account/password", "current=not-the-password&new_password=another-long-one"), [401, 400, 400, 400]),
    row("/api/favourites", |_| at("/api/favourites"), MEMBERS),
    row("/api/favourites/add", |c| post("/api/favourites/add", &format!("codes[0]={}", c.code)), MEMBERS),
    row("/api/favourites/remove", |c| post("/api/favourites/remove", &format!("code={}", c.code)), MEMBERS),
    row("/api/privacy/consents", |_| at("/api/privacy/consents"), MEMBERS),
    row("/api/privacy/consents/set", |_| post("/api/privacy/consents/set", "purpose=Analytics&granted=false"), MEMBERS),
    row("/api/privacy/delete-account", |_| post("/api/privacy/delete-account", "password=not-the-password"), [401, 400, 400, 400]),
    row("/api/orders/history", |_| at("/api/orders/history"), MEMBERS),
    row("/api/orders/detail", |c| at(&format!("/api/orders/detail?number={}", c.number)), OWNER_OR_STAFF),
    row("/api/orders/invoice", |c| at(&format!("/api/orders/invoice?number={}", c.number)), OWNER_OR_STAFF),
    row("/api/orders/tracking", |c| at(&format!("/api/orders/tracking?number={}", c.number)), OWNER_OR_STAFF),
    row("/api/orders/reorder", |c| post("/api/orders/reorder", &format!("number={}", c.number)), OWNER_ONLY),
    row("/api/notifications", |_| at("/api/notifications"), MEMBERS),
    row("/api/notifications/count", |_| at("/api/notifications/count"), ANYONE),
    // Marking a notification read is idempotent: one that is not the member's changes nothing.
    row("/api/notifications/read", |_| post("/api/notifications/read", "id=999999"), MEMBERS),
    // Server functions: staff and administrators.
    row("/api/staff/customers", |_| at("/api/staff/customers?q=alice"), STAFF),
    row("/api/staff/dispatch", |_| at("/api/staff/dispatch"), STAFF),
    row("/api/staff/pack", |_| post("/api/staff/pack", "number=EMNOSUCH"), [401, 403, 404, 404]),
    row("/api/staff/ship", |_| post("/api/staff/ship", "number=EMNOSUCH&carrier=royal-mail&tracking_number=X"), [401, 403, 404, 404]),
    row("/api/admin/role", |_| post("/api/admin/role", "id=999999&role=Customer"), [401, 403, 403, 404]),
    // Signing up and in: open to all, refused on bad input.
    row("/api/account/sign-up", |_| post("/api/account/sign-up", "email=not-an-email&name=X&password=short"), [400, 400, 400, 400]),
    row("/api/account/sign-in", |_| post("/api/account/sign-in", "email=nobody%40example.com&password=wrong-password"), [401, 401, 401, 401]),
    // Last: cancelling the order, and the rows that end sessions.
    row("/api/orders/cancel", |c| post("/api/orders/cancel", &format!("number={}", c.number)), OWNER_ONLY),
    row("/api/account/devices/sign-out", |_| post("/api/account/devices/sign-out", "id=no-such-device"), [401, 404, 404, 404]),
    row("/api/account/devices/sign-out-all", |_| post("/api/account/devices/sign-out-all", ""), MEMBERS),
    row("/api/account/sign-out", |_| post("/api/account/sign-out", ""), ANYONE),
];

fn place_body() -> String {
    // A checkout token that was never issued.
    format!(
        "order[idempotency_key]=routes-place-00001&order[checkout_token]=no-such-checkout&order[email]=a%40example.com&order[address][full_name]=A&order[address][line1]=1%20High%20St\
         &order[address][city]=London&order[address][postcode]=SW1A%201AA&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]={}",
        enc(&test_token(GOOD))
    )
}

/// `/orders/:number` and `/orders/{number}` both as `/orders/{}`.
fn shape(route: &str) -> String {
    route
        .split('/')
        .map(|s| {
            if s.starts_with(':') || s.starts_with('{') || s.starts_with('*') {
                "{}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every route the router serves, by shape.
fn served_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    for page in server::router::route_list() {
        routes.insert(shape(page.path()));
    }
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        routes.insert(shape(path));
    }
    for path in server::router::own_route_paths() {
        routes.insert(shape(path));
    }
    routes
}

#[tokio::test]
async fn every_route_has_a_row() {
    let served = served_routes();
    let rows: BTreeSet<String> = ROWS.iter().map(|r| shape(r.route)).collect();
    let exempt: BTreeSet<String> = EXEMPT.iter().map(|(r, _)| shape(r)).collect();
    let missing: Vec<_> = served
        .iter()
        .filter(|r| !rows.contains(*r) && !exempt.contains(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in routes::ROWS (say who may call them): {missing:?}"
    );
    let stale: Vec<_> = rows
        .iter()
        .chain(&exempt)
        .filter(|r| !served.contains(*r))
        .collect();
    assert!(
        stale.is_empty(),
        "rows for routes the router does not serve: {stale:?}"
    );
    assert_eq!(rows.len(), ROWS.len(), "one row per route");
}

/// Routes that are not the shop's to guard by role, with the test that covers them.
const EXEMPT: &[(&str, &str)] = &[
    (
        "/account/export.json",
        "accounts::access_control_matrix (303 to sign in, own data only)",
    ),
    (
        "/img/p/{file}",
        "storefront: generated product images, public",
    ),
    ("/prefs", "hardening: language and theme cookies, public"),
    ("/pkg", "static build outputs"),
    (
        "/pay/sim/tokens",
        "checkout: the simulated provider's card form, as a provider's own page",
    ),
    (
        "/pay/sim/3ds/{provider_ref}",
        "payments: the provider's 3-D Secure page, reached by its unguessable reference",
    ),
    (
        "/pay/sim/wallet/{provider_ref}",
        "payments: the provider's wallet page, by its reference",
    ),
    (
        "/pay/sim/wallet/{provider_ref}/{decision}",
        "payments: the wallet's decision, by its reference",
    ),
    (
        "/webhooks/payments",
        "payments: signed webhooks (unsigned ones refused)",
    ),
    (
        "/webhooks/carrier/{carrier}",
        "tracking: signed carrier webhooks",
    ),
];

on_both_backends! {
    async fn who_may_call_what(app: TestApp) {
        let customer = member(app, "routes-customer", Role::Customer).await;
        let agent = member(app, "routes-agent", Role::Agent).await;
        let admin = member(app, "routes-admin", Role::Admin).await;
        let codes = products(app, 1, 50).await;
        let placed = place_http(app, &customer.cookie, &codes[0], 1, "routes-order-0001").await;
        let ctx = Ctx { code: codes[0].clone(), number: placed.number.clone() };
        let actors = [("anonymous", None), ("customer", Some(customer.cookie.as_str())), ("agent", Some(agent.cookie.as_str())), ("admin", Some(admin.cookie.as_str()))];
        let mut wrong = Vec::new();
        for r in ROWS {
            let (path, body) = (r.sample)(&ctx);
            for (i, (actor, cookie)) in actors.iter().enumerate() {
                let req = match &body {
                    Some(body) => form(&path, body, *cookie),
                    None => get(&path, *cookie),
                };
                let (status, _, text) = app.request(req).await;
                if status.as_u16() != r.want[i] {
                    wrong.push(format!("{} as {actor}: {} (want {}): {}", r.route, status.as_u16(), r.want[i], text.chars().take(160).collect::<String>()));
                }
            }
        }
        assert!(wrong.is_empty(), "{} wrong statuses:\n{}", wrong.len(), wrong.join("\n"));
    }
}
