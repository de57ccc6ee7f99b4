use crate::catalog::text::CatalogText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::catalog::api::get_home_feeds;
use crate::catalog::model::CategorySummary;
use crate::components::errors::ErrorMessage;
use crate::components::product_card::ProductGrid;
use crate::components::status::loading;
use crate::i18n::{category_name, fmt_count_products, t, use_locale, Key};

#[component]
pub fn HomePage() -> impl IntoView {
    let feeds = Resource::new(|| (), |_| get_home_feeds());
    let deleted =
        use_query_map().with_untracked(|q| q.get("account").as_deref() == Some("deleted"));
    view! {
        <Title text="" />
        <Meta
            name="description"
            content="Emporium: gifts, home decor, kitchenware and party supplies from a real UK gift shop's catalogue."
        />
        <h1 class="visually-hidden">{t(Key::ShopName)}</h1>
        {deleted.then(|| view! { <p class="notice" role="status">{t(CatalogText::AccountDeletedNotice)}</p> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match feeds.await {
                    Ok(f) => {
                        view! {
                            <section id="categories" aria-labelledby="categories-h">
                                <h2 id="categories-h">{t(CatalogText::Categories)}</h2>
                                <CategoryList categories=f.categories />
                            </section>
                            <section id="best-sellers" aria-labelledby="best-sellers-h">
                                <h2 id="best-sellers-h">{t(CatalogText::BestSellers)}</h2>
                                <ProductGrid cards=f.best_sellers eager_first=2 />
                            </section>
                            <section id="new-arrivals" aria-labelledby="new-arrivals-h">
                                <h2 id="new-arrivals-h">{t(CatalogText::NewArrivals)}</h2>
                                <ProductGrid cards=f.new_arrivals />
                            </section>
                            <section id="recommended" aria-labelledby="recommended-h">
                                // Only a member's own consented feed is called "for you".
                                <h2 id="recommended-h">
                                    {if f.personalised { t(CatalogText::RecommendedForYou) } else { t(CatalogText::PopularNow) }}
                                </h2>
                                {f.personalised.then(|| view! {
                                    <p class="feed-why"><a href="/account/privacy">{t(CatalogText::RecommendedWhy)}</a></p>
                                })}
                                <ProductGrid cards=f.recommended />
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CategoryList(categories: Vec<CategorySummary>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ul class="category-list">
            {categories
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <a href=format!("/c/{}", c.slug)>
                                <span class="category-name">{category_name(locale, &c.slug)}</span>
                                <span class="category-count">{fmt_count_products(locale, c.product_count)}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
