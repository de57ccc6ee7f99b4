//! A micro-cache of rendered pages. Anonymous page views are the same for everyone with the
//! same language and theme, so each instance keeps a rendered page for a few seconds: a
//! burst of visitors costs one render instead of one each. This is a cache, not state:
//! entries are short-lived and any instance can render the page itself.
//!
//! Only successful HTML answers to plain GETs are kept, never answers that set cookies,
//! never server-function (`/api/`) calls, and never requests that carry a session (signed-in
//! members and guests with a cart see personal pages).
//!
//! A shared page cannot carry a per-response CSP nonce, so a page the cache may share is
//! sent with its scripts allowed by hash (`security::hash_rendered_scripts`), the same bytes
//! to everyone. It is compressed once per encoding a visitor asks for (brotli or gzip) and
//! kept so: a hit costs a look-up and a copy of the headers, not a compression.

use std::io::Write as _;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{
    header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode,
};
use axum::middleware::Next;
use bytes::Bytes;

use app::accounts::session::RequestIdentity;
use app::prefs::Prefs;
use app::security::CspNonce;

use crate::security::{content_security_policy, hash_rendered_scripts};

/// `hit` or `miss` on every answer the cache could have served (none on the others).
pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

pub const PAGE_TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: u64 = 2_000;
/// Pages larger than this are served but not kept.
const MAX_BODY: usize = 512 * 1024;

/// Brotli and gzip at quality 4: most of the gain for a few dozen microseconds per page.
const QUALITY: u32 = 4;

/// How a page is sent, from the request's `Accept-Encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The encoding the request's `Accept-Encoding` prefers.
    fn of_request(req: &Request<Body>) -> Self {
        Self::preferred(
            req.headers()
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok()),
        )
    }

    /// The accepted encoding with the highest weight (`q`), brotli before gzip on a tie;
    /// `q=0` refuses one; `*` stands for both.
    fn preferred(accept: Option<&str>) -> Self {
        let mut best = (Encoding::Identity, 0.0_f32);
        for item in accept.unwrap_or("").split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let candidates: &[Encoding] = match name.as_str() {
                "br" => &[Encoding::Brotli],
                "gzip" | "x-gzip" => &[Encoding::Gzip],
                "*" => &[Encoding::Brotli, Encoding::Gzip],
                _ => &[],
            };
            for &c in candidates {
                let better = q > best.1 || (q == best.1 && c == Encoding::Brotli);
                if q > 0.0 && better {
                    best = (c, q);
                }
            }
        }
        best.0
    }
}

/// A page as every visitor with the same key gets it.
struct Cached {
    status: StatusCode,
    /// With its Content-Security-Policy (the scripts' hashes) and `Vary: Accept-Encoding`.
    headers: HeaderMap,
    body: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

impl Cached {
    fn response(&self, encoding: Encoding, cache: &'static str) -> Response<Body> {
        let compressed = match encoding {
            Encoding::Brotli => Some((
                self.brotli.get_or_init(|| compress_brotli(&self.body)),
                "br",
            )),
            Encoding::Gzip => Some((self.gzip.get_or_init(|| compress_gzip(&self.body)), "gzip")),
            Encoding::Identity => None,
        };
        let mut headers = self.headers.clone();
        let body = match compressed {
            Some((bytes, name)) if !bytes.is_empty() => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
                bytes.clone()
            }
            _ => self.body.clone(),
        };
        headers.insert(X_CACHE, HeaderValue::from_static(cache));
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = self.status;
        *res.headers_mut() = headers;
        res
    }
}

