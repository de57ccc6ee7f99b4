//! Shop helpers shared by the order-side integration tests (orders, tracking): members
//! with a session, products with known stock, orders placed through the checkout service
//! or over HTTP, and requests as a browser on the shop's own pages sends them.

use app::cart::model::CartOwner;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};

use app::accounts::model::{AddressInput, Role};
use app::accounts::session::{self, RequestIdentity};
use app::checkout::model::PlaceOrderRequest;
use app::checkout::model::{CheckoutStarted, PlacedOrder};
use app::checkout::service::{self as checkout, Buyer};
use app::error::{AppError, Refusal};
use app::orders::service::Viewer;
use app::orders::state::OrderState;
use app::payments::port::PaymentGateway;
use app::ports::ShopStore;
use app::state::now;
use server::payments::simulated::test_token;

use super::{Backend, TestApp};

pub const GOOD: &str = "4242424242424242";
pub const DECLINE: &str = "4000000000000002";
pub const PASSWORD: &str = "plum-harbour-7319";

pub struct Member {
    pub id: i64,
    pub email: String,
    pub cookie: String,
}

impl Member {
    pub fn buyer(&self) -> Buyer {
        Buyer {
            owner: CartOwner::Account(self.id),
            customer_id: Some(self.id),
            account_email: Some(self.email.clone()),
        }
    }
    pub fn viewer(&self) -> Viewer {
        Viewer {
            owner: Some(CartOwner::Account(self.id)),
            customer_id: Some(self.id),
            role: Some(Role::Customer),
        }
    }
}

/// An email address no other test of this process uses.
pub fn unique_email(tag: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{tag}{}@example.com", N.fetch_add(1, Ordering::Relaxed))
}

/// A member of `role` with a session (provisioned and signed in through the domain).
pub async fn member(app: &TestApp, tag: &str, role: Role) -> Member {
    let email = unique_email(tag);
    let id = app::accounts::service::provision(
        &*app.store,
        &email,
        &format!("Name {tag}"),
        PASSWORD,
        role,
        None,
        now(),
    )
    .await
    .expect("provision");
    let signed = app::accounts::service::sign_in(
        &*app.store,
        &RequestIdentity::default(),
        &email,
        PASSWORD,
        now(),
    )
    .await
    .expect("sign in");
    Member {
        id,
        email,
        cookie: format!("{}={}", session::COOKIE_NAME, signed.token),
    }
}

pub fn form(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "shop.test")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

pub fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path)
        .header(header::HOST, "shop.test")
        .header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

/// A GET with nothing a browser adds (no Fetch Metadata): what a script or a crawler sends.
pub fn bare_get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path).header(header::HOST, "shop.test");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

/// `s` percent-encoded for a form body or a query string.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The whole `Set-Cookie` header of the session cookie (with its attributes), if one is set.
pub fn set_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(session::COOKIE_NAME))
        .map(str::to_string)
}

/// The session cookie a response sets, as the browser sends it back (`name=value`).
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(session::COOKIE_NAME))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

pub async fn exec(app: &TestApp, sql: &str) {
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            let v = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            v
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            let v = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            v
        }
    }
}

/// `n` products on sale (cheap enough for the order limits), each with `stock` units.
pub async fn products(app: &TestApp, n: usize, stock: i64) -> Vec<String> {
    let store: &dyn ShopStore = &*app.store;
    let mut all = store.all_products().await.unwrap();
    all.retain(|p| p.stock > 0 && p.price_minor >= 200 && p.price_minor < 10_000);
    all.sort_by(|a, b| a.code.cmp(&b.code));
    let codes: Vec<String> = all.into_iter().take(n).map(|p| p.code).collect();
    for code in &codes {
        set_stock(app, code, stock).await;
    }
    codes
}

pub async fn set_stock(app: &TestApp, code: &str, stock: i64) {
    exec(
        app,
        &format!("UPDATE products SET stock = {stock} WHERE code = '{code}'"),
    )
    .await;
}

pub async fn stock_of(app: &TestApp, code: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT stock FROM products WHERE code = '{code}'"),
    )
    .await
}

pub fn request(key: &str, token: &str, card: &str, coupon: Option<&str>) -> PlaceOrderRequest {
    PlaceOrderRequest {
        idempotency_key: key.into(),
        checkout_token: token.into(),
        email: String::new(),
        address: AddressInput {
            full_name: "Alice Orders".into(),
            line1: "1 High Street".into(),
            line2: String::new(),
            city: "London".into(),
            postcode: "SW1A 1AA".into(),
            country: "GB".into(),
            phone: String::new(),
            make_default: false,
        },
        delivery_option: "standard".into(),
        delivery_day: None,
        coupon_code: coupon.map(str::to_string),
        payment_method: "card".into(),
        payment_token: test_token(card),
    }
}

