//! Request security, applied by the router to every request before any handler runs:
//!
//! - **identity**: the client address (from the socket, or from `X-Forwarded-For` only
//!   when the socket peer is a configured trusted proxy) and the session cookie, resolved
//!   once into an [`app::accounts::session::RequestIdentity`] that guards read;
//! - **cross-site refusal**: state-changing requests (anything but GET/HEAD/OPTIONS) and
//!   every server-function call must come from this site's own pages, by Fetch Metadata
//!   (`Sec-Fetch-Site`) or, from browsers without it, by `Origin`. Requests with neither
//!   header do not come from a browser, so carry no ambient cookies to abuse;
//! - **headers**: a Content-Security-Policy with a fresh nonce per response, or the hashes
//!   of its scripts on a page the micro-cache shares (no 'unsafe-inline' scripts),
//!   frame-ancestors 'none', and HSTS when served over TLS.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::accounts::session::{self, RequestIdentity, COOKIE_NAME};
use app::security::CspNonce;
use app::state::AppState;
use futures_util::StreamExt;

/// Deployment facts the security layer needs.
#[derive(Clone, Debug, Default)]
pub struct SecurityOptions {
    /// Peers whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (reverse proxies).
    pub trusted_proxies: Vec<IpAddr>,
    /// Send HSTS on every response (the shop is only reachable over HTTPS).
    pub hsts: bool,
}

impl SecurityOptions {
    /// From `EMPORIUM_TRUSTED_PROXIES` (comma-separated addresses) and `EMPORIUM_HSTS=1`.
    pub fn from_env() -> Result<Self, String> {
        let trusted_proxies = std::env::var("EMPORIUM_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse()
                    .map_err(|_| format!("EMPORIUM_TRUSTED_PROXIES: {s:?} is not an IP address"))
            })
            .collect::<Result<_, _>>()?;
        let hsts = std::env::var("EMPORIUM_HSTS").is_ok_and(|v| v == "1" || v == "true");
        Ok(Self {
            trusted_proxies,
            hsts,
        })
    }
}

#[derive(Clone)]
pub struct SecurityState {
    pub app: AppState,
    pub options: Arc<SecurityOptions>,
}

fn peer(req: &Request<Body>) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
}

/// The client's address: the socket peer, unless that peer is a trusted proxy, in which
/// case the right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn client_ip(req: &Request<Body>, options: &SecurityOptions) -> String {
    let Some(peer) = peer(req) else {
        return "unknown".into();
    };
    if !options.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter_map(|s| s.parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !options.trusted_proxies.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

fn over_tls(req: &Request<Body>, options: &SecurityOptions) -> bool {
    options.hsts
        || (peer(req).is_some_and(|p| options.trusted_proxies.contains(&p))
            && req
                .headers()
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")))
}

/// Paths that never need to know who is asking (static, hashed or generated files).
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/img/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/sw.js" | "/manifest.webmanifest" | "/robots.txt" | "/offline.html" | "/favicon.ico"
        )
}

/// The session cookie's value, if the request carries one (valid or not: [`identity`]
/// is what tells).
pub fn session_cookie(req: &Request<Body>) -> Option<&str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| app::prefs::cookie_value(c, COOKIE_NAME))
}

