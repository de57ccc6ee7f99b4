//! Derives [`SeedData`] from the UCI "Online Retail" CSV (the `make_seed` binary).
//!
//! ```text
//! cargo run --release -p server --bin make_seed -- \
//!     /work/shared/data/online-retail/online_retail_I.csv.gz server/seed/online-retail.seed.gz
//! ```
//!
//! The source: Chen, D. (2015). Online Retail [Dataset]. UCI Machine Learning Repository,
//! https://doi.org/10.24432/C5BW33, CC BY 4.0. All transactions of a UK gift wholesaler
//! between 2010-12-01 and 2011-12-09.
//!
//! # Rules (each decision and why)
//! * **Stock codes** are upper-cased (the data has both `85123A` and `85123a`).
//! * **Non-merchandise** rows are dropped: postage and carriage (`POST`, `DOT`, `C2`,
//!   `23444` "Next Day Carriage"), fees and bookkeeping (`BANK CHARGES`, `AMAZONFEE`,
//!   `CRUK`, `B` bad debt, `D` discount, `M` manual, `S` samples, `23574` packing charge,
//!   `PADS` (priced 0.001), `23702` "High Resolution Image"), gift vouchers (`gift_0001_*`,
//!   `22016`) and the `DCGS*` items (dotcom-only sets that duplicate other products). See
//!   [`is_non_merchandise`].
//! * **Sales** are rows of a non-cancellation invoice with quantity > 0 and a unit price
//!   that rounds to at least one penny; other rows (stock adjustments with price 0, negative
//!   quantities without a cancellation invoice) are dropped. Rows without a CustomerID are
//!   kept as guest orders.
//! * **Products**: title from the most frequent description among the product's sales
//!   (whitespace collapsed; descriptions without any upper-case letter such as "damaged",
//!   "check" or "?" are notes, not names, and are ignored; ties go to the alphabetically
//!   first), title-cased by [`title_case`]. Category from
//!   `app::catalog::taxonomy::categorize` of that upper-case description. Price: the lower
//!   median of the unit prices of its sales. Stock: 0 if it did not sell in the last 120 days
//!   of the data (discontinued), otherwise about 30 days of its average net sales volume
//!   (units sold minus units refunded) over the time it was on sale, at least [`MIN_STOCK`].
//! * **Orders**: one per sales invoice, at the earliest time of its rows; rows with the same
//!   product and price are merged into one line (the data repeats some rows).
//! * **Customers**: every CustomerID with an order; country = the country of most of their
//!   orders (ties: the latest).
//! * **Refunds**: each line of a cancellation invoice (InvoiceNo "C…", quantity < 0) is
//!   matched to the most recent order of the same customer, not later than the
//!   cancellation, that has a not yet refunded quantity of the product. The refund is capped
//!   at that remaining quantity and its amount is what those units cost in that order.
//!   Cancellation lines without a customer, or with no such order (the purchase predates
//!   the data), are dropped and counted in the report.
//! * **Times** are offsets in seconds from the newest invoice of the file.
//!
//! Everything is sorted before writing, so the output is byte-for-byte repeatable.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;
use std::path::Path;

use app::calendar::CivilDate;

use super::format::{SeedCustomer, SeedData, SeedLine, SeedOrder, SeedProduct, SeedRefund};

/// Products that did not sell in this many final days of the data are out of stock.
pub const DISCONTINUED_AFTER_DAYS: i64 = 120;
/// The least stock of a product still on sale.
pub const MIN_STOCK: i64 = 5;

const DAY: i64 = 86_400;

/// Stock codes that are not goods: postage, fees, adjustments, vouchers (see module docs).
pub fn is_non_merchandise(code: &str) -> bool {
    const EXACT: &[&str] = &[
        "POST",
        "DOT",
        "M",
        "C2",
        "D",
        "S",
        "B",
        "BANK CHARGES",
        "AMAZONFEE",
        "CRUK",
        "PADS",
        // Numeric codes that are services rather than goods.
        "23444", // Next Day Carriage
        "23574", // PACKING CHARGE
        "23702", // High Resolution Image
        "22016", // Dotcomgiftshop Gift Voucher £100.00
    ];
    let upper = code.trim().to_ascii_uppercase();
    EXACT.contains(&upper.as_str()) || upper.starts_with("GIFT_") || upper.starts_with("DCGS")
}