/// Empty when the encoder fails (it cannot, writing to memory): the page is sent as it is.
fn compress_brotli(body: &[u8]) -> Bytes {
    let params = brotli::enc::BrotliEncoderParams {
        quality: QUALITY as i32,
        lgwin: window_bits(body.len()),
        size_hint: body.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(body.len() / 4);
    match brotli::BrotliCompress(&mut &body[..], &mut out, &params) {
        Ok(_) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

/// The smallest brotli window (10 to 22 bits) that holds the whole page. The encoder
/// allocates and zeroes a ring buffer of twice the window: at brotli's usual 22 bits that
/// was 8 MiB cleared for every page of 10 to 50 kB (over 70% of an uncached page's
/// instructions), and a window larger than the input finds no more matches.
fn window_bits(len: usize) -> i32 {
    let mut bits = 10;
    while bits < 22 && (1usize << bits) < len {
        bits += 1;
    }
    bits
}

fn compress_gzip(body: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(QUALITY),
    );
    match encoder.write_all(body).and_then(|()| encoder.finish()) {
        Ok(out) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

#[derive(Clone)]
pub struct PageCache {
    entries: moka::sync::Cache<String, Arc<Cached>>,
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new(PAGE_TTL)
    }
}

impl PageCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(ttl)
                .build(),
        }
    }

    /// The key, or None when this request must not be served from the cache.
    fn key(req: &Request<Body>) -> Option<String> {
        let has_session = req
            .extensions()
            .get::<RequestIdentity>()
            .is_some_and(|i| i.session.is_some());
        if has_session {
            return None;
        }
        Self::page_key(req)
    }

    /// The key of a page whoever asks (see [`PageCache::key`]): None for anything but a
    /// GET of a page.
    fn page_key(req: &Request<Body>) -> Option<String> {
        if req.method() != Method::GET {
            return None;
        }
        let path = req.uri().path();
        if path.starts_with("/api/") || path.starts_with("/pkg/") || path == "/prefs" {
            return None;
        }
        let headers = req.headers();
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let prefs = Prefs::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE));
        let host = header(header::HOST).unwrap_or("");
        Some(format!(
            "{}|{}|{host}|{}",
            prefs.locale.code(),
            prefs.theme.as_attr(),
            req.uri()
        ))
    }
}

/// Answers a request from the cache before it is routed, so a hit costs none of the
/// layers a rendered page needs (identity, cross-site refusal, compression, routing).
/// Only requests without a session cookie; everything else, and every miss, goes on to
/// the routes, where [`middleware`] renders and stores the page.
pub async fn serve_hits(
    State(cache): State<PageCache>,
    req: Request<Body>,
    next: Next,
) -> Response<Body> {
    // A session cookie, valid or not, is for the identity layer to judge first.
    if crate::security::session_cookie(&req).is_some() {
        return next.run(req).await;
    }
    let hit = PageCache::page_key(&req).and_then(|key| cache.entries.get(&key));
    let Some(hit) = hit else {
        return next.run(req).await;
    };
    let encoding = Encoding::of_request(&req);
    hit.response(encoding, "hit")
}

