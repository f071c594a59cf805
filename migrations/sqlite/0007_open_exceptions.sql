-- How many exceptions are open on the order (its derived list's length), so the
-- list can be filtered to orders with open exceptions and count them by index.
-- Written by the order-rows projection with the rest of the row; its version
-- goes up with this column, so the store refolds the rows from the log at start.
ALTER TABLE orders ADD COLUMN open_exceptions INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_with_exceptions ON orders (placed_at) WHERE open_exceptions > 0;
