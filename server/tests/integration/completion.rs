//! Orders complete when their returns window closes (issue 10, item 15), on both backends:
//! the job moves Delivered orders whose parcel arrived `RETURN_WINDOW_DAYS` ago to
//! Completed, once however many instances run it, and leaves every other order alone.

use crate::support::shop::*;
use app::accounts::model::Role;
use app::orders::shipping::{self, RETURN_WINDOW_DAYS};
use app::orders::state::OrderState;
use app::state::{now, ShippingConfig};
use server::payments::simulated::SimulatedGateway;

const DAY: i64 = 24 * 3600;

/// Place, pack and ship an order; a fast simulated carrier (a day of the journey in a
/// second) delivers it when `deliver` is set. Returns (number, delivered at).
async fn shipped_order(
    app: &crate::support::TestApp,
    gateway: &SimulatedGateway,
    deliver: bool,
) -> (String, Option<i64>) {
    let codes = products(app, 1, 50).await;
    let a = member(app, "complete", Role::Customer).await;
    let staff = member(app, "staff", Role::Agent).await;
    let order = place(app, gateway, &a.buyer(), &[(&codes[0], 1)], GOOD, None).await;
    assert_eq!(order.state, OrderState::Paid);
    shipping::pack(&*app.store, staff.id, &order.number, now())
        .await
        .unwrap();
    let config = ShippingConfig {
        carrier_speed: 86_400.0,
    };
    shipping::ship(
        &*app.store,
        gateway,
        &config,
        staff.id,
        &order.number,
        now(),
    )
    .await
    .unwrap();
    if !deliver {
        return (order.number, None);
    }
    let id = app
        .store
        .order_by_number(&order.number)
        .await
        .unwrap()
        .unwrap()
        .id;
    let s = app.store.shipment_of_order(id).await.unwrap().unwrap();
    shipping::advance_all_simulated(&*app.store, s.window_end + DAY)
        .await
        .unwrap();
    assert_eq!(state_of(app, &order.number).await, OrderState::Delivered);
    let delivered_at = app
        .store
        .shipment_of_order(id)
        .await
        .unwrap()
        .unwrap()
        .delivered_at
        .expect("delivered");
    (order.number, Some(delivered_at))
}

on_both_backends! {
    async fn delivered_orders_complete_once_when_their_returns_window_closes(app: TestApp) {
        let gateway = SimulatedGateway::new();
        let (delivered, at) = shipped_order(app, &gateway, true).await;
        let at = at.unwrap();
        let (in_transit, _) = shipped_order(app, &gateway, false).await;
        let closes = shipping::returns_close_at(at);
        assert_eq!(closes, at + RETURN_WINDOW_DAYS * DAY);

        // A second before the window closes: still open for returns.
        assert_eq!(shipping::complete_delivered(&*app.store, closes - 1).await.unwrap(), 0);
        assert_eq!(state_of(app, &delivered).await, OrderState::Delivered);

        // When it closes, two instances run the job at once: the order completes once.
        let (a, b) = tokio::join!(
            shipping::complete_delivered(&*app.store, closes),
            shipping::complete_delivered(&*app.store, closes),
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(state_of(app, &delivered).await, OrderState::Completed);
        let id = app.store.order_by_number(&delivered).await.unwrap().unwrap().id;
        let events = app.store.order_events(id).await.unwrap();
        let completes: Vec<_> = events.iter().filter(|e| e.event == "complete").collect();
        assert_eq!(completes.len(), 1, "{events:?}");
        assert_eq!(completes[0].actor, "system");

        // Later runs change nothing, and a parcel still travelling never completes.
        assert_eq!(shipping::complete_delivered(&*app.store, closes + 400 * DAY).await.unwrap(), 0);
        assert_eq!(state_of(app, &in_transit).await, OrderState::Shipped);
    }
}
