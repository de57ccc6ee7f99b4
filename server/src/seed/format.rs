//! The in-memory seed ([`SeedData`]) and its on-disk form: one gzip-compressed text file.
//!
//! # Why a text file
//! It is small once compressed (the order lines, which dominate, repeat a lot), it diffs and
//! greps after `zcat`, and parsing it needs nothing beyond `flate2`. Writing is
//! deterministic: every list is sorted by the builder and gzip runs at a fixed level with no
//! timestamp or file name in its header, so the same CSV always gives the same bytes.
//!
//! # Layout (version 1)
//! Tab-separated, one record a line, sections in this order, each announced with its count:
//!
//! ```text
//! emporium-seed 1
//! newest <unix seconds of the newest source invoice>
//! products <n>
//! <code> <price_minor> <stock> <first_seen> <category> <title>
//! customers <n>
//! <id> <country>
//! orders <n>
//! <invoice> <customer id or empty> <time delta> <country or empty> <lines>
//! refunds <n>
//! <number> <customer id> <order index> <product index> <quantity> <amount_minor> <time>
//! end
//! ```
//!
//! * Times are seconds relative to the newest invoice (so ≤ 0). An order's time is written
//!   as the difference to the previous order's (orders are sorted by time), which keeps the
//!   numbers short.
//! * An order's country is left empty when it is its customer's country.
//! * `<lines>` is a space-separated list of `product*quantity`, followed by `@price` only
//!   when the line's unit price differs from the product's `price_minor`. Products are
//!   referred to by their index in the product section (sorted by code).
//! * Refunds refer to orders by their index in the order section.

use std::fmt;
use std::io::{Read, Write};

/// The committed seed, compiled into the binary so that neither the server nor the tests
/// read any file at run time. Regenerate it with the `make_seed` binary (see
/// [`super::build`]). The crate (and so `make_seed` itself) only compiles while the file
/// exists; to bootstrap without it, any placeholder file will do.
pub static EMBEDDED_SEED: &[u8] = include_bytes!("../../seed/online-retail.seed.gz");

const MAGIC: &str = "emporium-seed 1";

/// The whole demo history: catalogue, customers, orders and refunds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeedData {
    /// Unix seconds of the newest invoice in the source data (its wall-clock time read as
    /// UTC). Every `time` below is an offset from it. The importer keeps its time of day.
    pub newest_unix: i64,
    /// Sorted by code; lines and refunds refer to products by index into this list.
    pub products: Vec<SeedProduct>,
    /// Sorted by id.
    pub customers: Vec<SeedCustomer>,
    /// Sorted by (time, invoice): the importer numbers them 1..n in this order.
    pub orders: Vec<SeedOrder>,
    /// Sorted by (time, number, order, product).
    pub refunds: Vec<SeedRefund>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedProduct {
    /// The source StockCode, upper-cased ("85123A").
    pub code: String,
    /// Title-cased for display ("White Hanging Heart T-Light Holder").
    pub title: String,
    /// A slug of `app::catalog::taxonomy`, computed from the original upper-case description.
    pub category: String,
    /// Median unit price (pence) over the product's sales.
    pub price_minor: i64,
    /// 0 when the product did not sell in the last 120 days of the data (discontinued).
    pub stock: i64,
    /// Offset (≤ 0) of the product's first sale in the full data set. The importer uses it
    /// only for products that have no order in the imported history (e.g. in a sample).
    pub first_seen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedCustomer {
    /// The UCI CustomerID.
    pub id: i64,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedOrder {
    /// The source InvoiceNo ("536365").
    pub invoice: String,
    /// `None` for a guest order (the source row had no CustomerID).
    pub customer_id: Option<i64>,
    pub country: String,
    /// Seconds relative to the newest invoice (≤ 0).
    pub time: i64,
    /// Never empty.
    pub lines: Vec<SeedLine>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedLine {
    /// Index into [`SeedData::products`].
    pub product: usize,
    /// > 0.
    pub quantity: i64,
    /// > 0, pence.
    pub unit_price_minor: i64,
}

/// One line of a cancellation invoice, matched to the order it (partly) undoes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedRefund {
    /// The cancellation's InvoiceNo ("C536379").
    pub number: String,
    /// The customer of both the cancellation and the order.
    pub customer_id: i64,
    /// Index into [`SeedData::orders`].
    pub order: usize,
    /// Index into [`SeedData::products`].
    pub product: usize,
    /// > 0, never more than the order's quantity of the product minus earlier refunds.
    pub quantity: i64,
    /// What the refunded units cost in that order (pence).
    pub amount_minor: i64,
    /// Seconds relative to the newest invoice (≤ 0, not before the order).
    pub time: i64,
}

/// A seed file that cannot be read, or seed data that breaks an invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// 1-based line of the text form, 0 when not tied to a line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "seed line {}: {}", self.line, self.message)
        } else {
            write!(f, "seed: {}", self.message)
        }
    }
}

