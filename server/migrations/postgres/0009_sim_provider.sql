-- The built-in simulated payment provider's own books (server/src/payments/ledger.rs): one
-- row per payment, its state as JSON, so every app instance is the same provider. A real
-- provider keeps these on its side; nothing here is a card number (tokens carry none).
CREATE TABLE sim_provider_payments (
    provider_ref TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL
);
