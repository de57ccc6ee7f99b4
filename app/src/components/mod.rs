//! Components shared across domains.
pub mod errors;
pub mod product_card;
pub mod visible;
