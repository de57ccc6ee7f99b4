//! The cart's version in this tab: every change bumps it, and what shows the cart (the
//! header's count, the cart page) reloads on it.

use leptos::prelude::*;

/// How many times this tab changed its cart. One signal per tab in the browser; on the
/// server each render gets its own (nothing changes there).
pub fn cart_version() -> ArcRwSignal<u64> {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static VERSION: ArcRwSignal<u64> = ArcRwSignal::new(0);
        }
        VERSION.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(0)
}

/// Tell the header's count and the cart page that the cart changed.
pub fn cart_changed() {
    cart_version().update(|v| *v += 1);
}
