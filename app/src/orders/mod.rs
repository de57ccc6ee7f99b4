//! Orders. For now the pure core: [`state`], the one order state machine (transition
//! table, guards on who may do what, idempotent repeats), and [`tracking`] (simulated
//! carrier scans, delay rules). Storage, pages and server
//! functions build on it.

pub mod state;
pub mod tracking;
