//! Forms over server functions: whether an action succeeded, its error or success message,
//! and the live regions that announce them.
//!
//! Forms are `ActionForm`s over server functions, so they post like plain HTML forms before
//! the wasm has loaded and in place once it has. A failed call shows the `AppError` text
//! (written for users) in a `role="alert"` region next to the form; a success says so in a
//! `role="status"` region ([`FormFeedback`]).

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::error::AppError;
use crate::i18n::t;

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
pub fn action_success<S>(
    action: ServerAction<S>,
    message: impl crate::i18n::Text + Send + Sync + 'static,
) -> Signal<Option<&'static str>>
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
