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

/// How long a test waits for a pooled connection before the request fails with an error:
/// a starved pool is a failure with a message, never something that looks like a hang.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Prefix of the PostgreSQL databases (and SQLite folders) the harness makes; each name
/// goes on with the test process's id, so leftovers of a process that is gone are found.
const TEST_DB: &str = "emporium_test_";
const TEMPLATE_DB: &str = "emporium_tmpl_";

/// A fresh database for each test, copied from a template seeded once per test process
/// (a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL).
pub async fn spawn_app(backend: Backend) -> TestApp {
    let (url, dir, pg_db) = match backend {
        Backend::Sqlite => {
            let template = sqlite_template();
            let dir = tempfile::tempdir().expect("temp dir");
            let db = dir.path().join("test.db");
            std::fs::copy(template, &db).expect("copy the template database");
            (format!("sqlite://{}", db.display()), Some(dir), None)
        }
        Backend::Postgres => {
            let admin = pg_admin_url();
            let template = pg_template();
            let name = format!("{TEST_DB}{}", uuid_like());
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to PostgreSQL");
            // Copies of one template are made one at a time: PostgreSQL refuses a copy
            // while another session is using the template.
            static COPYING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
            let _one_at_a_time = COPYING.lock().await;
            sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(&mut conn)
                .await
                .expect("create the test database from the template");
            (with_database(&admin, &name), None, Some((admin, name)))
        }
    };
    let store = connect(&url).await;
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

async fn connect(url: &str) -> Arc<dyn Store> {
    let settings = server::storage::PoolSettings {
        acquire_timeout: ACQUIRE_TIMEOUT,
    };
    let store = server::storage::connect_with(url, &settings)
        .await
        .expect("open store");
    store.migrate().await.expect("migrate");
    store
}

/// Migrate and seed a new database at `url`, on a runtime of its own (the template outlives
/// the test that first asks for it), and close every connection to it; for SQLite, then
/// write the whole database to the file `vacuum_into`.
fn seed_template(url: String, vacuum_into: Option<std::path::PathBuf>) {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let store = connect(&url).await;
            store
                .import_seed(sample_seed(), app::state::now())
                .await
                .expect("seed");
            store.close().await;
            if let Some(file) = &vacuum_into {
                // A complete copy in one file, whatever the pool's closing connections have
                // yet to write back from the write-ahead log.
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                    .await
                    .expect("open the seeded database");
                sqlx::query("VACUUM INTO $1")
                    .bind(file.display().to_string())
                    .execute(&mut conn)
                    .await
                    .expect("copy the seeded database");
                sqlx::Connection::close(conn)
                    .await
                    .expect("close the seeded database");
            }
        });
    })
    .join()
    .expect("seeding the template database failed");
}

fn process_is_gone(pid: &str) -> bool {
    pid.parse::<u32>()
        .is_ok_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists())
}

/// The seeded SQLite template file of this test process. Folders that test processes
/// which are gone left behind are removed first.
fn sqlite_template() -> &'static std::path::Path {
    static TEMPLATE: OnceLock<std::path::PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let root = std::env::temp_dir().join("emporium-test-templates");
        for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            if process_is_gone(&entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let dir = root.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).expect("template folder");
        let (seeded, file) = (dir.join("seeded.db"), dir.join("template.db"));
        for old in [&seeded, &file] {
            let _ = std::fs::remove_file(old);
        }
        seed_template(format!("sqlite://{}", seeded.display()), Some(file.clone()));
        file
    })
}

/// The seeded PostgreSQL template database of this test process. Test and template
/// databases that test processes which are gone left behind are dropped first.
fn pg_template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let admin = pg_admin_url();
        let name = format!("{TEMPLATE_DB}{}", std::process::id());
        let prepare = {
            let (admin, name) = (admin.clone(), name.clone());
            move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                        .await
                        .expect("connect to PostgreSQL");
                    let existing: Vec<String> = sqlx::query_scalar(
                        "SELECT datname::text FROM pg_database WHERE datname LIKE 'emporium\\_t%'",
                    )
                    .fetch_all(&mut conn)
                    .await
                    .expect("list databases");
                    for db in existing {
                        let pid = db
                            .strip_prefix(TEST_DB)
                            .or_else(|| db.strip_prefix(TEMPLATE_DB))
                            .and_then(|rest| rest.split('_').next());
                        if pid.is_some_and(process_is_gone) || db == name {
                            let _ =
                                sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                                    .execute(&mut conn)
                                    .await;
                        }
                    }
                    sqlx::query(&format!("CREATE DATABASE {name}"))
                        .execute(&mut conn)
                        .await
                        .expect("create the template database");
                });
            }
        };
        std::thread::spawn(prepare)
            .join()
            .expect("prepare the template");
        seed_template(with_database(&admin, &name), None);
        name
    })
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

/// Run a test's body, then drop its database whether the body passed or panicked (the
/// panic is raised again after the clean-up, so the test still fails with its message).
pub async fn run_then_clean_up<F>(app: TestApp, body: F)
where
    F: for<'a> FnOnce(
        &'a TestApp,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>,
{
    use futures_util::FutureExt as _;
    let outcome = std::panic::AssertUnwindSafe(body(&app))
        .catch_unwind()
        .await;
    app.cleanup().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
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
                    $crate::support::run_then_clean_up(app, |app| Box::pin(run(app))).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let app = $crate::support::spawn_app($crate::support::Backend::Postgres).await;
                    $crate::support::run_then_clean_up(app, |app| Box::pin(run(app))).await;
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
