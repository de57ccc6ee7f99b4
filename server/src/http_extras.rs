//! Small plain-axum handlers that do not need the Leptos app.

use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use app::i18n::Locale;
use app::prefs::{Theme, LANG_COOKIE, THEME_COOKIE};

#[derive(Deserialize)]
pub struct PrefsParams {
    lang: Option<String>,
    theme: Option<String>,
    back: Option<String>,
}

/// `/prefs?lang=zh-CN&theme=dark&back=/c/kitchen`: store the choices in cookies and go back.
/// This is what the language switch and theme toggle use without JavaScript.
pub async fn set_prefs(Query(p): Query<PrefsParams>) -> Response {
    let mut headers = HeaderMap::new();
    let cookie =
        |name: &str, value: &str| HeaderValue::from_str(&app::prefs::pref_cookie(name, value));
    if let Some(lang) = p.lang.as_deref() {
        match Locale::from_code(lang) {
            Some(l) => headers.append(
                header::SET_COOKIE,
                cookie(LANG_COOKIE, l.code()).expect("ascii"),
            ),
            None => {
                return message_page(
                    StatusCode::BAD_REQUEST,
                    "Unknown language",
                    "Choose en or zh-CN.",
                )
                .into_response()
            }
        };
    }
    if let Some(theme) = p.theme.as_deref() {
        match Theme::from_attr(theme) {
            Some(t) => headers.append(
                header::SET_COOKIE,
                cookie(THEME_COOKIE, t.as_attr()).expect("ascii"),
            ),
            None => {
                return message_page(
                    StatusCode::BAD_REQUEST,
                    "Unknown theme",
                    "Choose system, light or dark.",
                )
                .into_response()
            }
        };
    }
    let target = safe_back(p.back.as_deref());
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&target).unwrap_or(HeaderValue::from_static("/")),
    );
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// Only same-site paths (parsed as a browser would): never an open redirect.
pub fn safe_back(back: Option<&str>) -> String {
    back.and_then(app::security::same_origin_path)
        .unwrap_or_else(|| "/".to_string())
}

/// A minimal, self-contained HTML page for errors raised outside the Leptos app.
pub fn message_page(status: StatusCode, title: &str, body: &str) -> (StatusCode, Html<String>) {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    (
        status,
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title></head><body><main><h1>{t}</h1><p>{b}</p><p><a href=\"/\">Back to the home page</a></p></main></body></html>",
            t = esc(title),
            b = esc(body)
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_links_stay_on_site() {
        assert_eq!(safe_back(Some("/c/kitchen?page=2")), "/c/kitchen?page=2");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(None), "/");
        // Browsers drop tabs and newlines: `/\t/evil.example` is `//evil.example` to them.
        assert_eq!(safe_back(Some("/\t/evil.example")), "/");
        assert_eq!(safe_back(Some("/\n/evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
    }
}
