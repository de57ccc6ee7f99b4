-- Accounts, sessions, sign-in throttling, addresses, favourites, carts, consents and
-- behaviour events. Seeded customers become accounts without email or password: they
-- cannot sign in until `server set-password` gives them both.
ALTER TABLE customers ADD COLUMN email TEXT;
ALTER TABLE customers ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN password_hash TEXT;
-- customer | agent | admin
ALTER TABLE customers ADD COLUMN role TEXT NOT NULL DEFAULT 'customer';
-- Set when the account was erased: the row stays (pseudonymous) for kept orders.
ALTER TABLE customers ADD COLUMN erased_at INTEGER;
-- Emails are stored lower-cased, so this is a case-insensitive uniqueness.
CREATE UNIQUE INDEX customers_email ON customers (email);

-- Server-side sessions. The cookie carries a random token; only its SHA-256 is stored, so
-- a copy of the database cannot be replayed as cookies. Guests get a session (no
-- customer) once they have something to keep, such as a cart.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    -- Shown on the devices page and used to sign one device out; not a credential.
    public_id TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL
);
CREATE INDEX sessions_customer ON sessions (customer_id);

-- Failed sign-ins per key ("account:<email>" or "ip:<address>") in a rolling hour.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
);

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    full_name TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL,
    city TEXT NOT NULL,
    postcode TEXT NOT NULL,
    country TEXT NOT NULL,
    phone TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id);

CREATE TABLE favourites (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    product_code TEXT NOT NULL REFERENCES products (code),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, product_code)
);

-- A cart belongs to an account ("a:<id>") or to a guest session ("s:<public id>").
CREATE TABLE cart_items (
    owner TEXT NOT NULL,
    product_code TEXT NOT NULL REFERENCES products (code),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (owner, product_code)
);

-- Every consent decision, append-only: the current setting is the newest row per purpose.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    purpose TEXT NOT NULL,
    granted INTEGER NOT NULL,
    policy_version TEXT NOT NULL,
    decided_at INTEGER NOT NULL
);
CREATE INDEX consents_customer ON consents (customer_id, purpose, id);

-- Behaviour events, recorded only with analytics consent.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX events_customer ON events (customer_id, at);
