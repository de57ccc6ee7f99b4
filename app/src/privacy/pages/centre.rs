//! `/account/privacy`: the member's consent switches (each with what it means and when it
//! was last decided, under which version of the notice), the data export, and account
//! deletion behind the password.

use crate::calendar::fmt_uk_time;
use crate::privacy::text::PrivacyText;
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::accounts::pages::AccountFrame;
use crate::components::forms::{action_error, succeeded, FormFeedback};
use crate::components::navigation::reload_to;
use crate::components::status::{loading, LoadError};
use crate::i18n::{t, Key};
use crate::privacy::api::{consents, DeleteAccount, SetConsent};
use crate::privacy::model::{ConsentSetting, Purpose};

/// Where the server serves the export (a plain GET download).
pub const EXPORT_URL: &str = "/account/export.json";

#[component]
pub fn PrivacyCentrePage() -> impl IntoView {
    let set_consent = ServerAction::<SetConsent>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    let changes = RwSignal::new(0u32);
    let list = Resource::new(move || changes.get(), |_| consents());
    Effect::new(move |_| {
        if succeeded(set_consent) {
            changes.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if succeeded(delete) {
            reload_to("/?account=deleted");
        }
    });
    // The list is rendered anew after each change: give focus back to the switch used.
    let last_switch = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(input) = set_consent.input().get() {
            last_switch.set(Some(input.purpose.as_str()));
        }
    });
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(slug)) = (list.get(), last_switch.get_untracked()) {
            focus_later(format!("consent-{slug}-switch"));
        }
    });
    let saved = Signal::derive(move || succeeded(set_consent).then(|| t(PrivacyText::ChoiceSaved)));
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(settings) => {
                        view! {
                            <AccountFrame title=t(Key::PrivacyCentre) path="/account/privacy">
                                <p>
                                    {t(PrivacyText::PrivacyCentreIntro)} " "
                                    <a href="/privacy">{t(PrivacyText::ReadNotice)}</a>
                                </p>
                                <section class="account-section" aria-labelledby="choices-h">
                                    <h2 id="choices-h">{t(PrivacyText::YourChoices)}</h2>
                                    <p class="hint">{t(PrivacyText::ChoicesIntro)}</p>
                                    <FormFeedback error=action_error(set_consent) success=saved />
                                    <ul class="consent-list">
                                        {settings
                                            .into_iter()
                                            .map(|s| view! { <ConsentSwitch setting=s action=set_consent /> })
                                            .collect_view()}
                                    </ul>
                                </section>
                                <section class="account-section" aria-labelledby="data-h">
                                    <h2 id="data-h">{t(PrivacyText::YourData)}</h2>
                                    <p>{t(PrivacyText::DownloadDataText)}</p>
                                    // `download` (and rel=external) keep the router's hands off: the
                                    // browser fetches the file and saves it.
                                    <a
                                        id="download-data"
                                        class="button-link"
                                        href=EXPORT_URL
                                        download="emporium-my-data.json"
                                        rel="external"
                                    >
                                        {t(PrivacyText::DownloadData)}
                                    </a>
                                </section>
                                <DeleteAccountSection action=delete />
                            </AccountFrame>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadError error=e path="/account/privacy" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn focus_later(id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

fn purpose_text(p: Purpose) -> (PrivacyText, PrivacyText) {
    match p {
        Purpose::Personalisation => (
            PrivacyText::PurposePersonalisation,
            PrivacyText::PurposePersonalisationText,
        ),
        Purpose::Analytics => (
            PrivacyText::PurposeAnalytics,
            PrivacyText::PurposeAnalyticsText,
        ),
        Purpose::Marketing => (
            PrivacyText::PurposeMarketing,
            PrivacyText::PurposeMarketingText,
        ),
    }
}

/// The value the server function's `purpose` argument reads (the variant's name).
fn purpose_param(p: Purpose) -> &'static str {
    match p {
        Purpose::Personalisation => "Personalisation",
        Purpose::Analytics => "Analytics",
        Purpose::Marketing => "Marketing",
    }
}

/// One purpose: what it means, its state and a switch. The switch is a submit button with
/// role="switch", so it works as a plain form before the wasm has loaded.
#[component]
fn ConsentSwitch(setting: ConsentSetting, action: ServerAction<SetConsent>) -> impl IntoView {
    let (name, explanation) = purpose_text(setting.purpose);
    let slug = setting.purpose.as_str();
    let heading_id = format!("consent-{slug}-h");
    let text_id = format!("consent-{slug}-text");
    let state_id = format!("consent-{slug}-state");
    let described_by = format!("{text_id} {state_id}");
    let state = match setting.decided_at {
        None => t(PrivacyText::NotDecided).to_string(),
        Some(at) => {
            let since = if setting.granted {
                t(PrivacyText::OnSince)
            } else {
                t(PrivacyText::OffSince)
            };
            let version = setting
                .policy_version
                .map(|v| format!(" · {} {v}", t(PrivacyText::PolicyVersion)))
                .unwrap_or_default();
            format!("{since} {}{version}", fmt_uk_time(at))
        }
    };
    view! {
        <li class="consent-card" id=format!("consent-{slug}") data-granted=setting.granted.to_string()>
            <div class="consent-head">
                <h3 id=heading_id.clone()>{t(name)}</h3>
                <ActionForm action attr:class="inline-form">
                    <input type="hidden" name="purpose" value=purpose_param(setting.purpose) />
                    <input type="hidden" name="granted" value=(!setting.granted).to_string() />
                    <button
                        type="submit"
                        id=format!("consent-{slug}-switch")
                        class="switch"
                        role="switch"
                        aria-checked=setting.granted.to_string()
                        aria-labelledby=heading_id
                        aria-describedby=described_by
                    >
                        <span class="switch-track" aria-hidden="true">
                            <span class="switch-thumb"></span>
                        </span>
                        <span class="switch-text" aria-hidden="true">
                            {if setting.granted { t(PrivacyText::On) } else { t(PrivacyText::Off) }}
                        </span>
                    </button>
                </ActionForm>
            </div>
            <p id=text_id>{t(explanation)}</p>
            <p class="consent-state" id=state_id>{state}</p>
        </li>
    }
}

#[component]
fn DeleteAccountSection(action: ServerAction<DeleteAccount>) -> impl IntoView {
    view! {
        <section class="account-section danger-zone" aria-labelledby="delete-h">
            <h2 id="delete-h">{t(PrivacyText::DeleteAccount)}</h2>
            <p class="warning" id="delete-warning">
                <span aria-hidden="true">"⚠ "</span>
                {t(PrivacyText::DeleteWarning)}
            </p>
            <ActionForm action attr:id="delete-account-form" attr:class="form-card">
                <div class="field">
                    <label for="delete-password">{t(PrivacyText::ConfirmPassword)}</label>
                    <input
                        id="delete-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        maxlength="128"
                        aria-describedby="delete-warning"
                        required
                    />
                </div>
                // No name: the box only has to be ticked, it is not sent.
                <label class="check" for="delete-confirm">
                    <input id="delete-confirm" type="checkbox" required />
                    {t(PrivacyText::DeleteConfirm)}
                </label>
                <FormFeedback error=action_error(action) />
                <button type="submit" class="danger">{t(PrivacyText::DeleteAccount)}</button>
            </ActionForm>
        </section>
    }
}
