//! Emporium's Leptos app: every page, component and server function, shared by the server
//! (rendering, `ssr` feature) and the browser (hydration, `hydrate` feature).
//!
//! Layout: one folder per domain (`catalog`, `search`, `favourites`), each with its
//! `model` (types on the wire), `api` (server functions, thin), `service` (domain logic,
//! server only) and pages/components. `ports` declares what the domain needs from storage
//! and search; the server crate implements it.

pub mod accounts;
pub mod admin;
pub mod calendar;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod components;
pub mod error;
pub mod favourites;
pub mod i18n;
pub mod layout;
pub mod orders;
pub mod payments;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod prefs;
pub mod privacy;
pub mod routes;
pub mod search;
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use routes::*;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_request_nonce();
    let prefs = prefs::Prefs::from_request();
    view! {
        <!DOCTYPE html>
        <html lang=prefs.locale.code() data-theme=prefs.theme.as_attr()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#8a3b12" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = prefs::Prefs::current();
    provide_context(prefs.locale);
    provide_context(prefs);
    components::session::provide_current_user();
    orders::bell::provide_bell_version();
    view! {
        <Title formatter=|title: String| {
            let full = if title.is_empty() { "Emporium".to_string() } else { format!("{title} · Emporium") };
            // leptos_meta 0.8.7 writes the server's `<title>` unescaped, and titles carry
            // visitors' words (a search query): escape it there. The browser sets
            // `document.title` as text, so it gets the words as they are.
            #[cfg(feature = "ssr")]
            let full = security::escape_html_text(&full);
            full
        } />
        <Router>
            <layout::Header />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <components::errors::NotFoundPage /> }>
                    <Route path=path!("") view=catalog::pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/c/:slug") view=catalog::pages::category::CategoryPage ssr=SsrMode::Async />
                    <Route path=path!("/p/:code") view=catalog::pages::product::ProductPage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=search::page::SearchPage ssr=SsrMode::Async />
                    // Every other page is a lazy route with its own chunk (routes.rs).
                    <Route path=path!("/favourites") view={Lazy::<FavouritesRoute>::new()} />
                    <Route path=path!("/staff") view={Lazy::<StaffRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/signin") view={Lazy::<SignInRoute>::new()} />
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/addresses") view={Lazy::<AddressesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/devices") view={Lazy::<DevicesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/privacy") view={Lazy::<PrivacyCentreRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/privacy") view={Lazy::<PrivacyNoticeRoute>::new()} />
                    <Route path=path!("/cart") view={Lazy::<CartRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/checkout") view={Lazy::<CheckoutRoute>::new()} />
                    <Route path=path!("/checkout/pay/:number") view={Lazy::<PayAgainRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account/orders") view={Lazy::<OrderHistoryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/orders/:number") view={Lazy::<OrderDetailRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/orders/:number/invoice") view={Lazy::<InvoiceRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/orders/:number/tracking") view={Lazy::<TrackingRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/track") view={Lazy::<TrackRoute>::new()} />
                    <Route path=path!("/account/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/orders") view={Lazy::<DispatchRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <layout::Footer />
        </Router>
    }
}
