//! An order's state as customers and staff see it (order pages, the dispatch list).

use leptos::prelude::*;

use crate::i18n::t;
use crate::orders::state::OrderState;

/// The order's state as a badge; `data-state` carries the stable name for tests and CSS.
#[component]
pub fn StateBadge(state: OrderState) -> impl IntoView {
    view! {
        <span class="order-state" data-state=state.as_str() data-testid="order-state">
            {t(state.label_key())}
        </span>
    }
}
