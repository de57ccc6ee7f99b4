//! Accounts: sign-up, sign-in, sessions, roles, profile, address book and devices.
//! `model` and `validate` are shared with the browser; `session`, `password`, `throttle`,
//! `guard` and `service` run on the server only; `api` holds the server functions and
//! `pages` the screens.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod refusal;
pub mod text;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
