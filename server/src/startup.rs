//! Start-up: open the database, migrate it, seed it on request, build the search index.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::accounts::model::Role;
use app::accounts::session::SecurityConfig;
use app::catalog::feeds::FeedsCache;
use app::state::{AppState, CheckoutConfig, ShippingConfig};

use crate::search::CatalogSearch;
use crate::seed::format::SeedData;
use crate::storage::{self, StorageError, Store};

/// How long an instance reuses the home feeds before asking the database again.
pub const FEEDS_TTL: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Search(app::error::AppError),
}

/// The demo shopper, created only when the shop starts with demo data (README names it).
pub const DEMO_EMAIL: &str = "demo@emporium.test";
pub const DEMO_PASSWORD: &str = "plum-harbour-7319";

/// Open and migrate the database; with `demo`, seed it when it has no products yet.
pub async fn open_store(database_url: &str, demo: bool) -> Result<Arc<dyn Store>, StartupError> {
    let store = storage::connect(database_url).await?;
    store.migrate().await?;
    if demo && store.product_count().await? == 0 {
        let started = Instant::now();
        let seed = SeedData::embedded();
        let report = store.import_seed(&seed, app::state::now()).await?;
        tracing::info!(?report, elapsed = ?started.elapsed(), "seeded the demo data");
    }
    if demo
        && store
            .account_by_email(DEMO_EMAIL)
            .await
            .map_err(StartupError::Search)?
            .is_none()
    {
        app::accounts::service::provision(
            &*store,
            DEMO_EMAIL,
            "Demo Shopper",
            DEMO_PASSWORD,
            Role::Customer,
            None,
            app::state::now(),
        )
        .await
        .map_err(StartupError::Search)?;
        tracing::info!("demo shopper {DEMO_EMAIL} can sign in (password in the README)");
    }
    if demo {
        for coupon in demo_coupons() {
            if store
                .coupon(&coupon.code)
                .await
                .map_err(StartupError::Search)?
                .is_none()
            {
                store
                    .save_coupon(&coupon, app::state::now())
                    .await
                    .map_err(StartupError::Search)?;
            }
        }
    }
    Ok(store)
}

/// The demo shop's coupons (the README lists them), one of each kind.
pub fn demo_coupons() -> Vec<app::checkout::coupon::Coupon> {
    use app::checkout::coupon::{Coupon, CouponKind};
    let coupon = |code: &str, kind, max_uses_per_customer| Coupon {
        code: code.to_string(),
        kind,
        starts_at: None,
        ends_at: None,
        max_uses: None,
        max_uses_per_customer,
        min_spend_minor: None,
    };
    vec![
        coupon("WELCOME10", CouponKind::Percentage { bp: 1000 }, Some(1)),
        coupon("TAKE5", CouponKind::FixedAmount { minor: 500 }, None),
        coupon(
            "SPEND50SAVE5",
            CouponKind::SpendThreshold {
                min_spend_minor: 5000,
                off_minor: 500,
            },
            None,
        ),
        coupon(
            "FREESHIP",
            CouponKind::FreeDelivery {
                min_spend_minor: None,
            },
            None,
        ),
    ]
}

/// The state every request sees. The search index is derived from the store, so any
/// number of instances can each build their own.
pub async fn app_state(store: Arc<dyn Store>) -> Result<AppState, StartupError> {
    let products = store.all_products().await.map_err(StartupError::Search)?;
    let search = CatalogSearch::build(&products).map_err(StartupError::Search)?;
    Ok(AppState {
        store: store.clone(),
        security: Arc::new(SecurityConfig::default()),
        search: Arc::new(search),
        feeds_cache: Arc::new(FeedsCache::new(FEEDS_TTL)),
        payments: Arc::new(crate::payments::simulated::SimulatedGateway::with_ledger(
            store.sim_ledger(),
        )),
        checkout: Arc::new(checkout_config()),
        shipping: Arc::new(shipping_config()),
    })
}

/// Delete expired sessions every 10 minutes. Safe with several instances: each runs one
/// idempotent DELETE.
pub fn spawn_session_purge(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            let now = app::state::now();
            let c = &state.security;
            match state
                .store
                .purge_sessions(
                    now - c.member_idle_secs,
                    now - c.member_absolute_secs,
                    now - c.guest_idle_secs,
                )
                .await
            {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "purged expired sessions"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
        }
    });
}

/// Shipping settings from the environment: `EMPORIUM_CARRIER_SPEED` (default 1, real
/// time; `make run` uses 1440, a day of a parcel's journey per minute).
pub fn shipping_config() -> ShippingConfig {
    let mut config = ShippingConfig::default();
    if let Some(speed) = std::env::var("EMPORIUM_CARRIER_SPEED")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 1.0)
    {
        config.carrier_speed = speed;
    }
    config
}

/// Checkout settings from the environment: `EMPORIUM_UNPAID_ORDER_MINUTES` (default 30).
pub fn checkout_config() -> CheckoutConfig {
    let mut config = CheckoutConfig::default();
    if let Some(minutes) = std::env::var("EMPORIUM_UNPAID_ORDER_MINUTES")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|m| *m > 0)
    {
        config.unpaid_timeout_secs = minutes * 60;
    }
    config
}

/// Every hour, and once at start-up: complete the delivered orders whose returns window
/// has closed (`app::orders::shipping::complete_delivered`). Safe with several instances:
/// each completion is guarded by the Delivered state, so an order completes once.
pub fn spawn_order_completion(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match app::orders::shipping::complete_delivered(&*state.store, app::state::now()).await
            {
                Ok(n) if n > 0 => tracing::info!(orders = n, "completed delivered orders"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "order completion failed"),
            }
        }
    });
}

/// Every minute, and once at start-up (the interval's first tick is immediate): finish
/// payment attempts a crash left in flight (ask the provider; capture, record, void or
/// refund: `app::checkout::recovery`), then cancel unpaid orders past their time and release
/// their stock. Safe with several instances: an attempt is claimed by one guarded update,
/// and each cancellation is a guarded update (`WHERE status = <the state it was decided
/// from>`), so an order is cancelled, and restocked, once.
pub fn spawn_unpaid_order_expiry(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            let timeout = state.checkout.unpaid_timeout_secs;
            match app::checkout::service::expire_unpaid(
                &*state.store,
                &*state.payments,
                app::state::now(),
                timeout,
            )
            .await
            {
                Ok(n) if n > 0 => tracing::info!(orders = n, "cancelled unpaid orders"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "unpaid-order expiry failed"),
            }
        }
    });
}
