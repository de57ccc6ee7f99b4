//! Why a payment request is refused, as data, put into words where it is shown
//! ([`PaymentsRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentsRefusal {
    CardNumberInvalid,
    AmountInvalid,
    WebhookSignatureInvalid,
    WebhookMalformed,
}

impl PaymentsRefusal {
    pub fn message(&self, locale: Locale) -> String {
        use PaymentsRefusal::*;
        match self {
            CardNumberInvalid => say!(
                locale,
                "That card number is not valid. Please check it.",
                "该卡号无效。请检查。"
            ),
            AmountInvalid => say!(
                locale,
                "That payment amount is not valid.",
                "该支付金额无效。"
            ),
            WebhookSignatureInvalid => say!(
                locale,
                "The webhook signature is missing, wrong or too old.",
                "Webhook 签名缺失、错误或已过期。"
            ),
            WebhookMalformed => say!(
                locale,
                "The webhook body is not a payment event.",
                "Webhook 内容不是付款事件。"
            ),
        }
    }
}

impl From<PaymentsRefusal> for crate::error::Refusal {
    fn from(r: PaymentsRefusal) -> Self {
        crate::error::Refusal::Payments(r)
    }
}
