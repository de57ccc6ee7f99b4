//! The one error type of the shop. Every failure a user can meet is one of these variants;
//! each maps to an HTTP status and a message that is safe to show (internal details are
//! logged on the server, never sent).

use http::StatusCode;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The request itself is wrong; the message says how to fix it.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    /// Not signed in (or the session ended): sign in and try again.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but this is not yours or not for your role.
    #[error("{0}")]
    Forbidden(String),
    /// The request clashes with what exists (an email already registered).
    #[error("{0}")]
    Conflict(String),
    /// Throttled; the message says how long to wait.
    #[error("{0}")]
    TooManyRequests(String),
    /// Something broke on our side. The detail stays in the server log.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// Transport-level failure of a server function call (network, decoding).
    #[error("The shop could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::BadRequest(msg.into())
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::NotFound(msg.into())
    }
    pub fn sign_in_required() -> Self {
        Self::Unauthorized(crate::i18n::tr(crate::i18n::Key::MsgSignInRequired).into())
    }
    pub fn forbidden() -> Self {
        Self::Forbidden(crate::i18n::tr(crate::i18n::Key::MsgForbidden).into())
    }

    /// Log the cause and return the opaque variant.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        leptos::logging::error!("internal error: {cause}");
        Self::Internal
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

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the caller's mistake, not ours.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::BadRequest(format!("Invalid request: {msg}"))
            }
            other => AppError::Transport(other.to_string()),
        }
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
