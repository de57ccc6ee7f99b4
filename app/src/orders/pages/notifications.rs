//! The notification centre, `/account/notifications`: the events of the member's orders
//! (payment, packing, shipping, carrier scans, cancellation) and delay alerts of parcels
//! on their way. The header's bell with the unread count is `orders::bell`.

use crate::orders::text::OrdersText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::calendar::fmt_uk_time;
use crate::components::errors::ErrorMessage;
use crate::components::status::loading;
use crate::i18n::{t, trf};
use crate::orders::api::{get_notifications, MarkNotificationsRead};
use crate::orders::bell::bell_version;
use crate::orders::model::Notification;

#[component]
pub fn NotificationsPage() -> AnyView {
    let version = bell_version();
    let list = Resource::new(move || version.get(), |_| get_notifications());
    let mark = ServerAction::<MarkNotificationsRead>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = mark.value().get() {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <Title text=t(OrdersText::NotifTitle) />
        <Meta name="robots" content="noindex" />
        <section class="notifications" data-testid="notifications">
            <h1>{t(OrdersText::NotifTitle)}</h1>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(n) if n.items.is_empty() => view! { <p>{t(OrdersText::NotifEmpty)}</p> }.into_any(),
                        Ok(n) => view! {
                            {(n.unread > 0).then(|| view! {
                                <leptos::form::ActionForm action=mark>
                                    <button type="submit" data-testid="mark-read">{t(OrdersText::NotifMarkRead)}</button>
                                </leptos::form::ActionForm>
                            })}
                            <ul class="notification-list">
                                {n.items.into_iter().map(|item| view! { <Item item /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn Item(item: Notification) -> impl IntoView {
    let text = match item.delay {
        Some(_) => trf(OrdersText::NotifDelay, &[("number", &item.order_number)]),
        None => trf(
            OrdersText::NotifOrderState,
            &[
                ("number", &item.order_number),
                ("state", &t(item.state.label_key())),
            ],
        ),
    };
    let class = match (item.unread, item.delay.is_some()) {
        (_, true) => "notification alert",
        (true, false) => "notification unread",
        _ => "notification",
    };
    let href = format!("/orders/{}/tracking", item.order_number);
    view! {
        <li class=class data-testid="notification" data-state=item.state.as_str()>
            {item.unread.then(|| view! { <span class="notification-new">{t(OrdersText::NotifUnread)}</span> " " })}
            <a href=href>{text}</a>
            " "
            <time>{fmt_uk_time(item.at)}</time>
        </li>
    }
}
