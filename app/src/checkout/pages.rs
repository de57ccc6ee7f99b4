//! The checkout page (`/checkout`) and the pay-again page (`/checkout/pay/:number`).
//!
//! Checkout is one page with three numbered sections (address; delivery and payment;
//! review and place), so a phone scrolls through it without page loads and a desktop sees
//! the whole order at once. On arrival the browser asks the server to hold the basket's
//! stock (`start_checkout`); the review section shows the price that `quote_checkout`
//! computes with the one pricing function, equal to what placing the order charges.
//!
//! Card numbers never reach the shop: the card fields have no `name` and are not part of
//! any form the shop receives. On "Place order" the browser posts the number to the
//! payment provider's tokenisation endpoint and sends the shop only the token it answers.
//! The idempotency key is made once per page view, so a double click or a retry after a
//! network error answers with the same order and never charges twice. Without JavaScript
//! the page says so (paying needs the provider's script, as with any real provider).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::accounts::api::{addresses, whoami};
use crate::accounts::model::Address;
use crate::calendar::{uk_date, uk_instant, CivilDate};
use crate::checkout::api::{
    confirm_payment, place_order, quote_checkout, retry_payment, StartCheckout,
};
use crate::checkout::delivery::{DeliveryOption, DeliveryQuote};
use crate::checkout::model::{CheckoutQuote, CheckoutStarted, PlacedOrder};
use crate::checkout::pricing::line_total;
use crate::components::errors::ErrorMessage;
use crate::i18n::{format_price, t, trf, use_locale, Key, Locale};
use crate::orders::state::OrderState;
use crate::payments::{PaymentMethod, PaymentStatus};

/// "Tue 24 Nov" / "11月24日（周二）" for a UK-time instant.
pub fn fmt_day(locale: Locale, unix: i64) -> String {
    const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const ZH_DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = uk_date(unix);
    let (_, m, d) = date.ymd();
    let wd = (date.iso_weekday() as usize).clamp(1, 7) - 1;
    match locale {
        Locale::En => format!(
            "{} {d} {}",
            EN_DAYS[wd],
            EN_MONTHS[(m as usize).clamp(1, 12) - 1]
        ),
        Locale::ZhCn => format!("{m}月{d}日（周{}）", ZH_DAYS[wd]),
    }
}

/// The estimated delivery window of a quote, e.g. "Tue 24 Nov – Thu 26 Nov".
pub fn fmt_window(locale: Locale, start: i64, end: i64) -> String {
    let (a, b) = (fmt_day(locale, start), fmt_day(locale, end));
    if a == b {
        a
    } else {
        match locale {
            Locale::En => format!("{a} – {b}"),
            Locale::ZhCn => format!("{a}至{b}"),
        }
    }
}

/// A `YYYY-MM-DD` day as the shopper reads it.
fn fmt_iso_day(locale: Locale, iso: &str) -> String {
    CivilDate::parse(iso)
        .map(|d| fmt_day(locale, uk_instant(d, 12 * 3600)))
        .unwrap_or_else(|| iso.to_string())
}

fn fee_text(fee_minor: i64) -> String {
    if fee_minor == 0 {
        t(Key::DeliveryFree).to_string()
    } else {
        format_price(fee_minor)
    }
}

/// A fresh idempotency key for this page view (a random UUID from the browser).
fn new_idempotency_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(key) = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .map(|c| c.random_uuid())
        {
            return key;
        }
    }
    String::new()
}

