//! Writes a [`SeedData`] into an empty database (SQLite or PostgreSQL) in one transaction.
//!
//! All rows are computed in Rust first ([`Rows::prepare`]: pseudonyms, product statistics
//! and descriptions, order statuses and totals, "also bought" lists), then one generic
//! function ([`insert_rows`]) sends them to either backend as multi-row `INSERT`s built with
//! [`sqlx::QueryBuilder::push_values`], in batches of at most [`MAX_BINDS`] parameters (SQLite
//! allows 32,766 per statement, PostgreSQL 65,535). Only the transaction start, the
//! identity-sequence reset of PostgreSQL and the one-line execution of a built batch
//! ([`Backend`]) are written per backend.
//!
//! Times: the seed's offsets are shifted so that the newest invoice falls about a day before
//! `now`, at its original time of day ([`newest_invoice_at`]). Ids: orders are numbered 1..n
//! in time order, refunds 1..n in time order, customers keep their UCI CustomerID.
//!
//! The database must be empty (fresh migrations): existing rows make the import fail on a
//! key conflict and the transaction rolls back.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sqlx::query_builder::Separated;
use sqlx::{Database, Encode, PgPool, Postgres, QueryBuilder, Sqlite, SqlitePool, Type};

use super::build::civil_from_days;
use super::format::SeedData;

/// Bind parameters per statement: under SQLite's limit of 32,766 and far under PostgreSQL's
/// 65,535.
pub const MAX_BINDS: usize = 30_000;
/// How many "also bought" products are kept per product.
pub const CO_PURCHASES_PER_PRODUCT: usize = 12;
/// Orders with more distinct products than this (bulk restocking orders) are left out of the
/// co-purchase counts: they say little about affinity and cost O(n²) pairs each.
pub const CO_PURCHASE_MAX_ORDER_PRODUCTS: usize = 150;

const DAY: i64 = 86_400;

/// What an import wrote, and how long it took.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub customers: u64,
    pub products: u64,
    pub orders: u64,
    pub order_lines: u64,
    pub refunds: u64,
    pub co_purchases: u64,
    /// Unix seconds given to the newest invoice (about a day before `now`).
    pub newest_invoice_at: i64,
    pub elapsed: Duration,
}

