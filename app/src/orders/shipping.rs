//! After packing, server side: staff pack and ship (a shipment with a carrier and a
//! tracking number), carrier scans (the built-in simulated carrier and the signed carrier
//! webhook feed the same [`record_scan`]), the tracking page (for the owner and staff, and
//! for guests by order number and email, throttled), and the notification centre.
//!
//! **Scans and the order's state.** A scan is stored once per carrier event id, whatever
//! order it arrives in, and shown on the timeline in the order it happened; it then moves
//! the order through the one state machine as `Actor::Carrier`. A scan that would move the
//! order backwards (an "in transit" arriving after "out for delivery") stays on the
//! timeline but changes nothing (`ScanOutcome::OutOfOrder`).
//!
//! **The simulated carrier** derives its scans from the shipment alone
//! (`tracking::simulated_scans`, with the speed fixed at dispatch): replaying them is
//! idempotent, so the background job on every instance and a tracking-page view may all
//! catch a shipment up at once and each scan is recorded and applied once.

use crate::accounts::session::MemberFacts;
use crate::accounts::throttle::{self, Policy};
use crate::error::{AppError, AppResult};
use crate::orders::model::{
    Dispatched, Notification, Notifications, OrderSummary, ScanView, ShipmentView, TrackStep,
    Tracking,
};
use crate::orders::port::{PaymentRecord, StoredOrder, StoredShipment, Transition};
use crate::orders::refusal::OrdersRefusal;
use crate::orders::service::{check_number, not_found, parse_state, visible, Viewer};
use crate::orders::state::{Actor, OrderEvent, OrderState};
use crate::orders::tracking::{self, Delay, Scan};
use crate::payments::port::PaymentGateway;
use crate::payments::{PaymentMethod, PaymentStatus};
use crate::ports::ShopStore;
use crate::state::ShippingConfig;

/// The built-in carrier's name on the tracking page and in webhook URLs.
pub const SIMULATED_CARRIER: &str = "emporium-post";
/// Orders on the staff dispatch list.
pub const DISPATCH_LIST_SIZE: i64 = 200;
/// Entries of the notification centre.
pub const NOTIFICATIONS_SHOWN: i64 = 30;

const HOUR: i64 = 3600;

// ---------------------------------------------------------------- staff: pack and ship

/// Orders waiting for staff: paid (to pack) and packed (to ship), oldest first.
pub async fn dispatch_queue(store: &dyn ShopStore) -> AppResult<Vec<OrderSummary>> {
    store.dispatch_queue(DISPATCH_LIST_SIZE).await
}

async fn order(store: &dyn ShopStore, number: &str) -> AppResult<StoredOrder> {
    let number = check_number(number)?;
    store.order_by_number(number).await?.ok_or_else(not_found)
}

/// Staff mark an order packed. Repeating it is a no-op.
pub async fn pack(
    store: &dyn ShopStore,
    staff_id: i64,
    number: &str,
    now: i64,
) -> AppResult<Dispatched> {
    let order = order(store, number).await?;
    let after = crate::checkout::service::apply_event(
        store,
        order.id,
        OrderEvent::Pack,
        Actor::Staff(staff_id),
        now,
        None,
    )
    .await?;
    Ok(Dispatched {
        number: after.number,
        state: after.state,
        tracking_number: None,
    })
}

/// A tracking number in the usual shape of UK parcel numbers: two letters, nine digits,
/// "GB".
fn new_tracking_number() -> String {
    use rand_core::{OsRng, RngCore};
    format!("EP{:09}GB", OsRng.next_u64() % 1_000_000_000)
}

