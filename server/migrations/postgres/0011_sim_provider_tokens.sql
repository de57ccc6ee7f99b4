-- The simulated payment provider's card tokens (server/src/payments/ledger.rs): a token is
-- accepted only if the provider issued it (POST /pay/sim/tokens), only once (the first
-- authorisation's idempotency key redeems it; a retry of that authorisation may repeat),
-- and, when issued for an amount, only for that amount. No card number is kept.
CREATE TABLE sim_provider_tokens (
    token TEXT PRIMARY KEY,
    amount_minor BIGINT,
    issued_at BIGINT NOT NULL,
    used_key TEXT,
    used_amount_minor BIGINT
);
