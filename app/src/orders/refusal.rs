//! Why an order request is refused, as data, put into words where it is shown
//! ([`OrdersRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, text, Locale};
use crate::orders::state::OrderState;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrdersRefusal {
    NotFound,
    /// The actor may not send this event to an order.
    ActionForbidden,
    /// The order's state does not allow it.
    TransitionInvalid {
        state: OrderState,
    },
    TooLateToCancel,
    NotYours,
    InvoiceUnpaid,
    /// Guest tracking: no order has that number and email.
    TrackNoMatch,
    /// A carrier's scan that is not one.
    ScanMalformed,
}

impl OrdersRefusal {
    pub fn message(&self, locale: Locale) -> String {
        use OrdersRefusal::*;
        match self {
            NotFound => say!(locale, "There is no such order.", "没有这个订单。"),
            ActionForbidden => say!(
                locale,
                "You are not allowed to do that to this order.",
                "你无权对该订单执行此操作。"
            ),
            TransitionInvalid { state } => {
                let state = text(locale, state.label_key());
                say!(
                    locale,
                    "This order is now “{state}”, so that cannot be done.",
                    "该订单当前状态为“{state}”，无法执行此操作。"
                )
            }
            TooLateToCancel => say!(
                locale,
                "This order has already been shipped, so it can no longer be cancelled. You can return it once it arrives.",
                "该订单已发货，无法取消。收到后可以申请退货。"
            ),
            NotYours => say!(
                locale,
                "Only the customer who placed this order can change it.",
                "只有下单的顾客才能更改此订单。"
            ),
            InvoiceUnpaid => say!(
                locale,
                "There is no invoice for this order because it has not been paid.",
                "此订单尚未付款，因此没有发票。"
            ),
            TrackNoMatch => say!(
                locale,
                "No order matches that number and email. Check both and try again.",
                "没有与该订单号和邮箱匹配的订单。请检查后重试。"
            ),
            ScanMalformed => say!(
                locale,
                "The webhook body is not a carrier scan.",
                "Webhook 内容不是承运商扫描事件。"
            ),
        }
    }
}

impl From<OrdersRefusal> for crate::error::Refusal {
    fn from(r: OrdersRefusal) -> Self {
        crate::error::Refusal::Orders(r)
    }
}
