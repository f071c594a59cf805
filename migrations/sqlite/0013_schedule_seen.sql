-- Each waiting check remembers how far along its order's log it was
-- computed: two looks at one order (the log's and the clock's, which run
-- side by side) never let the one that saw less replace the other.
ALTER TABLE detector_schedule ADD COLUMN seen_seq INTEGER NOT NULL DEFAULT 0;
