//! THE order state machine: every change of an order's state goes through [`next`], whose
//! one `match` is the transition table.
//!
//! ```text
//!                 ┌──── RetryPayment ─────┐
//!                 v                       │
//!  PendingPayment ── PaymentFailed ──> PaymentFailed
//!       │  PaymentAuthorised/Captured     │ (a late success still counts)
//!       v                                 v
//!      Paid ── Pack ──> Packed ── Ship ──> Shipped ─┬─ scan InTransit ──> InTransit
//!                                                   ├─ scan OutForDelivery ──> OutForDelivery
//!                                                   └─ scan Delivered ──> Delivered ── Complete ──> Completed
//!  Cancel: PendingPayment/PaymentFailed (customer, staff, system expiry),
//!          Paid/Packed (customer, staff), Shipped/InTransit/OutForDelivery (staff only:
//!          a parcel lost or returned to sender). Nothing leaves Cancelled or Completed.
//! ```
//!
//! # Guards
//! - Who may send an event ([`OrderEvent::allowed`]): payment events — the payment
//!   provider or the system (reconciliation); `RetryPayment` — the customer or staff;
//!   `Pack`, `Ship` — staff only; carrier scans — the carrier or the system; `Complete`
//!   (after the returns window) — the system or staff; `Cancel { by }` — the actor that
//!   `by` names. Anyone else: `Forbidden`.
//! - Customers may cancel only before `Shipped`; afterwards they get a message telling them
//!   to return the goods instead (`Conflict`).
//! - **Ownership** (this customer's order?) is not known here: the caller loads the order
//!   by id *and* customer before calling `next`.
//! - Carrier scans may skip steps (Shipped → Delivered) but never go back (a late
//!   InTransit after OutForDelivery is refused: the carrier reports it out of order).
//!
//! # Repeats are no-ops
//! An event whose target is the state the order is already in, from an actor allowed to
//! send it, returns `Ok(state)` unchanged: a webhook delivered twice, the same carrier scan
//! twice, a double-clicked "Cancel" or "Pack". Callers compare the result with the current
//! state and **run side effects (e-mails, refunds, stock release) only when it changed**;
//! storage should update with `WHERE state = $current` so two racing events cannot both
//! apply. Payment confirmations (authorised or captured) for an order already paid and
//! further along are no-ops too (capture often happens at dispatch).
//!
//! Errors that mean "act": a payment confirmation for a `Cancelled` order is refused —
//! the money must be refunded; a `PaymentFailed` for an order already paid is refused —
//! stale, or a failed capture for staff to look at.
//!
//! Money-side facts the caller needs: [`OrderState::holds_payment`] (cancelling refunds
//! it), and stock reserved for an order is released when it reaches `Cancelled`.

use crate::orders::refusal::OrdersRefusal;
use crate::orders::text::OrdersText;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderState {
    PendingPayment,
    Paid,
    Packed,
    Shipped,
    InTransit,
    OutForDelivery,
    Delivered,
    Completed,
    Cancelled,
    PaymentFailed,
}

/// What a carrier reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CarrierScan {
    InTransit,
    OutForDelivery,
    Delivered,
}

/// On whose behalf an order is cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CancelledBy {
    Customer,
    Staff,
    /// The system, e.g. an unpaid order whose reservation expired.
    System,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderEvent {
    PaymentAuthorised,
    PaymentCaptured,
    PaymentFailed,
    RetryPayment,
    Pack,
    Ship,
    CarrierScan(CarrierScan),
    Complete,
    Cancel { by: CancelledBy },
}

/// Who sends an event. Ids are customer / staff account ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Customer(i64),
    Staff(i64),
    System,
    Carrier,
    PaymentProvider,
}

impl OrderState {
    pub const ALL: [OrderState; 10] = [
        OrderState::PendingPayment,
        OrderState::Paid,
        OrderState::Packed,
        OrderState::Shipped,
        OrderState::InTransit,
        OrderState::OutForDelivery,
        OrderState::Delivered,
        OrderState::Completed,
        OrderState::Cancelled,
        OrderState::PaymentFailed,
    ];

