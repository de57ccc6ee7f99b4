//! Favourites for visitors: a list of product codes kept in the browser's localStorage
//! (accounts will sync it to the server in a later issue). The page renders the cards by
//! asking the server for those codes.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::catalog::api::products_by_codes;
use crate::components::product_card::ProductGrid;
use crate::i18n::{t, Key};

#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "emporium.favourites";

/// The stored codes, newest first. Empty on the server and when storage is unavailable.
pub fn load() -> Vec<String> {
    #[cfg(feature = "hydrate")]
    {
        window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<Vec<String>>(&json).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

fn save(codes: &[String]) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = window().local_storage().ok().flatten() {
        if let Ok(json) = serde_json::to_string(codes) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = codes;
}

/// Add or remove `code`; returns whether it is now a favourite.
pub fn toggle(code: &str) -> bool {
    let mut codes = load();
    let now_favourite = if let Some(i) = codes.iter().position(|c| c == code) {
        codes.remove(i);
        false
    } else {
        codes.insert(0, code.to_string());
        codes.truncate(crate::catalog::service_limits::MAX_FAVOURITES);
        true
    };
    save(&codes);
    now_favourite
}

#[component]
pub fn FavouriteButton(
    code: String,
    title: String,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let active = RwSignal::new(false);
    // Storage is read after hydration so that the server and browser first render agree.
    let code_for_effect = code.clone();
    Effect::new(move |_| active.set(load().contains(&code_for_effect)));
    let label = move || {
        let action = if active.get() {
            t(Key::RemoveFavourite)
        } else {
            t(Key::AddFavourite)
        };
        format!("{action}: {title}")
    };
    view! {
        <button
            type="button"
            class=if compact { "favourite-toggle compact" } else { "favourite-toggle" }
            aria-pressed=move || if active.get() { "true" } else { "false" }
            aria-label=label
            on:click=move |_| active.set(toggle(&code))
        >
            <span aria-hidden="true">{move || if active.get() { "♥" } else { "♡" }}</span>
            {(!compact)
                .then(|| {
                    view! {
                        <span class="favourite-text">
                            {move || if active.get() { t(Key::RemoveFavourite) } else { t(Key::AddFavourite) }}
                        </span>
                    }
                })}
        </button>
    }
}

#[component]
pub fn FavouritesPage() -> impl IntoView {
    // None until the browser has read its storage.
    let codes = RwSignal::new(None::<Vec<String>>);
    Effect::new(move |_| codes.set(Some(load())));
    let cards = LocalResource::new(move || async move {
        match codes.get() {
            None => None,
            Some(c) if c.is_empty() => Some(Ok(Vec::new())),
            Some(c) => Some(products_by_codes(c).await),
        }
    });
    view! {
        <Title text=t(Key::Favourites) />
        <h1>{t(Key::Favourites)}</h1>
        <noscript>
            <p>{t(Key::FavouritesNeedJs)}</p>
        </noscript>
        <Suspense fallback=|| view! { <p aria-busy="true">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match cards.await {
                    None => view! { <p aria-busy="true">{t(Key::Loading)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="empty-state">{t(Key::NoFavourites)}</p> }.into_any()
                    }
                    Some(Ok(list)) => view! { <ProductGrid cards=list /> }.into_any(),
                    Some(Err(e)) => {
                        view! { <crate::components::errors::ErrorMessage error=e /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