/// Display form of an upper-case product description:
/// "WHITE HANGING HEART T-LIGHT HOLDER" → "White Hanging Heart T-Light Holder",
/// "PAPER CHAIN KIT 50'S CHRISTMAS" → "Paper Chain Kit 50's Christmas",
/// "SET OF 3 CAKE TINS PANTRY DESIGN" → "Set of 3 Cake Tins Pantry Design".
///
/// Each run of letters is capitalised (so "T-LIGHT" → "T-Light", "S/3" stays "S/3"), except:
/// letters after an apostrophe are lower-case ("50's", "Children's"); one or two letters
/// glued to a number stay upper-case ("3D", "25W") and units after a number are lower-case
/// ("40x40cm", "125g"); a few initialisms stay upper-case ("LED", "USB"); and short linking
/// words are lower-case inside a title ("of", "and", "with"). Commas get the usual spacing.
pub fn title_case(upper: &str) -> String {
    const SMALL: &[&str] = &[
        "A", "AN", "AND", "AS", "AT", "BY", "FOR", "IN", "OF", "ON", "OR", "THE", "TO", "WITH",
    ];
    const ACRONYMS: &[&str] = &[
        "LED", "USB", "UK", "USA", "DVD", "CD", "DIY", "PVC", "TV", "XL", "XXL", "NY", "II", "III",
        "IV",
    ];
    const UNITS: &[&str] = &[
        "CM", "MM", "M", "G", "KG", "ML", "L", "X", "CMX", "PCS", "PC",
    ];
    let mut out = String::with_capacity(upper.len());
    for (w, word) in upper.split_whitespace().enumerate() {
        if w > 0 {
            out.push(' ');
        }
        if w > 0 && SMALL.contains(&word) {
            out.push_str(&word.to_lowercase());
            continue;
        }
        if ACRONYMS.contains(&word) {
            out.push_str(word);
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let has_digit = chars.iter().any(|c| c.is_ascii_digit());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !c.is_alphabetic() {
                out.push(c);
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let after_apostrophe = start > 0 && matches!(chars[start - 1], '\'' | '’');
            let after_digit = start > 0 && chars[start - 1].is_ascii_digit();
            let before_digit = i < chars.len() && chars[i].is_ascii_digit();
            if after_apostrophe {
                out.push_str(&run.to_lowercase());
            } else if has_digit && (after_digit || before_digit) && run.chars().count() <= 3 {
                if UNITS.contains(&run.to_uppercase().as_str()) && after_digit {
                    out.push_str(&run.to_lowercase());
                } else if run.chars().count() <= 2 {
                    out.push_str(&run.to_uppercase());
                } else {
                    capitalise(&mut out, &run);
                }
            } else {
                capitalise(&mut out, &run);
            }
        }
    }
    // Tidy the source's comma spacing: "KEY FOB , SHED" and "SIGN,CUPCAKE".
    let out = out.replace(" ,", ",");
    let mut tidy = String::with_capacity(out.len() + 4);
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        tidy.push(c);
        if c == ',' && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            tidy.push(' ');
        }
    }
    tidy
}

fn capitalise(out: &mut String, run: &str) {
    let mut letters = run.chars();
    if let Some(first) = letters.next() {
        out.extend(first.to_uppercase());
        out.push_str(&letters.as_str().to_lowercase());
    }
}

