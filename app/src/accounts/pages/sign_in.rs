//! `/signin?next=/somewhere`: email and password. On success the server function redirects
//! to `next` (a path on this site, checked again on the server by `safe_next`).

use crate::accounts::text::AccountsText;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::accounts::api::{safe_next, SignIn};
use crate::components::forms::{action_error, succeeded, FormFeedback};
use crate::components::navigation::{reload_to, urlencode};
use crate::i18n::{t, Key};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = safe_next(query.read_untracked().get("next").as_deref());
    let action = ServerAction::<SignIn>::new();
    let target = next.clone();
    Effect::new(move |_| {
        if succeeded(action) {
            reload_to(&target);
        }
    });
    let pending = action.pending();
    let next_input = next.clone();
    view! {
        <Title text=t(Key::SignIn) />
        <Meta name="robots" content="noindex" />
        <section class="auth-page">
            <h1>{t(Key::SignIn)}</h1>
            <ActionForm action attr:id="sign-in-form" attr:class="form-card">
                <div class="field">
                    <label for="sign-in-email">{t(AccountsText::Email)}</label>
                    <input
                        id="sign-in-email"
                        name="email"
                        type="email"
                        inputmode="email"
                        autocomplete="email"
                        autocapitalize="none"
                        spellcheck="false"
                        maxlength="254"
                        required
                    />
                </div>
                <div class="field">
                    <label for="sign-in-password">{t(AccountsText::Password)}</label>
                    <input
                        id="sign-in-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        maxlength="128"
                        required
                    />
                </div>
                <input type="hidden" name="next" value=next_input />
                <FormFeedback error=action_error(action) />
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {t(Key::SignIn)}
                </button>
            </ActionForm>
            <p class="auth-switch">
                {t(AccountsText::NewHere)} " "
                <a href=format!("/signup?next={}", urlencode(&next))>{t(AccountsText::SignUp)}</a>
            </p>
        </section>
    }
}
