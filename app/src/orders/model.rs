//! Order types on the wire: the history list, the detail page, the invoice, and the answer
//! of a reorder. Built by `orders::service` (server only), shown by `orders::pages`.

use crate::orders::text::OrdersText;
use serde::{Deserialize, Serialize};

use crate::checkout::delivery::DeliveryOption;
use crate::orders::state::OrderState;
use crate::payments::{PaymentMethod, PaymentStatus};

/// Orders per page of the history.
pub const HISTORY_PAGE_SIZE: u32 = 20;

/// One row of a member's order history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub placed_at: i64,
    pub state: OrderState,
    /// Units over all lines.
    pub item_count: i64,
    pub total_minor: i64,
}

/// One page of the history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderHistory {
    pub orders: Vec<OrderSummary>,
    /// 1-based.
    pub page: u32,
    /// At least 1.
    pub pages: u32,
    /// Orders in all.
    pub total: i64,
}

/// The delivery address copied onto an order when it was placed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingAddress {
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    pub phone: String,
}

/// What an order row holds beyond `ports::StoredOrder` (read by `OrderStore::order_extras`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderExtras {
    pub address: ShippingAddress,
    /// `DeliveryOption::as_str`, empty for the seeded history.
    pub delivery_option: String,
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    /// Refunds of the seeded history (`refunds` table), in minor units.
    pub refunded_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub product_code: String,
    pub title: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

/// Who did something to an order, as the person looking at it should read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorKind {
    /// The viewer (the order's owner).
    You,
    /// The customer, when staff look at the order.
    Customer,
    /// Staff or the shop's own automation.
    Shop,
    Carrier,
    PaymentProvider,
}

impl ActorKind {
    pub fn label_key(self) -> OrdersText {
        match self {
            ActorKind::You => OrdersText::OrderActorYou,
            ActorKind::Customer => OrdersText::OrderActorCustomer,
            ActorKind::Shop => OrdersText::OrderActorShop,
            ActorKind::Carrier => OrdersText::OrderActorCarrier,
            ActorKind::PaymentProvider => OrdersText::OrderActorPaymentProvider,
        }
    }
}

/// One line of the state history (from `order_events`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub at: i64,
    /// The order was placed (rather than moved to `to`).
    pub placed: bool,
    pub to: OrderState,
    pub actor: ActorKind,
}

impl OrderEventView {
    /// What happened, as a translatable label.
    pub fn label_key(&self) -> OrdersText {
        if self.placed {
            OrdersText::OrderEventPlaced
        } else {
            self.to.label_key()
        }
    }
}

/// An order as its owner (or staff) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub number: String,
    pub placed_at: i64,
    pub state: OrderState,
    pub lines: Vec<OrderLineView>,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub delivery_minor: i64,
    /// The instalment plan's fee (0 otherwise).
    pub payment_fee_minor: i64,
    pub vat_minor: i64,
    pub total_minor: i64,
    pub coupon_code: Option<String>,
    /// From the seeded history (placed before online checkout): no stored breakdown, so
    /// subtotal and VAT are derived from the lines and the total.
    pub legacy: bool,
    pub refunded_minor: i64,
    pub email: Option<String>,
    pub address: ShippingAddress,
    pub delivery_option: Option<DeliveryOption>,
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    pub payment_method: Option<PaymentMethod>,
    /// The latest payment attempt's status.
    pub payment_status: Option<PaymentStatus>,
    /// Oldest first.
    pub events: Vec<OrderEventView>,
    /// The viewer placed it (else staff is looking).
    pub is_owner: bool,
    /// Offer "Cancel order".
    pub can_cancel: bool,
    /// Offer "Pay again" (the last payment failed).
    pub can_pay_again: bool,
    /// Offer "Track parcel".
    pub can_track: bool,
    /// Money was taken (an invoice exists).
    pub paid: bool,
    /// What was just done (cancel: refunded, released, refund pending), if anything.
    pub notice: Option<OrderNotice>,
}

/// What the shopper is told after changing an order, as data; the page words it
/// ([`OrderNotice::message`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderNotice {
    Cancelled,
    /// Cancelled, and this much refunded to the card.
    Refunded {
        amount_minor: i64,
    },
    /// Cancelled, and the amount held on the card released.
    PaymentReleased,
    /// Cancelled, but the payment could not be given back yet.
    RefundPending,
}

