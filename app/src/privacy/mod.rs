//! The privacy centre: consent settings, data export, account deletion, and the notice.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod refusal;
pub mod text;

#[cfg(feature = "ssr")]
pub mod service;
