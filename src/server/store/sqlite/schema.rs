//! The SQLite schema and connection settings: migrations (kept in
//! `migrations/sqlite/`), the writer's connection and the read-only pool.

use crate::server::store::wal_bound::WRITER_BUSY;
use crate::server::store::StoreError;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::LazyLock;

/// Schema migrations, applied at start.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!(
            "../../../../migrations/sqlite/0001_event_log.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0002_accounts.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0003_ingest.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0004_integrations.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0005_tracking_links.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0006_lean_projections.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0007_open_exceptions.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0008_account_language.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0009_search_and_counts.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0010_mentions.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0011_exception_queue.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0012_warehouses.sql"
        )),
        M::up(include_str!(
            "../../../../migrations/sqlite/0013_schedule_seen.sql"
        )),
    ])
});

/// The writer's page cache, KiB.
const CACHE_KIB: u32 = 64 * 1024;
/// How much of the database file connections map into memory.
const MMAP_BYTES: u64 = 1 << 30;
/// Read-only connections in the pool.
const READERS: u32 = 8;
/// Prepared statements each read connection keeps.
const STATEMENTS: usize = 128;

/// How hard a commit is pushed to disk before it is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous=FULL`: the WAL is fsynced at every commit; survives power loss.
    Full,
    /// `synchronous=NORMAL`: survives a crash of the process, not of the machine.
    Normal,
}

impl Durability {
    pub(super) fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        }
    }
}

/// Opens the writer's connection to `path` and brings the schema up to date.
pub(super) fn open_writer(path: &Path, durability: Durability) -> Result<Connection, StoreError> {
    // The writer connection is used by its one thread only: no SQLite mutex.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    // A large page cache and memory-mapped reads keep the hot pages of the
    // projections off the read() path; checkpoints run on their own thread,
    // and on the writer's when the WAL passes its bound (see `wal_bound`).
    // Each append runs in a savepoint, whose journal of the pages it
    // changes stays in memory (a temporary file was a tenth of the writer's
    // time at a million orders).
    conn.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous={}; PRAGMA foreign_keys=ON; \
         PRAGMA cache_size=-{CACHE_KIB}; PRAGMA mmap_size={MMAP_BYTES}; \
         PRAGMA wal_autocheckpoint=0; PRAGMA temp_store=MEMORY;",
        durability.pragma()
    ))?;
    conn.busy_timeout(WRITER_BUSY)?;
    MIGRATIONS.to_latest(&mut conn)?;
    Ok(conn)
}

/// The pool of read-only connections to `path`.
pub(super) fn reader_pool(path: &Path) -> Result<r2d2::Pool<SqliteConnectionManager>, StoreError> {
    let manager = SqliteConnectionManager::file(path).with_init(|c| {
        // The list's keyset pages are a statement per filter and direction.
        c.set_prepared_statement_cache_capacity(STATEMENTS);
        c.execute_batch(&format!(
            "PRAGMA query_only=ON; PRAGMA busy_timeout=5000; PRAGMA mmap_size={MMAP_BYTES};"
        ))
    });
    Ok(r2d2::Pool::builder().max_size(READERS).build(manager)?)
}

/// The connection of the background checkpointer.
pub(super) fn open_checkpointer(
    path: &Path,
    durability: Durability,
) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!(
        "PRAGMA busy_timeout=5000; PRAGMA synchronous={};",
        durability.pragma()
    ))?;
    Ok(conn)
}
