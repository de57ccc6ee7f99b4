-- payments: webhook deduplication, the simulated provider's records
SELECT 1;
