//! Account screens: sign-in, sign-up, profile, address book and devices (the privacy
//! centre lives in `crate::privacy::pages`, the order history in `crate::orders::pages`;
//! both are account pages too and use [`AccountFrame`]). Conventions shared by these pages:
//!
//! - Forms are `ActionForm`s over the server functions of `accounts::api`, so they post
//!   like plain HTML forms before the wasm has loaded and in place once it has. Input names
//!   are the server functions' argument names.
//! - A failed call shows the `AppError` text (written for users) in a `role="alert"`
//!   region next to the form; a success says so in a `role="status"` region
//!   (`components::forms`).
//! - Who is signed in comes from one `Resource` over `whoami()`, made by the app root and
//!   shared through context (`components::session::use_current_user`): the header and the
//!   pages read the same value, rendered on the server and reused by hydration.
//! - Signing in or out reloads the whole page (`components::navigation::reload_to`), so
//!   that everything on it (header, cart) is rendered for the new user.
//! - Pages that need a member show `components::status::SignInPrompt` when the server says
//!   Unauthorized.

pub mod account;
pub mod addresses;
pub mod devices;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{t, Key};

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
