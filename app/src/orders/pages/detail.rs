//! `/orders/:number`: one order for its owner (or staff): lines, the price breakdown as
//! stored, delivery, payment, the state history, and what can be done now (track, pay
//! again, invoice, buy again, cancel). While the order awaits payment (a wallet payment is
//! confirmed later by the provider's webhook) the page reloads its data every 5 seconds.

use crate::orders::text::OrdersText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::{fmt_date, order_title, payment_status_key};
use crate::calendar::fmt_uk_time;
use crate::components::cart_version::cart_changed;
use crate::components::errors::ErrorMessage;
use crate::components::order_state::StateBadge;
use crate::components::status::loading;
use crate::i18n::{format_price, t, use_locale, Key};
use crate::orders::api::{get_order, CancelOrder, Reorder};
use crate::orders::model::{OrderDetail, ReorderOutcome, ReorderResult};
use crate::orders::state::OrderState;

/// How often an order awaiting payment is looked at again.
const REFRESH_SECS: u64 = 5;

#[component]
pub fn OrderDetailPage() -> AnyView {
    let params = use_params_map();
    let order = Resource::new(
        move || params.read().get("number").unwrap_or_default(),
        get_order,
    );
    let cancel = ServerAction::<CancelOrder>::new();
    let again = ServerAction::<Reorder>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value().get() {
            order.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = again.value().get() {
            cart_changed();
        }
    });
    // Awaiting payment: look again in a few seconds (each answer schedules the next).
    Effect::new(move |_| {
        if let Some(Ok(o)) = order.get() {
            if o.state == OrderState::PendingPayment {
                set_timeout(
                    move || order.refetch(),
                    std::time::Duration::from_secs(REFRESH_SECS),
                );
            }
        }
    });
    view! {
        <Meta name="robots" content="noindex" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <DetailView order=o cancel again /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn DetailView(
    order: OrderDetail,
    cancel: ServerAction<CancelOrder>,
    again: ServerAction<Reorder>,
) -> AnyView {
    let title = order_title(OrdersText::OrderTitle, &order.number);
    let number = order.number.clone();
    view! {
        <Title text=title.clone() />
        <article class="order-detail" data-testid="order-detail" data-number=number.clone()>
            <header class="order-head">
                <h1>{title}</h1>
                <p class="order-meta">
                    <StateBadge state=order.state />
                    " "
                    <span>{t(OrdersText::OrderPlacedOn)} ": " <time datetime=fmt_date(order.placed_at)>{fmt_uk_time(order.placed_at)}</time></span>
                </p>
            </header>
            <Feedback cancel again />
            {(order.state == OrderState::PendingPayment)
                .then(|| view! { <p class="notice" role="status" data-testid="awaiting-payment">{t(OrdersText::OrderAwaitingPayment)}</p> })}
            <Actions order=order.clone() cancel again />
            <Lines order=order.clone() />
            <Totals order=order.clone() />
            <div class="order-columns">
                <Delivery order=order.clone() />
                <Payment order=order.clone() />
            </div>
            <Timeline order=order.clone() />
            {order.is_owner.then(|| view! { <p class="no-print"><a href="/account/orders">{t(OrdersText::OrderBackToOrders)}</a></p> })}
        </article>
    }
    .into_any()
}

/// What a cancel or reorder just did: status messages, and errors as alerts.
#[component]
fn Feedback(cancel: ServerAction<CancelOrder>, again: ServerAction<Reorder>) -> AnyView {
    view! {
        <div class="order-feedback" role="status" aria-live="polite" data-testid="order-feedback">
            {move || match cancel.value().get() {
                Some(Ok(o)) => o.notice.map(|n| view! { <p class="form-ok">{n.message(use_locale())}</p> }),
                _ => None,
            }}
            {move || match again.value().get() {
                Some(Ok(r)) => Some(view! { <ReorderSummary result=r /> }),
                _ => None,
            }}
        </div>
        <div class="order-alert" role="alert">
            {move || match cancel.value().get() {
                Some(Err(e)) => Some(view! { <p class="form-error">{e.to_string()}</p> }),
                _ => None,
            }}
            {move || match again.value().get() {
                Some(Err(e)) => Some(view! { <p class="form-error">{e.to_string()}</p> }),
                _ => None,
            }}
        </div>
    }
    .into_any()
}

#[component]
fn ReorderSummary(result: ReorderResult) -> AnyView {
    let added = result.lines.len() - result.count(ReorderOutcome::Unavailable);
    let done = t(OrdersText::OrderReorderDone)
        .replace("{added}", &added.to_string())
        .replace("{lines}", &result.lines.len().to_string());
    let problems: Vec<String> = result
        .lines
        .iter()
        .filter_map(|l| match l.outcome {
            ReorderOutcome::Added => None,
            ReorderOutcome::Reduced => Some(
                t(OrdersText::OrderReorderReduced)
                    .replace("{title}", &l.title)
                    .replace("{added}", &l.added.to_string())
                    .replace("{asked}", &l.asked.to_string()),
            ),
            ReorderOutcome::Unavailable => {
                Some(t(OrdersText::OrderReorderUnavailable).replace("{title}", &l.title))
            }
        })
        .collect();
    view! {
        <div class="reorder-summary" data-testid="reorder-summary">
            <p class="form-ok">{done}</p>
            {(!problems.is_empty())
                .then(|| {
                    view! {
                        <ul class="reorder-problems">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <p><a class="button-link" href="/cart" data-testid="go-to-cart">{t(OrdersText::OrderGoToCart)}</a></p>
        </div>
    }
    .into_any()
}

#[component]
fn Actions(
    order: OrderDetail,
    cancel: ServerAction<CancelOrder>,
    again: ServerAction<Reorder>,
) -> AnyView {
    let number = order.number.clone();
    let (reorder_number, cancel_number) = (number.clone(), number.clone());
    let too_late = order.is_owner && order.past_shipping();
    view! {
        <div class="order-actions no-print">
            {order.can_track.then(|| view! {
                <a class="button-link" href=format!("/orders/{number}/tracking") data-testid="track-parcel">{t(OrdersText::OrderTrack)}</a>
            })}
            {order.can_pay_again.then(|| view! {
                <p class="hint">{t(OrdersText::OrderPayAgainHint)}</p>
                <a class="button-link" href=format!("/checkout/pay/{number}") data-testid="pay-again">{t(OrdersText::OrderPayAgain)}</a>
            })}
            {order.paid.then(|| view! {
                <a href=format!("/orders/{number}/invoice") data-testid="invoice-link">{t(OrdersText::OrderViewInvoice)}</a>
            })}
            {order.is_owner.then(|| view! {
                <ActionForm action=again attr:class="inline-form">
                    <input type="hidden" name="number" value=reorder_number />
                    <button type="submit" class="secondary" data-testid="reorder" disabled=move || again.pending().get()>
                        {t(OrdersText::OrderReorder)}
                    </button>
                </ActionForm>
            })}
            {order.can_cancel.then(|| view! {
                // Two steps without script: open the disclosure, then confirm.
                <details class="order-cancel" data-testid="cancel-order">
                    <summary>{t(OrdersText::OrderCancel)}</summary>
                    <p>{t(OrdersText::OrderCancelConfirm)}</p>
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="number" value=cancel_number />
                        <button type="submit" class="danger" data-testid="confirm-cancel" disabled=move || cancel.pending().get()>
                            {t(OrdersText::OrderCancelYes)}
                        </button>
                    </ActionForm>
                </details>
            })}
            {too_late.then(|| view! { <p class="hint" data-testid="too-late-to-cancel">{t(OrdersText::MsgOrderTooLateToCancel)}</p> })}
        </div>
    }
    .into_any()
}

#[component]
fn Lines(order: OrderDetail) -> AnyView {
    view! {
        <section class="order-section" aria-labelledby="order-lines-h">
            <h2 id="order-lines-h">{t(OrdersText::OrderLinesHeading)}</h2>
            <div class="table-scroll">
                <table class="orders-table order-lines" data-testid="order-lines">
                    <thead>
                        <tr>
                            <th scope="col">{t(OrdersText::OrderProduct)}</th>
                            <th scope="col" class="num">{t(Key::Quantity)}</th>
                            <th scope="col" class="num">{t(Key::UnitPrice)}</th>
                            <th scope="col" class="num">{t(Key::LineTotal)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {order
                            .lines
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <tr data-code=l.product_code.clone()>
                                        <td data-label=t(OrdersText::OrderProduct)>
                                            <a href=format!("/p/{}", l.product_code)>{l.title}</a>
                                        </td>
                                        <td data-label=t(Key::Quantity) class="num">{l.quantity}</td>
                                        <td data-label=t(Key::UnitPrice) class="num">{format_price(l.unit_price_minor)}</td>
                                        <td data-label=t(Key::LineTotal) class="num">{format_price(l.line_total_minor)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// The breakdown as stored with the order.
#[component]
pub fn Totals(order: OrderDetail) -> AnyView {
    let coupon = order
        .coupon_code
        .clone()
        .map(|c| format!(" ({}: {c})", t(Key::AdjustmentCoupon)))
        .unwrap_or_default();
    view! {
        <dl class="order-totals" data-testid="order-totals">
            <div><dt>{t(Key::Subtotal)}</dt><dd>{format_price(order.subtotal_minor)}</dd></div>
            {(order.discount_minor > 0)
                .then(|| view! { <div><dt>{t(OrdersText::OrderDiscount)} {coupon}</dt><dd>{format_price(-order.discount_minor)}</dd></div> })}
            {(!order.legacy)
                .then(|| {
                    let fee = if order.delivery_minor == 0 {
                        t(Key::DeliveryFree).to_string()
                    } else {
                        format_price(order.delivery_minor)
                    };
                    view! { <div><dt>{t(Key::PriceDelivery)}</dt><dd>{fee}</dd></div> }
                })}
            {(order.payment_fee_minor > 0)
                .then(|| view! { <div><dt>{t(Key::PaymentFee)}</dt><dd data-testid="order-payment-fee">{format_price(order.payment_fee_minor)}</dd></div> })}
            <div class="order-total"><dt>{t(Key::PriceTotal)}</dt><dd data-testid="order-total">{format_price(order.total_minor)}</dd></div>
            <div class="order-vat"><dt>{t(Key::PriceVatIncluded)}</dt><dd>{format_price(order.vat_minor)}</dd></div>
            {(order.refunded_minor > 0)
                .then(|| view! { <div><dt>{t(OrdersText::OrderRefunded)}</dt><dd>{format_price(-order.refunded_minor)}</dd></div> })}
        </dl>
        {order.legacy.then(|| view! { <p class="hint">{t(OrdersText::OrderLegacyNote)}</p> })}
    }
    .into_any()
}

/// The delivery address as lines (empty parts left out).
pub fn address_lines(order: &OrderDetail) -> Vec<String> {
    let a = &order.address;
    [
        &a.full_name,
        &a.line1,
        &a.line2,
        &a.city,
        &a.postcode,
        &a.country,
        &a.phone,
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .cloned()
    .collect()
}

#[component]
fn Delivery(order: OrderDetail) -> AnyView {
    let lines = address_lines(&order);
    let has_address = !order.address.line1.is_empty();
    let window = match (order.window_start, order.window_end) {
        (Some(s), Some(e)) if fmt_date(s) == fmt_date(e) => Some(fmt_date(s)),
        (Some(s), Some(e)) => Some(format!("{} – {}", fmt_date(s), fmt_date(e))),
        _ => None,
    };
    view! {
        <section class="order-section" aria-labelledby="order-delivery-h">
            <h2 id="order-delivery-h">{t(OrdersText::OrderDeliveryAddress)}</h2>
            {if has_address {
                view! {
                    <address class="order-address">
                        {lines.into_iter().map(|l| view! { <span>{l}</span><br /> }).collect_view()}
                    </address>
                }
                    .into_any()
            } else {
                view! { <p class="empty-note">{t(OrdersText::OrderNoAddress)}</p> }.into_any()
            }}
            <dl class="facts">
                {order.delivery_option.map(|d| view! { <dt>{t(OrdersText::OrderDeliveryOption)}</dt><dd>{t(d.label_key())}</dd> })}
                {window.map(|w| view! { <dt>{t(OrdersText::OrderDeliveryWindow)}</dt><dd>{w}</dd> })}
            </dl>
        </section>
    }
    .into_any()
}

#[component]
fn Payment(order: OrderDetail) -> AnyView {
    view! {
        <section class="order-section" aria-labelledby="order-payment-h">
            <h2 id="order-payment-h">{t(OrdersText::OrderPayment)}</h2>
            <dl class="facts">
                {order.payment_method.map(|m| view! { <dt>{t(OrdersText::InvoicePaidBy)}</dt><dd>{t(m.label_key())}</dd> })}
                <dt>{t(Key::OrderStatus)}</dt>
                <dd data-testid="payment-status">
                    {match order.payment_status {
                        Some(s) => t(payment_status_key(s)),
                        None if order.paid => t(OrdersText::OrderPayCaptured),
                        None => t(OrdersText::OrderPaymentNone),
                    }}
                </dd>
            </dl>
        </section>
    }
    .into_any()
}

#[component]
fn Timeline(order: OrderDetail) -> AnyView {
    view! {
        <section class="order-section" aria-labelledby="order-timeline-h">
            <h2 id="order-timeline-h">{t(OrdersText::OrderTimeline)}</h2>
            <ol class="order-timeline" data-testid="order-timeline">
                {order
                    .events
                    .into_iter()
                    .map(|e| {
                        let by = t(OrdersText::OrderEventBy).replace("{who}", t(e.actor.label_key()));
                        view! {
                            <li data-state=e.to.as_str()>
                                <time datetime=fmt_date(e.at)>{fmt_uk_time(e.at)}</time>
                                " — "
                                <strong>{t(e.label_key())}</strong>
                                " "
                                <span class="order-actor">{by}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
