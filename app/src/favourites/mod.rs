//! Favourites. A visitor's are a list of product codes in the browser's localStorage; a
//! member's live in their account (`api`, `service`). On the first page a member opens
//! after signing in, whatever this browser kept as a visitor is merged into the account
//! and removed from localStorage.
//!
//! Each tab holds one [`Keeper`] signal saying where the favourites are and which codes
//! they hold, so every heart on the page agrees. The header checks who is signed in on
//! every navigation (`sync_with_account`), since signing in or out is one.

pub mod api;
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;

use crate::favourites::text::FavouritesText;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::catalog::api::products_by_codes;
use crate::components::product_card::ProductGrid;
use crate::components::status::loading;
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
        if codes.is_empty() {
            let _ = storage.remove_item(STORAGE_KEY);
        } else if let Ok(json) = serde_json::to_string(codes) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = codes;
}

/// Add or remove `code` in this browser's list; returns whether it is now a favourite.
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

/// Where this tab's favourites are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Keeper {
    /// Not read yet (on the server, and in the browser until hydration is done).
    #[default]
    Unknown,
    /// In this browser. `confirmed` once the server said nobody is signed in.
    Browser { codes: Vec<String>, confirmed: bool },
    /// In the account of member `id`.
    Account { id: i64, codes: Vec<String> },
}

/// Whose list the favourites page shows; changes only when someone signs in or out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    Unknown,
    Browser,
    Account(i64),
}

impl Keeper {
    pub fn contains(&self, code: &str) -> bool {
        match self {
            Keeper::Unknown => false,
            Keeper::Browser { codes, .. } | Keeper::Account { codes, .. } => {
                codes.iter().any(|c| c == code)
            }
        }
    }
    fn owner(&self) -> Owner {
        match self {
            Keeper::Browser {
                confirmed: true, ..
            } => Owner::Browser,
            Keeper::Account { id, .. } => Owner::Account(*id),
            _ => Owner::Unknown,
        }
    }
}

/// This tab's keeper. On the server each render gets its own, always `Unknown`, so the
/// first render in the browser (hydration) shows the same: nothing favourited yet.
pub fn keeper() -> ArcRwSignal<Keeper> {
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            static KEEPER: ArcRwSignal<Keeper> = ArcRwSignal::new(Keeper::Unknown);
        }
        KEEPER.with(Clone::clone)
    }
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(Keeper::Unknown)
}

/// After hydration, show this browser's own list until the server says who is signed in.
fn assume_browser(keeper: &ArcRwSignal<Keeper>) {
    if *keeper.read_untracked() == Keeper::Unknown {
        keeper.set(Keeper::Browser {
            codes: load(),
            confirmed: false,
        });
    }
}

/// On every navigation (and the first page), ask who is signed in. A member gets the
/// account's favourites, after this browser's visitor list has been merged into it.
pub fn sync_with_account() {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::Cell;
        thread_local! {
            static LATEST: Cell<u64> = const { Cell::new(0) };
        }
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            location.pathname.track();
            let keeper = keeper();
            assume_browser(&keeper);
            let run = LATEST.with(|l| {
                l.set(l.get() + 1);
                l.get()
            });
            let current = move || LATEST.with(Cell::get) == run;
            leptos::task::spawn_local(async move {
                let me = crate::accounts::api::whoami().await;
                if !current() {
                    return;
                }
                let user = match me {
                    Ok(Some(user)) => user,
                    // Signed out, or the server cannot tell: this browser's list.
                    _ => {
                        keeper.set(Keeper::Browser {
                            codes: load(),
                            confirmed: true,
                        });
                        return;
                    }
                };
                let local = load();
                let known = matches!(&*keeper.read_untracked(), Keeper::Account { id, .. } if *id == user.id);
                if known && local.is_empty() {
                    return;
                }
                if !local.is_empty() && api::add_favourites(local.clone()).await.is_ok() {
                    // Forget only what was merged: a tap meanwhile stays for next time.
                    let left: Vec<String> =
                        load().into_iter().filter(|c| !local.contains(c)).collect();
                    save(&left);
                }
                if let Ok(cards) = api::get_favourites().await {
                    if current() {
                        keeper.set(Keeper::Account {
                            id: user.id,
                            codes: cards.into_iter().map(|c| c.code).collect(),
                        });
                    }
                }
            });
        });
    }
}

