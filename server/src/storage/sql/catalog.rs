//! The catalogue's statements and rows. Queries use `$n` placeholders, which SQLite and
//! PostgreSQL both accept; integer columns are BIGINT on PostgreSQL so that every integer
//! decodes as i64 on both. The methods that run them are in `store/catalog.rs`.

use app::catalog::model::{
    CategorySummary, ProductCard, ProductDetail, ProductQuery, SortOrder, PAGE_SIZE,
};

#[derive(sqlx::FromRow)]
pub struct CardRow {
    pub code: String,
    pub title: String,
    pub category: String,
    pub price_minor: i64,
    pub stock: i64,
}

impl From<CardRow> for ProductCard {
    fn from(r: CardRow) -> Self {
        ProductCard {
            code: r.code,
            title: r.title,
            category: r.category,
            price_minor: r.price_minor,
            stock: r.stock,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct CategoryRow {
    pub slug: String,
    pub product_count: i64,
}

impl From<CategoryRow> for CategorySummary {
    fn from(r: CategoryRow) -> Self {
        CategorySummary {
            slug: r.slug,
            product_count: r.product_count,
        }
    }
}

/// A row of `sql::PRODUCT_WITH_ALSO_BOUGHT`: the product itself (`pos` 0, every column set)
/// or a product bought with it (`pos` 1, the detail columns NULL).
#[derive(sqlx::FromRow)]
pub struct DetailRow {
    pub pos: i64,
    #[sqlx(flatten)]
    pub card: CardRow,
    pub description: Option<String>,
    pub units_sold: Option<i64>,
    pub order_count: Option<i64>,
    pub first_sold_at: Option<i64>,
}

/// The product page from its rows (none: no such product).
pub fn detail(rows: Vec<DetailRow>) -> Option<ProductDetail> {
    let mut rows = rows.into_iter();
    let first = rows.next().filter(|r| r.pos == 0)?;
    Some(ProductDetail {
        card: first.card.into(),
        description: first.description.unwrap_or_default(),
        units_sold: first.units_sold.unwrap_or_default(),
        order_count: first.order_count.unwrap_or_default(),
        first_sold_at: first.first_sold_at.unwrap_or_default(),
        also_bought: rows.map(|r| r.card.into()).collect(),
    })
}

pub fn cards(rows: Vec<CardRow>) -> Vec<ProductCard> {
    rows.into_iter().map(Into::into).collect()
}

pub const CARD_COLUMNS: &str = "p.code, p.title, p.category, p.price_minor, p.stock";

pub const CATEGORIES: &str =
    "SELECT category AS slug, COUNT(*) AS product_count FROM products GROUP BY category ORDER BY COUNT(*) DESC, category";

/// A product page's data in one statement: the product (`pos` 0), then up to 8 products
/// bought with it (`pos` 1, most often first). The extra columns are NULL on those rows.
pub const PRODUCT_WITH_ALSO_BOUGHT: &str =
    "SELECT CAST(0 AS BIGINT) AS pos, CAST(0 AS BIGINT) AS together, \
     p.code, p.title, p.category, p.price_minor, p.stock, p.description, \
     p.units_sold, p.order_count, p.first_sold_at FROM products p WHERE p.code = $1 \
     UNION ALL \
     SELECT CAST(1 AS BIGINT), ab.orders, ab.code, ab.title, ab.category, ab.price_minor, \
     ab.stock, NULL, NULL, NULL, NULL FROM ( \
     SELECT c.orders, p.code, p.title, p.category, p.price_minor, p.stock \
     FROM co_purchases c JOIN products p ON p.code = c.other_code \
     WHERE c.product_code = $1 ORDER BY c.orders DESC, p.code LIMIT 8) ab \
     ORDER BY 1, 2 DESC, 3";

/// Driven from the orders of the period (an index range) rather than from all order lines.
pub const BEST_SELLERS: &str = "SELECT p.code, p.title, p.category, p.price_minor, p.stock \
     FROM order_lines l JOIN products p ON p.code = l.product_code \
     WHERE l.order_id IN (SELECT id FROM orders WHERE placed_at >= $1 AND status <> 'cancelled') \
     GROUP BY p.code, p.title, p.category, p.price_minor, p.stock \
     ORDER BY SUM(l.quantity) DESC, p.code LIMIT $2";

pub const NEW_ARRIVALS: &str = "SELECT p.code, p.title, p.category, p.price_minor, p.stock \
     FROM products p ORDER BY p.first_sold_at DESC, p.code LIMIT $1";

pub const ALL_PRODUCTS: &str = "SELECT p.code, p.title, p.category, p.price_minor, p.stock \
     FROM products p ORDER BY p.units_sold DESC, p.code";

/// Refresh the planner's statistics after a bulk import.
pub const ANALYZE: &str = "ANALYZE";

pub const PRODUCT_COUNT: &str = "SELECT COUNT(*) FROM products";

/// A value to bind, in placeholder order.
#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    Int(i64),
    Text(String),
}

/// The listing query and its count query, sharing the same WHERE clause and binds.
pub struct Listing {
    pub select: String,
    pub count: String,
    pub binds: Vec<Bind>,
}

pub fn listing(q: &ProductQuery) -> Listing {
    let mut binds = vec![Bind::Text(q.category.clone())];
    let mut filter = String::from("p.category = $1");
    if let Some(min) = q.min_price {
        binds.push(Bind::Int(min));
        filter.push_str(&format!(" AND p.price_minor >= ${}", binds.len()));
    }
    if let Some(max) = q.max_price {
        binds.push(Bind::Int(max));
        filter.push_str(&format!(" AND p.price_minor <= ${}", binds.len()));
    }
    if q.in_stock_only {
        filter.push_str(" AND p.stock > 0");
    }
    // The code breaks ties so that pages never overlap or skip.
    let order = match q.sort {
        SortOrder::Popular => "p.units_sold DESC, p.code",
        SortOrder::PriceAsc => "p.price_minor ASC, p.code",
        SortOrder::PriceDesc => "p.price_minor DESC, p.code",
        SortOrder::Newest => "p.first_sold_at DESC, p.code",
    };
    let offset = (q.page.saturating_sub(1) as i64) * PAGE_SIZE as i64;
    Listing {
        select: format!(
            "SELECT {CARD_COLUMNS} FROM products p WHERE {filter} ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {offset}"
        ),
        count: format!("SELECT COUNT(*) FROM products p WHERE {filter}"),
        binds,
    }
}

/// `SELECT ... WHERE code IN ($1, ..., $n)`.
pub fn by_codes(n: usize) -> String {
    let placeholders: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "SELECT {CARD_COLUMNS} FROM products p WHERE p.code IN ({})",
        placeholders.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_numbers_placeholders_in_bind_order() {
        let q = ProductQuery {
            category: "kitchen".into(),
            sort: SortOrder::PriceAsc,
            min_price: None,
            max_price: Some(500),
            in_stock_only: true,
            page: 3,
        };
        let l = listing(&q);
        assert!(l.select.contains("p.price_minor <= $2"));
        assert!(l.select.contains("OFFSET 48"));
        assert_eq!(l.binds, vec![Bind::Text("kitchen".into()), Bind::Int(500)]);
    }
}
