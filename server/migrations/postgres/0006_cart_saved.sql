-- cart: saved-for-later lines and prices seen when added
SELECT 1;
