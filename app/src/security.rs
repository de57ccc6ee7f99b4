//! The per-response CSP nonce. The server's security middleware draws a fresh nonce for
//! every response, names it in the Content-Security-Policy header and leaves it in the
//! request's extensions; the shell hands it to Leptos so the hydration scripts carry it.
//! No inline script runs without it (no 'unsafe-inline').

#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Make the request's nonce the one Leptos puts on its scripts.
pub fn provide_request_nonce() {
    let nonce = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(value));
    }
}