pub async fn middleware(
    State(cache): State<PageCache>,
    req: Request<Body>,
    next: Next,
) -> Response<Body> {
    let Some(key) = PageCache::key(&req) else {
        return next.run(req).await;
    };
    let encoding = Encoding::of_request(&req);
    if let Some(hit) = cache.entries.get(&key) {
        return hit.response(encoding, "hit");
    }
    let nonce = req.extensions().get::<CspNonce>().map(|n| n.0.clone());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A file sent precompressed (the offline page) is passed on as it is.
    let encoded = res.headers().contains_key(header::CONTENT_ENCODING);
    if res.status() != StatusCode::OK || !is_html || encoded {
        // Said on every page that could have been cached, so a benchmark can report a hit rate.
        res.headers_mut()
            .insert(X_CACHE, HeaderValue::from_static("miss"));
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        // Too large to keep (or a broken stream): the body is gone, so say so honestly.
        return axum::response::IntoResponse::into_response(crate::http_extras::message_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "This page could not be delivered. Please try again.",
        ));
    };
    let body = match nonce {
        Some(nonce) => {
            let (page, hashes) = hash_rendered_scripts(&bytes, &nonce);
            let policy = content_security_policy(&hashes.join(" "));
            if let Ok(v) = HeaderValue::from_str(&policy) {
                parts.headers.insert(header::CONTENT_SECURITY_POLICY, v);
            }
            Bytes::from(page)
        }
        None => bytes,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let page = Arc::new(Cached {
        status: parts.status,
        headers: parts.headers,
        body,
        brotli: OnceLock::new(),
        gzip: OnceLock::new(),
    });
    // A page that sets a cookie is this visitor's own: sent, never shared.
    if !page.headers.contains_key(header::SET_COOKIE) {
        cache.entries.insert(key, page.clone());
    }
    page.response(encoding, "miss")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(uri: &str, cookie: Option<&str>) -> Request<Body> {
        let mut b = Request::get(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn keys_separate_languages_and_skip_api_calls() {
        let en = PageCache::key(&req("/c/kitchen", None)).unwrap();
        let zh = PageCache::key(&req("/c/kitchen", Some("lang=zh-CN"))).unwrap();
        assert_ne!(en, zh);
        assert!(PageCache::key(&req("/api/search?x", None)).is_none());
        let post = Request::post("/c/kitchen").body(Body::empty()).unwrap();
        assert!(PageCache::key(&post).is_none());
        let mut signed_in = req("/c/kitchen", None);
        signed_in.extensions_mut().insert(RequestIdentity {
            session: Some(app::accounts::port::SessionRecord {
                token_hash: "h".into(),
                public_id: "p".into(),
                customer_id: Some(1),
                created_at: 0,
                last_seen_at: 0,
                user_agent: String::new(),
                ip: String::new(),
            }),
            ..Default::default()
        });
        assert!(PageCache::key(&signed_in).is_none());
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        use Encoding::*;
        let cases = [
            (None, Identity),
            (Some(""), Identity),
            (Some("gzip, deflate, br, zstd"), Brotli),
            (Some("gzip"), Gzip),
            (Some("br;q=0, gzip"), Gzip),
            (Some("BR;q=0.5, gzip;q=0.9"), Gzip),
            (Some("gzip;q=0.5, br;q=0.5"), Brotli),
            (Some("*"), Brotli),
            (Some("*;q=0"), Identity),
            (Some("identity, deflate"), Identity),
        ];
        for (accept, want) in cases {
            assert_eq!(Encoding::preferred(accept), want, "{accept:?}");
        }
    }

    async fn read(res: Response<Body>) -> (Option<HeaderValue>, Bytes) {
        let encoding = res.headers().get(header::CONTENT_ENCODING).cloned();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (encoding, body)
    }

    #[tokio::test]
    async fn hits_are_served_before_routing_but_never_to_a_session() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tower::ServiceExt as _;
        static RENDERS: AtomicUsize = AtomicUsize::new(0);
        static ROUTED: AtomicUsize = AtomicUsize::new(0);
        let cache = PageCache::default();
        let pages = axum::Router::new()
            .route(
                "/c/kitchen",
                axum::routing::get(|| async {
                    RENDERS.fetch_add(1, Ordering::SeqCst);
                    axum::response::Html("<p>kitchen</p>")
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                cache.clone(),
                middleware,
            ))
            .layer(axum::middleware::from_fn(
                |req: Request<Body>, next: Next| async move {
                    ROUTED.fetch_add(1, Ordering::SeqCst);
                    next.run(req).await
                },
            ));
        let app = axum::Router::new()
            .fallback_service(pages)
            .layer(axum::middleware::from_fn_with_state(cache, serve_hits));
        let ask = |cookie: Option<&str>| {
            let mut b = Request::get("/c/kitchen").header(header::ACCEPT_ENCODING, "br");
            if let Some(c) = cookie {
                b = b.header(header::COOKIE, c);
            }
            app.clone().oneshot(b.body(Body::empty()).unwrap())
        };
        let first = ask(None).await.unwrap();
        assert_eq!(first.headers().get(X_CACHE).unwrap(), "miss");
        let second = ask(Some("lang=en")).await.unwrap();
        assert_eq!(second.headers().get(X_CACHE).unwrap(), "hit");
        assert_eq!(
            second.headers().get(header::CONTENT_ENCODING).unwrap(),
            "br"
        );
        assert_eq!(
            RENDERS.load(Ordering::SeqCst),
            1,
            "the hit was not rendered"
        );
        assert_eq!(
            ROUTED.load(Ordering::SeqCst),
            1,
            "the hit was answered before routing"
        );
        // A session cookie goes on to the routes, where only the identity layer can say
        // whether its session is valid (here there is none, so the page is anonymous).
        let cookie = format!("{}=some-token", app::accounts::session::COOKIE_NAME);
        ask(Some(&cookie)).await.unwrap();
        assert_eq!(
            ROUTED.load(Ordering::SeqCst),
            2,
            "a session cookie is routed"
        );
    }

    #[tokio::test]
    async fn a_precompressed_file_is_passed_on_untouched() {
        use tower::ServiceExt as _;
        let compressed = compress_brotli(b"<h1>You are offline</h1>");
        let file = compressed.clone();
        let router = axum::Router::new()
            .route(
                "/offline.html",
                axum::routing::get(move || {
                    let file = file.clone();
                    async move {
                        (
                            [
                                (header::CONTENT_TYPE, "text/html"),
                                (header::CONTENT_ENCODING, "br"),
                            ],
                            file,
                        )
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                PageCache::default(),
                middleware,
            ));
        for _ in 0..2 {
            let req = Request::get("/offline.html")
                .header(header::ACCEPT_ENCODING, "br, gzip")
                .body(Body::empty())
                .unwrap();
            let res = router.clone().oneshot(req).await.unwrap();
            assert_eq!(res.headers().get(X_CACHE).unwrap(), "miss");
            let (encoding, body) = read(res).await;
            assert_eq!(encoding.unwrap(), "br");
            assert_eq!(body, compressed, "compressed once, not twice");
        }
    }

    #[test]
    fn the_brotli_window_just_holds_the_page() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1024), 10);
        assert_eq!(window_bits(1025), 11);
        assert_eq!(window_bits(11_626), 14);
        assert_eq!(window_bits(MAX_BODY), 19);
        assert_eq!(window_bits(usize::MAX), 22);
        // A large page (a window of 20 bits) round-trips.
        use std::io::Read as _;
        let html: String = (0..40_000).map(|i| format!("<li>item {i}</li>")).collect();
        let br = compress_brotli(html.as_bytes());
        assert!(!br.is_empty() && br.len() < html.len() / 4, "{}", br.len());
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, html);
    }

    #[tokio::test]
    async fn a_page_is_compressed_once_per_encoding() {
        use std::io::Read as _;
        let html = "<p>".to_string() + &"a shop page ".repeat(500) + "</p>";
        let page = Cached {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(html.clone()),
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        };
        let (enc, br) = read(page.response(Encoding::Brotli, "hit")).await;
        assert_eq!(enc.unwrap(), "br");
        assert!(br.len() < html.len() / 10, "{}", br.len());
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, html);
        let stored = page.brotli.get().unwrap().as_ptr();
        let (_, again) = read(page.response(Encoding::Brotli, "hit")).await;
        assert_eq!(
            again.as_ptr(),
            stored,
            "the stored bytes, not a new compression"
        );
        let (enc, gz) = read(page.response(Encoding::Gzip, "hit")).await;
        assert_eq!(enc.unwrap(), "gzip");
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, html);
        let (enc, plain) = read(page.response(Encoding::Identity, "hit")).await;
        assert!(enc.is_none());
        assert_eq!(plain, html.as_bytes());
    }
}