/// Imports `seed` into a migrated, empty SQLite database. `now` is unix seconds.
pub async fn import_sqlite(
    pool: &SqlitePool,
    seed: &SeedData,
    now: i64,
) -> Result<ImportReport, sqlx::Error> {
    let started = Instant::now();
    let rows = Rows::prepare(seed, now);
    // IMMEDIATE: take the write lock up front (see the engineering notes on SQLite).
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut report = insert_rows::<Sqlite>(&mut tx, &rows).await?;
    tx.commit().await?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Imports `seed` into a migrated, empty PostgreSQL database. `now` is unix seconds.
pub async fn import_postgres(
    pool: &PgPool,
    seed: &SeedData,
    now: i64,
) -> Result<ImportReport, sqlx::Error> {
    let started = Instant::now();
    let rows = Rows::prepare(seed, now);
    let mut tx = pool.begin().await?;
    let mut report = insert_rows::<Postgres>(&mut tx, &rows).await?;
    // Explicit ids went into identity columns: move the sequences past them so that the
    // next order, customer or refund the shop creates gets a fresh id.
    for table in ["customers", "orders", "refunds"] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Unix seconds given to the seed's newest invoice (offset 0) when importing at `now`: the
/// moment nearest to `now - 1 day` that has the newest invoice's original time of day, so
/// it is 12 to 36 hours before `now`.
pub fn newest_invoice_at(newest_unix: i64, now: i64) -> i64 {
    let target = now - DAY;
    let mut at = target.div_euclid(DAY) * DAY + newest_unix.rem_euclid(DAY);
    if at - target > DAY / 2 {
        at -= DAY;
    } else if target - at > DAY / 2 {
        at += DAY;
    }
    at
}

/// A customer's public handle: "member-" and 6 hex digits for UCI ids (a fixed bijective
/// scramble of the 24-bit id, so distinct ids never collide and the handle does not show the
/// id), 16 hex digits for ids outside 0..2²⁴.
pub fn pseudonym(id: i64) -> String {
    if (0..1 << 24).contains(&id) {
        let mut x = id as u32;
        for (mul, add) in [
            (0x9E_3779u32, 0x5B_D1E9u32),
            (0x85_EBCBu32, 0x27_D4EBu32),
            (0xC2_B2AFu32, 0x16_5667u32),
        ] {
            x = x.wrapping_mul(mul | 1) & 0xFF_FFFF; // odd multiplier: a bijection mod 2^24
            x ^= x >> 11; // xorshift: a bijection
            x = x.wrapping_add(add) & 0xFF_FFFF;
        }
        format!("member-{x:06x}")
    } else {
        // The splitmix64 finaliser, a bijection on 64 bits.
        let mut z = (id as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        format!("member-{:016x}", z ^ (z >> 31))
    }
}

/// The display name of a category slug for descriptions ("gift-wrap" → "Gift Wrap").
fn category_name(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// 2028 → "2,028".
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

fn month_year(unix: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, _) = civil_from_days(unix.div_euclid(DAY));
    format!("{} {y}", MONTHS[(m - 1) as usize])
}

/// The product description: a sentence from its real sales.
fn describe(
    title: &str,
    category: &str,
    units: i64,
    customers: i64,
    first_sold_at: Option<i64>,
) -> String {
    let range = if category == app::catalog::taxonomy::OTHER {
        format!("{title}, from our wider collection.")
    } else {
        format!("{title}, in our {} range.", category_name(category))
    };
    let Some(first) = first_sold_at.filter(|_| units > 0) else {
        return format!("{range} New to the shop: be the first to order it.");
    };
    let buyers = match customers {
        0 => String::new(),
        1 => " to 1 customer".to_string(),
        n => format!(" to {} customers", thousands(n)),
    };
    format!(
        "{range} {} sold{buyers} since {}.",
        thousands(units),
        month_year(first)
    )
}

struct CustomerRow<'a> {
    id: i64,
    pseudonym: String,
    country: &'a str,
    created_at: i64,
}

struct ProductRow<'a> {
    code: &'a str,
    title: &'a str,
    description: String,
    category: &'a str,
    price_minor: i64,
    stock: i64,
    units_sold: i64,
    order_count: i64,
    first_sold_at: i64,
}

struct OrderRow<'a> {
    id: i64,
    number: &'a str,
    customer_id: Option<i64>,
    country: &'a str,
    status: &'static str,
    placed_at: i64,
    total_minor: i64,
}

struct LineRow<'a> {
    order_id: i64,
    line_no: i64,
    product_code: &'a str,
    quantity: i64,
    unit_price_minor: i64,
}

struct RefundRow<'a> {
    id: i64,
    order_id: i64,
    number: &'a str,
    product_code: &'a str,
    quantity: i64,
    amount_minor: i64,
    created_at: i64,
}

struct CoPurchaseRow<'a> {
    product_code: &'a str,
    other_code: &'a str,
    orders: i64,
}

/// Every row of every table, ready to insert.
struct Rows<'a> {
    customers: Vec<CustomerRow<'a>>,
    products: Vec<ProductRow<'a>>,
    orders: Vec<OrderRow<'a>>,
    lines: Vec<LineRow<'a>>,
    refunds: Vec<RefundRow<'a>>,
    co_purchases: Vec<CoPurchaseRow<'a>>,
    newest_invoice_at: i64,
}

