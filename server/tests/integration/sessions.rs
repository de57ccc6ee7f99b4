//! Sessions and sign-in over HTTP, as a browser meets them: a new session id at every
//! sign-in (the guest's or the earlier member session ends), every other device signed
//! out when the password changes (this one gets a new id), sign-in throttled per client
//! address (the socket's, given to each request by the harness), and a visitor's
//! favourites joining the account when they sign in. On both backends.

use axum::http::{HeaderMap, StatusCode};

use crate::support::shop::*;
use crate::support::TestApp;
use app::accounts::model::Role;
use app::accounts::session;
use app::accounts::throttle;
use app::catalog::model::ProductCard;
use app::state::now;

const NEW_PASSWORD: &str = "quince-lantern-4821";

/// The token of a `name=token` cookie.
fn token(cookie: &str) -> &str {
    cookie.split_once('=').expect("name=token").1
}

/// Who the server says `cookie` is (`null` when nobody).
async fn whoami(app: &TestApp, cookie: &str) -> String {
    let (status, _, text) = app.request(get("/api/account/me", Some(cookie))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    text
}

/// Signed in as someone, by the account's email in the answer.
async fn signed_in_as(app: &TestApp, cookie: &str, email: &str) -> bool {
    whoami(app, cookie).await.contains(email)
}

async fn session_exists(app: &TestApp, cookie: &str) -> bool {
    app.store
        .session(&session::hash_token(token(cookie)))
        .await
        .unwrap()
        .is_some()
}

/// `POST /api/account/sign-in` from `addr`, with `cookie` if the browser has one.
async fn sign_in_from(
    app: &TestApp,
    addr: &str,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> (StatusCode, HeaderMap, String) {
    let body = format!("email={}&password={}", enc(email), enc(password));
    app.request_from(addr, form("/api/account/sign-in", &body, cookie))
        .await
}

fn unique_email(tag: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{tag}{}@example.com", N.fetch_add(1, Ordering::Relaxed))
}

on_both_backends! {
    async fn sign_in_over_http_gives_a_new_session_id_and_ends_the_old_one(app: TestApp) {
        let codes = products(app, 1, 50).await;
        let m = member(app, "rotate", Role::Customer).await;
        // A visitor with a guest session (a basket) signs in: a new id, and the guest
        // session is gone, so whoever knew its id (a planted cookie) is not signed in.
        let guest = guest_cookie(app, &codes[0]).await;
        let (status, headers, text) = sign_in_from(app, "127.0.0.1:40000", &m.email, PASSWORD, Some(&guest)).await;
        assert!(status.is_success() || status.is_redirection(), "{status} {text}");
        let signed = session_cookie(&headers).expect("a session cookie at sign-in");
        assert_ne!(token(&signed), token(&guest), "a new session id at sign-in");
        assert!(signed_in_as(app, &signed, &m.email).await);
        assert!(!session_exists(app, &guest).await, "the guest session ended");
        assert_eq!(whoami(app, &guest).await, "null", "the old id signs nobody in");
        let (status, _, _) = app.request(get("/api/account/devices", Some(&guest))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // The basket came along to the account.
        let (_, _, cart) = app.request(get("/api/cart", Some(&signed))).await;
        assert!(cart.contains(&codes[0]), "{cart}");

        // A wrong password from the signed-in browser changes nothing: no new cookie, and
        // the session goes on.
        let (status, headers, _) = sign_in_from(app, "127.0.0.1:40000", &m.email, "wrong-guess-123", Some(&signed)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(session_cookie(&headers).is_none());
        assert!(signed_in_as(app, &signed, &m.email).await);

        // Signing in again while signed in: another new id, and the earlier one ends.
        let (status, headers, _) = sign_in_from(app, "127.0.0.1:40000", &m.email, PASSWORD, Some(&signed)).await;
        assert!(status.is_success() || status.is_redirection(), "{status}");
        let again = session_cookie(&headers).expect("a session cookie");
        assert_ne!(token(&again), token(&signed));
        assert!(signed_in_as(app, &again, &m.email).await);
        assert_eq!(whoami(app, &signed).await, "null", "the earlier member session ended");
        assert!(!session_exists(app, &signed).await);
        // The member's first session (another device) is untouched by this browser's sign-ins.
        assert!(signed_in_as(app, &m.cookie, &m.email).await);
    }

    async fn a_password_change_signs_out_every_other_device_and_renews_this_one(app: TestApp) {
        let m = member(app, "devices", Role::Customer).await;
        // Three devices: the member's first session (a tablet), a laptop and a phone, each
        // signed in over HTTP from its own address.
        let mut devices = vec![("tablet", m.cookie.clone())];
        for (device, addr) in [("laptop", "192.0.2.10:50001"), ("phone", "198.51.100.20:50002")] {
            let (status, headers, text) = sign_in_from(app, addr, &m.email, PASSWORD, None).await;
            assert!(status.is_success() || status.is_redirection(), "{device}: {status} {text}");
            devices.push((device, session_cookie(&headers).expect("a session cookie")));
        }
        let laptop = devices[1].1.clone();
        for (device, cookie) in &devices {
            assert!(signed_in_as(app, cookie, &m.email).await, "{device} signed in");
        }
        assert_eq!(app.store.account_sessions(m.id).await.unwrap().len(), 3);

        // A wrong current password: refused, and nobody is signed out.
        let wrong = format!("current=wrong-guess-123&new_password={}", enc(NEW_PASSWORD));
        let (status, headers, text) = app.request(form("/api/account/password", &wrong, Some(&laptop))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(session_cookie(&headers).is_none());
        for (device, cookie) in &devices {
            assert!(signed_in_as(app, cookie, &m.email).await, "{device} still signed in after a refused change");
        }

        // The change, from the laptop.
        let body = format!("current={}&new_password={}", enc(PASSWORD), enc(NEW_PASSWORD));
        let (status, headers, text) = app.request(form("/api/account/password", &body, Some(&laptop))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let renewed = session_cookie(&headers).expect("the laptop gets a new session cookie");
        assert_ne!(token(&renewed), token(&laptop), "a new session id for this device");
        assert!(signed_in_as(app, &renewed, &m.email).await, "the laptop stays signed in");
        // Every session that existed before the change is refused, the laptop's old id too.
        for (device, cookie) in &devices {
            assert_eq!(whoami(app, cookie).await, "null", "{device}'s session is refused after the change");
            assert!(!session_exists(app, cookie).await, "{device}'s session was deleted");
            let (status, _, _) = app.request(get("/api/account/devices", Some(cookie))).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{device}");
        }
        let left = app.store.account_sessions(m.id).await.unwrap();
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].token_hash, session::hash_token(token(&renewed)));
        // The old password no longer signs in; the new one does.
        let (status, _, _) = sign_in_from(app, "203.0.113.30:50003", &m.email, PASSWORD, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, headers, _) = sign_in_from(app, "203.0.113.30:50004", &m.email, NEW_PASSWORD, None).await;
        assert!(status.is_success() || status.is_redirection(), "{status}");
        assert!(session_cookie(&headers).is_some());
    }

    async fn sign_in_over_http_is_throttled_per_client_address(app: TestApp) {
        // Password spraying from one address: one wrong guess at each of many emails, each
        // from a new port (a new connection) of 203.0.113.9.
        let sprayer = "203.0.113.9";
        let mut statuses = Vec::new();
        for i in 0..30u16 {
            let (status, headers, text) = sign_in_from(app, &format!("{sprayer}:{}", 51000 + i), &unique_email("spray"), "wrong-guess-123", None).await;
            assert!(session_cookie(&headers).is_none());
            statuses.push(status.as_u16());
            if status == StatusCode::TOO_MANY_REQUESTS {
                assert!(text.contains("wait"), "{text}");
                break;
            }
            assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {}: {text}", i + 1);
        }
        // The address's 20 free failures are answered 401; once they are spent, a 429
        // follows within the next few attempts (each wait doubles, so however slowly this
        // machine hashes, one lands inside a wait long before 30).
        assert!(statuses.len() > throttle::PER_ADDRESS.free as usize, "throttled before the free failures were spent: {statuses:?}");
        assert_eq!(statuses.last(), Some(&429), "never throttled: {statuses:?}");
        println!("from one address: {} failed sign-ins answered 401, then 429", statuses.len() - 1);
        let counted = app.store.throttle(&throttle::address_key(sprayer)).await.unwrap().expect("failures counted under the client's address");
        assert_eq!(counted.failures, statuses.len() as i64 - 1, "each refused guess counted once, the 429 not at all");
        assert!(app.store.throttle(&throttle::address_key("127.0.0.1")).await.unwrap().is_none(), "nothing counted under the harness's default address");

        // Ten more failures on record (directly, so that a slow machine's pace cannot let
        // the wait run out): the address now waits a minute, for any email, even with the
        // right password, and an X-Forwarded-For header from an untrusted peer changes
        // nothing.
        for _ in 0..10 {
            app.store.throttle_fail(&throttle::address_key(sprayer), now(), now() - 3600).await.unwrap();
        }
        let m = member(app, "sprayed", Role::Customer).await;
        let (status, headers, text) = sign_in_from(app, &format!("{sprayer}:52000"), &m.email, PASSWORD, None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
        assert!(session_cookie(&headers).is_none());
        let mut spoofed = form("/api/account/sign-in", &format!("email={}&password={}", enc(&m.email), enc(PASSWORD)), None);
        spoofed.headers_mut().insert("x-forwarded-for", "192.0.2.200".parse().unwrap());
        let (status, _, text) = app.request_from(&format!("{sprayer}:52001"), spoofed).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "a forwarded-for header is believed only from a trusted proxy: {text}");

        // Another address, and the harness's default one, are not affected: a wrong guess
        // is told so (401), and the member signs in.
        for addr in ["198.51.100.7:40001", "127.0.0.1:40000"] {
            let (status, _, text) = sign_in_from(app, addr, &unique_email("elsewhere"), "wrong-guess-123", None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{addr}: {text}");
        }
        let (status, headers, text) = sign_in_from(app, "198.51.100.7:40002", &m.email, PASSWORD, None).await;
        assert!(status.is_success() || status.is_redirection(), "{status} {text}");
        let cookie = session_cookie(&headers).expect("a session cookie");
        assert!(signed_in_as(app, &cookie, &m.email).await);
    }

    async fn a_visitors_favourites_join_the_account_when_they_sign_in(app: TestApp) {
        let codes = products(app, 3, 50).await;
        let m = member(app, "fav", Role::Customer).await;
        // The account already keeps one of them (from another device).
        let (status, _, text) = app.request(form("/api/favourites/add", &format!("codes[0]={}", codes[0]), Some(&m.cookie))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        // A visitor keeps favourites in the browser only: the server stores none for them.
        let guest = guest_cookie(app, &codes[2]).await;
        let visitor_list = [codes[1].clone(), codes[0].clone()];
        let merge = visitor_list.iter().enumerate().map(|(i, c)| format!("codes[{i}]={c}")).collect::<Vec<_>>().join("&");
        let (status, _, _) = app.request(form("/api/favourites/add", &merge, Some(&guest))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "a visitor's favourites stay in the browser");
        let (status, _, _) = app.request(get("/api/favourites", Some(&guest))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // The visitor signs in; the first page the member opens sends this browser's list
        // (favourites::sync_with_account), with the new session.
        let (status, headers, _) = sign_in_from(app, "127.0.0.1:40000", &m.email, PASSWORD, Some(&guest)).await;
        assert!(status.is_success() || status.is_redirection(), "{status}");
        let signed = session_cookie(&headers).expect("a session cookie");
        let (status, _, text) = app.request(form("/api/favourites/add", &merge, Some(&signed))).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        // The same list sent again (a second tab merging too) adds nothing twice.
        let (status, _, _) = app.request(form("/api/favourites/add", &merge, Some(&signed))).await;
        assert_eq!(status, StatusCode::OK);

        // The account holds the visitor's favourites and its own, each once, on every device.
        for (device, cookie) in [("this browser", &signed), ("the other device", &m.cookie)] {
            let (status, _, text) = app.request(get("/api/favourites", Some(cookie))).await;
            assert_eq!(status, StatusCode::OK, "{device}: {text}");
            let cards: Vec<ProductCard> = serde_json::from_str(&text).unwrap();
            let mut held: Vec<&str> = cards.iter().map(|c| c.code.as_str()).collect();
            held.sort();
            let mut want = vec![codes[0].as_str(), codes[1].as_str()];
            want.sort();
            assert_eq!(held, want, "{device}");
        }
        let mut stored = app.store.favourites(m.id).await.unwrap();
        stored.sort();
        let mut want = vec![codes[0].clone(), codes[1].clone()];
        want.sort();
        assert_eq!(stored, want, "stored once each");
    }
}
