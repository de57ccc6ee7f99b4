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

use crate::accounts::text::AccountsText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{t, Key};

/// The frame of every account page: title, no indexing, and the section links.
#[component]
pub fn AccountFrame(
    /// The page's title, already in words (`t(...)`): the frame serves several domains.
    title: &'static str,
    path: &'static str,
    children: Children,
) -> impl IntoView {
    let tabs = [
        ("/account", t(AccountsText::Profile)),
        ("/account/orders", t(Key::YourOrders)),
        ("/account/addresses", t(AccountsText::Addresses)),
        ("/account/devices", t(AccountsText::Devices)),
        ("/account/privacy", t(Key::PrivacyCentre)),
    ];
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex" />
        <nav class="account-tabs" aria-label=t(AccountsText::AccountNav)>
            <ul>
                {tabs
                    .into_iter()
                    .map(|(href, label)| {
                        view! {
                            <li>
                                <a href=href aria-current=(href == path).then_some("page")>{label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <h1>{title}</h1>
        {children()}
    }
}
