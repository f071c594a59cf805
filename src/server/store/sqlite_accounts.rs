//! Accounts, sessions and the audit trail in the same SQLite file as the log,
//! through a connection of their own (low volume; WAL lets it share the file).

use super::side_connection::{parse_time, SideConnection};
use super::sqlite::time;
use super::{AccountStore, AdminGuarded, NewAudit, StoreError, StoredSession, StoredUser};
use crate::i18n::Locale;
use crate::model::access::account::{AuditEntry, AuditKind, AuditPage};
use crate::model::Role;
use chrono::{DateTime, Utc};

use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::Path;

/// SQLite behind the [`AccountStore`] boundary.
pub struct SqliteAccounts {
    conn: SideConnection,
}

impl SqliteAccounts {
    /// Opens the database at `path` (migrated already by [`super::SqliteStore::open`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(SqliteAccounts {
            conn: SideConnection::open(path)?,
        })
    }

    async fn with<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        self.conn.with(f).await
    }
}

fn roles_to_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

const USER_COLUMNS: &str =
    "id, username, display_name, roles, password_hash, disabled, created_at, language";

fn user_row(r: &Row<'_>) -> Result<StoredUser, rusqlite::Error> {
    let roles: String = r.get(3)?;
    Ok(StoredUser {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        roles: roles.split(',').filter_map(|s| s.parse().ok()).collect(),
        password_hash: r.get(4)?,
        disabled: r.get(5)?,
        created_at: parse_time(&r.get::<_, String>(6)?)?,
        // A language this build does not know is followed like none.
        language: r.get::<_, Option<String>>(7)?.and_then(|l| l.parse().ok()),
    })
}

const SESSION_COLUMNS: &str =
    "id, token_hash, user_id, address, created_at, last_seen_at, expires_at";

fn session_row(r: &Row<'_>) -> Result<StoredSession, rusqlite::Error> {
    Ok(StoredSession {
        id: r.get(0)?,
        token_hash: r.get(1)?,
        user_id: r.get(2)?,
        address: r.get(3)?,
        created_at: parse_time(&r.get::<_, String>(4)?)?,
        last_seen_at: parse_time(&r.get::<_, String>(5)?)?,
        expires_at: parse_time(&r.get::<_, String>(6)?)?,
    })
}

fn audit_kind(s: &str) -> AuditKind {
    AuditKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .unwrap_or(AuditKind::PermissionDenied)
}

#[async_trait::async_trait]
impl AccountStore for SqliteAccounts {
    async fn insert_user(&self, user: &StoredUser) -> Result<bool, StoreError> {
        let u = user.clone();
        self.with(move |c| {
            let n = c.execute(
                "INSERT INTO users (id, username, display_name, roles, password_hash, disabled, created_at, language) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (username) DO NOTHING",
                params![u.id, u.username, u.display_name, roles_to_text(&u.roles), u.password_hash, u.disabled, time(u.created_at),
                    u.language.map(leptos_i18n::Locale::as_str)],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<StoredUser>, StoreError> {
        let username = username.to_string();
        self.with(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE username = ?1"),
                [username],
                user_row,
            )
            .optional()
        })
        .await
    }

    async fn user(&self, id: &str) -> Result<Option<StoredUser>, StoreError> {
        let id = id.to_string();
        self.with(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                [id],
                user_row,
            )
            .optional()
        })
        .await
    }

