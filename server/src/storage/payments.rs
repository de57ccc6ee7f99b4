//! The `PaymentStore` port, written once for both backends (like `orders.rs`).

macro_rules! impl_payments_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl app::ports::PaymentStore for $store {}
    };
}
pub(crate) use impl_payments_store;
