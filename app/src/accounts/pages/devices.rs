//! `/account/devices`: every signed-in session of the account, with a button to sign any
//! other one out, and one to sign out everywhere.

use crate::accounts::text::AccountsText;
use crate::calendar::fmt_uk_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

use super::AccountFrame;
use crate::accounts::api::{devices, SignOutDevice, SignOutEverywhere};
use crate::accounts::model::Device;
use crate::components::forms::{action_error, succeeded};
use crate::components::navigation::reload_to;
use crate::components::status::{loading, LoadError};
use crate::i18n::t;

#[component]
pub fn DevicesPage() -> impl IntoView {
    let sign_out_device = ServerAction::<SignOutDevice>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let changes = RwSignal::new(0u32);
    let list = Resource::new(move || changes.get(), |_| devices());
    Effect::new(move |_| {
        if succeeded(sign_out_device) {
            changes.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if succeeded(everywhere) {
            reload_to("/signin");
        }
    });
    let error = Signal::derive(move || {
        action_error(sign_out_device)
            .get()
            .or_else(|| action_error(everywhere).get())
    });
    let done = Signal::derive(move || {
        succeeded(sign_out_device).then(|| t(AccountsText::DeviceSignedOut))
    });
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) => {
                        view! {
                            <AccountFrame title=t(AccountsText::DevicesTitle) path="/account/devices">
                                <p>{t(AccountsText::DevicesIntro)}</p>
                                <div class="form-status" role="status">
                                    {move || done.get().map(|m| view! { <p class="form-ok">{m}</p> })}
                                </div>
                                <div class="form-alert" role="alert">
                                    {move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}
                                </div>
                                <ul class="device-list">
                                    {items
                                        .into_iter()
                                        .map(|d| view! { <DeviceCard device=d action=sign_out_device /> })
                                        .collect_view()}
                                </ul>
                                <section class="account-section" aria-labelledby="everywhere-h">
                                    <h2 id="everywhere-h">{t(AccountsText::SignOutEverywhere)}</h2>
                                    <p class="hint">{t(AccountsText::SignOutEverywhereHint)}</p>
                                    <ActionForm action=everywhere attr:id="sign-out-everywhere">
                                        <button type="submit" class="danger">{t(AccountsText::SignOutEverywhere)}</button>
                                    </ActionForm>
                                </section>
                            </AccountFrame>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadError error=e path="/account/devices" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeviceCard(device: Device, action: ServerAction<SignOutDevice>) -> impl IntoView {
    let name =
        describe(&device.user_agent).unwrap_or_else(|| t(AccountsText::UnknownBrowser).to_string());
    let label = format!("{}: {name}, {}", t(AccountsText::SignOutDevice), device.ip);
    view! {
        <li class="device-card" data-current=device.current.then_some("true")>
            <p class="device-name">
                <strong>{name.clone()}</strong>
                {device.current.then(|| view! { " " <span class="badge">{t(AccountsText::ThisDevice)}</span> })}
            </p>
            <dl class="facts">
                <dt>{t(AccountsText::IpAddress)}</dt>
                <dd>{device.ip.clone()}</dd>
                <dt>{t(AccountsText::SignedInAt)}</dt>
                <dd>{fmt_uk_time(device.signed_in_at)}</dd>
                <dt>{t(AccountsText::LastActive)}</dt>
                <dd>{fmt_uk_time(device.last_seen_at)}</dd>
            </dl>
            <p class="user-agent">{device.user_agent.clone()}</p>
            {(!device.current)
                .then(|| {
                    view! {
                        <ActionForm action attr:class="inline-form">
                            <input type="hidden" name="id" value=device.id.clone() />
                            <button type="submit" class="secondary" aria-label=label>
                                {t(AccountsText::SignOutDevice)}
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

/// "Firefox on Windows" from a user agent, when it is recognisable.
pub fn describe(user_agent: &str) -> Option<String> {
    let ua = user_agent;
    let browser = if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("HeadlessChrome") {
        "Headless Chrome"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        return None;
    };
    let os = if ua.contains("Android") {
        Some("Android")
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        Some("iOS")
    } else if ua.contains("Windows") {
        Some("Windows")
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        Some("macOS")
    } else if ua.contains("CrOS") {
        Some("ChromeOS")
    } else if ua.contains("Linux") {
        Some("Linux")
    } else {
        None
    };
    Some(match os {
        Some(os) => format!("{browser} · {os}"),
        None => browser.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn user_agents_are_summarised() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(describe(chrome).as_deref(), Some("Chrome · Linux"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(iphone).as_deref(), Some("Safari · iOS"));
        assert_eq!(describe("curl/8.0"), None);
    }
}