/// Add or remove `code` wherever this tab keeps favourites.
fn toggle_kept(keeper: &ArcRwSignal<Keeper>, code: String) {
    let current = keeper.get_untracked();
    let Keeper::Account { id, mut codes } = current else {
        toggle(&code);
        let confirmed = matches!(
            current,
            Keeper::Browser {
                confirmed: true,
                ..
            }
        );
        keeper.set(Keeper::Browser {
            codes: load(),
            confirmed,
        });
        return;
    };
    let now_favourite = if let Some(i) = codes.iter().position(|c| *c == code) {
        codes.remove(i);
        false
    } else {
        codes.insert(0, code.clone());
        true
    };
    keeper.set(Keeper::Account { id, codes });
    let keeper = keeper.clone();
    leptos::task::spawn_local(async move {
        let result = if now_favourite {
            api::add_favourites(vec![code.clone()]).await
        } else {
            api::remove_favourite(code.clone()).await
        };
        if result.is_err() {
            // Show what the account really holds.
            keeper.update(|k| {
                if let Keeper::Account { codes, .. } = k {
                    codes.retain(|c| *c != code);
                    if !now_favourite {
                        codes.insert(0, code);
                    }
                }
            });
        }
    });
}

#[component]
pub fn FavouriteButton(
    code: String,
    title: String,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let keeper = keeper();
    // Storage is read after hydration so that the server and browser first render agree.
    Effect::new({
        let keeper = keeper.clone();
        move |_| assume_browser(&keeper)
    });
    let active = Memo::new({
        let keeper = keeper.clone();
        let code = code.clone();
        move |_| keeper.with(|k| k.contains(&code))
    });
    let label = move || {
        let action = if active.get() {
            t(FavouritesText::RemoveFavourite)
        } else {
            t(FavouritesText::AddFavourite)
        };
        format!("{action}: {title}")
    };
    view! {
        <button
            type="button"
            class=if compact { "favourite-toggle compact" } else { "favourite-toggle" }
            aria-pressed=move || if active.get() { "true" } else { "false" }
            aria-label=label
            on:click=move |_| toggle_kept(&keeper, code.clone())
        >
            <span aria-hidden="true">{move || if active.get() { "♥" } else { "♡" }}</span>
            {(!compact)
                .then(|| {
                    view! {
                        <span class="favourite-text">
                            {move || if active.get() { t(FavouritesText::RemoveFavourite) } else { t(FavouritesText::AddFavourite) }}
                        </span>
                    }
                })}
        </button>
    }
}

#[component]
pub fn FavouritesPage() -> impl IntoView {
    let keeper = keeper();
    Effect::new({
        let keeper = keeper.clone();
        move |_| assume_browser(&keeper)
    });
    // Whose list to show; a heart tapped on this page leaves its card in place (pressed
    // or not) until the next visit, for visitors and members alike.
    let owner = Memo::new(move |_| keeper.with(Keeper::owner));
    let cards = LocalResource::new(move || async move {
        match owner.get() {
            Owner::Unknown => None,
            Owner::Browser => {
                let codes = load();
                if codes.is_empty() {
                    Some(Ok(Vec::new()))
                } else {
                    Some(products_by_codes(codes).await)
                }
            }
            Owner::Account(_) => Some(api::get_favourites().await),
        }
    });
    view! {
        <Title text=t(Key::Favourites) />
        <h1>{t(Key::Favourites)}</h1>
        <noscript>
            <p>{t(FavouritesText::FavouritesNeedJs)}</p>
        </noscript>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match cards.await {
                    None => loading().into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="empty-state">{t(FavouritesText::NoFavourites)}</p> }.into_any()
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