    /// Stable name for storage.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::PendingPayment => "pending_payment",
            OrderState::Paid => "paid",
            OrderState::Packed => "packed",
            OrderState::Shipped => "shipped",
            OrderState::InTransit => "in_transit",
            OrderState::OutForDelivery => "out_for_delivery",
            OrderState::Delivered => "delivered",
            OrderState::Completed => "completed",
            OrderState::Cancelled => "cancelled",
            OrderState::PaymentFailed => "payment_failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Name for the UI.
    pub fn label_key(self) -> OrdersText {
        match self {
            OrderState::PendingPayment => OrdersText::OrderStatePendingPayment,
            OrderState::Paid => OrdersText::OrderStatePaid,
            OrderState::Packed => OrdersText::OrderStatePacked,
            OrderState::Shipped => OrdersText::OrderStateShipped,
            OrderState::InTransit => OrdersText::OrderStateInTransit,
            OrderState::OutForDelivery => OrdersText::OrderStateOutForDelivery,
            OrderState::Delivered => OrdersText::OrderStateDelivered,
            OrderState::Completed => OrdersText::OrderStateCompleted,
            OrderState::Cancelled => OrdersText::OrderStateCancelled,
            OrderState::PaymentFailed => OrdersText::OrderStatePaymentFailed,
        }
    }

    /// No event changes it any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, OrderState::Completed | OrderState::Cancelled)
    }

    /// The customer's money has been taken (cancelling from here means a refund).
    pub fn holds_payment(self) -> bool {
        matches!(
            self,
            OrderState::Paid
                | OrderState::Packed
                | OrderState::Shipped
                | OrderState::InTransit
                | OrderState::OutForDelivery
                | OrderState::Delivered
                | OrderState::Completed
        )
    }

    /// Whether to offer the customer a "Cancel order" button.
    pub fn customer_can_cancel(self) -> bool {
        matches!(
            self,
            OrderState::PendingPayment
                | OrderState::PaymentFailed
                | OrderState::Paid
                | OrderState::Packed
        )
    }
}

impl OrderEvent {
    pub const ALL: [OrderEvent; 13] = [
        OrderEvent::PaymentAuthorised,
        OrderEvent::PaymentCaptured,
        OrderEvent::PaymentFailed,
        OrderEvent::RetryPayment,
        OrderEvent::Pack,
        OrderEvent::Ship,
        OrderEvent::CarrierScan(CarrierScan::InTransit),
        OrderEvent::CarrierScan(CarrierScan::OutForDelivery),
        OrderEvent::CarrierScan(CarrierScan::Delivered),
        OrderEvent::Complete,
        OrderEvent::Cancel {
            by: CancelledBy::Customer,
        },
        OrderEvent::Cancel {
            by: CancelledBy::Staff,
        },
        OrderEvent::Cancel {
            by: CancelledBy::System,
        },
    ];

