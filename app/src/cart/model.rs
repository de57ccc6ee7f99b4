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
    /// The price the shopper saw when they last changed this line, when it differs from
    /// today's: shown, never silently applied.
    pub price_was_minor: Option<i64>,
}

impl CartLine {
    /// More in the cart than the shop has now.
    pub fn over_stock(&self) -> bool {
        self.quantity > self.product.stock
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    /// The basket: what checkout buys.
    pub lines: Vec<CartLine>,
    /// Lines kept for later, not bought and not counted.
    pub saved: Vec<CartLine>,
    pub item_count: i64,
    pub subtotal_minor: i64,
}

impl Cart {
    /// Lines whose price or stock changed since the shopper last touched them.
    pub fn changed_lines(&self) -> impl Iterator<Item = &CartLine> {
        self.lines
            .iter()
            .filter(|l| l.price_was_minor.is_some() || l.over_stock())
    }
}
