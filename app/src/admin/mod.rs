//! The back office. For now: staff look customers up, administrators set roles. Later
//! issues add orders, stock and analytics here.

pub mod api;
pub mod dispatch;
pub mod pages;
pub mod text;
