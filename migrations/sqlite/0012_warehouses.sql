-- Issue 14: the warehouse load board. (0011 is the exception queue's.)

-- Warehouses as data an admin keeps: the name is the id, exactly as
-- `warehouse_allocated` events carry it; carriers as a JSON array of names.
CREATE TABLE warehouses (
    name            TEXT PRIMARY KEY,
    province        TEXT NOT NULL,
    daily_capacity  INTEGER NOT NULL CHECK (daily_capacity > 0),
    carriers        TEXT NOT NULL DEFAULT '[]',
    updated_at      TEXT NOT NULL
) STRICT;

-- Stock per SKU as last reported (a CSV import or the WMS). Not derived from
-- the log; kept beside the warehouse it belongs to.
CREATE TABLE warehouse_stock (
    warehouse   TEXT NOT NULL REFERENCES warehouses (name) ON DELETE CASCADE,
    sku         TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (warehouse, sku)
) STRICT, WITHOUT ROWID;

-- Projections (rebuilt from the log at start, like the others):

-- Orders waiting in a warehouse: allocated, nothing shipped, not cancelled,
-- refunded or returned. One row per order; the backlog is a count over the
-- warehouse's range of the index, the oldest its first entry.
CREATE TABLE warehouse_waiting (
    order_id      TEXT PRIMARY KEY,
    warehouse     TEXT NOT NULL,
    allocated_at  INTEGER NOT NULL   -- microseconds since the Unix epoch
) STRICT;
CREATE INDEX warehouse_waiting_oldest ON warehouse_waiting (warehouse, allocated_at, order_id);

-- Orders shipped per warehouse per hour: an order counts once, in the hour
-- its first parcel left (hours since the Unix epoch, UTC; China's hours are
-- the same hours).
CREATE TABLE warehouse_shipped (
    warehouse  TEXT NOT NULL,
    hour       INTEGER NOT NULL,
    orders     INTEGER NOT NULL,
    PRIMARY KEY (warehouse, hour)
) STRICT, WITHOUT ROWID;

-- Orders allocated to a warehouse with any exception open.
CREATE TABLE warehouse_flagged (
    order_id   TEXT PRIMARY KEY,
    warehouse  TEXT NOT NULL
) STRICT;
CREATE INDEX warehouse_flagged_by_warehouse ON warehouse_flagged (warehouse);
