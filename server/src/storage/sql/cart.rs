//! The statements of carts (the basket and lines saved for later).

/// The basket: lines not saved for later.
pub const CART: &str = "SELECT product_code, quantity FROM cart_items WHERE owner = $1 AND saved = 0 ORDER BY added_at, product_code";
pub const CART_DETAILS: &str = "SELECT product_code, quantity, saved, price_seen_minor FROM cart_items WHERE owner = $1 ORDER BY added_at, product_code";
/// `CART_DETAILS` with each line's product (`sql::CARD_COLUMNS`), in the same order.
pub const CART_WITH_PRODUCTS: &str = "SELECT c.product_code, c.quantity, c.saved, c.price_seen_minor, \
     p.title, p.category, p.price_minor, p.stock FROM cart_items c JOIN products p ON p.code = c.product_code \
     WHERE c.owner = $1 ORDER BY c.added_at, c.product_code";
/// A change by the shopper: the line is in the basket (not saved for later) and the price
/// they see now is remembered.
pub const CART_SET: &str =
    "INSERT INTO cart_items (owner, product_code, quantity, added_at, price_seen_minor) \
     VALUES ($1, $2, $3, $4, (SELECT price_minor FROM products WHERE code = $2)) \
     ON CONFLICT (owner, product_code) DO UPDATE SET quantity = excluded.quantity, saved = 0, \
     price_seen_minor = excluded.price_seen_minor";
pub const CART_SAVE: &str =
    "UPDATE cart_items SET saved = $3 WHERE owner = $1 AND product_code = $2";
pub const CART_REMOVE: &str = "DELETE FROM cart_items WHERE owner = $1 AND product_code = $2";
pub const CART_MERGE: &str = "INSERT INTO cart_items (owner, product_code, quantity, added_at, saved, price_seen_minor) \
     SELECT $2, product_code, quantity, added_at, saved, price_seen_minor FROM cart_items WHERE owner = $1 \
     ON CONFLICT (owner, product_code) DO UPDATE SET quantity = CASE \
     WHEN cart_items.quantity + excluded.quantity > $3 THEN $3 \
     ELSE cart_items.quantity + excluded.quantity END";
pub const CART_CLEAR: &str = "DELETE FROM cart_items WHERE owner = $1";
