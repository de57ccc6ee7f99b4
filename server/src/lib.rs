//! Emporium's server: configuration, storage, the HTTP router and start-up work. The
//! pages and server functions themselves live in the `app` crate; this crate provides the
//! adapters they need (stores, search index) and serves them with axum.

pub mod account_export;
pub mod carrier;
pub mod config;
pub mod http_extras;
pub mod images;
pub mod page_cache;
pub mod payments;
pub mod router;
pub mod search;
pub mod security;
pub mod seed;
pub mod startup;
pub mod storage;
