//! The header search box: a GET form to /search (works without JavaScript) that, once
//! hydrated, shows suggestions as the shopper types.

use crate::search::text::SearchText;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::navigation::urlencode;
use crate::i18n::{t, Key};

#[component]
pub fn SearchBox() -> impl IntoView {
    let query = use_query_map();
    let initial = query.read_untracked().get("q").unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let suggestions = RwSignal::new(Vec::<String>::new());
    // Only the answer to the latest keystroke is shown.
    let generation = StoredValue::new(0u64);

    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        let my_gen = generation.get_value() + 1;
        generation.set_value(my_gen);
        if value.trim().chars().count() < 2 {
            suggestions.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(list) = super::api::suggest(value).await {
                if generation.get_value() == my_gen {
                    suggestions.set(list);
                }
            }
        });
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            suggestions.set(Vec::new());
        }
    };

    view! {
        <form class="search-box" role="search" action="/search" method="get">
            <label for="search-input" class="visually-hidden">{t(SearchText::SearchLabel)}</label>
            <input
                id="search-input"
                type="search"
                name="q"
                autocomplete="off"
                maxlength="200"
                placeholder=t(SearchText::SearchPlaceholder)
                aria-controls="search-suggestions"
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
            />
            <button type="submit">{t(Key::Search)}</button>
            <ul id="search-suggestions" class="suggestions" aria-label=t(SearchText::Suggestions) hidden=move || suggestions.get().is_empty()>
                <For each=move || suggestions.get() key=|s| s.clone() let:s>
                    <li>
                        <a href=format!("/search?q={}", urlencode(&s))>{s.clone()}</a>
                    </li>
                </For>
            </ul>
        </form>
    }
}
