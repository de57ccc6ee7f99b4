//! Accounts, sessions, cross-site refusal, throttling, roles and the privacy centre,
//! through the real router on a fresh database, on both backends.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};

use crate::support::shop::{
    enc, form, get, member, refusal_in, set_cookie, unique_email, PASSWORD,
};
use app::accounts::model::{AddressInput, Role};
use app::accounts::refusal::AccountsRefusal;
use app::accounts::service;
use app::accounts::session::{self, RequestIdentity, SecurityConfig};
use app::error::{Refusal, RequestRefusal};
use app::i18n::Locale;
use app::privacy::refusal::PrivacyRefusal;
use app::state::now;

fn address(name: &str) -> AddressInput {
    AddressInput {
        full_name: name.into(),
        line1: "12 Orchard Lane".into(),
        city: "Bristol".into(),
        postcode: "BS1 4DJ".into(),
        country: "GB".into(),
        phone: "+44 117 496 0000".into(),
        ..Default::default()
    }
}

fn address_form(id: Option<i64>, a: &AddressInput) -> String {
    let mut s = format!(
        "address[full_name]={}&address[line1]={}&address[line2]=&address[city]={}&address[postcode]={}&address[country]={}&address[phone]={}&address[make_default]=false",
        enc(&a.full_name), enc(&a.line1), enc(&a.city), enc(&a.postcode), enc(&a.country), enc(&a.phone)
    );
    if let Some(id) = id {
        s = format!("id={id}&{s}");
    }
    s
}

