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

use crate::cart::api::{get_cart, AddToCart, MoveToBasket, SaveForLater, SetCartQuantity};
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
            <button
                type="button"
                class="mini-cart-toggle"
                aria-controls="mini-cart-panel"
                aria-expanded=move || open.get().to_string()
                aria-label=t(Key::MiniCartShow)
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
        return view! { <p>{t(Key::MiniCartEmpty)}</p> }.into_any();
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
        {(more > 0).then(|| view! { <p class="hint">{crate::i18n::trf_in(locale, Key::MiniCartMore, &[("n", &more)])}</p> })}
        <p class="mini-cart-subtotal">
            {t(Key::Subtotal)} " " <strong>{format_price(cart.subtotal_minor)}</strong>
        </p>
        <p class="mini-cart-links">
            <a href="/cart">{t(Key::ViewCart)}</a>
            <a href="/checkout" class="button-link">{t(Key::CheckoutGoToCheckout)}</a>
        </p>
    }
        .into_any()
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
        <Title text=t(Key::CartTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(Key::CartTitle)}</h1>
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
        <Transition fallback=|| view! { <p aria-busy="true">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(c) if c.lines.is_empty() => {
                        let saved = c.saved.clone();
                        view! {
                            <section class="empty-state cart-empty">
                                <p>{t(Key::CartEmpty)}</p>
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
                        Key::CartPriceUp
                    } else {
                        Key::CartPriceDown
                    },
                    &[
                        ("title", &title),
                        ("was", &format_price(was)),
                        ("now", &format_price(l.product.price_minor)),
                    ],
                ),
                _ => crate::i18n::trf_in(
                    locale,
                    Key::CartStockChanged,
                    &[("title", &title), ("stock", &l.product.stock)],
                ),
            }
        })
        .collect();
    (!notes.is_empty()).then(|| {
        view! {
            <section class="cart-notices" role="status" data-testid="cart-notices">
                <h2>{t(Key::CartChangedTitle)}</h2>
                <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                <p class="hint">{t(Key::CartChangedHint)}</p>
            </section>
        }
    })
}

#[component]
fn SavedLines(saved: Vec<CartLine>, actions: CartActions) -> impl IntoView {
    (!saved.is_empty()).then(|| {
        view! {
            <section class="cart-saved" aria-labelledby="saved-title" data-testid="saved-for-later">
                <h2 id="saved-title">{t(Key::CartSavedTitle)}</h2>
                <ul class="cart-lines">
                    {saved
                        .into_iter()
                        .map(|l| {
                            let code = l.product.code.clone();
                            let code_remove = code.clone();
                            let href = format!("/p/{}", l.product.code);
                            let move_label = format!("{}: {}", t(Key::CartMoveToBasket), l.product.title);
                            let remove_label = format!("{}: {}", t(Key::RemoveFromCart), l.product.title);
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
                                            {t(Key::CartMoveToBasket)}
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=actions.set attr:class="cart-remove">
                                        <input type="hidden" name="code" value=code_remove />
                                        <input type="hidden" name="quantity" value="0" />
                                        <button type="submit" class="cart-secondary" aria-label=remove_label>
                                            {t(Key::RemoveFromCart)}
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
                    {t(Key::CheckoutGoToCheckout)}
                </a>
            </p>
            <p class="cart-note">{t(Key::CheckoutLater)}</p>
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
    let save_label = format!("{}: {}", t(Key::CartSaveForLater), p.title);
    let input_id = format!("qty-{}", p.code);
    let (code_for_set, code_for_remove) = (p.code.clone(), p.code.clone());
    let title_hidden = p.title.clone();
    let href = format!("/p/{}", p.code);
    // Never offer more than the stock, but keep the current quantity selectable.
    let max = p.stock.max(line.quantity).clamp(1, MAX_QUANTITY);
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
            <ActionForm action=actions.save attr:class="cart-remove">
                <input type="hidden" name="code" value=code_for_save />
                <button type="submit" class="cart-secondary" aria-label=save_label>
                    {t(Key::CartSaveForLater)}
                </button>
            </ActionForm>
            <span class="cart-line-total">
                <span class="visually-hidden">{t(Key::LineTotal)} " "</span>
                {format_price(line.line_total_minor)}
            </span>
        </li>
    }
}