/// Staff hand a packed order to the carrier: the order becomes Shipped and gets its
/// shipment (one per order: shipping again returns the same tracking number). A crash
/// between the two is mended by shipping again, since Ship on a shipped order is a no-op.
pub async fn ship(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    config: &ShippingConfig,
    staff_id: i64,
    number: &str,
    now: i64,
) -> AppResult<Dispatched> {
    let order = order(store, number).await?;
    let after = crate::checkout::service::apply_event(
        store,
        order.id,
        OrderEvent::Ship,
        Actor::Staff(staff_id),
        now,
        None,
    )
    .await?;
    let extras = store.order_extras(order.id).await?.unwrap_or_default();
    // The window promised at checkout, unless it is too near or gone: then two to three
    // days from dispatch, the standard promise.
    let (start, end) = match (extras.window_start, extras.window_end) {
        (Some(s), Some(e)) if s >= now + 4 * HOUR && e > s => (s, e),
        _ => (now + 48 * HOUR, now + 72 * HOUR),
    };
    let city = extras.address.city.trim();
    let depot = if city.is_empty() {
        "Local delivery office".to_string()
    } else {
        format!("{city} delivery office")
    };
    let shipment = store
        .create_shipment(&StoredShipment {
            id: 0,
            order_id: order.id,
            carrier: SIMULATED_CARRIER.into(),
            tracking_number: new_tracking_number(),
            shipped_at: now,
            window_start: start,
            window_end: end,
            depot,
            speed: config.carrier_speed.max(1.0),
            delivered_at: None,
        })
        .await?;
    capture_on_dispatch(store, gateway, &after, now).await;
    Ok(Dispatched {
        number: after.number,
        state: after.state,
        tracking_number: Some(shipment.tracking_number),
    })
}

/// Pay later: take the money authorised at checkout now that the parcel has left. The
/// idempotency key makes a repeat (shipping twice, a retry) capture once. A failure is
/// logged for staff and does not undo the shipment: the parcel is on its way.
async fn capture_on_dispatch(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    now: i64,
) {
    let Ok(mut payments) = store.payments_of(order.id).await else {
        return;
    };
    let Some(p) = payments.pop() else { return };
    let method = PaymentMethod::parse(&p.method);
    if p.status != PaymentStatus::Authorised.as_str()
        || !method.is_some_and(PaymentMethod::captures_at_dispatch)
    {
        return;
    }
    let key = format!("capture-{}", p.provider_ref);
    match gateway.capture(&p.provider_ref, p.amount_minor, &key).await {
        Ok(outcome) if outcome.status == PaymentStatus::Captured => {
            let record = PaymentRecord {
                status: PaymentStatus::Captured.as_str().into(),
                at: now,
                ..p
            };
            if let Err(e) = store.record_payment(&record).await {
                leptos::logging::warn!("recording the capture of {} failed: {e}", order.number);
            }
        }
        Ok(outcome) => leptos::logging::warn!(
            "capture on dispatch of {} answered {:?}",
            order.number,
            outcome.status
        ),
        Err(e) => leptos::logging::warn!("capture on dispatch of {} failed: {e}", order.number),
    }
}

// ---------------------------------------------------------------- carrier scans

/// What became of a carrier event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanOutcome {
    /// Recorded, and the order moved (or was already there).
    Applied,
    /// This event id was recorded before: nothing done.
    Duplicate,
    /// Recorded on the timeline; the order is further along (or cancelled) and stays.
    OutOfOrder,
    /// No shipment has this carrier and tracking number.
    UnknownShipment,
}

impl ScanOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanOutcome::Applied => "applied",
            ScanOutcome::Duplicate => "duplicate",
            ScanOutcome::OutOfOrder => "out_of_order",
            ScanOutcome::UnknownShipment => "unknown_shipment",
        }
    }
}

/// Move the order as the scan says, through the state machine. A refusal (the order is
/// further along, or cancelled) is reported, not an error: the carrier did nothing wrong.
async fn apply_scan(store: &dyn ShopStore, order_id: i64, scan: &Scan) -> AppResult<ScanOutcome> {
    match crate::checkout::service::apply_event(
        store,
        order_id,
        scan.kind.order_event(),
        Actor::Carrier,
        scan.at,
        None,
    )
    .await
    {
        Ok(_) => Ok(ScanOutcome::Applied),
        Err(AppError::Conflict(_)) => Ok(ScanOutcome::OutOfOrder),
        Err(e) => Err(e),
    }
}

/// Record one carrier event (from the webhook or the simulation) once, then apply it.
pub async fn record_scan(
    store: &dyn ShopStore,
    shipment: &StoredShipment,
    event_id: &str,
    scan: &Scan,
    now: i64,
) -> AppResult<ScanOutcome> {
    if !store.record_scan(shipment.id, event_id, scan, now).await? {
        return Ok(ScanOutcome::Duplicate);
    }
    apply_scan(store, shipment.order_id, scan).await
}