impl<'a> Rows<'a> {
    fn prepare(seed: &'a SeedData, now: i64) -> Rows<'a> {
        let base = newest_invoice_at(seed.newest_unix, now);
        let n_products = seed.products.len();

        // Refunded quantity per (order, product), for statuses.
        let mut refunded: HashMap<(usize, usize), i64> = HashMap::new();
        for r in &seed.refunds {
            *refunded.entry((r.order, r.product)).or_default() += r.quantity;
        }

        let mut units = vec![0i64; n_products];
        let mut order_count = vec![0i64; n_products];
        let mut first_sold: Vec<Option<i64>> = vec![None; n_products];
        let mut buyers: Vec<Vec<i64>> = vec![Vec::new(); n_products];
        let mut first_order_of: HashMap<i64, i64> = HashMap::new();
        let mut orders = Vec::with_capacity(seed.orders.len());
        let mut lines = Vec::with_capacity(seed.orders.iter().map(|o| o.lines.len()).sum());
        let mut distinct_products: Vec<Vec<u32>> = Vec::with_capacity(seed.orders.len());
        for (i, o) in seed.orders.iter().enumerate() {
            let id = i as i64 + 1;
            let placed_at = base + o.time;
            if let Some(c) = o.customer_id {
                first_order_of.entry(c).or_insert(placed_at);
            }
            let mut bought: Vec<(usize, i64)> = Vec::new(); // (product, quantity), distinct products
            for (n, l) in o.lines.iter().enumerate() {
                lines.push(LineRow {
                    order_id: id,
                    line_no: n as i64 + 1,
                    product_code: &seed.products[l.product].code,
                    quantity: l.quantity,
                    unit_price_minor: l.unit_price_minor,
                });
                units[l.product] += l.quantity;
                match bought.iter_mut().find(|(p, _)| *p == l.product) {
                    Some((_, q)) => *q += l.quantity,
                    None => bought.push((l.product, l.quantity)),
                }
            }
            for &(p, _) in &bought {
                order_count[p] += 1;
                let first = first_sold[p].get_or_insert(placed_at);
                *first = (*first).min(placed_at);
                if let Some(c) = o.customer_id {
                    buyers[p].push(c);
                }
            }
            let fully_refunded = bought
                .iter()
                .filter(|(p, q)| refunded.get(&(i, *p)).copied().unwrap_or(0) >= *q)
                .count();
            let any_refund = bought.iter().any(|(p, _)| refunded.contains_key(&(i, *p)));
            let status = if fully_refunded == bought.len() {
                "cancelled"
            } else if any_refund {
                "partially_refunded"
            } else {
                "completed"
            };
            orders.push(OrderRow {
                id,
                number: &o.invoice,
                customer_id: o.customer_id,
                country: &o.country,
                status,
                placed_at,
                total_minor: o
                    .lines
                    .iter()
                    .map(|l| l.quantity * l.unit_price_minor)
                    .sum(),
            });
            let mut ps: Vec<u32> = bought.iter().map(|&(p, _)| p as u32).collect();
            ps.sort_unstable();
            distinct_products.push(ps);
        }

        let customers = seed
            .customers
            .iter()
            .map(|c| CustomerRow {
                id: c.id,
                pseudonym: pseudonym(c.id),
                country: &c.country,
                created_at: first_order_of.get(&c.id).copied().unwrap_or(base),
            })
            .collect();

        let products = seed
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let b = &mut buyers[i];
                b.sort_unstable();
                b.dedup();
                ProductRow {
                    code: &p.code,
                    title: &p.title,
                    description: describe(
                        &p.title,
                        &p.category,
                        units[i],
                        b.len() as i64,
                        first_sold[i],
                    ),
                    category: &p.category,
                    price_minor: p.price_minor,
                    stock: p.stock,
                    units_sold: units[i],
                    order_count: order_count[i],
                    first_sold_at: first_sold[i].unwrap_or(base + p.first_seen),
                }
            })
            .collect();

        let refunds = seed
            .refunds
            .iter()
            .enumerate()
            .map(|(i, r)| RefundRow {
                id: i as i64 + 1,
                order_id: r.order as i64 + 1,
                number: &r.number,
                product_code: &seed.products[r.product].code,
                quantity: r.quantity,
                amount_minor: r.amount_minor,
                created_at: base + r.time,
            })
            .collect();

        let co_purchases = co_purchases(n_products, &distinct_products)
            .into_iter()
            .map(|(a, b, n)| CoPurchaseRow {
                product_code: &seed.products[a as usize].code,
                other_code: &seed.products[b as usize].code,
                orders: n,
            })
            .collect();

