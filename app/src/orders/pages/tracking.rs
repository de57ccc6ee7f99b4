//! Parcel tracking: `/orders/:number/tracking` for the order's owner (and staff), and
//! `/track` where anyone with the order number and the checkout email can look (guests).
//! Both show the same [`TrackingView`]: the estimated window (or when it was delivered),
//! the carrier and tracking number, the steps, the carrier's scans, and a delay alert
//! (`role="alert"`). While the parcel is on its way the owner's page reloads its data
//! every few seconds, so a shopper watching it sees it arrive.

use crate::orders::text::OrdersText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::order_title;
use crate::calendar::{fmt_uk_time, fmt_window};
use crate::components::errors::ErrorMessage;
use crate::components::order_state::StateBadge;
use crate::components::status::loading;
use crate::i18n::{t, trf, use_locale, Key};
use crate::orders::api::{get_tracking, TrackOrder};
use crate::orders::model::Tracking;
use crate::orders::state::OrderState;
use crate::orders::tracking::{Delay, ScanKind};

const REFRESH_SECS: u64 = 3;

fn scan_key(kind: ScanKind) -> OrdersText {
    match kind {
        ScanKind::Collected => OrdersText::ScanCollected,
        ScanKind::AtHub => OrdersText::ScanAtHub,
        ScanKind::AtDepot => OrdersText::ScanAtDepot,
        ScanKind::OutForDelivery => OrdersText::ScanOutForDelivery,
        ScanKind::Delivered => OrdersText::ScanDelivered,
    }
}

/// The carrier's name as shoppers know it.
fn carrier_name(code: &str) -> String {
    if code == "emporium-post" {
        t(OrdersText::CarrierEmporiumPost).to_string()
    } else {
        code.to_string()
    }
}

/// Between shipping and delivery: worth looking again.
fn on_its_way(state: OrderState) -> bool {
    matches!(
        state,
        OrderState::Shipped | OrderState::InTransit | OrderState::OutForDelivery
    )
}

