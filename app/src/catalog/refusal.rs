//! Why a catalogue request is refused, as data, put into words where it is shown
//! ([`CatalogRefusal::message`]).

use serde::{Deserialize, Serialize};

use crate::i18n::{say, Locale};

/// Which end of a price filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceBound {
    Min,
    Max,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CatalogRefusal {
    /// No product has this code (None: the code cannot be one).
    NoSuchProduct {
        code: Option<String>,
    },
    NoSuchCategory {
        category: String,
    },
    /// A price filter that is not an amount in pounds (`given` cut to 40 characters).
    PriceInvalid {
        bound: PriceBound,
        given: String,
    },
    PriceRangeInverted,
    SortUnknown {
        given: String,
    },
    AvailabilityUnknown {
        given: String,
    },
    PageOutOfRange {
        max: u32,
    },
    PageNotNumber {
        given: String,
    },
    TooManyCodes {
        max: usize,
    },
}

impl CatalogRefusal {
    pub fn message(&self, locale: Locale) -> String {
        use CatalogRefusal::*;
        match self {
            NoSuchProduct { code: None } => say!(
                locale,
                "There is no product with that code.",
                "没有该编号的商品。"
            ),
            NoSuchProduct { code: Some(code) } => say!(
                locale,
                "There is no product with the code {code}.",
                "没有编号为 {code} 的商品。"
            ),
            NoSuchCategory { category } => say!(
                locale,
                "There is no category \"{category}\".",
                "没有“{category}”这个分类。"
            ),
            PriceInvalid {
                bound: PriceBound::Min,
                given,
            } => say!(
                locale,
                "The minimum price \"{given}\" is not an amount in pounds, such as 12.50.",
                "最低价“{given}”不是以英镑计的金额，例如 12.50。"
            ),
            PriceInvalid {
                bound: PriceBound::Max,
                given,
            } => say!(
                locale,
                "The maximum price \"{given}\" is not an amount in pounds, such as 12.50.",
                "最高价“{given}”不是以英镑计的金额，例如 12.50。"
            ),
            PriceRangeInverted => say!(
                locale,
                "The minimum price is above the maximum price.",
                "最低价高于最高价。"
            ),
            SortUnknown { given } => say!(
                locale,
                "Unknown sort order \"{given}\"; use popular, price-asc, price-desc or newest.",
                "未知的排序方式“{given}”；请使用 popular、price-asc、price-desc 或 newest。"
            ),
            AvailabilityUnknown { given } => say!(
                locale,
                "Unknown availability \"{given}\"; use in or all.",
                "未知的库存筛选“{given}”；请使用 in 或 all。"
            ),
            PageOutOfRange { max } => say!(
                locale,
                "Page numbers run from 1 to {max}.",
                "页码范围为 1 到 {max}。"
            ),
            PageNotNumber { given } => say!(
                locale,
                "The page \"{given}\" is not a number.",
                "页码“{given}”不是数字。"
            ),
            TooManyCodes { max } => say!(
                locale,
                "At most {max} products can be fetched at once.",
                "一次最多可获取 {max} 件商品。"
            ),
        }
    }
}

impl From<CatalogRefusal> for crate::error::Refusal {
    fn from(r: CatalogRefusal) -> Self {
        crate::error::Refusal::Catalog(r)
    }
}
