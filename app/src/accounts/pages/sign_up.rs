//! `/signup?next=/somewhere`: name, email and a new password. The server checks the
//! password against the policy (length, common passwords, not the email) and says what to
//! change; on success the new member is signed in and sent to `next`.

use crate::accounts::text::AccountsText;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::accounts::api::{safe_next, SignUp};
use crate::components::forms::{action_error, succeeded, FormFeedback};
use crate::components::navigation::{reload_to, urlencode};
use crate::i18n::{t, Key};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let next = safe_next(query.read_untracked().get("next").as_deref());
    let action = ServerAction::<SignUp>::new();
    let target = next.clone();
    Effect::new(move |_| {
        if succeeded(action) {
            reload_to(&target);
        }
    });
    let pending = action.pending();
    let next_input = next.clone();
    view! {
        <Title text=t(AccountsText::SignUp) />
        <Meta name="robots" content="noindex" />
        <section class="auth-page">
            <h1>{t(AccountsText::SignUp)}</h1>
            <p>{t(AccountsText::SignUpIntro)}</p>
            <ActionForm action attr:id="sign-up-form" attr:class="form-card">
                <div class="field">
                    <label for="sign-up-name">{t(AccountsText::YourName)}</label>
                    <input id="sign-up-name" name="name" type="text" autocomplete="name" maxlength="80" required />
                </div>
                <div class="field">
                    <label for="sign-up-email">{t(AccountsText::Email)}</label>
                    <input
                        id="sign-up-email"
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
                    <label for="sign-up-password">{t(AccountsText::Password)}</label>
                    <input
                        id="sign-up-password"
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        minlength="8"
                        maxlength="128"
                        aria-describedby="sign-up-password-hint"
                        required
                    />
                    <p class="hint" id="sign-up-password-hint">{t(AccountsText::PasswordHint)}</p>
                </div>
                <input type="hidden" name="next" value=next_input />
                <FormFeedback error=action_error(action) />
                <button type="submit" aria-busy=move || pending.get().then_some("true")>
                    {t(AccountsText::SignUp)}
                </button>
            </ActionForm>
            <p class="auth-switch">
                {t(AccountsText::HaveAccount)} " "
                <a href=format!("/signin?next={}", urlencode(&next))>{t(Key::SignIn)}</a>
            </p>
        </section>
    }
}
