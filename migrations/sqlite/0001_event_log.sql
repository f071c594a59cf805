-- The append-only event log and the order projection derived from it.
-- `seq` is the global, gap-free sequence: assigned by the single writer as
-- max(seq) + 1 inside the transaction that appends.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY NOT NULL,
    order_id     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    source       TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    body         TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_order ON events (order_id, seq);

-- One row per order: the current state, updated in the same transaction as the
-- append. Can be rebuilt from `events` at any time.
CREATE TABLE orders (
    order_id          TEXT PRIMARY KEY NOT NULL,
    channel           TEXT NOT NULL,
    channel_order_id  TEXT NOT NULL,
    status            TEXT NOT NULL,
    placed_at         TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    last_seq          INTEGER NOT NULL,
    body              TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX orders_by_channel_order ON orders (channel, channel_order_id);
CREATE INDEX orders_by_placed ON orders (placed_at);
CREATE INDEX orders_by_status ON orders (status, placed_at);
