//! Account screens: sign-in, sign-up, profile, address book and devices (the privacy
//! centre lives in `crate::privacy::pages`). Conventions shared by these pages:
//!
//! - Forms are `ActionForm`s over the server functions of `accounts::api`, so they post
//!   like plain HTML forms before the wasm has loaded and in place once it has. Input names
//!   are the server functions' argument names.
//! - A failed call shows the `AppError` text (written for users) in a `role="alert"`
//!   region next to the form; a success says so in a `role="status"` region.
//! - Who is signed in comes from one `Resource` over `whoami()`, made by the app root and
//!   shared through context ([`use_current_user`]): the header and the pages read the same
//!   value, rendered on the server and reused by hydration.
//! - Signing in or out reloads the whole page ([`reload_to`]), so that everything on it
//!   (header, cart) is rendered for the new user.
//! - Pages that need a member show [`SignInPrompt`] when the server says Unauthorized.

pub mod account;
pub mod addresses;
pub mod devices;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use server_fn::ServerFn;

use crate::accounts::api::whoami;
use crate::accounts::model::CurrentUser;
use crate::error::{set_response_status, AppError};
use crate::i18n::{t, Key};
use crate::layout::urlencode;

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

/// Load `url` as a new page (not a client-side navigation), so that every part of the page
/// reflects who is signed in now. The router also navigates on a server function's
/// redirect, one animation frame after the answer; loading a page supersedes that.
pub fn reload_to(url: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// Whether an action has just succeeded (its latest answer is Ok).
pub fn succeeded<S>(action: ServerAction<S>) -> bool
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    matches!(action.value().get(), Some(Ok(_)))
}

/// The message of an action's latest failure, if its latest answer is one.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    })
}

/// `message` while an action's latest answer is a success.
pub fn action_success<S>(action: ServerAction<S>, message: Key) -> Signal<Option<&'static str>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let text = t(message);
    Signal::derive(move || succeeded(action).then_some(text))
}

/// Live regions under a form: errors are announced at once (`alert`), successes politely
/// (`status`). Both elements are always in the page so screen readers notice changes.
#[component]
pub fn FormFeedback(
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into, optional)] success: Option<Signal<Option<&'static str>>>,
) -> impl IntoView {
    view! {
        <div class="form-alert" role="alert">
            {move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}
        </div>
        {success
            .map(|s| {
                view! {
                    <div class="form-status" role="status">
                        {move || s.get().map(|m| view! { <p class="form-ok">{m}</p> })}
                    </div>
                }
            })}
    }
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
        e => view! { <crate::components::errors::ErrorMessage error=e /> }.into_any(),
    }
}

/// The frame of every account page: title, no indexing, and the section links.
#[component]
pub fn AccountFrame(title: Key, path: &'static str, children: Children) -> impl IntoView {
    let tabs = [
        ("/account", Key::Profile),
        ("/account/orders", Key::YourOrders),
        ("/account/addresses", Key::Addresses),
        ("/account/devices", Key::Devices),
        ("/account/privacy", Key::PrivacyCentre),
    ];
    view! {
        <Title text=t(title) />
        <Meta name="robots" content="noindex" />
        <nav class="account-tabs" aria-label=t(Key::AccountNav)>
            <ul>
                {tabs
                    .into_iter()
                    .map(|(href, key)| {
                        view! {
                            <li>
                                <a href=href aria-current=(href == path).then_some("page")>{t(key)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <h1>{t(title)}</h1>
        {children()}
    }
}

/// A loading line for Suspense fallbacks.
pub fn loading() -> impl IntoView {
    view! { <p aria-busy="true">{t(Key::Loading)}</p> }
}
