//! Per-visitor display preferences (language and theme), kept in cookies so that the
//! server renders the right page on the first request, with no script before paint.

use crate::i18n::Locale;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the operating system's light/dark setting.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_attr(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn from_attr(s: &str) -> Option<Self> {
        match s {
            "system" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
    /// The toggle cycles system → light → dark → system.
    pub fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

pub const LANG_COOKIE: &str = "lang";
pub const THEME_COOKIE: &str = "theme";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub locale: Locale,
    pub theme: Theme,
}

/// The value of cookie `name` in a Cookie header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

impl Prefs {
    pub fn from_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        let cookie = cookie.unwrap_or("");
        let locale = cookie_value(cookie, LANG_COOKIE)
            .and_then(Locale::from_code)
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default();
        let theme = cookie_value(cookie, THEME_COOKIE)
            .and_then(Theme::from_attr)
            .unwrap_or_default();
        Self { locale, theme }
    }

    /// On the server: from the request being rendered.
    pub fn from_request() -> Self {
        #[cfg(feature = "ssr")]
        {
            // Borrowed from the context, not cloned: a clone of the request's parts copies
            // every header and extension, and this runs a few times per page.
            leptos::reactive::owner::with_context::<http::request::Parts, _>(|p| {
                let header = |name: http::HeaderName| p.headers.get(name)?.to_str().ok();
                Self::from_headers(
                    header(http::header::COOKIE),
                    header(http::header::ACCEPT_LANGUAGE),
                )
            })
            .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        Self::default()
    }

    /// Server: from the request. Browser: from what the server rendered into `<html>`, so
    /// hydration sees exactly what the server saw.
    pub fn current() -> Self {
        #[cfg(feature = "ssr")]
        {
            Self::from_request()
        }
        #[cfg(not(feature = "ssr"))]
        {
            let root = leptos::prelude::document().document_element();
            let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name));
            Self {
                locale: attr("lang")
                    .as_deref()
                    .and_then(Locale::from_code)
                    .unwrap_or_default(),
                theme: attr("data-theme")
                    .as_deref()
                    .and_then(Theme::from_attr)
                    .unwrap_or_default(),
            }
        }
    }
}

/// The site's origin ("https://shop.example"), for the absolute URLs that Open Graph and
/// canonical links need. On the server it comes from the request (Host, and the scheme a
/// proxy reports); in the browser from the page's location.
pub fn origin() -> String {
    #[cfg(feature = "ssr")]
    {
        leptos::reactive::owner::with_context::<http::request::Parts, _>(|p| {
            let header = |name: &str| p.headers.get(name)?.to_str().ok();
            let host = header("host").unwrap_or("localhost");
            let scheme = match header("x-forwarded-proto") {
                Some("https") => "https",
                _ => "http",
            };
            format!("{scheme}://{host}")
        })
        .unwrap_or_else(|| "http://localhost".to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::window()
            .location()
            .origin()
            .unwrap_or_default()
    }
}

/// The `Set-Cookie` / `document.cookie` text of a preference (language, theme): a year,
/// the whole site, Secure like the session cookie (browsers accept Secure cookies on
/// localhost too), and readable by the page's script, which sets the theme itself.
pub fn pref_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Max-Age=31536000; Secure; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_accept_language() {
        let p = Prefs::from_headers(Some("a=1; lang=zh-CN; theme=dark"), Some("en"));
        assert_eq!(
            p,
            Prefs {
                locale: Locale::ZhCn,
                theme: Theme::Dark
            }
        );
        let p = Prefs::from_headers(None, Some("zh-TW,en;q=0.5"));
        assert_eq!(p.locale, Locale::ZhCn);
        assert_eq!(
            Prefs::from_headers(Some("theme=purple"), None),
            Prefs::default()
        );
    }
}