    /// Stable name for an order's event log.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderEvent::PaymentAuthorised => "payment_authorised",
            OrderEvent::PaymentCaptured => "payment_captured",
            OrderEvent::PaymentFailed => "payment_failed",
            OrderEvent::RetryPayment => "retry_payment",
            OrderEvent::Pack => "pack",
            OrderEvent::Ship => "ship",
            OrderEvent::CarrierScan(CarrierScan::InTransit) => "scan_in_transit",
            OrderEvent::CarrierScan(CarrierScan::OutForDelivery) => "scan_out_for_delivery",
            OrderEvent::CarrierScan(CarrierScan::Delivered) => "scan_delivered",
            OrderEvent::Complete => "complete",
            OrderEvent::Cancel {
                by: CancelledBy::Customer,
            } => "cancel_by_customer",
            OrderEvent::Cancel {
                by: CancelledBy::Staff,
            } => "cancel_by_staff",
            OrderEvent::Cancel {
                by: CancelledBy::System,
            } => "cancel_by_system",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Whether `actor` may send this event at all (whatever the state).
    pub fn allowed(self, actor: Actor) -> bool {
        use Actor as A;
        match self {
            OrderEvent::PaymentAuthorised
            | OrderEvent::PaymentCaptured
            | OrderEvent::PaymentFailed => matches!(actor, A::PaymentProvider | A::System),
            OrderEvent::RetryPayment => matches!(actor, A::Customer(_) | A::Staff(_)),
            OrderEvent::Pack | OrderEvent::Ship => matches!(actor, A::Staff(_)),
            OrderEvent::CarrierScan(_) => matches!(actor, A::Carrier | A::System),
            OrderEvent::Complete => matches!(actor, A::System | A::Staff(_)),
            OrderEvent::Cancel { by } => matches!(
                (by, actor),
                (CancelledBy::Customer, A::Customer(_))
                    | (CancelledBy::Staff, A::Staff(_))
                    | (CancelledBy::System, A::System)
            ),
        }
    }
}

