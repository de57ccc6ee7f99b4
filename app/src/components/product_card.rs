//! The product tile used by every list, and the grid around it.

use leptos::prelude::*;

use crate::catalog::model::ProductCard;
use crate::favourites::FavouriteButton;
use crate::i18n::{fmt_stock, format_price, use_locale};
use crate::search::model::Highlighted;

pub fn image_url(code: &str) -> String {
    format!("/img/p/{code}.svg")
}

/// Image size in CSS pixels; the server-generated SVGs share this aspect ratio, so reserving
/// the box with width/height means nothing shifts when they arrive.
pub const IMAGE_SIZE: u32 = 240;

/// A product tile. Search passes `highlighted`: the title split into runs, marked where
/// they matched the query.
#[component]
pub fn ProductTile(
    card: ProductCard,
    #[prop(optional)] eager: bool,
    #[prop(optional)] highlighted: Option<Highlighted>,
) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/p/{}", card.code);
    let stock_class = if card.stock > 0 {
        "stock in"
    } else {
        "stock out"
    };
    view! {
        <li class="product-card">
            <a href=href class="product-link">
                <img
                    src=image_url(&card.code)
                    width=IMAGE_SIZE
                    height=IMAGE_SIZE
                    alt=""
                    loading=if eager { "eager" } else { "lazy" }
                    decoding="async"
                />
                <span class="product-title">
                    {match highlighted {
                        None => card.title.clone().into_any(),
                        Some(runs) => runs
                            .into_iter()
                            .map(|(text, hit)| if hit { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() })
                            .collect_view()
                            .into_any(),
                    }}
                </span>
            </a>
            <span class="price">{format_price(card.price_minor)}</span>
            <span class=stock_class>{fmt_stock(locale, card.stock)}</span>
            <FavouriteButton code=card.code.clone() title=card.title.clone() compact=true />
        </li>
    }
}

#[component]
pub fn ProductGrid(cards: Vec<ProductCard>, #[prop(optional)] eager_first: usize) -> impl IntoView {
    view! {
        <ul class="product-grid">
            {cards
                .into_iter()
                .enumerate()
                .map(|(i, card)| view! { <ProductTile card eager=i < eager_first /> })
                .collect_view()}
        </ul>
    }
}