/// An event delivered to the carrier webhook (signature already verified).
pub async fn carrier_event(
    store: &dyn ShopStore,
    carrier: &str,
    tracking_number: &str,
    event_id: &str,
    scan: &Scan,
    now: i64,
) -> AppResult<ScanOutcome> {
    let Some(shipment) = store.shipment_by_tracking(carrier, tracking_number).await? else {
        return Ok(ScanOutcome::UnknownShipment);
    };
    // Namespaced by carrier: two carriers may use the same event ids.
    record_scan(
        store,
        &shipment,
        &format!("{carrier}:{event_id}"),
        scan,
        now,
    )
    .await
}

/// The simulated carrier's plan for a shipment.
fn simulated_plan(s: &StoredShipment) -> Vec<Scan> {
    tracking::simulated_scans(
        s.shipped_at,
        s.window_start,
        s.window_end,
        s.speed,
        &s.depot,
    )
}

/// Record the simulated scans of `shipment` due by `now`. Idempotent.
pub async fn advance_simulated(
    store: &dyn ShopStore,
    shipment: &StoredShipment,
    now: i64,
) -> AppResult<()> {
    if shipment.speed <= 0.0 || shipment.delivered_at.is_some() {
        return Ok(());
    }
    let due = tracking::scans_so_far(&simulated_plan(shipment), now);
    for (i, scan) in due.iter().enumerate() {
        let event_id = format!(
            "{SIMULATED_CARRIER}:{}:{i}:{}",
            shipment.tracking_number,
            scan.kind.as_str()
        );
        record_scan(store, shipment, &event_id, scan, now).await?;
    }
    Ok(())
}

/// The background job's step: catch every open simulated shipment up. Returns how many
/// were looked at.
pub async fn advance_all_simulated(store: &dyn ShopStore, now: i64) -> AppResult<usize> {
    let open = store.open_simulated_shipments(500).await?;
    for s in &open {
        advance_simulated(store, s, now).await?;
    }
    Ok(open.len())
}

// ---------------------------------------------------------------- completion

/// How long after delivery a customer may still return an order (UK: 14 days to cancel
/// plus 14 to send the goods back; most shops round it up to 30). When it closes the order
/// completes; until then it is Delivered.
pub const RETURN_WINDOW_DAYS: i64 = 30;

/// When the returns window of a parcel delivered at `delivered_at` closes.
pub fn returns_close_at(delivered_at: i64) -> i64 {
    delivered_at + RETURN_WINDOW_DAYS * 24 * HOUR
}

/// Complete every Delivered order whose returns window has closed by `now` (the system's
/// `Complete` through the one state machine). Safe on several instances at once: each
/// move is guarded by the Delivered state it was decided from, so an order completes once.
/// Returns how many orders this call completed.
pub async fn complete_delivered(store: &dyn ShopStore, now: i64) -> AppResult<u64> {
    const BATCH: i64 = 200;
    let delivered_by = now - RETURN_WINDOW_DAYS * 24 * HOUR;
    let mut completed = 0;
    loop {
        let batch = store.delivered_orders(delivered_by, BATCH).await?;
        let mut moved_any = false;
        for id in &batch {
            if store
                .transition_order(
                    *id,
                    &Transition {
                        from: OrderState::Delivered,
                        to: crate::orders::state::next(
                            OrderState::Delivered,
                            OrderEvent::Complete,
                            Actor::System,
                        )?,
                        event: OrderEvent::Complete,
                        actor: &Actor::System.to_storage(),
                    },
                    now,
                    None,
                )
                .await?
            {
                completed += 1;
                moved_any = true;
            }
        }
        if (batch.len() as i64) < BATCH || !moved_any {
            return Ok(completed);
        }
    }
}

// ---------------------------------------------------------------- tracking

/// The estimated window as the customer sees it: a simulated parcel's window runs on its
/// compressed clock like its scans.
fn shown_window(s: &StoredShipment) -> (i64, i64) {
    (
        tracking::compress(s.shipped_at, s.window_start, s.speed),
        tracking::compress(s.shipped_at, s.window_end, s.speed),
    )
}

fn delay_of(s: &StoredShipment, scans: &[Scan], now: i64) -> Option<Delay> {
    let speed = if s.speed >= 1.0 { s.speed } else { 1.0 };
    let (_, end) = shown_window(s);
    let silence = ((tracking::MAX_SILENCE_SECS as f64) / speed).round() as i64;
    tracking::delay(scans, s.shipped_at, end, now, silence.max(1))
}

