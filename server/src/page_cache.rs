//! A micro-cache of rendered pages. Anonymous page views are the same for everyone with the
//! same language and theme, so each instance keeps a rendered page for a few seconds: a
//! burst of visitors costs one render instead of one each. This is a cache, not state:
//! entries are short-lived and any instance can render the page itself.
//!
//! Only successful HTML answers to plain GETs are kept, never answers that set cookies,
//! never server-function (`/api/`) calls, and never requests that carry a session (none
//! exist yet; when accounts arrive, their cookie must bypass this cache).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Request, Response, StatusCode};
use axum::middleware::Next;
use bytes::Bytes;

use app::prefs::Prefs;

pub const PAGE_TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: u64 = 2_000;
/// Pages larger than this are served but not kept.
const MAX_BODY: usize = 512 * 1024;

#[derive(Clone)]
struct Cached {
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
    if let Some(hit) = cache.entries.get(&key) {
        let mut res = Response::new(Body::from(hit.body.clone()));
        *res.status_mut() = hit.status;
        *res.headers_mut() = hit.headers.clone();
        return res;
    }
    let res = next.run(req).await;
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
    }
}