/// What [`build`] did, printed by `make_seed`.
#[derive(Debug, Default, Clone)]
pub struct BuildReport {
    pub rows_read: usize,
    pub rows_non_merchandise: usize,
    /// Quantity ≤ 0 outside cancellations, or a price under one penny.
    pub rows_invalid: usize,
    pub products: usize,
    pub products_discontinued: usize,
    pub customers: usize,
    pub orders: usize,
    pub orders_with_customer: usize,
    pub orders_guest: usize,
    pub lines: usize,
    pub cancellation_lines: usize,
    pub refunds: usize,
    pub cancellation_lines_without_customer: usize,
    pub cancellation_lines_unmatched: usize,
    /// Units of matched cancellation lines beyond what the order had left to refund.
    pub refund_units_capped: i64,
    /// (category slug, products), most products first.
    pub categories: Vec<(String, usize)>,
    pub other_share: f64,
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "rows read:                {}", self.rows_read)?;
        writeln!(f, "  non-merchandise rows:   {}", self.rows_non_merchandise)?;
        writeln!(f, "  invalid rows dropped:   {}", self.rows_invalid)?;
        writeln!(
            f,
            "products:                 {} ({} discontinued, stock 0)",
            self.products, self.products_discontinued
        )?;
        writeln!(f, "customers:                {}", self.customers)?;
        writeln!(
            f,
            "orders:                   {} ({} with customer, {} guest)",
            self.orders, self.orders_with_customer, self.orders_guest
        )?;
        writeln!(f, "order lines:              {}", self.lines)?;
        writeln!(f, "cancellation lines:       {}", self.cancellation_lines)?;
        writeln!(f, "  refunds recorded:       {}", self.refunds)?;
        writeln!(
            f,
            "  dropped, no customer:   {}",
            self.cancellation_lines_without_customer
        )?;
        writeln!(
            f,
            "  dropped, no order:      {}",
            self.cancellation_lines_unmatched
        )?;
        writeln!(f, "  units capped:           {}", self.refund_units_capped)?;
        writeln!(f, "categories:")?;
        for (slug, n) in &self.categories {
            writeln!(
                f,
                "  {slug:<12} {n:>5} ({:.1}%)",
                *n as f64 * 100.0 / self.products.max(1) as f64
            )?;
        }
        write!(f, "share of \"other\": {:.2}%", self.other_share * 100.0)
    }
}

#[derive(Debug)]
pub struct BuildError(pub String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// Reads `input` (the gzip-compressed CSV), writes the seed to `output`.
pub fn run(input: &Path, output: &Path) -> Result<BuildReport, BuildError> {
    let file =
        std::fs::File::open(input).map_err(|e| BuildError(format!("{}: {e}", input.display())))?;
    let reader: Box<dyn Read> = if input.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(std::io::BufReader::new(file))
    };
    let (seed, report) = build(reader)?;
    std::fs::write(output, seed.to_gzip())
        .map_err(|e| BuildError(format!("{}: {e}", output.display())))?;
    Ok(report)
}

struct Row {
    invoice: String,
    code: String,
    description: String,
    quantity: i64,
    time: i64,
    price_minor: i64,
    customer: Option<i64>,
    country: String,
}

