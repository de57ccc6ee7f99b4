//! The "Add to cart" form of the product page.

use leptos::prelude::*;

use crate::cart::api::AddToCart;
use crate::cart::model::MAX_QUANTITY;
use crate::components::cart_version::cart_changed;
use crate::i18n::{t, Key};

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
