//! `/account`: who is signed in, the name change and the password change.

use crate::accounts::text::AccountsText;
use leptos::form::ActionForm;
use leptos::prelude::*;

use super::AccountFrame;
use crate::accounts::api::{ChangePassword, Rename};
use crate::accounts::model::CurrentUser;
use crate::components::errors::ErrorMessage;
use crate::components::forms::{action_error, action_success, FormFeedback};
use crate::components::session::use_current_user;
use crate::components::status::{loading, SignInPrompt};
use crate::i18n::{t, Key};

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = use_current_user();
    // The actions live above the Suspense, so their messages survive the refetch that
    // follows a rename.
    let rename = ServerAction::<Rename>::new();
    let change_password = ServerAction::<ChangePassword>::new();
    let password_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = rename.value().get() {
            // The header shows the name too.
            me.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = change_password.value().get() {
            if let Some(form) = password_form.get_untracked() {
                form.reset();
            }
        }
    });
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => {
                        view! {
                            <AccountFrame title=t(Key::YourAccount) path="/account">
                                <Profile user=user.clone() rename change_password password_form />
                            </AccountFrame>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <SignInPrompt path="/account" /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Profile(
    user: CurrentUser,
    rename: ServerAction<Rename>,
    change_password: ServerAction<ChangePassword>,
    password_form: NodeRef<leptos::html::Form>,
) -> impl IntoView {
    view! {
        <p class="signed-in-as">
            {t(AccountsText::SignedInAs)} ": " <strong>{user.name.clone()}</strong> " · " <span class="email">{user.email.clone()}</span>
        </p>
        <section class="account-section" aria-labelledby="rename-h">
            <h2 id="rename-h">{t(AccountsText::ChangeName)}</h2>
            <ActionForm action=rename attr:id="rename-form" attr:class="form-card">
                <div class="field">
                    <label for="rename-name">{t(AccountsText::YourName)}</label>
                    <input
                        id="rename-name"
                        name="name"
                        type="text"
                        autocomplete="name"
                        maxlength="80"
                        required
                        value=user.name.clone()
                    />
                </div>
                <FormFeedback error=action_error(rename) success=action_success(rename, AccountsText::NameSaved) />
                <button type="submit">{t(AccountsText::Save)}</button>
            </ActionForm>
        </section>
        <section class="account-section" aria-labelledby="password-h">
            <h2 id="password-h">{t(AccountsText::ChangePassword)}</h2>
            <ActionForm action=change_password node_ref=password_form attr:id="password-form" attr:class="form-card">
                // Lets password managers file the new password under the right account.
                <input type="hidden" name="username" autocomplete="username" value=user.email.clone() disabled />
                <div class="field">
                    <label for="password-current">{t(AccountsText::CurrentPassword)}</label>
                    <input
                        id="password-current"
                        name="current"
                        type="password"
                        autocomplete="current-password"
                        maxlength="128"
                        required
                    />
                </div>
                <div class="field">
                    <label for="password-new">{t(AccountsText::NewPassword)}</label>
                    <input
                        id="password-new"
                        name="new_password"
                        type="password"
                        autocomplete="new-password"
                        minlength="8"
                        maxlength="128"
                        aria-describedby="password-new-hint"
                        required
                    />
                    <p class="hint" id="password-new-hint">{t(AccountsText::PasswordHint)}</p>
                </div>
                <FormFeedback
                    error=action_error(change_password)
                    success=action_success(change_password, AccountsText::PasswordChanged)
                />
                <button type="submit">{t(AccountsText::ChangePassword)}</button>
            </ActionForm>
        </section>
    }
}