impl Actor {
    /// Stable text for an order's event log: `customer:12`, `staff:3`, `system`, `carrier`,
    /// `payment_provider`.
    pub fn to_storage(self) -> String {
        match self {
            Actor::Customer(id) => format!("customer:{id}"),
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::System => "system".into(),
            Actor::Carrier => "carrier".into(),
            Actor::PaymentProvider => "payment_provider".into(),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let id = |v: &str| v.parse::<i64>().ok();
        match s.split_once(':') {
            Some(("customer", v)) => id(v).map(Actor::Customer),
            Some(("staff", v)) => id(v).map(Actor::Staff),
            Some(_) => None,
            None => match s {
                "system" => Some(Actor::System),
                "carrier" => Some(Actor::Carrier),
                "payment_provider" => Some(Actor::PaymentProvider),
                _ => None,
            },
        }
    }
}

/// The state after `event`, sent by `actor`, happens to an order in `state`. `Ok(state)`
/// unchanged means a repeat: nothing to do. Errors: `Forbidden` (this actor may not send
/// this event), `Conflict` (not possible in this state; the message names the state).
pub fn next(state: OrderState, event: OrderEvent, actor: Actor) -> AppResult<OrderState> {
    use CancelledBy as By;
    use CarrierScan as Scan;
    use OrderEvent as E;
    use OrderState as S;

    if !event.allowed(actor) {
        return Err(AppError::forbidden_because(OrdersRefusal::ActionForbidden));
    }
    let to = match (state, event) {
        // payment
        (S::PendingPayment | S::PaymentFailed, E::PaymentAuthorised | E::PaymentCaptured) => {
            S::Paid
        }
        (s, E::PaymentAuthorised | E::PaymentCaptured) if s.holds_payment() => s,
        (S::PendingPayment | S::PaymentFailed, E::PaymentFailed) => S::PaymentFailed,
        (S::PendingPayment | S::PaymentFailed, E::RetryPayment) => S::PendingPayment,
        // fulfilment
        (S::Paid | S::Packed, E::Pack) => S::Packed,
        (S::Packed | S::Shipped, E::Ship) => S::Shipped,
        (S::Shipped | S::InTransit, E::CarrierScan(Scan::InTransit)) => S::InTransit,
        (S::Shipped | S::InTransit | S::OutForDelivery, E::CarrierScan(Scan::OutForDelivery)) => {
            S::OutForDelivery
        }
        (
            S::Shipped | S::InTransit | S::OutForDelivery | S::Delivered,
            E::CarrierScan(Scan::Delivered),
        ) => S::Delivered,
        (S::Delivered | S::Completed, E::Complete) => S::Completed,
        // cancellation
        (S::PendingPayment | S::PaymentFailed | S::Cancelled, E::Cancel { .. }) => S::Cancelled,
        (
            S::Paid | S::Packed,
            E::Cancel {
                by: By::Customer | By::Staff,
            },
        ) => S::Cancelled,
        (S::Shipped | S::InTransit | S::OutForDelivery, E::Cancel { by: By::Staff }) => {
            S::Cancelled
        }
        (
            S::Shipped | S::InTransit | S::OutForDelivery | S::Delivered | S::Completed,
            E::Cancel { by: By::Customer },
        ) => return Err(AppError::conflict(OrdersRefusal::TooLateToCancel)),
        _ => {
            return Err(AppError::conflict(OrdersRefusal::TransitionInvalid {
                state,
            }))
        }
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderState as S;

    const PA: OrderEvent = OrderEvent::PaymentAuthorised;
    const PC: OrderEvent = OrderEvent::PaymentCaptured;
    const PF: OrderEvent = OrderEvent::PaymentFailed;
    const RP: OrderEvent = OrderEvent::RetryPayment;
    const PK: OrderEvent = OrderEvent::Pack;
    const SH: OrderEvent = OrderEvent::Ship;
    const SIT: OrderEvent = OrderEvent::CarrierScan(CarrierScan::InTransit);
    const SOFD: OrderEvent = OrderEvent::CarrierScan(CarrierScan::OutForDelivery);
    const SD: OrderEvent = OrderEvent::CarrierScan(CarrierScan::Delivered);
    const CO: OrderEvent = OrderEvent::Complete;
    const CC: OrderEvent = OrderEvent::Cancel {
        by: CancelledBy::Customer,
    };
    const CS: OrderEvent = OrderEvent::Cancel {
        by: CancelledBy::Staff,
    };
    const CY: OrderEvent = OrderEvent::Cancel {
        by: CancelledBy::System,
    };

    const ACTORS: [Actor; 5] = [
        Actor::Customer(7),
        Actor::Staff(3),
        Actor::System,
        Actor::Carrier,
        Actor::PaymentProvider,
    ];

    /// The table again, written out by hand as data: (from, event, to). Every pair not
    /// listed must be refused.
    const TABLE: &[(OrderState, OrderEvent, OrderState)] = &[
        (S::PendingPayment, PA, S::Paid),
        (S::PendingPayment, PC, S::Paid),
        (S::PendingPayment, PF, S::PaymentFailed),
        (S::PendingPayment, RP, S::PendingPayment),
        (S::PendingPayment, CC, S::Cancelled),
        (S::PendingPayment, CS, S::Cancelled),
        (S::PendingPayment, CY, S::Cancelled),
        (S::PaymentFailed, PA, S::Paid),
        (S::PaymentFailed, PC, S::Paid),
        (S::PaymentFailed, PF, S::PaymentFailed),
        (S::PaymentFailed, RP, S::PendingPayment),
        (S::PaymentFailed, CC, S::Cancelled),
        (S::PaymentFailed, CS, S::Cancelled),
        (S::PaymentFailed, CY, S::Cancelled),
        (S::Paid, PA, S::Paid),
        (S::Paid, PC, S::Paid),
        (S::Paid, PK, S::Packed),
        (S::Paid, CC, S::Cancelled),
        (S::Paid, CS, S::Cancelled),
        (S::Packed, PA, S::Packed),
        (S::Packed, PC, S::Packed),
        (S::Packed, PK, S::Packed),
        (S::Packed, SH, S::Shipped),
        (S::Packed, CC, S::Cancelled),
        (S::Packed, CS, S::Cancelled),
        (S::Shipped, PA, S::Shipped),
        (S::Shipped, PC, S::Shipped),
        (S::Shipped, SH, S::Shipped),
        (S::Shipped, SIT, S::InTransit),
        (S::Shipped, SOFD, S::OutForDelivery),
        (S::Shipped, SD, S::Delivered),
        (S::Shipped, CS, S::Cancelled),
        (S::InTransit, PA, S::InTransit),
        (S::InTransit, PC, S::InTransit),
        (S::InTransit, SIT, S::InTransit),
        (S::InTransit, SOFD, S::OutForDelivery),
        (S::InTransit, SD, S::Delivered),
        (S::InTransit, CS, S::Cancelled),
        (S::OutForDelivery, PA, S::OutForDelivery),
        (S::OutForDelivery, PC, S::OutForDelivery),
        (S::OutForDelivery, SOFD, S::OutForDelivery),
        (S::OutForDelivery, SD, S::Delivered),
        (S::OutForDelivery, CS, S::Cancelled),
        (S::Delivered, PA, S::Delivered),
        (S::Delivered, PC, S::Delivered),
        (S::Delivered, SD, S::Delivered),
        (S::Delivered, CO, S::Completed),
        (S::Completed, PA, S::Completed),
        (S::Completed, PC, S::Completed),
        (S::Completed, CO, S::Completed),
        (S::Cancelled, CC, S::Cancelled),
        (S::Cancelled, CS, S::Cancelled),
        (S::Cancelled, CY, S::Cancelled),
    ];

    /// Who may send each event, written out by hand.
    fn may_send(event: OrderEvent, actor: Actor) -> bool {
        let kind = actor.to_storage();
        let kind = kind.split(':').next().unwrap();
        let allowed: &[&str] = match event.as_str() {
            "payment_authorised" | "payment_captured" | "payment_failed" => {
                &["payment_provider", "system"]
            }
            "retry_payment" => &["customer", "staff"],
            "pack" | "ship" => &["staff"],
            "scan_in_transit" | "scan_out_for_delivery" | "scan_delivered" => {
                &["carrier", "system"]
            }
            "complete" => &["system", "staff"],
            "cancel_by_customer" => &["customer"],
            "cancel_by_staff" => &["staff"],
            "cancel_by_system" => &["system"],
            other => panic!("unknown event {other}"),
        };
        allowed.contains(&kind)
    }

    #[test]
    fn every_state_event_actor_triple_matches_the_table() {
        let mut checked = 0;
        for state in OrderState::ALL {
            for event in OrderEvent::ALL {
                for actor in ACTORS {
                    let got = next(state, event, actor);
                    let expected = TABLE
                        .iter()
                        .find(|(f, e, _)| *f == state && *e == event)
                        .map(|(_, _, t)| *t);
                    match (may_send(event, actor), expected) {
                        (false, _) => assert!(
                            matches!(got, Err(AppError::Forbidden(_))),
                            "{state:?} {event:?} {actor:?}: {got:?}"
                        ),
                        (true, Some(to)) => {
                            assert_eq!(got, Ok(to), "{state:?} {event:?} {actor:?}")
                        }
                        (true, None) => assert!(
                            matches!(got, Err(AppError::Conflict(_))),
                            "{state:?} {event:?} {actor:?}: {got:?}"
                        ),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 10 * 13 * 5);
        // The table itself has no duplicate pairs.
        for (i, (f, e, _)) in TABLE.iter().enumerate() {
            assert!(
                !TABLE[i + 1..].iter().any(|(f2, e2, _)| f2 == f && e2 == e),
                "{f:?} {e:?}"
            );
        }
    }

    #[test]
    fn nothing_leaves_cancelled_or_completed() {
        for state in [S::Cancelled, S::Completed] {
            assert!(state.is_terminal());
            for event in OrderEvent::ALL {
                for actor in ACTORS {
                    if let Ok(to) = next(state, event, actor) {
                        assert_eq!(to, state, "{event:?} {actor:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn customers_cancel_only_before_shipping() {
        let c = Actor::Customer(1);
        for state in OrderState::ALL {
            let got = next(state, CC, c);
            if state.customer_can_cancel() || state == S::Cancelled {
                assert_eq!(got, Ok(S::Cancelled), "{state:?}");
            } else {
                let e = got.unwrap_err();
                assert!(matches!(e, AppError::Conflict(_)), "{state:?}");
                assert_eq!(
                    e,
                    AppError::conflict(OrdersRefusal::TooLateToCancel),
                    "{state:?}"
                );
            }
        }
    }

    #[test]
    fn a_happy_order_walks_the_whole_way() {
        let steps = [
            (PA, Actor::PaymentProvider, S::Paid),
            (PC, Actor::PaymentProvider, S::Paid),
            (PK, Actor::Staff(2), S::Packed),
            (SH, Actor::Staff(2), S::Shipped),
            (SIT, Actor::Carrier, S::InTransit),
            (SIT, Actor::Carrier, S::InTransit),
            (SOFD, Actor::Carrier, S::OutForDelivery),
            (SD, Actor::Carrier, S::Delivered),
            (CO, Actor::System, S::Completed),
        ];
        let mut s = S::PendingPayment;
        for (event, actor, to) in steps {
            s = next(s, event, actor).unwrap();
            assert_eq!(s, to);
        }
    }

    #[test]
    fn failed_payment_can_be_retried_or_rescued() {
        let s = next(S::PendingPayment, PF, Actor::PaymentProvider).unwrap();
        assert_eq!(s, S::PaymentFailed);
        assert_eq!(next(s, RP, Actor::Customer(1)), Ok(S::PendingPayment));
        assert_eq!(next(s, PC, Actor::PaymentProvider), Ok(S::Paid));
        assert_eq!(next(s, CY, Actor::System), Ok(S::Cancelled));
    }

    #[test]
    fn errors_say_what_and_why() {
        let e = next(S::Paid, PK, Actor::Customer(1)).unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)));
        let e = next(S::PendingPayment, PK, Actor::Staff(1)).unwrap_err();
        assert_eq!(
            e,
            AppError::conflict(OrdersRefusal::TransitionInvalid {
                state: S::PendingPayment
            })
        );
        assert!(
            e.message(crate::i18n::Locale::En)
                .contains("Awaiting payment"),
            "{e}"
        );
        // A scan that goes backwards is refused.
        let e = next(S::OutForDelivery, SIT, Actor::Carrier).unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)));
        // Payment for a cancelled order: refused, so the caller refunds.
        assert!(next(S::Cancelled, PC, Actor::PaymentProvider).is_err());
        // The system does not cancel paid orders.
        assert!(next(S::Paid, CY, Actor::System).is_err());
        // Cancel { by } must match the actor.
        assert!(matches!(
            next(S::Paid, CS, Actor::Customer(1)),
            Err(AppError::Forbidden(_))
        ));
    }

    #[test]
    fn payment_is_held_exactly_in_the_paid_states() {
        for s in OrderState::ALL {
            let expected = !matches!(s, S::PendingPayment | S::PaymentFailed | S::Cancelled);
            assert_eq!(s.holds_payment(), expected, "{s:?}");
        }
    }

    #[test]
    fn names_round_trip_and_labels_are_distinct() {
        let mut labels = Vec::new();
        for s in OrderState::ALL {
            assert_eq!(OrderState::parse(s.as_str()), Some(s));
            labels.push(s.label_key());
        }
        for (i, l) in labels.iter().enumerate() {
            assert!(!labels[i + 1..].contains(l), "{l:?} twice");
        }
        for e in OrderEvent::ALL {
            assert_eq!(OrderEvent::parse(e.as_str()), Some(e));
        }
        for a in ACTORS {
            assert_eq!(Actor::parse(&a.to_storage()), Some(a));
        }
        for bad in [
            "",
            "Paid",
            "customer:",
            "customer:x",
            "staff",
            "robot",
            "system:1",
        ] {
            assert_eq!(Actor::parse(bad), None, "{bad}");
            assert_eq!(OrderState::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&(S::Shipped, CC, Actor::Staff(4))).unwrap();
        assert_eq!(
            serde_json::from_str::<(OrderState, OrderEvent, Actor)>(&json).unwrap(),
            (S::Shipped, CC, Actor::Staff(4))
        );
    }
}
