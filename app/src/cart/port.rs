//! What carts need from storage.

use crate::cart::model::CartOwner;
use crate::catalog::model::ProductCard;
use crate::error::AppResult;

/// A stored cart line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCartLine {
    pub code: String,
    pub quantity: i64,
    pub saved: bool,
    /// The price when the shopper last changed the line (None for lines from before this
    /// was recorded).
    pub price_seen_minor: Option<i64>,
}

/// Server-side carts of guests and members.
#[async_trait::async_trait]
pub trait CartStore: Send + Sync + 'static {
    /// The basket's lines (not those saved for later): (product code, quantity), oldest
    /// first.
    async fn cart(&self, owner: &CartOwner) -> AppResult<Vec<(String, i64)>>;
    /// Every line, saved for later or not, with the price the shopper last saw.
    async fn cart_details(&self, owner: &CartOwner) -> AppResult<Vec<StoredCartLine>>;
    /// [`CartStore::cart_details`] with each line's product as it is today, in one
    /// statement; lines of products that left the catalogue are left out.
    async fn cart_with_products(
        &self,
        owner: &CartOwner,
    ) -> AppResult<Vec<(StoredCartLine, ProductCard)>>;
    /// Move a line to "saved for later" (or back, without touching its quantity); false
    /// when the owner has no such line.
    async fn set_cart_saved(&self, owner: &CartOwner, code: &str, saved: bool) -> AppResult<bool>;
    /// Set a line's quantity (0 removes it), back in the basket, remembering today's
    /// price as the one the shopper saw. Unknown products are refused by the caller.
    async fn set_cart_quantity(
        &self,
        owner: &CartOwner,
        code: &str,
        quantity: i64,
        now: i64,
    ) -> AppResult<()>;
    /// Move every line of `from` into `to`, adding quantities (capped at `max_quantity`).
    async fn merge_carts(
        &self,
        from: &CartOwner,
        to: &CartOwner,
        max_quantity: i64,
    ) -> AppResult<()>;
}
