//! Catalogue search: the page, the header search box with suggestions, and their server
//! functions. The engine itself (tantivy) lives in the server crate behind `SearchEngine`.
pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod port;
pub mod refusal;
pub mod search_box;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