const STEPS: [OrderState; 6] = [
    OrderState::Paid,
    OrderState::Packed,
    OrderState::Shipped,
    OrderState::InTransit,
    OrderState::OutForDelivery,
    OrderState::Delivered,
];

async fn build_tracking(
    store: &dyn ShopStore,
    order: &StoredOrder,
    now: i64,
) -> AppResult<Tracking> {
    let mut shipment = store.shipment_of_order(order.id).await?;
    if let Some(s) = &shipment {
        advance_simulated(store, s, now).await?;
        shipment = store.shipment_of_order(order.id).await?;
    }
    // Read after catching up, so the state matches the scans.
    let order = store.order_by_id(order.id).await?.ok_or_else(not_found)?;
    let events = store.order_events(order.id).await?;
    let reached = |state: OrderState| {
        events
            .iter()
            .find(|e| parse_state(&e.to_state) == Some(state))
            .map(|e| e.at)
    };
    let mut steps = vec![TrackStep {
        state: OrderState::PendingPayment,
        at: Some(order.placed_at),
    }];
    steps.extend(STEPS.iter().map(|s| TrackStep {
        state: *s,
        at: reached(*s),
    }));
    let scans = match &shipment {
        Some(s) => store.scans_of(s.id).await?,
        None => Vec::new(),
    };
    let extras = store.order_extras(order.id).await?.unwrap_or_default();
    let delay = match &shipment {
        Some(s)
            if matches!(
                order.state,
                OrderState::Shipped | OrderState::InTransit | OrderState::OutForDelivery
            ) =>
        {
            delay_of(s, &scans, now)
        }
        _ => None,
    };
    Ok(Tracking {
        number: order.number.clone(),
        state: order.state,
        placed_at: order.placed_at,
        steps,
        shipment: shipment.as_ref().map(|s| {
            let (window_start, window_end) = shown_window(s);
            ShipmentView {
                carrier: s.carrier.clone(),
                tracking_number: s.tracking_number.clone(),
                shipped_at: s.shipped_at,
                window_start,
                window_end,
                delivered_at: s.delivered_at,
            }
        }),
        scans: scans
            .into_iter()
            .rev()
            .map(|s| ScanView {
                at: s.at,
                kind: s.kind,
                location: s.location,
            })
            .collect(),
        delay,
        promised_window: extras.window_start.zip(extras.window_end),
    })
}

/// The tracking of an order the viewer may see (owner or staff; 404 otherwise).
pub async fn track(
    store: &dyn ShopStore,
    viewer: &Viewer,
    number: &str,
    now: i64,
) -> AppResult<Tracking> {
    let (order, _) = visible(store, viewer, number).await?;
    build_tracking(store, &order, now).await
}

/// Guests' look-ups: per address, and per order number (against guessing one order's
/// email from many addresses).
const TRACK_PER_ADDRESS: Policy = Policy {
    free: 10,
    max_delay_secs: 60,
    cap: 60,
};
const TRACK_PER_ORDER: Policy = Policy {
    free: 5,
    max_delay_secs: 60,
    cap: 30,
};

/// Tracking for anyone who knows an order's number and the email it was placed with.
/// A wrong pair gets the same 404 whichever half is wrong, and counts towards the
/// throttle (429 with the wait).
pub async fn track_by_email(
    store: &dyn ShopStore,
    client_ip: &str,
    number: &str,
    email: &str,
    now: i64,
) -> AppResult<Tracking> {
    let number = number.trim().to_uppercase();
    let address_key = format!("track-ip:{client_ip}");
    let order_key = format!("track-order:{number}");
    // Taken before the look-up, like sign-in: a burst of guesses gets no extra tries.
    throttle::take(
        store,
        &[
            (address_key.as_str(), TRACK_PER_ADDRESS),
            (order_key.as_str(), TRACK_PER_ORDER),
        ],
        now,
    )
    .await?;
    let email = email.trim();
    let found = match check_number(&number) {
        Ok(n) => store.order_by_number(n).await?,
        Err(_) => None,
    };
    match found {
        Some(order)
            if !email.is_empty()
                && order
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email)) =>
        {
            throttle::refund(store, &[&address_key, &order_key]).await?;
            build_tracking(store, &order, now).await
        }
        _ => Err(AppError::not_found(OrdersRefusal::TrackNoMatch)),
    }
}

// ---------------------------------------------------------------- notifications

