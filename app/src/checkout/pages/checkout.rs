//! `/checkout`: one page with three numbered sections (address; delivery and payment;
//! review and place), each its own component in `checkout/`. The page holds the stock
//! when it runs in the browser, keeps the shopper's choices in one [`Form`], and places
//! the order (or pays again for one whose payment failed) with one idempotency key per
//! page view.

mod address;
mod delivery_payment;
mod review;

use crate::checkout::text::CheckoutText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use super::payment::{follow, tokenise_card};
use crate::accounts::api::{addresses, whoami};
use crate::accounts::model::{Address, AddressInput};
use crate::checkout::api::{place_order, quote_checkout, retry_payment, StartCheckout};
use crate::checkout::delivery::DeliveryOption;
use crate::checkout::model::{CheckoutStarted, PlaceOrderRequest, PlacedOrder};
use crate::components::errors::ErrorMessage;
use crate::i18n::{format_price, t, Key};
use crate::orders::state::OrderState;
use crate::payments::PaymentMethod;
use address::AddressSection;
use delivery_payment::DeliveryPaymentSection;
use review::ReviewSection;

/// A delivery fee as the shopper reads it ("Free" when there is none).
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

/// The method chosen on the form, if it is one.
fn chosen_method(form: &Form) -> Option<PaymentMethod> {
    PaymentMethod::parse(&form.method.get_untracked())
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
        <Title text=t(CheckoutText::CheckoutTitle) />
        <Meta name="robots" content="noindex" />
        <h1>{t(CheckoutText::CheckoutTitle)}</h1>
        <noscript>
            <p class="cart-error">{t(CheckoutText::CheckoutNeedsJavaScript)}</p>
        </noscript>
        {move || match start.value().get() {
            None => {
                view! { <p aria-busy="true" role="status">{t(CheckoutText::CheckoutReserving)}</p> }
                    .into_any()
            }
            Some(Err(e)) => {
                view! {
                    <ErrorMessage error=e />
                    <p><a href="/cart">{t(CheckoutText::CheckoutBackToCart)}</a></p>
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
                        place_order(PlaceOrderRequest {
                            idempotency_key: key.get_value(),
                            checkout_token: token,
                            email: f.email.get_untracked(),
                            address: AddressInput {
                                full_name: f.full_name.get_untracked(),
                                line1: f.line1.get_untracked(),
                                line2: f.line2.get_untracked(),
                                city: f.city.get_untracked(),
                                postcode: f.postcode.get_untracked(),
                                country: f.country.get_untracked(),
                                phone: f.phone.get_untracked(),
                                make_default: false,
                            },
                            delivery_option: f.delivery.get_untracked(),
                            delivery_day: opt(f.day.get_untracked()),
                            coupon_code: opt(f.coupon.get_untracked()),
                            payment_method: method,
                            payment_token,
                        })
                        .await
                    }
                }
                .map_err(|e| e.to_string())
            }
            .await;
            match outcome {
                Ok(order) => {
                    let left = follow(&order);
                    error.set(order.message.map(|n| t(n.key()).to_string()));
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
        <p class="checkout-held" role="status">{t(CheckoutText::CheckoutHeld)}</p>
        <form class="checkout" on:submit=submit data-testid="checkout-form">
            <AddressSection form user saved />
            <DeliveryPaymentSection form options days />
            <ReviewSection form lines quote coupon_error error placed busy />
        </form>
    }
}
