//! Checkout, server side: reserve the basket's stock, place the order, take the payment.
//!
//! Placing an order follows three steps (Spree's checkout completion):
//! 1. **prepare**, one transaction (`OrderStore::create_order`): insert the order as
//!    `PendingPayment` (which claims the idempotency key), claim the checkout token (one
//!    order per checkout), take the stock (never below 0, others' reservations respected),
//!    redeem the coupon within its limits, insert its lines and first event, drop the
//!    checkout's reservations and the ordered cart lines; the order comes back as stored;
//! 2. **the provider**, outside any transaction (a network call must not hold locks):
//!    authorise, then capture;
//! 3. **finalise**, a second transaction (`OrderStore::transition_order`): record the
//!    payment and move the order with `orders::state::next`, guarded by its current state.
//!
//! A repeated idempotency key answers with the order the first request created, and never
//! reaches the provider again: one order, one charge. So does another key for a checkout
//! token already placed (two tabs, a reload during the request): the checkout token is
//! claimed in the prepare transaction, so of concurrent placements one makes the order and
//! the others wait for it and answer with it (another owner's gets a Conflict).
//!
//! **Declined payments.** The order becomes `PaymentFailed` and *keeps its stock* so the
//! shopper can retry with another card ([`retry_payment`]). An order still unpaid
//! (pending or failed) after `CheckoutConfig::unpaid_timeout_secs` (30 minutes by default)
//! is cancelled by [`expire_unpaid`], which puts its stock back and frees its coupon use.

use crate::accounts::validate;
use crate::calendar::CivilDate;
use crate::cart::model::CartOwner;
use crate::cart::service as cart;
use crate::checkout::coupon::{self, CouponEffect};
use crate::checkout::delivery::{self, DeliveryOption};
use crate::checkout::model::{
    CheckoutQuote, CheckoutStarted, PaymentNotice, PaymentView, PlaceOrderRequest, PlacedOrder,
    ReservedLine, RESERVATION_SECS,
};
use crate::checkout::pricing::{self, Adjustment, PriceLine, PricingInput};
use crate::checkout::recovery;
use crate::checkout::refusal::CheckoutRefusal;
use crate::error::{AppError, AppResult};
use crate::orders::port::{
    NewOrder, PaymentRecord, PlaceOutcome, Shortage, StoredOrder, Transition,
};
use crate::orders::refusal::OrdersRefusal;
use crate::orders::state::{self, Actor, CancelledBy, OrderEvent, OrderState};
use crate::payments::port::{PaymentAttempt, PaymentGateway, PaymentOutcome, PaymentRequest};
use crate::payments::{DeclineReason, PaymentMethod, PaymentStatus};
use crate::ports::ShopStore;

/// Who is checking out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buyer {
    /// Whose basket is being bought.
    pub owner: CartOwner,
    pub customer_id: Option<i64>,
    /// The account's email (members); guests give one with the order.
    pub account_email: Option<String>,
}

impl Buyer {
    fn actor(&self) -> Actor {
        // Guests have no account id; their events are logged as "guest".
        Actor::Customer(self.customer_id.unwrap_or(0))
    }

    fn actor_label(&self) -> String {
        match self.customer_id {
            Some(id) => Actor::Customer(id).to_storage(),
            None => "guest".into(),
        }
    }
}

/// What the checkout page sends to see the price before paying.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteRequest {
    /// May be empty (a guest who has not typed it yet).
    pub email: String,
    pub delivery_option: String,
    pub delivery_day: Option<String>,
    pub coupon_code: Option<String>,
    /// `PaymentMethod::as_str`; empty counts as a card (no fee).
    pub payment_method: String,
}

/// A token or key from the client: 8 to 100 URL-safe characters.
fn check_client_key(key: &str, error: CheckoutRefusal) -> AppResult<()> {
    if (8..=100).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(AppError::bad_request(error))
    }
}

fn shortage_error(s: &Shortage) -> AppError {
    AppError::conflict(CheckoutRefusal::NotEnoughStock {
        title: s.title.clone(),
        available: s.available,
    })
}

/// A fresh checkout token.
pub fn new_checkout_token() -> String {
    crate::accounts::session::new_token()
}