/// Builds the seed from the uncompressed CSV.
pub fn build(input: impl Read) -> Result<(SeedData, BuildReport), BuildError> {
    let mut report = BuildReport::default();
    let rows = read_rows(input, &mut report)?;
    let newest = rows
        .iter()
        .map(|r| r.time)
        .max()
        .ok_or_else(|| BuildError("no rows".into()))?;

    let mut sales = Vec::new();
    let mut cancellations = Vec::new();
    for row in rows {
        if is_non_merchandise(&row.code) {
            report.rows_non_merchandise += 1;
        } else if row.invoice.starts_with('C') && row.quantity < 0 {
            cancellations.push(row);
        } else if !row.invoice.starts_with('C') && row.quantity > 0 && row.price_minor > 0 {
            sales.push(row);
        } else {
            report.rows_invalid += 1;
        }
    }

    // Products.
    struct Stats<'a> {
        descriptions: BTreeMap<&'a str, usize>,
        prices: Vec<i64>,
        units: i64,
        first: i64,
        last: i64,
    }
    let mut stats: BTreeMap<&str, Stats> = BTreeMap::new();
    for row in &sales {
        let s = stats.entry(&row.code).or_insert(Stats {
            descriptions: BTreeMap::new(),
            prices: Vec::new(),
            units: 0,
            first: row.time,
            last: row.time,
        });
        if is_name(&row.description) {
            *s.descriptions.entry(&row.description).or_default() += 1;
        }
        s.prices.push(row.price_minor);
        s.units += row.quantity;
        s.first = s.first.min(row.time);
        s.last = s.last.max(row.time);
    }
    let mut products = Vec::new();
    let mut volume = Vec::new(); // (units sold, first sale, last sale) per product
    for (code, mut s) in stats {
        // Most frequent name; BTreeMap order makes the alphabetically first win ties.
        let Some((&description, _)) = s.descriptions.iter().rev().max_by_key(|(_, &n)| n) else {
            continue; // never named: not something to sell
        };
        s.prices.sort_unstable();
        let price_minor = s.prices[(s.prices.len() - 1) / 2];
        products.push(SeedProduct {
            code: code.to_string(),
            title: title_case(description),
            category: app::catalog::taxonomy::categorize(description).to_string(),
            price_minor,
            stock: 0, // set below, once refunds are known
            first_seen: s.first - newest,
        });
        volume.push((s.units, s.first, s.last));
    }
    let product_index: HashMap<&str, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.code.as_str(), i))
        .collect();

    // Orders: group sales rows by invoice, keeping the file's line order.
    let mut by_invoice: BTreeMap<&str, SeedOrder> = BTreeMap::new();
    for row in &sales {
        let Some(&product) = product_index.get(row.code.as_str()) else {
            continue;
        };
        let order = by_invoice.entry(&row.invoice).or_insert_with(|| SeedOrder {
            invoice: row.invoice.clone(),
            customer_id: row.customer,
            country: row.country.clone(),
            time: row.time - newest,
            lines: Vec::new(),
        });
        order.time = order.time.min(row.time - newest);
        match order
            .lines
            .iter_mut()
            .find(|l| l.product == product && l.unit_price_minor == row.price_minor)
        {
            Some(line) => line.quantity += row.quantity,
            None => order.lines.push(SeedLine {
                product,
                quantity: row.quantity,
                unit_price_minor: row.price_minor,
            }),
        }
    }
    let mut orders: Vec<SeedOrder> = by_invoice.into_values().collect();
    orders.sort_by(|a, b| (a.time, &a.invoice).cmp(&(b.time, &b.invoice)));

    // Customers: the country of most of their orders, ties to the latest.
    let mut countries: BTreeMap<i64, BTreeMap<&str, (usize, i64)>> = BTreeMap::new();
    for o in &orders {
        if let Some(id) = o.customer_id {
            let e = countries
                .entry(id)
                .or_default()
                .entry(&o.country)
                .or_insert((0, o.time));
            e.0 += 1;
            e.1 = e.1.max(o.time);
        }
    }
    let customers: Vec<SeedCustomer> = countries
        .into_iter()
        .map(|(id, c)| {
            let (country, _) = c
                .into_iter()
                .max_by_key(|(_, stat)| *stat)
                .expect("at least one order");
            SeedCustomer {
                id,
                country: country.to_string(),
            }
        })
        .collect();

    // Refunds.
    let mut orders_of: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, o) in orders.iter().enumerate() {
        if let Some(c) = o.customer_id {
            orders_of.entry(c).or_default().push(i); // in time order
        }
    }
    let mut refunded: Vec<Vec<i64>> = orders.iter().map(|o| vec![0; o.lines.len()]).collect();
    let mut cancel_order: Vec<usize> = (0..cancellations.len()).collect();
    cancel_order.sort_by(|&a, &b| {
        let (a, b) = (&cancellations[a], &cancellations[b]);
        (a.time, &a.invoice).cmp(&(b.time, &b.invoice))
    }); // stable: file order within an invoice
    let mut refunds = Vec::new();
    report.cancellation_lines = cancellations.len();
    for i in cancel_order {
        let row = &cancellations[i];
        let Some(customer) = row.customer else {
            report.cancellation_lines_without_customer += 1;
            continue;
        };
        let time = row.time - newest;
        let wanted = -row.quantity;
        let matched = product_index.get(row.code.as_str()).and_then(|&product| {
            orders_of
                .get(&customer)?
                .iter()
                .rev()
                .copied()
                .find_map(|o| {
                    let order = &orders[o];
                    if order.time > time {
                        return None;
                    }
                    let left: i64 = order
                        .lines
                        .iter()
                        .zip(&refunded[o])
                        .filter(|(l, _)| l.product == product)
                        .map(|(l, r)| l.quantity - r)
                        .sum();
                    (left > 0).then_some((o, product))
                })
        });
        let Some((o, product)) = matched else {
            report.cancellation_lines_unmatched += 1;
            continue;
        };
        let mut still = wanted;
        let mut quantity = 0;
        let mut amount_minor = 0;
        for (line, done) in orders[o].lines.iter().zip(refunded[o].iter_mut()) {
            if line.product != product || still == 0 {
                continue;
            }
            let take = (line.quantity - *done).min(still);
            *done += take;
            still -= take;
            quantity += take;
            amount_minor += take * line.unit_price_minor;
        }
        report.refund_units_capped += still;
        refunds.push(SeedRefund {
            number: row.invoice.clone(),
            customer_id: customer,
            order: o,
            product,
            quantity,
            amount_minor,
            time,
        });
    }
    refunds.sort_by(|a, b| {
        (a.time, &a.number, a.order, a.product).cmp(&(b.time, &b.number, b.order, b.product))
    });

    // Stock: about a month of net sales (refunds taken off, so that a huge order that was
    // cancelled, such as 80,995 paper birdies, does not fill the warehouse).
    for r in &refunds {
        volume[r.product].0 -= r.quantity;
    }
    for (product, &(units, first, last)) in products.iter_mut().zip(&volume) {
        product.stock = if last < newest - DISCONTINUED_AFTER_DAYS * DAY {
            0
        } else {
            let days_on_sale = ((newest - first) / DAY).max(30);
            (units * 30 / days_on_sale).max(MIN_STOCK)
        };
    }

    let seed = SeedData {
        newest_unix: newest,
        products,
        customers,
        orders,
        refunds,
    };
    seed.validate()
        .map_err(|e| BuildError(format!("the derived seed is inconsistent: {e}")))?;

    report.products = seed.products.len();
    report.products_discontinued = seed.products.iter().filter(|p| p.stock == 0).count();
    report.customers = seed.customers.len();
    report.orders = seed.orders.len();
    report.orders_with_customer = seed
        .orders
        .iter()
        .filter(|o| o.customer_id.is_some())
        .count();
    report.orders_guest = report.orders - report.orders_with_customer;
    report.lines = seed.orders.iter().map(|o| o.lines.len()).sum();
    report.refunds = seed.refunds.len();
    let mut categories: BTreeMap<&str, usize> = app::catalog::taxonomy::all_slugs()
        .map(|s| (s, 0))
        .collect();
    for p in &seed.products {
        *categories.entry(&p.category).or_default() += 1;
    }
    let other = categories
        .get(app::catalog::taxonomy::OTHER)
        .copied()
        .unwrap_or(0);
    report.other_share = other as f64 / seed.products.len().max(1) as f64;
    let mut categories: Vec<(String, usize)> = categories
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    report.categories = categories;
    Ok((seed, report))
}

