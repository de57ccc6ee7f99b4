//! The privacy centre: consent settings, data export, account deletion, and the notice.

pub mod api;
pub mod model;
pub mod pages;
pub mod refusal;

#[cfg(feature = "ssr")]
pub mod service;
