//! Cart types on the wire.

use serde::{Deserialize, Serialize};

use crate::catalog::model::ProductCard;

/// Most of one product a cart may hold (and never more than the stock).
pub const MAX_QUANTITY: i64 = 99;

/// Whose cart: a member's, or a guest session's. Orders remember who placed them the
/// same way (a repeat of a placement must come from the same owner).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CartOwner {
    Account(i64),
    /// The guest session's public id.
    Guest(String),
}

impl CartOwner {
    pub fn guest(session_public_id: &str) -> Self {
        CartOwner::Guest(session_public_id.to_string())
    }

    /// As stored: `a:<customer id>` or `s:<session public id>`.
    pub fn key(&self) -> String {
        match self {
            CartOwner::Account(id) => format!("a:{id}"),
            CartOwner::Guest(public_id) => format!("s:{public_id}"),
        }
    }

    /// The owner a stored key names; None for anything else (an erased account's orders
    /// keep no owner).
    pub fn parse(key: &str) -> Option<Self> {
        match key.split_once(':')? {
            ("a", id) => id.parse().ok().map(CartOwner::Account),
            ("s", public_id) if !public_id.is_empty() => Some(CartOwner::guest(public_id)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod owner_tests {
    use super::CartOwner;

    #[test]
    fn keys_round_trip_and_nothing_else_parses() {
        for owner in [CartOwner::Account(7), CartOwner::guest("abc")] {
            assert_eq!(CartOwner::parse(&owner.key()), Some(owner));
        }
        for key in ["erased", "a:", "a:x", "s:", "e:x@y.z", ""] {
            assert_eq!(CartOwner::parse(key), None, "{key}");
        }
    }
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
