-- Tracking links: capability URLs that show a customer one order, masked.
-- Only a SHA-256 of the token is stored (and its first characters, so staff can
-- tell links apart); the token itself is shown once, when the link is made.
CREATE TABLE tracking_links (
    id              TEXT PRIMARY KEY NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    hint            TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT,
    opened          INTEGER NOT NULL DEFAULT 0,
    last_opened_at  TEXT
) STRICT;

CREATE INDEX tracking_links_by_order ON tracking_links (order_id, created_at);