/// Hold the stock of the owner's basket for [`RESERVATION_SECS`] under `checkout_token`
/// (a new hold replaces the token's previous one). Conflict, naming the product, when
/// another shopper holds or bought what is left.
pub async fn reserve(
    store: &dyn ShopStore,
    owner: &CartOwner,
    checkout_token: &str,
    now: i64,
) -> AppResult<CheckoutStarted> {
    check_client_key(checkout_token, CheckoutRefusal::TokenInvalid)?;
    let basket = cart::view(store, owner).await?;
    if basket.lines.is_empty() {
        return Err(AppError::bad_request(CheckoutRefusal::CartEmpty));
    }
    let lines: Vec<(String, i64)> = basket
        .lines
        .iter()
        .map(|l| (l.product.code.clone(), l.quantity))
        .collect();
    let expires_at = now + RESERVATION_SECS;
    if let Some(short) = store
        .reserve_stock(owner, checkout_token, &lines, now, expires_at)
        .await?
    {
        return Err(shortage_error(&short));
    }
    Ok(CheckoutStarted {
        checkout_token: checkout_token.to_string(),
        expires_at,
        lines: basket
            .lines
            .iter()
            .map(|l| ReservedLine {
                product_code: l.product.code.clone(),
                title: l.product.title.clone(),
                quantity: l.quantity,
                unit_price_minor: l.product.price_minor,
            })
            .collect(),
        subtotal_minor: basket.subtotal_minor,
        delivery_options: delivery::options(now, basket.subtotal_minor),
        chosen_days: delivery::chosen_days(now)
            .into_iter()
            .map(|d| d.to_string())
            .collect(),
    })
}

/// A new order number: `EM` and 10 characters (no 0/O/1/I).
fn new_order_number() -> String {
    use rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    let tail: String = bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("EM{tail}")
}

/// Customer key of per-customer coupon limits: the account, else the email.
fn coupon_customer(buyer: &Buyer, email: &str) -> String {
    match buyer.customer_id {
        Some(id) => format!("a:{id}"),
        None => format!("e:{email}"),
    }
}

/// Place the owner's basket as an order and pay for it (see the module docs). The same
/// `idempotency_key` always answers with the same order.
pub async fn place_order(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    buyer: &Buyer,
    req: &PlaceOrderRequest,
    now: i64,
) -> AppResult<PlacedOrder> {
    check_client_key(&req.idempotency_key, CheckoutRefusal::OrderRequestInvalid)?;
    // Both look-ups in one statement (an invalid checkout token finds nothing: claims hold
    // valid ones only).
    let (by_key, by_checkout) = store
        .orders_for_request(&req.idempotency_key, &req.checkout_token)
        .await?;
    if let Some((order_id, owner)) = by_key {
        return resume(store, gateway, buyer, req, order_id, &owner, now).await;
    }
    check_client_key(&req.checkout_token, CheckoutRefusal::TokenInvalid)?;
    // One checkout, one order: another key for a checkout already placed (a second tab,
    // a reload) answers with that order and never reaches the provider.
    if let Some((order_id, owner)) = by_checkout {
        return existing(store, buyer, order_id, &owner).await;
    }
    let email = match (&buyer.account_email, req.email.trim()) {
        (Some(account), "") => account.clone(),
        (_, given) => validate::email(given)?,
    };
    let address = validate::address(&req.address)?;
    let option = DeliveryOption::parse(&req.delivery_option)
        .ok_or_else(|| AppError::bad_request(CheckoutRefusal::OrderRequestInvalid))?;
    let day = match req.delivery_day.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            CivilDate::parse(d)
                .ok_or_else(|| AppError::bad_request(CheckoutRefusal::OrderRequestInvalid))?,
        ),
    };
    let method = PaymentMethod::parse(&req.payment_method)
        .ok_or_else(|| AppError::bad_request(CheckoutRefusal::PaymentMethodUnknown))?;
    check_payment_token(method, &req.payment_token)?;

    let basket = cart::view(store, &buyer.owner).await?;
    if basket.lines.is_empty() {
        // A repeat racing the first request may find the basket already emptied by it.
        let (by_key, by_checkout) = store
            .orders_for_request(&req.idempotency_key, &req.checkout_token)
            .await?;
        if let Some((order_id, owner)) = by_key.or(by_checkout) {
            return existing(store, buyer, order_id, &owner).await;
        }
        return Err(AppError::bad_request(CheckoutRefusal::CartEmpty));
    }
    let Priced {
        breakdown,
        delivery: quote,
        coupon: coupon_used,
    } = price_basket(
        store,
        buyer,
        &email,
        &basket,
        req.coupon_code.as_deref(),
        option,
        day,
        method,
        now,
    )
    .await?;

    let order = NewOrder {
        number: new_order_number(),
        idempotency_key: req.idempotency_key.clone(),
        owner: buyer.owner.clone(),
        customer_id: buyer.customer_id,
        email,
        checkout_token: req.checkout_token.clone(),
        address,
        delivery: quote,
        breakdown,
        coupon: coupon_used,
        payment_method: method.as_str().to_string(),
        placed_at: now,
        actor: buyer.actor_label(),
    };
    match store.create_order(&order).await? {
        // The order as stored comes back from the transaction: nothing to read again.
        PlaceOutcome::Placed(stored) => {
            pay(store, gateway, &stored, method, &req.payment_token, 1, now).await
        }
        PlaceOutcome::Existing { order_id, owner } => {
            existing(store, buyer, order_id, &owner).await
        }
        PlaceOutcome::Shortage(s) => Err(shortage_error(&s)),
    }
}

