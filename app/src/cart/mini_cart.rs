//! The header's link to the cart, with the number of items in it and a panel listing the
//! first lines. It reloads on every navigation (signing in, which merges the guest cart
//! into the account, is one) and whenever this tab changes the cart
//! ([`cart_version`](crate::components::cart_version)).

use crate::cart::text::CartText;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::cart::api::get_cart;
use crate::cart::model::Cart;
use crate::components::cart_version::cart_version;
use crate::i18n::{format_price, t, use_locale, Key, Locale};

/// "Cart (3)".
pub fn fmt_cart_link(locale: Locale, items: i64) -> String {
    match locale {
        Locale::En => format!("{} ({items})", crate::i18n::text(locale, CartText::Cart)),
        Locale::ZhCn => format!("{}（{items}）", crate::i18n::text(locale, CartText::Cart)),
    }
}

/// The header's link to the cart, with the number of items in it.
#[component]
pub fn CartLink() -> impl IntoView {
    // The header is on every page and outlives navigations: the place to keep this tab's
    // favourites in step with the account (and merge a guest's on sign-in).
    crate::favourites::sync_with_account();
    let locale = use_locale();
    let location = use_location();
    let version = cart_version();
    let cart = Resource::new(
        move || (location.pathname.get(), version.get()),
        |_| get_cart(),
    );
    let open = RwSignal::new(false);
    // A navigation closes the panel.
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    view! {
        <div
            class="mini-cart"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <a href="/cart" class="nav-cart">
                <span aria-hidden="true">"🛒 "</span>
                <span class="cart-count" aria-live="polite">
                    <Transition fallback=move || t(CartText::Cart)>
                        {move || Suspend::new(async move {
                            match cart.await {
                                Ok(c) => fmt_cart_link(locale, c.item_count),
                                Err(_) => t(CartText::Cart).to_string(),
                            }
                        })}
                    </Transition>
                </span>
            </a>
            <button
                type="button"
                class="mini-cart-toggle"
                aria-controls="mini-cart-panel"
                aria-expanded=move || open.get().to_string()
                aria-label=t(CartText::MiniCartShow)
                data-testid="mini-cart-toggle"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span aria-hidden="true">"▾"</span>
            </button>
            <div id="mini-cart-panel" class="mini-cart-panel" hidden=move || !open.get() data-testid="mini-cart">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let c = cart.await.unwrap_or_default();
                        view! { <MiniCartPanel cart=c /> }
                    })}
                </Transition>
            </div>
        </div>
    }
}

/// Most lines the header's panel lists before "and N more".
const MINI_CART_LINES: usize = 4;

#[component]
fn MiniCartPanel(cart: Cart) -> impl IntoView {
    let locale = use_locale();
    if cart.lines.is_empty() {
        return view! { <p>{t(CartText::MiniCartEmpty)}</p> }.into_any();
    }
    let more = cart.lines.len().saturating_sub(MINI_CART_LINES);
    view! {
        <ul class="mini-cart-lines">
            {cart
                .lines
                .iter()
                .take(MINI_CART_LINES)
                .map(|l| {
                    view! {
                        <li>
                            <a href=format!("/p/{}", l.product.code)>{l.product.title.clone()}</a>
                            <span>{l.quantity} " × " {format_price(l.product.price_minor)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {(more > 0).then(|| view! { <p class="hint">{crate::i18n::trf_in(locale, CartText::MiniCartMore, &[("n", &more)])}</p> })}
        <p class="mini-cart-subtotal">
            {t(Key::Subtotal)} " " <strong>{format_price(cart.subtotal_minor)}</strong>
        </p>
        <p class="mini-cart-links">
            <a href="/cart">{t(Key::ViewCart)}</a>
            <a href="/checkout" class="button-link">{t(CartText::CheckoutGoToCheckout)}</a>
        </p>
    }
        .into_any()
}
