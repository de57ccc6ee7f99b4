//! Who is asking, for server functions and server-rendered pages. The router's middleware
//! resolves the session cookie once per request into a [`RequestIdentity`] in the
//! request's extensions; these helpers read it and refuse what the caller may not do. Every
//! server function that touches personal data starts with one of them.

use crate::accounts::model::{CurrentUser, Role};
use crate::accounts::session::RequestIdentity;
use crate::error::{AppError, AppResult};

/// The identity of the current request (anonymous when the middleware did not run).
pub fn identity() -> RequestIdentity {
    leptos::reactive::owner::with_context::<http::request::Parts, _>(|parts| {
        parts.extensions.get::<RequestIdentity>().cloned()
    })
    .flatten()
    .unwrap_or_default()
}

pub fn current_user() -> Option<CurrentUser> {
    identity().user
}

/// The signed-in user, or 401.
pub fn require_user() -> AppResult<CurrentUser> {
    current_user().ok_or_else(AppError::sign_in_required)
}

/// The signed-in user if their role is one of `roles`; 401 when signed out, 403 otherwise.
pub fn require_role(roles: &[Role]) -> AppResult<CurrentUser> {
    let user = require_user()?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::forbidden())
    }
}

pub fn require_staff() -> AppResult<CurrentUser> {
    require_role(&[Role::Agent, Role::Admin])
}