/// A basket priced for checkout: what `place_order` charges and `quote` shows.
struct Priced {
    breakdown: pricing::PriceBreakdown,
    delivery: delivery::DeliveryQuote,
    /// The coupon applied and the customer key its per-customer limit counts.
    coupon: Option<(coupon::Coupon, String)>,
}

/// Price the basket with the one pricing function: its lines at today's prices, the
/// coupon (checked against its limits as they stand now; `create_order` checks them again
/// under a lock) and the delivery option.
#[allow(clippy::too_many_arguments)]
async fn price_basket(
    store: &dyn ShopStore,
    buyer: &Buyer,
    email: &str,
    basket: &crate::cart::model::Cart,
    coupon_code: Option<&str>,
    option: DeliveryOption,
    day: Option<CivilDate>,
    method: PaymentMethod,
    now: i64,
) -> AppResult<Priced> {
    let lines: Vec<PriceLine> = basket.lines.iter().map(PriceLine::from).collect();
    // What the coupon's minimum spend and the delivery fee are measured on: pricing's rule 1,
    // equal to the cart's subtotal and to `breakdown.subtotal_minor`.
    let subtotal = pricing::lines_subtotal(&lines);

    let mut adjustments = Vec::new();
    let mut coupon_used = None;
    if let Some(raw) = coupon_code.filter(|c| !c.trim().is_empty()) {
        let code = coupon::normalise_code(raw)?;
        let found = store
            .coupon(&code)
            .await?
            .ok_or_else(|| AppError::bad_request(CheckoutRefusal::CouponUnknown))?;
        let customer = coupon_customer(buyer, email);
        let (total, mine) = store.coupon_uses(&code, &customer).await?;
        let effect: CouponEffect = coupon::check(&found, subtotal, now, total, mine)?;
        adjustments.push(Adjustment::Coupon(effect));
        coupon_used = Some((found, customer));
    }
    let quote = delivery::quote(option, day, now, subtotal)?;
    let breakdown = pricing::price(&PricingInput {
        lines,
        delivery_fee_minor: quote.fee_minor,
        adjustments,
        payment_fee_bp: method.fee_bp(),
        ..Default::default()
    })?;
    Ok(Priced {
        breakdown,
        delivery: quote,
        coupon: coupon_used,
    })
}

/// What the checkout page asks before the shopper pays: the price of the basket with this
/// delivery option and coupon, exactly as `place_order` would charge it.
pub async fn quote(
    store: &dyn ShopStore,
    buyer: &Buyer,
    req: &QuoteRequest,
    now: i64,
) -> AppResult<CheckoutQuote> {
    let option = DeliveryOption::parse(&req.delivery_option)
        .ok_or_else(|| AppError::bad_request(CheckoutRefusal::OrderRequestInvalid))?;
    let day = match req.delivery_day.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            CivilDate::parse(d)
                .ok_or_else(|| AppError::bad_request(CheckoutRefusal::OrderRequestInvalid))?,
        ),
    };
    // The per-customer coupon limit of a guest counts by email; before the guest has
    // typed one, count by the basket's owner key.
    let email = match (&buyer.account_email, req.email.trim()) {
        (Some(account), "") => account.clone(),
        (_, "") => buyer.owner.key(),
        (_, given) => validate::email(given)?,
    };
    let method = match req.payment_method.trim() {
        "" => PaymentMethod::Card,
        m => PaymentMethod::parse(m)
            .ok_or_else(|| AppError::bad_request(CheckoutRefusal::PaymentMethodUnknown))?,
    };
    let basket = cart::view(store, &buyer.owner).await?;
    if basket.lines.is_empty() {
        return Err(AppError::bad_request(CheckoutRefusal::CartEmpty));
    }
    let priced = price_basket(
        store,
        buyer,
        &email,
        &basket,
        req.coupon_code.as_deref(),
        option,
        day,
        method,
        now,
    )
    .await?;
    let b = priced.breakdown;
    Ok(CheckoutQuote {
        subtotal_minor: b.subtotal_minor,
        discount_minor: b.goods_discount_minor + b.delivery_discount_minor,
        delivery_minor: b.delivery_minor,
        vat_minor: b.vat_minor,
        total_minor: b.total_minor,
        coupon_code: priced.coupon.map(|(c, _)| c.code),
        delivery: priced.delivery,
        payment_fee_minor: b.payment_fee_minor,
        instalments: method
            .instalments()
            .map(|n| crate::payments::instalment_schedule(b.total_minor, n))
            .unwrap_or_default(),
    })
}