/// Whether a description names a product (rather than a stock note like "damaged").
fn is_name(description: &str) -> bool {
    description.chars().any(|c| c.is_ascii_uppercase()) && !description.contains('?')
}

fn read_rows(input: impl Read, report: &mut BuildReport) -> Result<Vec<Row>, BuildError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| BuildError(format!("csv header: {e}")))?
        .clone();
    let expected = [
        "InvoiceNo",
        "StockCode",
        "Description",
        "Quantity",
        "InvoiceDate",
        "UnitPrice",
        "CustomerID",
        "Country",
    ];
    if headers.iter().map(str::trim).ne(expected) {
        return Err(BuildError(format!(
            "unexpected CSV header {headers:?}, expected {expected:?}"
        )));
    }
    let mut rows = Vec::with_capacity(550_000);
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| BuildError(format!("csv row {}: {e}", i + 2)))?;
        let bad = |what: &str| BuildError(format!("csv row {}: bad {what} in {record:?}", i + 2));
        report.rows_read += 1;
        let customer = match record[6].trim() {
            "" => None,
            s => Some(
                s.strip_suffix(".0")
                    .unwrap_or(s)
                    .parse::<i64>()
                    .map_err(|_| bad("CustomerID"))?,
            ),
        };
        rows.push(Row {
            invoice: record[0].trim().to_string(),
            code: record[1].trim().to_ascii_uppercase(),
            description: record[2].split_whitespace().collect::<Vec<_>>().join(" "),
            quantity: record[3].trim().parse().map_err(|_| bad("Quantity"))?,
            time: parse_time(record[4].trim()).ok_or_else(|| bad("InvoiceDate"))?,
            price_minor: parse_pence(record[5].trim()).ok_or_else(|| bad("UnitPrice"))?,
            customer,
            country: record[7].trim().to_string(),
        });
    }
    Ok(rows)
}

