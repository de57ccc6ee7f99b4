-- payments: every webhook event received from a payment provider, by its event id, so a
-- repeated delivery is recognised and applied once; `outcome` says what it did (applied,
-- ignored as stale or out of order, unknown payment).
CREATE TABLE payment_webhook_events (
    event_id TEXT PRIMARY KEY,
    provider_ref TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