/// The order a repeated idempotency key names, if it is this buyer's.
async fn existing(
    store: &dyn ShopStore,
    buyer: &Buyer,
    order_id: i64,
    owner: &Option<CartOwner>,
) -> AppResult<PlacedOrder> {
    if owner.as_ref() != Some(&buyer.owner) {
        return Err(AppError::conflict(CheckoutRefusal::OrderRequestReused));
    }
    view(store, &load(store, order_id).await?, None).await
}

/// Tokens only: anything else (a card number pasted by mistake or by a broken form) is
/// refused without being logged or stored. Wallets take no token (empty).
fn check_payment_token(method: PaymentMethod, token: &str) -> AppResult<()> {
    if method.is_wallet() {
        return if token.is_empty() {
            Ok(())
        } else {
            Err(AppError::bad_request(CheckoutRefusal::PaymentTokenInvalid))
        };
    }
    if token.starts_with("tok_")
        && (8..=200).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(())
    } else {
        Err(AppError::bad_request(CheckoutRefusal::PaymentTokenInvalid))
    }
}

async fn load(store: &dyn ShopStore, id: i64) -> AppResult<StoredOrder> {
    store
        .order_by_id(id)
        .await?
        .ok_or_else(|| AppError::internal(format!("order {id} vanished")))
}

/// Pay again for an order whose payment failed (another card). Only the order's owner.
pub async fn retry_payment(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    buyer: &Buyer,
    number: &str,
    payment_method: &str,
    payment_token: &str,
    now: i64,
) -> AppResult<PlacedOrder> {
    let method = PaymentMethod::parse(payment_method)
        .ok_or_else(|| AppError::bad_request(CheckoutRefusal::PaymentMethodUnknown))?;
    check_payment_token(method, payment_token)?;
    let order = owned_order(store, buyer, number).await?;
    match order.state {
        OrderState::PaymentFailed => {}
        OrderState::PendingPayment => {
            return Err(AppError::conflict(CheckoutRefusal::PaymentInProgress))
        }
        // Paid or further along, or cancelled: nothing to pay; show where it stands.
        _ => return view(store, &order, None).await,
    }
    let to = state::next(order.state, OrderEvent::RetryPayment, buyer.actor())?;
    // Guarded: of two racing retries, one moves the order; the other is told so.
    if !store
        .transition_order(
            order.id,
            &Transition {
                from: order.state,
                to,
                event: OrderEvent::RetryPayment,
                actor: &buyer.actor_label(),
            },
            now,
            None,
        )
        .await?
    {
        return Err(AppError::conflict(CheckoutRefusal::PaymentInProgress));
    }
    let order = load(store, order.id).await?;
    let n = store.attempts_of(order.id).await?.len() + 1;
    pay(store, gateway, &order, method, payment_token, n, now).await
}

/// After a 3-D Secure challenge: ask the provider where the latest payment stands and
/// finish the order accordingly.
pub async fn confirm_payment(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    buyer: &Buyer,
    number: &str,
    now: i64,
) -> AppResult<PlacedOrder> {
    let order = owned_order(store, buyer, number).await?;
    let Some(last) = store.payments_of(order.id).await?.pop() else {
        return view(store, &order, None).await;
    };
    if !matches!(
        PaymentStatus::parse(&last.status),
        Some(PaymentStatus::RequiresAction | PaymentStatus::Pending)
    ) {
        return view(store, &order, None).await;
    }
    let outcome = match gateway.status(&last.provider_ref).await {
        Ok(o) => o,
        Err(e) => {
            leptos::logging::warn!("payment status of {} failed: {e}", order.number);
            return view(store, &order, Some(PaymentNotice::Unavailable)).await;
        }
    };
    let method = PaymentMethod::parse(&last.method).unwrap_or(PaymentMethod::Card);
    settle(store, gateway, &order, method, outcome, now).await
}

