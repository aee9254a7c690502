//! What a file must be before the store touches it (issue 15, item 8): a Reciprocity database,
//! recognised by its schema marker (a `schema_migrations` table and SQLite's `user_version` ≥ 1),
//! or an empty file to create one in. Another program's SQLite file is refused before anything is
//! written to it (no journal switch, no table), and a command that only reads opens the file
//! read-only and never creates it, nor its folder.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{configure, SqliteStore};
use crate::migrate::{current_version, SCHEMA_VERSION};
use crate::StoreError;

/// What an SQLite file holds, read without writing to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holds {
    /// No table at all: a new file (or one created empty), ready for the schema.
    Nothing,
    /// A Reciprocity database at this schema version (at most [`SCHEMA_VERSION`]).
    Record(u32),
}

/// Read the file's schema marker. A file that is not SQLite, or holds tables without the marker,
/// is [`StoreError::Foreign`]; a schema newer than this build is [`StoreError::SchemaTooNew`].
pub(super) fn check_marker(conn: &Connection, path: &Path) -> Result<Holds, StoreError> {
    let foreign = |detail: String| StoreError::Foreign {
        path: path.display().to_string(),
        detail,
    };
    // One read transaction for both reads: a first opener migrating the file in between would
    // otherwise show its schema version without its tables (seen under load in CI).
    let snapshot = conn
        .unchecked_transaction()
        .map_err(|e| foreign(format!("not an SQLite database: {e}")))?;
    let tables: Vec<String> = snapshot
        .prepare(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| foreign(format!("not an SQLite database: {e}")))?;
    let version = current_version(&snapshot).map_err(|e| foreign(e.to_string()))?;
    // Read only: ending it changes nothing.
    drop(snapshot);
    let marked = tables.iter().any(|t| t == "schema_migrations");
    match (version, marked) {
        (0, false) if tables.is_empty() => Ok(Holds::Nothing),
        (v, true) if v > SCHEMA_VERSION => Err(StoreError::SchemaTooNew {
            found: v,
            supported: SCHEMA_VERSION,
        }),
        (v, true) if v > 0 => Ok(Holds::Record(v)),
        _ => {
            let shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
            let more = if tables.len() > 5 { ", ..." } else { "" };
            Err(foreign(format!(
                "it holds {} table(s) ({}{more}) and schema version {version}, without Reciprocity's schema marker",
                tables.len(),
                shown.join(", ")
            )))
        }
    }
}

impl SqliteStore {
    /// Open an existing database for reading: read-only, never creating the file or its folder.
    /// A missing or empty file is [`StoreError::NoDatabase`], another program's file
    /// [`StoreError::Foreign`], a newer schema [`StoreError::SchemaTooNew`]. A Reciprocity
    /// database of an older schema is migrated first (through [`SqliteStore::open`]): the one
    /// write a reading command makes, to a file that is already a negotiation database.
    ///
    /// SQLite may create the database's `-wal` and `-shm` files beside it (a WAL database needs
    /// them even to read); they get the database file's permissions.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        let fail = |message: String| StoreError::Open {
            path: shown.clone(),
            message,
        };
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(fail("not a file".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NoDatabase {
                    path: shown,
                    why: "no such file".into(),
                })
            }
            Err(e) => return Err(fail(e.to_string())),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| fail(e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(15))
            .map_err(|e| fail(e.to_string()))?;
        match check_marker(&conn, path)? {
            Holds::Nothing => Err(StoreError::NoDatabase {
                path: shown,
                why: "an empty file".into(),
            }),
            Holds::Record(v) if v < SCHEMA_VERSION => {
                drop(conn);
                SqliteStore::open(path)
            }
            Holds::Record(_) => {
                configure(&conn).map_err(|e| fail(e.to_string()))?;
                Ok(SqliteStore {
                    conn,
                    path: path.to_path_buf(),
                })
            }
        }
    }
}
