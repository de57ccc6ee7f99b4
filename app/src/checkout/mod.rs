//! The pure core of checkout: what a basket costs ([`pricing`]), which coupons apply
//! ([`coupon`]) and what delivery costs and when it arrives ([`delivery`]).
//!
//! No storage, no clock, no UI: every function takes what it needs (the time as unix
//! seconds, counts of coupon uses) and is deterministic, so the cart page, the checkout
//! and the order record compute the same numbers. Money is `i64` minor units (pence),
//! rates are basis points; there are no floats anywhere.
//!
//! The flow the storage layer wires up:
//! 1. `delivery::quote(option, chosen_day, now, subtotal)` → fee;
//! 2. `coupon::check(coupon, subtotal, now, uses_total, uses_by_customer)` → effect
//!    (re-checked, with the use counts, inside the transaction that places the order);
//! 3. `pricing::price(&PricingInput { lines, delivery_fee_minor, adjustments, .. })` →
//!    the breakdown stored with the order.

pub mod api;
pub mod coupon;
pub mod delivery;
pub mod model;
pub mod pages;
pub mod pricing;
#[cfg(feature = "ssr")]
pub mod recovery;
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
