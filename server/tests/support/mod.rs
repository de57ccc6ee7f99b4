//! Test harness: each test gets the real router on a fresh database, seeded with a slice of
//! the real demo data, on SQLite (a temporary file) or PostgreSQL (a new database on the
//! server named by EMPORIUM_TEST_PG_URL, as `make test` provides).

#![allow(dead_code)]

pub mod shop;
pub mod sql_count;

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

use server::seed::format::SeedData;
use server::storage::Store;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Orders kept from the real history for integration tests: enough for best sellers and
/// co-purchases, small enough that each test seeds in well under a second.
pub const SAMPLE_ORDERS: usize = 400;

pub fn sample_seed() -> &'static SeedData {
    static SEED: OnceLock<SeedData> = OnceLock::new();
    SEED.get_or_init(|| SeedData::embedded().sample(SAMPLE_ORDERS))
}

pub struct TestApp {
    pub router: Router,
    /// The database URL, for tests that inspect tables directly.
    pub url: String,
    pub backend: Backend,
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    pg_db: Option<(String, String)>,
}

fn pg_admin_url() -> String {
    std::env::var("EMPORIUM_TEST_PG_URL").expect(
        "EMPORIUM_TEST_PG_URL is not set: run `make test`, which starts a PostgreSQL, or point it at one (postgres://user@host:port/db)",
    )
}

/// `postgres://u@h:p/db?x` with the database name replaced.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map(|(b, q)| (b, Some(q)))
        .unwrap_or((url, None));
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let (url, dir, pg_db) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Some(dir), None)
        }
        Backend::Postgres => {
            let admin = pg_admin_url();
            let name = format!("emporium_test_{}", uuid_like());
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            (with_database(&admin, &name), None, Some((admin, name)))
        }
    };
    let store = server::startup::open_store(&url, false)
        .await
        .expect("open store");
    store
        .import_seed(sample_seed(), app::ports::now())
        .await
        .expect("seed");
    let state = server::startup::app_state(store.clone())
        .await
        .expect("state");
    let options = LeptosOptions::builder()
        .output_name("emporium")
        .site_root("target/site")
        .build();
    TestApp {
        router: server::router::router(options, state),
        url: url.clone(),
        backend,
        store,
        _dir: dir,
        pg_db,
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Far longer than any request of the suite takes on a loaded CI machine (seconds).
pub const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

impl TestApp {
    /// One request through the router. A request with no answer after [`REQUEST_LIMIT`]
    /// fails the test, naming it, instead of hanging the suite; nothing is sent twice.
    /// Requests carry a client address (127.0.0.1 unless the test gives one with
    /// [`TestApp::request_from`]), as the real server's socket would.
    pub async fn request(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        self.request_from("127.0.0.1:40000", req).await
    }

    /// One request from the client at `addr` (`ip:port`).
    pub async fn request_from(
        &self,
        addr: &str,
        mut req: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let what = format!("{} {}", req.method(), req.uri());
        if req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .is_none()
        {
            let addr: std::net::SocketAddr = addr.parse().expect("a client address ip:port");
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(addr));
        }
        // Every browser asks for compressed answers: so do the tests (a test may ask for
        // something else by setting the header itself).
        if !req
            .headers()
            .contains_key(axum::http::header::ACCEPT_ENCODING)
        {
            req.headers_mut().insert(
                axum::http::header::ACCEPT_ENCODING,
                axum::http::HeaderValue::from_static("br, gzip"),
            );
        }
        let (status, headers, bytes) = self
            .answer_within_limit(req)
            .await
            .unwrap_or_else(|| panic!("no answer within {REQUEST_LIMIT:?}: {what}"));
        let bytes = decode_body(&headers, bytes);
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    async fn answer_within_limit(
        &self,
        req: Request<Body>,
    ) -> Option<(StatusCode, axum::http::HeaderMap, bytes::Bytes)> {
        let router = self.router.clone();
        let answer = async move {
            let res: Response<Body> = router.oneshot(req).await.expect("router never fails");
            let status = res.status();
            let headers = res.headers().clone();
            let bytes = res.into_body().collect().await.expect("body").to_bytes();
            (status, headers, bytes)
        };
        tokio::time::timeout(REQUEST_LIMIT, answer).await.ok()
    }

    /// A second app server on the same database (a new router with its own state), as a
    /// load balancer would put beside this one.
    pub async fn another_instance(&self) -> Router {
        let state = server::startup::app_state(self.store.clone())
            .await
            .expect("state");
        let options = LeptosOptions::builder()
            .output_name("emporium")
            .site_root("target/site")
            .build();
        server::router::router(options, state)
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let (s, _, b) = self
            .request(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        (s, b)
    }

    /// Drop the PostgreSQL database (SQLite's temp dir goes by itself).
    pub async fn cleanup(self) {
        let TestApp {
            store,
            pg_db,
            router,
            ..
        } = self;
        drop(router);
        drop(store);
        if let Some((admin, name)) = pg_db {
            if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// The body as sent before compression (`Content-Encoding: br` or `gzip`, or none).
pub fn decode_body(headers: &axum::http::HeaderMap, bytes: bytes::Bytes) -> bytes::Bytes {
    use std::io::Read;
    let encoding = headers
        .get(axum::http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut out = Vec::new();
    match encoding {
        "br" => {
            brotli_decompressor::Decompressor::new(&bytes[..], 4096)
                .read_to_end(&mut out)
                .expect("a valid brotli body");
        }
        "gzip" => {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .expect("a valid gzip body");
        }
        "" | "identity" => return bytes,
        other => panic!("unexpected content-encoding {other}"),
    }
    out.into()
}

/// Defines `mod $name { fn sqlite(); fn postgres(); }` running the same async test body.
#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($app: &$crate::support::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::support::spawn_app($crate::support::Backend::Sqlite).await;
                    run(&app).await;
                    app.cleanup().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let app = $crate::support::spawn_app($crate::support::Backend::Postgres).await;
                    run(&app).await;
                    app.cleanup().await;
                }
            }
        )*
    };
}

/// Every (table, column) whose text contains one of `needles`.
pub async fn scan_database(app: &TestApp, needles: &[&str]) -> Vec<String> {
    use sqlx::Row;
    let mut leaks = Vec::new();
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.url).await.unwrap();
            let cols = sqlx::query("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE '\\_%' ESCAPE '\\'")
                .fetch_all(&pool).await.unwrap();
            for c in cols {
                let (t, col): (String, String) = (c.get(0), c.get(1));
                for n in needles {
                    let sql = format!(
                        "SELECT COUNT(*) FROM \"{t}\" WHERE CAST(\"{col}\" AS TEXT) LIKE $1"
                    );
                    let hits: i64 = sqlx::query_scalar(&sql)
                        .bind(format!("%{n}%"))
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                    if hits > 0 {
                        leaks.push(format!("{t}.{col} has {n}"));
                    }
                }
            }
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.url).await.unwrap();
            let cols = sqlx::query("SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'")
                .fetch_all(&pool).await.unwrap();
            for c in cols {
                let (t, col): (String, String) = (c.get(0), c.get(1));
                for n in needles {
                    let sql = format!(
                        "SELECT COUNT(*) FROM \"{t}\" WHERE CAST(\"{col}\" AS TEXT) LIKE $1"
                    );
                    let hits: i64 = sqlx::query_scalar(&sql)
                        .bind(format!("%{n}%"))
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                    if hits > 0 {
                        leaks.push(format!("{t}.{col} has {n}"));
                    }
                }
            }
            pool.close().await;
        }
    }
    leaks
}
