//! Orders after checkout, server side: the history of a member, an order's detail and
//! invoice, cancelling before shipping, and putting an old order back in the cart.
//!
//! **Who may see an order.** Its owner — the member whose `customer_id` it carries, or the
//! guest session (or member) whose cart owner key is the order's `owner` — and staff
//! (agents, administrators). Everyone else is told the order does not exist (404, the same
//! message as for a number nobody has), so a number cannot be probed. Changing an order
//! (cancel, reorder) is for its owner only; staff who may see it get 403.
//!
//! **Cancelling** goes through the one state machine (`orders::state::next` with
//! `Cancel { by: Customer }`) and `OrderStore::transition_order`, guarded by the state it
//! was decided from; reaching `Cancelled` puts the stock back and frees the coupon use in
//! that transaction. Only then, outside any transaction, the money goes back: a captured
//! payment is refunded (idempotency key `refund-<provider_ref>`), an authorisation is
//! voided, and the payment row is updated. A repeat (double click) changes nothing; if a
//! refund could not be made the first time (provider down), a repeat tries again with the
//! same key, so the customer is never refunded twice.

use std::collections::HashMap;

use crate::accounts::model::Role;
use crate::cart::model::{CartOwner, MAX_QUANTITY};
use crate::checkout::delivery::DeliveryOption;
use crate::checkout::pricing::{vat_contained, UK_VAT_BP};
use crate::error::{AppError, AppResult};
use crate::orders::model::{
    ActorKind, Invoice, OrderDetail, OrderEventView, OrderHistory, OrderLineView, OrderNotice,
    ReorderLine, ReorderOutcome, ReorderResult, Seller, HISTORY_PAGE_SIZE,
};
use crate::orders::port::{PaymentRecord, StoredOrder, Transition};
use crate::orders::refusal::OrdersRefusal;
use crate::orders::state::{self, Actor, CancelledBy, OrderEvent, OrderState};
use crate::payments::port::PaymentGateway;
use crate::payments::{PaymentMethod, PaymentStatus};
use crate::ports::ShopStore;

/// Who is asking about an order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// Whose cart the request holds, if any.
    pub owner: Option<CartOwner>,
    /// The signed-in member.
    pub customer_id: Option<i64>,
    /// The member's role (None for guests).
    pub role: Option<Role>,
}

impl Viewer {
    fn is_staff(&self) -> bool {
        matches!(self.role, Some(Role::Agent | Role::Admin))
    }

    fn owns(&self, order: &StoredOrder) -> bool {
        (order.customer_id.is_some() && order.customer_id == self.customer_id)
            || (order.owner.is_some() && order.owner == self.owner)
    }

