//! Paying, for the checkout and pay-again pages: the card fields, the card's tokenisation
//! at the payment provider (card numbers never reach the shop) and what to do with the
//! order the shop answers.

use crate::checkout::text::CheckoutText;
use leptos::prelude::*;

use crate::checkout::model::PlacedOrder;
use crate::components::navigation::reload_to;
use crate::i18n::t;
use crate::orders::state::OrderState;

/// Post the card to the payment provider's tokenisation endpoint; the shop gets only the
/// token. `amount_minor` (the total the shopper was shown) binds the token to that amount:
/// the provider refuses it for any other. Err carries a message to show.
pub(super) async fn tokenise_card(
    number: String,
    expiry: String,
    cvc: String,
    amount_minor: Option<i64>,
) -> Result<String, String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let fail = || t(CheckoutText::CheckoutCardUnreadable).to_string();
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
                .map_err(|_| t(CheckoutText::CheckoutProviderUnreachable).to_string())?
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
        Err(t(CheckoutText::CheckoutNeedsJavaScript).to_string())
    }
}

/// The payment provider's card tokenisation endpoint (the simulated provider's here; a
/// real provider's script would post to its own domain).
pub const PROVIDER_TOKENS_URL: &str = "/pay/sim/tokens";

/// What to do with an order the shop answered: leave for the provider's page, go to the
/// order, or stay and show the message (a declined card: pay again here).
pub(super) fn follow(order: &PlacedOrder) -> bool {
    if let Some(url) = order
        .payment
        .as_ref()
        .and_then(|p| p.next_action_url.clone())
    {
        reload_to(&url);
        return true;
    }
    if !matches!(
        order.state,
        OrderState::PendingPayment | OrderState::PaymentFailed
    ) {
        reload_to(&format!("/orders/{}?placed=1", order.number));
        return true;
    }
    false
}

/// The card fields (never named: they are not sent to the shop).
#[component]
pub(super) fn CardFields(
    number: RwSignal<String>,
    expiry: RwSignal<String>,
    cvc: RwSignal<String>,
) -> impl IntoView {
    view! {
        <fieldset class="card-fields">
            <legend>{t(CheckoutText::CheckoutCardDetails)}</legend>
            <p class="hint">{t(CheckoutText::CheckoutTestCards)}</p>
            <label for="card-number">{t(CheckoutText::CheckoutCardNumber)}</label>
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
                    <label for="card-expiry">{t(CheckoutText::CheckoutCardExpiry)}</label>
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
                    <label for="card-cvc">{t(CheckoutText::CheckoutCardCvc)}</label>
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
