//! Payment providers (adapters of `app::payments::port::PaymentGateway`) and their HTTP routes.
//! Only a simulated provider for now: it behaves like a real one (tokens, declines,
//! challenges, idempotent captures) without any network.

pub mod ledger;
pub mod simulated;
pub mod webhook;