    /// The actor of the state machine and the label of the event log.
    fn actor(&self) -> (Actor, String) {
        match self.customer_id {
            Some(id) => (Actor::Customer(id), Actor::Customer(id).to_storage()),
            // Guests have no account id; their events are logged as "guest".
            None => (Actor::Customer(0), "guest".into()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Owner,
    Staff,
}

pub(crate) fn not_found() -> AppError {
    AppError::not_found(OrdersRefusal::NotFound)
}

/// An order number as typed in a URL: letters and digits (and '-'), at most 40.
pub(crate) fn check_number(number: &str) -> AppResult<&str> {
    let n = number.trim();
    if (1..=40).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(n)
    } else {
        Err(not_found())
    }
}

/// The order if the viewer may see it; the same NotFound otherwise.
pub(crate) async fn visible(
    store: &dyn ShopStore,
    viewer: &Viewer,
    number: &str,
) -> AppResult<(StoredOrder, Access)> {
    let number = check_number(number)?;
    let order = store.order_by_number(number).await?.ok_or_else(not_found)?;
    if viewer.owns(&order) {
        Ok((order, Access::Owner))
    } else if viewer.is_staff() {
        Ok((order, Access::Staff))
    } else {
        Err(not_found())
    }
}

/// The order if the viewer owns it: staff who are not the owner get Forbidden.
async fn owned(store: &dyn ShopStore, viewer: &Viewer, number: &str) -> AppResult<StoredOrder> {
    match visible(store, viewer, number).await? {
        (order, Access::Owner) => Ok(order),
        (_, Access::Staff) => Err(AppError::forbidden_because(OrdersRefusal::NotYours)),
    }
}

/// Page `page` (1-based; 0 counts as 1) of a member's orders, newest first.
pub async fn history(
    store: &dyn ShopStore,
    customer_id: i64,
    page: u32,
) -> AppResult<OrderHistory> {
    let page = page.max(1);
    let size = i64::from(HISTORY_PAGE_SIZE);
    let offset = i64::from(page - 1) * size;
    let (orders, total) = store.customer_orders(customer_id, offset, size).await?;
    let pages = u32::try_from(((total + size - 1) / size).max(1)).unwrap_or(u32::MAX);
    Ok(OrderHistory {
        orders,
        page,
        pages,
        total,
    })
}

/// An order of the seeded history: placed before online checkout, so no breakdown,
/// address or payment row was stored.
fn is_legacy(order: &StoredOrder) -> bool {
    order.payment_method.is_empty()
}

fn actor_kind(stored: &str, viewer_owns: bool) -> ActorKind {
    match Actor::parse(stored) {
        Some(Actor::Customer(_)) => {
            if viewer_owns {
                ActorKind::You
            } else {
                ActorKind::Customer
            }
        }
        Some(Actor::Staff(_) | Actor::System) => ActorKind::Shop,
        Some(Actor::Carrier) => ActorKind::Carrier,
        Some(Actor::PaymentProvider) => ActorKind::PaymentProvider,
        // "guest" (and anything unknown the customer side wrote).
        None if stored == "guest" && viewer_owns => ActorKind::You,
        None if stored == "guest" => ActorKind::Customer,
        None => ActorKind::Shop,
    }
}

async fn build_detail(
    store: &dyn ShopStore,
    order: &StoredOrder,
    access: Access,
) -> AppResult<OrderDetail> {
    let is_owner = access == Access::Owner;
    let extras = store.order_extras(order.id).await?.unwrap_or_default();
    let mut codes: Vec<String> = order.lines.iter().map(|l| l.product_code.clone()).collect();
    codes.dedup();
    let titles: HashMap<String, String> = store
        .products_by_codes(&codes)
        .await?
        .into_iter()
        .map(|p| (p.code, p.title))
        .collect();
    let lines: Vec<OrderLineView> = order
        .lines
        .iter()
        .map(|l| OrderLineView {
            product_code: l.product_code.clone(),
            title: titles
                .get(&l.product_code)
                .cloned()
                .unwrap_or_else(|| l.product_code.clone()),
            quantity: l.quantity,
            unit_price_minor: l.unit_price_minor,
            line_total_minor: l.unit_price_minor.saturating_mul(l.quantity),
        })
        .collect();
    let legacy = is_legacy(order);
    let (subtotal, vat) = if legacy {
        (
            lines.iter().map(|l| l.line_total_minor).sum(),
            vat_contained(order.total_minor, UK_VAT_BP),
        )
    } else {
        (order.subtotal_minor, order.vat_minor)
    };
    let mut events: Vec<OrderEventView> = store
        .order_events(order.id)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(OrderEventView {
                at: e.at,
                placed: e.from_state.is_none(),
                to: parse_state(&e.to_state)?,
                actor: actor_kind(&e.actor, is_owner),
            })
        })
        .collect();
    if events.is_empty() {
        // The seeded history has no event log: what is known is when it was placed and
        // where it stands.
        let who = if is_owner {
            ActorKind::You
        } else {
            ActorKind::Customer
        };
        events.push(OrderEventView {
            at: order.placed_at,
            placed: true,
            to: OrderState::PendingPayment,
            actor: who,
        });
        if order.state != OrderState::PendingPayment {
            events.push(OrderEventView {
                at: order.updated_at.max(order.placed_at),
                placed: false,
                to: order.state,
                actor: ActorKind::Shop,
            });
        }
    }
    let payment = store.payments_of(order.id).await?.pop();
    let payment_status = payment
        .as_ref()
        .and_then(|p| PaymentStatus::parse(&p.status));
    let past_shipping = matches!(
        order.state,
        OrderState::Shipped
            | OrderState::InTransit
            | OrderState::OutForDelivery
            | OrderState::Delivered
            | OrderState::Completed
    );
    Ok(OrderDetail {
        number: order.number.clone(),
        placed_at: order.placed_at,
        state: order.state,
        lines,
        subtotal_minor: subtotal,
        discount_minor: order.discount_minor,
        delivery_minor: order.delivery_fee_minor,
        payment_fee_minor: order.payment_fee_minor,
        vat_minor: vat,
        total_minor: order.total_minor,
        coupon_code: order.coupon_code.clone(),
        legacy,
        refunded_minor: extras.refunded_minor,
        email: order.email.clone(),
        address: extras.address,
        delivery_option: DeliveryOption::parse(&extras.delivery_option),
        window_start: extras.window_start,
        window_end: extras.window_end,
        payment_method: PaymentMethod::parse(
            payment
                .as_ref()
                .map(|p| p.method.as_str())
                .unwrap_or(order.payment_method.as_str()),
        ),
        payment_status,
        events,
        is_owner,
        // Also on a cancelled order whose money could not be returned yet: a retry.
        can_cancel: is_owner
            && (order.state.customer_can_cancel()
                || (order.state == OrderState::Cancelled
                    && matches!(
                        payment_status,
                        Some(PaymentStatus::Captured | PaymentStatus::Authorised)
                    ))),
        can_pay_again: is_owner && order.state == OrderState::PaymentFailed,
        can_track: past_shipping && !legacy,
        paid: order.state.holds_payment(),
        notice: None,
    })
}