        Rows {
            customers,
            products,
            orders,
            lines,
            refunds,
            co_purchases,
            newest_invoice_at: base,
        }
    }
}

/// For every product, the [`CO_PURCHASES_PER_PRODUCT`] products found in the most orders
/// together with it (ties: lower index, i.e. code order): `(product, other, orders)`.
///
/// Per product, walks the orders that contain it and counts the other products into a dense
/// array (reset through the list of touched entries), which is far cheaper than a hash map
/// of pairs.
fn co_purchases(n_products: usize, orders: &[Vec<u32>]) -> Vec<(u32, u32, i64)> {
    let mut containing: Vec<Vec<u32>> = vec![Vec::new(); n_products];
    for (o, products) in orders.iter().enumerate() {
        if products.len() <= CO_PURCHASE_MAX_ORDER_PRODUCTS {
            for &p in products {
                containing[p as usize].push(o as u32);
            }
        }
    }
    let mut counts = vec![0u32; n_products];
    let mut touched: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    for (a, in_orders) in containing.iter().enumerate() {
        for &o in in_orders {
            for &b in &orders[o as usize] {
                if b as usize != a {
                    if counts[b as usize] == 0 {
                        touched.push(b);
                    }
                    counts[b as usize] += 1;
                }
            }
        }
        touched.sort_unstable_by_key(|&b| (std::cmp::Reverse(counts[b as usize]), b));
        for &b in touched.iter().take(CO_PURCHASES_PER_PRODUCT) {
            out.push((a as u32, b, i64::from(counts[b as usize])));
        }
        for &b in &touched {
            counts[b as usize] = 0;
        }
        touched.clear();
    }
    out
}

/// Inserts all rows through `conn`; the same code for both backends.
async fn insert_rows<DB>(
    conn: &mut DB::Connection,
    rows: &Rows<'_>,
) -> Result<ImportReport, sqlx::Error>
where
    DB: Backend,
    i64: Encode<'static, DB> + Type<DB>,
    Option<i64>: Encode<'static, DB> + Type<DB>,
    String: Encode<'static, DB> + Type<DB>,
{
    let customers = insert::<DB, _>(
        conn,
        "INSERT INTO customers (id, pseudonym, country, created_at) ",
        4,
        &rows.customers,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.pseudonym.clone())
                .push_bind(r.country.to_owned())
                .push_bind(r.created_at);
        },
    )
    .await?;
    let products = insert::<DB, _>(
        conn,
        "INSERT INTO products (code, title, description, category, price_minor, stock, units_sold, order_count, first_sold_at) ",
        9,
        &rows.products,
        |mut b, r| {
            b.push_bind(r.code.to_owned())
                .push_bind(r.title.to_owned())
                .push_bind(r.description.clone())
                .push_bind(r.category.to_owned())
                .push_bind(r.price_minor)
                .push_bind(r.stock)
                .push_bind(r.units_sold)
                .push_bind(r.order_count)
                .push_bind(r.first_sold_at);
        },
    )
    .await?;
    let orders = insert::<DB, _>(
        conn,
        "INSERT INTO orders (id, number, customer_id, country, status, placed_at, total_minor) ",
        7,
        &rows.orders,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.number.to_owned())
                .push_bind(r.customer_id)
                .push_bind(r.country.to_owned())
                .push_bind(r.status.to_owned())
                .push_bind(r.placed_at)
                .push_bind(r.total_minor);
        },
    )
    .await?;
    let order_lines = insert::<DB, _>(
        conn,
        "INSERT INTO order_lines (order_id, line_no, product_code, quantity, unit_price_minor) ",
        5,
        &rows.lines,
        |mut b, r| {
            b.push_bind(r.order_id)
                .push_bind(r.line_no)
                .push_bind(r.product_code.to_owned())
                .push_bind(r.quantity)
                .push_bind(r.unit_price_minor);
        },
    )
    .await?;
    let refunds = insert::<DB, _>(
        conn,
        "INSERT INTO refunds (id, order_id, number, product_code, quantity, amount_minor, created_at) ",
        7,
        &rows.refunds,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.order_id)
                .push_bind(r.number.to_owned())
                .push_bind(r.product_code.to_owned())
                .push_bind(r.quantity)
                .push_bind(r.amount_minor)
                .push_bind(r.created_at);
        },
    )
    .await?;
    let co_purchases = insert::<DB, _>(
        conn,
        "INSERT INTO co_purchases (product_code, other_code, orders) ",
        3,
        &rows.co_purchases,
        |mut b, r| {
            b.push_bind(r.product_code.to_owned())
                .push_bind(r.other_code.to_owned())
                .push_bind(r.orders);
        },
    )
    .await?;
    Ok(ImportReport {
        customers,
        products,
        orders,
        order_lines,
        refunds,
        co_purchases,
        newest_invoice_at: rows.newest_invoice_at,
        elapsed: Duration::ZERO,
    })
}

