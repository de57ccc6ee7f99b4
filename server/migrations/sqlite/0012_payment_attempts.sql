-- A payment attempt is written before the provider is called (issue 10, item 12), so a
-- crash between the steps of placement (prepare -> provider -> finalise) leaves a trace:
-- a retry with the same idempotency key resumes it, and recovery (the unpaid-order job,
-- which also runs at start-up) asks the provider what became of it by its key and
-- captures, records, voids or refunds. attempt_key is the provider's idempotency key
-- (<order number>-<n>). lease_until: whoever started or claimed the attempt is working on
-- it until then; nobody else touches it before. resolved_at is NULL while it is in flight.
CREATE TABLE payment_attempts (
    attempt_key TEXT PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    method TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    lease_until INTEGER NOT NULL,
    resolved_at INTEGER,
    outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_attempts_by_order ON payment_attempts (order_id);
CREATE INDEX payment_attempts_in_flight ON payment_attempts (lease_until) WHERE resolved_at IS NULL;