/// Resolve who is asking and put it in the request's extensions.
pub async fn identity(
    State(s): State<SecurityState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let client_ip = client_ip(&req, &s.options);
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let token = session_cookie(&req).map(str::to_string);
    let mut stale_cookie = false;
    let mut identity = RequestIdentity {
        session: None,
        user: None,
        facts: Default::default(),
        client_ip,
        user_agent,
    };
    if let Some(token) = token.filter(|_| !is_static(req.uri().path())) {
        match session::resolve(&*s.app.store, &s.app.security, &token, app::state::now()).await {
            Ok(Some((session, user, facts))) => {
                identity.session = Some(session);
                identity.user = user;
                identity.facts = facts;
            }
            Ok(None) => stale_cookie = true,
            // The database is down: serve the page as anonymous rather than fail it.
            Err(_) => {}
        }
    }
    let has_session = identity.session.is_some();
    req.extensions_mut().insert(identity);
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if stale_cookie && !headers.contains_key(header::SET_COOKIE) {
        if let Ok(v) = HeaderValue::from_str(&session::clear_cookie()) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    if has_session || headers.contains_key(header::SET_COOKIE) {
        // Personal pages must not be kept by browsers' or proxies' shared caches.
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    res
}

/// Whether a request must be refused as cross-site. `scheme` is how this request reached
/// the shop (`https` over TLS, else `http`): an `Origin` must match it, the host and the
/// port, not just the host.
pub fn is_cross_site(req: &Request<Body>, scheme: &str) -> bool {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method && !req.uri().path().starts_with("/api/") {
        return false;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return !(site == "same-origin" || site == "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        return match (origin.to_str().ok(), host) {
            (Some(o), Some(h)) => !same_origin(o, scheme, h),
            _ => true,
        };
    }
    false
}

/// `origin` (scheme://host[:port]) names the site reached with `scheme` at `host`
/// (the Host header, host[:port]); default ports may be written or left out.
fn same_origin(origin: &str, scheme: &str, host: &str) -> bool {
    let default_port = |s: &str| match s {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    };
    let Ok(o) = url::Url::parse(origin) else {
        return false;
    };
    let Ok(site) = url::Url::parse(&format!("{scheme}://{host}")) else {
        return false;
    };
    o.path() == "/"
        && o.query().is_none()
        && o.scheme().eq_ignore_ascii_case(site.scheme())
        && o.host_str().is_some()
        && o.host_str() == site.host_str()
        && o.port().or(default_port(o.scheme())) == site.port().or(default_port(site.scheme()))
}

pub async fn refuse_cross_site(
    State(s): State<SecurityState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let scheme = if over_tls(&req, &s.options) {
        "https"
    } else {
        "http"
    };
    if !is_cross_site(&req, scheme) {
        return next.run(req).await;
    }
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    let locale =
        app::prefs::Prefs::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
            .locale;
    let refused = app::error::AppError::forbidden_because(app::error::RequestRefusal::CrossSite);
    let message = refused.message(locale);
    if req.uri().path().starts_with("/api/") {
        let body = serde_json::to_string(&refused).unwrap_or_default();
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    crate::http_extras::message_page(StatusCode::FORBIDDEN, "Request refused", &message)
        .into_response()
}

/// leptos 0.8.23's `HydrationScripts` writes the CSP nonce into the `crossorigin` attribute
/// of its two preload links (an invalid value, read as "anonymous", that also repeats the
/// nonce outside a `nonce` attribute). Pages are rendered with `<head>` in the first chunk:
/// rewrite it there to the value meant, `crossorigin="anonymous"`.
pub async fn fix_preload_crossorigin(req: Request<Body>, next: Next) -> Response {
    let Some(CspNonce(nonce)) = req.extensions().get::<CspNonce>().cloned() else {
        return next.run(req).await;
    };
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return res;
    }
    let wrong = format!("crossorigin=\"{nonce}\"");
    let (parts, body) = res.into_parts();
    let mut first = true;
    let stream = http_body_util::BodyStream::new(body).map(move |frame| {
        let frame = frame?;
        let Ok(data) = frame.into_data() else {
            return Ok(bytes::Bytes::new());
        };
        if !std::mem::take(&mut first) {
            return Ok(data);
        }
        match std::str::from_utf8(&data) {
            Ok(text) if text.contains(&wrong) => Ok(bytes::Bytes::from(
                text.replace(&wrong, "crossorigin=\"anonymous\""),
            )),
            _ => Ok::<_, axum::Error>(data),
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The policy. `inline_scripts` names the inline scripts allowed to run: this response's
/// nonce (`'nonce-…'`), or, on a page the micro-cache shares between visitors, the hashes
/// of the scripts the server rendered (`'sha256-…'`, see [`hash_rendered_scripts`]).
pub fn content_security_policy(inline_scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {inline_scripts} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// A page the micro-cache shares cannot carry a per-response nonce (every visitor would see
/// the same one), so its scripts are allowed by hash instead: exactly the text the server
/// rendered runs, and nothing an attacker adds. The scripts the server wrote are the ones
/// carrying `nonce`, the render's own (unguessable when the page's content was written);
/// this returns the page with those nonce attributes taken out and the scripts' CSP hash
/// sources (`'sha256-…'`, each once, in page order).
pub fn hash_rendered_scripts(html: &[u8], nonce: &str) -> (Vec<u8>, Vec<String>) {
    use base64::Engine as _;
    use sha2::Digest as _;
    let attr = format!(" nonce=\"{nonce}\"");
    let attr = attr.as_bytes();
    let mut page = Vec::with_capacity(html.len());
    let mut hashes: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&html[at..], attr) {
        let i = at + found;
        page.extend_from_slice(&html[at..i]);
        at = i + attr.len();
        let tag_start = memchr::memrchr(b'<', &html[..i]).unwrap_or(i);
        let Some(tag_len) = memchr::memchr(b'>', &html[at..]) else {
            continue;
        };
        let tag_end = at + tag_len;
        let is_inline_script = html[tag_start..].starts_with(b"<script")
            && memchr::memmem::find(&html[tag_start..tag_end], b" src=").is_none();
        if !is_inline_script {
            continue;
        }
        let body = &html[tag_end + 1..];
        let Some(len) = memchr::memmem::find(body, b"</script>") else {
            continue;
        };
        let digest = sha2::Sha256::digest(&body[..len]);
        let source = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        if !hashes.contains(&source) {
            hashes.push(source);
        }
    }
    page.extend_from_slice(&html[at..]);
    (page, hashes)
}

/// Security headers on every response, with this response's CSP nonce.
pub async fn headers(
    State(s): State<SecurityState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    let tls = over_tls(&req, &s.options);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A page from the micro-cache already carries its policy (its scripts' hashes).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = content_security_policy(&format!("'nonce-{nonce}'"));
        if let Ok(v) = HeaderValue::from_str(&policy) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "shop.test");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    fn is_cross_site(r: &Request<Body>) -> bool {
        super::is_cross_site(r, "https")
    }

    #[test]
    fn origin_must_match_scheme_host_and_port() {
        let post = |origin: &str, host: &str| {
            let r = Request::builder()
                .method(Method::POST)
                .uri("/api/x")
                .header("host", host)
                .header("origin", origin)
                .body(Body::empty())
                .unwrap();
            super::is_cross_site(&r, "http")
        };
        assert!(!post("http://shop.test", "shop.test"));
        assert!(!post("http://shop.test:80", "shop.test"));
        assert!(!post("http://127.0.0.1:3000", "127.0.0.1:3000"));
        assert!(!post("HTTP://Shop.Test", "shop.test"));
        // The same host over another scheme or port is another origin.
        assert!(post("https://shop.test", "shop.test"));
        assert!(post("http://shop.test:8080", "shop.test"));
        assert!(post("http://127.0.0.1:3001", "127.0.0.1:3000"));
        assert!(post("http://shop.test.evil.example", "shop.test"));
        assert!(post("http://evil.example/shop.test", "shop.test"));
        assert!(post("null", "shop.test"));
    }

    #[test]
    fn cross_site_posts_and_api_calls_are_refused() {
        assert!(is_cross_site(&req(
            Method::POST,
            "/api/x",
            &[("sec-fetch-site", "cross-site")]
        )));
        assert!(is_cross_site(&req(
            Method::POST,
            "/api/x",
            &[("sec-fetch-site", "same-site")]
        )));
        assert!(is_cross_site(&req(
            Method::GET,
            "/api/x",
            &[("sec-fetch-site", "cross-site")]
        )));
        assert!(is_cross_site(&req(
            Method::POST,
            "/api/x",
            &[("origin", "https://evil.test")]
        )));
        assert!(is_cross_site(&req(
            Method::POST,
            "/api/x",
            &[("origin", "null")]
        )));
        assert!(!is_cross_site(&req(
            Method::POST,
            "/api/x",
            &[("sec-fetch-site", "same-origin")]
        )));
        assert!(!is_cross_site(&req(
            Method::POST,
            "/api/x",
            &[("origin", "https://shop.test")]
        )));
        // Following a link from another site to a page is fine.
        assert!(!is_cross_site(&req(
            Method::GET,
            "/p/123",
            &[("sec-fetch-site", "cross-site")]
        )));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let opts = SecurityOptions {
            trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
            hsts: false,
        };
        let mut r = req(Method::GET, "/", &[("x-forwarded-for", "1.2.3.4, 5.6.7.8")]);
        r.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([9, 9, 9, 9], 1))));
        assert_eq!(client_ip(&r, &opts), "9.9.9.9");
        let mut r = req(Method::GET, "/", &[("x-forwarded-for", "1.2.3.4, 5.6.7.8")]);
        r.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 1))));
        assert_eq!(client_ip(&r, &opts), "5.6.7.8");
    }

    #[test]
    fn hsts_only_over_tls() {
        let proxy = SecurityOptions {
            trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
            hsts: false,
        };
        let mut behind_tls = req(Method::GET, "/", &[("x-forwarded-proto", "https")]);
        behind_tls
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 1))));
        assert!(over_tls(&behind_tls, &proxy));
        // The same header from anyone else is not believed.
        let mut spoofed = req(Method::GET, "/", &[("x-forwarded-proto", "https")]);
        spoofed
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([9, 9, 9, 9], 1))));
        assert!(!over_tls(&spoofed, &proxy));
        assert!(over_tls(
            &req(Method::GET, "/", &[]),
            &SecurityOptions {
                hsts: true,
                ..Default::default()
            }
        ));
    }

    #[test]
    fn shared_pages_allow_exactly_the_rendered_scripts_by_hash() {
        let page = concat!(
            r#"<head><link rel="modulepreload" href="/pkg/a.js" nonce="N1"><script type="module" nonce="N1">go()</script>"#,
            r#"<script src="/pkg/b.js" nonce="N1"></script></head><body><img alt="<script nonce=N1>">"#,
            r#"<script>injected()</script><script nonce="N1">data=1</script><script nonce="N1">go()</script></body>"#,
        );
        let (out, hashes) = hash_rendered_scripts(page.as_bytes(), "N1");
        assert_eq!(
            hashes,
            [
                "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='",
                "'sha256-1VXkAjSOzaa2QK2aGlGi3bwci69tRN/sPe+bKiXAC0U='",
            ],
            "the two inline scripts the server wrote, once each; not the external one, not the injected one"
        );
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("nonce=\"N1\""), "{out}");
        assert!(
            out.contains(r#"<script type="module">go()</script>"#),
            "{out}"
        );
        assert!(
            out.contains("<script>injected()</script>"),
            "the rest is unchanged"
        );
        let (same, none) = hash_rendered_scripts(b"<p>no scripts</p>", "N1");
        assert_eq!(
            (same.as_slice(), none.len()),
            (&b"<p>no scripts</p>"[..], 0)
        );
    }

    #[test]
    fn csp_has_a_nonce_and_no_unsafe_inline_scripts() {
        let csp = content_security_policy("'nonce-abc'");
        let script = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(script.contains("'nonce-abc'") && !script.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