/// `head` followed by `VALUES (…), (…)` for `rows`, in batches of at most [`MAX_BINDS`]
/// parameters. Returns the number of rows inserted.
async fn insert<DB, T>(
    conn: &mut DB::Connection,
    head: &str,
    columns: usize,
    rows: &[T],
    push: impl Fn(Separated<'_, 'static, DB, &'static str>, &T),
) -> Result<u64, sqlx::Error>
where
    DB: Backend,
{
    let mut inserted = 0;
    for chunk in rows.chunks((MAX_BINDS / columns).max(1)) {
        let mut query = QueryBuilder::<DB>::new(head);
        query.push_values(chunk, &push);
        DB::execute_batch(conn, query).await?;
        inserted += chunk.len() as u64; // a multi-row INSERT is all or nothing
    }
    Ok(inserted)
}

/// The one step written per backend: running a built query. (Generically, sqlx ties the
/// lifetime of the bound values to the borrow of the query text, and futures over generic
/// lifetime bounds are not provably `Send`; so values are bound owned, `'static`, and the
/// execution is spelled out for each concrete backend.)
trait Backend: Database {
    fn execute_batch<'c>(
        conn: &'c mut Self::Connection,
        query: QueryBuilder<'static, Self>,
    ) -> impl std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'c;
}

impl Backend for Sqlite {
    async fn execute_batch(
        conn: &mut sqlx::SqliteConnection,
        mut query: QueryBuilder<'static, Sqlite>,
    ) -> Result<(), sqlx::Error> {
        query.build().execute(conn).await.map(drop)
    }
}

impl Backend for Postgres {
    async fn execute_batch(
        conn: &mut sqlx::PgConnection,
        mut query: QueryBuilder<'static, Postgres>,
    ) -> Result<(), sqlx::Error> {
        query.build().execute(conn).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Executor, IntoArguments, Row};

    const NOW: i64 = 1_767_225_600 + 9 * 3600; // 2026-01-01 09:00 UTC

    #[test]
    fn newest_invoice_keeps_its_time_of_day_about_a_day_ago() {
        let newest = 1_323_435_000; // 2011-12-09 12:50 UTC
        for now in [
            NOW,
            NOW + 3 * 3600,
            NOW + 10 * 3600,
            NOW - 9 * 3600,
            NOW + 14 * 3600,
        ] {
            let at = newest_invoice_at(newest, now);
            assert_eq!(at.rem_euclid(DAY), newest.rem_euclid(DAY));
            assert!((at - (now - DAY)).abs() <= DAY / 2, "{now} -> {at}");
            assert!(at < now);
        }
    }

    #[test]
    fn pseudonyms_are_unique_and_opaque() {
        let mut seen = std::collections::HashSet::new();
        for id in 12_000..20_000 {
            let p = pseudonym(id);
            assert_eq!(p.len(), "member-".len() + 6);
            assert!(!p.contains(&id.to_string()));
            assert!(seen.insert(p));
        }
        assert_eq!(pseudonym(17850), pseudonym(17850));
        assert_eq!(pseudonym(1 << 40).len(), "member-".len() + 16);
    }

