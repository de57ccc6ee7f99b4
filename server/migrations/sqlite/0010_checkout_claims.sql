-- One checkout, one order (issue 10, item 11): the prepare transaction of place_order
-- claims the checkout token here before it takes any stock, so two placements of the same
-- checkout with different idempotency keys (two tabs, a reload) make one order; the later
-- one is answered with the first one's order.
CREATE TABLE checkout_claims (
    checkout_token TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    order_id INTEGER REFERENCES orders (id),
    created_at INTEGER NOT NULL
);
