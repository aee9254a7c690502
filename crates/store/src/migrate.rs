//! Versioned schema migrations. The schema version is SQLite's `user_version`; each migration
//! runs in its own IMMEDIATE transaction, which re-reads the version after taking the write lock so
//! two processes opening a new file at once migrate it once.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// One migration: the version it brings the schema to, what it does, its SQL.
pub struct Migration {
    /// The schema version after it.
    pub version: u32,
    /// One line.
    pub description: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// Every migration, in order. Append only: never edit a released migration.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "talks, proposals and their terms, scores, the append-only event log",
        sql: V1,
    },
    Migration {
        version: 2,
        description: "indexes for the board and the log",
        sql: V2,
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 2;

const V1: &str = r#"
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE negotiations (
    id TEXT PRIMARY KEY,
    partner TEXT NOT NULL,
    partner_name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('not_started','requested','in_talks','framework','agreement','implemented','collapsed','expired')),
    pause_start TEXT NOT NULL,
    original_end TEXT NOT NULL,
    opened TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1)
);
CREATE TABLE pause_extensions (
    negotiation TEXT NOT NULL REFERENCES negotiations(id),
    position INTEGER NOT NULL,
    announced TEXT NOT NULL,
    new_end TEXT NOT NULL,
    PRIMARY KEY (negotiation, position)
);
CREATE TABLE proposals (
    negotiation TEXT NOT NULL REFERENCES negotiations(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    side TEXT NOT NULL CHECK (side IN ('us','partner')),
    counter_to INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open','accepted','rejected','countered','superseded')),
    tabled TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    -- How many terms of each kind the proposal has: lets a reader check it got the whole proposal.
    n_terms INTEGER NOT NULL,
    PRIMARY KEY (negotiation, number)
);
CREATE TABLE tariff_lines (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    levied_by TEXT NOT NULL CHECK (levied_by IN ('us','partner')),
    scope TEXT NOT NULL,
    rate_pct REAL NOT NULL CHECK (rate_pct >= 0),
    PRIMARY KEY (negotiation, number, position),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE quotas (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    levied_by TEXT NOT NULL CHECK (levied_by IN ('us','partner')),
    scope TEXT NOT NULL,
    volume REAL NOT NULL CHECK (volume > 0),
    unit_value_usd REAL NOT NULL CHECK (unit_value_usd > 0),
    in_quota_pct REAL NOT NULL CHECK (in_quota_pct >= 0),
    out_quota_pct REAL NOT NULL CHECK (out_quota_pct >= in_quota_pct),
    PRIMARY KEY (negotiation, number, position),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE purchases (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    buyer TEXT NOT NULL CHECK (buyer IN ('us','partner')),
    scope TEXT NOT NULL,
    usd REAL NOT NULL CHECK (usd > 0),
    PRIMARY KEY (negotiation, number, position),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE text_terms (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (negotiation, number, position),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE scores (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    proposal_version INTEGER NOT NULL,
    world TEXT NOT NULL,
    scored_on TEXT NOT NULL,
    us_welfare_pct REAL NOT NULL,
    partner_welfare_pct REAL NOT NULL,
    details TEXT NOT NULL,
    PRIMARY KEY (negotiation, number),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    negotiation TEXT NOT NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    proposal INTEGER,
    detail TEXT NOT NULL
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"#;

const V2: &str = r#"
CREATE INDEX events_by_negotiation ON events(negotiation, seq);
CREATE INDEX proposals_by_status ON proposals(negotiation, status);
"#;

/// The schema version of an open database.
pub fn current_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// Bring the database to [`SCHEMA_VERSION`]. A database written by a newer build is refused.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = current_version(&tx)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == version + 1) else {
            return Ok(());
        };
        tx.execute_batch(m.sql).map_err(|e| StoreError::Migration {
            version: m.version,
            message: e.to_string(),
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?1, ?2, datetime('now'))",
            rusqlite::params![m.version, m.description],
        )?;
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
}