impl std::error::Error for SeedError {}

fn err(line: usize, message: impl Into<String>) -> SeedError {
    SeedError {
        line,
        message: message.into(),
    }
}

impl SeedData {
    /// The committed seed (`server/seed/online-retail.seed.gz`), parsed.
    ///
    /// Panics if the embedded file is corrupt: it is a build artefact that the tests of this
    /// module parse and check, so a failure here is a packaging bug, not a run-time
    /// condition.
    pub fn embedded() -> SeedData {
        SeedData::from_gzip(EMBEDDED_SEED).unwrap_or_else(|e| {
            panic!("the embedded seed is unreadable ({e}); regenerate it with make_seed")
        })
    }

    /// Parses a gzip-compressed seed file.
    pub fn from_gzip(bytes: &[u8]) -> Result<SeedData, SeedError> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| err(0, format!("gzip: {e}")))?;
        SeedData::from_text(&text)
    }

    /// The gzip-compressed file: best compression, no timestamp, no file name, so equal data
    /// gives equal bytes.
    pub fn to_gzip(&self) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(self.to_text().as_bytes())
            .expect("writing to a Vec cannot fail");
        encoder.finish().expect("writing to a Vec cannot fail")
    }

    /// The uncompressed text form (see the module docs).
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::with_capacity(8 * 1024 * 1024);
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let _ = writeln!(out, "{MAGIC}");
        let _ = writeln!(out, "newest\t{}", self.newest_unix);
        let _ = writeln!(out, "products\t{}", self.products.len());
        for p in &self.products {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                clean(&p.code),
                p.price_minor,
                p.stock,
                p.first_seen,
                clean(&p.category),
                clean(&p.title)
            );
        }
        let _ = writeln!(out, "customers\t{}", self.customers.len());
        let mut customer_country = std::collections::HashMap::new();
        for c in &self.customers {
            customer_country.insert(c.id, c.country.as_str());
            let _ = writeln!(out, "{}\t{}", c.id, clean(&c.country));
        }
        let _ = writeln!(out, "orders\t{}", self.orders.len());
        let mut previous = 0;
        for o in &self.orders {
            let customer = o.customer_id.map(|c| c.to_string()).unwrap_or_default();
            let country = match o.customer_id.and_then(|c| customer_country.get(&c)) {
                Some(&c) if c == o.country => String::new(),
                _ => clean(&o.country),
            };
            let _ = write!(
                out,
                "{}\t{}\t{}\t{}\t",
                clean(&o.invoice),
                customer,
                o.time - previous,
                country
            );
            previous = o.time;
            for (i, l) in o.lines.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{}*{}", l.product, l.quantity);
                if self.products.get(l.product).map(|p| p.price_minor) != Some(l.unit_price_minor) {
                    let _ = write!(out, "@{}", l.unit_price_minor);
                }
            }
            out.push('\n');
        }
        let _ = writeln!(out, "refunds\t{}", self.refunds.len());
        for r in &self.refunds {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                clean(&r.number),
                r.customer_id,
                r.order,
                r.product,
                r.quantity,
                r.amount_minor,
                r.time
            );
        }
        out.push_str("end\n");
        out
    }

    /// Parses the text form and checks the invariants ([`SeedData::validate`]).
    pub fn from_text(text: &str) -> Result<SeedData, SeedError> {
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let mut next = |what: &str| {
            lines
                .next()
                .ok_or_else(|| err(0, format!("unexpected end of file, expected {what}")))
        };

        let (n, magic) = next("the header")?;
        if magic != MAGIC {
            return Err(err(n, format!("expected {MAGIC:?}, found {magic:?}")));
        }
        let (n, newest) = next("newest")?;
        let newest_unix = header_value(n, newest, "newest")?;

        let (n, header) = next("products")?;
        let count = header_value(n, header, "products")? as usize;
        let mut products = Vec::with_capacity(count);
        for _ in 0..count {
            let (n, line) = next("a product")?;
            let f = fields(n, line, 6)?;
            products.push(SeedProduct {
                code: f[0].to_string(),
                price_minor: int(n, f[1])?,
                stock: int(n, f[2])?,
                first_seen: int(n, f[3])?,
                category: f[4].to_string(),
                title: f[5].to_string(),
            });
        }

        let (n, header) = next("customers")?;
        let count = header_value(n, header, "customers")? as usize;
        let mut customers = Vec::with_capacity(count);
        let mut customer_country = std::collections::HashMap::with_capacity(count);
        for _ in 0..count {
            let (n, line) = next("a customer")?;
            let f = fields(n, line, 2)?;
            let id = int(n, f[0])?;
            customer_country.insert(id, f[1]);
            customers.push(SeedCustomer {
                id,
                country: f[1].to_string(),
            });
        }

        let (n, header) = next("orders")?;
        let count = header_value(n, header, "orders")? as usize;
        let mut orders = Vec::with_capacity(count);
        let mut time = 0;
        for _ in 0..count {
            let (n, line) = next("an order")?;
            let f = fields(n, line, 5)?;
            let customer_id = if f[1].is_empty() {
                None
            } else {
                Some(int(n, f[1])?)
            };
            time += int(n, f[2])?;
            let country = if f[3].is_empty() {
                let id = customer_id.ok_or_else(|| err(n, "a guest order needs a country"))?;
                customer_country
                    .get(&id)
                    .ok_or_else(|| err(n, format!("unknown customer {id}")))?
                    .to_string()
            } else {
                f[3].to_string()
            };
            let mut order_lines = Vec::new();
            for item in f[4].split(' ').filter(|s| !s.is_empty()) {
                let (product, rest) = item
                    .split_once('*')
                    .ok_or_else(|| err(n, format!("bad line {item:?}")))?;
                let product = int(n, product)? as usize;
                let (quantity, price) = match rest.split_once('@') {
                    Some((q, p)) => (int(n, q)?, int(n, p)?),
                    None => {
                        let price = products
                            .get(product)
                            .ok_or_else(|| err(n, format!("unknown product index {product}")))?
                            .price_minor;
                        (int(n, rest)?, price)
                    }
                };
                order_lines.push(SeedLine {
                    product,
                    quantity,
                    unit_price_minor: price,
                });
            }
            orders.push(SeedOrder {
                invoice: f[0].to_string(),
                customer_id,
                country,
                time,
                lines: order_lines,
            });
        }

        let (n, header) = next("refunds")?;
        let count = header_value(n, header, "refunds")? as usize;
        let mut refunds = Vec::with_capacity(count);
        for _ in 0..count {
            let (n, line) = next("a refund")?;
            let f = fields(n, line, 7)?;
            refunds.push(SeedRefund {
                number: f[0].to_string(),
                customer_id: int(n, f[1])?,
                order: int(n, f[2])? as usize,
                product: int(n, f[3])? as usize,
                quantity: int(n, f[4])?,
                amount_minor: int(n, f[5])?,
                time: int(n, f[6])?,
            });
        }
        let (n, end) = next("end")?;
        if end != "end" {
            return Err(err(n, format!("expected \"end\", found {end:?}")));
        }

        let seed = SeedData {
            newest_unix,
            products,
            customers,
            orders,
            refunds,
        };
        seed.validate()?;
        Ok(seed)
    }

    /// Checks what the importer and the shop rely on: unique sorted keys, indices in range,
    /// no order without lines, positive quantities and prices, times ≤ 0, every refund
    /// against an earlier order of the same customer and never more than was bought.
    pub fn validate(&self) -> Result<(), SeedError> {
        let bad = |message: String| Err(err(0, message));
        for pair in self.products.windows(2) {
            if pair[0].code >= pair[1].code {
                return bad(format!("products not sorted/unique at {}", pair[1].code));
            }
        }
        for p in &self.products {
            if p.price_minor <= 0
                || p.stock < 0
                || p.first_seen > 0
                || p.title.is_empty()
                || p.category.is_empty()
            {
                return bad(format!("product {} is invalid", p.code));
            }
        }
        for pair in self.customers.windows(2) {
            if pair[0].id >= pair[1].id {
                return bad(format!("customers not sorted/unique at {}", pair[1].id));
            }
        }
        let known_customer = |id: i64| self.customers.binary_search_by_key(&id, |c| c.id).is_ok();
        let mut invoices = std::collections::HashSet::with_capacity(self.orders.len());
        for (i, o) in self.orders.iter().enumerate() {
            if i > 0 && self.orders[i - 1].time > o.time {
                return bad(format!("orders not sorted by time at {}", o.invoice));
            }
            if !invoices.insert(o.invoice.as_str()) {
                return bad(format!("duplicate invoice {}", o.invoice));
            }
            if o.time > 0 {
                return bad(format!("order {} is in the future", o.invoice));
            }
            if o.lines.is_empty() {
                return bad(format!("order {} has no lines", o.invoice));
            }
            if let Some(c) = o.customer_id {
                if !known_customer(c) {
                    return bad(format!("order {} has unknown customer {c}", o.invoice));
                }
            }
            for l in &o.lines {
                if l.product >= self.products.len() || l.quantity <= 0 || l.unit_price_minor <= 0 {
                    return bad(format!("order {} has an invalid line {l:?}", o.invoice));
                }
            }
        }
        let mut refunded: std::collections::HashMap<(usize, usize), i64> =
            std::collections::HashMap::new();
        for r in &self.refunds {
            let Some(order) = self.orders.get(r.order) else {
                return bad(format!(
                    "refund {} refers to order index {}",
                    r.number, r.order
                ));
            };
            if order.customer_id != Some(r.customer_id) {
                return bad(format!(
                    "refund {} is not by the customer of order {}",
                    r.number, order.invoice
                ));
            }
            if r.time > 0 || r.time < order.time {
                return bad(format!(
                    "refund {} predates order {} or is in the future",
                    r.number, order.invoice
                ));
            }
            if r.quantity <= 0 || r.amount_minor <= 0 || r.product >= self.products.len() {
                return bad(format!("refund {} is invalid", r.number));
            }
            let bought: i64 = order
                .lines
                .iter()
                .filter(|l| l.product == r.product)
                .map(|l| l.quantity)
                .sum();
            let total = refunded.entry((r.order, r.product)).or_default();
            *total += r.quantity;
            if *total > bought {
                return bad(format!(
                    "refund {} returns more than order {} bought",
                    r.number, order.invoice
                ));
            }
        }
        Ok(())
    }

    /// A small self-consistent subset for fast tests: every product (so categories stay
    /// full), the first `max_orders` orders by time among those with a customer, their
    /// customers, and their refunds up to the last kept order. Times are re-based so that
    /// the sample's newest order is its newest invoice (an import puts it yesterday);
    /// product indices are unchanged.
    pub fn sample(&self, max_orders: usize) -> SeedData {
        let kept: Vec<usize> = (0..self.orders.len())
            .filter(|&i| self.orders[i].customer_id.is_some())
            .take(max_orders)
            .collect();
        let end = kept.last().map_or(0, |&i| self.orders[i].time);
        let mut new_index = std::collections::HashMap::with_capacity(kept.len());
        for (new, &old) in kept.iter().enumerate() {
            new_index.insert(old, new);
        }
        let orders: Vec<SeedOrder> = kept
            .iter()
            .map(|&i| SeedOrder {
                time: self.orders[i].time - end,
                ..self.orders[i].clone()
            })
            .collect();
        let ids: std::collections::BTreeSet<i64> =
            orders.iter().filter_map(|o| o.customer_id).collect();
        let customers = self
            .customers
            .iter()
            .filter(|c| ids.contains(&c.id))
            .cloned()
            .collect();
        let refunds = self
            .refunds
            .iter()
            .filter(|r| r.time <= end)
            .filter_map(|r| {
                new_index.get(&r.order).map(|&order| SeedRefund {
                    order,
                    time: r.time - end,
                    ..r.clone()
                })
            })
            .collect();
        let products = self
            .products
            .iter()
            .map(|p| SeedProduct {
                first_seen: (p.first_seen - end).min(0),
                ..p.clone()
            })
            .collect();
        SeedData {
            newest_unix: self.newest_unix + end,
            products,
            customers,
            orders,
            refunds,
        }
    }
}

