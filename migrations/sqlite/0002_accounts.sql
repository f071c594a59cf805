-- Staff accounts, their sessions, and the audit trail (a sibling log to `events`).
CREATE TABLE users (
    id             TEXT PRIMARY KEY NOT NULL,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    roles          TEXT NOT NULL,           -- comma-separated role names
    password_hash  TEXT NOT NULL,           -- argon2id, PHC string
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
) STRICT;

-- The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY NOT NULL,  -- public id shown to admins
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users (id),
    address       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY NOT NULL,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    username  TEXT,
    address   TEXT NOT NULL,
    detail    TEXT NOT NULL
) STRICT;

CREATE INDEX audit_by_kind ON audit (kind, id);
