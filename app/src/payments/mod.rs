//! Payments: the methods a shopper can choose and the statuses a provider reports, shared
//! by server and browser. The provider itself is behind the `PaymentGateway` port
//! (`crate::ports`, server only); the server ships a simulated one
//! (`server/src/payments/simulated.rs`).
//!
//! Card numbers never reach the shop: the card form posts them to the provider, which
//! answers with a token (`tok_…`); the shop only ever sees and stores tokens and the
//! provider's references.

use crate::payments::text::PaymentsText;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod port;
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;

/// How the shopper pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// A card, tokenised by the provider.
    Card,
    /// A wallet in the style of Alipay: the shopper confirms on their phone (QR code or
    /// redirect); the provider tells the shop by a signed webhook.
    Alipay,
    /// A wallet in the style of WeChat Pay, confirmed the same way.
    WechatPay,
    /// The card pays in 3, 6 or 12 monthly instalments through the provider's credit
    /// plan; the shop is paid in full at once, the shopper pays the plan's fee.
    Instalments3,
    Instalments6,
    Instalments12,
    /// Pay later (30 days): the provider authorises the card now and the shop captures
    /// when the parcel ships.
    PayLater,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 7] = [
        PaymentMethod::Card,
        PaymentMethod::Alipay,
        PaymentMethod::WechatPay,
        PaymentMethod::Instalments3,
        PaymentMethod::Instalments6,
        PaymentMethod::Instalments12,
        PaymentMethod::PayLater,
    ];

    /// Stable name for storage and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::Alipay => "alipay",
            PaymentMethod::WechatPay => "wechat_pay",
            PaymentMethod::Instalments3 => "instalments_3",
            PaymentMethod::Instalments6 => "instalments_6",
            PaymentMethod::Instalments12 => "instalments_12",
            PaymentMethod::PayLater => "pay_later",
        }
    }

    /// The method's name for the UI.
    pub fn label_key(self) -> PaymentsText {
        match self {
            PaymentMethod::Card => PaymentsText::PaymentCard,
            PaymentMethod::Alipay => PaymentsText::PaymentAlipay,
            PaymentMethod::WechatPay => PaymentsText::PaymentWechatPay,
            PaymentMethod::Instalments3 => PaymentsText::PaymentInstalments3,
            PaymentMethod::Instalments6 => PaymentsText::PaymentInstalments6,
            PaymentMethod::Instalments12 => PaymentsText::PaymentInstalments12,
            PaymentMethod::PayLater => PaymentsText::PaymentPayLater,
        }
    }

    /// Monthly payments of an instalment plan.
    pub fn instalments(self) -> Option<i64> {
        match self {
            PaymentMethod::Instalments3 => Some(3),
            PaymentMethod::Instalments6 => Some(6),
            PaymentMethod::Instalments12 => Some(12),
            _ => None,
        }
    }

    /// The plan's fee in basis points of the order (added by `pricing::price`, shown
    /// before paying): the provider's charge for credit, passed on at cost.
    pub fn fee_bp(self) -> i64 {
        match self {
            PaymentMethod::Instalments3 => 250,
            PaymentMethod::Instalments6 => 450,
            PaymentMethod::Instalments12 => 790,
            _ => 0,
        }
    }

    /// The money is taken when the parcel ships, not when the order is placed.
    pub fn captures_at_dispatch(self) -> bool {
        self == PaymentMethod::PayLater
    }

    /// Wallets need no card token: the shopper approves in the wallet app.
    pub fn is_wallet(self) -> bool {
        matches!(self, PaymentMethod::Alipay | PaymentMethod::WechatPay)
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// An instalment plan's monthly amounts: equal parts of `total`, the first taking the
/// pennies left over, so they add up to the total exactly.
pub fn instalment_schedule(total_minor: i64, months: i64) -> Vec<i64> {
    if months <= 0 {
        return Vec::new();
    }
    let base = total_minor / months;
    let rest = total_minor - base * months;
    (0..months)
        .map(|i| if i == 0 { base + rest } else { base })
        .collect()
}

/// Where a payment stands, as the provider reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    /// Money held on the card, not yet taken.
    Authorised,
    /// Money taken.
    Captured,
    /// Refused (the reason is in the outcome).
    Declined,
    /// The shopper must do something first (a 3-D Secure challenge): see `next_action_url`.
    RequiresAction,
    /// Waiting for the shopper elsewhere (a wallet app); the provider reports the result.
    Pending,
    /// An authorisation released without taking money.
    Voided,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 7] = [
        PaymentStatus::Authorised,
        PaymentStatus::Captured,
        PaymentStatus::Declined,
        PaymentStatus::RequiresAction,
        PaymentStatus::Pending,
        PaymentStatus::Voided,
        PaymentStatus::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Authorised => "authorised",
            PaymentStatus::Captured => "captured",
            PaymentStatus::Declined => "declined",
            PaymentStatus::RequiresAction => "requires_action",
            PaymentStatus::Pending => "pending",
            PaymentStatus::Voided => "voided",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Why a provider refused a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeclineReason {
    CardDeclined,
    InsufficientFunds,
    /// The token is unknown, expired or already used up.
    InvalidToken,
}

impl DeclineReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::CardDeclined => "card_declined",
            DeclineReason::InsufficientFunds => "insufficient_funds",
            DeclineReason::InvalidToken => "invalid_token",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            DeclineReason::CardDeclined,
            DeclineReason::InsufficientFunds,
            DeclineReason::InvalidToken,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A card token from the provider's tokenisation endpoint (never the card number).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_add_up_to_the_total() {
        assert_eq!(instalment_schedule(1_000, 3), vec![334, 333, 333]);
        for total in [0, 1, 99, 12_345, 1_000_001] {
            for months in [3, 6, 12] {
                let s = instalment_schedule(total, months);
                assert_eq!(s.len() as i64, months);
                assert_eq!(s.iter().sum::<i64>(), total);
                assert!(s.iter().all(|m| *m >= 0));
            }
        }
    }

    #[test]
    fn methods_round_trip_and_only_plans_have_fees() {
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
            assert_eq!(m.fee_bp() > 0, m.instalments().is_some(), "{m:?}");
        }
    }
}
