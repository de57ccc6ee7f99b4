//! The shared UI kit: components and helpers used by the pages of more than one domain
//! (and by the header). A module here may use any domain's `api` and `model`, never a
//! domain's pages; pages use these rather than each other.
pub mod add_to_cart;
pub mod cart_version;
pub mod errors;
pub mod forms;
pub mod navigation;
pub mod order_state;
pub mod product_card;
pub mod session;
pub mod status;
pub mod visible;
