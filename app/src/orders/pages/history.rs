//! `/account/orders`: the signed-in member's orders, newest first, 20 a page.

use crate::orders::text::OrdersText;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::fmt_date;
use crate::accounts::pages::AccountFrame;
use crate::components::order_state::StateBadge;
use crate::components::status::{loading, LoadError};
use crate::i18n::{fmt_page_of, format_price, t, use_locale, Key};
use crate::orders::api::get_order_history;
use crate::orders::model::OrderHistory;

#[component]
pub fn OrderHistoryPage() -> AnyView {
    let query = use_query_map();
    let history = Resource::new(
        move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()),
        get_order_history,
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => {
                        view! {
                            <AccountFrame title=t(Key::YourOrders) path="/account/orders">
                                <HistoryView history=h />
                            </AccountFrame>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadError error=e path="/account/orders" /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn HistoryView(history: OrderHistory) -> AnyView {
    if history.total == 0 {
        return view! {
            <section class="empty-state">
                <p class="empty-note" data-testid="orders-empty">{t(OrdersText::OrdersEmpty)}</p>
                <p><a href="/">{t(Key::ContinueShopping)}</a></p>
            </section>
        }
        .into_any();
    }
    let count = t(OrdersText::OrdersCount).replace("{n}", &history.total.to_string());
    view! {
        <p class="result-count">{count}</p>
        <div class="table-scroll">
            <table class="orders-table" data-testid="order-history">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::OrderNumber)}</th>
                        <th scope="col">{t(Key::OrderDate)}</th>
                        <th scope="col">{t(Key::OrderStatus)}</th>
                        <th scope="col" class="num">{t(Key::OrderItems)}</th>
                        <th scope="col" class="num">{t(Key::PriceTotal)}</th>
                    </tr>
                </thead>
                <tbody>
                    {history
                        .orders
                        .into_iter()
                        .map(|o| {
                            view! {
                                <tr data-testid="order-row" data-number=o.number.clone()>
                                    <td data-label=t(Key::OrderNumber)>
                                        <a href=format!("/orders/{}", o.number)>{o.number.clone()}</a>
                                    </td>
                                    <td data-label=t(Key::OrderDate)>
                                        <time datetime=fmt_date(o.placed_at)>{fmt_date(o.placed_at)}</time>
                                    </td>
                                    <td data-label=t(Key::OrderStatus)><StateBadge state=o.state /></td>
                                    <td data-label=t(Key::OrderItems) class="num">{o.item_count}</td>
                                    <td data-label=t(Key::PriceTotal) class="num">{format_price(o.total_minor)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <HistoryPager page=history.page pages=history.pages />
    }
    .into_any()
}

#[component]
fn HistoryPager(page: u32, pages: u32) -> AnyView {
    let locale = use_locale();
    if pages <= 1 {
        return ().into_any();
    }
    let href = |p: u32| format!("/account/orders?page={p}");
    let mut shown: Vec<u32> = (page.saturating_sub(2).max(1)..=(page + 2).min(pages)).collect();
    if !shown.contains(&1) {
        shown.insert(0, 1);
    }
    if !shown.contains(&pages) {
        shown.push(pages);
    }
    view! {
        <nav class="pager" aria-label=t(Key::Pagination)>
            <p class="visually-hidden">{fmt_page_of(locale, page.min(pages), pages)}</p>
            {(page > 1)
                .then(|| view! { <a rel="prev" href=href(page.min(pages + 1) - 1)>{t(Key::PreviousPage)}</a> })}
            <ol>
                {shown
                    .into_iter()
                    .map(|p| {
                        if p == page {
                            view! { <li><span aria-current="page">{p}</span></li> }.into_any()
                        } else {
                            view! { <li><a href=href(p)>{p}</a></li> }.into_any()
                        }
                    })
                    .collect_view()}
            </ol>
            {(page < pages).then(|| view! { <a rel="next" href=href(page + 1)>{t(Key::NextPage)}</a> })}
        </nav>
    }
    .into_any()
}