async fn owned_order(store: &dyn ShopStore, buyer: &Buyer, number: &str) -> AppResult<StoredOrder> {
    let not_found = || AppError::not_found(OrdersRefusal::NotFound);
    let order = store
        .order_by_number(number.trim())
        .await?
        .ok_or_else(not_found)?;
    if order.owner.as_ref() != Some(&buyer.owner) {
        return Err(not_found());
    }
    Ok(order)
}

/// Steps 2 and 3: the provider, then the finalising transaction. The attempt is written
/// first (`payment_attempts`, under a lease), so a crash at any point after this leaves a
/// trace that a retry with the same key or [`recovery`](super::recovery) finishes.
async fn pay(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    method: PaymentMethod,
    token: &str,
    n: usize,
    now: i64,
) -> AppResult<PlacedOrder> {
    // `n` is the attempt number the caller decided on from what it read: two requests that
    // read the same attempts claim the same key, and only one of them pays.
    let attempt = PaymentAttempt {
        key: format!("{}-{n}", order.number),
        order_id: order.id,
        method: method.as_str().to_string(),
        amount_minor: order.total_minor,
        started_at: now,
        lease_until: now + recovery::ATTEMPT_LEASE_SECS,
        resolved_at: None,
        outcome: String::new(),
    };
    if !store.start_attempt(&attempt).await? {
        // Another request is paying for this order at this moment.
        return view(store, order, Some(PaymentNotice::InProgress)).await;
    }
    run_attempt(
        store,
        gateway,
        order,
        method,
        token,
        &attempt.key,
        true,
        now,
    )
    .await
}

/// Ask the provider to authorise under the attempt's key (a repeat of the key answers
/// with the payment it made first), then settle and resolve the attempt. The caller holds
/// the attempt's lease. `new_key`: the key was never sent to the provider before, so its
/// payment is a new one, the order's latest.
#[allow(clippy::too_many_arguments)]
async fn run_attempt(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    method: PaymentMethod,
    token: &str,
    key: &str,
    new_key: bool,
    now: i64,
) -> AppResult<PlacedOrder> {
    let request = PaymentRequest {
        idempotency_key: key.to_string(),
        order_number: order.number.clone(),
        amount_minor: order.total_minor,
        currency: "GBP",
        method,
        token: token.to_string(),
    };
    let outcome = match gateway.authorise(&request).await {
        Ok(o) => o,
        Err(e) => {
            // Unknown outcome: the attempt stays open and its lease is given up, so a
            // retry with the same key resumes it, or recovery asks the provider.
            tracing::warn!(order = %order.number, error = %e, "payment provider failed");
            store.release_attempt(key).await?;
            return view(store, order, Some(PaymentNotice::Unavailable)).await;
        }
    };
    let placed = match settle_payment(store, gateway, order, method, outcome, new_key, now).await {
        Ok(placed) => placed,
        Err(e) => {
            store.release_attempt(key).await?;
            return Err(e);
        }
    };
    store.resolve_attempt(key, recovery::SETTLED, now).await?;
    Ok(placed)
}

