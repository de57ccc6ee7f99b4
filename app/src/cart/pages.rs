//! The cart page (`/cart`), the header's cart link with its item count, and the "Add to
//! cart" form of the product page.
//!
//! Every change is an `ActionForm` posting to a server function, so it also works without
//! JavaScript (the server answers a plain form post with a redirect back). With
//! JavaScript, a change bumps a per-tab version signal that the header's count and the
//! cart page reload on; the count also reloads on every navigation, since signing in
//! (which merges the guest cart into the account) is one.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

use crate::cart::api::{get_cart, AddToCart, SetCartQuantity};
use crate::cart::model::{Cart, CartLine, MAX_QUANTITY};
use crate::components::errors::ErrorMessage;
use crate::components::product_card::image_url;
use crate::i18n::{fmt_stock, format_price, t, use_locale, Key, Locale};

/// How many times this tab changed its cart. One signal per tab in the browser; on the
/// server each render gets its own (nothing changes there).
fn cart_version() -> ArcRwSignal<u64> {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static VERSION: ArcRwSignal<u64> = ArcRwSignal::new(0);
        }
        VERSION.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(0)
}

/// Tell the header's count and the cart page that the cart changed.
pub fn cart_changed() {
    cart_version().update(|v| *v += 1);
}

/// "Cart (3)".
pub fn fmt_cart_link(locale: Locale, items: i64) -> String {
    match locale {
        Locale::En => format!("{} ({items})", crate::i18n::text(locale, Key::Cart)),
        Locale::ZhCn => format!("{}（{items}）", crate::i18n::text(locale, Key::Cart)),
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
    view! {
        <a href="/cart" class="nav-cart">
            <span aria-hidden="true">"🛒 "</span>
            <span class="cart-count" aria-live="polite">
                <Transition fallback=move || t(Key::Cart)>
                    {move || Suspend::new(async move {
                        match cart.await {
                            Ok(c) => fmt_cart_link(locale, c.item_count),
                            Err(_) => t(Key::Cart).to_string(),
                        }
                    })}
                </Transition>
            </span>
        </a>
    }
}

/// Quantity selector and button on the product page.
#[component]
pub fn AddToCartForm(code: String, title: String, stock: i64) -> impl IntoView {
    let add = ServerAction::<AddToCart>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            cart_changed();
        }
    });
    let out_of_stock = stock <= 0;
    let max = stock.clamp(1, MAX_QUANTITY);
    view! {
        <ActionForm action=add attr:class="add-to-cart">
            <input type="hidden" name="code" value=code />
            <label for="add-quantity">{t(Key::Quantity)}</label>
            <input
                id="add-quantity"
                type="number"
                name="quantity"
                value="1"
                min="1"
                max=max
                inputmode="numeric"
                required
                disabled=out_of_stock
            />
            <button
                type="submit"
                class="add-to-cart-button"
                aria-label=format!("{}: {title}", t(Key::AddToCart))
                disabled=move || out_of_stock || add.pending().get()
            >
                {t(Key::AddToCart)}
            </button>
        </ActionForm>
        <p class="cart-feedback" role="status">
            {move || {
                matches!(add.value().get(), Some(Ok(_)))
                    .then(|| {
                        view! {
                            {t(Key::AddedToCart)}
                            " "
                            <a href="/cart">{t(Key::ViewCart)}</a>
                        }
                    })
            }}
        </p>
        {move || {
            add.value()
                .get()
                .and_then(Result::err)
                .map(|e| {
                    view! {
                        <p class="cart-error" role="alert">
                            {t(Key::CartChangeFailed)}
                            " "
                            {e.to_string()}
                        </p>
                    }
                })
        }}
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let set = ServerAction::<SetCartQuantity>::new();
    let version = cart_version();
    let cart = Resource::new(move || version.get(), |_| get_cart());
    Effect::new(move |_| {
        if set.value().get().is_some() {
            cart_changed();
        }
    });
    view! {
        <Title text=t(Key::CartTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(Key::CartTitle)}</h1>
        {move || {
            set.value()
                .get()
                .and_then(Result::err)
                .map(|e| {
                    view! {
                        <p class="cart-error" role="alert">
                            {t(Key::CartChangeFailed)}
                            " "
                            {e.to_string()}
                        </p>
                    }
                })
        }}
        <Transition fallback=|| view! { <p aria-busy="true">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(c) if c.lines.is_empty() => {
                        view! {
                            <section class="empty-state cart-empty">
                                <p>{t(Key::CartEmpty)}</p>
                                <p><a href="/">{t(Key::ContinueShopping)}</a></p>
                            </section>
                        }
                            .into_any()
                    }
                    Ok(c) => view! { <CartView cart=c set /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CartView(cart: Cart, set: ServerAction<SetCartQuantity>) -> impl IntoView {
    view! {
        <ul class="cart-lines">
            {cart
                .lines
                .into_iter()
                .map(|line| view! { <CartLineView line set /> })
                .collect_view()}
        </ul>
        <div class="cart-summary">
            <p class="cart-subtotal">
                <span>{t(Key::Subtotal)}</span>
                " "
                <strong>{format_price(cart.subtotal_minor)}</strong>
            </p>
            <p class="cart-note">{t(Key::CheckoutLater)}</p>
            <p><a href="/">{t(Key::ContinueShopping)}</a></p>
        </div>
    }
}

#[component]
fn CartLineView(line: CartLine, set: ServerAction<SetCartQuantity>) -> impl IntoView {
    let locale = use_locale();
    let p = line.product;
    let input_id = format!("qty-{}", p.code);
    let (code_for_set, code_for_remove) = (p.code.clone(), p.code.clone());
    let title_hidden = p.title.clone();
    let href = format!("/p/{}", p.code);
    // Never offer more than the stock, but keep the current quantity selectable.
    let max = p.stock.max(line.quantity).clamp(1, MAX_QUANTITY);
    let over_stock = line.quantity > p.stock;
    let stock_class = if p.stock > 0 { "stock in" } else { "stock out" };
    let remove_label = format!("{}: {}", t(Key::RemoveFromCart), p.title);
    let update_label = format!("{}: {}", t(Key::UpdateQuantity), p.title);
    view! {
        <li class="cart-line" data-code=p.code.clone()>
            <img src=image_url(&p.code) width="72" height="72" alt="" loading="lazy" decoding="async" />
            <div class="cart-line-info">
                <a href=href class="cart-line-title">{p.title.clone()}</a>
                <span class="cart-line-price">
                    {t(Key::UnitPrice)}
                    " "
                    {format_price(p.price_minor)}
                </span>
                {over_stock
                    .then(|| {
                        view! {
                            <span class=stock_class>
                                {fmt_stock(locale, p.stock)}
                            </span>
                        }
                    })}
            </div>
            <ActionForm action=set attr:class="cart-quantity">
                <input type="hidden" name="code" value=code_for_set />
                <label for=input_id.clone()>
                    {t(Key::Quantity)}
                    <span class="visually-hidden">": " {title_hidden}</span>
                </label>
                <input
                    id=input_id
                    type="number"
                    name="quantity"
                    value=line.quantity
                    min="0"
                    max=max
                    inputmode="numeric"
                    required
                />
                <button type="submit" class="cart-secondary" aria-label=update_label>
                    {t(Key::UpdateQuantity)}
                </button>
            </ActionForm>
            <ActionForm action=set attr:class="cart-remove">
                <input type="hidden" name="code" value=code_for_remove />
                <input type="hidden" name="quantity" value="0" />
                <button type="submit" class="cart-secondary" aria-label=remove_label>
                    {t(Key::RemoveFromCart)}
                </button>
            </ActionForm>
            <span class="cart-line-total">
                <span class="visually-hidden">{t(Key::LineTotal)} " "</span>
                {format_price(line.line_total_minor)}
            </span>
        </li>
    }
}
