//! Who is signed in: one `Resource` over `whoami()`, made by the app root and shared
//! through context ([`use_current_user`]), so the header and the pages read the same
//! value, rendered on the server and reused by hydration.

use leptos::prelude::*;

use crate::accounts::api::whoami;
use crate::accounts::model::CurrentUser;
use crate::error::AppError;

/// The signed-in user of this page view, shared by the header and the pages.
#[derive(Clone, Copy)]
pub struct CurrentUserResource(pub Resource<Result<Option<CurrentUser>, AppError>>);

/// Called once by the app root, before anything reads [`use_current_user`].
pub fn provide_current_user() {
    provide_context(CurrentUserResource(Resource::new(|| (), |_| whoami())));
}

/// The shared resource (a fresh one if the root did not provide it, e.g. in a test).
pub fn use_current_user() -> Resource<Result<Option<CurrentUser>, AppError>> {
    match use_context::<CurrentUserResource>() {
        Some(r) => r.0,
        None => {
            provide_current_user();
            expect_context::<CurrentUserResource>().0
        }
    }
}
