-- instalment plans: the plan's fee charged with the order (VAT-exempt, included in
-- total_minor), so the order, its invoice and its refunds show what was paid for what.
ALTER TABLE orders ADD COLUMN payment_fee_minor BIGINT NOT NULL DEFAULT 0;
