//! Cart types on the wire.

use serde::{Deserialize, Serialize};

use crate::catalog::model::ProductCard;

/// Most of one product a cart may hold (and never more than the stock).
pub const MAX_QUANTITY: i64 = 99;

/// Cart owner key of a member.
pub fn account_owner(customer_id: i64) -> String {
    format!("a:{customer_id}")
}

/// Cart owner key of a guest session.
pub fn guest_owner(session_public_id: &str) -> String {
    format!("s:{session_public_id}")
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: ProductCard,
    pub quantity: i64,
    /// product price × quantity, in minor units.
    pub line_total_minor: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    pub item_count: i64,
    pub subtotal_minor: i64,
}
