//! Safe text and safe targets (shared by server and browser): escaping for `<head>`, JSON
//! inside a script element, and same-origin redirect paths.
//!
//! The per-response CSP nonce (server only). The server's security middleware draws a fresh nonce for
//! every response, names it in the Content-Security-Policy header and leaves it in the
//! request's extensions; the shell hands it to Leptos so the hydration scripts carry it.
//! No inline script runs without it (no 'unsafe-inline').

#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Make the request's nonce the one Leptos puts on its scripts.
#[cfg(feature = "ssr")]
pub fn provide_request_nonce() {
    let nonce = leptos::reactive::owner::with_context::<http::request::Parts, _>(|parts| {
        parts.extensions.get::<CspNonce>().cloned()
    })
    .flatten();
    if let Some(CspNonce(value)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

/// Text made safe to put between HTML tags or in a quoted attribute: `&`, `<`, `>`, `"` and
/// `'` become character references.
pub fn escape_html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON made safe inside `<script type="application/ld+json">`: no `<` at all (so neither
/// `</script>` nor `<!--` can end or bend the block), and `>`, `&` escaped too; JSON
/// readers decode `\u003c` back to `<`.
pub fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Where a redirect may go: a path on this site, never another site. The target is parsed
/// the way browsers parse URLs (which drop tabs and newlines and read `\` as `/`), against
/// a stand-in origin; only a result on that same origin is accepted, and it is returned in
/// its parsed form (path, query and fragment), so what is checked is what the browser gets.
pub fn same_origin_path(target: &str) -> Option<String> {
    const BASE: &str = "http://emporium.invalid/";
    if !target.starts_with('/') || target.len() > 2048 {
        return None;
    }
    let base = url::Url::parse(BASE).ok()?;
    let parsed = base.join(target).ok()?;
    if parsed.origin() != base.origin() {
        return None;
    }
    let mut out = parsed.path().to_string();
    if let Some(q) = parsed.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = parsed.fragment() {
        out.push('#');
        out.push_str(f);
    }
    // A path the browser would read as another host once decoded (`/%2F%2Fevil`) is not
    // one this shop serves either.
    let lower = out.to_ascii_lowercase();
    if out.starts_with("//") || lower.starts_with("/%2f") || lower.starts_with("/%5c") {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_is_escaped() {
        assert_eq!(
            escape_html_text("</title><h1 a=\"x\">'&"),
            "&lt;/title&gt;&lt;h1 a=&quot;x&quot;&gt;&#39;&amp;"
        );
    }

    #[test]
    fn json_cannot_close_its_script() {
        let j = json_for_script(r#"{"name":"</script><script>alert(1)</script><!--"}"#);
        assert!(!j.contains('<') && !j.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script><!--");
    }

    #[test]
    fn redirects_stay_on_this_site() {
        for ok in [
            "/",
            "/c/kitchen?page=2",
            "/account#orders",
            "/search?q=a%2Fb",
        ] {
            assert_eq!(same_origin_path(ok).as_deref(), Some(ok), "{ok}");
        }
        for evil in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert_eq!(same_origin_path(evil), None, "{evil:?}");
        }
        // Tabs inside a same-site path are dropped, as a browser would.
        assert_eq!(same_origin_path("/acc\tount").as_deref(), Some("/account"));
    }
}