/// Post the card to the payment provider's tokenisation endpoint; the shop gets only the
/// token. `amount_minor` (the total the shopper was shown) binds the token to that amount:
/// the provider refuses it for any other. Err carries a message to show.
async fn tokenise_card(
    number: String,
    expiry: String,
    cvc: String,
    amount_minor: Option<i64>,
) -> Result<String, String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let fail = || t(Key::CheckoutCardUnreadable).to_string();
        let params = web_sys::UrlSearchParams::new().map_err(|_| fail())?;
        params.append("card_number", &number);
        params.append("expiry", &expiry);
        params.append("cvc", &cvc);
        if let Some(amount) = amount_minor {
            params.append("amount_minor", &amount.to_string());
        }
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&params.into());
        let window = web_sys::window().ok_or_else(fail)?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(PROVIDER_TOKENS_URL, &init))
                .await
                .map_err(|_| t(Key::CheckoutProviderUnreachable).to_string())?
                .dyn_into()
                .map_err(|_| fail())?;
        let body = JsFuture::from(response.json().map_err(|_| fail())?)
            .await
            .map_err(|_| fail())?;
        let field = |name: &str| {
            js_sys::Reflect::get(&body, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        if response.ok() {
            field("token").ok_or_else(fail)
        } else {
            Err(field("error").unwrap_or_else(fail))
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (number, expiry, cvc, amount_minor);
        Err(t(Key::CheckoutNeedsJavaScript).to_string())
    }
}

/// The payment provider's card tokenisation endpoint (the simulated provider's here; a
/// real provider's script would post to its own domain).
pub const PROVIDER_TOKENS_URL: &str = "/pay/sim/tokens";

/// Send the browser to a URL outside the app (the provider's pages) or to an order page.
fn go_to(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// What to do with an order the shop answered: leave for the provider's page, go to the
/// order, or stay and show the message (a declined card: pay again here).
fn follow(order: &PlacedOrder) -> bool {
    if let Some(url) = order
        .payment
        .as_ref()
        .and_then(|p| p.next_action_url.clone())
    {
        go_to(&url);
        return true;
    }
    if !matches!(
        order.state,
        OrderState::PendingPayment | OrderState::PaymentFailed
    ) {
        go_to(&format!("/orders/{}?placed=1", order.number));
        return true;
    }
    false
}

/// The card fields (never named: they are not sent to the shop).
#[component]
fn CardFields(
    number: RwSignal<String>,
    expiry: RwSignal<String>,
    cvc: RwSignal<String>,
) -> impl IntoView {
    view! {
        <fieldset class="card-fields">
            <legend>{t(Key::CheckoutCardDetails)}</legend>
            <p class="hint">{t(Key::CheckoutTestCards)}</p>
            <label for="card-number">{t(Key::CheckoutCardNumber)}</label>
            <input
                id="card-number"
                type="text"
                inputmode="numeric"
                autocomplete="cc-number"
                data-testid="card-number"
                required
                prop:value=move || number.get()
                on:input=move |ev| number.set(event_target_value(&ev))
            />
            <div class="card-row">
                <div>
                    <label for="card-expiry">{t(Key::CheckoutCardExpiry)}</label>
                    <input
                        id="card-expiry"
                        type="text"
                        inputmode="numeric"
                        autocomplete="cc-exp"
                        placeholder="MM/YY"
                        data-testid="card-expiry"
                        prop:value=move || expiry.get()
                        on:input=move |ev| expiry.set(event_target_value(&ev))
                    />
                </div>
                <div>
                    <label for="card-cvc">{t(Key::CheckoutCardCvc)}</label>
                    <input
                        id="card-cvc"
                        type="text"
                        inputmode="numeric"
                        autocomplete="cc-csc"
                        data-testid="card-cvc"
                        prop:value=move || cvc.get()
                        on:input=move |ev| cvc.set(event_target_value(&ev))
                    />
                </div>
            </div>
        </fieldset>
    }
}

/// The shopper's choices on the checkout page.
#[derive(Clone, Copy)]
struct Form {
    email: RwSignal<String>,
    full_name: RwSignal<String>,
    line1: RwSignal<String>,
    line2: RwSignal<String>,
    city: RwSignal<String>,
    postcode: RwSignal<String>,
    country: RwSignal<String>,
    phone: RwSignal<String>,
    delivery: RwSignal<String>,
    day: RwSignal<String>,
    coupon_input: RwSignal<String>,
    coupon: RwSignal<String>,
    method: RwSignal<String>,
    card_number: RwSignal<String>,
    card_expiry: RwSignal<String>,
    card_cvc: RwSignal<String>,
}

impl Form {
    fn new() -> Self {
        Self {
            email: RwSignal::new(String::new()),
            full_name: RwSignal::new(String::new()),
            line1: RwSignal::new(String::new()),
            line2: RwSignal::new(String::new()),
            city: RwSignal::new(String::new()),
            postcode: RwSignal::new(String::new()),
            country: RwSignal::new("GB".into()),
            phone: RwSignal::new(String::new()),
            delivery: RwSignal::new(DeliveryOption::Standard.as_str().into()),
            day: RwSignal::new(String::new()),
            coupon_input: RwSignal::new(String::new()),
            coupon: RwSignal::new(String::new()),
            method: RwSignal::new(PaymentMethod::Card.as_str().into()),
            card_number: RwSignal::new(String::new()),
            card_expiry: RwSignal::new(String::new()),
            card_cvc: RwSignal::new(String::new()),
        }
    }

    fn use_address(&self, a: &Address) {
        self.full_name.set(a.full_name.clone());
        self.line1.set(a.line1.clone());
        self.line2.set(a.line2.clone());
        self.city.set(a.city.clone());
        self.postcode.set(a.postcode.clone());
        self.country.set(a.country.clone());
        self.phone.set(a.phone.clone());
    }
}

fn opt(s: String) -> Option<String> {
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let start = ServerAction::<StartCheckout>::new();
    // Hold the stock once the page runs in the browser (a page render must not reserve).
    Effect::new(move |done: Option<()>| {
        if done.is_none() {
            start.dispatch(StartCheckout {
                checkout_token: None,
            });
        }
    });
    view! {
        <Title text=t(Key::CheckoutTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(Key::CheckoutTitle)}</h1>
        <noscript>
            <p class="cart-error">{t(Key::CheckoutNeedsJavaScript)}</p>
        </noscript>
        {move || match start.value().get() {
            None => {
                view! { <p aria-busy="true" role="status">{t(Key::CheckoutReserving)}</p> }
                    .into_any()
            }
            Some(Err(e)) => {
                view! {
                    <ErrorMessage error=e />
                    <p><a href="/cart">{t(Key::CheckoutBackToCart)}</a></p>
                }
                    .into_any()
            }
            Some(Ok(started)) => view! { <CheckoutForm started /> }.into_any(),
        }}
    }
}

#[component]
fn CheckoutForm(started: CheckoutStarted) -> impl IntoView {
    let form = Form::new();
    let user = Resource::new(|| (), |_| whoami());
    let saved = Resource::new(
        || (),
        |_| async move { addresses().await.unwrap_or_default() },
    );
    // A member's default address fills the form once the address book arrives.
    Effect::new(move |filled: Option<bool>| {
        if filled == Some(true) {
            return true;
        }
        match saved.get() {
            Some(list) => {
                if let Some(a) = list.iter().find(|a| a.is_default).or(list.first()) {
                    form.use_address(a);
                }
                true
            }
            None => false,
        }
    });
    let quote = Resource::new(
        move || {
            (
                form.delivery.get(),
                form.day.get(),
                form.coupon.get(),
                form.method.get(),
            )
        },
        move |(delivery, day, coupon, method)| async move {
            quote_checkout(None, delivery, opt(day), opt(coupon), opt(method)).await
        },
    );
    let coupon_error = RwSignal::new(None::<String>);
    // A refused coupon is removed again, its message kept beside the field.
    Effect::new(move |_| {
        if let Some(Err(e)) = quote.get() {
            if !form.coupon.get_untracked().is_empty() {
                coupon_error.set(Some(e.to_string()));
                form.coupon.set(String::new());
            }
        }
    });

    let key = StoredValue::new(new_idempotency_key());
    let placed = RwSignal::new(None::<PlacedOrder>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let token = started.checkout_token.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let token = token.clone();
        let f = form;
        leptos::task::spawn_local(async move {
            let outcome: Result<PlacedOrder, String> = async {
                // Wallets take no card: the shopper confirms in the wallet app.
                let payment_token = if chosen_method(&f).is_some_and(PaymentMethod::is_wallet) {
                    String::new()
                } else {
                    // The amount to bind the token to: a failed order's own total when
                    // paying for it again, else the total the quote shows.
                    let amount = match placed.get_untracked() {
                        Some(order) if order.state == OrderState::PaymentFailed => {
                            Some(order.total_minor)
                        }
                        _ => quote
                            .get_untracked()
                            .and_then(|q| q.ok())
                            .map(|q| q.total_minor),
                    };
                    tokenise_card(
                        f.card_number.get_untracked(),
                        f.card_expiry.get_untracked(),
                        f.card_cvc.get_untracked(),
                        amount,
                    )
                    .await?
                };
                let method = f.method.get_untracked();
                match placed.get_untracked() {
                    // The order exists and its payment failed: pay again for it.
                    Some(order) if order.state == OrderState::PaymentFailed => {
                        retry_payment(order.number, method, payment_token).await
                    }
                    _ => {
                        place_order(
                            key.get_value(),
                            token,
                            opt(f.email.get_untracked()),
                            f.full_name.get_untracked(),
                            f.line1.get_untracked(),
                            opt(f.line2.get_untracked()),
                            f.city.get_untracked(),
                            f.postcode.get_untracked(),
                            f.country.get_untracked(),
                            opt(f.phone.get_untracked()),
                            f.delivery.get_untracked(),
                            opt(f.day.get_untracked()),
                            opt(f.coupon.get_untracked()),
                            method,
                            payment_token,
                        )
                        .await
                    }
                }
                .map_err(|e| e.to_string())
            }
            .await;
            match outcome {
                Ok(order) => {
                    let left = follow(&order);
                    error.set(order.message.clone());
                    placed.set(Some(order));
                    // Leaving for another page: keep the button disabled meanwhile.
                    busy.set(left);
                }
                Err(message) => {
                    error.set(Some(message));
                    busy.set(false);
                }
            }
        });
    };

    let options = started.delivery_options.clone();
    let days = started.chosen_days.clone();
    let lines = started.lines.clone();

    // Each section is its own component: one view type for the whole form would be too
    // deep for the compiler.
    view! {
        <p class="checkout-held" role="status">{t(Key::CheckoutHeld)}</p>
        <form class="checkout" on:submit=submit data-testid="checkout-form">
            <AddressSection form user saved />
            <DeliveryPaymentSection form options days />
            <ReviewSection form lines quote coupon_error error placed busy />
        </form>
    }
}

#[component]
fn AddressSection(
    form: Form,
    user: Resource<Result<Option<crate::accounts::model::CurrentUser>, crate::error::AppError>>,
    saved: Resource<Vec<Address>>,
) -> impl IntoView {
    let is_guest = move || matches!(user.get(), Some(Ok(None)));
    view! {
            <section class="checkout-step" aria-labelledby="step-address">
                <h2 id="step-address">{t(Key::CheckoutStepAddress)}</h2>
                <Transition fallback=|| ()>
                    {move || {
                        is_guest()
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        {t(Key::CheckoutGuestHint)} " "
                                        <a href="/signin?next=/checkout">{t(Key::SignIn)}</a>
                                    </p>
                                    <label for="co-email">{t(Key::CheckoutEmail)}</label>
                                    <input
                                        id="co-email"
                                        type="email"
                                        autocomplete="email"
                                        required
                                        data-testid="checkout-email"
                                        prop:value=move || form.email.get()
                                        on:input=move |ev| form.email.set(event_target_value(&ev))
                                    />
                                }
                            })
                    }}
                    {move || {
                        let list = saved.get().unwrap_or_default();
                        (!list.is_empty())
                            .then(|| {
                                view! {
                                    <fieldset class="saved-addresses">
                                        <legend>{t(Key::CheckoutSavedAddresses)}</legend>
                                        {list
                                            .into_iter()
                                            .map(|a| {
                                                let id = format!("saved-{}", a.id);
                                                let summary = format!(
                                                    "{}, {}, {} {}",
                                                    a.full_name,
                                                    a.line1,
                                                    a.city,
                                                    a.postcode,
                                                );
                                                let checked = a.is_default;
                                                view! {
                                                    <div class="choice">
                                                        <input
                                                            type="radio"
                                                            name="saved-address"
                                                            id=id.clone()
                                                            checked=checked
                                                            on:change=move |_| form.use_address(&a)
                                                        />
                                                        <label for=id>{summary}</label>
                                                    </div>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                            })
                    }}
                </Transition>
                <AddressInputs form />
            </section>

    }
    .into_any()
}

#[component]
fn DeliveryPaymentSection(
    form: Form,
    options: Vec<DeliveryQuote>,
    days: Vec<String>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
            <section class="checkout-step" aria-labelledby="step-delivery">
                <h2 id="step-delivery">{t(Key::CheckoutStepDeliveryPayment)}</h2>
                <fieldset class="delivery-options">
                    <legend>{t(Key::CheckoutDelivery)}</legend>
                    {options
                        .into_iter()
                        .map(|q: DeliveryQuote| {
                            let value = q.option.as_str();
                            let id = format!("delivery-{value}");
                            let window = fmt_window(locale, q.window_start, q.window_end);
                            let chosen_day = q.option == DeliveryOption::ChosenDay;
                            view! {
                                <div class="choice delivery-choice">
                                    <input
                                        type="radio"
                                        name="delivery"
                                        id=id.clone()
                                        value=value
                                        data-testid=id.clone()
                                        prop:checked=move || form.delivery.get() == value
                                        on:change=move |_| form.delivery.set(value.to_string())
                                    />
                                    <label for=id>
                                        <strong>{t(q.option.label_key())}</strong>
                                        " · "
                                        {fee_text(q.fee_minor)}
                                        <span class="hint">
                                            {(!chosen_day)
                                                .then(|| {
                                                    format!("{} {window}", t(Key::CheckoutArrives))
                                                })}
                                            {chosen_day.then(|| t(q.option.hint_key()))}
                                        </span>
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <Show when=move || form.delivery.get() == DeliveryOption::ChosenDay.as_str()>
                        <label for="delivery-day">{t(Key::CheckoutDeliveryDay)}</label>
                        <select
                            id="delivery-day"
                            data-testid="delivery-day"
                            on:change=move |ev| form.day.set(event_target_value(&ev))
                        >
                            <option value="">{t(Key::CheckoutPickDay)}</option>
                            {days
                                .iter()
                                .map(|d| {
                                    let label = fmt_iso_day(locale, d);
                                    view! { <option value=d.clone()>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                    </Show>
                </fieldset>
                <fieldset class="payment-methods">
                    <legend>{t(Key::CheckoutPayment)}</legend>
                    {PaymentMethod::ALL
                        .into_iter()
                        .map(|m| {
                            let value = m.as_str();
                            let id = format!("pay-{value}");
                            view! {
                                <div class="choice">
                                    <input
                                        type="radio"
                                        name="payment-method"
                                        id=id.clone()
                                        value=value
                                        data-testid=id.clone()
                                        prop:checked=move || form.method.get() == value
                                        on:change=move |_| form.method.set(value.to_string())
                                    />
                                    <label for=id>
                                        {t(m.label_key())}
                                        {(m.fee_bp() > 0).then(|| view! {
                                            <span class="hint">" · " {fee_rate(m.fee_bp())}</span>
                                        })}
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <Show
                    when=move || {
                        !PaymentMethod::parse(&form.method.get()).is_some_and(PaymentMethod::is_wallet)
                    }
                    fallback=|| view! { <p class="hint" data-testid="wallet-hint">{t(Key::PaymentWalletHint)}</p> }
                >
                    <CardFields number=form.card_number expiry=form.card_expiry cvc=form.card_cvc />
                </Show>
                <Show when=move || PaymentMethod::parse(&form.method.get()).is_some_and(PaymentMethod::captures_at_dispatch)>
                    <p class="hint" data-testid="pay-later-hint">{t(Key::PaymentPayLaterHint)}</p>
                </Show>
            </section>

    }
    .into_any()
}

#[allow(clippy::too_many_arguments)]
#[component]
fn ReviewSection(
    form: Form,
    lines: Vec<crate::checkout::model::ReservedLine>,
    quote: Resource<Result<CheckoutQuote, crate::error::AppError>>,
    coupon_error: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    placed: RwSignal<Option<PlacedOrder>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    view! {
            <section class="checkout-step" aria-labelledby="step-review">
                <h2 id="step-review">{t(Key::CheckoutStepReview)}</h2>
                <ul class="checkout-lines">
                    {lines
                        .into_iter()
                        .map(|l| {
                            view! {
                                <li>
                                    <span>{l.quantity} " × " {l.title}</span>
                                    <span>{format_price(line_total(l.unit_price_minor, l.quantity))}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="coupon-row">
                    <label for="coupon">{t(Key::CheckoutCoupon)}</label>
                    <input
                        id="coupon"
                        type="text"
                        autocomplete="off"
                        data-testid="coupon"
                        prop:value=move || form.coupon_input.get()
                        on:input=move |ev| form.coupon_input.set(event_target_value(&ev))
                    />
                    <button
                        type="button"
                        class="cart-secondary"
                        data-testid="apply-coupon"
                        on:click=move |_| {
                            coupon_error.set(None);
                            form.coupon.set(form.coupon_input.get_untracked().trim().to_string());
                        }
                    >
                        {t(Key::CheckoutApplyCoupon)}
                    </button>
                    <p class="cart-error" role="alert" data-testid="coupon-error">
                        {move || coupon_error.get()}
                    </p>
                </div>
                <Transition fallback=|| view! { <p aria-busy="true">{t(Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match quote.await {
                            Ok(q) => view! { <QuoteView q /> }.into_any(),
                            Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                        }
                    })}
                </Transition>
                <p class="cart-error" role="alert" data-testid="checkout-error">
                    {move || error.get()}
                </p>
                {move || {
                    placed
                        .get()
                        .filter(|o| o.state == OrderState::PaymentFailed)
                        .map(|o| {
                            view! {
                                <p class="hint" data-testid="order-saved">
                                    {t(Key::CheckoutOrderSaved)} " "
                                    <a href=format!("/orders/{}", o.number)>{o.number.clone()}</a>
                                </p>
                            }
                        })
                }}
                <button
                    type="submit"
                    class="add-to-cart-button place-order"
                    data-testid="place-order"
                    disabled=move || busy.get()
                >
                    {move || {
                        if busy.get() {
                            t(Key::CheckoutPlacing)
                        } else if placed.get().is_some() {
                            t(Key::CheckoutPayAgain)
                        } else {
                            t(Key::CheckoutPlaceOrder)
                        }
                    }}
                </button>
            </section>
    }
    .into_any()
}

/// "fee 2.5%" for a fee in basis points.
fn fee_rate(bp: i64) -> String {
    let rate = if bp % 100 == 0 {
        format!("{}", bp / 100)
    } else {
        format!("{}.{}", bp / 100, (bp % 100) / 10)
    };
    trf(Key::PaymentFeeRate, &[("rate", &rate)])
}

/// The method chosen on the form, if it is one.
fn chosen_method(form: &Form) -> Option<PaymentMethod> {
    PaymentMethod::parse(&form.method.get_untracked())
}

#[component]
fn AddressInputs(form: Form) -> impl IntoView {
    let field = |id: &'static str,
                 label: Key,
                 signal: RwSignal<String>,
                 autocomplete: &'static str,
                 required: bool| {
        view! {
            <label for=id>{t(label)}</label>
            <input
                id=id
                type="text"
                autocomplete=autocomplete
                required=required
                data-testid=id
                prop:value=move || signal.get()
                on:input=move |ev| signal.set(event_target_value(&ev))
            />
        }
    };
    view! {
        <fieldset class="address-fields">
            <legend>{t(Key::CheckoutDeliverTo)}</legend>
            {field("co-name", Key::FullName, form.full_name, "name", true)}
            {field("co-line1", Key::AddressLine1, form.line1, "address-line1", true)}
            {field("co-line2", Key::AddressLine2, form.line2, "address-line2", false)}
            {field("co-city", Key::City, form.city, "address-level2", true)}
            {field("co-postcode", Key::Postcode, form.postcode, "postal-code", true)}
            {field("co-country", Key::CountryCode, form.country, "country", true)}
            {field("co-phone", Key::PhoneOptional, form.phone, "tel", false)}
        </fieldset>
    }
}

#[component]
fn QuoteView(q: CheckoutQuote) -> impl IntoView {
    let locale = use_locale();
    let window = fmt_window(locale, q.delivery.window_start, q.delivery.window_end);
    view! {
        <dl class="price-breakdown" data-testid="quote">
            <dt>{t(Key::Subtotal)}</dt>
            <dd>{format_price(q.subtotal_minor)}</dd>
            {(q.discount_minor > 0)
                .then(|| {
                    view! {
                        <dt>
                            {t(Key::AdjustmentCoupon)} " "
                            {q.coupon_code.clone().unwrap_or_default()}
                        </dt>
                        <dd data-testid="quote-discount">
                            "−" {format_price(q.discount_minor)}
                        </dd>
                    }
                })}
            <dt>{t(Key::PriceDelivery)}</dt>
            <dd>{fee_text(q.delivery_minor)}</dd>
            {(q.payment_fee_minor > 0)
                .then(|| view! {
                    <dt>{t(Key::PaymentFee)}</dt>
                    <dd data-testid="quote-payment-fee">{format_price(q.payment_fee_minor)}</dd>
                })}
            <dt class="total">{t(Key::PriceTotal)}</dt>
            <dd class="total" data-testid="quote-total">{format_price(q.total_minor)}</dd>
            <dt class="vat">{t(Key::PriceVatIncluded)}</dt>
            <dd class="vat">{format_price(q.vat_minor)}</dd>
        </dl>
        {(!q.instalments.is_empty()).then(|| {
            let n = q.instalments.len();
            let first = format_price(q.instalments[0]);
            let rest = format_price(*q.instalments.last().unwrap_or(&0));
            view! {
                <p class="hint" data-testid="quote-plan">
                    {trf(Key::PaymentPlan, &[("n", &n), ("first", &first), ("rest", &rest)])}
                </p>
            }
        })}
        <p class="hint" data-testid="quote-window">{t(Key::CheckoutArrives)} " " {window}</p>
    }
}

/// `/checkout/pay/:number`: pay for an order whose payment failed, and the page the bank's
/// challenge comes back to (loading it asks the provider where the payment stands).
#[component]
pub fn PayAgainPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    // POST on purpose: asking the provider where a waiting payment stands may finish it.
    let order = Resource::new(number, confirm_payment);
    let form_number = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let cvc = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let n = number();
        leptos::task::spawn_local(async move {
            let outcome = async {
                let amount = order
                    .get_untracked()
                    .and_then(|o| o.ok())
                    .map(|o| o.total_minor);
                let token = tokenise_card(
                    form_number.get_untracked(),
                    expiry.get_untracked(),
                    cvc.get_untracked(),
                    amount,
                )
                .await?;
                retry_payment(n, PaymentMethod::Card.as_str().into(), token)
                    .await
                    .map_err(|e| e.to_string())
            }
            .await;
            match outcome {
                Ok(o) => {
                    let left = follow(&o);
                    error.set(o.message.clone());
                    busy.set(left);
                    order.refetch();
                }
                Err(m) => {
                    error.set(Some(m));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <Title text=t(Key::CheckoutPayTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(Key::CheckoutPayTitle)}</h1>
        <Transition fallback=|| view! { <p aria-busy="true">{t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                    Ok(o) => {
                        let payable = matches!(
                            o.state,
                            OrderState::PaymentFailed | OrderState::PendingPayment
                        ) && !matches!(
                            o.payment.as_ref().map(|p| p.status),
                            Some(PaymentStatus::Pending | PaymentStatus::RequiresAction)
                        );
                        let detail = format!("/orders/{}", o.number);
                        view! {
                            <p data-testid="pay-order-state">
                                {t(Key::CheckoutOrderNumber)} " "
                                <a href=detail.clone()>{o.number.clone()}</a>
                                " · "
                                {t(o.state.label_key())}
                                " · "
                                {format_price(o.total_minor)}
                            </p>
                            {o.message.clone().map(|m| view! { <p class="cart-error" role="alert">{m}</p> })}
                            {if payable {
                                view! {
                                    <form class="checkout" on:submit=submit>
                                        <CardFields number=form_number expiry cvc />
                                        <p class="cart-error" role="alert">{move || error.get()}</p>
                                        <button
                                            type="submit"
                                            class="add-to-cart-button place-order"
                                            data-testid="pay-again"
                                            disabled=move || busy.get()
                                        >
                                            {t(Key::CheckoutPayAgain)}
                                        </button>
                                    </form>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <p><a href=detail data-testid="view-order">{t(Key::CheckoutViewOrder)}</a></p>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