impl OrderNotice {
    pub fn message(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::{format_price, text, trf_in};
        match self {
            OrderNotice::Cancelled => text(locale, OrdersText::OrderCancelledNotice).to_string(),
            OrderNotice::Refunded { amount_minor } => trf_in(
                locale,
                OrdersText::OrderRefundedNotice,
                &[("amount", &format_price(amount_minor))],
            ),
            OrderNotice::PaymentReleased => {
                text(locale, OrdersText::OrderPaymentReleasedNotice).to_string()
            }
            OrderNotice::RefundPending => {
                text(locale, OrdersText::OrderRefundPendingNotice).to_string()
            }
        }
    }
}

impl OrderDetail {
    /// Units over all lines.
    pub fn item_count(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Shipped or further along, and not cancelled: too late for the customer to cancel.
    pub fn past_shipping(&self) -> bool {
        matches!(
            self.state,
            OrderState::Shipped
                | OrderState::InTransit
                | OrderState::OutForDelivery
                | OrderState::Delivered
                | OrderState::Completed
        )
    }
}

/// The seller block of invoices. A constant for the demo shop; a real deployment would
/// read it from configuration (planned: `EMPORIUM_SELLER_*` settings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    pub address_lines: Vec<String>,
    pub vat_number: String,
    pub email: String,
}

impl Seller {
    pub fn demo() -> Self {
        Self {
            name: "Emporium Demo Ltd".into(),
            address_lines: vec![
                "Unit 4, Riverside Works".into(),
                "12 Canal Street".into(),
                "Manchester M1 3HE".into(),
                "United Kingdom".into(),
            ],
            vat_number: "GB 123 4567 89 (demo)".into(),
            email: "orders@emporium.example".into(),
        }
    }
}

/// A printable invoice for a paid order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub order: OrderDetail,
    pub seller: Seller,
    /// When the payment arrived (the invoice date).
    pub issued_at: i64,
    /// Basis points (2000 = 20 %), included in the prices.
    pub vat_rate_bp: i64,
    /// Total without VAT.
    pub net_minor: i64,
}

/// What happened to one line of a reordered order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReorderOutcome {
    /// All of it went into the cart.
    Added,
    /// Less than ordered went in (stock or the 99-per-product cap).
    Reduced,
    /// None went in (out of stock, no longer sold, or the cart already holds the most).
    Unavailable,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderLine {
    pub product_code: String,
    pub title: String,
    pub asked: i64,
    pub added: i64,
    pub outcome: ReorderOutcome,
}

/// The answer of a reorder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderResult {
    pub lines: Vec<ReorderLine>,
    /// Units in the cart afterwards.
    pub cart_items: i64,
}

impl ReorderResult {
    pub fn count(&self, outcome: ReorderOutcome) -> usize {
        self.lines.iter().filter(|l| l.outcome == outcome).count()
    }
}

// ---- tracking, notifications, dispatch (orders/shipping.rs) ----

/// One step of the tracking timeline: the states a parcel goes through, with the time
/// each was reached (None: not yet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackStep {
    pub state: OrderState,
    pub at: Option<i64>,
}

/// One carrier scan as the tracking page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanView {
    pub at: i64,
    pub kind: crate::orders::tracking::ScanKind,
    pub location: String,
}

/// The parcel of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentView {
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: i64,
    /// The estimated delivery window.
    pub window_start: i64,
    pub window_end: i64,
    pub delivered_at: Option<i64>,
}

/// Everything the tracking page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub number: String,
    pub state: OrderState,
    pub placed_at: i64,
    /// Placed, paid, packed, shipped, in transit, out for delivery, delivered.
    pub steps: Vec<TrackStep>,
    pub shipment: Option<ShipmentView>,
    /// Newest first.
    pub scans: Vec<ScanView>,
    pub delay: Option<crate::orders::tracking::Delay>,
    /// Before shipping: the window promised at checkout.
    pub promised_window: Option<(i64, i64)>,
}

/// One entry of the notification centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// 0 for a delay alert (derived now, not an event).
    pub event_id: i64,
    pub order_number: String,
    /// What happened: the state the order reached.
    pub state: OrderState,
    /// A delay alert rather than an event.
    pub delay: Option<crate::orders::tracking::Delay>,
    pub at: i64,
    pub unread: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// The answer to a staff "pack" or "ship".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatched {
    pub number: String,
    pub state: OrderState,
    pub tracking_number: Option<String>,
}
