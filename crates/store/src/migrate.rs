//! Versioned schema migrations, one list for both backends: each [`Migration`] carries its SQLite
//! and its PostgreSQL text under the same version and description.
//!
//! SQLite: the schema version is `user_version`; each migration runs in its own IMMEDIATE
//! transaction, which re-reads the version after taking the write lock so two processes opening a
//! new file at once migrate it once. PostgreSQL: see `crate::postgres` (the version is the highest
//! row of `schema_migrations`, under a session-level advisory lock (taken before the transaction, released after it)).

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// One migration: the version it brings the schema to, what it does, its SQL for each backend.
pub struct Migration {
    /// The schema version after it.
    pub version: u32,
    /// One line.
    pub description: &'static str,
    /// The SQLite statements.
    pub sqlite: &'static str,
    /// The PostgreSQL statements: the same tables, columns, keys, checks and triggers, in
    /// PostgreSQL's types (DATE, BIGINT, DOUBLE PRECISION).
    pub postgres: &'static str,
}

/// Every migration, in order. Append only: never edit a released migration.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "talks, proposals and their terms, scores, the append-only event log",
        sqlite: V1,
        postgres: PG_V1,
    },
    Migration {
        version: 2,
        description: "indexes for the board and the log",
        sqlite: V2,
        // Portable SQL: one text for both backends.
        postgres: V2,
    },
    Migration {
        version: 3,
        description: "API users: a name, a role and the SHA-256 of their token",
        sqlite: V3,
        postgres: V3,
    },
    Migration {
        version: 4,
        description: "per-talk event numbers (1, 2, ... in the log of each talk), back-filled; withdrawn proposals",
        sqlite: V4,
        postgres: PG_V4,
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 4;

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

// Only the token's SHA-256 is kept: a copied database file does not hand out working tokens.
const V3: &str = r#"
CREATE TABLE api_users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    created TEXT NOT NULL
);
"#;

// Each event's position in its own talk's log: the global `seq` counts every talk's events, so a
// team's log showed gaps that leaked the activity of other talks (issue 15, item 7). Existing rows
// are numbered in `seq` order; the append-only trigger is lifted for that one UPDATE, inside the
// migration's transaction (no other writer can slip in), and put back as it was. The store assigns
// the number of a new event inside its write transaction; the unique index backs it up.
// A proposal may also be `withdrawn` (by the admin, issue 15, item 1). SQLite cannot alter a CHECK
// constraint; widening one (every stored row still passes) is the edit of the table's text in
// sqlite_schema that SQLite documents for it (lang_altertable.html, "otheralter"), inside the
// migration's transaction; RESET makes the connection reload the schema at once.
const V4: &str = r#"
ALTER TABLE events ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER events_append_only_update;
UPDATE events SET number = (SELECT COUNT(*) FROM events AS e
    WHERE e.negotiation = events.negotiation AND e.seq <= events.seq);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE UNIQUE INDEX events_by_number ON events(negotiation, number);
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''countered'',''superseded'')', '''countered'',''superseded'',''withdrawn'')')
    WHERE type = 'table' AND name = 'proposals';
PRAGMA writable_schema = RESET;
"#;

const PG_V4: &str = r#"
ALTER TABLE events ADD COLUMN number BIGINT NOT NULL DEFAULT 0;
DROP TRIGGER events_append_only_update ON events;
UPDATE events SET number = (SELECT COUNT(*) FROM events AS e
    WHERE e.negotiation = events.negotiation AND e.seq <= events.seq);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE UNIQUE INDEX events_by_number ON events(negotiation, number);
ALTER TABLE proposals DROP CONSTRAINT proposals_status_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_status_check
    CHECK (status IN ('open','accepted','rejected','countered','superseded','withdrawn'));
"#;

// PostgreSQL. Dates are DATE, versions and log positions BIGINT, amounts DOUBLE PRECISION; the
// log position is assigned by the store under a table lock (not a sequence), so a rolled-back
// commit leaves no gap, as SQLite's AUTOINCREMENT.
const PG_V1: &str = r#"
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE negotiations (
    id TEXT PRIMARY KEY,
    partner TEXT NOT NULL,
    partner_name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('not_started','requested','in_talks','framework','agreement','implemented','collapsed','expired')),
    pause_start DATE NOT NULL,
    original_end DATE NOT NULL,
    opened DATE NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1)
);
CREATE TABLE pause_extensions (
    negotiation TEXT NOT NULL REFERENCES negotiations(id),
    position INTEGER NOT NULL,
    announced DATE NOT NULL,
    new_end DATE NOT NULL,
    PRIMARY KEY (negotiation, position)
);
CREATE TABLE proposals (
    negotiation TEXT NOT NULL REFERENCES negotiations(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    side TEXT NOT NULL CHECK (side IN ('us','partner')),
    counter_to INTEGER,
    status TEXT NOT NULL CHECK (status IN ('open','accepted','rejected','countered','superseded')),
    tabled DATE NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    n_terms INTEGER NOT NULL,
    PRIMARY KEY (negotiation, number)
);
CREATE TABLE tariff_lines (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    levied_by TEXT NOT NULL CHECK (levied_by IN ('us','partner')),
    scope TEXT NOT NULL,
    rate_pct DOUBLE PRECISION NOT NULL CHECK (rate_pct >= 0),
    PRIMARY KEY (negotiation, number, position),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE quotas (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    levied_by TEXT NOT NULL CHECK (levied_by IN ('us','partner')),
    scope TEXT NOT NULL,
    volume DOUBLE PRECISION NOT NULL CHECK (volume > 0),
    unit_value_usd DOUBLE PRECISION NOT NULL CHECK (unit_value_usd > 0),
    in_quota_pct DOUBLE PRECISION NOT NULL CHECK (in_quota_pct >= 0),
    out_quota_pct DOUBLE PRECISION NOT NULL CHECK (out_quota_pct >= in_quota_pct),
    PRIMARY KEY (negotiation, number, position),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE purchases (
    negotiation TEXT NOT NULL,
    number INTEGER NOT NULL,
    position INTEGER NOT NULL,
    buyer TEXT NOT NULL CHECK (buyer IN ('us','partner')),
    scope TEXT NOT NULL,
    usd DOUBLE PRECISION NOT NULL CHECK (usd > 0),
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
    proposal_version BIGINT NOT NULL,
    world TEXT NOT NULL,
    scored_on DATE NOT NULL,
    us_welfare_pct DOUBLE PRECISION NOT NULL,
    partner_welfare_pct DOUBLE PRECISION NOT NULL,
    details TEXT NOT NULL,
    PRIMARY KEY (negotiation, number),
    FOREIGN KEY (negotiation, number) REFERENCES proposals(negotiation, number) ON DELETE CASCADE
);
CREATE TABLE events (
    seq BIGINT PRIMARY KEY CHECK (seq >= 1),
    negotiation TEXT NOT NULL,
    date DATE NOT NULL,
    kind TEXT NOT NULL,
    proposal INTEGER,
    detail TEXT NOT NULL
);
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the event log is append-only'; END
$$;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
"#;

/// The schema version of an open database.
pub fn current_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// Bring the database to [`SCHEMA_VERSION`]. A database written by a newer build is refused.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Already current (the common case, e.g. a server opening a store per request): no write lock.
    if current_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
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
        tx.execute_batch(m.sqlite)
            .map_err(|e| StoreError::Migration {
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