fn header_value(n: usize, line: &str, name: &str) -> Result<i64, SeedError> {
    match line.split_once('\t') {
        Some((key, value)) if key == name => int(n, value),
        _ => Err(err(
            n,
            format!("expected the {name:?} header, found {line:?}"),
        )),
    }
}

fn fields(n: usize, line: &str, count: usize) -> Result<Vec<&str>, SeedError> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != count {
        return Err(err(
            n,
            format!("expected {count} fields, found {}", f.len()),
        ));
    }
    Ok(f)
}

fn int(n: usize, s: &str) -> Result<i64, SeedError> {
    s.parse()
        .map_err(|_| err(n, format!("not an integer: {s:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> SeedData {
        let product = |code: &str, price| SeedProduct {
            code: code.into(),
            title: format!("Thing {code}"),
            category: "kitchen".into(),
            price_minor: price,
            stock: 10,
            first_seen: -500,
        };
        SeedData {
            newest_unix: 1_323_435_000,
            products: vec![product("10002", 85), product("85123A", 255)],
            customers: vec![
                SeedCustomer {
                    id: 12346,
                    country: "United Kingdom".into(),
                },
                SeedCustomer {
                    id: 17850,
                    country: "France".into(),
                },
            ],
            orders: vec![
                SeedOrder {
                    invoice: "536365".into(),
                    customer_id: Some(17850),
                    country: "France".into(),
                    time: -500,
                    lines: vec![
                        SeedLine {
                            product: 1,
                            quantity: 6,
                            unit_price_minor: 255,
                        },
                        SeedLine {
                            product: 0,
                            quantity: 2,
                            unit_price_minor: 99,
                        },
                    ],
                },
                SeedOrder {
                    invoice: "536366".into(),
                    customer_id: None,
                    country: "EIRE".into(),
                    time: -400,
                    lines: vec![SeedLine {
                        product: 0,
                        quantity: 1,
                        unit_price_minor: 85,
                    }],
                },
                SeedOrder {
                    invoice: "536367".into(),
                    customer_id: Some(12346),
                    country: "Germany".into(),
                    time: 0,
                    lines: vec![SeedLine {
                        product: 0,
                        quantity: 3,
                        unit_price_minor: 85,
                    }],
                },
            ],
            refunds: vec![SeedRefund {
                number: "C536370".into(),
                customer_id: 17850,
                order: 0,
                product: 1,
                quantity: 2,
                amount_minor: 510,
                time: -300,
            }],
        }
    }

    #[test]
    fn text_and_gzip_round_trip() {
        let seed = tiny();
        assert_eq!(SeedData::from_text(&seed.to_text()).unwrap(), seed);
        let bytes = seed.to_gzip();
        assert_eq!(SeedData::from_gzip(&bytes).unwrap(), seed);
        assert_eq!(bytes, seed.to_gzip(), "gzip output is deterministic");
        assert_eq!(
            &bytes[4..8],
            &[0, 0, 0, 0],
            "no timestamp in the gzip header"
        );
    }

    #[test]
    fn validate_rejects_refunds_beyond_the_order() {
        let mut seed = tiny();
        seed.refunds[0].quantity = 7;
        assert!(seed.validate().is_err());
        let mut seed = tiny();
        seed.refunds[0].customer_id = 12346;
        assert!(seed.validate().is_err());
    }

    #[test]
    fn sample_keeps_customer_orders_and_all_products() {
        let s = tiny().sample(2);
        assert_eq!(s.products.len(), 2);
        assert_eq!(s.orders.len(), 2);
        assert_eq!(s.customers.len(), 2);
        assert_eq!(s.refunds.len(), 1);
        s.validate().unwrap();
        // One order: the sample ends with it; the later refund is outside the sample.
        let s = tiny().sample(1);
        assert_eq!(
            (s.orders.len(), s.customers.len(), s.refunds.len()),
            (1, 1, 0)
        );
        assert_eq!(s.orders[0].time, 0);
        assert_eq!(s.newest_unix, 1_323_435_000 - 500);
        s.validate().unwrap();
    }

    #[test]
    fn embedded_seed_is_consistent() {
        let seed = SeedData::embedded();
        // `from_gzip` already ran `validate`; restate the headline invariants explicitly.
        assert!(
            seed.products.len() > 3000,
            "{} products",
            seed.products.len()
        );
        assert!(seed.orders.len() > 15_000, "{} orders", seed.orders.len());
        assert!(seed
            .orders
            .iter()
            .all(|o| !o.lines.is_empty() && o.time <= 0));
        assert!(seed
            .orders
            .iter()
            .flat_map(|o| &o.lines)
            .all(|l| l.product < seed.products.len() && l.unit_price_minor > 0));
        assert!(seed.products.iter().all(|p| p.price_minor > 0));
        assert!(seed
            .refunds
            .iter()
            .all(|r| seed.orders[r.order].customer_id == Some(r.customer_id) && r.time <= 0));
        assert!(!seed.refunds.is_empty());
        assert!(
            EMBEDDED_SEED.len() <= 3 * 1024 * 1024,
            "seed file is {} bytes",
            EMBEDDED_SEED.len()
        );
        let sample = seed.sample(300);
        assert_eq!(sample.orders.len(), 300);
        sample.validate().unwrap();
    }

    #[test]
    fn embedded_seed_has_under_five_percent_other() {
        let seed = SeedData::embedded();
        let other = seed
            .products
            .iter()
            .filter(|p| p.category == app::catalog::taxonomy::OTHER)
            .count();
        let share = other as f64 / seed.products.len() as f64;
        assert!(
            share < 0.05,
            "{other} of {} products are in \"other\" ({:.1}%)",
            seed.products.len(),
            share * 100.0
        );
        for p in &seed.products {
            assert!(
                app::catalog::taxonomy::is_known(&p.category),
                "unknown category {}",
                p.category
            );
        }
    }
}
