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
use crate::ports::ShopStore;

/// Most different products one cart holds: a longer cart is a bug or an abuse.
pub const MAX_LINES: usize = 100;

/// The owner's cart with current prices and stock.
pub async fn view(store: &dyn ShopStore, owner: &str) -> AppResult<Cart> {
    let stored = store.cart(owner).await?;
    if stored.is_empty() {
        return Ok(Cart::default());
    }
    let codes: Vec<String> = stored.iter().map(|(code, _)| code.clone()).collect();
    let products: HashMap<String, ProductCard> = store
        .products_by_codes(&codes)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let mut cart = Cart::default();
    for (code, quantity) in stored {
        // A product that has left the catalogue is no longer for sale.
        let Some(product) = products.get(&code) else {
            continue;
        };
        let line_total_minor = product.price_minor.saturating_mul(quantity);
        cart.item_count += quantity;
        cart.subtotal_minor = cart.subtotal_minor.saturating_add(line_total_minor);
        cart.lines.push(CartLine {
            product: product.clone(),
            quantity,
            line_total_minor,
        });
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
