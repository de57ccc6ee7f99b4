//! The catalogue: categories, product listings, product pages.
pub mod api;
#[cfg(feature = "ssr")]
pub mod feeds;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod query;
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
pub mod taxonomy;
pub mod text;

/// Limits shared by the browser and the server.
pub mod service_limits {
    /// Favourites kept in the browser, and codes accepted by `products_by_codes`.
    pub const MAX_FAVOURITES: usize = 200;
}
