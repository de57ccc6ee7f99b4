//! The `ShipmentStore` port, written once for both backends (like `orders.rs`).

macro_rules! impl_shipments_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl app::ports::ShipmentStore for $store {}
    };
}
pub(crate) use impl_shipments_store;
