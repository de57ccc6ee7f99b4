//! The cart page (`/cart`). The header's cart link is `cart::mini_cart`; the product
//! page's "Add to cart" form is `components::add_to_cart`.
//!
//! Every change is an `ActionForm` posting to a server function, so it also works without
//! JavaScript (the server answers a plain form post with a redirect back). With
//! JavaScript, a change bumps a per-tab version signal that the header's count and the
//! cart page reload on; the count also reloads on every navigation, since signing in
//! (which merges the guest cart into the account) is one.

use crate::cart::text::CartText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::cart::api::{get_cart, MoveToBasket, SaveForLater, SetCartQuantity};
use crate::cart::model::{Cart, CartLine, MAX_QUANTITY};
use crate::components::cart_version::{cart_changed, cart_version};
use crate::components::errors::ErrorMessage;
use crate::components::product_card::image_url;
use crate::components::status::loading;
use crate::i18n::{fmt_stock, format_price, t, use_locale, Key};

#[component]
pub fn CartPage() -> impl IntoView {
    let set = ServerAction::<SetCartQuantity>::new();
    let save = ServerAction::<SaveForLater>::new();
    let back = ServerAction::<MoveToBasket>::new();
    let version = cart_version();
    let cart = Resource::new(move || version.get(), |_| get_cart());
    Effect::new(move |_| {
        // Read all three (no short-circuit): the effect must track each action.
        let (a, b, c) = (set.value().get(), save.value().get(), back.value().get());
        if a.is_some() || b.is_some() || c.is_some() {
            cart_changed();
        }
    });
    let actions = CartActions { set, save, back };
    view! {
        <Title text=t(CartText::CartTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(CartText::CartTitle)}</h1>
        {move || {
            set.value()
                .get()
                .and_then(Result::err)
                .or_else(|| save.value().get().and_then(Result::err))
                .or_else(|| back.value().get().and_then(Result::err))
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
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(c) if c.lines.is_empty() => {
                        let saved = c.saved.clone();
                        view! {
                            <section class="empty-state cart-empty">
                                <p>{t(CartText::CartEmpty)}</p>
                                <p><a href="/">{t(Key::ContinueShopping)}</a></p>
                            </section>
                            <SavedLines saved actions />
                        }
                            .into_any()
                    }
                    Ok(c) => view! { <CartView cart=c actions /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The cart page's three server actions.
#[derive(Clone, Copy)]
struct CartActions {
    set: ServerAction<SetCartQuantity>,
    save: ServerAction<SaveForLater>,
    back: ServerAction<MoveToBasket>,
}

/// What changed since the shopper last touched these lines: prices and stock, said
/// out loud rather than applied silently.
#[component]
fn ChangeNotices(cart: Cart) -> impl IntoView {
    let locale = use_locale();
    let notes: Vec<String> = cart
        .changed_lines()
        .map(|l| {
            let title = l.product.title.clone();
            match l.price_was_minor {
                Some(was) if was != l.product.price_minor => crate::i18n::trf_in(
                    locale,
                    if l.product.price_minor > was {
                        CartText::CartPriceUp
                    } else {
                        CartText::CartPriceDown
                    },
                    &[
                        ("title", &title),
                        ("was", &format_price(was)),
                        ("now", &format_price(l.product.price_minor)),
                    ],
                ),
                _ => crate::i18n::trf_in(
                    locale,
                    CartText::CartStockChanged,
                    &[("title", &title), ("stock", &l.product.stock)],
                ),
            }
        })
        .collect();
    (!notes.is_empty()).then(|| {
        view! {
            <section class="cart-notices" role="status" data-testid="cart-notices">
                <h2>{t(CartText::CartChangedTitle)}</h2>
                <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                <p class="hint">{t(CartText::CartChangedHint)}</p>
            </section>
        }
    })
}

#[component]
fn SavedLines(saved: Vec<CartLine>, actions: CartActions) -> impl IntoView {
    (!saved.is_empty()).then(|| {
        view! {
            <section class="cart-saved" aria-labelledby="saved-title" data-testid="saved-for-later">
                <h2 id="saved-title">{t(CartText::CartSavedTitle)}</h2>
                <ul class="cart-lines">
                    {saved
                        .into_iter()
                        .map(|l| {
                            let code = l.product.code.clone();
                            let code_remove = code.clone();
                            let href = format!("/p/{}", l.product.code);
                            let move_label = format!("{}: {}", t(CartText::CartMoveToBasket), l.product.title);
                            let remove_label = format!("{}: {}", t(CartText::RemoveFromCart), l.product.title);
                            view! {
                                <li class="cart-line" data-code=l.product.code.clone()>
                                    <img src=image_url(&l.product.code) width="72" height="72" alt="" loading="lazy" decoding="async" />
                                    <div class="cart-line-info">
                                        <a href=href class="cart-line-title">{l.product.title.clone()}</a>
                                        <span class="cart-line-price">
                                            {l.quantity} " × " {format_price(l.product.price_minor)}
                                        </span>
                                    </div>
                                    <ActionForm action=actions.back attr:class="cart-remove">
                                        <input type="hidden" name="code" value=code />
                                        <button type="submit" class="cart-secondary" aria-label=move_label>
                                            {t(CartText::CartMoveToBasket)}
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=actions.set attr:class="cart-remove">
                                        <input type="hidden" name="code" value=code_remove />
                                        <input type="hidden" name="quantity" value="0" />
                                        <button type="submit" class="cart-secondary" aria-label=remove_label>
                                            {t(CartText::RemoveFromCart)}
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn CartView(cart: Cart, actions: CartActions) -> impl IntoView {
    let saved = cart.saved.clone();
    view! {
        <ChangeNotices cart=cart.clone() />
        <ul class="cart-lines">
            {cart
                .lines
                .into_iter()
                .map(|line| view! { <CartLineView line actions /> })
                .collect_view()}
        </ul>
        <div class="cart-summary">
            <p class="cart-subtotal">
                <span>{t(Key::Subtotal)}</span>
                " "
                <strong>{format_price(cart.subtotal_minor)}</strong>
            </p>
            <p>
                <a href="/checkout" class="button-link checkout-link" data-testid="go-to-checkout">
                    {t(CartText::CheckoutGoToCheckout)}
                </a>
            </p>
            <p class="cart-note">{t(CartText::CheckoutLater)}</p>
            <p><a href="/">{t(Key::ContinueShopping)}</a></p>
        </div>
        <SavedLines saved actions />
    }
}

#[component]
fn CartLineView(line: CartLine, actions: CartActions) -> impl IntoView {
    let locale = use_locale();
    let set = actions.set;
    let over_stock = line.over_stock();
    let price_was = line.price_was_minor;
    let p = line.product;
    let code_for_save = p.code.clone();
    let save_label = format!("{}: {}", t(CartText::CartSaveForLater), p.title);
    let input_id = format!("qty-{}", p.code);
    let (code_for_set, code_for_remove) = (p.code.clone(), p.code.clone());
    let title_hidden = p.title.clone();
    let href = format!("/p/{}", p.code);
    // Never offer more than the stock, but keep the current quantity selectable.
    let max = p.stock.max(line.quantity).clamp(1, MAX_QUANTITY);
    let stock_class = if p.stock > 0 { "stock in" } else { "stock out" };
    let remove_label = format!("{}: {}", t(CartText::RemoveFromCart), p.title);
    let update_label = format!("{}: {}", t(CartText::UpdateQuantity), p.title);
    view! {
        <li class="cart-line" data-code=p.code.clone()>
            <img src=image_url(&p.code) width="72" height="72" alt="" loading="lazy" decoding="async" />
            <div class="cart-line-info">
                <a href=href class="cart-line-title">{p.title.clone()}</a>
                <span class="cart-line-price">
                    {t(Key::UnitPrice)}
                    " "
                    {price_was.map(|was| view! { <s class="price-was">{format_price(was)}</s> " " })}
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
                    {t(CartText::UpdateQuantity)}
                </button>
            </ActionForm>
            <ActionForm action=set attr:class="cart-remove">
                <input type="hidden" name="code" value=code_for_remove />
                <input type="hidden" name="quantity" value="0" />
                <button type="submit" class="cart-secondary" aria-label=remove_label>
                    {t(CartText::RemoveFromCart)}
                </button>
            </ActionForm>
            <ActionForm action=actions.save attr:class="cart-remove">
                <input type="hidden" name="code" value=code_for_save />
                <button type="submit" class="cart-secondary" aria-label=save_label>
                    {t(CartText::CartSaveForLater)}
                </button>
            </ActionForm>
            <span class="cart-line-total">
                <span class="visually-hidden">{t(Key::LineTotal)} " "</span>
                {format_price(line.line_total_minor)}
            </span>
        </li>
    }
}