/// "2010-12-01 08:26:00" (or without seconds) → unix seconds, reading the time as UTC.
pub fn parse_time(s: &str) -> Option<i64> {
    let (date, time) = s.split_once([' ', 'T'])?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (t.next()??, t.next()??);
    let sec = t.next().flatten().unwrap_or(0);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(y, m, day)? * DAY + h * 3600 + min * 60 + sec)
}

/// Days since 1970-01-01 of a date (`app::calendar`, the shop's one calendar).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let date = CivilDate::new(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)?;
    Some(date.unix_days())
}

/// (year, month 1-12, day) of a day count since 1970-01-01; the inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let (y, m, d) = CivilDate::from_unix_days(z).ymd();
    (y, i64::from(m), i64::from(d))
}

/// A decimal GBP amount → pence, rounding half up ("2.55" → 255, "0.001" → 0, "1.5" → 150).
pub fn parse_pence(s: &str) -> Option<i64> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let digits: Vec<i64> = frac.bytes().map(|b| i64::from(b - b'0')).collect();
    let mut pence = whole * 100
        + digits.first().copied().unwrap_or(0) * 10
        + digits.get(1).copied().unwrap_or(0);
    if digits.get(2).copied().unwrap_or(0) >= 5 {
        pence += 1;
    }
    Some(if negative { -pence } else { pence })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            title_case("WHITE HANGING HEART T-LIGHT HOLDER"),
            "White Hanging Heart T-Light Holder"
        );
        assert_eq!(
            title_case("PAPER CHAIN KIT 50'S CHRISTMAS"),
            "Paper Chain Kit 50's Christmas"
        );
        assert_eq!(
            title_case("SET OF 3 CAKE TINS PANTRY DESIGN"),
            "Set of 3 Cake Tins Pantry Design"
        );
        assert_eq!(
            title_case("WOOD S/3 CABINET ANT WHITE FINISH"),
            "Wood S/3 Cabinet Ant White Finish"
        );
        assert_eq!(
            title_case("3D SHEET OF DOG STICKERS"),
            "3D Sheet of Dog Stickers"
        );
        assert_eq!(
            title_case("CHILDREN'S SPACEBOY MUG"),
            "Children's Spaceboy Mug"
        );
        assert_eq!(
            title_case("POLYESTER FILLER PAD 40x40cm"),
            "Polyester Filler Pad 40x40cm"
        );
        assert_eq!(
            title_case("BAG 125g SWIRLY MARBLES"),
            "Bag 125g Swirly Marbles"
        );
        assert_eq!(
            title_case("GIN + TONIC DIET METAL SIGN"),
            "Gin + Tonic Diet Metal Sign"
        );
        assert_eq!(
            title_case("A PRETTY THANK YOU CARD"),
            "A Pretty Thank You Card"
        );
        assert_eq!(
            title_case("SET/6 RED SPOTTY PAPER CUPS"),
            "Set/6 Red Spotty Paper Cups"
        );
        assert_eq!(
            title_case("12 PENCILS TALL TUBE RED RETROSPOT"),
            "12 Pencils Tall Tube Red Retrospot"
        );
        assert_eq!(title_case("LED TEA LIGHTS"), "LED Tea Lights");
        assert_eq!(
            title_case("SET3 BOOK BOX GREEN GINGHAM FLOWER"),
            "Set3 Book Box Green Gingham Flower"
        );
        assert_eq!(
            title_case("SILICON CUBE 25W, BLUE"),
            "Silicon Cube 25W, Blue"
        );
        assert_eq!(title_case("KEY FOB , SHED"), "Key Fob, Shed");
        assert_eq!(
            title_case("METAL SIGN,CUPCAKE SINGLE HOOK"),
            "Metal Sign, Cupcake Single Hook"
        );
        assert_eq!(
            title_case("POLYESTER FILLER PAD 65CMX65CM"),
            "Polyester Filler Pad 65cmx65cm"
        );
    }

    #[test]
    fn pence_and_times() {
        assert_eq!(parse_pence("2.55"), Some(255));
        assert_eq!(parse_pence("1.5"), Some(150));
        assert_eq!(parse_pence("0.001"), Some(0));
        assert_eq!(parse_pence("0.165"), Some(17));
        assert_eq!(parse_pence("15"), Some(1500));
        assert_eq!(parse_pence("-11062.06"), Some(-1_106_206));
        assert_eq!(parse_pence("x"), None);
        assert_eq!(parse_time("2010-12-01 08:26:00"), Some(1_291_191_960));
        assert_eq!(parse_time("2011-12-09 12:50"), Some(1_323_435_000));
        assert_eq!(
            civil_from_days(days_from_civil(2011, 12, 9).unwrap()),
            (2011, 12, 9)
        );
        assert_eq!(
            civil_from_days(days_from_civil(2000, 2, 29).unwrap()),
            (2000, 2, 29)
        );
        assert_eq!(parse_time("2011-02-30 10:00"), None, "no such day");
    }

    #[test]
    fn non_merchandise() {
        for code in [
            "POST",
            "DOT",
            "M",
            "m",
            "C2",
            "BANK CHARGES",
            "gift_0001_20",
            "DCGS0070",
            "PADS",
            "23444",
        ] {
            assert!(is_non_merchandise(code), "{code}");
        }
        for code in ["85123A", "22423", "47566"] {
            assert!(!is_non_merchandise(code), "{code}");
        }
    }

    const CSV: &str = "\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
