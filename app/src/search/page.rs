//! The search results page: `/search?q=&cat=&band=`, with facets as links (so they work
//! without JavaScript), highlighted matches, and an empty state that helps.

use crate::search::text::SearchText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::api::search;
use super::model::{SearchRequest, SearchResults};
use crate::components::errors::ErrorMessage;
use crate::components::navigation::urlencode;
use crate::components::product_card::ProductTile;
use crate::components::status::loading;
use crate::i18n::{category_name, fmt_count_products, t, use_locale, Key};

fn href(req: &SearchRequest) -> String {
    let mut url = format!("/search?q={}", urlencode(&req.query));
    if let Some(c) = &req.category {
        url.push_str(&format!("&cat={}", urlencode(c)));
    }
    if let Some(b) = &req.price_band {
        url.push_str(&format!("&band={}", urlencode(b)));
    }
    url
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let request = Memo::new(move |_| {
        let q = query.read();
        SearchRequest {
            query: q.get("q").unwrap_or_default(),
            category: q.get("cat").filter(|s| !s.is_empty()),
            price_band: q.get("band").filter(|s| !s.is_empty()),
        }
    });
    let results = Resource::new(
        move || request.get(),
        |req| async move {
            if req.query.trim().is_empty() {
                Ok((req, None))
            } else {
                search(req.clone()).await.map(|r| (req, Some(r)))
            }
        },
    );
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    Ok((_, None)) => {
                        view! {
                            <Title text=t(Key::Search) />
                            <h1>{t(Key::Search)}</h1>
                            <p class="empty-state">{t(SearchText::SearchPrompt)}</p>
                        }
                            .into_any()
                    }
                    Ok((req, Some(r))) => view! { <Results request=req results=r /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(request: SearchRequest, results: SearchResults) -> impl IntoView {
    let locale = use_locale();
    let heading = format!("{} “{}”", t(SearchText::ResultsFor), request.query);
    let filtered = request.category.is_some() || request.price_band.is_some();
    let clear = SearchRequest {
        category: None,
        price_band: None,
        ..request.clone()
    };
    view! {
        <Title text=format!("{} {}", t(Key::Search), request.query) />
        <h1>{heading}</h1>
        <p class="result-count" role="status">{fmt_count_products(locale, results.total as i64)}</p>
        {if results.total == 0 {
            view! { <EmptyState request=request.clone() did_you_mean=results.did_you_mean.clone() /> }.into_any()
        } else {
            view! {
                <div class="search-layout">
                    <aside class="facets" aria-label=t(Key::Filters)>
                        <h2 class="facet-title">{t(SearchText::FacetCategory)}</h2>
                        <ul id="facet-categories">
                            {results
                                .categories
                                .iter()
                                .map(|f| {
                                    let active = request.category.as_deref() == Some(f.value.as_str());
                                    let target = SearchRequest {
                                        category: if active { None } else { Some(f.value.clone()) },
                                        ..request.clone()
                                    };
                                    view! {
                                        <li>
                                            <a href=href(&target) aria-current=active.then_some("true")>
                                                {category_name(locale, &f.value)}
                                                " "
                                                <span class="facet-count">"(" {f.count} ")"</span>
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <h2 class="facet-title">{t(SearchText::FacetPrice)}</h2>
                        <ul id="facet-price">
                            {results
                                .price_bands
                                .iter()
                                .map(|f| {
                                    let active = request.price_band.as_deref() == Some(f.value.as_str());
                                    let target = SearchRequest {
                                        price_band: if active { None } else { Some(f.value.clone()) },
                                        ..request.clone()
                                    };
                                    view! {
                                        <li>
                                            <a href=href(&target) aria-current=active.then_some("true")>
                                                "£" {f.value.clone()} " "
                                                <span class="facet-count">"(" {f.count} ")"</span>
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {filtered.then(|| view! { <a class="clear-filters" href=href(&clear)>{t(SearchText::ClearFilters)}</a> })}
                    </aside>
                    <ul class="product-grid search-results">
                        {results
                            .hits
                            .into_iter()
                            .map(|hit| view! { <ProductTile card=hit.card highlighted=hit.title_highlighted /> })
                            .collect_view()}
                    </ul>
                </div>
            }
                .into_any()
        }}
    }
}

#[component]
fn EmptyState(request: SearchRequest, did_you_mean: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    let popular = [
        "kitchen",
        "christmas",
        "bags",
        "party",
        "lighting",
        "home-decor",
    ];
    view! {
        <div class="empty-state">
            <p>{t(SearchText::NoResults)} " “" {request.query.clone()} "”."</p>
            {(!did_you_mean.is_empty())
                .then(|| {
                    view! {
                        <p class="did-you-mean">
                            {t(SearchText::DidYouMean)} ": "
                            {did_you_mean
                                .into_iter()
                                .map(|s| {
                                    let target = SearchRequest { query: s.clone(), category: None, price_band: None };
                                    view! { <a href=href(&target)>{s}</a> " " }
                                })
                                .collect_view()}
                        </p>
                    }
                })}
            <p>{t(SearchText::TryCategories)} ":"</p>
            <ul class="category-list compact">
                {popular
                    .into_iter()
                    .map(|slug| view! { <li><a href=format!("/c/{slug}")>{category_name(locale, slug)}</a></li> })
                    .collect_view()}
            </ul>
        </div>
    }
}