/// Place an order of `lines` for `buyer` through the checkout service.
pub async fn place(
    app: &TestApp,
    gateway: &dyn PaymentGateway,
    buyer: &Buyer,
    lines: &[(&str, i64)],
    card: &str,
    coupon: Option<&str>,
) -> PlacedOrder {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    for (code, q) in lines {
        app.store
            .set_cart_quantity(&buyer.owner, code, *q, now())
            .await
            .unwrap();
    }
    let token = format!("orders-checkout-{n:04}");
    checkout::reserve(&*app.store, &buyer.owner, &token, now())
        .await
        .unwrap();
    let mut req = request(&format!("orders-key-{n:04}"), &token, card, coupon);
    if buyer.account_email.is_none() {
        req.email = "guest@example.com".into();
    }
    checkout::place_order(&*app.store, gateway, buyer, &req, now())
        .await
        .expect("order placed")
}

/// Place an order over HTTP as whoever `cookie` is (the app's own payment provider).
pub async fn place_http(
    app: &TestApp,
    cookie: &str,
    code: &str,
    quantity: i64,
    key: &str,
) -> PlacedOrder {
    let (status, _, text) = app
        .request(form(
            "/api/cart/add",
            &format!("code={code}&quantity={quantity}"),
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
        "order[idempotency_key]={key}&order[checkout_token]={}&order[email]=shopper%40example.com&order[address][full_name]=Alice%20Orders&order[address][line1]=1%20High%20Street\
         &order[address][city]=London&order[address][postcode]=SW1A%201AA&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]={}",
        enc(&started.checkout_token),
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

/// A guest session: its first cart change starts one.
pub async fn guest_cookie(app: &TestApp, code: &str) -> String {
    let (status, headers, _) = app
        .request(form(
            "/api/cart/add",
            &format!("code={code}&quantity=1"),
            None,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    session_cookie(&headers).expect("a guest session")
}

pub async fn state_of(app: &TestApp, number: &str) -> OrderState {
    app.store
        .order_by_number(number)
        .await
        .unwrap()
        .unwrap()
        .state
}

/// An order placed over HTTP by [`place_http_as`]: what is bought, with which card, and
/// the contact and delivery details typed at checkout.
pub struct HttpOrder<'a> {
    pub code: &'a str,
    pub quantity: i64,
    pub key: &'a str,
    /// A test card number (`GOOD`, `DECLINE`, a 3-D Secure card ...).
    pub card: &'a str,
    pub email: &'a str,
    pub full_name: &'a str,
    pub city: &'a str,
}

/// Place an order over HTTP as whoever `cookie` is, like [`place_http`] but with the given
/// card, contact email, name and city; the answer may be unpaid (a declined card, a
/// 3-D Secure challenge), so no state is asserted.
pub async fn place_http_as(app: &TestApp, cookie: &str, o: &HttpOrder<'_>) -> PlacedOrder {
    let (status, _, text) = app
        .request(form(
            "/api/cart/add",
            &format!("code={}&quantity={}", o.code, o.quantity),
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
        "order[idempotency_key]={}&order[checkout_token]={}&order[email]={}&order[address][full_name]={}&order[address][line1]=1%20High%20Street\
         &order[address][city]={}&order[address][postcode]=SW1A%201AA&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]={}",
        enc(o.key),
        enc(&started.checkout_token),
        enc(o.email),
        enc(o.full_name),
        enc(o.city),
        enc(&test_token(o.card))
    );
    let (status, _, text) = app
        .request(form("/api/checkout/place", &body, Some(cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// What a customer's order is at one moment, as far as money and state go: compared
/// before and after someone else tries to act on it.
#[derive(Debug, PartialEq, Eq)]
pub struct OrderSnapshot {
    pub state: OrderState,
    pub total_minor: i64,
    pub updated_at: i64,
    pub payments: Vec<app::orders::port::PaymentRecord>,
    pub events: Vec<app::orders::port::OrderEventRow>,
}

pub async fn snapshot(app: &TestApp, number: &str) -> OrderSnapshot {
    let order = app
        .store
        .order_by_number(number)
        .await
        .unwrap()
        .expect("the order");
    OrderSnapshot {
        state: order.state,
        total_minor: order.total_minor,
        updated_at: order.updated_at,
        payments: app.store.payments_of(order.id).await.unwrap(),
        events: app.store.order_events(order.id).await.unwrap(),
    }
}

/// The typed refusal in a server function's JSON error answer (refusals cross the wire as
/// data; the page puts them into words).
pub fn refusal_in(text: &str) -> Refusal {
    let e: AppError =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not an error answer ({e}): {text}"));
    e.refusal()
        .cloned()
        .unwrap_or_else(|| panic!("no refusal: {text}"))
}
