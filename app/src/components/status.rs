//! What a page shows while its data loads or when it cannot be read: a loading line, the
//! sign-in prompt for pages that need a member, and the error otherwise.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::errors::ErrorMessage;
use crate::components::navigation::urlencode;
use crate::error::{set_response_status, AppError};
use crate::i18n::{t, Key};

/// A loading line for Suspense fallbacks.
pub fn loading() -> impl IntoView {
    view! { <p aria-busy="true">{t(Key::Loading)}</p> }
}

/// What a page that needs a member shows to someone signed out: a link to sign in that
/// comes back here. Answers 401 when rendered on the server.
#[component]
pub fn SignInPrompt(path: &'static str) -> impl IntoView {
    set_response_status(http::StatusCode::UNAUTHORIZED);
    view! {
        <Title text=t(Key::SignInRequiredTitle) />
        <section class="message-page sign-in-prompt">
            <h1>{t(Key::SignInRequiredTitle)}</h1>
            <p>{t(Key::SignInRequiredBody)}</p>
            <p>
                <a class="button-link" href=format!("/signin?next={}", urlencode(path))>
                    {t(Key::SignIn)}
                </a>
            </p>
        </section>
    }
}

/// A failed load: the sign-in prompt when the session is missing or over, else the error.
#[component]
pub fn LoadError(error: AppError, path: &'static str) -> impl IntoView {
    match error {
        AppError::Unauthorized(_) => view! { <SignInPrompt path /> }.into_any(),
        e => view! { <ErrorMessage error=e /> }.into_any(),
    }
}
