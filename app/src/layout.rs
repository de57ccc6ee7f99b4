//! The frame around every page: header (home link, search, favourites, account, language
//! and theme switches) and footer (data credit, privacy notice).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::cart::mini_cart::CartLink;
use crate::components::forms::succeeded;
use crate::components::navigation::{reload_to, urlencode};
use crate::components::session::use_current_user;
use crate::i18n::{t, use_locale, Key, Locale};
use crate::orders::bell::{bell_count, BellCount, NotificationBell};
use crate::prefs::{Prefs, Theme};
use crate::search::search_box::SearchBox;

/// The skip link has target="_self" so that the router does not intercept the in-page
/// jump (it would scroll without moving focus).
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main" target="_self">{t(Key::SkipToContent)}</a>
        <header class="site-header">
            <a class="logo" href="/">{t(Key::ShopName)}</a>
            <SearchBox />
            <nav aria-label=t(Key::MainNav) class="header-nav">
                <a href="/favourites" class="nav-favourites">
                    <span aria-hidden="true">"♥ "</span>
                    {t(Key::Favourites)}
                </a>
                <CartLink />
                <AccountMenu />
                <LanguageSwitch />
                <ThemeToggle />
            </nav>
        </header>
    }
}

/// "Sign in" for visitors (coming back to this page afterwards); for members, their name
/// (to /account) and a sign-out button. Reads the app's shared whoami resource, so the
/// server renders it and hydration reuses the answer.
#[component]
fn AccountMenu() -> impl IntoView {
    let me = use_current_user();
    let bell = bell_count(me);
    let loc = use_location();
    let sign_in_href = move || {
        let path = loc.pathname.get();
        let search = loc.search.get();
        if path.starts_with("/signin") || path.starts_with("/signup") || path == "/" {
            "/signin".to_string()
        } else if search.is_empty() {
            format!("/signin?next={}", urlencode(&path))
        } else {
            format!("/signin?next={}", urlencode(&format!("{path}?{search}")))
        }
    };
    let sign_in_link = move || {
        view! {
            <a href=sign_in_href class="nav-account">
                {t(Key::SignIn)}
            </a>
        }
    };
    view! {
        <Suspense fallback=sign_in_link>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <SignedInMenu name=user.name bell /> }.into_any(),
                    _ => sign_in_link().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedInMenu(name: String, bell: BellCount) -> impl IntoView {
    let sign_out = ServerAction::<crate::accounts::api::SignOut>::new();
    Effect::new(move |_| {
        if succeeded(sign_out) {
            reload_to("/");
        }
    });
    view! {
        <NotificationBell count=bell />
        <a href="/account" class="nav-account" id="account-link">
            <span class="visually-hidden">{t(Key::YourAccount)} ": "</span>
            <span class="nav-account-name">{name}</span>
        </a>
        <leptos::form::ActionForm action=sign_out attr:class="sign-out-form">
            <button type="submit" class="nav-button" id="sign-out">{t(Key::SignOut)}</button>
        </leptos::form::ActionForm>
    }
}

/// Where to come back to after changing a preference: the current path and query.
fn current_path() -> String {
    let loc = use_location();
    let search = loc.search.get_untracked();
    let path = loc.pathname.get_untracked();
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// A plain GET form to `/prefs`, so it works without JavaScript; with it, changing the
/// select submits at once.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let back = current_path();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    view! {
        <form class="language-switch" action="/prefs" method="get" node_ref=form_ref>
            <label for="language-select" class="visually-hidden">{t(Key::Language)}</label>
            <select
                id="language-select"
                name="lang"
                on:change=move |_| {
                    if let Some(form) = form_ref.get() {
                        let _ = form.submit();
                    }
                }
            >
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() selected=l == locale lang=l.code()>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <input type="hidden" name="back" value=back />
            <noscript>
                <button type="submit">{t(Key::Apply)}</button>
            </noscript>
        </form>
    }
}

fn theme_label(theme: Theme) -> &'static str {
    match theme {
        Theme::System => t(Key::ThemeSystem),
        Theme::Light => t(Key::ThemeLight),
        Theme::Dark => t(Key::ThemeDark),
    }
}

/// Cycles system → light → dark. Without JavaScript it is a link through `/prefs`; with it,
/// the change is applied in place (attribute on <html> plus cookie).
#[component]
fn ThemeToggle() -> impl IntoView {
    let prefs = use_context::<Prefs>().unwrap_or_default();
    let theme = RwSignal::new(prefs.theme);
    let locale = use_locale();
    let back = current_path();
    let href = move || {
        format!(
            "/prefs?theme={}&back={}",
            theme.get().next().as_attr(),
            urlencode(&back)
        )
    };
    view! {
        <a
            id="theme-toggle"
            class="theme-toggle"
            role="button"
            href=href
            data-theme-state=move || theme.get().as_attr()
            on:click=move |ev| {
                ev.prevent_default();
                let next = theme.get_untracked().next();
                theme.set(next);
                apply_theme(next);
            }
        >
            <span aria-hidden="true">"◐ "</span>
            {move || {
                let _ = locale;
                theme_label(theme.get())
            }}
        </a>
    }
}

fn apply_theme(theme: Theme) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let doc = document();
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("data-theme", theme.as_attr());
        }
        if let Ok(html_doc) = doc.dyn_into::<web_sys::HtmlDocument>() {
            let _ = html_doc.set_cookie(&crate::prefs::pref_cookie(
                crate::prefs::THEME_COOKIE,
                theme.as_attr(),
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = theme;
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{t(Key::DataCredit)}</p>
            <p><a href="/privacy">{t(Key::PrivacyNotice)}</a> " · " <a href="/track">{t(Key::TrackFooterLink)}</a></p>
        </footer>
    }
}
