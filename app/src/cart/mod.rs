//! Server-side carts for guests and members, merged on sign-in.
//! `model` holds the types on the wire, `service` the domain logic (server only), `api` the
//! server functions, `pages` the cart page and `mini_cart` the header's cart link.

pub mod api;
pub mod mini_cart;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
