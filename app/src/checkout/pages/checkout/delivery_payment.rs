//! Section 2 of the checkout page: the delivery option (and day) and the payment method,
//! with the card fields for methods that take a card.

use crate::checkout::text::CheckoutText;
use leptos::prelude::*;

use super::{fee_text, Form};
use crate::calendar::{fmt_day, fmt_window, uk_instant, CivilDate};
use crate::checkout::delivery::{DeliveryOption, DeliveryQuote};
use crate::checkout::pages::payment::CardFields;
use crate::i18n::{t, trf, use_locale, Locale};
use crate::payments::PaymentMethod;

/// A `YYYY-MM-DD` day as the shopper reads it.
fn fmt_iso_day(locale: Locale, iso: &str) -> String {
    CivilDate::parse(iso)
        .map(|d| fmt_day(locale, uk_instant(d, 12 * 3600)))
        .unwrap_or_else(|| iso.to_string())
}

#[component]
pub(super) fn DeliveryPaymentSection(
    form: Form,
    options: Vec<DeliveryQuote>,
    days: Vec<String>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
            <section class="checkout-step" aria-labelledby="step-delivery">
                <h2 id="step-delivery">{t(CheckoutText::CheckoutStepDeliveryPayment)}</h2>
                <fieldset class="delivery-options">
                    <legend>{t(CheckoutText::CheckoutDelivery)}</legend>
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
                                                    format!("{} {window}", t(CheckoutText::CheckoutArrives))
                                                })}
                                            {chosen_day.then(|| t(q.option.hint_key()))}
                                        </span>
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <Show when=move || form.delivery.get() == DeliveryOption::ChosenDay.as_str()>
                        <label for="delivery-day">{t(CheckoutText::CheckoutDeliveryDay)}</label>
                        <select
                            id="delivery-day"
                            data-testid="delivery-day"
                            on:change=move |ev| form.day.set(event_target_value(&ev))
                        >
                            <option value="">{t(CheckoutText::CheckoutPickDay)}</option>
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
                    <legend>{t(CheckoutText::CheckoutPayment)}</legend>
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
                    fallback=|| view! { <p class="hint" data-testid="wallet-hint">{t(CheckoutText::PaymentWalletHint)}</p> }
                >
                    <CardFields number=form.card_number expiry=form.card_expiry cvc=form.card_cvc />
                </Show>
                <Show when=move || PaymentMethod::parse(&form.method.get()).is_some_and(PaymentMethod::captures_at_dispatch)>
                    <p class="hint" data-testid="pay-later-hint">{t(CheckoutText::PaymentPayLaterHint)}</p>
                </Show>
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
    trf(CheckoutText::PaymentFeeRate, &[("rate", &rate)])
}