536365,POST,POSTAGE,1,2010-12-01 08:26:00,18.00,17850.0,United Kingdom
536366,85123a,\"HEART, WHITE\",2,2010-12-02 09:00:00,2.95,,United Kingdom
536367,71053,damaged,-3,2010-12-02 10:00:00,0,,United Kingdom
536368,85123A,WHITE HANGING HEART T-LIGHT HOLDER,4,2010-12-03 09:00:00,2.55,17850,United Kingdom
C536369,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-7,2010-12-04 09:00:00,2.55,17850.0,United Kingdom
C536370,71053,WHITE METAL LANTERN,-1,2010-12-04 09:00:00,3.39,,United Kingdom
C536371,71053,WHITE METAL LANTERN,-1,2010-12-04 10:00:00,3.39,12346,Iceland
";

    #[test]
    fn builds_orders_products_and_refunds() {
        let (seed, report) = build(CSV.as_bytes()).unwrap();
        assert_eq!(report.rows_read, 9);
        assert_eq!(report.rows_non_merchandise, 1);
        assert_eq!(report.rows_invalid, 1);
        assert_eq!(seed.products.len(), 2);
        let heart = &seed.products[1];
        assert_eq!(heart.code, "85123A");
        assert_eq!(heart.title, "White Hanging Heart T-Light Holder");
        assert_eq!(heart.price_minor, 255);
        assert_eq!(seed.orders.len(), 3);
        assert_eq!(seed.orders[1].customer_id, None);
        assert_eq!(seed.customers.len(), 1);
        assert_eq!(report.cancellation_lines, 3);
        assert_eq!(report.cancellation_lines_without_customer, 1);
        assert_eq!(report.cancellation_lines_unmatched, 1);
        // 7 cancelled against the latest order (4 bought): capped at 4.
        assert_eq!(seed.refunds.len(), 1);
        assert_eq!(seed.refunds[0].order, 2);
        assert_eq!(seed.refunds[0].quantity, 4);
        assert_eq!(seed.refunds[0].amount_minor, 4 * 255);
        assert_eq!(report.refund_units_capped, 3);
        assert!(seed.orders.iter().all(|o| o.time <= 0));
        assert_eq!(
            seed.refunds[0].time, -3600,
            "relative to the newest row, a cancellation"
        );
        // Deterministic.
        assert_eq!(build(CSV.as_bytes()).unwrap().0.to_gzip(), seed.to_gzip());
    }
}
