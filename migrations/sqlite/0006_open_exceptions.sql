-- How many exceptions are open on the order (its derived list's length), so the
-- list can be filtered to orders with open exceptions and count them by index.
-- Written by save_order with the rest of the row; rows from before are counted
-- from their body here (`control-room rebuild` derives them afresh).
ALTER TABLE orders ADD COLUMN open_exceptions INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET open_exceptions = json_array_length(body, '$.exceptions')
    WHERE json_valid(body) AND json_array_length(body, '$.exceptions') > 0;
CREATE INDEX orders_with_exceptions ON orders (placed_at) WHERE open_exceptions > 0;
