-- Mentions (issue 13). Which notes mention whom: one row per mentioned
-- username and note, kept from the log by the mentions projection (rebuilt
-- from the log like the others). Read newest first per person by the key.
CREATE TABLE mentions (
    username  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    order_id  TEXT NOT NULL,
    PRIMARY KEY (username, seq)
) STRICT, WITHOUT ROWID;

-- How far each person has read their mentions (the log position of the
-- newest one they have seen): not derived from the log, so it lives with
-- the account.
ALTER TABLE users ADD COLUMN mentions_read_seq INTEGER NOT NULL DEFAULT 0;
