-- cart: lines saved for later (kept, not bought with the basket) and the price the shopper
-- last saw for each line (set on every change the shopper makes), so a price change since
-- then is shown instead of hidden.
ALTER TABLE cart_items ADD COLUMN saved BIGINT NOT NULL DEFAULT 0 CHECK (saved IN (0, 1));
ALTER TABLE cart_items ADD COLUMN price_seen_minor BIGINT;
