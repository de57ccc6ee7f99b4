//! The browser entry point: hydrate the server-rendered page, then register the service
//! worker and mark the page as interactive (end-to-end tests wait for that marker).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
        if let Some(body) = window.document().and_then(|d| d.body()) {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }
}
