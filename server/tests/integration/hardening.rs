//! Defects found by probing the shop (issue 10), each pinned by a test that failed before its
//! fix: hostile text in `<head>`, open redirects, methods the shop does not serve, origin
//! checks, error statuses under compression, the staff page's status, preference cookies
//! and the preload links. Real router, fresh database, both backends.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use app::accounts::model::Role;
use app::accounts::service;
use app::state::now;

use crate::support::shop::{bare_get as get, enc, form, unique_email, PASSWORD};

/// A member of `role`, signed in: their session cookie.
async fn member(app: &crate::support::TestApp, tag: &str, role: Role) -> String {
    crate::support::shop::member(app, tag, role).await.cookie
}

fn head_of(html: &str) -> &str {
    let end = html.find("</head>").expect("a head");
    &html[..end]
}

on_both_backends! {
    async fn hostile_search_queries_stay_text_in_the_title(app: TestApp) {
        for (q, raw) in [
            ("%3C%2Ftitle%3E%3Ch1%3EINJECTED%3C%2Fh1%3E", "<h1>INJECTED</h1>"),
            ("%3C%2Ftitle%3E%3Cmeta%20http-equiv%3D%22refresh%22%20content%3D%220%3Burl%3Dhttps%3A%2F%2Fevil.example%22%3E", "<meta http-equiv=\"refresh\""),
            ("%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<script>alert(1)</script>"),
        ] {
            let (status, html) = app.get(&format!("/search?q={q}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(!html.contains(raw), "{raw} reached the page as markup");
            assert_eq!(html.matches("<title>").count(), 1);
            let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
            assert!(title.contains("&lt;"), "the query is in the title, escaped: {title}");
        }
    }

    async fn hostile_product_titles_cannot_leave_head_tags_or_json_ld(app: TestApp) {
        let code = app.store.best_sellers(0, 1).await.unwrap().remove(0).code;
        let hostile = "Mug </script><script>alert(1)</script><!-- \" onload=\"x </title><h1>INJECTED</h1>";
        match app.backend {
            crate::support::Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
                sqlx::query("UPDATE products SET title = $1, description = $1 WHERE code = $2")
                    .bind(hostile).bind(&code).execute(&pool).await.unwrap();
                pool.close().await;
            }
            crate::support::Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
                sqlx::query("UPDATE products SET title = $1, description = $1 WHERE code = $2")
                    .bind(hostile).bind(&code).execute(&pool).await.unwrap();
                pool.close().await;
            }
        }
        let (status, html) = app.get(&format!("/p/{code}")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(!html.contains("<h1>INJECTED"), "markup from the title reached the page");
        assert!(!html.contains("<script>alert(1)"), "a script from the title reached the page");
        let head = head_of(&html);
        // The JSON-LD block is whole and parses back to the real title.
        let start = html.find("application/ld+json").expect("json-ld");
        let body_start = start + html[start..].find('>').unwrap() + 1;
        let body_end = body_start + html[body_start..].find("</script>").unwrap();
        let ld: serde_json::Value = serde_json::from_str(&html[body_start..body_end]).expect("JSON-LD parses");
        assert_eq!(ld["name"], hostile);
        // Meta tags keep the text inside their quoted attribute.
        assert!(!head.contains("\" onload=\"x"), "an attribute quote was not escaped");
    }

    async fn redirects_with_tabs_newlines_or_backslashes_stay_on_site(app: TestApp) {
        for back in ["/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example", "/%5Cevil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example", "https://evil.example"] {
            let (status, headers, _) = app.request(get(&format!("/prefs?theme=dark&back={back}"), None)).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{back}");
            assert_eq!(headers.get(header::LOCATION).unwrap(), "/", "{back}");
        }
        let (_, headers, _) = app.request(get("/prefs?theme=dark&back=/c/kitchen%3Fpage%3D2", None)).await;
        assert_eq!(headers.get(header::LOCATION).unwrap(), "/c/kitchen?page=2");
        // Sign-in's `next` is checked the same way.
        let email = unique_email("next");
        service::provision(&*app.store, &email, "Next", PASSWORD, Role::Customer, None, now()).await.unwrap();
        for next in ["/%09/evil.example", "/%0A/evil.example", "/%5C/evil.example"] {
            let body = format!("email={}&password={}&next={next}", email.replace('@', "%40"), PASSWORD.replace(' ', "+"));
            let req = Request::post("/api/account/sign-in")
                .header(header::HOST, "shop.test")
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap();
            let (status, headers, text) = app.request(req).await;
            assert!(status.is_redirection() || status.is_success(), "{next}: {status} {text}");
            let location = headers.get(header::LOCATION).expect("a redirect").to_str().unwrap();
            assert_eq!(location, "/account", "{next}");
        }
    }

    async fn methods_the_shop_does_not_serve_are_refused_before_leptos(app: TestApp) {
        let connect = Request::builder()
            .method(Method::CONNECT)
            .uri("shop.test:443")
            .header(header::HOST, "shop.test:443")
            .body(Body::empty())
            .unwrap();
        let (status, headers, _) = app.request(connect).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(headers.get(header::ALLOW).unwrap(), "GET, HEAD, POST");
        for method in [Method::TRACE, Method::PUT, Method::DELETE, Method::PATCH] {
            let req = Request::builder().method(method.clone()).uri("/").header(header::HOST, "shop.test").body(Body::empty()).unwrap();
            let (status, _, _) = app.request(req).await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        }
        // The shop still answers what it serves.
        let (status, _) = app.get("/").await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn an_origin_of_another_scheme_or_port_is_cross_site(app: TestApp) {
        let cookie = member(app, "origin", Role::Customer).await;
        for origin in ["https://shop.test", "http://shop.test:8443", "http://evil.example"] {
            let req = Request::post("/api/privacy/consents/set")
                .header(header::HOST, "shop.test")
                .header(header::ORIGIN, origin)
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("purpose=Marketing&granted=true"))
                .unwrap();
            let (status, _, text) = app.request(req).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{origin}: {text}");
        }
        let req = Request::post("/api/privacy/consents/set")
            .header(header::HOST, "shop.test")
            .header(header::ORIGIN, "http://shop.test")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("purpose=Marketing&granted=true"))
            .unwrap();
        let (status, _, text) = app.request(req).await;
        assert_eq!(status, StatusCode::OK, "the shop's own origin: {text}");
    }

    async fn error_statuses_survive_compression(app: TestApp) {
        let customer = member(app, "gzip", Role::Customer).await;
        for encoding in ["br, gzip", "gzip", "br"] {
            for (path, cookie, want) in [
                ("/api/account/devices", None, StatusCode::UNAUTHORIZED),
                ("/api/staff/customers?q=alice", Some(customer.as_str()), StatusCode::FORBIDDEN),
                ("/api/orders/detail?number=EMNOSUCH", Some(customer.as_str()), StatusCode::NOT_FOUND),
            ] {
                let mut req = get(path, cookie);
                req.headers_mut().insert("sec-fetch-site", "same-origin".parse().unwrap());
                req.headers_mut().insert(header::ACCEPT_ENCODING, encoding.parse().unwrap());
                let (status, headers, text) = app.request(req).await;
                assert_eq!(status, want, "{path} with {encoding}: {text}");
                assert!(headers.contains_key(header::CONTENT_ENCODING), "{path} was compressed ({encoding})");
                let err: app::error::AppError = serde_json::from_str(&text).expect("an AppError");
                assert_eq!(err.status(), want);
            }
        }
    }

    async fn the_staff_page_refuses_like_its_data(app: TestApp) {
        let customer = member(app, "staffpage", Role::Customer).await;
        let agent = member(app, "staffagent", Role::Agent).await;
        let (status, _, html) = app.request(get("/staff", None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(html.contains("/signin?next="), "a way to sign in");
        assert!(!html.contains("staff-q"), "no search form for visitors");
        let (status, _, html) = app.request(get("/staff", Some(&customer))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!html.contains("staff-q"), "no search form for customers");
        let (status, _, html) = app.request(get("/staff", Some(&agent))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("id=\"staff-q\""), "agents get the search form");
    }

    async fn preference_cookies_are_secure_and_preloads_carry_no_nonce(app: TestApp) {
        let (_, headers, _) = app.request(get("/prefs?lang=zh-CN&theme=dark&back=/", None)).await;
        let cookies: Vec<_> = headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
        assert_eq!(cookies.len(), 2, "{cookies:?}");
        for c in &cookies {
            assert!(c.split(';').any(|p| p.trim() == "Secure"), "{c}");
        }
        // A member's page carries its response's nonce, in nonce attributes only.
        let m = member(app, "preloads", Role::Customer).await;
        for _ in 0..2 {
            let (_, headers, html) = app.request(get("/", Some(&m))).await;
            let csp = headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
            let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
            assert!(!html.contains(&format!("crossorigin=\"{nonce}\"")), "the nonce is in a crossorigin attribute");
            assert_eq!(html.matches(nonce).count(), html.matches(&format!("nonce=\"{nonce}\"")).count(), "the nonce appears only in nonce attributes");
            assert!(html.contains("rel=\"modulepreload\""));
        }
        // An anonymous page (rendered, then from the micro-cache) has no nonce at all.
        for _ in 0..2 {
            let (_, _, html) = app.request(get("/", None)).await;
            assert!(!html.contains("nonce=") && html.contains("crossorigin=\"anonymous\""));
            assert!(html.contains("rel=\"modulepreload\""));
        }
    }

    async fn concurrent_wrong_passwords_get_no_extra_guesses(app: TestApp) {
        use tower::ServiceExt;
        let email = unique_email("burst");
        service::provision(&*app.store, &email, "Burst", PASSWORD, Role::Customer, None, now()).await.unwrap();
        // Three instances on one database, 24 wrong passwords at once, released together.
        let routers = [app.router.clone(), app.another_instance().await, app.another_instance().await];
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(24));
        let body = format!("email={}&password=wrong-guess-123", enc(&email));
        let mut tasks = Vec::new();
        for i in 0..24 {
            let router = routers[i % 3].clone();
            let barrier = barrier.clone();
            let mut req = form("/api/account/sign-in", &body, None);
            req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([192, 0, 2, 10], 40000 + i as u16))));
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let answer = router.oneshot(req);
                tokio::time::timeout(crate::support::REQUEST_LIMIT, answer).await.expect("an answer").unwrap().status()
            }));
        }
        let mut checked = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                StatusCode::UNAUTHORIZED => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => refused += 1,
                other => panic!("unexpected {other}"),
            }
        }
        // 5 are free; a sixth may pass if the clock ticks to the next second mid-burst.
        assert!((5..=6).contains(&checked), "{checked} passwords were checked, {refused} refused");
        assert_eq!(checked + refused, 24);
        let record = app.store.throttle(&app::accounts::throttle::account_key(&email)).await.unwrap().unwrap();
        assert_eq!(record.failures, checked, "every checked password is on record");
    }

    async fn password_rechecks_are_throttled_like_sign_in(app: TestApp) {
        let cookie = member(app, "recheck", Role::Customer).await;
        let mut wrong = 0;
        let mut refused = 0;
        for i in 0..30 {
            let body = format!("current=wrong-guess-{i:03}&new_password=another-long-passphrase");
            let (status, _, text) = app.request(form("/api/account/password", &body, Some(&cookie))).await;
            match status {
                StatusCode::BAD_REQUEST => wrong += 1,
                StatusCode::TOO_MANY_REQUESTS => refused += 1,
                other => panic!("password change answered {other}: {text}"),
            }
        }
        assert!(wrong <= 6, "{wrong} current passwords were checked in a burst");
        assert!(refused >= 24, "{refused}");
        // Account deletion re-checks under the same count: refused too, and nothing erased.
        let (status, _, text) = app.request(form("/api/privacy/delete-account", "password=wrong-guess-999", Some(&cookie))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
        let (status, _, me) = app.request(get("/api/account/me", Some(&cookie))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(me.contains("recheck"), "still signed in and not erased: {me}");
    }

    async fn sign_up_cannot_be_used_to_test_a_list_of_emails(app: TestApp) {
        let email = unique_email("taken");
        service::provision(&*app.store, &email, "Taken", PASSWORD, Role::Customer, None, now()).await.unwrap();
        let body = format!("email={}&name=Probe&password={}", enc(&email), enc("a fresh long passphrase"));
        let mut conflicts = 0;
        let mut refused = 0;
        for _ in 0..12 {
            let (status, _, text) = app.request(form("/api/account/sign-up", &body, None)).await;
            match status {
                StatusCode::CONFLICT => conflicts += 1,
                StatusCode::TOO_MANY_REQUESTS => refused += 1,
                other => panic!("sign-up answered {other}: {text}"),
            }
        }
        assert!(conflicts <= 6, "{conflicts} probes of one email were answered");
        assert!(refused >= 6, "{refused}");
        // Probing a list of customers' emails, one try each, runs into the address's limit.
        let hash = app::accounts::password::hash(PASSWORD).await.unwrap();
        let mut listed = Vec::new();
        for i in 0..30 {
            let e = unique_email(&format!("listed{i}-"));
            app.store.create_account(&e, "Listed", &hash, Role::Customer, now()).await.unwrap();
            listed.push(e);
        }
        let mut answered = 0;
        for e in &listed {
            let body = format!("email={}&name=Probe&password={}", enc(e), enc("a fresh long passphrase"));
            let (status, _, _) = app.request_from("198.51.100.20:5000", form("/api/account/sign-up", &body, None)).await;
            if status == StatusCode::CONFLICT {
                answered += 1;
            }
        }
        assert!(answered <= 21, "{answered} of 30 listed emails were confirmed from one address");
        // A real newcomer from another address signs up at once.
        let body = format!("email={}&name=New&password={}", enc(&unique_email("newcomer")), enc("a fresh long passphrase"));
        let (status, _, text) = app.request_from("198.51.100.21:5000", form("/api/account/sign-up", &body, None)).await;
        assert!(status.is_success() || status.is_redirection(), "{status}: {text}");
    }
}