    #[test]
    fn descriptions_read_well() {
        let d = describe(
            "White Hanging Heart T-Light Holder",
            "lighting",
            2028,
            856,
            Some(1_291_191_960),
        );
        assert_eq!(d, "White Hanging Heart T-Light Holder, in our Lighting range. 2,028 sold to 856 customers since December 2010.");
        let d = describe("Gift Tag", "gift-wrap", 3, 1, Some(1_291_191_960));
        assert_eq!(
            d,
            "Gift Tag, in our Gift Wrap range. 3 sold to 1 customer since December 2010."
        );
        assert!(describe("Thing", "other", 0, 0, None).ends_with("be the first to order it."));
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn co_purchases_rank_by_shared_orders() {
        let orders = vec![vec![0, 1, 2], vec![0, 1], vec![0, 2, 3], vec![1, 3]];
        let pairs = co_purchases(4, &orders);
        let of_0: Vec<_> = pairs
            .iter()
            .filter(|p| p.0 == 0)
            .map(|p| (p.1, p.2))
            .collect();
        assert_eq!(of_0, vec![(1, 2), (2, 2), (3, 1)]);
        assert!(pairs.iter().all(|p| p.0 != p.1));
    }

    fn sample() -> SeedData {
        SeedData::embedded().sample(300)
    }

    async fn count<'e, E>(db: E, table: &str) -> i64
    where
        E: Executor<'e>,
        for<'r> i64: sqlx::Decode<'r, E::Database> + Type<E::Database>,
        usize: sqlx::ColumnIndex<<E::Database as Database>::Row>,
        for<'q> <E::Database as Database>::Arguments<'q>: IntoArguments<'q, E::Database>,
    {
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db)
            .await
            .unwrap()
            .get(0)
    }

    fn check_report(seed: &SeedData, report: &ImportReport) {
        assert_eq!(report.orders as usize, seed.orders.len());
        assert_eq!(report.products as usize, seed.products.len());
        assert_eq!(report.customers as usize, seed.customers.len());
        assert_eq!(report.refunds as usize, seed.refunds.len());
        assert_eq!(
            report.order_lines as usize,
            seed.orders.iter().map(|o| o.lines.len()).sum::<usize>()
        );
        assert!(report.co_purchases > 0);
    }

