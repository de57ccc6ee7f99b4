//! Catalogue types shared by the server and the browser (they cross the wire as JSON).

use serde::{Deserialize, Serialize};

/// Money is always an integer number of minor units (pence); formatting happens at the edge.
pub type Minor = i64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySummary {
    pub slug: String,
    pub product_count: i64,
}

/// What a product tile needs: kept small because lists ship many of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub code: String,
    pub title: String,
    pub category: String,
    pub price_minor: Minor,
    pub stock: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub card: ProductCard,
    pub description: String,
    /// Units sold in the order history (drives "popularity").
    pub units_sold: i64,
    /// Distinct orders that contained the product.
    pub order_count: i64,
    /// Unix seconds of the first sale: "new arrivals" sort by it.
    pub first_sold_at: i64,
    pub also_bought: Vec<ProductCard>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    #[default]
    Popular,
    PriceAsc,
    PriceDesc,
    Newest,
}

impl SortOrder {
    pub const ALL: [SortOrder; 4] = [
        SortOrder::Popular,
        SortOrder::PriceAsc,
        SortOrder::PriceDesc,
        SortOrder::Newest,
    ];

    pub fn as_param(self) -> &'static str {
        match self {
            SortOrder::Popular => "popular",
            SortOrder::PriceAsc => "price-asc",
            SortOrder::PriceDesc => "price-desc",
            SortOrder::Newest => "newest",
        }
    }

    pub fn from_param(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_param() == s)
    }
}

/// A validated listing request. Build it with [`ProductQuery::parse`] so that an invalid
/// one cannot exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductQuery {
    pub category: String,
    pub sort: SortOrder,
    pub min_price: Option<Minor>,
    pub max_price: Option<Minor>,
    pub in_stock_only: bool,
    /// 1-based.
    pub page: u32,
}

pub const PAGE_SIZE: u32 = 24;
/// Deep pages are pointless for a shopper and a cheap way to make the database work hard.
pub const MAX_PAGE: u32 = 1000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPage {
    pub items: Vec<ProductCard>,
    pub page: u32,
    pub total: i64,
}

impl ProductPage {
    pub fn page_count(&self) -> u32 {
        ((self.total.max(0) as u64).div_ceil(PAGE_SIZE as u64)) as u32
    }
    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }
}

/// Home page feeds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeFeeds {
    pub categories: Vec<CategorySummary>,
    pub best_sellers: Vec<ProductCard>,
    pub new_arrivals: Vec<ProductCard>,
    pub recommended: Vec<ProductCard>,
    /// True when `recommended` was chosen from this member's own orders and favourites
    /// (only with their personalisation consent).
    #[serde(default)]
    pub personalised: bool,
}
