//! Cart domain functions: plain async functions over the store, called by the server
//! functions in `api` and tested directly (server/tests/cart.rs).
//!
//! The store keeps only (product code, quantity) per owner; prices and stock are joined in
//! on every read, so a cart always shows today's price and a product that left the
//! catalogue drops out of it. Money is in integer minor units.
//!
//! A change reads the cart and then writes one line. Two concurrent changes by the same
//! shopper may both pass the stock check; checkout (a later issue) checks stock again
//! inside its transaction, so that race can never oversell.

use std::collections::HashMap;

use crate::cart::model::{Cart, CartLine, MAX_QUANTITY};
use crate::catalog::model::ProductCard;
use crate::catalog::service::check_code;
use crate::error::{AppError, AppResult};
use crate::i18n::{tr, Key};
use crate::ports::ShopStore;

/// Most different products one cart holds: a longer cart is a bug or an abuse.
pub const MAX_LINES: usize = 100;

/// The owner's cart with current prices and stock.
pub async fn view(store: &dyn ShopStore, owner: &str) -> AppResult<Cart> {
    let stored = store.cart_details(owner).await?;
    if stored.is_empty() {
        return Ok(Cart::default());
    }
    let codes: Vec<String> = stored.iter().map(|l| l.code.clone()).collect();
    let products: HashMap<String, ProductCard> = store
        .products_by_codes(&codes)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let mut cart = Cart::default();
    for stored in stored {
        // A product that has left the catalogue is no longer for sale.
        let Some(product) = products.get(&stored.code) else {
            continue;
        };
        let quantity = stored.quantity;
        let line = CartLine {
            product: product.clone(),
            quantity,
            line_total_minor: product.price_minor.saturating_mul(quantity),
            price_was_minor: stored
                .price_seen_minor
                .filter(|seen| *seen != product.price_minor),
        };
        if stored.saved {
            cart.saved.push(line);
            continue;
        }
        cart.item_count += quantity;
        cart.subtotal_minor = cart.subtotal_minor.saturating_add(line.line_total_minor);
        cart.lines.push(line);
    }
    Ok(cart)
}

/// Put `quantity` more of `code` into the cart.
pub async fn add(
    store: &dyn ShopStore,
    owner: &str,
    code: &str,
    quantity: i64,
    now: i64,
) -> AppResult<Cart> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::bad_request(format!(
            "Choose a quantity from 1 to {MAX_QUANTITY}."
        )));
    }
    let product = for_sale(store, code).await?;
    let stored = store.cart(owner).await?;
    let in_cart = stored
        .iter()
        .find(|(c, _)| *c == product.code)
        .map(|(_, q)| *q)
        .unwrap_or(0);
    if in_cart == 0 && stored.len() >= MAX_LINES {
        return Err(AppError::bad_request(format!(
            "A cart holds at most {MAX_LINES} different products. Remove some first."
        )));
    }
    let wanted = in_cart + quantity;
    if wanted > MAX_QUANTITY {
        return Err(AppError::bad_request(format!(
            "You can buy at most {MAX_QUANTITY} of one product; your cart already holds {in_cart}."
        )));
    }
    check_stock(&product, wanted, in_cart)?;
    store
        .set_cart_quantity(owner, &product.code, wanted, now)
        .await?;
    view(store, owner).await
}

/// Set the quantity of `code` in the cart; 0 removes the line.
pub async fn set_quantity(
    store: &dyn ShopStore,
    owner: &str,
    code: &str,
    quantity: i64,
    now: i64,
) -> AppResult<Cart> {
    if !(0..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::bad_request(format!(
            "Choose a quantity from 0 to {MAX_QUANTITY} (0 removes the product)."
        )));
    }
    if quantity == 0 {
        // Removing works even for a product that has left the catalogue.
        let code = check_code(code)?;
        store.set_cart_quantity(owner, code, 0, now).await?;
        return view(store, owner).await;
    }
    let product = for_sale(store, code).await?;
    let stored = store.cart(owner).await?;
    let in_cart = stored.iter().any(|(c, _)| *c == product.code);
    if !in_cart && stored.len() >= MAX_LINES {
        return Err(AppError::bad_request(format!(
            "A cart holds at most {MAX_LINES} different products. Remove some first."
        )));
    }
    check_stock(&product, quantity, 0)?;
    store
        .set_cart_quantity(owner, &product.code, quantity, now)
        .await?;
    view(store, owner).await
}

/// Keep a basket line for later: it leaves the basket (and checkout) but stays in the cart.
pub async fn save_for_later(store: &dyn ShopStore, owner: &str, code: &str) -> AppResult<Cart> {
    let code = check_code(code)?;
    if !store.set_cart_saved(owner, code, true).await? {
        return Err(AppError::not_found(tr(Key::MsgCartLineMissing)));
    }
    view(store, owner).await
}

/// Bring a saved line back into the basket, as much of it as is in stock now.
pub async fn move_to_basket(
    store: &dyn ShopStore,
    owner: &str,
    code: &str,
    now: i64,
) -> AppResult<Cart> {
    let code = check_code(code)?;
    let line = store
        .cart_details(owner)
        .await?
        .into_iter()
        .find(|l| l.code == code && l.saved)
        .ok_or_else(|| AppError::not_found(tr(Key::MsgCartLineMissing)))?;
    let product = for_sale(store, code).await?;
    check_stock(&product, line.quantity.min(product.stock.max(1)), 0)?;
    store
        .set_cart_quantity(owner, code, line.quantity.min(product.stock), now)
        .await?;
    view(store, owner).await
}

/// The product, if it exists; NotFound otherwise.
async fn for_sale(store: &dyn ShopStore, code: &str) -> AppResult<ProductCard> {
    let code = check_code(code)?;
    store
        .products_by_codes(&[code.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found(format!("There is no product with the code {code}.")))
}

fn check_stock(product: &ProductCard, wanted: i64, in_cart: i64) -> AppResult<()> {
    if product.stock <= 0 {
        return Err(AppError::bad_request(format!(
            "Sorry, “{}” is out of stock.",
            product.title
        )));
    }
    if wanted > product.stock {
        let held = if in_cart > 0 {
            format!("; your cart already holds {in_cart}")
        } else {
            String::new()
        };
        return Err(AppError::bad_request(format!(
            "Only {} of “{}” are in stock{held}.",
            product.stock, product.title
        )));
    }
    Ok(())
}
