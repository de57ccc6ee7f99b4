//! Order pages: the history (`/account/orders`), the detail (`/orders/:number`) and the
//! printable invoice (`/orders/:number/invoice`), tracking (`/orders/:number/tracking`,
//! and `/track` for guests) and the notification centre (`/account/notifications`; the
//! header's bell is `orders::bell`). Data comes from `orders::api` through
//! `Resource`s; pages render on the server once it is there (`SsrMode::Async`), so a
//! missing or foreign order answers 404 and a signed-out history 401.

pub mod detail;
pub mod history;
pub mod invoice;
pub mod notifications;
pub mod tracking;

use crate::i18n::t;
use crate::orders::text::OrdersText;
use crate::payments::PaymentStatus;

/// Label of a payment status as customers read it.
pub fn payment_status_key(status: PaymentStatus) -> OrdersText {
    match status {
        PaymentStatus::Authorised => OrdersText::OrderPayAuthorised,
        PaymentStatus::Captured => OrdersText::OrderPayCaptured,
        PaymentStatus::Declined => OrdersText::OrderPayDeclined,
        PaymentStatus::RequiresAction => OrdersText::OrderPayRequiresAction,
        PaymentStatus::Pending => OrdersText::OrderPayPending,
        PaymentStatus::Voided => OrdersText::OrderPayVoided,
        PaymentStatus::Refunded => OrdersText::OrderPayRefunded,
    }
}

/// "Order EM…" in the current language.
pub fn order_title(key: impl crate::i18n::Text, number: &str) -> String {
    t(key).replace("{number}", number)
}

/// The UK date of a unix time, "2026-11-05" (identical on server and browser).
pub fn fmt_date(secs: i64) -> String {
    crate::calendar::uk_date(secs).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_the_utc_day() {
        assert_eq!(fmt_date(0), "1970-01-01");
        assert_eq!(fmt_date(1_798_761_599), "2026-12-31");
    }

    #[test]
    fn every_payment_status_has_its_own_label() {
        let keys: Vec<OrdersText> = PaymentStatus::ALL
            .into_iter()
            .map(payment_status_key)
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k:?}");
        }
    }
}
