//! Section 3 of the checkout page: the lines, the coupon, the price as the one pricing
//! function computes it ([`QuoteView`]) and the button that places the order.

use crate::checkout::text::CheckoutText;
use leptos::prelude::*;

use super::{fee_text, Form};
use crate::calendar::fmt_window;
use crate::checkout::model::{CheckoutQuote, PlacedOrder, ReservedLine};
use crate::checkout::pricing::line_total;
use crate::components::errors::ErrorMessage;
use crate::components::status::loading;
use crate::error::AppError;
use crate::i18n::{format_price, t, trf, use_locale, Key};
use crate::orders::state::OrderState;

#[allow(clippy::too_many_arguments)]
#[component]
pub(super) fn ReviewSection(
    form: Form,
    lines: Vec<ReservedLine>,
    quote: Resource<Result<CheckoutQuote, AppError>>,
    coupon_error: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
    placed: RwSignal<Option<PlacedOrder>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    view! {
            <section class="checkout-step" aria-labelledby="step-review">
                <h2 id="step-review">{t(CheckoutText::CheckoutStepReview)}</h2>
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
                    <label for="coupon">{t(CheckoutText::CheckoutCoupon)}</label>
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
                        {t(CheckoutText::CheckoutApplyCoupon)}
                    </button>
                    <p class="cart-error" role="alert" data-testid="coupon-error">
                        {move || coupon_error.get()}
                    </p>
                </div>
                <Transition fallback=loading>
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
                                    {t(CheckoutText::CheckoutOrderSaved)} " "
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
                            t(CheckoutText::CheckoutPlacing)
                        } else if placed.get().is_some() {
                            t(CheckoutText::CheckoutPayAgain)
                        } else {
                            t(CheckoutText::CheckoutPlaceOrder)
                        }
                    }}
                </button>
            </section>
    }
    .into_any()
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
                    {trf(CheckoutText::PaymentPlan, &[("n", &n), ("first", &first), ("rest", &rest)])}
                </p>
            }
        })}
        <p class="hint" data-testid="quote-window">{t(CheckoutText::CheckoutArrives)} " " {window}</p>
    }
}
