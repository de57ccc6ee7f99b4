//! The browser entry point: hydrate the server-rendered page, then register the service
//! worker and mark the page as interactive (end-to-end tests wait for that marker).
//! Hydration is asynchronous: it first fetches the chunk of the page being hydrated if it is a lazy route
//! (`app/src/routes.rs`); the marker is set once hydration has finished.

// The whole app's view type is nested deeply, and hydrating it asynchronously lays it out.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(body) = window.document().and_then(|d| d.body()) else {
        return;
    };
    let _ = window.navigator().service_worker().register("/sw.js");
    // What `leptos::mount::hydrate_lazy` does, with the marker set once it is done.
    wasm_bindgen_futures::spawn_local(async move {
        let mounted = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        mounted.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
