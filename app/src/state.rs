//! What every request handler may use, in context: the stores, the search index, the
//! payment provider and the settings.

use std::sync::Arc;

use crate::ports::ShopStore;

use crate::error::AppResult;
use crate::payments::port::PaymentGateway;
use crate::search::port::SearchEngine;

/// Everything a request handler may use, provided to server functions through context.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ShopStore>,
    pub security: Arc<crate::accounts::session::SecurityConfig>,
    pub search: Arc<dyn SearchEngine>,
    pub feeds_cache: Arc<crate::catalog::feeds::FeedsCache>,
    pub payments: Arc<dyn PaymentGateway>,
    pub checkout: Arc<CheckoutConfig>,
    pub shipping: Arc<ShippingConfig>,
}

/// Shipping settings.
#[derive(Clone, Debug)]
pub struct ShippingConfig {
    /// The simulated carrier's time compression for new shipments: 1 is real time, 3600
    /// an hour of a parcel's journey per second (`EMPORIUM_CARRIER_SPEED`).
    pub carrier_speed: f64,
}

impl Default for ShippingConfig {
    fn default() -> Self {
        Self { carrier_speed: 1.0 }
    }
}

/// Checkout settings.
#[derive(Clone, Debug)]
pub struct CheckoutConfig {
    /// Unpaid orders older than this are cancelled and their stock released.
    pub unpaid_timeout_secs: i64,
}

impl Default for CheckoutConfig {
    fn default() -> Self {
        Self {
            unpaid_timeout_secs: crate::checkout::model::UNPAID_ORDER_TIMEOUT_SECS,
        }
    }
}

/// The state, from a server function or a component rendered on the server.
pub fn app_state() -> AppResult<AppState> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::internal("AppState missing from context"))
}

/// Current time in unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
