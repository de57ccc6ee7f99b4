-- shipments and carrier scans (tracking), and how far each member has read their
-- notifications. (0005 was reserved for this and left empty; it stays as it is, since
-- databases already record its checksum.)
--
-- A shipment belongs to one order. `speed` is the simulated carrier's time compression
-- fixed at dispatch, so every instance computes the same scans; 0 for a real carrier,
-- whose scans arrive by the signed carrier webhook instead.
CREATE TABLE shipments (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    carrier TEXT NOT NULL,
    tracking_number TEXT NOT NULL UNIQUE,
    shipped_at BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    depot TEXT NOT NULL,
    speed DOUBLE PRECISION NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX shipments_open ON shipments (delivered_at, speed);

-- Every scan once, by the carrier's event id (a repeated webhook, or two instances
-- replaying the simulation, insert nothing). Kept in the order the carrier says they
-- happened (`at`), whatever order they arrived in.
CREATE TABLE shipment_scans (
    id BIGSERIAL PRIMARY KEY,
    shipment_id BIGINT NOT NULL REFERENCES shipments (id),
    event_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    at BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX shipment_scans_shipment ON shipment_scans (shipment_id, at);

-- Notifications are the order events of a member's orders; this is the newest event id
-- each member has seen, so the bell counts the rest.
CREATE TABLE notification_reads (
    customer_id BIGINT PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
