//! Payments: the methods a shopper can choose and the statuses a provider reports, shared
//! by server and browser. The provider itself is behind the `PaymentGateway` port
//! (`crate::ports`, server only); the server ships a simulated one
//! (`server/src/payments/simulated.rs`).
//!
//! Card numbers never reach the shop: the card form posts them to the provider, which
//! answers with a token (`tok_…`); the shop only ever sees and stores tokens and the
//! provider's references.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod service;

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
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Card,
        PaymentMethod::Alipay,
        PaymentMethod::WechatPay,
    ];

    /// Stable name for storage and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::Alipay => "alipay",
            PaymentMethod::WechatPay => "wechat_pay",
        }
    }

    /// The method's name for the UI.
    pub fn label_key(self) -> crate::i18n::Key {
        use crate::i18n::Key;
        match self {
            PaymentMethod::Card => Key::PaymentCard,
            PaymentMethod::Alipay => Key::PaymentAlipay,
            PaymentMethod::WechatPay => Key::PaymentWechatPay,
        }
    }

    /// Wallets need no card token: the shopper approves in the wallet app.
    pub fn is_wallet(self) -> bool {
        matches!(self, PaymentMethod::Alipay | PaymentMethod::WechatPay)
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
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