/// The state names of the event log (the seeded history's `partially_refunded` is a
/// completed order).
pub(crate) fn parse_state(s: &str) -> Option<OrderState> {
    match s {
        "partially_refunded" => Some(OrderState::Completed),
        _ => OrderState::parse(s),
    }
}

/// The order `number` as the viewer may see it.
pub async fn detail(
    store: &dyn ShopStore,
    viewer: &Viewer,
    number: &str,
) -> AppResult<OrderDetail> {
    let (order, access) = visible(store, viewer, number).await?;
    build_detail(store, &order, access).await
}

/// The invoice of a paid order (Conflict, with a message, for one not paid).
pub async fn invoice(store: &dyn ShopStore, viewer: &Viewer, number: &str) -> AppResult<Invoice> {
    let (order, access) = visible(store, viewer, number).await?;
    if !order.state.holds_payment() {
        return Err(AppError::conflict(OrdersRefusal::InvoiceUnpaid));
    }
    let issued_at = store
        .order_events(order.id)
        .await?
        .iter()
        .find(|e| e.to_state == OrderState::Paid.as_str())
        .map(|e| e.at)
        .unwrap_or(order.placed_at);
    let detail = build_detail(store, &order, access).await?;
    Ok(Invoice {
        net_minor: detail.total_minor - detail.vat_minor,
        order: detail,
        seller: Seller::demo(),
        issued_at,
        vat_rate_bp: UK_VAT_BP,
    })
}

/// Cancel the viewer's order before it ships (see the module docs): stock back, coupon
/// freed, money refunded or released. A repeat answers with the cancelled order.
pub async fn cancel(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    viewer: &Viewer,
    number: &str,
    now: i64,
) -> AppResult<OrderDetail> {
    let order = owned(store, viewer, number).await?;
    let (actor, label) = viewer.actor();
    let event = OrderEvent::Cancel {
        by: CancelledBy::Customer,
    };
    let mut current = order;
    // Guarded by the state it was decided from; retried if another change won the race.
    let mut moved = false;
    for _ in 0..5 {
        let to = state::next(current.state, event, actor)?;
        if to == current.state {
            break; // already cancelled: a repeat
        }
        if store
            .transition_order(
                current.id,
                &Transition {
                    from: current.state,
                    to,
                    event,
                    actor: &label,
                },
                now,
                None,
            )
            .await?
        {
            moved = true;
            break;
        }
        current = store
            .order_by_id(current.id)
            .await?
            .ok_or_else(|| AppError::internal("order vanished while cancelling"))?;
    }
    let current = store
        .order_by_id(current.id)
        .await?
        .ok_or_else(|| AppError::internal("order vanished while cancelling"))?;
    if current.state != OrderState::Cancelled {
        return Err(AppError::internal(format!(
            "order {} kept changing while cancelling",
            current.number
        )));
    }
    let notice = give_money_back(store, gateway, &current, now).await?;
    let mut detail = build_detail(store, &current, Access::Owner).await?;
    detail.notice = notice.or_else(|| moved.then_some(OrderNotice::Cancelled));
    Ok(detail)
}

