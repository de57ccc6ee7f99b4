//! The interfaces the domain needs from the outside world (hexagonal "ports"), one per
//! domain next to its service (`<domain>/port.rs`): `catalog::port::CatalogStore`,
//! `search::port::SearchEngine`, `accounts::port::{AccountStore, ProfileStore}`,
//! `cart::port::CartStore`, `privacy::port::PrivacyStore`,
//! `orders::port::{OrderStore, ShipmentStore}`, `payments::port::{PaymentStore,
//! PaymentGateway}`. The server crate provides the adapters (a SQLite and a PostgreSQL
//! store, a tantivy index, the simulated provider). Domain functions ask for the ports they
//! use, so tests can hand them a real store directly; `ShopStore` is all the stores as one
//! object, what the server's stores implement.

use crate::accounts::port::{AccountStore, ProfileStore};
use crate::cart::port::CartStore;
use crate::catalog::port::CatalogStore;
use crate::orders::port::{OrderStore, ShipmentStore};
use crate::payments::port::PaymentStore;
use crate::privacy::port::PrivacyStore;

/// Everything the shop keeps, as one object: the server's stores implement all of it.
pub trait ShopStore:
    CatalogStore
    + AccountStore
    + ProfileStore
    + CartStore
    + PrivacyStore
    + OrderStore
    + PaymentStore
    + ShipmentStore
{
}
impl<T> ShopStore for T where
    T: CatalogStore
        + AccountStore
        + ProfileStore
        + CartStore
        + PrivacyStore
        + OrderStore
        + PaymentStore
        + ShipmentStore
{
}