on_both_backends! {
    async fn sign_up_sets_a_host_only_session_cookie_and_refuses_bad_input(app: TestApp) {
        let email = unique_email("new");
        let body = format!("email={}&name=Ada&password={}", enc(&email), enc(PASSWORD));
        let (status, headers, text) = app.request(form("/api/account/sign-up", &body, None)).await;
        assert!(status.is_success() || status.is_redirection(), "{status} {text}");
        let cookie = set_cookie(&headers).expect("a session cookie");
        for part in ["__Host-emporium=", "Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
        // Only the token's hash is a key in the database.
        assert!(app.store.session(&token).await.unwrap().is_none());
        assert!(app.store.session(&session::hash_token(&token)).await.unwrap().is_some());
        let (status, _, me) = app.request(get("/api/account/me", Some(&format!("__Host-emporium={token}")))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(me.contains(&email), "{me}");

        let refusals = [
            (format!("email={}&name=Ada&password=password123", enc(&unique_email("x"))), StatusCode::BAD_REQUEST, AccountsRefusal::PasswordCommon),
            (format!("email={}&name=Ada&password=short", enc(&unique_email("x"))), StatusCode::BAD_REQUEST, AccountsRefusal::PasswordTooShort { min: 8, chars: 5 }),
            (format!("email=not-an-email&name=Ada&password={}", enc(PASSWORD)), StatusCode::BAD_REQUEST, AccountsRefusal::EmailNoAt),
            (format!("email={}&name=Ada&password={}", enc(&email.to_uppercase()), enc(PASSWORD)), StatusCode::CONFLICT, AccountsRefusal::EmailTaken),
        ];
        for (body, want, refusal) in refusals {
            let (status, headers, text) = app.request(form("/api/account/sign-up", &body, None)).await;
            assert_eq!(status, want, "{body}: {text}");
            assert_eq!(refusal_in(&text), refusal.into(), "{text}");
            assert!(set_cookie(&headers).is_none());
        }
        // The refusal is data, the same whatever the language; the page words it in the
        // shopper's.
        let body = format!("email={}&name=Ada&password=password123", enc(&unique_email("zh")));
        let mut req = form("/api/account/sign-up", &body, None);
        req.headers_mut().insert(header::COOKIE, "lang=zh-CN".parse().unwrap());
        let (status, _, text) = app.request(req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let refusal = refusal_in(&text);
        assert_eq!(refusal, AccountsRefusal::PasswordCommon.into());
        assert!(refusal.message(Locale::ZhCn).contains("最常见的密码"), "{text}");
    }

    async fn sign_in_is_throttled_per_account_before_the_password_is_checked(app: TestApp) {
        let m = member(app, "victim", Role::Customer).await;
        let wrong = format!("email={}&password=wrong-guess-123", enc(&m.email));
        for attempt in 1..=5 {
            let (status, _, text) = app.request(form("/api/account/sign-in", &wrong, None)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}: {text}");
            assert_eq!(refusal_in(&text), AccountsRefusal::WrongCredentials.into());
        }
        // Ten more failures are on record (recorded directly, so that a slow machine's pace
        // cannot let the wait run out): the next attempt must wait a minute, and is refused
        // even with the right password, before any hash is computed.
        let key = app::accounts::throttle::account_key(&m.email);
        for _ in 0..10 {
            app.store.throttle_fail(&key, now(), now() - 3600).await.unwrap();
        }
        let right = format!("email={}&password={}", enc(&m.email), enc(PASSWORD));
        let (status, headers, text) = app.request(form("/api/account/sign-in", &right, None)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
        assert!(matches!(refusal_in(&text), Refusal::Accounts(AccountsRefusal::TooManyAttempts { wait_secs }) if wait_secs >= 30), "{text}");
        assert!(set_cookie(&headers).is_none());
        // After the wait, the right password works and clears the account's count.
        let later = now() + 61;
        service::sign_in(&*app.store, &RequestIdentity::default(), &m.email, PASSWORD, later).await.expect("after the wait");
        assert!(app.store.throttle(&app::accounts::throttle::account_key(&m.email)).await.unwrap().is_none());
        // An unknown email gets the same answer as a wrong password.
        let unknown = format!("email={}&password=wrong-guess-123", enc(&unique_email("nobody")));
        let (status, _, text) = app.request(form("/api/account/sign-in", &unknown, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(refusal_in(&text), AccountsRefusal::WrongCredentials.into());
    }

    async fn sign_in_is_throttled_per_client_address(app: TestApp) {
        // Password spraying: one guess at each of many accounts from one address.
        let identity = RequestIdentity { client_ip: "203.0.113.9".into(), ..Default::default() };
        let t = now();
        for i in 0..20 {
            let e = service::sign_in(&*app.store, &identity, &unique_email(&format!("spray{i}-")), "wrong-guess-123", t).await.unwrap_err();
            assert_eq!(e.status(), StatusCode::UNAUTHORIZED);
        }
        let e = service::sign_in(&*app.store, &identity, &unique_email("spray-last"), "wrong-guess-123", t).await.unwrap_err();
        assert_eq!(e.status(), StatusCode::TOO_MANY_REQUESTS, "{e}");
        // Another address is not affected.
        let other = RequestIdentity { client_ip: "198.51.100.7".into(), ..Default::default() };
        let e = service::sign_in(&*app.store, &other, &unique_email("spray-other"), "wrong-guess-123", t).await.unwrap_err();
        assert_eq!(e.status(), StatusCode::UNAUTHORIZED);
    }

    async fn sign_in_rotates_the_session_merges_the_guest_cart_and_sessions_expire(app: TestApp) {
        let m = member(app, "rotate", Role::Customer).await;
        let guest_identity = RequestIdentity::default();
        let (guest_token, guest) = session::start(&*app.store, None, &guest_identity, now()).await.unwrap();
        let codes: Vec<String> = app.store.best_sellers(0, 2).await.unwrap().into_iter().map(|c| c.code).collect();
        let guest_owner = app::cart::model::CartOwner::guest(&guest.public_id);
        app.store.set_cart_quantity(&guest_owner, &codes[0], 2, now()).await.unwrap();
        let member_owner = app::cart::model::CartOwner::Account(m.id);
        app.store.set_cart_quantity(&member_owner, &codes[0], 1, now()).await.unwrap();
        app.store.set_cart_quantity(&guest_owner, &codes[1], 1, now()).await.unwrap();

        let identity = RequestIdentity { session: Some(guest.clone()), ..Default::default() };
        let signed = service::sign_in(&*app.store, &identity, &m.email, PASSWORD, now()).await.unwrap();
        assert_ne!(signed.token, guest_token, "a new session id on sign-in");
        assert!(app.store.session(&guest.token_hash).await.unwrap().is_none(), "the guest session ended");
        let mut cart = app.store.cart(&member_owner).await.unwrap();
        cart.sort();
        let mut want = vec![(codes[0].clone(), 3), (codes[1].clone(), 1)];
        want.sort();
        assert_eq!(cart, want, "guest cart merged, quantities added");
        assert!(app.store.cart(&guest_owner).await.unwrap().is_empty());

        let config = SecurityConfig::default();
        let t0 = signed.session.created_at;
        assert!(session::resolve(&*app.store, &config, &signed.token, t0 + 60).await.unwrap().is_some());
        // Idle for 31 minutes: gone, and deleted.
        assert!(session::resolve(&*app.store, &config, &signed.token, t0 + 60 + 31 * 60).await.unwrap().is_none());
        assert!(app.store.session(&signed.session.token_hash).await.unwrap().is_none());
        // Active every 20 minutes, but past 12 hours: gone.
        let s2 = service::sign_in(&*app.store, &RequestIdentity::default(), &m.email, PASSWORD, t0).await.unwrap();
        let mut t = t0;
        while t < t0 + 12 * 3600 {
            t += 20 * 60;
            let live = session::resolve(&*app.store, &config, &s2.token, t).await.unwrap().is_some();
            assert_eq!(live, t - t0 <= 12 * 3600, "at +{}s", t - t0);
        }
        assert_eq!(t, t0 + 12 * 3600, "the loop reached exactly 12 hours, still live");
        // One second past 12 hours, however active: gone, and deleted.
        assert!(session::resolve(&*app.store, &config, &s2.token, t0 + 12 * 3600 + 1).await.unwrap().is_none(), "live past the absolute timeout");
        assert!(app.store.session(&s2.session.token_hash).await.unwrap().is_none());
    }

    async fn cross_site_requests_are_refused(app: TestApp) {
        let m = member(app, "csrf", Role::Customer).await;
        for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
            let req = Request::post("/api/privacy/consents/set")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::HOST, "shop.test")
                .header(header::COOKIE, &m.cookie)
                .header(name, value)
                .body(Body::from("purpose=Marketing&granted=true"))
                .unwrap();
            let (status, _, text) = app.request(req).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {text}");
            assert_eq!(refusal_in(&text), RequestRefusal::CrossSite.into(), "{text}");
        }
        let consents = app::privacy::service::consents(&*app.store, m.id).await.unwrap();
        assert!(consents.iter().all(|c| !c.granted), "nothing changed");
        // The same request from the shop's own page goes through.
        let (status, _, text) = app.request(form("/api/privacy/consents/set", "purpose=Marketing&granted=true", Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
    }

    async fn every_page_has_security_headers_and_runs_only_its_own_scripts(app: TestApp) {
        let script_src = |headers: &HeaderMap| {
            let csp = headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap().to_string();
            assert!(!script_src.contains("unsafe-inline"), "{csp}");
            script_src
        };
        // An anonymous page may be shared by the micro-cache, so it carries no nonce: each of
        // its scripts is allowed by its own hash, and only those (rendered, then from the cache).
        let mut seen = Vec::new();
        for want in ["miss", "hit"] {
            let (status, headers, html) = app.request(get("/", None)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(headers.get("x-cache").unwrap(), want);
            let script_src = script_src(&headers);
            assert!(!script_src.contains("'nonce-") && !html.contains("nonce="), "a shared page has no nonce: {script_src}");
            let scripts = inline_scripts(&html);
            assert!(scripts.len() >= 2, "the hydration scripts: {scripts:?}");
            for (_, text) in &scripts {
                assert!(script_src.contains(&sha256_source(text)), "{text:?} is allowed by its hash: {script_src}");
            }
            let allowed = script_src.matches("'sha256-").count();
            let distinct: std::collections::HashSet<_> = scripts.iter().map(|(_, t)| t).collect();
            assert_eq!(allowed, distinct.len(), "no hash for a script the page does not have");
            assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
            assert!(headers.get(header::REFERRER_POLICY).is_some());
            assert!(headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain HTTP");
            seen.push((script_src, html));
        }
        assert_eq!(seen[0], seen[1], "the cache serves the page it rendered, with its policy");
        // A member's page is theirs alone: a fresh nonce per response, on every inline script.
        let m = member(app, "headers", Role::Customer).await;
        let mut nonces = Vec::new();
        for _ in 0..2 {
            let (_, headers, html) = app.request(get("/", Some(&m.cookie))).await;
            assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "private, no-store");
            assert!(headers.get("x-cache").is_none(), "never from the cache");
            let script_src = script_src(&headers);
            assert!(!script_src.contains("'sha256-"), "{script_src}");
            let nonce = script_src.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
            let scripts = inline_scripts(&html);
            assert!(!scripts.is_empty());
            for (tag, _) in &scripts {
                assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag} carries this response's nonce");
            }
            nonces.push(nonce);
        }
        assert_ne!(nonces[0], nonces[1], "a new nonce for every response");
    }

    async fn access_control_matrix(app: TestApp) {
        let a = member(app, "alice", Role::Customer).await;
        let b = member(app, "bob", Role::Customer).await;
        let agent = member(app, "agent", Role::Agent).await;
        let admin = member(app, "admin", Role::Admin).await;
        let a_address = service::save_address(&*app.store, &app::accounts::session::user_of(&app.store.account_by_id(a.id).await.unwrap().unwrap()), None, &address("Alice Secret"), now()).await.unwrap();
        let target = member(app, "target", Role::Customer).await;
        // A's cart and favourites hold a product that nobody else has.
        let code = app.store.best_sellers(0, 1).await.unwrap().remove(0).code;
        app.store.set_cart_quantity(&app::cart::model::CartOwner::Account(a.id), &code, 2, now()).await.unwrap();
        app.store.add_favourites(a.id, std::slice::from_ref(&code), now()).await.unwrap();

        type Check = (&'static str, String, Option<String>, [u16; 5]);
        // (label, path, form body for POST, statuses for anonymous, A, B, agent, admin).
        // Every request that names A's data is made by everyone: only A may touch it.
        let checks: Vec<Check> = vec![
            ("whoami", "/api/account/me".into(), None, [200, 200, 200, 200, 200]),
            ("list own devices", "/api/account/devices".into(), None, [401, 200, 200, 200, 200]),
            ("list own addresses", "/api/account/addresses".into(), None, [401, 200, 200, 200, 200]),
            ("edit A's address", "/api/account/addresses/save".into(), Some(address_form(Some(a_address), &address("Alice Secret"))), [401, 200, 404, 404, 404]),
            ("default A's address", "/api/account/addresses/default".into(), Some(format!("id={a_address}")), [401, 200, 404, 404, 404]),
            ("rename self", "/api/account/name".into(), Some("name=Someone".into()), [401, 200, 200, 200, 200]),
            ("read consents", "/api/privacy/consents".into(), None, [401, 200, 200, 200, 200]),
            ("set consent", "/api/privacy/consents/set".into(), Some("purpose=Analytics&granted=false".into()), [401, 200, 200, 200, 200]),
            ("delete account with A's password", "/api/privacy/delete-account".into(), Some("password=not-their-password".into()), [401, 400, 400, 400, 400]),
            ("change password", "/api/account/password".into(), Some("current=wrong-one-123&new_password=another-long-one".into()), [401, 400, 400, 400, 400]),
            ("export own data", "/account/export.json".into(), None, [303, 200, 200, 200, 200]),
            ("read own cart", "/api/cart".into(), None, [200, 200, 200, 200, 200]),
            ("add to own cart", "/api/cart/add".into(), Some(format!("code={code}&quantity=1")), [200, 200, 200, 200, 200]),
            ("start checkout of own basket", "/api/checkout/start".into(), Some(String::new()), [400, 200, 200, 200, 200]),
            ("price own basket", "/api/checkout/quote?delivery_option=standard".into(), None, [400, 200, 200, 200, 200]),
            ("save own cart line for later", "/api/cart/save".into(), Some(format!("code={code}")), [200, 200, 200, 200, 200]),
            ("move own saved line back", "/api/cart/move".into(), Some(format!("code={code}")), [200, 200, 200, 200, 200]),
            ("read own favourites", "/api/favourites".into(), None, [401, 200, 200, 200, 200]),
            ("add own favourite", "/api/favourites/add".into(), Some(format!("codes[0]={code}")), [401, 200, 200, 200, 200]),
            ("remove own favourite", "/api/favourites/remove".into(), Some(format!("code={code}")), [401, 200, 200, 200, 200]),
            ("staff: find customers", "/api/staff/customers?q=alice".into(), None, [401, 403, 403, 200, 200]),
            ("admin: set role", "/api/admin/role".into(), Some(format!("id={}&role=Customer", target.id)), [401, 403, 403, 403, 200]),
        ];
        let actors: [(&str, Option<&str>); 5] = [
            ("anonymous", None),
            ("customer A", Some(&a.cookie)),
            ("customer B", Some(&b.cookie)),
            ("agent", Some(&agent.cookie)),
            ("admin", Some(&admin.cookie)),
        ];
        let mut table = String::from("| route | anonymous | customer A | customer B | agent | admin |\n|---|---|---|---|---|---|\n");
        for (label, path, body, want) in &checks {
            let mut row = format!("| {label} `{}` |", path.split('?').next().unwrap());
            for (i, (actor, cookie)) in actors.iter().enumerate() {
                let req = match body {
                    Some(body) => form(path, body, *cookie),
                    None => get(path, *cookie),
                };
                let (status, _, text) = app.request(req).await;
                assert_eq!(status.as_u16(), want[i], "{label} as {actor}: {text}");
                if *label == "list own addresses" && i != 1 {
                    assert!(!text.contains("Alice Secret"), "{actor} sees only their own addresses");
                }
                if *label == "read own cart" && i != 1 {
                    assert!(!text.contains(&code), "{actor} does not see A's cart");
                }
                if *label == "read own favourites" && i != 1 {
                    assert!(!text.contains(&code), "{actor} does not see A's favourites");
                }
                if *label == "export own data" && i >= 2 {
                    assert!(!text.contains(&a.email) && !text.contains("Alice Secret"), "{actor}'s export holds nothing of A");
                }
                row.push_str(&format!(" {} |", status.as_u16()));
            }
            table.push_str(&row);
            table.push('\n');
        }
        // Nobody else can sign out one of A's devices; A can.
        let phone = service::sign_in(&*app.store, &RequestIdentity::default(), &a.email, PASSWORD, now()).await.unwrap();
        let body = format!("id={}", phone.session.public_id);
        for (actor, cookie) in [("anonymous", None), ("customer B", Some(&b.cookie)), ("agent", Some(&agent.cookie)), ("admin", Some(&admin.cookie))] {
            let (status, _, _) = app.request(form("/api/account/devices/sign-out", &body, cookie.map(|c| c.as_str()))).await;
            assert!(status == StatusCode::NOT_FOUND || status == StatusCode::UNAUTHORIZED, "{actor}: {status}");
            assert!(app.store.session(&phone.session.token_hash).await.unwrap().is_some(), "{actor} could not sign A's phone out");
        }
        let (status, _, _) = app.request(form("/api/account/devices/sign-out", &body, Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(app.store.session(&phone.session.token_hash).await.unwrap().is_none());
        table.push_str("| sign out A's other device `/api/account/devices/sign-out` | 401 | 200 | 404 | 404 | 404 |\n");
        // A's data is intact after everyone else tried.
        let a_cart = app.store.cart(&app::cart::model::CartOwner::Account(a.id)).await.unwrap();
        assert_eq!(a_cart, vec![(code.clone(), 3)], "only A's own add changed A's cart");
        let still = app.store.addresses(a.id).await.unwrap();
        assert_eq!(still.len(), 1);
        assert_eq!(still[0].full_name, "Alice Secret");
        assert!(app.store.account_by_id(a.id).await.unwrap().is_some_and(|x| !x.erased));
        // The role change ended the target's sessions (privilege change = new session).
        assert!(app.store.account_sessions(target.id).await.unwrap().is_empty());

        // Paying for and confirming A's real orders, not a number nobody has: one declined
        // (it may be paid again) and one waiting for its 3-D Secure confirmation, the bank's
        // challenge already passed (a confirm would take the money). Everyone else first,
        // A's orders unchanged after each; then A, for whom the same requests work.
        use app::orders::state::OrderState;
        use crate::support::shop::{place_http_as, snapshot, state_of, HttpOrder, DECLINE, GOOD};
        app.store.set_cart_quantity(&app::cart::model::CartOwner::Account(a.id), &code, 0, now()).await.unwrap();
        let a_order = |key, card| HttpOrder { code: &code, quantity: 1, key, card, email: "alice.pays@example.com", full_name: "Alice Secret", city: "Bristol" };
        let declined = place_http_as(app, &a.cookie, &a_order("matrix-pay-declined1", DECLINE)).await;
        assert_eq!(declined.state, OrderState::PaymentFailed);
        let challenged = place_http_as(app, &a.cookie, &a_order("matrix-pay-3dsecure1", "4000000000003220")).await;
        assert_eq!(challenged.state, OrderState::PendingPayment);
        let challenge = challenged.payment.clone().and_then(|p| p.next_action_url).expect("a 3-D Secure page");
        let (status, _, text) = app.request(form(&challenge, "", None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "the bank approves: {text}");
        let retry = |number: &str| format!("number={number}&payment_method=card&payment_token={}", enc(&server::payments::simulated::test_token(GOOD)));
        let confirm = |number: &str| format!("number={number}");
        let guest = {
            let (_, headers, _) = app.request(form("/api/cart/add", &format!("code={code}&quantity=1"), None)).await;
            set_cookie(&headers).expect("a guest session").split(';').next().unwrap().to_string()
        };
        let rows: [(&str, &str, &str); 3] = [
            ("pay again for A's declined order", "/api/checkout/retry", declined.number.as_str()),
            ("confirm A's declined order", "/api/checkout/confirm", declined.number.as_str()),
            ("confirm A's 3-D Secure order", "/api/checkout/confirm", challenged.number.as_str()),
        ];
        // (actor, cookie, status): without any session there is no basket, so checkout
        // refuses before looking the order up (400); with a guest session it is A's order
        // that is not found (404).
        let others: [(&str, Option<&str>, u16); 5] = [
            ("anonymous", None, 400),
            ("anonymous with a guest session", Some(&guest), 404),
            ("customer B", Some(&b.cookie), 404),
            ("agent", Some(&agent.cookie), 404),
            ("admin", Some(&admin.cookie), 404),
        ];
        for (label, path, number) in rows {
            let before = snapshot(app, number).await;
            let mut cells = Vec::new();
            for (actor, cookie, want) in others {
                let body = if path.ends_with("retry") { retry(number) } else { confirm(number) };
                let (status, _, text) = app.request(form(path, &body, cookie)).await;
                assert_eq!(status.as_u16(), want, "{label} as {actor}: {text}");
                assert!(!text.contains("Alice Secret") && !text.contains("alice.pays@"), "{label}: {actor} sees nothing of A's");
                assert_eq!(snapshot(app, number).await, before, "{label} as {actor} changed A's order");
                cells.push(status.as_u16());
            }
            table.push_str(&format!("| {label} `{path}` | {} (guest session {}) | A below | {} | {} | {} |\n", cells[0], cells[1], cells[2], cells[3], cells[4]));
        }
        // A's own requests go through: the 3-D Secure order is paid by its confirmation,
        // the declined one by paying again.
        let (status, _, text) = app.request(form("/api/checkout/confirm", &confirm(&challenged.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(state_of(app, &challenged.number).await, OrderState::Paid);
        let (status, _, text) = app.request(form("/api/checkout/retry", &retry(&declined.number), Some(&a.cookie))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(state_of(app, &declined.number).await, OrderState::Paid);
        table.push_str("| A pays again / confirms (after everyone else) | | 200 | | | |\n");
        println!("{table}");
    }

    async fn devices_can_be_signed_out_one_by_one_or_everywhere(app: TestApp) {
        let m = member(app, "devices", Role::Customer).await;
        let second = service::sign_in(&*app.store, &RequestIdentity { user_agent: "Phone".into(), ..Default::default() }, &m.email, PASSWORD, now()).await.unwrap();
        let (status, _, text) = app.request(get("/api/account/devices", Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(text.matches("\"id\"").count(), 2, "{text}");
        let body = format!("id={}", second.session.public_id);
        let (status, _, _) = app.request(form("/api/account/devices/sign-out", &body, Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        let phone = format!("__Host-emporium={}", second.token);
        let (_, _, me) = app.request(get("/api/account/me", Some(&phone))).await;
        assert_eq!(me, "null", "the phone is signed out");
        let (status, headers, _) = app.request(form("/api/account/devices/sign-out-all", "", Some(&m.cookie))).await;
        assert!(status.is_success() || status.is_redirection());
        assert!(set_cookie(&headers).unwrap().contains("Max-Age=0"));
        assert!(app.store.account_sessions(m.id).await.unwrap().is_empty());
    }

    async fn consent_is_honoured_and_export_holds_everything(app: TestApp) {
        let m = member(app, "privacy", Role::Customer).await;
        let user = session::user_of(&app.store.account_by_id(m.id).await.unwrap().unwrap());
        service::save_address(&*app.store, &user, None, &address("Priya Export"), now()).await.unwrap();
        let product = app.store.best_sellers(0, 1).await.unwrap().remove(0);
        // Without analytics consent, viewing a product records nothing.
        let (status, _, _) = app.request(get(&format!("/p/{}", product.code), Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(app.store.events(m.id).await.unwrap().is_empty());
        let (status, _, _) = app.request(form("/api/privacy/consents/set", "purpose=Analytics&granted=true", Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        app.request(get(&format!("/p/{}", product.code), Some(&m.cookie))).await;
        let events = app.store.events(m.id).await.unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].subject, product.code);
        // Withdrawn: what was recorded is forgotten, and recording stops.
        app.request(form("/api/privacy/consents/set", "purpose=Analytics&granted=false", Some(&m.cookie))).await;
        app.request(get(&format!("/p/{}", product.code), Some(&m.cookie))).await;
        assert!(app.store.events(m.id).await.unwrap().is_empty());
        app.request(form("/api/privacy/consents/set", "purpose=Analytics&granted=true", Some(&m.cookie))).await;
        app.request(get(&format!("/p/{}", product.code), Some(&m.cookie))).await;
        assert_eq!(app.store.events(m.id).await.unwrap().len(), 1);

        // Feeds: non-personal without consent, personal with it.
        app.store.add_favourites(m.id, std::slice::from_ref(&product.code), now()).await.unwrap();
        let (_, _, feeds) = app.request(get("/api/home_feeds", Some(&m.cookie))).await;
        assert!(feeds.contains("\"personalised\":false"), "{}", &feeds[..200.min(feeds.len())]);
        app.request(form("/api/privacy/consents/set", "purpose=Personalisation&granted=true", Some(&m.cookie))).await;
        let (_, _, feeds) = app.request(get("/api/home_feeds", Some(&m.cookie))).await;
        assert!(feeds.contains("\"personalised\":true"));

        let (status, headers, export) = app.request(get("/account/export.json", Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("attachment"));
        let json: serde_json::Value = serde_json::from_str(&export).unwrap();
        assert_eq!(json["profile"]["email"], m.email.as_str());
        assert_eq!(json["addresses"][0]["full_name"], "Priya Export");
        assert_eq!(json["events"].as_array().unwrap().len(), 1);
        assert_eq!(json["consents"].as_array().unwrap().len(), 4);
        assert_eq!(json["favourites"][0], product.code.as_str());
        assert!(json["orders"].is_array() && json["devices"].is_array());
        assert!(!export.contains("argon2"), "no password hash in the export");
    }

    async fn deletion_erases_personal_data_and_keeps_pseudonymous_orders(app: TestApp) {
        // A seeded customer with orders is given a password, then deletes the account.
        let seeded: i64 = {
            let found = app.store.find_accounts("member-", 1).await.unwrap();
            if let Some((a, _)) = found.into_iter().next() { a.id } else { panic!("a seeded customer") }
        };
        let orders_before = app.store.orders_of(seeded).await.unwrap();
        let email = unique_email("erase");
        service::provision(&*app.store, &email, "", PASSWORD, Role::Customer, Some(seeded), now()).await.unwrap();
        let signed = service::sign_in(&*app.store, &RequestIdentity { client_ip: "192.0.2.44".into(), user_agent: "EraseAgent/1.0".into(), ..Default::default() }, &email, PASSWORD, now()).await.unwrap();
        let cookie = format!("__Host-emporium={}", signed.token);
        let user = signed.user.clone();
        service::rename(&*app.store, &user, "Zebedee Quux").await.unwrap();
        service::save_address(&*app.store, &user, None, &AddressInput { line1: "77 Unforgettable Road".into(), ..address("Zebedee Quux") }, now()).await.unwrap();
        app.request(form("/api/privacy/consents/set", "purpose=Analytics&granted=true", Some(&cookie))).await;

        let (status, _, text) = app.request(form("/api/privacy/delete-account", "password=wrong-password-1", Some(&cookie))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert_eq!(refusal_in(&text), PrivacyRefusal::DeletePasswordWrong.into());
        let (status, headers, _) = app.request(form("/api/privacy/delete-account", &format!("password={}", enc(PASSWORD)), Some(&cookie))).await;
        assert!(status.is_success() || status.is_redirection(), "{status}");
        assert!(set_cookie(&headers).unwrap().contains("Max-Age=0"));
        let (_, _, me) = app.request(get("/api/account/me", Some(&cookie))).await;
        assert_eq!(me, "null");
        let e = service::sign_in(&*app.store, &RequestIdentity::default(), &email, PASSWORD, now()).await.unwrap_err();
        assert_eq!(e.status(), StatusCode::UNAUTHORIZED);

        // Orders stay (for the accounts), linked to a row that says nothing about the person.
        assert_eq!(app.store.orders_of(seeded).await.unwrap(), orders_before);
        let personal = [email.as_str(), "Zebedee", "Unforgettable", "EraseAgent", "192.0.2.44", &signed.session.public_id];
        let leaks = crate::support::scan_database(app, &personal).await;
        assert!(leaks.is_empty(), "personal data left behind: {leaks:?}");
    }

    async fn administrators_and_seeded_customers_are_provisioned_by_command_only(app: TestApp) {
        // No demo shopper without demo data, and no default administrator.
        assert!(app.store.account_by_email(server::startup::DEMO_EMAIL).await.unwrap().is_none());
        let staff = app.store.find_accounts("admin", 10).await.unwrap();
        assert!(staff.iter().all(|(a, _)| a.role != Role::Admin));
        // Seeded customers exist but cannot sign in until given an email and password.
        let (seeded, orders) = app.store.find_accounts("member-", 1).await.unwrap().remove(0);
        assert!(seeded.email.is_none() && seeded.password_hash.is_none() && orders > 0);
        let email = unique_email("boss");
        let id = service::provision(&*app.store, &email, "Boss", PASSWORD, Role::Admin, None, now()).await.unwrap();
        let signed = service::sign_in(&*app.store, &RequestIdentity::default(), &email, PASSWORD, now()).await.unwrap();
        assert_eq!((signed.user.id, signed.user.role), (id, Role::Admin));
        let weak = service::provision(&*app.store, &unique_email("weak"), "W", "password", Role::Admin, None, now()).await.unwrap_err();
        assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
    }
}

/// The page's inline scripts that a browser runs (not `src=` ones, not JSON-LD data), as
/// (opening tag, text).
fn inline_scripts(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        rest = &rest[i..];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..=tag_end];
        let text_len = rest[tag_end + 1..].find("</script>").unwrap();
        let text = &rest[tag_end + 1..tag_end + 1 + text_len];
        if !tag.contains(" src=") && !tag.contains("application/ld+json") {
            out.push((tag.to_string(), text.to_string()));
        }
        rest = &rest[tag_end + 1 + text_len..];
    }
    out
}

/// The CSP source that allows a script with this text.
fn sha256_source(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
    )
}