/// A placement repeated with its idempotency key: show the order, or, if a crash left it
/// unpaid with its payment not finished, resume the payment with this request's token.
async fn resume(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    buyer: &Buyer,
    req: &PlaceOrderRequest,
    order_id: i64,
    owner: &Option<CartOwner>,
    now: i64,
) -> AppResult<PlacedOrder> {
    if owner.as_ref() != Some(&buyer.owner) {
        return Err(AppError::conflict(CheckoutRefusal::OrderRequestReused));
    }
    let order = load(store, order_id).await?;
    if order.state != OrderState::PendingPayment {
        return view(store, &order, None).await;
    }
    let attempts = store.attempts_of(order.id).await?;
    let method = PaymentMethod::parse(&req.payment_method)
        .ok_or_else(|| AppError::bad_request(CheckoutRefusal::PaymentMethodUnknown))?;
    match attempts.last() {
        // The provider was never asked (a crash right after the order was made), or
        // recovery found it never received the attempt: pay now.
        None => {
            check_payment_token(method, &req.payment_token)?;
            pay(
                store,
                gateway,
                &order,
                method,
                &req.payment_token,
                attempts.len() + 1,
                now,
            )
            .await
        }
        Some(a) if a.outcome == recovery::ABANDONED => {
            check_payment_token(method, &req.payment_token)?;
            pay(
                store,
                gateway,
                &order,
                method,
                &req.payment_token,
                attempts.len() + 1,
                now,
            )
            .await
        }
        // In flight and nobody working on it (its lease ran out): finish it under its key.
        Some(a) if a.resolved_at.is_none() => {
            if !store
                .claim_attempt(&a.key, now, now + recovery::ATTEMPT_LEASE_SECS)
                .await?
            {
                return view(store, &order, Some(PaymentNotice::InProgress)).await;
            }
            let method = PaymentMethod::parse(&a.method).unwrap_or(method);
            if method.is_wallet() != req.payment_token.is_empty()
                || check_payment_token(method, &req.payment_token).is_err()
            {
                // Not this attempt's kind of token: let recovery ask the provider.
                store.release_attempt(&a.key).await?;
                return view(store, &order, Some(PaymentNotice::InProgress)).await;
            }
            run_attempt(
                store,
                gateway,
                &order,
                method,
                &req.payment_token,
                &a.key,
                false,
                now,
            )
            .await
        }
        // Settled and waiting for the shopper (3-D Secure, a wallet): show it.
        Some(_) => view(store, &order, None).await,
    }
}

/// Act on what the provider said: capture an authorisation, record the payment and move
/// the order. `order` is as read (or stored) just before.
pub(crate) async fn settle(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    method: PaymentMethod,
    outcome: PaymentOutcome,
    now: i64,
) -> AppResult<PlacedOrder> {
    settle_payment(store, gateway, order, method, outcome, false, now).await
}

/// [`settle`]; `newest`: the payment is the order's latest (a new one), so the answer shows
/// it as recorded instead of reading the order's payments back.
async fn settle_payment(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    method: PaymentMethod,
    mut outcome: PaymentOutcome,
    newest: bool,
    now: i64,
) -> AppResult<PlacedOrder> {
    // Pay later: the authorisation stands until the parcel ships (`orders::shipping::ship`).
    if outcome.status == PaymentStatus::Authorised && !method.captures_at_dispatch() {
        let key = format!("capture-{}", outcome.provider_ref);
        match gateway
            .capture(&outcome.provider_ref, order.total_minor, &key)
            .await
        {
            Ok(captured) => outcome = captured,
            Err(e) => leptos::logging::warn!("capture failed for {}: {e}", order.number),
        }
    }
    let record = PaymentRecord {
        order_id: order.id,
        provider: gateway.name().to_string(),
        provider_ref: outcome.provider_ref.clone(),
        method: method.as_str().to_string(),
        amount_minor: order.total_minor,
        status: outcome.status.as_str().to_string(),
        detail: outcome
            .decline
            .map(|d| d.as_str().to_string())
            .or_else(|| outcome.next_action_url.clone())
            .unwrap_or_default(),
        at: now,
    };
    let event = match outcome.status {
        PaymentStatus::Captured => Some(OrderEvent::PaymentCaptured),
        PaymentStatus::Authorised => Some(OrderEvent::PaymentAuthorised),
        PaymentStatus::Declined => Some(OrderEvent::PaymentFailed),
        _ => None,
    };
    let message = match (outcome.status, outcome.decline) {
        (PaymentStatus::Declined, Some(DeclineReason::InsufficientFunds)) => {
            Some(PaymentNotice::InsufficientFunds)
        }
        (PaymentStatus::Declined, _) => Some(PaymentNotice::Declined),
        (PaymentStatus::RequiresAction | PaymentStatus::Pending, _) => {
            Some(PaymentNotice::ActionRequired)
        }
        _ => None,
    };
    let Some(event) = event else {
        // Waiting for the shopper: record the attempt, the order stays where it is.
        store.record_payment(&record).await?;
        return view(store, &load(store, order.id).await?, message).await;
    };
    match apply_event_to(
        store,
        order,
        event,
        Actor::PaymentProvider,
        now,
        Some(&record),
    )
    .await
    {
        Ok(current) if newest => Ok(view_with(&current, Some(&record), message)),
        Ok(current) => view(store, &current, message).await,
        Err(e) => {
            let current = load(store, order.id).await?;
            if current.state == OrderState::Cancelled
                && matches!(
                    outcome.status,
                    PaymentStatus::Captured | PaymentStatus::Authorised
                )
            {
                // The money arrived for an order cancelled meanwhile: give it back.
                give_back(store, gateway, &current, record).await?;
                return view(store, &current, Some(PaymentNotice::CancelledRefunded)).await;
            }
            Err(e)
        }
    }
}

