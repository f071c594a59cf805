-- Integration settings an admin changes in the UI, and what the delivery log
-- needs to replay and link deliveries.

-- Signing secrets set by an admin: the current one, and the one it replaced,
-- still accepted until expires_at. (Secrets from the environment are not stored.)
CREATE TABLE integration_secrets (
    integration  TEXT NOT NULL,
    slot         TEXT NOT NULL CHECK (slot IN ('current', 'previous')),
    secret       TEXT NOT NULL,
    set_at       TEXT NOT NULL,
    set_by       TEXT NOT NULL,
    expires_at   TEXT,
    PRIMARY KEY (integration, slot)
) STRICT;

-- Mapping rows an admin added or changed; the shipped defaults live in code and
-- a row here overrides the default for the same dialect and value.
CREATE TABLE mappings (
    dialect     TEXT NOT NULL,
    value       TEXT NOT NULL,
    target      TEXT NOT NULL,   -- JSON of model::mapping::Target
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (dialect, value)
) STRICT;

-- Keys for the timeline write API. Only a SHA-256 of the key is stored.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
) STRICT;

-- The headers an adapter reads (JSON [[name, value], …]), so a stored delivery
-- can be processed again exactly as received.
ALTER TABLE deliveries ADD COLUMN headers TEXT;
-- For a pending delivery: what it waits for (`order:<channel>:<id>` or
-- `waybill:<number>`), so it is linked when that arrives.
ALTER TABLE deliveries ADD COLUMN awaits TEXT;

CREATE INDEX deliveries_awaiting ON deliveries (awaits) WHERE outcome = 'pending';
CREATE INDEX deliveries_by_outcome ON deliveries (outcome, id);
CREATE INDEX deliveries_by_integration ON deliveries (integration, id);

-- Reported values (unmapped ones among them) are counted from the log.
CREATE INDEX events_reported ON events (seq) WHERE kind = 'status_reported';
