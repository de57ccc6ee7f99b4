//! `/orders/:number/invoice`: a printable invoice of a paid order (the print stylesheet in
//! `style/main.css` hides the shop's header, footer and buttons and prints black on
//! white). The seller block is the demo shop's constant (`orders::model::Seller::demo`).

use crate::orders::text::OrdersText;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::detail::address_lines;
use super::{fmt_date, order_title};
use crate::components::errors::ErrorMessage;
use crate::components::status::loading;
use crate::i18n::{format_price, t, Key};
use crate::orders::api::get_invoice;
use crate::orders::model::Invoice;

#[component]
pub fn InvoicePage() -> AnyView {
    let params = use_params_map();
    let invoice = Resource::new(
        move || params.read().get("number").unwrap_or_default(),
        get_invoice,
    );
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(i) => view! { <InvoiceView invoice=i /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

#[component]
fn InvoiceView(invoice: Invoice) -> AnyView {
    let order = invoice.order;
    let title = order_title(OrdersText::InvoiceTitle, &order.number);
    let rate = format!(
        "{}.{:02}",
        invoice.vat_rate_bp / 100,
        invoice.vat_rate_bp % 100
    );
    let rate = rate.trim_end_matches('0').trim_end_matches('.').to_string();
    let vat_label = t(OrdersText::InvoiceVat).replace("{rate}", &rate);
    let bill_to = address_lines(&order);
    let seller = invoice.seller;
    let detail_href = format!("/orders/{}", order.number);
    view! {
        <Title text=title.clone() />
        <article class="invoice" data-testid="invoice">
            <div class="invoice-tools no-print">
                <button type="button" on:click=move |_| print_page() data-testid="print-invoice">{t(OrdersText::InvoicePrint)}</button>
                <a href=detail_href>{t(OrdersText::InvoiceBack)}</a>
            </div>
            <h1>{title}</h1>
            <div class="invoice-parties">
                <section aria-labelledby="invoice-seller-h">
                    <h2 id="invoice-seller-h">{t(OrdersText::InvoiceSeller)}</h2>
                    <address data-testid="invoice-seller">
                        <strong>{seller.name}</strong><br />
                        {seller.address_lines.into_iter().map(|l| view! { <span>{l}</span><br /> }).collect_view()}
                        <span>{seller.email}</span>
                    </address>
                    <p>{t(OrdersText::InvoiceVatNumber)} ": " {seller.vat_number}</p>
                </section>
                <section aria-labelledby="invoice-buyer-h">
                    <h2 id="invoice-buyer-h">{t(OrdersText::InvoiceBillTo)}</h2>
                    <address data-testid="invoice-buyer">
                        {bill_to.into_iter().map(|l| view! { <span>{l}</span><br /> }).collect_view()}
                        {order.email.clone().map(|e| view! { <span>{e}</span> })}
                    </address>
                </section>
            </div>
            <dl class="facts invoice-facts">
                <dt>{t(OrdersText::InvoiceNumber)}</dt><dd data-testid="invoice-number">{order.number.clone()}</dd>
                <dt>{t(OrdersText::InvoiceDate)}</dt><dd>{fmt_date(invoice.issued_at)}</dd>
                <dt>{t(OrdersText::InvoiceOrderDate)}</dt><dd>{fmt_date(order.placed_at)}</dd>
                {order.payment_method.map(|m| view! { <dt>{t(OrdersText::InvoicePaidBy)}</dt><dd>{t(m.label_key())}</dd> })}
            </dl>
            <table class="orders-table invoice-lines">
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
                        .iter()
                        .map(|l| {
                            view! {
                                <tr>
                                    <td data-label=t(OrdersText::OrderProduct)>{l.title.clone()} " (" {l.product_code.clone()} ")"</td>
                                    <td data-label=t(Key::Quantity) class="num">{l.quantity}</td>
                                    <td data-label=t(Key::UnitPrice) class="num">{format_price(l.unit_price_minor)}</td>
                                    <td data-label=t(Key::LineTotal) class="num">{format_price(l.line_total_minor)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <dl class="order-totals" data-testid="invoice-totals">
                <div><dt>{t(Key::Subtotal)}</dt><dd>{format_price(order.subtotal_minor)}</dd></div>
                {(order.discount_minor > 0)
                    .then(|| view! { <div><dt>{t(OrdersText::OrderDiscount)}</dt><dd>{format_price(-order.discount_minor)}</dd></div> })}
                {(!order.legacy)
                    .then(|| view! { <div><dt>{t(Key::PriceDelivery)}</dt><dd>{format_price(order.delivery_minor)}</dd></div> })}
                {(order.payment_fee_minor > 0)
                    .then(|| view! { <div><dt>{t(Key::PaymentFee)}</dt><dd>{format_price(order.payment_fee_minor)}</dd></div> })}
                <div><dt>{t(OrdersText::InvoiceNet)}</dt><dd data-testid="invoice-net">{format_price(invoice.net_minor)}</dd></div>
                <div><dt>{vat_label}</dt><dd data-testid="invoice-vat">{format_price(order.vat_minor)}</dd></div>
                <div class="order-total"><dt>{t(Key::PriceTotal)}</dt><dd>{format_price(order.total_minor)}</dd></div>
            </dl>
            {order.legacy.then(|| view! { <p class="hint">{t(OrdersText::OrderLegacyNote)}</p> })}
        </article>
    }
    .into_any()
}