/// Money held or taken for an order that will not be paid for (cancelled, or paid by
/// another attempt): release a hold, refund a capture, and record the payment with the
/// status it ends in. Returns that status.
pub(crate) async fn give_back(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order: &StoredOrder,
    mut record: PaymentRecord,
) -> AppResult<PaymentStatus> {
    let status = PaymentStatus::parse(&record.status).unwrap_or(PaymentStatus::Declined);
    let back = match status {
        PaymentStatus::Captured => Some(
            gateway
                .refund(
                    &record.provider_ref,
                    record.amount_minor,
                    &format!("refund-{}", record.provider_ref),
                )
                .await,
        ),
        PaymentStatus::Authorised | PaymentStatus::RequiresAction | PaymentStatus::Pending => {
            Some(gateway.void(&record.provider_ref).await)
        }
        _ => None,
    };
    match back {
        Some(Ok(back)) => record.status = back.status.as_str().to_string(),
        Some(Err(e)) => {
            // Recorded as it stands; recovery or staff try again.
            tracing::warn!(order = %order.number, error = %e, "giving a payment back failed");
        }
        None => {}
    }
    store.record_payment(&record).await?;
    Ok(PaymentStatus::parse(&record.status).unwrap_or(status))
}

/// A provider's word on a payment (a webhook): settle the order as if the provider had
/// answered so at checkout. An answer that would take the order or its payment backwards
/// (a "pending" once it is paid or failed, a "failed" once paid) is refused with Conflict,
/// and nothing is written.
pub async fn settle_from_provider(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    order_id: i64,
    provider_ref: &str,
    status: PaymentStatus,
    now: i64,
) -> AppResult<PlacedOrder> {
    let order = load(store, order_id).await?;
    let Some(payment) = store
        .payments_of(order.id)
        .await?
        .into_iter()
        .find(|p| p.provider_ref == provider_ref)
    else {
        return Err(AppError::not_found(OrdersRefusal::NotFound));
    };
    let known = PaymentStatus::parse(&payment.status);
    let waiting = matches!(
        known,
        Some(PaymentStatus::Pending | PaymentStatus::RequiresAction)
    );
    let stale = match status {
        // Only a payment still waiting can be told it is waiting.
        PaymentStatus::Pending | PaymentStatus::RequiresAction => !waiting,
        // Money taken or failed: only news for a payment not yet final.
        PaymentStatus::Captured | PaymentStatus::Authorised | PaymentStatus::Declined => {
            !(waiting || known == Some(PaymentStatus::Authorised) || known == Some(status))
        }
        PaymentStatus::Voided | PaymentStatus::Refunded => true,
    };
    if stale {
        return Err(AppError::conflict(OrdersRefusal::TransitionInvalid {
            state: order.state,
        }));
    }
    let method = PaymentMethod::parse(&payment.method).unwrap_or(PaymentMethod::Card);
    let outcome = PaymentOutcome {
        provider_ref: provider_ref.to_string(),
        status,
        decline: (status == PaymentStatus::Declined).then_some(DeclineReason::CardDeclined),
        next_action_url: None,
    };
    settle(store, gateway, &order, method, outcome, now).await
}

/// Send `event` to an order: `state::next` decides, the store applies it guarded by the
/// state it was computed from (retrying if another change won the race). Returns the
/// order as it is afterwards.
pub async fn apply_event(
    store: &dyn ShopStore,
    order_id: i64,
    event: OrderEvent,
    actor: Actor,
    now: i64,
    payment: Option<&PaymentRecord>,
) -> AppResult<StoredOrder> {
    for _ in 0..5 {
        let order = load(store, order_id).await?;
        let to = state::next(order.state, event, actor)?;
        if store
            .transition_order(
                order_id,
                &Transition {
                    from: order.state,
                    to,
                    event,
                    actor: &actor.to_storage(),
                },
                now,
                payment,
            )
            .await?
        {
            return load(store, order_id).await;
        }
    }
    Err(AppError::internal(format!(
        "order {order_id} kept changing under {event:?}"
    )))
}

