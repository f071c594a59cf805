-- Issue 13: finding an order from what the customer gives, and the order list
-- at a million orders. Both tables are projections (rebuilt from the log at
-- start, since `projections` records neither yet).

-- The search index: every key an order is found by (its order numbers, its
-- waybills, its customer's phone, phone tail with name, and name; see
-- `model::views::search::keys`), newest first within a key. `field` is the
-- kind of key (codes in `projections/search_keys.rs`). A search is one seek per
-- (field, key); the customer's orders since a day are one range of
-- (phone, placed_at).
CREATE TABLE order_search (
    field      INTEGER NOT NULL,
    key        TEXT NOT NULL,
    placed_at  INTEGER NOT NULL,   -- microseconds since the Unix epoch
    order_id   TEXT NOT NULL,
    PRIMARY KEY (field, key, placed_at, order_id)
) STRICT, WITHOUT ROWID;

-- How many orders there are per status × channel × whether an exception is
-- open: a filter's total is a sum over a few of these rows, not a count of
-- the orders. Rows that fall to zero are removed.
CREATE TABLE order_counts (
    status    TEXT NOT NULL,
    channel   TEXT NOT NULL,
    flagged   INTEGER NOT NULL,    -- 1 when the order has an open exception
    orders    INTEGER NOT NULL,
    PRIMARY KEY (status, channel, flagged)
) STRICT, WITHOUT ROWID;

-- Keyset pages of the list: newest first by (placed_at, order_id), under each
-- filter the list offers, so a page is one seek and a short walk however deep.
DROP INDEX orders_by_placed;
DROP INDEX orders_by_status;
DROP INDEX orders_with_exceptions;
CREATE INDEX orders_newest ON orders (placed_at, order_id);
CREATE INDEX orders_by_status ON orders (status, placed_at, order_id);
CREATE INDEX orders_by_channel ON orders (channel, placed_at, order_id);
CREATE INDEX orders_by_status_channel ON orders (status, channel, placed_at, order_id);
CREATE INDEX orders_flagged ON orders (placed_at, order_id) WHERE open_exceptions > 0;
CREATE INDEX orders_flagged_by_status ON orders (status, placed_at, order_id)
    WHERE open_exceptions > 0;
CREATE INDEX orders_flagged_by_channel ON orders (channel, placed_at, order_id)
    WHERE open_exceptions > 0;
CREATE INDEX orders_flagged_by_status_channel ON orders (status, channel, placed_at, order_id)
    WHERE open_exceptions > 0;
