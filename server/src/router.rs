//! The HTTP router: Leptos pages and server functions, product images, preference links,
//! static files, the data export download, and the cross-cutting layers (security:
//! identity, cross-site refusal, headers; limits; compression).

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use app::state::AppState;

use crate::security::{SecurityOptions, SecurityState};
use app::{shell, App};

/// Longer URLs are refused before any work is done (a search is capped far below this).
pub const MAX_URI_BYTES: usize = 4096;

/// The router with default security options (no trusted proxy, no forced HSTS).
pub fn router(options: LeptosOptions, state: AppState) -> Router {
    router_with(options, state, SecurityOptions::default())
}

/// The app's routes, worked out once per process. `generate_route_list` switches Leptos's
/// resource loading off process-wide while it runs (leptos-rs/leptos#4773), so a page
/// rendered meanwhile by another router of the same process would wait forever: never call
/// it per router.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The routes the router serves itself, beside the Leptos pages and server functions (and
/// `/pkg`, the build outputs). The access test (`server/tests/integration/routes.rs`)
/// reads this table, so a route added here without a row there fails it.
fn own_routes() -> Vec<(&'static str, MethodRouter<LeptosOptions>)> {
    use crate::payments::simulated::routes as sim;
    vec![
        ("/img/p/{file}", get(crate::images::product_image)),
        ("/prefs", get(crate::http_extras::set_prefs)),
        ("/account/export.json", get(crate::account_export::export)),
        ("/pay/sim/tokens", post(sim::tokens)),
        (
            "/pay/sim/3ds/{provider_ref}",
            get(sim::challenge_page).post(sim::approve),
        ),
        (
            "/webhooks/payments",
            post(crate::payments::webhook::receive),
        ),
        ("/pay/sim/wallet/{provider_ref}", get(sim::wallet_page)),
        (
            "/pay/sim/wallet/{provider_ref}/{decision}",
            post(sim::wallet_decide),
        ),
        ("/webhooks/carrier/{carrier}", post(crate::carrier::receive)),
    ]
}

/// The paths of [`own_routes`], and `/pkg`.
pub fn own_route_paths() -> Vec<&'static str> {
    let mut paths: Vec<_> = own_routes().into_iter().map(|(path, _)| path).collect();
    paths.push("/pkg");
    paths
}

pub fn router_with(options: LeptosOptions, state: AppState, security: SecurityOptions) -> Router {
    let routes = route_list();
    let site_root = options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", options.site_pkg_dir);
    let ctx_state = state.clone();
    let security = SecurityState {
        app: state.clone(),
        options: std::sync::Arc::new(security),
    };
    let shell_options = options.clone();

    // Hashed build outputs never change under the same name: cache them for a year.
    let pkg = Router::new()
        // The release build writes .br and .gz beside each file (best quality, done once).
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));

    let cache = crate::page_cache::PageCache::default();
    let mut router = Router::new();
    for (path, handler) in own_routes() {
        router = router.route(path, handler);
    }
    let routed = router
        .nest("/pkg", pkg)
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(ctx_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            shell,
        ))
        // Innermost first. The preload fix and the error status read bodies, so they sit
        // inside the compression layer (outside it they would see compressed bytes).
        .layer(middleware::from_fn(
            crate::security::fix_preload_crossorigin,
        ))
        .layer(middleware::from_fn_with_state(
            cache.clone(),
            crate::page_cache::middleware,
        ))
        .layer(middleware::from_fn(server_fn_error_status))
        // Pages are compressed as they are sent: brotli's default quality (11) costs
        // milliseconds of CPU per page, quality 4 a few dozen microseconds for most of the
        // gain (build outputs under /pkg/ are precompressed at 11 instead).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(middleware::from_fn(limit_uri))
        .layer(middleware::from_fn_with_state(
            security.clone(),
            crate::security::refuse_cross_site,
        ))
        .layer(middleware::from_fn_with_state(
            security.clone(),
            crate::security::identity,
        ))
        .with_state(options)
        .layer(axum::Extension(state));

    // Outside the routes: a page in the micro-cache is answered before routing, with the
    // security headers (a hit needs none of the layers above).
    Router::new()
        .fallback_service(routed)
        .layer(middleware::from_fn_with_state(
            cache,
            crate::page_cache::serve_hits,
        ))
        .layer(middleware::from_fn_with_state(
            security,
            crate::security::headers,
        ))
        .layer(middleware::from_fn(refuse_unserved_methods))
}

/// The shop answers GET, HEAD and POST on origin-form paths (`/...`) and nothing else.
/// Anything else (CONNECT with its `host:port` target, TRACE, PUT, ...) is refused here,
/// before Leptos sees it: leptos_axum panics on an authority-form request.
async fn refuse_unserved_methods(req: Request<Body>, next: Next) -> Response {
    let served = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::POST
    );
    let origin_form = req
        .uri()
        .path_and_query()
        .is_some_and(|p| p.as_str().starts_with('/'));
    if served && origin_form {
        return next.run(req).await;
    }
    let mut res = crate::http_extras::message_page(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        "This shop answers GET, HEAD and POST requests only.",
    )
    .into_response();
    res.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
    res
}

/// A 10 kB query string is not a search; say so instead of working on it.
async fn limit_uri(req: Request<Body>, next: Next) -> Response {
    let len = req.uri().to_string().len();
    if len > MAX_URI_BYTES {
        return crate::http_extras::message_page(
            StatusCode::URI_TOO_LONG,
            "That address is too long",
            &format!("Addresses on this shop are at most {MAX_URI_BYTES} characters; this one has {len}. Please shorten your search."),
        )
        .into_response();
    }
    next.run(req).await
}

/// The one place where a server function's error gets its HTTP status. server_fn 0.8
/// answers every error with 500, both those our functions return and those it raises itself
/// (arguments that do not decode); all of them are encoded `AppError`s, so give each the
/// status its variant says.
async fn server_fn_error_status(req: Request<Body>, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = err.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}
