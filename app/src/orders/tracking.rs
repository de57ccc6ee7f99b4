//! Parcel tracking, pure: the scans a simulated carrier reports for a shipment, and the
//! delay rules the tracking page and the alerts use. Storage and the carrier webhook feed
//! real scans through the same [`Scan`] type.
//!
//! The simulated carrier follows a UK parcel network's usual rhythm, compressed by
//! `speed` so that demos and tests take seconds instead of days: collected two hours after
//! dispatch, a hub scan at the sorting centre that night, the delivery depot early on the
//! delivery day, out for delivery at 07:30, delivered mid-window. Deterministic for a given
//! shipment (same inputs, same scans), so repeated polls and several server instances agree.

use serde::{Deserialize, Serialize};

use crate::orders::state::{CarrierScan, OrderEvent};

const HOUR: i64 = 3600;

/// One carrier scan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    pub at: i64,
    pub kind: ScanKind,
    pub location: String,
}

/// What a scan says. Only some kinds move the order's state (see [`ScanKind::order_event`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanKind {
    Collected,
    AtHub,
    AtDepot,
    OutForDelivery,
    Delivered,
}

impl ScanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::Collected => "collected",
            ScanKind::AtHub => "at_hub",
            ScanKind::AtDepot => "at_depot",
            ScanKind::OutForDelivery => "out_for_delivery",
            ScanKind::Delivered => "delivered",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Collected,
            Self::AtHub,
            Self::AtDepot,
            Self::OutForDelivery,
            Self::Delivered,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
    /// The order state-machine event this scan implies.
    pub fn order_event(self) -> OrderEvent {
        OrderEvent::CarrierScan(match self {
            ScanKind::Collected | ScanKind::AtHub | ScanKind::AtDepot => CarrierScan::InTransit,
            ScanKind::OutForDelivery => CarrierScan::OutForDelivery,
            ScanKind::Delivered => CarrierScan::Delivered,
        })
    }
}

/// The simulated carrier's full scan plan for a parcel shipped at `shipped_at` that is due
/// within `[window_start, window_end]`. With `speed` > 1 every gap after dispatch is
/// divided by it (speed 3600: an hour of parcel life per second).
pub fn simulated_scans(
    shipped_at: i64,
    window_start: i64,
    window_end: i64,
    speed: f64,
    depot: &str,
) -> Vec<Scan> {
    let due = window_start.max(shipped_at + 4 * HOUR);
    let delivered = due + ((window_end - due).max(0) / 3).max(HOUR);
    let mut plan = vec![
        (
            shipped_at + 2 * HOUR,
            ScanKind::Collected,
            "Emporium warehouse",
        ),
        (
            shipped_at + 8 * HOUR,
            ScanKind::AtHub,
            "National sorting hub",
        ),
    ];
    // A parcel waiting for a later delivery day is scanned at the hub daily, as real
    // networks do, so it never looks lost.
    let mut hub = shipped_at + 32 * HOUR;
    while hub < due - 14 * HOUR {
        plan.push((hub, ScanKind::AtHub, "National sorting hub"));
        hub += 24 * HOUR;
    }
    plan.extend([
        (due - 2 * HOUR, ScanKind::AtDepot, depot),
        (due, ScanKind::OutForDelivery, depot),
        (delivered, ScanKind::Delivered, "Delivered to the address"),
    ]);
    let mut last = shipped_at;
    plan.into_iter()
        .map(|(at, kind, location)| {
            // Keep the order of scans even when the window is very near.
            let at = at.max(last + 1);
            last = at;
            Scan {
                at: compress(shipped_at, at, speed),
                kind,
                location: location.to_string(),
            }
        })
        .collect()
}

/// A time `t` after dispatch on the simulated carrier's clock: the gap since dispatch
/// divided by `speed` (below 1 or not a number counts as 1). The estimated window of a
/// simulated parcel is shown compressed the same way, so that the ETA, the scans and the
/// delay rules agree.
pub fn compress(shipped_at: i64, t: i64, speed: f64) -> i64 {
    let speed = if speed.is_finite() && speed >= 1.0 {
        speed
    } else {
        1.0
    };
    shipped_at + ((t - shipped_at) as f64 / speed).round() as i64
}

/// The scans of a plan that have happened by `now`.
pub fn scans_so_far(plan: &[Scan], now: i64) -> Vec<Scan> {
    plan.iter().filter(|s| s.at <= now).cloned().collect()
}

/// Why a parcel counts as late, for the tracking page and the customer's alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delay {
    /// No scan for this many hours while in the carrier's hands.
    NoScanFor { hours: i64 },
    /// Not delivered and the estimated window has passed.
    PastWindow,
}

/// Longest silence between scans before the parcel is flagged (carriers scan at least daily).
pub const MAX_SILENCE_SECS: i64 = 36 * HOUR;