/// A member's notification centre: delay alerts of parcels on their way (derived now),
/// then the events of their orders, newest first.
pub async fn notifications(
    store: &dyn ShopStore,
    customer_id: i64,
    now: i64,
) -> AppResult<Notifications> {
    let mut items = delay_alerts(store, customer_id, now).await?;
    let (rows, last_read) = store
        .notifications(customer_id, NOTIFICATIONS_SHOWN)
        .await?;
    items.extend(rows.into_iter().filter_map(|r| {
        Some(Notification {
            event_id: r.event_id,
            order_number: r.order_number,
            state: parse_state(&r.to_state)?,
            delay: None,
            at: r.at,
            unread: r.event_id > last_read,
        })
    }));
    let unread = unread_count(store, customer_id, now).await?;
    Ok(Notifications { items, unread })
}

/// Parcels of the member's that are late right now (a delay alert each).
async fn delay_alerts(
    store: &dyn ShopStore,
    customer_id: i64,
    now: i64,
) -> AppResult<Vec<Notification>> {
    let (recent, _) = store.customer_orders(customer_id, 0, 20).await?;
    let mut alerts = Vec::new();
    for summary in recent.iter().filter(|o| {
        matches!(
            o.state,
            OrderState::Shipped | OrderState::InTransit | OrderState::OutForDelivery
        )
    }) {
        let Some(order) = store.order_by_number(&summary.number).await? else {
            continue;
        };
        let Some(shipment) = store.shipment_of_order(order.id).await? else {
            continue;
        };
        let scans = store.scans_of(shipment.id).await?;
        if let Some(delay) = delay_of(&shipment, &scans, now) {
            alerts.push(Notification {
                event_id: 0,
                order_number: order.number,
                state: order.state,
                delay: Some(delay),
                at: now,
                unread: true,
            });
        }
    }
    Ok(alerts)
}

/// The bell's number: unread events plus current delay alerts.
pub async fn unread_count(store: &dyn ShopStore, customer_id: i64, now: i64) -> AppResult<i64> {
    let events = store.unread_notifications(customer_id).await?;
    let delays = delay_alerts(store, customer_id, now).await?.len() as i64;
    Ok(events + delays)
}

/// The bell's number for the member asking, from what was read with their session: no
/// statement at all unless a parcel is on its way (then its tracking decides on a delay).
pub async fn bell_count(
    store: &dyn ShopStore,
    customer_id: i64,
    facts: MemberFacts,
    now: i64,
) -> AppResult<i64> {
    let delays = if facts.parcels_in_flight > 0 {
        delay_alerts(store, customer_id, now).await?.len() as i64
    } else {
        0
    };
    Ok(facts.unread_notifications + delays)
}

/// Everything shown so far is read.
pub async fn mark_read(store: &dyn ShopStore, customer_id: i64) -> AppResult<()> {
    let (rows, _) = store.notifications(customer_id, 1).await?;
    if let Some(newest) = rows.first() {
        store
            .mark_notifications_read(customer_id, newest.event_id)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::tracking::ScanKind;

    #[test]
    fn tracking_numbers_look_like_parcel_numbers() {
        let n = new_tracking_number();
        assert_eq!(n.len(), 13);
        assert!(n.starts_with("EP") && n.ends_with("GB"));
        assert!(n[2..11].bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn a_fast_shipment_shows_its_window_on_the_fast_clock() {
        let s = StoredShipment {
            id: 1,
            order_id: 1,
            carrier: SIMULATED_CARRIER.into(),
            tracking_number: "EP000000001GB".into(),
            shipped_at: 1_000,
            window_start: 1_000 + 48 * HOUR,
            window_end: 1_000 + 72 * HOUR,
            depot: "Leeds delivery office".into(),
            speed: 3600.0,
            delivered_at: None,
        };
        assert_eq!(shown_window(&s), (1_048, 1_072));
        let plan = simulated_plan(&s);
        let delivered = plan.last().unwrap();
        assert_eq!(delivered.kind, ScanKind::Delivered);
        assert!((1_048..=1_072).contains(&delivered.at));
        // On time while the scans come; late once the fast window has passed.
        assert_eq!(delay_of(&s, &plan[..2], 1_020), None);
        assert_eq!(delay_of(&s, &plan[..2], 1_073), Some(Delay::PastWindow));
        assert_eq!(delay_of(&s, &plan, 5_000), None);
    }
}
