//! "Call me when this element scrolls into view", for lazy loading lists. Browser only;
//! on the server it does nothing (the page has real next-page links instead).

#[cfg(feature = "hydrate")]
/// Returns the observer: `unobserve` then `observe` again re-checks visibility, which the
/// caller does after loading in case the marker is still on screen.
pub fn on_visible(
    element: &web_sys::Element,
    callback: impl Fn() + 'static,
) -> Option<web_sys::IntersectionObserver> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let handler = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let visible = entries.iter().any(|e| {
            e.dyn_into::<web_sys::IntersectionObserverEntry>()
                .map(|e| e.is_intersecting())
                .unwrap_or(false)
        });
        if visible {
            callback();
        }
    });
    let options = web_sys::IntersectionObserverInit::new();
    // Start loading a little before the shopper reaches the end of the list.
    options.set_root_margin("400px 0px");
    let observer =
        web_sys::IntersectionObserver::new_with_options(handler.as_ref().unchecked_ref(), &options)
            .ok()?;
    observer.observe(element);
    // The observer lives as long as the page; so does its callback.
    handler.forget();
    Some(observer)
}
