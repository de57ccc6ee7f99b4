//! Carts: the domain functions of `app::cart::service` against a real store, the guest
//! cart joining the account on sign-up, and the server functions over HTTP (a guest's
//! first change starts a guest session), on both backends.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use app::accounts::session::{self, RequestIdentity};
use app::cart::model::{Cart, CartOwner, MAX_QUANTITY};
use app::cart::refusal::CartRefusal;
use app::cart::service;
use app::catalog::model::ProductCard;
use app::catalog::refusal::CatalogRefusal;
use app::error::{AppError, Refusal};
use app::ports::ShopStore;

const NOW: i64 = 1_700_000_000;

/// Products on sale, most stock first.
async fn in_stock(store: &dyn ShopStore) -> Vec<ProductCard> {
    let mut all: Vec<ProductCard> = store
        .all_products()
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.stock > 0)
        .collect();
    all.sort_by_key(|p| std::cmp::Reverse(p.stock));
    assert!(all.len() >= 3, "the sample has products on sale");
    all
}

fn bad_request(result: Result<Cart, AppError>) -> CartRefusal {
    match result {
        Err(AppError::BadRequest(Refusal::Cart(r))) => r,
        other => panic!("expected a cart refusal, got {other:?}"),
    }
}

on_both_backends! {
    async fn add_view_and_subtotal(app: TestApp) {
        let store: &dyn ShopStore = &*app.store;
        let products = in_stock(store).await;
        let (a, b) = (&products[0], &products[1]);
        let owner = CartOwner::guest("g1");

        assert_eq!(service::view(store, &owner).await.unwrap(), Cart::default());
        service::add(store, &owner, &a.code, 2, NOW).await.unwrap();
        let cart = service::add(store, &owner, &b.code, 1, NOW).await.unwrap();
        // Adding again adds to the line.
        let cart2 = service::add(store, &owner, &a.code, 1, NOW).await.unwrap();
        assert_eq!(cart.item_count, 3);
        assert_eq!(cart2.item_count, 4);
        assert_eq!(cart2.lines.len(), 2);
        let line_a = cart2.lines.iter().find(|l| l.product.code == a.code).unwrap();
        assert_eq!(line_a.quantity, 3);
        assert_eq!(line_a.line_total_minor, a.price_minor * 3);
        assert_eq!(cart2.subtotal_minor, a.price_minor * 3 + b.price_minor);
        // A read gives the same cart, with current prices.
        assert_eq!(service::view(store, &owner).await.unwrap(), cart2);
        // Another owner's cart is untouched.
        assert!(service::view(store, &CartOwner::guest("g2")).await.unwrap().lines.is_empty());

        // Setting a quantity replaces it.
        let cart = service::set_quantity(store, &owner, &a.code, 5, NOW).await.unwrap();
        assert_eq!(cart.lines.iter().find(|l| l.product.code == a.code).unwrap().quantity, 5);
        assert_eq!(cart.item_count, 6);
    }

    async fn quantities_are_capped_by_stock_and_limits(app: TestApp) {
        let store: &dyn ShopStore = &*app.store;
        let products = in_stock(store).await;
        // The product with the least stock.
        let scarce = products.last().unwrap();
        assert!(scarce.stock < MAX_QUANTITY, "some product has little stock");
        let owner = CartOwner::guest("g3");

        let short = |in_cart| CartRefusal::NotEnoughStock { title: scarce.title.clone(), stock: scarce.stock, in_cart };
        let refused = bad_request(service::add(store, &owner, &scarce.code, scarce.stock + 1, NOW).await);
        assert_eq!(refused, short(0));
        service::add(store, &owner, &scarce.code, scarce.stock, NOW).await.unwrap();
        let refused = bad_request(service::add(store, &owner, &scarce.code, 1, NOW).await);
        assert_eq!(refused, short(scarce.stock));
        assert!(refused.message(app::i18n::Locale::En).contains("already holds"));
        let refused = bad_request(service::set_quantity(store, &owner, &scarce.code, scarce.stock + 1, NOW).await);
        assert_eq!(refused, short(0));
        // Refused changes change nothing.
        let cart = service::view(store, &owner).await.unwrap();
        assert_eq!(cart.item_count, scarce.stock);

        for q in [0, -1, MAX_QUANTITY + 1] {
            let refused = bad_request(service::add(store, &owner, &products[0].code, q, NOW).await);
            assert_eq!(refused, CartRefusal::QuantityToAdd { max: MAX_QUANTITY });
        }
        for q in [-1, MAX_QUANTITY + 1, i64::MAX] {
            let refused = bad_request(service::set_quantity(store, &owner, &products[0].code, q, NOW).await);
            assert_eq!(refused, CartRefusal::QuantityToSet { max: MAX_QUANTITY });
        }

        // Out of stock: refused with a clear message.
        let all = store.all_products().await.unwrap();
        if let Some(gone) = all.iter().find(|p| p.stock <= 0) {
            let refused = bad_request(service::add(store, &owner, &gone.code, 1, NOW).await);
            assert_eq!(refused, CartRefusal::OutOfStock { title: gone.title.clone() });
        }
    }

    async fn unknown_products_are_not_found(app: TestApp) {
        let store: &dyn ShopStore = &*app.store;
        let owner = CartOwner::guest("g4");
        for code in ["NO-SUCH-CODE", "<script>", ""] {
            match service::add(store, &owner, code, 1, NOW).await {
                Err(AppError::NotFound(Refusal::Catalog(CatalogRefusal::NoSuchProduct { .. }))) => {}
                other => panic!("{code}: {other:?}"),
            }
            assert!(matches!(
                service::set_quantity(store, &owner, code, 1, NOW).await,
                Err(AppError::NotFound(_))
            ));
        }
        match service::add(store, &owner, "NOSUCH1", 1, NOW).await {
            Err(AppError::NotFound(r)) => assert_eq!(
                r,
                CatalogRefusal::NoSuchProduct { code: Some("NOSUCH1".into()) }.into(),
                "names the code"
            ),
            other => panic!("{other:?}"),
        }
        assert!(service::view(store, &owner).await.unwrap().lines.is_empty());
    }

    async fn zero_removes_a_line(app: TestApp) {
        let store: &dyn ShopStore = &*app.store;
        let products = in_stock(store).await;
        let owner = CartOwner::Account(42);
        service::add(store, &owner, &products[0].code, 2, NOW).await.unwrap();
        service::add(store, &owner, &products[1].code, 1, NOW).await.unwrap();
        let cart = service::set_quantity(store, &owner, &products[0].code, 0, NOW).await.unwrap();
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.lines[0].product.code, products[1].code);
        assert_eq!(cart.item_count, 1);
        assert_eq!(cart.subtotal_minor, products[1].price_minor);
        // Removing what is not there is no error.
        service::set_quantity(store, &owner, &products[0].code, 0, NOW).await.unwrap();
        let cart = service::set_quantity(store, &owner, &products[1].code, 0, NOW).await.unwrap();
        assert_eq!(cart, Cart::default());
    }

    async fn guest_cart_merges_into_account_cart_capped(app: TestApp) {
        let store: &dyn ShopStore = &*app.store;
        let products = in_stock(store).await;
        let (a, b, c) = (&products[0], &products[1], &products[2]);
        let (guest, member) = (CartOwner::guest("g5"), CartOwner::Account(7));
        // Quantities straight into the store, so that the cap applies whatever the stock.
        store.set_cart_quantity(&guest, &a.code, 60, NOW).await.unwrap();
        store.set_cart_quantity(&guest, &b.code, 2, NOW).await.unwrap();
        store.set_cart_quantity(&member, &a.code, 50, NOW).await.unwrap();
        store.set_cart_quantity(&member, &c.code, 1, NOW).await.unwrap();

        store.merge_carts(&guest, &member, MAX_QUANTITY).await.unwrap();

        let merged = service::view(store, &member).await.unwrap();
        let quantity = |code: &str| merged.lines.iter().find(|l| l.product.code == code).map(|l| l.quantity);
        assert_eq!(quantity(&a.code), Some(MAX_QUANTITY), "60 + 50 is capped");
        assert_eq!(quantity(&b.code), Some(2));
        assert_eq!(quantity(&c.code), Some(1));
        assert_eq!(merged.item_count, MAX_QUANTITY + 3);
        assert!(service::view(store, &guest).await.unwrap().lines.is_empty(), "guest cart is emptied");
    }

    async fn signing_up_keeps_the_guest_cart(app: TestApp) {
        let store: &dyn ShopStore = &*app.store;
        let products = in_stock(store).await;
        let guest = RequestIdentity {
            session: None,
            user: None,
            client_ip: "127.0.0.1".into(),
            user_agent: "cart test".into(),
            ..Default::default()
        };
        let (_, record) = session::start(store, None, &guest, NOW).await.unwrap();
        let guest = RequestIdentity { session: Some(record.clone()), ..guest };
        service::add(store, &CartOwner::guest(&record.public_id), &products[0].code, 2, NOW).await.unwrap();
        service::add(store, &CartOwner::guest(&record.public_id), &products[1].code, 1, NOW).await.unwrap();

        let signed_in = app::accounts::service::sign_up(
            store, &guest, "cart.merge@example.com", "Cart Tester", "plum-harbour-7319", NOW,
        )
        .await
        .unwrap();
        let cart = service::view(store, &CartOwner::Account(signed_in.user.id)).await.unwrap();
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.item_count, 3);
        assert!(service::view(store, &CartOwner::guest(&record.public_id)).await.unwrap().lines.is_empty());
    }

    async fn server_functions_start_a_guest_session(app: TestApp) {
        let products = in_stock(&*app.store).await;
        let code = &products[0].code;
        // Nobody: an empty cart, and no session for just looking.
        let (status, headers, body) = app
            .request(Request::get("/api/cart").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(headers.get(header::SET_COOKIE).is_none());
        assert_eq!(serde_json::from_str::<Cart>(&body).unwrap(), Cart::default());

        // The first change starts a guest session.
        let (status, headers, body) = app
            .request(
                Request::post("/api/cart/add")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!("code={code}&quantity=2")))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let cookie = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with(session::COOKIE_NAME))
            .expect("a session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("Secure"), "{cookie}");
        assert!(headers[header::CACHE_CONTROL].to_str().unwrap().contains("no-store"));
        assert_eq!(serde_json::from_str::<Cart>(&body).unwrap().item_count, 2);
        let pair = cookie.split(';').next().unwrap().to_string();

        // The same browser sees its cart; a change does not start another session.
        let (status, headers, body) = app
            .request(
                Request::post("/api/cart/set")
                    .header(header::COOKIE, &pair)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!("code={code}&quantity=3")))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(headers.get(header::SET_COOKIE).is_none());
        let (status, _, body) = app
            .request(Request::get("/api/cart").header(header::COOKIE, &pair).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(serde_json::from_str::<Cart>(&body).unwrap().item_count, 3);

        // The cart page and the header count show it.
        let (status, _, html) = app
            .request(Request::get("/cart").header(header::COOKIE, &pair).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("class=\"cart-line\""), "a line");
        assert!(html.contains("Cart (3)"), "header count");

        // Errors keep their status; a cross-site post is refused.
        let (status, _, body) = app
            .request(
                Request::post("/api/cart/add")
                    .header(header::COOKIE, &pair)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("code=NO-SUCH&quantity=1"))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, _, _) = app
            .request(
                Request::post("/api/cart/add")
                    .header(header::COOKIE, &pair)
                    .header("sec-fetch-site", "cross-site")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!("code={code}&quantity=1")))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
