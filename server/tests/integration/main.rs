//! The integration tests: the real router on a fresh database per test, each test on SQLite
//! and PostgreSQL (`on_both_backends!`). One binary for all of them, so the server is linked
//! once; `cargo test -p server --features app/ssr --test integration <domain>::` runs one file.

#[macro_use]
mod support;

mod accounts;
mod cart;
mod catalog_store;
mod checkout;
mod completion;
mod crash_recovery;
mod hardening;
mod orders;
mod payments;
mod privacy;
mod routes;
mod sessions;
mod storefront;
mod stress;
mod tracking;
