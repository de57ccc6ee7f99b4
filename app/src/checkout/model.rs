//! Checkout types on the wire (server functions in `api`, domain in `service`).

use crate::checkout::text::CheckoutText;
use serde::{Deserialize, Serialize};

use crate::checkout::delivery::DeliveryQuote;
use crate::orders::state::OrderState;
use crate::payments::{DeclineReason, PaymentMethod, PaymentStatus};

/// How long stock stays reserved for a checkout.
pub const RESERVATION_SECS: i64 = 15 * 60;
/// Default time after which an unpaid order is cancelled and its stock released
/// (`EMPORIUM_UNPAID_ORDER_MINUTES` overrides it).
pub const UNPAID_ORDER_TIMEOUT_SECS: i64 = 30 * 60;

/// A reserved cart line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservedLine {
    pub product_code: String,
    pub title: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}

/// The answer of `start_checkout`: the cart's stock is held until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutStarted {
    /// Pass it back to `place_order`.
    pub checkout_token: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub lines: Vec<ReservedLine>,
    pub subtotal_minor: i64,
    /// Delivery options with their fees and windows for this basket.
    pub delivery_options: Vec<DeliveryQuote>,
    /// The days one may pick for chosen-day delivery (`YYYY-MM-DD`), earliest first.
    pub chosen_days: Vec<String>,
}

/// The payment of an order, as the shopper needs to see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub method: PaymentMethod,
    pub status: PaymentStatus,
    pub decline: Option<DeclineReason>,
    /// Where to send the shopper (a 3-D Secure challenge), when `status` asks for it.
    pub next_action_url: Option<String>,
}

/// An order as `place_order` / `retry_payment` answer it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub number: String,
    pub state: OrderState,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub delivery_minor: i64,
    pub vat_minor: i64,
    pub total_minor: i64,
    /// The latest payment attempt, if any.
    pub payment: Option<PaymentView>,
    /// What to tell the shopper about the payment (declined, action needed), if anything.
    pub message: Option<PaymentNotice>,
}

/// What the shopper is told about a payment just tried, as data; the page words it
/// ([`PaymentNotice::key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentNotice {
    Declined,
    InsufficientFunds,
    /// The bank asks the shopper to confirm (3-D Secure, a wallet's approval).
    ActionRequired,
    /// The provider could not be reached; the order is kept.
    Unavailable,
    InProgress,
    /// The money arrived for an order cancelled meanwhile and was given back.
    CancelledRefunded,
}

impl PaymentNotice {
    pub fn key(self) -> CheckoutText {
        match self {
            PaymentNotice::Declined => CheckoutText::MsgPaymentDeclined,
            PaymentNotice::InsufficientFunds => CheckoutText::MsgPaymentInsufficientFunds,
            PaymentNotice::ActionRequired => CheckoutText::MsgPaymentActionRequired,
            PaymentNotice::Unavailable => CheckoutText::MsgPaymentUnavailable,
            PaymentNotice::InProgress => CheckoutText::MsgPaymentInProgress,
            PaymentNotice::CancelledRefunded => CheckoutText::MsgOrderCancelledRefunded,
        }
    }
}

/// The price of the basket as the checkout page shows it before paying (`quote`), equal to
/// what placing the order charges with the same choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutQuote {
    pub subtotal_minor: i64,
    /// Everything coupons took off, goods and delivery.
    pub discount_minor: i64,
    pub delivery_minor: i64,
    /// VAT contained in the total.
    pub vat_minor: i64,
    pub total_minor: i64,
    /// The coupon applied, normalised.
    pub coupon_code: Option<String>,
    pub delivery: DeliveryQuote,
    /// The instalment plan's fee (0 for other methods), included in the total.
    pub payment_fee_minor: i64,
    /// The monthly amounts of an instalment plan (empty otherwise), adding up to the total.
    pub instalments: Vec<i64>,
}

/// What the checkout page sends to place its order (`api::place_order`, whose one
/// argument it is: form fields `order[email]`, `order[address][city]`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceOrderRequest {
    /// Chosen by the client once per checkout page (a UUID): repeats give the same order.
    pub idempotency_key: String,
    /// From `start_checkout`.
    pub checkout_token: String,
    /// Required from guests; members' orders use the account's email when empty.
    #[serde(default)]
    pub email: String,
    pub address: crate::accounts::model::AddressInput,
    /// `DeliveryOption::as_str`.
    pub delivery_option: String,
    /// `YYYY-MM-DD`, for chosen-day delivery.
    pub delivery_day: Option<String>,
    pub coupon_code: Option<String>,
    /// `PaymentMethod::as_str`.
    pub payment_method: String,
    /// The provider's token (`tok_…`), never a card number.
    pub payment_token: String,
}
