//! A micro-cache of rendered pages. Anonymous page views are the same for everyone with the
//! same language and theme, so each instance keeps a rendered page for a few seconds: a
//! burst of visitors costs one render instead of one each. This is a cache, not state:
//! entries are short-lived and any instance can render the page itself.
//!
//! Only successful HTML answers to plain GETs are kept, never answers that set cookies,
//! never server-function (`/api/`) calls, and never requests that carry a session (signed-in
//! members and guests with a cart see personal pages).
//!
//! Each response has its own CSP nonce (see `security.rs`); a page served from the cache
//! has the nonce it was rendered with replaced by the current request's.

use std::sync::Arc;
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

/// `hit` or `miss` on every answer the cache could have served (none on the others).
pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

pub const PAGE_TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: u64 = 2_000;
/// Pages larger than this are served but not kept.
const MAX_BODY: usize = 512 * 1024;

#[derive(Clone)]
struct Cached {
    /// The CSP nonce the page was rendered with.
    nonce: Option<String>,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
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
        if req.method() != Method::GET {
            return None;
        }
        let has_session = req
            .extensions()
            .get::<RequestIdentity>()
            .is_some_and(|i| i.session.is_some());
        if has_session {
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

pub async fn middleware(
    State(cache): State<PageCache>,
    req: Request<Body>,
    next: Next,
) -> Response<Body> {
    let Some(key) = PageCache::key(&req) else {
        return next.run(req).await;
    };
    let nonce = req.extensions().get::<CspNonce>().map(|n| n.0.clone());
    if let Some(hit) = cache.entries.get(&key) {
        let body = match (&hit.nonce, &nonce) {
            (Some(old), Some(new)) => replace_all(&hit.body, old.as_bytes(), new.as_bytes()),
            _ => hit.body.clone(),
        };
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = hit.status;
        *res.headers_mut() = hit.headers.clone();
        res.headers_mut()
            .insert(X_CACHE, HeaderValue::from_static("hit"));
        return res;
    }
    let mut res = next.run(req).await;
    // Said on every page that could have been cached, so a benchmark can report a hit rate.
    res.headers_mut()
        .insert(X_CACHE, HeaderValue::from_static("miss"));
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !is_html || res.headers().contains_key(header::SET_COOKIE)
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.entries.insert(
                key,
                Arc::new(Cached {
                    nonce,
                    status: parts.status,
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                }),
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        // Too large to keep (or a broken stream): the body is gone, so say so honestly.
        Err(_) => axum::response::IntoResponse::into_response(crate::http_extras::message_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "This page could not be delivered. Please try again.",
        )),
    }
}

/// `haystack` with every `from` replaced by `to`.
fn replace_all(haystack: &Bytes, from: &[u8], to: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = &haystack[..];
    while let Some(i) = memchr::memmem::find(rest, from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    Bytes::from(out)
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
            session: Some(app::ports::SessionRecord {
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
    fn cached_pages_get_the_current_nonce() {
        let body = Bytes::from_static(b"<script nonce=\"AAA\">x</script><link nonce=\"AAA\">");
        let out = replace_all(&body, b"AAA", b"BBBB");
        assert_eq!(
            &out[..],
            b"<script nonce=\"BBBB\">x</script><link nonce=\"BBBB\">"
        );
    }
}
