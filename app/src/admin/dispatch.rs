//! `/staff/orders`: the dispatch list for staff (agents and administrators). Paid orders,
//! oldest first, each with the next step: "Mark packed", then "Ship" (which gives the
//! parcel its tracking number). The state machine decides; this page only asks.

use crate::admin::text::AdminText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::calendar::fmt_uk_time;
use crate::components::errors::ErrorMessage;
use crate::components::order_state::StateBadge;
use crate::components::status::loading;
use crate::i18n::{format_price, t, trf, Key};
use crate::orders::api::{get_dispatch_queue, PackOrder, ShipOrder};
use crate::orders::model::OrderSummary;
use crate::orders::state::OrderState;

#[component]
pub fn DispatchPage() -> AnyView {
    let pack = ServerAction::<PackOrder>::new();
    let ship = ServerAction::<ShipOrder>::new();
    let queue = Resource::new(
        move || (pack.version().get(), ship.version().get()),
        |_| get_dispatch_queue(),
    );
    view! {
        <Title text=t(AdminText::DispatchTitle) />
        <Meta name="robots" content="noindex" />
        <section class="staff-page dispatch" data-testid="dispatch">
            <h1>{t(AdminText::DispatchTitle)}</h1>
            <p>{t(AdminText::DispatchIntro)}</p>
            <div role="status" aria-live="polite" data-testid="dispatch-status">
                {move || match pack.value().get() {
                    Some(Ok(d)) => Some(trf(AdminText::DispatchPacked, &[("number", &d.number)])),
                    _ => None,
                }}
                {move || match ship.value().get() {
                    Some(Ok(d)) => Some(trf(
                        AdminText::DispatchShipped,
                        &[("number", &d.number), ("tracking", &d.tracking_number.unwrap_or_default())],
                    )),
                    _ => None,
                }}
            </div>
            <div role="alert">
                {move || match (pack.value().get(), ship.value().get()) {
                    (Some(Err(e)), _) | (_, Some(Err(e))) => Some(view! { <p class="form-error">{e.to_string()}</p> }),
                    _ => None,
                }}
            </div>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{t(AdminText::DispatchEmpty)}</p> }.into_any(),
                        Ok(rows) => view! { <QueueTable rows pack ship /> }.into_any(),
                        Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn QueueTable(
    rows: Vec<OrderSummary>,
    pack: ServerAction<PackOrder>,
    ship: ServerAction<ShipOrder>,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|o| {
            let number = o.number.clone();
            let for_form = number.clone();
            let action = if o.state == OrderState::Paid {
                view! {
                    <leptos::form::ActionForm action=pack>
                        <input type="hidden" name="number" value=for_form.clone() />
                        <button type="submit" data-testid="pack">{t(AdminText::DispatchPack)}</button>
                    </leptos::form::ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <leptos::form::ActionForm action=ship>
                        <input type="hidden" name="number" value=for_form.clone() />
                        <button type="submit" data-testid="ship">{t(AdminText::DispatchShip)}</button>
                    </leptos::form::ActionForm>
                }
                .into_any()
            };
            view! {
                <tr data-testid="dispatch-row" data-number=number.clone()>
                    <td><a href=format!("/orders/{number}")>{number.clone()}</a></td>
                    <td>{fmt_uk_time(o.placed_at)}</td>
                    <td><StateBadge state=o.state /></td>
                    <td>{o.item_count}</td>
                    <td>{format_price(o.total_minor)}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="dispatch-table">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::OrderNumber)}</th>
                        <th scope="col">{t(Key::OrderDate)}</th>
                        <th scope="col">{t(Key::OrderStatus)}</th>
                        <th scope="col">{t(Key::OrderItems)}</th>
                        <th scope="col">{t(Key::PriceTotal)}</th>
                        <th scope="col">{t(AdminText::DispatchActions)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