/// Refund captured payments and void held ones of a cancelled order, recording each.
/// Only payments still holding money are touched, so a repeat does nothing.
async fn give_money_back(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    now: i64,
) -> AppResult<Option<OrderNotice>> {
    let mut notice = None;
    for p in store.payments_of(order.id).await? {
        if p.provider != gateway.name() {
            continue;
        }
        let status = PaymentStatus::parse(&p.status);
        let answer = match status {
            Some(PaymentStatus::Captured) => {
                gateway
                    .refund(
                        &p.provider_ref,
                        p.amount_minor,
                        &format!("refund-{}", p.provider_ref),
                    )
                    .await
            }
            Some(
                PaymentStatus::Authorised | PaymentStatus::RequiresAction | PaymentStatus::Pending,
            ) => gateway.void(&p.provider_ref).await,
            _ => continue,
        };
        match answer {
            Ok(outcome) if outcome.status != status.unwrap_or(PaymentStatus::Captured) => {
                let record = PaymentRecord {
                    status: outcome.status.as_str().to_string(),
                    at: now,
                    ..p.clone()
                };
                store.record_payment(&record).await?;
                notice = Some(match outcome.status {
                    PaymentStatus::Refunded => OrderNotice::Refunded {
                        amount_minor: p.amount_minor,
                    },
                    _ => OrderNotice::PaymentReleased,
                });
            }
            Ok(_) => {
                leptos::logging::warn!(
                    "provider did not give back payment {} of {}",
                    p.provider_ref,
                    order.number
                );
                notice = Some(OrderNotice::RefundPending);
            }
            Err(e) => {
                leptos::logging::warn!(
                    "refund of {} for {} failed: {e}",
                    p.provider_ref,
                    order.number
                );
                notice = Some(OrderNotice::RefundPending);
            }
        }
    }
    Ok(notice)
}

