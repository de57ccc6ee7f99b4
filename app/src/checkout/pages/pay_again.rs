//! `/checkout/pay/:number`: pay again for an order whose payment failed; also where the
//! bank's challenge (3-D Secure) comes back to.

use crate::checkout::text::CheckoutText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::payment::{follow, tokenise_card, CardFields};
use crate::checkout::api::{confirm_payment, retry_payment};
use crate::components::errors::ErrorMessage;
use crate::components::status::loading;
use crate::i18n::{format_price, t, Key};
use crate::orders::state::OrderState;
use crate::payments::{PaymentMethod, PaymentStatus};

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
                    error.set(o.message.map(|n| t(n.key()).to_string()));
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
        <Title text=t(CheckoutText::CheckoutPayTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(CheckoutText::CheckoutPayTitle)}</h1>
        <Transition fallback=loading>
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
                            {o.message.map(|n| view! { <p class="cart-error" role="alert">{t(n.key())}</p> })}
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
                                            {t(CheckoutText::CheckoutPayAgain)}
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