/// [`apply_event`] to an order just read (or stored): the first try goes from the state
/// it has in hand, and the order afterwards is that order in its new state, so neither is
/// read from the store. If the order moved meanwhile, as `apply_event` (read, retry).
pub async fn apply_event_to(
    store: &dyn ShopStore,
    order: &StoredOrder,
    event: OrderEvent,
    actor: Actor,
    now: i64,
    payment: Option<&PaymentRecord>,
) -> AppResult<StoredOrder> {
    if let Ok(to) = state::next(order.state, event, actor) {
        if store
            .transition_order(
                order.id,
                &Transition {
                    from: order.state,
                    to,
                    event,
                    actor: &actor.to_storage(),
                },
                now,
                payment,
            )
            .await?
        {
            // What `transition_order` wrote: the state, and the time when it changed.
            let mut after = order.clone();
            if to != order.state {
                after.state = to;
                after.updated_at = now;
            }
            return Ok(after);
        }
    }
    apply_event(store, order.id, event, actor, now, payment).await
}

/// The order as the shopper sees it, with its latest payment.
pub async fn view(
    store: &dyn ShopStore,
    order: &StoredOrder,
    message: Option<PaymentNotice>,
) -> AppResult<PlacedOrder> {
    let latest = store.payments_of(order.id).await?.pop();
    Ok(view_with(order, latest.as_ref(), message))
}

/// [`view`] with the order's latest payment given.
fn view_with(
    order: &StoredOrder,
    latest: Option<&PaymentRecord>,
    message: Option<PaymentNotice>,
) -> PlacedOrder {
    let payment = latest.and_then(|p| {
        let status = PaymentStatus::parse(&p.status)?;
        Some(PaymentView {
            method: PaymentMethod::parse(&p.method).unwrap_or(PaymentMethod::Card),
            status,
            decline: DeclineReason::parse(&p.detail),
            next_action_url: (status == PaymentStatus::RequiresAction
                || status == PaymentStatus::Pending)
                .then(|| p.detail.clone())
                .filter(|u| u.starts_with('/')),
        })
    });
    PlacedOrder {
        number: order.number.clone(),
        state: order.state,
        subtotal_minor: order.subtotal_minor,
        discount_minor: order.discount_minor,
        delivery_minor: order.delivery_fee_minor,
        vat_minor: order.vat_minor,
        total_minor: order.total_minor,
        payment,
        message,
    }
}

/// Cancel orders left unpaid (pending or failed) for `timeout_secs`, putting their stock
/// back and releasing any hold still open at the provider (a 3-D Secure challenge never
/// passed, a wallet never approved); forget expired reservations. Payment attempts still in
/// flight are finished first ([`recovery::recover_payments`]): an order the provider took
/// money for is paid, not cancelled, and an order someone is paying for right now (its
/// attempt's lease runs) waits for the next run. Safe on several instances at once: each
/// cancellation is guarded by the state it was decided from, so an order is cancelled
/// (and restocked) once. Returns how many orders this call cancelled.
pub async fn expire_unpaid(
    store: &dyn ShopStore,
    gateway: &dyn PaymentGateway,
    now: i64,
    timeout_secs: i64,
) -> AppResult<u64> {
    recovery::recover_payments(store, gateway, now).await?;
    store.purge_reservations(now).await?;
    let event = OrderEvent::Cancel {
        by: CancelledBy::System,
    };
    let mut cancelled = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let batch = store.unpaid_orders(now - timeout_secs, 100).await?;
        let mut moved_any = false;
        for (id, from) in &batch {
            if !seen.insert(*id) {
                continue;
            }
            if store
                .attempts_of(*id)
                .await?
                .iter()
                .any(|a| a.resolved_at.is_none())
            {
                continue;
            }
            let to = state::next(*from, event, Actor::System)?;
            if store
                .transition_order(
                    *id,
                    &Transition {
                        from: *from,
                        to,
                        event,
                        actor: &Actor::System.to_storage(),
                    },
                    now,
                    None,
                )
                .await?
            {
                cancelled += 1;
                moved_any = true;
                let order = load(store, *id).await?;
                for p in store.payments_of(*id).await? {
                    if matches!(
                        PaymentStatus::parse(&p.status),
                        Some(
                            PaymentStatus::Authorised
                                | PaymentStatus::RequiresAction
                                | PaymentStatus::Pending
                        )
                    ) {
                        give_back(store, gateway, &order, p).await?;
                    }
                }
            }
        }
        if batch.len() < 100 || !moved_any {
            return Ok(cancelled);
        }
    }
}
