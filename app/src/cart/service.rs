//! Cart domain functions: plain async functions over the store, called by the server
//! functions in `api` and tested directly (server/tests/integration/cart.rs).
//!
//! The store keeps only (product code, quantity) per owner; prices and stock are joined in
//! on every read, so a cart always shows today's price and a product that left the
//! catalogue drops out of it. Money is in integer minor units.
//!
//! A change reads the cart and then writes one line. Two concurrent changes by the same
//! shopper may both pass the stock check; checkout (a later issue) checks stock again
//! inside its transaction, so that race can never oversell.

use crate::cart::refusal::CartRefusal;
use crate::catalog::refusal::CatalogRefusal;
use std::collections::HashMap;

use crate::cart::model::{Cart, CartLine, CartOwner, MAX_QUANTITY};
use crate::cart::port::StoredCartLine;
use crate::catalog::model::ProductCard;
use crate::catalog::service::check_code;
use crate::checkout::pricing;
use crate::error::{AppError, AppResult};
use crate::ports::ShopStore;

/// Most different products one cart holds: a longer cart is a bug or an abuse.
pub const MAX_LINES: usize = 100;

/// The owner's cart with current prices and stock.
pub async fn view(store: &dyn ShopStore, owner: &CartOwner) -> AppResult<Cart> {
    // One statement: the lines with their products as they are today.
    let rows = store.cart_with_products(owner).await?;
    if rows.is_empty() {
        return Ok(Cart::default());
    }
    let mut products: HashMap<String, ProductCard> = HashMap::with_capacity(rows.len());
    let mut stored = Vec::with_capacity(rows.len());
    for (line, product) in rows {
        products.insert(product.code.clone(), product);
        stored.push(line);
    }
    Ok(assemble(stored, &products))
}

/// The cart from its stored lines and today's products. Line totals and the subtotal come
/// from the one pricing function's rule 1 (`pricing::line_total`, `pricing::goods_subtotal`),
/// the same arithmetic checkout charges.
fn assemble(stored: Vec<StoredCartLine>, products: &HashMap<String, ProductCard>) -> Cart {
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
            line_total_minor: pricing::line_total(product.price_minor, quantity),
            price_was_minor: stored
                .price_seen_minor
                .filter(|seen| *seen != product.price_minor),
        };
        if stored.saved {
            cart.saved.push(line);
            continue;
        }
        cart.item_count += quantity;
        cart.lines.push(line);
    }
    cart.subtotal_minor = pricing::goods_subtotal(
        cart.lines
            .iter()
            .map(|l| (l.product.price_minor, l.quantity)),
    );
    cart
}

/// Put `quantity` more of `code` into the cart.
pub async fn add(
    store: &dyn ShopStore,
    owner: &CartOwner,
    code: &str,
    quantity: i64,
    now: i64,
) -> AppResult<Cart> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::bad_request(CartRefusal::QuantityToAdd {
            max: MAX_QUANTITY,
        }));
    }
    let product = for_sale(store, code).await?;
    let stored = store.cart(owner).await?;
    let in_cart = stored
        .iter()
        .find(|(c, _)| *c == product.code)
        .map(|(_, q)| *q)
        .unwrap_or(0);
    if in_cart == 0 && stored.len() >= MAX_LINES {
        return Err(AppError::bad_request(CartRefusal::TooManyLines {
            max: MAX_LINES,
        }));
    }
    let wanted = in_cart + quantity;
    if wanted > MAX_QUANTITY {
        return Err(AppError::bad_request(CartRefusal::TooManyOfOne {
            max: MAX_QUANTITY,
            in_cart,
        }));
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
    owner: &CartOwner,
    code: &str,
    quantity: i64,
    now: i64,
) -> AppResult<Cart> {
    if !(0..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::bad_request(CartRefusal::QuantityToSet {
            max: MAX_QUANTITY,
        }));
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
        return Err(AppError::bad_request(CartRefusal::TooManyLines {
            max: MAX_LINES,
        }));
    }
    check_stock(&product, quantity, 0)?;
    store
        .set_cart_quantity(owner, &product.code, quantity, now)
        .await?;
    view(store, owner).await
}

