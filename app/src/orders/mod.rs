//! Orders: the pure core — [`state`], the one order state machine (transition table,
//! guards on who may do what, idempotent repeats), and [`tracking`] (simulated carrier
//! scans, delay rules) — and what customers do with their orders after checkout: the
//! history, the detail page, the printable invoice, cancelling before shipping and
//! reordering, and after packing: staff pack and ship, carrier scans, tracking and the
//! notification centre (`shipping`, server only) ([`model`] on the wire, [`api`] server functions, [`service`] domain logic,
//! [`pages`]; the header's bell is [`bell`]).

pub mod api;
pub mod bell;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod shipping;
pub mod state;
pub mod text;
pub mod tracking;