/// Whether a shipment is delayed at `now`. `max_silence_secs` is scaled by the same
/// `speed` as the simulation, so fast demos flag delays quickly too.
pub fn delay(
    scans: &[Scan],
    shipped_at: i64,
    window_end: i64,
    now: i64,
    max_silence_secs: i64,
) -> Option<Delay> {
    if scans.iter().any(|s| s.kind == ScanKind::Delivered) {
        return None;
    }
    if now > window_end {
        return Some(Delay::PastWindow);
    }
    let last = scans.iter().map(|s| s.at).max().unwrap_or(shipped_at);
    let silence = now - last;
    (silence > max_silence_secs).then_some(Delay::NoScanFor {
        hours: silence / HOUR,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: i64 = 1_700_000_000;

    #[test]
    fn scans_run_in_order_and_end_delivered_inside_the_window() {
        let (start, end) = (SHIPPED + 30 * HOUR, SHIPPED + 44 * HOUR);
        let plan = simulated_scans(SHIPPED, start, end, 1.0, "Bristol depot");
        assert_eq!(plan.len(), 5);
        assert!(plan.windows(2).all(|w| w[0].at < w[1].at));
        let delivered = plan.last().unwrap();
        assert_eq!(delivered.kind, ScanKind::Delivered);
        assert!(delivered.at >= start && delivered.at <= end);
        assert_eq!(
            plan,
            simulated_scans(SHIPPED, start, end, 1.0, "Bristol depot"),
            "deterministic"
        );
    }

    #[test]
    fn a_parcel_for_a_far_delivery_day_is_scanned_at_least_daily() {
        // A chosen delivery day ten days out: never silent long enough to look late.
        let start = SHIPPED + 10 * 24 * HOUR;
        let plan = simulated_scans(SHIPPED, start, start + 14 * HOUR, 1.0, "York depot");
        assert!(plan.len() > 5, "{plan:?}");
        assert!(plan
            .windows(2)
            .all(|w| w[1].at - w[0].at <= MAX_SILENCE_SECS));
        // A day after any scan (and within the window) it is not flagged.
        let end = start + 14 * HOUR;
        for s in &plan {
            let now = (s.at + 24 * HOUR).min(end);
            let so_far = scans_so_far(&plan, s.at);
            assert_eq!(delay(&so_far, SHIPPED, end, now, MAX_SILENCE_SECS), None);
        }
        assert_eq!(plan.last().unwrap().kind, ScanKind::Delivered);
    }

    #[test]
    fn speed_compresses_the_whole_journey() {
        let plan = simulated_scans(
            SHIPPED,
            SHIPPED + 30 * HOUR,
            SHIPPED + 44 * HOUR,
            3600.0,
            "Leeds depot",
        );
        // An hour of parcel life per second: delivered well within a minute.
        assert!(plan.last().unwrap().at - SHIPPED < 60);
        assert_eq!(scans_so_far(&plan, SHIPPED + 3).len(), 1);
    }

    #[test]
    fn delays_are_flagged_for_silence_or_a_missed_window() {
        let end = SHIPPED + 44 * HOUR;
        let plan = simulated_scans(SHIPPED, SHIPPED + 30 * HOUR, end, 1.0, "Depot");
        let early = scans_so_far(&plan, SHIPPED + 9 * HOUR);
        assert_eq!(
            delay(&early, SHIPPED, end, SHIPPED + 9 * HOUR, MAX_SILENCE_SECS),
            None
        );
        // The hub scan was the last one and 37 hours have passed without another.
        let stuck = SHIPPED + 8 * HOUR + 37 * HOUR;
        assert_eq!(
            delay(&early, SHIPPED, stuck + 10 * HOUR, stuck, MAX_SILENCE_SECS),
            Some(Delay::NoScanFor { hours: 37 })
        );
        assert_eq!(
            delay(&early, SHIPPED, end, end + 1, MAX_SILENCE_SECS),
            Some(Delay::PastWindow)
        );
        assert_eq!(
            delay(&plan, SHIPPED, end, end + 100 * HOUR, MAX_SILENCE_SECS),
            None,
            "delivered is never late"
        );
    }

    #[test]
    fn scan_kinds_map_to_order_events_and_round_trip() {
        for k in [
            ScanKind::Collected,
            ScanKind::AtHub,
            ScanKind::AtDepot,
            ScanKind::OutForDelivery,
            ScanKind::Delivered,
        ] {
            assert_eq!(ScanKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            ScanKind::Delivered.order_event(),
            OrderEvent::CarrierScan(CarrierScan::Delivered)
        );
        assert_eq!(
            ScanKind::AtHub.order_event(),
            OrderEvent::CarrierScan(CarrierScan::InTransit)
        );
    }
}