/// Put the lines of the viewer's order into the viewer's cart, at today's prices, as far
/// as stock and the 99-per-product cap allow. Says line by line what went in.
pub async fn reorder(
    store: &dyn ShopStore,
    viewer: &Viewer,
    number: &str,
    now: i64,
) -> AppResult<ReorderResult> {
    let order = owned(store, viewer, number).await?;
    // An owner always has a cart key (the order was matched on it or on the account).
    let cart_owner = viewer
        .owner
        .clone()
        .ok_or_else(|| AppError::internal("order owner without a cart key"))?;
    // The same product on two lines (the seeded history has some) is one cart line.
    let mut wanted: Vec<(String, i64)> = Vec::new();
    for l in &order.lines {
        match wanted.iter_mut().find(|(c, _)| *c == l.product_code) {
            Some((_, q)) => *q += l.quantity,
            None => wanted.push((l.product_code.clone(), l.quantity)),
        }
    }
    let codes: Vec<String> = wanted.iter().map(|(c, _)| c.clone()).collect();
    let products: HashMap<String, crate::catalog::model::ProductCard> = store
        .products_by_codes(&codes)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let mut cart: HashMap<String, i64> = store.cart(&cart_owner).await?.into_iter().collect();
    let mut lines = Vec::with_capacity(wanted.len());
    for (code, asked) in wanted {
        let product = products.get(&code);
        let in_cart = cart.get(&code).copied().unwrap_or(0);
        let room_for_new_line = in_cart > 0 || cart.len() < crate::cart::service::MAX_LINES;
        let added = match product {
            Some(p) if room_for_new_line => {
                let limit = p.stock.min(MAX_QUANTITY) - in_cart;
                asked.min(limit).max(0)
            }
            _ => 0,
        };
        if added > 0 {
            store
                .set_cart_quantity(&cart_owner, &code, in_cart + added, now)
                .await?;
            cart.insert(code.clone(), in_cart + added);
        }
        let outcome = if added == asked {
            ReorderOutcome::Added
        } else if added > 0 {
            ReorderOutcome::Reduced
        } else {
            ReorderOutcome::Unavailable
        };
        lines.push(ReorderLine {
            title: product.map(|p| p.title.clone()).unwrap_or(code.clone()),
            product_code: code,
            asked,
            added,
            outcome,
        });
    }
    let cart_items = crate::cart::service::view(store, &cart_owner)
        .await?
        .item_count;
    Ok(ReorderResult { lines, cart_items })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::port::OrderLineRecord;

    fn order(customer_id: Option<i64>, owner: Option<&str>) -> StoredOrder {
        StoredOrder {
            id: 1,
            number: "EMTEST".into(),
            owner: owner.and_then(CartOwner::parse),
            customer_id,
            email: None,
            state: OrderState::Paid,
            subtotal_minor: 0,
            discount_minor: 0,
            delivery_fee_minor: 0,
            vat_minor: 0,
            payment_fee_minor: 0,
            total_minor: 0,
            coupon_code: None,
            payment_method: "card".into(),
            placed_at: 0,
            updated_at: 0,
            lines: vec![OrderLineRecord {
                product_code: "X".into(),
                quantity: 1,
                unit_price_minor: 1,
            }],
        }
    }

    fn viewer(owner: Option<&str>, customer_id: Option<i64>, role: Option<Role>) -> Viewer {
        Viewer {
            owner: owner.and_then(CartOwner::parse),
            customer_id,
            role,
        }
    }

    #[test]
    fn owners_are_the_account_or_the_cart_key() {
        let member_order = order(Some(7), Some("a:7"));
        let seeded = order(Some(7), None);
        let guest_order = order(None, Some("s:abc"));
        let alice = viewer(Some("a:7"), Some(7), Some(Role::Customer));
        let bob = viewer(Some("a:8"), Some(8), Some(Role::Customer));
        let guest = viewer(Some("s:abc"), None, None);
        let other_guest = viewer(Some("s:xyz"), None, None);
        let nobody = Viewer::default();
        assert!(alice.owns(&member_order) && alice.owns(&seeded));
        assert!(!bob.owns(&member_order) && !bob.owns(&seeded) && !bob.owns(&guest_order));
        assert!(guest.owns(&guest_order) && !guest.owns(&member_order));
        assert!(!other_guest.owns(&guest_order));
        // None never matches None.
        assert!(!nobody.owns(&seeded) && !nobody.owns(&order(None, None)));
        assert!(viewer(None, Some(1), Some(Role::Agent)).is_staff());
        assert!(viewer(None, Some(1), Some(Role::Admin)).is_staff());
        assert!(!alice.is_staff() && !guest.is_staff());
    }

    #[test]
    fn numbers_outside_the_alphabet_are_simply_not_found() {
        assert_eq!(check_number(" EM23ABCDEFGH "), Ok("EM23ABCDEFGH"));
        assert_eq!(check_number("536365"), Ok("536365"));
        for bad in ["", "a b", "x'--", &"9".repeat(41), "EM/../x"] {
            assert!(
                matches!(check_number(bad), Err(AppError::NotFound(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn actors_read_from_the_viewers_side() {
        assert_eq!(actor_kind("customer:3", true), ActorKind::You);
        assert_eq!(actor_kind("customer:3", false), ActorKind::Customer);
        assert_eq!(actor_kind("guest", true), ActorKind::You);
        assert_eq!(actor_kind("guest", false), ActorKind::Customer);
        assert_eq!(actor_kind("staff:2", true), ActorKind::Shop);
        assert_eq!(actor_kind("system", true), ActorKind::Shop);
        assert_eq!(actor_kind("carrier", true), ActorKind::Carrier);
        assert_eq!(
            actor_kind("payment_provider", false),
            ActorKind::PaymentProvider
        );
        assert_eq!(
            viewer(None, None, None).actor(),
            (Actor::Customer(0), "guest".to_string())
        );
        assert_eq!(
            viewer(Some("a:4"), Some(4), Some(Role::Customer)).actor(),
            (Actor::Customer(4), "customer:4".to_string())
        );
    }

    #[test]
    fn seeded_orders_are_recognised() {
        let mut o = order(Some(1), None);
        assert!(!is_legacy(&o));
        o.payment_method.clear();
        assert!(is_legacy(&o));
        assert_eq!(
            parse_state("partially_refunded"),
            Some(OrderState::Completed)
        );
        assert_eq!(parse_state("nonsense"), None);
    }
}
