//! The one error type of the shop. Every failure a user can meet is one of these variants;
//! each maps to an HTTP status. A refusal (the request cannot be done, for a reason the
//! shopper can act on) carries a typed [`Refusal`] of its domain with the fields its
//! message needs; it crosses the wire as data and is put into words once, in the shopper's
//! language, where it is shown ([`AppError::message`]; `Display` uses the language of the
//! request or page being rendered). Internal causes are logged on the server, never sent.

use http::StatusCode;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;

use crate::i18n::{say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The request itself is wrong; the message says how to fix it.
    BadRequest(Refusal),
    NotFound(Refusal),
    /// Not signed in (or the session ended), or wrong credentials.
    Unauthorized(Refusal),
    /// Signed in, but this is not yours or not for your role.
    Forbidden(Refusal),
    /// The request clashes with what exists (an email already registered, a coupon used up).
    Conflict(Refusal),
    /// Throttled; the refusal says how long to wait.
    TooManyRequests(Refusal),
    /// Something broke on our side. The detail stays in the server log.
    Internal,
    /// Transport-level failure of a server function call (network, decoding).
    Transport(String),
}

/// Why a request is refused, by domain. Each domain's refusals live next to its code
/// (`<domain>/refusal.rs`) with their words in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    Request(RequestRefusal),
    Accounts(crate::accounts::refusal::AccountsRefusal),
    Cart(crate::cart::refusal::CartRefusal),
    Catalog(crate::catalog::refusal::CatalogRefusal),
    Checkout(crate::checkout::refusal::CheckoutRefusal),
    Favourites(crate::favourites::refusal::FavouritesRefusal),
    Orders(crate::orders::refusal::OrdersRefusal),
    Payments(crate::payments::refusal::PaymentsRefusal),
    Privacy(crate::privacy::refusal::PrivacyRefusal),
    Search(crate::search::refusal::SearchRefusal),
}

/// Refusals of any request, whatever its domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestRefusal {
    SignInRequired,
    Forbidden,
    /// A non-GET or `/api/` request from another site (Fetch Metadata / Origin).
    CrossSite,
    /// Arguments that do not decode; `detail` is the decoder's own (English) words.
    Invalid {
        detail: String,
    },
}

impl RequestRefusal {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            RequestRefusal::SignInRequired => say!(locale, "Please sign in to continue.", "请先登录。"),
            RequestRefusal::Forbidden => {
                say!(locale, "You do not have access to this.", "你没有访问权限。")
            }
            RequestRefusal::CrossSite => say!(
                locale,
                "This request came from another site, so it was refused. Please use the shop's own pages.",
                "该请求来自其他网站，已被拒绝。请使用本店的页面。"
            ),
            RequestRefusal::Invalid { detail } => {
                say!(locale, "Invalid request: {detail}", "请求无效：{detail}")
            }
        }
    }
}

impl From<RequestRefusal> for Refusal {
    fn from(r: RequestRefusal) -> Self {
        Refusal::Request(r)
    }
}

impl Refusal {
    /// The refusal in words, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Refusal::Request(r) => r.message(locale),
            Refusal::Accounts(r) => r.message(locale),
            Refusal::Cart(r) => r.message(locale),
            Refusal::Catalog(r) => r.message(locale),
            Refusal::Checkout(r) => r.message(locale),
            Refusal::Favourites(r) => r.message(locale),
            Refusal::Orders(r) => r.message(locale),
            Refusal::Payments(r) => r.message(locale),
            Refusal::Privacy(r) => r.message(locale),
            Refusal::Search(r) => r.message(locale),
        }
    }
}

impl AppError {
    pub fn bad_request(r: impl Into<Refusal>) -> Self {
        Self::BadRequest(r.into())
    }
    pub fn not_found(r: impl Into<Refusal>) -> Self {
        Self::NotFound(r.into())
    }
    pub fn conflict(r: impl Into<Refusal>) -> Self {
        Self::Conflict(r.into())
    }
    pub fn unauthorized(r: impl Into<Refusal>) -> Self {
        Self::Unauthorized(r.into())
    }
    pub fn forbidden_because(r: impl Into<Refusal>) -> Self {
        Self::Forbidden(r.into())
    }
    pub fn too_many_requests(r: impl Into<Refusal>) -> Self {
        Self::TooManyRequests(r.into())
    }
    pub fn sign_in_required() -> Self {
        Self::Unauthorized(RequestRefusal::SignInRequired.into())
    }
    pub fn forbidden() -> Self {
        Self::Forbidden(RequestRefusal::Forbidden.into())
    }

    /// Log the cause (once, here) and return the opaque variant.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(cause = %cause, "internal error");
        #[cfg(not(feature = "ssr"))]
        leptos::logging::error!("internal error: {cause}");
        Self::Internal
    }

    /// The refusal, for a refused request.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            AppError::BadRequest(r)
            | AppError::NotFound(r)
            | AppError::Unauthorized(r)
            | AppError::Forbidden(r)
            | AppError::Conflict(r)
            | AppError::TooManyRequests(r) => Some(r),
            AppError::Internal | AppError::Transport(_) => None,
        }
    }

    /// What to tell the shopper, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::Internal => say!(
                locale,
                "Something went wrong on our side. Please try again in a moment.",
                "我们这边出了点问题。请稍后再试。"
            ),
            AppError::Transport(detail) => say!(
                locale,
                "The shop could not be reached: {detail}",
                "无法连接商店：{detail}"
            ),
            refused => refused
                .refusal()
                .map(|r| r.message(locale))
                .unwrap_or_default(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => StatusCode::BAD_GATEWAY,
        }
    }
}

/// In the language of the request being served (server) or of the page (browser).
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(crate::prefs::Prefs::current().locale))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the caller's mistake, not ours.
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::Deserialization(detail) => {
                AppError::BadRequest(RequestRefusal::Invalid { detail }.into())
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// A database error is ours, not the user's: the stores write `?` and the shopper gets the
/// opaque variant, the cause logged once.
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(format_args!("database: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// During server rendering, make the HTTP response carry the error's status.
pub fn set_response_status(status: StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