    #[tokio::test]
    async fn sample_imports_into_sqlite() {
        let seed = sample();
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .unwrap();
        // Spawned: the import future must be Send to run inside the server's runtime.
        let report = {
            let (pool, seed) = (pool.clone(), seed.clone());
            tokio::spawn(async move { import_sqlite(&pool, &seed, NOW).await })
                .await
                .unwrap()
                .unwrap()
        };
        check_report(&seed, &report);
        for (table, n) in [
            ("orders", report.orders),
            ("order_lines", report.order_lines),
            ("customers", report.customers),
            ("products", report.products),
            ("refunds", report.refunds),
            ("co_purchases", report.co_purchases),
        ] {
            assert_eq!(count(&pool, table).await, n as i64, "{table}");
        }
        let newest: i64 = sqlx::query_scalar("SELECT MAX(placed_at) FROM orders")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(
            (newest - (NOW - DAY)).abs() <= DAY / 2,
            "newest order {} s before now",
            NOW - newest
        );
        assert_eq!(
            newest, report.newest_invoice_at,
            "the sample ends with an order"
        );
        // Totals are the sum of the lines; ids follow time.
        let bad_totals: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders o WHERE total_minor <> (SELECT SUM(quantity * unit_price_minor) FROM order_lines l WHERE l.order_id = o.id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(bad_totals, 0);
        let out_of_order: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders a JOIN orders b ON b.id = a.id + 1 WHERE b.placed_at < a.placed_at")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(out_of_order, 0);
        // Refunds belong to their orders and change their status.
        let refunded_orders: i64 =
            sqlx::query_scalar("SELECT COUNT(DISTINCT order_id) FROM refunds")
                .fetch_one(&pool)
                .await
                .unwrap();
        let not_completed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE status <> 'completed'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(refunded_orders, not_completed);
        assert!(refunded_orders > 0, "the sample has refunds");
        // At most 12 "also bought" per product, never the product itself.
        let most: i64 = sqlx::query_scalar(
            "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM co_purchases GROUP BY product_code) t",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(most <= CO_PURCHASES_PER_PRODUCT as i64);
        assert_eq!(
            count(&pool, "co_purchases WHERE product_code = other_code").await,
            0
        );
        // Products carry real statistics and a sentence about them.
        let row = sqlx::query("SELECT description, units_sold, order_count FROM products WHERE units_sold > 0 ORDER BY units_sold DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
        let description: String = row.get(0);
        assert!(
            description.contains(" sold to ") && description.contains(" range."),
            "{description}"
        );
        assert!(row.get::<i64, _>(2) > 0);
        let pseudonym_ok: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE pseudonym LIKE 'member-%'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(pseudonym_ok, report.customers as i64);
        // Importing again into the same database fails and leaves it unchanged.
        assert!(import_sqlite(&pool, &seed, NOW).await.is_err());
        assert_eq!(count(&pool, "orders").await, report.orders as i64);
    }

    /// Connects to the PostgreSQL named by EMPORIUM_TEST_PG_URL, creates a uniquely named
    /// database, and returns (admin pool, pool on the new database, its name).
    async fn scratch_postgres() -> Option<(PgPool, PgPool, String)> {
        let url = std::env::var("EMPORIUM_TEST_PG_URL").ok()?;
        let admin = PgPool::connect(&url)
            .await
            .expect("EMPORIUM_TEST_PG_URL is not reachable");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!("emporium_seed_{}_{nanos}", std::process::id());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        let mut options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
        options = options.database(&name);
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .unwrap();
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .unwrap();
        Some((admin, pool, name))
    }

    async fn drop_postgres(admin: PgPool, pool: PgPool, name: String) {
        pool.close().await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn sample_imports_into_postgres() {
        let Some((admin, pool, name)) = scratch_postgres().await else {
            eprintln!("EMPORIUM_TEST_PG_URL not set: skipping the PostgreSQL import test");
            return;
        };
        let seed = sample();
        let report = import_postgres(&pool, &seed, NOW).await;
        let result = async {
            let report = report?;
            check_report(&seed, &report);
            for (table, n) in [("orders", report.orders), ("order_lines", report.order_lines), ("refunds", report.refunds)] {
                assert_eq!(count(&pool, table).await, n as i64, "{table}");
            }
            let newest: i64 = sqlx::query_scalar("SELECT MAX(placed_at) FROM orders").fetch_one(&pool).await?;
            assert!((newest - (NOW - DAY)).abs() <= DAY / 2);
            // The identity sequences continue after the imported ids.
            let next: i64 = sqlx::query_scalar(
                "INSERT INTO orders (number, country, status, placed_at, total_minor) VALUES ('T1', 'United Kingdom', 'completed', 0, 0) RETURNING id",
            )
            .fetch_one(&pool)
            .await?;
            assert_eq!(next, report.orders as i64 + 1);
            Ok::<_, sqlx::Error>(())
        }
        .await;
        drop_postgres(admin, pool, name).await;
        result.unwrap();
    }

    /// The whole demo seed imports on both backends (what `server --demo` does); the
    /// report's elapsed times are printed with `--nocapture`.
    #[tokio::test]
    async fn full_seed_imports_on_both_backends() {
        let seed = SeedData::embedded();
        let path = std::env::temp_dir().join(format!("emporium-seed-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .unwrap();
        let report = import_sqlite(&pool, &seed, NOW).await.unwrap();
        check_report(&seed, &report);
        eprintln!("SQLite ({}): {report:?}", path.display());
        pool.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }

        if let Some((admin, pool, name)) = scratch_postgres().await {
            let report = import_postgres(&pool, &seed, NOW).await;
            drop_postgres(admin, pool, name).await;
            let report = report.unwrap();
            check_report(&seed, &report);
            eprintln!("PostgreSQL: {report:?}");
        }
    }
}