    async fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {USER_COLUMNS} FROM users ORDER BY username"
            ))?;
            let rows = stmt.query_map([], user_row)?;
            rows.collect()
        })
        .await
    }

    async fn set_password_hash(&self, id: &str, hash: &str) -> Result<bool, StoreError> {
        let (id, hash) = (id.to_string(), hash.to_string());
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                params![id, hash],
            )? == 1)
        })
        .await
    }

    async fn set_disabled(&self, id: &str, disabled: bool) -> Result<bool, StoreError> {
        let id = id.to_string();
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE users SET disabled = ?2 WHERE id = ?1",
                params![id, disabled],
            )? == 1)
        })
        .await
    }

    async fn set_language(&self, id: &str, language: Locale) -> Result<bool, StoreError> {
        let (id, language) = (id.to_string(), leptos_i18n::Locale::as_str(language));
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE users SET language = ?2 WHERE id = ?1",
                params![id, language],
            )? == 1)
        })
        .await
    }

    async fn mentions_read(&self, id: &str) -> Result<u64, StoreError> {
        let id = id.to_string();
        self.with(move |c| {
            Ok(c.query_row(
                "SELECT mentions_read_seq FROM users WHERE id = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
        })
        .await
    }

    async fn mark_mentions_read(&self, id: &str, seq: u64) -> Result<(), StoreError> {
        let id = id.to_string();
        self.with(move |c| {
            c.execute(
                "UPDATE users SET mentions_read_seq = max(mentions_read_seq, ?2) WHERE id = ?1",
                params![id, seq as i64],
            )?;
            Ok(())
        })
        .await
    }

    async fn insert_session(&self, s: &StoredSession) -> Result<(), StoreError> {
        let s = s.clone();
        self.with(move |c| {
            c.execute(
                &format!(
                    "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    s.id,
                    s.token_hash,
                    s.user_id,
                    s.address,
                    time(s.created_at),
                    time(s.last_seen_at),
                    time(s.expires_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredSession>, StoreError> {
        let token_hash = token_hash.to_string();
        self.with(move |c| {
            c.query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = ?1"),
                [token_hash],
                session_row,
            )
            .optional()
        })
        .await
    }

    async fn touch_session(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let id = id.to_string();
        self.with(move |c| {
            c.execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",
                params![id, time(at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn sessions(&self) -> Result<Vec<StoredSession>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY created_at DESC"
            ))?;
            let rows = stmt.query_map([], session_row)?;
            rows.collect()
        })
        .await
    }

    async fn delete_session(&self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_string();
        self.with(move |c| Ok(c.execute("DELETE FROM sessions WHERE id = ?1", [id])? == 1))
            .await
    }

    async fn delete_sessions_of(&self, user_id: &str) -> Result<u64, StoreError> {
        let user_id = user_id.to_string();
        self.with(move |c| {
            Ok(c.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])? as u64)
        })
        .await
    }

    async fn keep_newest_sessions(
        &self,
        user_id: &str,
        keep: usize,
    ) -> Result<Vec<String>, StoreError> {
        let user_id = user_id.to_string();
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        self.with(move |c| {
            let mut stmt = c.prepare(
                "DELETE FROM sessions WHERE user_id = ?1 AND id NOT IN \
                 (SELECT id FROM sessions WHERE user_id = ?1 \
                  ORDER BY created_at DESC, rowid DESC LIMIT ?2) \
                 RETURNING id",
            )?;
            let ended = stmt.query_map(params![user_id, keep], |r| r.get(0))?;
            ended.collect()
        })
        .await
    }

    async fn disable_unless_last_admin(&self, id: &str) -> Result<AdminGuarded, StoreError> {
        let id = id.to_string();
        let admin = format!("%,{},%", Role::Admin.as_str());
        self.with(move |c| {
            let changed = c.execute(
                "UPDATE users SET disabled = 1 WHERE id = ?1 AND ( \
                   disabled = 1 \
                   OR (',' || roles || ',') NOT LIKE ?2 \
                   OR EXISTS (SELECT 1 FROM users AS other WHERE other.id != ?1 \
                      AND other.disabled = 0 AND (',' || other.roles || ',') LIKE ?2))",
                params![id, admin],
            )?;
            guarded(c, changed, &id)
        })
        .await
    }

    async fn set_roles_unless_last_admin(
        &self,
        id: &str,
        roles: &[Role],
    ) -> Result<AdminGuarded, StoreError> {
        let id = id.to_string();
        let text = roles_to_text(roles);
        let keeps_admin = roles.contains(&Role::Admin);
        let admin = format!("%,{},%", Role::Admin.as_str());
        self.with(move |c| {
            let changed = c.execute(
                "UPDATE users SET roles = ?2 WHERE id = ?1 AND ( \
                   ?3 \
                   OR disabled = 1 \
                   OR (',' || roles || ',') NOT LIKE ?4 \
                   OR EXISTS (SELECT 1 FROM users AS other WHERE other.id != ?1 \
                      AND other.disabled = 0 AND (',' || other.roles || ',') LIKE ?4))",
                params![id, text, keeps_admin, admin],
            )?;
            guarded(c, changed, &id)
        })
        .await
    }

    async fn prune_audit(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        // In batches, so other account writes are not held up for long.
        const BATCH: i64 = 5_000;
        let before = time(before);
        let mut removed = 0;
        loop {
            let before = before.clone();
            let n = self
                .with(move |c| {
                    c.execute(
                        "DELETE FROM audit WHERE id IN \
                         (SELECT id FROM audit WHERE at < ?1 LIMIT ?2)",
                        params![before, BATCH],
                    )
                })
                .await? as u64;
            removed += n;
            if n < BATCH as u64 {
                return Ok(removed);
            }
        }
    }

    async fn record(&self, e: NewAudit) -> Result<(), StoreError> {
        self.with(move |c| {
            c.execute(
                "INSERT INTO audit (at, kind, username, address, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![time(Utc::now()), e.kind.as_str(), e.username, e.address, e.detail],
            )?;
            Ok(())
        })
        .await
    }

    async fn audit(
        &self,
        page: u32,
        per_page: u32,
        kind: Option<AuditKind>,
    ) -> Result<AuditPage, StoreError> {
        let kind = kind.map(AuditKind::as_str);
        let page = page.max(1);
        self.with(move |c| {
            let total: u64 = c.query_row(
                "SELECT COUNT(*) FROM audit WHERE ?1 IS NULL OR kind = ?1",
                [kind],
                |r| r.get(0),
            )?;
            let mut stmt = c.prepare(
                "SELECT id, at, kind, username, address, detail FROM audit \
                 WHERE ?1 IS NULL OR kind = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
            )?;
            let offset = u64::from(page - 1) * u64::from(per_page);
            let rows = stmt.query_map(params![kind, per_page, offset], |r| {
                Ok(AuditEntry {
                    id: r.get::<_, i64>(0)? as u64,
                    at: parse_time(&r.get::<_, String>(1)?)?,
                    kind: audit_kind(&r.get::<_, String>(2)?),
                    username: r.get(3)?,
                    address: r.get(4)?,
                    detail: r.get(5)?,
                })
            })?;
            Ok(AuditPage {
                entries: rows.collect::<Result<_, _>>()?,
                total,
                page,
                per_page,
            })
        })
        .await
    }
}

/// What a guarded change of account `id` came to: `changed` rows, or why none.
fn guarded(c: &Connection, changed: usize, id: &str) -> rusqlite::Result<AdminGuarded> {
    if changed == 1 {
        return Ok(AdminGuarded::Done);
    }
    let exists: bool = c.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    Ok(if exists {
        AdminGuarded::LastAdmin
    } else {
        AdminGuarded::NotFound
    })
}
