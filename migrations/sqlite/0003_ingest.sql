-- Every webhook delivery and what became of it. Stored deliveries (accepted or
-- pending) are unique per integration and dedupe key; duplicates and rejected
-- deliveries are listed too, without their body.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY NOT NULL,
    integration  TEXT NOT NULL,
    dedupe_key   TEXT,
    received_at  TEXT NOT NULL,
    outcome      TEXT NOT NULL,   -- accepted | pending | duplicate | rejected
    reason       TEXT NOT NULL,
    events       INTEGER NOT NULL DEFAULT 0,
    body         BLOB
) STRICT;

CREATE UNIQUE INDEX deliveries_stored ON deliveries (integration, dedupe_key)
    WHERE outcome IN ('accepted', 'pending');

-- Which order a waybill belongs to (derived from parcel_shipped events).
CREATE TABLE waybills (
    waybill   TEXT PRIMARY KEY NOT NULL,
    order_id  TEXT NOT NULL
) STRICT;
