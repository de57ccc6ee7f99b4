//! Issue 10, item 24: signed-in pages rendered many times at once through the real router,
//! on both backends, while other routers are being built in the same process. Building a
//! router once called `generate_route_list(App)`, which switches Leptos's resource loading
//! off process-wide while it runs (leptos-rs/leptos#4773): a page whose resource was first
//! polled at that moment waited forever. The route list is now made once per process
//! (`server/src/router.rs`); this test renders the order detail, cart, tracking and
//! notification pages 2,000 times, 64 at once, with a router being built every
//! millisecond or so, and fails naming the page if any render takes longer than 30 s.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::shop::*;
use app::accounts::model::Role;
use app::orders::shipping;
use app::state::{now, ShippingConfig};
use server::payments::simulated::SimulatedGateway;

const RENDERS: usize = 2_000;
const AT_ONCE: usize = 64;
/// Far longer than a render takes even on a loaded 2-core machine: past it, a render hangs.
const RENDER_LIMIT: Duration = Duration::from_secs(30);

/// Stops the router builder when the test ends, passed or failed (the runtime waits for
/// its blocking thread at shutdown).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// One page through the router: status and the (uncompressed) body.
async fn render(router: Router, req: Request<Body>) -> (StatusCode, String) {
    let res = router.oneshot(req).await.expect("router never fails");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A whole page: the document, then the resolved resources' trailer, which Leptos writes
/// last (a render that stalls after one `<Suspense>` lacks it: leptos-rs/leptos#4851).
fn complete(body: &str) -> bool {
    body.contains("</html>")
        && body
            .trim_end()
            .ends_with("__INCOMPLETE_CHUNKS=[];</script>")
}

/// A page as the signed-in member's browser asks for it, with the client address the
/// real socket gives.
fn page(path: &str, cookie: &str) -> Request<Body> {
    let mut req = get(path, Some(cookie));
    let addr: std::net::SocketAddr = "127.0.0.1:40000".parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

on_both_backends! {
    async fn signed_in_pages_render_2000_times_64_at_once_while_routers_are_built(app: TestApp) {
        // A member with a shipped order (detail, tracking), a notification trail and a
        // basket with a line in it.
        let codes = products(app, 2, 50).await;
        let shopper = member(app, "stress", Role::Customer).await;
        let agent = member_agent(app).await;
        let order = place_http(app, &shopper.cookie, &codes[0], 1, "stress-key-0000001").await;
        let n = order.number.clone();
        shipping::pack(&*app.store, agent, &n, now()).await.unwrap();
        let gateway = SimulatedGateway::with_ledger(app.store.sim_ledger());
        shipping::ship(&*app.store, &gateway, &ShippingConfig::default(), agent, &n, now())
            .await
            .unwrap();
        let (status, _, text) = app
            .request(form("/api/cart/add", &format!("code={}&quantity=2", codes[1]), Some(&shopper.cookie)))
            .await;
        assert_eq!(status, StatusCode::OK, "{text}");

        // Each page with what shows it rendered in full (its data, not a fallback).
        let pages: Arc<Vec<(String, Vec<String>)>> = Arc::new(vec![
            (format!("/orders/{n}"), vec!["data-testid=\"order-detail\"".into(), n.clone()]),
            ("/cart".into(), vec![format!("/p/{}", codes[1]), "data-testid=\"go-to-checkout\"".into()]),
            (format!("/orders/{n}/tracking"), vec!["data-testid=\"tracking\"".into(), format!("data-number=\"{n}\"")]),
            ("/account/notifications".into(), vec!["data-testid=\"notification\"".into(), n.clone()]),
        ]);
        // Positive control: each page, once, before the load.
        for (path, needles) in pages.iter() {
            let (status, body) = render(app.router.clone(), page(path, &shopper.cookie)).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            for needle in needles {
                assert!(body.contains(needle), "{path} lacks {needle}: {body}");
            }
            assert!(complete(&body), "{path} is complete: ...{}", &body[body.len().saturating_sub(300)..]);
        }

        // Routers built all along, as each test (or each instance) does, on a thread of
        // their own, until the renders are over.
        let state = server::startup::app_state(app.store.clone()).await.unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let _stop_on_drop = StopOnDrop(stop.clone());
        let built = Arc::new(AtomicUsize::new(0));
        let builder = tokio::task::spawn_blocking({
            let (stop, built) = (stop.clone(), built.clone());
            move || {
                let options = leptos::prelude::LeptosOptions::builder()
                    .output_name("emporium")
                    .site_root("target/site")
                    .build();
                while !stop.load(Ordering::SeqCst) {
                    drop(server::router::router(options.clone(), state.clone()));
                    built.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        });

        let started = Instant::now();
        let next = Arc::new(AtomicUsize::new(0));
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..AT_ONCE {
            let (router, pages, next, built) = (app.router.clone(), pages.clone(), next.clone(), built.clone());
            let cookie = shopper.cookie.clone();
            workers.spawn(async move {
                let mut slowest = Duration::ZERO;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= RENDERS {
                        return Ok::<Duration, String>(slowest);
                    }
                    let (path, needles) = &pages[i % pages.len()];
                    let t = Instant::now();
                    let Ok((status, body)) = tokio::time::timeout(RENDER_LIMIT, render(router.clone(), page(path, &cookie))).await else {
                        return Err(format!(
                            "render {i} of {path} did not finish within {RENDER_LIMIT:?} (a hang; {} routers built so far)",
                            built.load(Ordering::SeqCst)
                        ));
                    };
                    slowest = slowest.max(t.elapsed());
                    if status != StatusCode::OK || !needles.iter().all(|s| body.contains(s)) || !complete(&body) {
                        return Err(format!("render {i} of {path}: {status}, incomplete: {body}"));
                    }
                }
            });
        }
        let mut slowest = Duration::ZERO;
        while let Some(done) = workers.join_next().await {
            match done.expect("a render worker panicked") {
                Ok(s) => slowest = slowest.max(s),
                Err(failure) => {
                    workers.abort_all();
                    panic!("{:?}: {failure}", app.backend);
                }
            }
        }
        let elapsed = started.elapsed();
        stop.store(true, Ordering::SeqCst);
        builder.await.unwrap();
        let routers = built.load(Ordering::SeqCst);
        eprintln!(
            "{:?}: {RENDERS} signed-in renders, {AT_ONCE} at once, in {elapsed:?} (slowest {slowest:?}) \
             while {routers} routers were built",
            app.backend
        );
        assert!(routers > 0, "routers were built during the renders");
    }
}

/// A staff member who packs and ships (their account id).
async fn member_agent(app: &crate::support::TestApp) -> i64 {
    member(app, "stress-agent", Role::Agent).await.id
}
