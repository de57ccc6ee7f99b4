//! The notification centre: the header's bell (with the unread count) and
//! `/account/notifications`, the events of the member's orders (payment, packing,
//! shipping, carrier scans, cancellation) and delay alerts of parcels on their way.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

use crate::accounts::pages::loading;
use crate::calendar::fmt_uk_time;
use crate::components::errors::ErrorMessage;
use crate::i18n::{t, trf, Key};
use crate::orders::api::{get_notifications, notification_count, MarkNotificationsRead};
use crate::orders::model::Notification;

/// Bumped when notifications are marked read, so the bell counts again.
#[derive(Clone, Copy)]
struct BellVersion(RwSignal<u32>);

/// Called once by `App`, so the header's bell and the centre share one version.
pub fn provide_bell_version() {
    provide_context(BellVersion(RwSignal::new(0)));
}

fn bell_version() -> RwSignal<u32> {
    match use_context::<BellVersion>() {
        Some(v) => v.0,
        None => {
            let v = RwSignal::new(0);
            provide_context(BellVersion(v));
            v
        }
    }
}

/// The bell's unread count: made by the header's account menu when it is created, not
/// inside the menu's `Suspend`. A resource made after an `.await` gets its hydration id
/// whenever that await ends, which in the browser can be after the page's own resources
/// were made (the whoami answer streams in late on a slow server): the page then hydrates
/// with another resource's data and panics. Counted again on every navigation; visitors
/// who are not signed in cost no request and no query.
pub type BellCount = Resource<Result<i64, crate::error::AppError>>;

pub fn bell_count(
    me: Resource<Result<Option<crate::accounts::model::CurrentUser>, crate::error::AppError>>,
) -> BellCount {
    let location = use_location();
    let version = bell_version();
    Resource::new(
        move || (location.pathname.get(), version.get()),
        move |_| async move {
            match me.await {
                Ok(Some(_)) => notification_count().await,
                _ => Ok(0),
            }
        },
    )
}

/// The bell in the header of a signed-in member: a link to the centre whose accessible
/// name says how many are unread.
#[component]
pub fn NotificationBell(count: BellCount) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let n = count.await.unwrap_or(0);
                let label = trf(Key::NotifBell, &[("n", &n)]);
                view! {
                    <a href="/account/notifications" class="nav-bell" aria-label=label data-testid="bell" data-unread=n>
                        <span aria-hidden="true">"🔔"</span>
                        {(n > 0).then(|| view! { <span class="bell-count" aria-hidden="true">{n}</span> })}
                    </a>
                }
            })}
        </Transition>
    }
}

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
        <Title text=t(Key::NotifTitle) />
        <Meta name="robots" content="noindex" />
        <section class="notifications" data-testid="notifications">
            <h1>{t(Key::NotifTitle)}</h1>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(n) if n.items.is_empty() => view! { <p>{t(Key::NotifEmpty)}</p> }.into_any(),
                        Ok(n) => view! {
                            {(n.unread > 0).then(|| view! {
                                <leptos::form::ActionForm action=mark>
                                    <button type="submit" data-testid="mark-read">{t(Key::NotifMarkRead)}</button>
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
        Some(_) => trf(Key::NotifDelay, &[("number", &item.order_number)]),
        None => trf(
            Key::NotifOrderState,
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
            {item.unread.then(|| view! { <span class="notification-new">{t(Key::NotifUnread)}</span> " " })}
            <a href=href>{text}</a>
            " "
            <time>{fmt_uk_time(item.at)}</time>
        </li>
    }
}
