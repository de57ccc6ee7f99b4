//! The header's notification bell: the member's unread count, a link to the centre
//! (`orders::pages::notifications`), and the version both share so that marking
//! notifications read counts again.

use crate::orders::text::OrdersText;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::trf;
use crate::orders::api::notification_count;

/// Bumped when notifications are marked read, so the bell counts again.
#[derive(Clone, Copy)]
struct BellVersion(RwSignal<u32>);

/// Called once by `App`, so the header's bell and the centre share one version.
pub fn provide_bell_version() {
    provide_context(BellVersion(RwSignal::new(0)));
}

/// The version the bell and the centre share (a fresh one if `App` did not provide it).
pub fn bell_version() -> RwSignal<u32> {
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
                let label = trf(OrdersText::NotifBell, &[("n", &n)]);
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
