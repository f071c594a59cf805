//! A connection of its own to the store's SQLite file, for the low-volume
//! tables beside the log (accounts, integration settings): WAL lets it share
//! the file with the writer thread and the readers.

use super::StoreError;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// One serialised connection, used from blocking tasks.
#[derive(Clone)]
pub struct SideConnection {
    conn: Arc<Mutex<Connection>>,
}

impl SideConnection {
    /// Opens the database at `path` (migrated already by [`super::SqliteStore::open`]).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.execute_batch("PRAGMA busy_timeout=5000; PRAGMA synchronous=FULL;")?;
        Ok(SideConnection {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection in a blocking task.
    pub async fn with<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = conn.lock().map_err(|_| StoreError::Poisoned)?;
            Ok(f(&conn)?)
        })
        .await?
    }
}

/// Reads a time stored as RFC 3339 text.
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, rusqlite::Error> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

/// Reads an optional stored time.
pub fn parse_optional_time(s: Option<String>) -> Result<Option<DateTime<Utc>>, rusqlite::Error> {
    s.as_deref().map(parse_time).transpose()
}