#[component]
pub fn TrackingPage() -> AnyView {
    let params = use_params_map();
    let tracking = Resource::new(
        move || params.read().get("number").unwrap_or_default(),
        get_tracking,
    );
    Effect::new(move |_| {
        if let Some(Ok(tr)) = tracking.get() {
            if on_its_way(tr.state) || matches!(tr.state, OrderState::Paid | OrderState::Packed) {
                set_timeout(
                    move || tracking.refetch(),
                    std::time::Duration::from_secs(REFRESH_SECS),
                );
            }
        }
    });
    view! {
        <Meta name="robots" content="noindex" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match tracking.await {
                    Ok(tr) => view! {
                        <Title text=order_title(OrdersText::TrackTitle, &tr.number) />
                        <TrackingView tracking=tr live=true />
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// `/track`: order number and email; the answer is shown below the form.
#[component]
pub fn TrackPage() -> AnyView {
    let action = ServerAction::<TrackOrder>::new();
    view! {
        <Title text=t(OrdersText::TrackFormTitle) />
        <Meta name="robots" content="noindex" />
        <section class="track-form-page">
            <h1>{t(OrdersText::TrackFormTitle)}</h1>
            <p>{t(OrdersText::TrackFormIntro)}</p>
            <leptos::form::ActionForm action attr:class="track-form" attr:data-testid="track-form">
                <label for="track-number">{t(Key::OrderNumber)}</label>
                <input id="track-number" name="number" required maxlength="40" autocomplete="off" />
                <label for="track-email">{t(OrdersText::TrackFormEmail)}</label>
                <input id="track-email" name="email" type="email" required maxlength="254" autocomplete="email" />
                <button type="submit" disabled=move || action.pending().get()>{t(OrdersText::TrackFormSubmit)}</button>
            </leptos::form::ActionForm>
            <div role="alert" data-testid="track-error">
                {move || match action.value().get() {
                    Some(Err(e)) => Some(view! { <p class="form-error">{e.to_string()}</p> }),
                    _ => None,
                }}
            </div>
            {move || match action.value().get() {
                Some(Ok(tr)) => Some(view! { <TrackingView tracking=tr live=false /> }),
                _ => None,
            }}
        </section>
    }
    .into_any()
}

#[component]
pub fn TrackingView(tracking: Tracking, live: bool) -> AnyView {
    let locale = use_locale();
    let title = order_title(OrdersText::TrackTitle, &tracking.number);
    let number = tracking.number.clone();
    let moving = on_its_way(tracking.state);
    view! {
        <article class="tracking" data-testid="tracking" data-number=number.clone()>
            <h1>{title}</h1>
            <p class="order-meta"><StateBadge state=tracking.state /></p>
            {tracking.delay.map(|d| view! { <DelayAlert delay=d /> })}
            <dl class="tracking-facts">
                {match (&tracking.shipment, tracking.promised_window) {
                    (Some(s), _) => view! {
                        {match s.delivered_at {
                            Some(at) => view! {
                                <dt>{t(OrdersText::TrackDeliveredAt)}</dt>
                                <dd data-testid="delivered-at">{fmt_uk_time(at)}</dd>
                            }.into_any(),
                            None => view! {
                                <dt>{t(OrdersText::TrackEta)}</dt>
                                <dd data-testid="eta">{fmt_window(locale, s.window_start, s.window_end)}</dd>
                            }.into_any(),
                        }}
                        <dt>{t(OrdersText::TrackCarrier)}</dt>
                        <dd>{carrier_name(&s.carrier)}</dd>
                        <dt>{t(OrdersText::TrackNumber)}</dt>
                        <dd data-testid="tracking-number">{s.tracking_number.clone()}</dd>
                    }.into_any(),
                    (None, Some((a, b))) => view! {
                        <dt>{t(OrdersText::TrackPromised)}</dt>
                        <dd data-testid="eta">{fmt_window(locale, a, b)}</dd>
                    }.into_any(),
                    (None, None) => ().into_any(),
                }}
            </dl>
            {(live && moving).then(|| view! { <p class="hint">{t(OrdersText::TrackLiveNote)}</p> })}
            <Steps tracking=tracking.clone() />
            <Scans tracking=tracking.clone() />
            {live.then(|| view! {
                <p><a href=format!("/orders/{number}")>{order_title(OrdersText::OrderTitle, &number)}</a></p>
            })}
        </article>
    }
    .into_any()
}

#[component]
fn DelayAlert(delay: Delay) -> impl IntoView {
    let text = match delay {
        Delay::PastWindow => t(OrdersText::TrackDelayPastWindow).to_string(),
        Delay::NoScanFor { hours } => trf(OrdersText::TrackDelayNoScan, &[("n", &hours)]),
    };
    view! { <p class="delay-alert" role="alert" data-testid="delay-alert">{text}</p> }
}

/// Placed → paid → packed → shipped → in transit → out for delivery → delivered; the
/// current one is marked for assistive technology with `aria-current="step"`.
#[component]
fn Steps(tracking: Tracking) -> impl IntoView {
    let current = tracking
        .steps
        .iter()
        .rposition(|s| s.at.is_some())
        .unwrap_or(0);
    let items = tracking
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = if i == 0 {
                t(OrdersText::OrderEventPlaced)
            } else {
                t(s.state.label_key())
            };
            let class = if s.at.is_some() {
                "track-step done"
            } else {
                "track-step"
            };
            view! {
                <li class=class aria-current=(i == current).then_some("step") data-state=s.state.as_str()>
                    <span class="track-step-label">{label}</span>
                    {s.at.map(|at| view! { <time class="track-step-time">{fmt_uk_time(at)}</time> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{t(OrdersText::TrackSteps)}</h2>
        <ol class="track-steps" data-testid="track-steps">{items}</ol>
    }
}

#[component]
fn Scans(tracking: Tracking) -> AnyView {
    let empty = if tracking.shipment.is_some() {
        t(OrdersText::TrackNoScans)
    } else {
        t(OrdersText::TrackNotShipped)
    };
    if tracking.scans.is_empty() {
        return view! {
            <h2>{t(OrdersText::TrackScans)}</h2>
            <p data-testid="scans-empty">{empty}</p>
        }
        .into_any();
    }
    let items = tracking
        .scans
        .into_iter()
        .map(|s| {
            view! {
                <li data-kind=s.kind.as_str()>
                    <time>{fmt_uk_time(s.at)}</time>
                    " "
                    <strong>{t(scan_key(s.kind))}</strong>
                    " · "
                    <span>{s.location}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{t(OrdersText::TrackScans)}</h2>
        <ol class="scan-list" data-testid="scans">{items}</ol>
    }
    .into_any()
}
