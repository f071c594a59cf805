-- Lean rows (issue 11). The log keeps each event once: its JSON body, plus only
-- the columns queries use (order, kind). The projections are rebuilt from the
-- log: the store folds them again at start when the versions recorded in
-- `projections` are not the ones it runs (here: none recorded yet).
ALTER TABLE events DROP COLUMN source;
ALTER TABLE events DROP COLUMN occurred_at;
ALTER TABLE events DROP COLUMN recorded_at;

DROP TABLE orders;
DROP TABLE waybills;

-- Which projections the tables below hold, and in which version.
CREATE TABLE projections (
    name     TEXT PRIMARY KEY NOT NULL,
    version  INTEGER NOT NULL
) STRICT;

-- One row per order. Its state is the order as its first event placed it
-- (folded from that event, `placed_seq`) with `changes` laid over it: the
-- order's top-level JSON fields that differ from that, NULL when none do.
CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY NOT NULL,
    channel     TEXT NOT NULL,
    status      TEXT NOT NULL,
    placed_at   INTEGER NOT NULL,   -- microseconds since the Unix epoch
    placed_seq  INTEGER NOT NULL,
    changes     TEXT
) STRICT;

CREATE INDEX orders_by_placed ON orders (placed_at);
CREATE INDEX orders_by_status ON orders (status, placed_at);

-- Which order a channel knows by its own id (unique per channel).
CREATE TABLE channel_orders (
    channel           TEXT NOT NULL,
    channel_order_id  TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    PRIMARY KEY (channel, channel_order_id)
) STRICT, WITHOUT ROWID;

-- Which order a waybill belongs to (from parcel_shipped events).
CREATE TABLE waybills (
    waybill   TEXT PRIMARY KEY NOT NULL,
    order_id  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
