//! Catalogue pages: home, category listing, product.
pub mod category;
pub mod home;
pub mod product;
