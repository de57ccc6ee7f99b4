-- Catalogue and order history. Money in integer minor units (pence); times in unix seconds.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL UNIQUE,
    country TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE products (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    stock INTEGER NOT NULL CHECK (stock >= 0),
    units_sold INTEGER NOT NULL DEFAULT 0,
    order_count INTEGER NOT NULL DEFAULT 0,
    first_sold_at INTEGER NOT NULL
);
CREATE INDEX products_category_popularity ON products (category, units_sold DESC);
CREATE INDEX products_category_price ON products (category, price_minor);
CREATE INDEX products_first_sold ON products (first_sold_at DESC);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers (id),
    country TEXT NOT NULL,
    -- completed | partially_refunded | cancelled (state machine arrives with checkout)
    status TEXT NOT NULL,
    placed_at INTEGER NOT NULL,
    total_minor INTEGER NOT NULL
);
CREATE INDEX orders_placed_at ON orders (placed_at);
CREATE INDEX orders_customer ON orders (customer_id);

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line_no INTEGER NOT NULL,
    product_code TEXT NOT NULL REFERENCES products (code),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_product ON order_lines (product_code);

-- A cancellation invoice (C...) of the source data, matched to the order it undoes.
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    number TEXT NOT NULL,
    product_code TEXT NOT NULL REFERENCES products (code),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    amount_minor INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);

-- "Customers who bought this also bought": distinct orders containing both products,
-- computed from order_lines when the history is imported.
CREATE TABLE co_purchases (
    product_code TEXT NOT NULL REFERENCES products (code),
    other_code TEXT NOT NULL REFERENCES products (code),
    orders INTEGER NOT NULL,
    PRIMARY KEY (product_code, other_code)
);
