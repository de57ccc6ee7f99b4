//! Leaving the page: full page loads and links carrying where to come back to.

/// Load `url` as a new page (not a client-side navigation): after signing in or out, so
/// that every part of the page reflects who is signed in now (the router also navigates on
/// a server function's redirect, one animation frame after the answer; loading a page
/// supersedes that), and to leave for a page outside the app (a payment provider's).
pub fn reload_to(url: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// Percent-encode a path for use inside a query parameter.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
