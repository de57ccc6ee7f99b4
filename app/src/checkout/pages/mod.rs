//! The checkout page (`/checkout`) and the pay-again page (`/checkout/pay/:number`).
//!
//! Checkout is one page with three numbered sections (address; delivery and payment;
//! review and place), so a phone scrolls through it without page loads and a desktop sees
//! the whole order at once. On arrival the browser asks the server to hold the basket's
//! stock (`start_checkout`); the review section shows the price that `quote_checkout`
//! computes with the one pricing function, equal to what placing the order charges.
//!
//! Card numbers never reach the shop: the card fields have no `name` and are not part of
//! any form the shop receives. On "Place order" the browser posts the number to the
//! payment provider's tokenisation endpoint and sends the shop only the token it answers.
//! The idempotency key is made once per page view, so a double click or a retry after a
//! network error answers with the same order and never charges twice. Without JavaScript
//! the page says so (paying needs the provider's script, as with any real provider).
//!
//! One file per page: [`checkout`] (its three sections in `checkout/`) and [`pay_again`];
//! [`payment`] holds what both pages use to pay (the card fields, tokenisation at the
//! provider, following the shop's answer).

pub mod checkout;
pub mod pay_again;
pub mod payment;
