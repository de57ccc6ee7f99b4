-- shipments, carrier scans, notifications
SELECT 1;