/// Keep a basket line for later: it leaves the basket (and checkout) but stays in the cart.
pub async fn save_for_later(
    store: &dyn ShopStore,
    owner: &CartOwner,
    code: &str,
) -> AppResult<Cart> {
    let code = check_code(code)?;
    if !store.set_cart_saved(owner, code, true).await? {
        return Err(AppError::not_found(CartRefusal::LineMissing));
    }
    view(store, owner).await
}

/// Bring a saved line back into the basket, as much of it as is in stock now.
pub async fn move_to_basket(
    store: &dyn ShopStore,
    owner: &CartOwner,
    code: &str,
    now: i64,
) -> AppResult<Cart> {
    let code = check_code(code)?;
    let line = store
        .cart_details(owner)
        .await?
        .into_iter()
        .find(|l| l.code == code && l.saved)
        .ok_or_else(|| AppError::not_found(CartRefusal::LineMissing))?;
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
        .ok_or_else(|| {
            AppError::not_found(CatalogRefusal::NoSuchProduct {
                code: Some(code.to_string()),
            })
        })
}

fn check_stock(product: &ProductCard, wanted: i64, in_cart: i64) -> AppResult<()> {
    if product.stock <= 0 {
        return Err(AppError::bad_request(CartRefusal::OutOfStock {
            title: product.title.clone(),
        }));
    }
    if wanted > product.stock {
        return Err(AppError::bad_request(CartRefusal::NotEnoughStock {
            title: product.title.clone(),
            stock: product.stock,
            in_cart,
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkout::coupon::{self, Coupon, CouponKind};
    use crate::checkout::delivery::DeliveryOption;
    use crate::checkout::pricing::{self, Adjustment, PriceLine, PricingInput};
    use proptest::prelude::*;

    /// One stored line: its product's price, the quantity, saved for later, still listed.
    type Stored = (i64, i64, bool, bool, Option<i64>);

    fn basket(stored: &[Stored]) -> (Vec<StoredCartLine>, HashMap<String, ProductCard>) {
        let mut lines = Vec::new();
        let mut products = HashMap::new();
        for (i, (price, quantity, saved, listed, seen)) in stored.iter().enumerate() {
            let code = format!("P{i}");
            if *listed {
                products.insert(
                    code.clone(),
                    ProductCard {
                        code: code.clone(),
                        title: code.clone(),
                        category: "kitchen".into(),
                        price_minor: *price,
                        stock: 1_000,
                    },
                );
            }
            lines.push(StoredCartLine {
                code,
                quantity: *quantity,
                saved: *saved,
                price_seen_minor: *seen,
            });
        }
        (lines, products)
    }

    fn arb_stored() -> impl Strategy<Value = Stored> {
        (
            prop_oneof![
                0i64..=2_000,
                0i64..=200_000,
                Just(pricing::MAX_UNIT_PRICE_MINOR)
            ],
            1i64..=MAX_QUANTITY,
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.9),
            prop::option::of(0i64..=200_000),
        )
    }

    fn arb_coupon() -> impl Strategy<Value = Coupon> {
        let kind = prop_oneof![
            (1i64..=20_000).prop_map(|minor| CouponKind::FixedAmount { minor }),
            (1i64..=10_000).prop_map(|bp| CouponKind::Percentage { bp }),
            (1i64..=5_000, 0i64..=100_000).prop_map(|(off, extra)| CouponKind::SpendThreshold {
                min_spend_minor: off + extra,
                off_minor: off,
            }),
            prop::option::of(0i64..=100_000)
                .prop_map(|min_spend_minor| CouponKind::FreeDelivery { min_spend_minor }),
        ];
        (kind, prop::option::of(0i64..=200_000)).prop_map(|(kind, min_spend_minor)| Coupon {
            code: "SAVE".into(),
            kind,
            starts_at: None,
            ends_at: None,
            max_uses: None,
            max_uses_per_customer: None,
            min_spend_minor,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// The cart and the checkout agree on every basket, coupon or not: the cart's line
        /// totals and subtotal are what the checkout page lists, what the coupon's minimum
        /// spend and the delivery fee are measured on, and what the one pricing function
        /// prices.
        #[test]
        fn cart_and_checkout_agree(
            stored in prop::collection::vec(arb_stored(), 0..=MAX_LINES),
            coupon in prop::option::of(arb_coupon()),
            option in prop::sample::select(DeliveryOption::ALL.to_vec()),
        ) {
            let (lines, products) = basket(&stored);
            let cart = assemble(lines, &products);

            // What the cart shows adds up, and holds the basket only.
            let shown: i64 = cart.lines.iter().map(|l| l.line_total_minor).sum();
            prop_assert_eq!(shown, cart.subtotal_minor);
            let expected: Vec<(i64, i64)> = stored
                .iter()
                .filter(|(_, _, saved, listed, _)| !saved && *listed)
                .map(|(p, q, ..)| (*p, *q))
                .collect();
            prop_assert_eq!(cart.lines.len(), expected.len());
            prop_assert_eq!(cart.item_count, expected.iter().map(|(_, q)| q).sum::<i64>());

            // The checkout, as `checkout::service::price_basket` does it.
            let price_lines: Vec<PriceLine> = cart.lines.iter().map(PriceLine::from).collect();
            let checkout_subtotal = pricing::lines_subtotal(&price_lines);
            prop_assert_eq!(checkout_subtotal, cart.subtotal_minor);
            let effect = coupon
                .as_ref()
                .and_then(|c| coupon::check(c, checkout_subtotal, 0, 0, 0).ok());
            let fee = option.fee_minor(checkout_subtotal);
            let b = pricing::price(&PricingInput {
                lines: price_lines,
                delivery_fee_minor: fee,
                adjustments: effect.into_iter().map(Adjustment::Coupon).collect(),
                ..Default::default()
            })
            .unwrap();
            prop_assert_eq!(b.subtotal_minor, cart.subtotal_minor);
            prop_assert_eq!(b.lines.len(), cart.lines.len());
            for (c, p) in cart.lines.iter().zip(&b.lines) {
                prop_assert_eq!(c.line_total_minor, p.line_total_minor);
                // The checkout page's review lists each line the same way.
                prop_assert_eq!(pricing::line_total(c.product.price_minor, c.quantity), p.line_total_minor);
            }
            // The coupon's verdict on the cart's subtotal is the checkout's, and so is the
            // delivery fee (free standard delivery from £50).
            if let Some(c) = &coupon {
                prop_assert_eq!(
                    coupon::check(c, cart.subtotal_minor, 0, 0, 0).is_ok(),
                    coupon::check(c, b.subtotal_minor, 0, 0, 0).is_ok()
                );
            }
            prop_assert_eq!(option.fee_minor(cart.subtotal_minor), b.delivery_fee_minor);
            prop_assert_eq!(
                b.total_minor,
                cart.subtotal_minor - b.goods_discount_minor + b.delivery_minor + b.payment_fee_minor
            );
        }
    }

    #[test]
    fn saved_and_delisted_lines_are_not_in_the_subtotal() {
        let (lines, products) = basket(&[
            (1_250, 2, false, true, None),
            (99_999, 1, true, true, None),
            (5_000, 3, false, false, None),
            (123_450, 1, false, true, Some(100)),
        ]);
        let cart = assemble(lines, &products);
        assert_eq!(cart.subtotal_minor, 2_500 + 123_450);
        assert_eq!(cart.item_count, 3);
        assert_eq!(cart.saved.len(), 1);
        assert_eq!(cart.lines[1].price_was_minor, Some(100));
    }
}
