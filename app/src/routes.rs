//! Route-level code splitting: which pages load their own wasm chunk.
//!
//! The shell (header, footer, mini-cart), home, category, product and search pages are in
//! the first chunk, since a visitor usually lands on one of them. Every other page is a
//! lazy route: `cargo leptos build --split` moves the code only it uses into a chunk of its
//! area (`account`, `checkout`, ...), fetched when the visitor first navigates there (or
//! preloaded with the page when the server renders it), and the browser entry hydrates with
//! `hydrate_lazy`. A new page goes in the table at the bottom, in the chunk of its area.
//!
//! This is `wasm_split` (what Leptos's `#[lazy_route]` uses) with its `fallible` option:
//! `#[lazy_route]` panics when a chunk cannot be fetched (offline, or a deploy replaced the
//! files), and a panic stops the whole wasm module. Here a failed fetch renders
//! [`ChunkFailed`], a message with a retry, and a later navigation fetches again.

use leptos::prelude::*;

use crate::i18n::{t, Key};

/// A route's chunk could not be fetched.
#[derive(Debug)]
pub struct ChunkError;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Shown in place of a page whose code could not be downloaded. "Try again" reloads the
/// page: the server renders it and the chunk is fetched afresh (or the service worker's
/// offline page says the visitor is offline).
#[component]
pub fn ChunkFailed() -> impl IntoView {
    let retry = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="message-page" role="alert" data-chunk-failed="true">
            <h1>{t(Key::ChunkFailedTitle)}</h1>
            <p>{t(Key::ChunkFailedBody)}</p>
            <p><button type="button" class="button" on:click=retry>{t(Key::Retry)}</button></p>
            <p><a href="/">{t(Key::BackHome)}</a></p>
        </section>
    }
}

/// `chunk: Route = split_fn(page::Component)` declares the unit-like type `Route` for
/// `<Route view=Lazy::<Route>::new() />`. On the server the page renders directly and its
/// chunk is named for the `modulepreload` links of the response; in the browser the chunk
/// is fetched first.
macro_rules! lazy_routes {
    ($($chunk:ident: $route:ident = $split:ident($($page:ident)::+)),* $(,)?) => {$(
        /// A lazy route (see the module docs); the page is
        #[doc = concat!("`", stringify!($($page)::+), "`.")]
        pub struct $route {}

        #[leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            preload(#[doc(hidden)] #[allow(non_snake_case)] $route),
            fallible
        )]
        fn $split() -> Result<AnyView, ChunkError> {
            Ok(crate::$($page)::+().into_any())
        }

        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self {}
            }

            async fn view(_this: Self) -> AnyView {
                #[cfg(feature = "ssr")]
                leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                match $split().await {
                    Ok(view) => view,
                    Err(ChunkError) => view! { <ChunkFailed /> }.into_any(),
                }
            }

            async fn preload() {
                // A failure shows when the route is rendered; nothing to do here.
                let _ = $route().await;
            }
        }
    )*};
}

lazy_routes! {
    cart: CartRoute = cart_page(cart::pages::CartPage),
    favourites: FavouritesRoute = favourites_page(favourites::FavouritesPage),
    account: SignInRoute = sign_in_page(accounts::pages::sign_in::SignInPage),
    account: SignUpRoute = sign_up_page(accounts::pages::sign_up::SignUpPage),
    account: AccountRoute = account_page(accounts::pages::account::AccountPage),
    account: AddressesRoute = addresses_page(accounts::pages::addresses::AddressesPage),
    account: DevicesRoute = devices_page(accounts::pages::devices::DevicesPage),
    privacy: PrivacyCentreRoute = privacy_centre_page(privacy::pages::centre::PrivacyCentrePage),
    privacy: PrivacyNoticeRoute = privacy_notice_page(privacy::pages::notice::PrivacyNoticePage),
    checkout: CheckoutRoute = checkout_page(checkout::pages::checkout::CheckoutPage),
    checkout: PayAgainRoute = pay_again_page(checkout::pages::pay_again::PayAgainPage),
    orders: OrderHistoryRoute = order_history_page(orders::pages::history::OrderHistoryPage),
    orders: OrderDetailRoute = order_detail_page(orders::pages::detail::OrderDetailPage),
    orders: InvoiceRoute = invoice_page(orders::pages::invoice::InvoicePage),
    tracking: TrackingRoute = tracking_page(orders::pages::tracking::TrackingPage),
    tracking: TrackRoute = track_page(orders::pages::tracking::TrackPage),
    tracking: NotificationsRoute = notifications_page(orders::pages::notifications::NotificationsPage),
    staff: StaffRoute = staff_page(admin::pages::StaffPage),
    staff: DispatchRoute = dispatch_page(admin::dispatch::DispatchPage),
}
