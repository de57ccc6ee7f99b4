-- Checkout: orders placed in the shop, stock reservations, the order event log, payments,
-- coupons and idempotency keys. The seeded history keeps its rows; `orders.status` is the
-- state column of app::orders::state::OrderState (as_str). Refunds of the history stay in
-- `refunds`, so a partly refunded order is simply completed.
UPDATE orders SET status = 'completed' WHERE status = 'partially_refunded';

-- Whose order: the cart owner ("a:<id>" or "s:<guest session>"), the contact email.
ALTER TABLE orders ADD COLUMN owner TEXT;
ALTER TABLE orders ADD COLUMN email TEXT;
-- Shipping address, copied at placement (later edits of the address book do not change it).
ALTER TABLE orders ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_phone TEXT NOT NULL DEFAULT '';
-- standard | express | chosen_day; the window is unix seconds.
ALTER TABLE orders ADD COLUMN delivery_option TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN delivery_fee_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN delivery_window_start INTEGER;
ALTER TABLE orders ADD COLUMN delivery_window_end INTEGER;
-- The price breakdown of app::checkout::pricing::price (total_minor is the total).
ALTER TABLE orders ADD COLUMN subtotal_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN vat_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN coupon_code TEXT;
ALTER TABLE orders ADD COLUMN payment_method TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN idempotency_key TEXT;
ALTER TABLE orders ADD COLUMN checkout_token TEXT;
ALTER TABLE orders ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET updated_at = placed_at;
CREATE UNIQUE INDEX orders_idempotency_key ON orders (idempotency_key);
CREATE INDEX orders_status_placed ON orders (status, placed_at);
CREATE INDEX orders_owner ON orders (owner);

-- Stock held for a checkout for a few minutes. Available stock = products.stock minus the
-- unexpired reservations of other checkouts. Placing the order decrements the stock and
-- deletes the reservation.
CREATE TABLE stock_reservations (
    id INTEGER PRIMARY KEY,
    checkout_token TEXT NOT NULL,
    owner TEXT NOT NULL,
    product_code TEXT NOT NULL REFERENCES products (code),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    expires_at INTEGER NOT NULL,
    UNIQUE (checkout_token, product_code)
);
CREATE INDEX stock_reservations_product ON stock_reservations (product_code, expires_at);
CREATE INDEX stock_reservations_expiry ON stock_reservations (expires_at);

-- Every change of an order's state, with its time and actor (from_state NULL: placed).
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    event TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Payment attempts as the provider reports them. Card numbers never reach this table:
-- the shop only sees the provider's token and reference.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    provider TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    method TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    -- authorised | captured | declined | requires_action | pending | voided | refunded
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX payments_order ON payments (order_id);

-- Coupons (app::checkout::coupon::Coupon): kind fields are flattened.
CREATE TABLE coupons (
    code TEXT PRIMARY KEY,
    -- fixed_amount | percentage | spend_threshold | free_delivery
    kind TEXT NOT NULL,
    amount_minor INTEGER,
    percent_bp INTEGER,
    kind_min_spend_minor INTEGER,
    starts_at INTEGER,
    ends_at INTEGER,
    max_uses INTEGER,
    max_uses_per_customer INTEGER,
    min_spend_minor INTEGER,
    created_at INTEGER NOT NULL
);

-- One row per order that used a coupon; deleted when the order is cancelled, so the
-- counts are of orders placed and not cancelled. `customer` is "a:<id>" or "e:<email>".
CREATE TABLE coupon_redemptions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL REFERENCES coupons (code),
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    customer TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX coupon_redemptions_code ON coupon_redemptions (code, customer);

-- Idempotency keys of place_order: a repeated key answers with the same order.
CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    order_id INTEGER REFERENCES orders (id),
    created_at INTEGER NOT NULL
);
