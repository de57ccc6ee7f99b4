//! The product page. Rendered on the server after its data has loaded (SsrMode::Async), so
//! crawlers and link previews get the title, description, Open Graph tags and JSON-LD.

use crate::catalog::text::CatalogText;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::catalog::api::get_product;
use crate::catalog::model::ProductDetail;
use crate::components::add_to_cart::AddToCartForm;
use crate::components::errors::ErrorMessage;
use crate::components::product_card::{image_url, ProductGrid, IMAGE_SIZE};
use crate::components::status::loading;
use crate::favourites::FavouriteButton;
use crate::i18n::{category_name, fmt_stock, format_price, t, use_locale};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let product = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_product,
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(p) => view! { <ProductView product=p /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// schema.org Product data for search engines.
pub fn json_ld(p: &ProductDetail) -> String {
    let availability = if p.card.stock > 0 {
        "https://schema.org/InStock"
    } else {
        "https://schema.org/OutOfStock"
    };
    let json = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.card.title,
        "sku": p.card.code,
        "description": p.description,
        "image": image_url(&p.card.code),
        "category": p.card.category,
        "offers": {
            "@type": "Offer",
            "priceCurrency": "GBP",
            "price": format!("{}.{:02}", p.card.price_minor / 100, p.card.price_minor % 100),
            "availability": availability,
        }
    })
    .to_string();
    // Never let data close (or comment out) the script element.
    crate::security::json_for_script(&json)
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let locale = use_locale();
    let card = product.card.clone();
    let category = category_name(locale, &card.category);
    let stock_class = if card.stock > 0 {
        "stock in"
    } else {
        "stock out"
    };
    let origin = crate::prefs::origin();
    let canonical = format!("{origin}/p/{}", card.code);
    let image = format!("{origin}{}", image_url(&card.code));
    let ld = json_ld(&product);
    view! {
        <Title text=card.title.clone() />
        <Meta name="description" content=product.description.clone() />
        <Meta property="og:type" content="product" />
        <Meta property="og:title" content=card.title.clone() />
        <Meta property="og:description" content=product.description.clone() />
        <Meta property="og:image" content=image />
        <Meta property="og:url" content=canonical.clone() />
        <Meta property="product:price:amount" content=format!("{}.{:02}", card.price_minor / 100, card.price_minor % 100) />
        <Meta property="product:price:currency" content="GBP" />
        <Link rel="canonical" href=canonical />
        <script type="application/ld+json" inner_html=ld></script>
        <nav aria-label=t(CatalogText::Breadcrumb) class="breadcrumb">
            <a href="/">{t(CatalogText::Home)}</a>
            " / "
            <a href=format!("/c/{}", card.category)>{category}</a>
        </nav>
        <article class="product-detail">
            <img
                class="product-image"
                src=image_url(&card.code)
                width=IMAGE_SIZE * 2
                height=IMAGE_SIZE * 2
                alt=card.title.clone()
                fetchpriority="high"
            />
            <div class="product-info">
                <h1>{card.title.clone()}</h1>
                <p class="price">{format_price(card.price_minor)}</p>
                <p class=stock_class>{fmt_stock(locale, card.stock)}</p>
                <AddToCartForm code=card.code.clone() title=card.title.clone() stock=card.stock />
                <FavouriteButton code=card.code.clone() title=card.title.clone() />
                <h2>{t(CatalogText::Description)}</h2>
                <p class="description">{product.description.clone()}</p>
                <dl class="facts">
                    <dt>{t(CatalogText::Code)}</dt>
                    <dd>{card.code.clone()}</dd>
                    <dt>{t(CatalogText::UnitsSold)}</dt>
                    <dd>{product.units_sold}</dd>
                </dl>
            </div>
        </article>
        {(!product.also_bought.is_empty())
            .then(|| {
                view! {
                    <section id="also-bought" aria-labelledby="also-bought-h">
                        <h2 id="also-bought-h">{t(CatalogText::AlsoBought)}</h2>
                        <ProductGrid cards=product.also_bought.clone() />
                    </section>
                }
            })}
    }
}
