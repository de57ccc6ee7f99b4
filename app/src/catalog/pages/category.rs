//! A category listing: sorting and filters in a plain GET form, server-rendered pages with
//! real numbered links, and (in the browser) further pages appended as the shopper scrolls.

use crate::catalog::text::CatalogText;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::catalog::api::list_products;
use crate::catalog::model::{ProductCard, ProductPage, ProductQuery, SortOrder};
use crate::catalog::query::ListingParams;
use crate::components::errors::ErrorMessage;
use crate::components::product_card::{ProductGrid, ProductTile};
use crate::components::status::loading;
use crate::i18n::{category_name, fmt_count_products, fmt_page_of, t, use_locale, Key};

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        let q = query.read();
        let slug = params.read().get("slug").unwrap_or_default();
        ProductQuery::parse(
            &slug,
            &ListingParams {
                sort: q.get("sort"),
                min: q.get("min"),
                max: q.get("max"),
                stock: q.get("stock"),
                page: q.get("page"),
            },
        )
    });
    let page = Resource::new(
        move || parsed.get(),
        |parsed| async move {
            match parsed {
                Ok(q) => list_products(q.clone()).await.map(|page| (q, page)),
                Err(e) => Err(e),
            }
        },
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok((q, p)) => view! { <Listing query=q first=p /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Listing(query: ProductQuery, first: ProductPage) -> impl IntoView {
    let locale = use_locale();
    let name = category_name(locale, &query.category);
    let pages = first.page_count().max(1);
    let title = if first.page > 1 {
        format!("{name} – {}", fmt_page_of(locale, first.page, pages))
    } else {
        name.to_string()
    };
    let canonical = format!("{}{}", crate::prefs::origin(), query.href(first.page));
    view! {
        <Title text=title />
        <Meta name="description" content=format!("{name}: {}", fmt_count_products(locale, first.total)) />
        <Link rel="canonical" href=canonical />
        <nav aria-label=t(CatalogText::Breadcrumb) class="breadcrumb">
            <a href="/">{t(CatalogText::Home)}</a>
            " / "
            <span aria-current="page">{name}</span>
        </nav>
        <h1>{name}</h1>
        <p class="result-count">{fmt_count_products(locale, first.total)}</p>
        <Filters query=query.clone() />
        <MoreOnScroll query=query.clone() first=first.clone() />
        <Pager query first />
    }
}

#[component]
fn Filters(query: ProductQuery) -> impl IntoView {
    let price = |m: Option<i64>| {
        m.map(|v| format!("{}.{:02}", v / 100, v % 100))
            .unwrap_or_default()
    };
    let sort_label = |s: SortOrder| match s {
        SortOrder::Popular => t(CatalogText::SortPopular),
        SortOrder::PriceAsc => t(CatalogText::SortPriceAsc),
        SortOrder::PriceDesc => t(CatalogText::SortPriceDesc),
        SortOrder::Newest => t(CatalogText::SortNewest),
    };
    view! {
        <form class="filters" method="get" action=format!("/c/{}", query.category) aria-label=t(Key::Filters)>
            <label>
                {t(CatalogText::SortBy)}
                <select name="sort">
                    {SortOrder::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_param() selected=s == query.sort>{sort_label(s)}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t(CatalogText::MinPrice)}
                <input name="min" inputmode="decimal" size="6" value=price(query.min_price) />
            </label>
            <label>
                {t(CatalogText::MaxPrice)}
                <input name="max" inputmode="decimal" size="6" value=price(query.max_price) />
            </label>
            <label class="check">
                <input type="checkbox" name="stock" value="in" checked=query.in_stock_only />
                {t(CatalogText::InStockOnly)}
            </label>
            <button type="submit">{t(Key::Apply)}</button>
        </form>
    }
}

/// The first page as rendered by the server, then further pages fetched when the marker at
/// the end of the list becomes visible.
#[component]
fn MoreOnScroll(query: ProductQuery, first: ProductPage) -> impl IntoView {
    let more = RwSignal::new(Vec::<ProductCard>::new());
    let next = RwSignal::new(first.has_next().then_some(first.page + 1));
    let loading = RwSignal::new(false);
    let marker = NodeRef::<leptos::html::Div>::new();
    let first_cards = first.items;

    #[cfg(feature = "hydrate")]
    {
        use std::rc::Rc;
        let observer: Rc<std::cell::RefCell<Option<web_sys::IntersectionObserver>>> =
            Default::default();
        let q = query.clone();
        let obs = observer.clone();
        let load_next = move || {
            let Some(page) = next.get_untracked() else {
                return;
            };
            if loading.get_untracked() {
                return;
            }
            loading.set(true);
            let q = ProductQuery { page, ..q.clone() };
            let obs = obs.clone();
            leptos::task::spawn_local(async move {
                if let Ok(p) = list_products(q).await {
                    next.set(p.has_next().then_some(p.page + 1));
                    more.update(|m| m.extend(p.items));
                }
                loading.set(false);
                // Re-check: if the marker is still on screen, load again.
                if let (Some(o), Some(el)) = (obs.borrow().as_ref(), marker.get_untracked()) {
                    o.unobserve(&el);
                    o.observe(&el);
                }
            });
        };
        Effect::new(move |_| {
            if let Some(el) = marker.get() {
                if observer.borrow().is_none() {
                    *observer.borrow_mut() =
                        crate::components::visible::on_visible(&el, load_next.clone());
                }
            }
        });
    }
    let _ = &query;

    view! {
        <ProductGrid cards=first_cards eager_first=2 />
        <ul class="product-grid more-products" aria-live="polite">
            <For each=move || more.get() key=|c| c.code.clone() let:card>
                <ProductTile card />
            </For>
        </ul>
        <div id="load-more" node_ref=marker class="load-more" data-next-page=move || next.get().map(|p| p.to_string())>
            <Show when=move || loading.get()>
                <p aria-busy="true">{t(CatalogText::LoadingMore)}</p>
            </Show>
        </div>
    }
}

/// Numbered links: the way crawlers and script-less browsers see further pages.
#[component]
fn Pager(query: ProductQuery, first: ProductPage) -> impl IntoView {
    let locale = use_locale();
    let pages = first.page_count();
    if pages <= 1 {
        return ().into_any();
    }
    let current = first.page;
    // A window of pages around the current one, plus first and last.
    let mut shown: Vec<u32> =
        (current.saturating_sub(2).max(1)..=(current + 2).min(pages)).collect();
    if !shown.contains(&1) {
        shown.insert(0, 1);
    }
    if !shown.contains(&pages) {
        shown.push(pages);
    }
    view! {
        <nav class="pager" aria-label=t(Key::Pagination)>
            <p class="visually-hidden">{fmt_page_of(locale, current, pages)}</p>
            {(current > 1)
                .then(|| view! { <a rel="prev" href=query.href(current - 1)>{t(Key::PreviousPage)}</a> })}
            <ol>
                {shown
                    .into_iter()
                    .map(|p| {
                        if p == current {
                            view! { <li><span aria-current="page">{p}</span></li> }.into_any()
                        } else {
                            view! { <li><a href=query.href(p)>{p}</a></li> }.into_any()
                        }
                    })
                    .collect_view()}
            </ol>
            {(current < pages)
                .then(|| view! { <a rel="next" href=query.href(current + 1)>{t(Key::NextPage)}</a> })}
        </nav>
    }
    .into_any()
}
