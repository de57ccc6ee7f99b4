//! Why a cart change is refused, as data, put into words where it is shown
//! ([`CartRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CartRefusal {
    /// Adding: the quantity is outside 1..=max.
    QuantityToAdd {
        max: i64,
    },
    /// Setting: the quantity is outside 0..=max (0 removes).
    QuantityToSet {
        max: i64,
    },
    TooManyLines {
        max: usize,
    },
    /// One product: at most `max`, and the cart already holds `in_cart`.
    TooManyOfOne {
        max: i64,
        in_cart: i64,
    },
    OutOfStock {
        title: String,
    },
    /// Only `stock` left; `in_cart` of it in the cart already (0: none).
    NotEnoughStock {
        title: String,
        stock: i64,
        in_cart: i64,
    },
    LineMissing,
}

impl CartRefusal {
    pub fn message(&self, locale: Locale) -> String {
        use CartRefusal::*;
        match self {
            QuantityToAdd { max } => say!(
                locale,
                "Choose a quantity from 1 to {max}.",
                "请选择 1 到 {max} 之间的数量。"
            ),
            QuantityToSet { max } => say!(
                locale,
                "Choose a quantity from 0 to {max} (0 removes the product).",
                "请选择 0 到 {max} 之间的数量（0 表示移除该商品）。"
            ),
            TooManyLines { max } => say!(
                locale,
                "A cart holds at most {max} different products. Remove some first.",
                "购物车最多可放 {max} 种商品。请先移除一些。"
            ),
            TooManyOfOne { max, in_cart } => say!(
                locale,
                "You can buy at most {max} of one product; your cart already holds {in_cart}.",
                "同一商品最多可购买 {max} 件；你的购物车中已有 {in_cart} 件。"
            ),
            OutOfStock { title } => say!(
                locale,
                "Sorry, “{title}” is out of stock.",
                "抱歉，“{title}”已售罄。"
            ),
            NotEnoughStock {
                title,
                stock,
                in_cart: 0,
            } => say!(
                locale,
                "Only {stock} of “{title}” are in stock.",
                "“{title}”仅剩 {stock} 件库存。"
            ),
            NotEnoughStock {
                title,
                stock,
                in_cart,
            } => say!(
                locale,
                "Only {stock} of “{title}” are in stock; your cart already holds {in_cart}.",
                "“{title}”仅剩 {stock} 件库存；你的购物车中已有 {in_cart} 件。"
            ),
            LineMissing => say!(
                locale,
                "That product is not in your cart any more.",
                "该商品已不在你的购物车中。"
            ),
        }
    }
}

impl From<CartRefusal> for crate::error::Refusal {
    fn from(r: CartRefusal) -> Self {
        crate::error::Refusal::Cart(r)
    }
}
