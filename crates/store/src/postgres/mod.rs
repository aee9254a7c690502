//! The PostgreSQL backend: the same [`Store`] behaviour as SQLite on a shared server.
//!
//! **Concurrency.** Commits run at READ COMMITTED with row locks, not SERIALIZABLE: every update is
//! a conditional `UPDATE … WHERE id = … AND version = <base>`, which locks the row. A second writer
//! on the same row waits for the first to commit; PostgreSQL then re-checks the condition against
//! the committed row, finds the version moved, updates nothing, and the store answers
//! [`StoreError::Conflict`] with the committed version: exactly one of two writers from the same
//! base wins. Inserts use `ON CONFLICT DO NOTHING` (a concurrent duplicate waits, then is
//! [`StoreError::Duplicate`]). A commit that writes to the event log first takes
//! `LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE` (readers are not blocked) and numbers its
//! events from the log's maximum, so positions are gapless and in commit order, as SQLite's
//! AUTOINCREMENT. A deadlock between two commits touching several rows in opposite orders
//! (40P01), or a serialization failure (40001, if the server forces a stricter level), rolls the
//! commit back whole and it is retried, up to [`COMMIT_ATTEMPTS`] times.
//!
//! **Blocking.** This is the synchronous `postgres` client: it runs its own small tokio runtime and
//! must not be called, created or dropped on a thread that is driving a tokio runtime (it
//! panics there). An async server calls the store inside `tokio::task::spawn_blocking`.
//!
//! **TLS.** Connections are made without TLS (`NoTls`): use it on loopback or a private network;
//! a URL with `sslmode=require` is refused at connect.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use ::postgres::error::SqlState;
use ::postgres::{Client, GenericClient, IsolationLevel, NoTls, Row, Transaction};
use chrono::NaiveDate;
use reciprocity_negotiation::{
    Event, EventKind, Extension, Negotiation, PauseWindow, Proposal, ProposalStatus,
    PurchaseCommitment, Score, State, TariffLine, TariffRateQuota, Terms,
};

use crate::dto::{parse_scope, scope_text, ScoreDto};
use crate::migrate::{MIGRATIONS, SCHEMA_VERSION};
use crate::{
    corrupt, n_terms, parse_side, stale_update, ApiUser, Change, Committed, ScoreRecord, Store,
    StoreError,
};

/// How many times a commit is tried when PostgreSQL rolls it back for a deadlock or a
/// serialization failure (nothing of a rolled-back attempt is kept).
pub const COMMIT_ATTEMPTS: u32 = 4;

mod read;
mod write;

use read::*;
use write::*;

/// The first key of the advisory lock that serializes migrations (ASCII "RCPY"); the second key is
/// the hash of the schema, so migrations of different schemas do not wait for each other.
const MIGRATION_LOCK: i32 = 0x5243_5059;

/// A store in a PostgreSQL database (the schema first on the connection's `search_path`).
///
/// `Send` but not `Sync`: one connection, used by one thread at a time. Not for use on a tokio
/// runtime thread: see the module documentation.
pub struct PgStore {
    client: RefCell<Client>,
    target: String,
    // Set when an operation failed because the connection is gone (the pool then drops it).
    broken: std::cell::Cell<bool>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("target", &self.target)
            .finish()
    }
}

/// The server's message with its SQLSTATE code and detail, or the client error with its cause:
/// `postgres::Error`'s own Display says only "db error".
pub(crate) fn pg_message(e: &::postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut m = format!("{} (SQLSTATE {})", db.message(), db.code().code());
        if let Some(detail) = db.detail() {
            m.push_str(": ");
            m.push_str(detail);
        }
        return m;
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// A connection URL or key=value string with its password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if let Some((userinfo, host)) = authority.rsplit_once('@') {
            if let Some((user, _password)) = userinfo.split_once(':') {
                return format!("{scheme}://{user}:***@{host}{tail}");
            }
        }
        return url.to_string();
    }
    url.split_whitespace()
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => kv.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn int(what: &str, v: u32) -> Result<i32, StoreError> {
    i32::try_from(v).map_err(|_| StoreError::Invalid(format!("{what}: {v} is too large")))
}

fn big(what: &str, v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Invalid(format!("{what}: {v} is too large")))
}

fn unsigned<T: TryFrom<i64>>(what: &str, v: i64) -> Result<T, StoreError> {
    T::try_from(v).map_err(|_| corrupt(what, &v.to_string()))
}

fn get_u32(row: &Row, i: usize, what: &str) -> Result<u32, StoreError> {
    unsigned(what, i64::from(row.try_get::<_, i32>(i)?))
}

fn get_opt_u32(row: &Row, i: usize, what: &str) -> Result<Option<u32>, StoreError> {
    row.try_get::<_, Option<i32>>(i)?
        .map(|v| unsigned(what, i64::from(v)))
        .transpose()
}

fn get_u64(row: &Row, i: usize, what: &str) -> Result<u64, StoreError> {
    unsigned(what, row.try_get::<_, i64>(i)?)
}

/// The schema version: the highest row of `schema_migrations`, 0 for an empty schema.
fn current_version(c: &mut impl GenericClient) -> Result<u32, StoreError> {
    let exists: bool = c
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let row = c.query_one(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        &[],
    )?;
    get_u32(&row, 0, "schema_migrations.version")
}

/// Bring the schema to [`SCHEMA_VERSION`], one migration per transaction, holding an advisory lock
/// (per schema) throughout, so two processes connecting to a new database at once migrate it once.
/// The lock is taken before each transaction starts, not inside it: a transaction started after
/// the lock sees the other process's tables (its catalog caches are refreshed at the start).
/// PostgreSQL's DDL is transactional: a failed migration leaves nothing behind.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    if current_version(client)? == SCHEMA_VERSION {
        return Ok(());
    }
    let key = "$1, hashtext(COALESCE(current_schema(), ''))";
    client.execute(
        &format!("SELECT pg_advisory_lock({key})"),
        &[&MIGRATION_LOCK],
    )?;
    let result = migrate_locked(client);
    // On an error the connection may be unusable; the lock ends with the session anyway.
    let _ = client.execute(
        &format!("SELECT pg_advisory_unlock({key})"),
        &[&MIGRATION_LOCK],
    );
    result
}

fn migrate_locked(client: &mut Client) -> Result<(), StoreError> {
    loop {
        let mut tx = client.transaction()?;
        let version = current_version(&mut tx)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == version + 1) else {
            return Ok(());
        };
        tx.batch_execute(m.postgres)
            .map_err(|e| StoreError::Migration {
                version: m.version,
                message: pg_message(&e),
            })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
            &[&int("version", m.version)?, &m.description],
        )?;
        tx.commit()?;
    }
}

impl PgStore {
    /// Connect to `url` (`postgres://user:password@host:port/db`, or libpq's `key=value` form) and
    /// migrate its schema to the current version. A connect timeout of 10 s applies unless the
    /// URL sets `connect_timeout`.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        let target = redact_url(url);
        let fail = |message: String| StoreError::Open {
            path: target.clone(),
            message,
        };
        let mut config: ::postgres::Config = url.parse().map_err(|e| fail(pg_message(&e)))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("reciprocity");
        }
        let mut client = config.connect(NoTls).map_err(|e| fail(pg_message(&e)))?;
        migrate(&mut client)?;
        Ok(PgStore {
            client: RefCell::new(client),
            target,
            broken: std::cell::Cell::new(false),
        })
    }

    /// The URL connected to, password hidden.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Whether the connection is known to be gone: closed, or an operation failed for a lost
    /// connection or a fatal server error (the pool drops such connections).
    pub fn is_closed(&self) -> bool {
        self.broken.get() || self.client.borrow().is_closed()
    }

    /// Whether the server answers within `timeout` (a round trip); marks the store closed if not.
    pub fn ping(&self, timeout: Duration) -> bool {
        let ok = self.client.borrow_mut().is_valid(timeout).is_ok();
        if !ok {
            self.broken.set(true);
        }
        ok
    }

    /// Pass a result through, noting a lost connection.
    fn watch<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        if let Err(StoreError::Postgres(e)) = &result {
            if connection_lost(e) {
                self.broken.set(true);
            }
        }
        result
    }

    /// A check of the stored data: every proposal has all its terms, and the event log's
    /// append-only triggers are in place. An empty list when sound, otherwise one line per problem.
    /// (PostgreSQL enforces the foreign keys itself.)
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut client = self.client.borrow_mut();
        let mut problems = Vec::new();
        let rows = client.query(
            "SELECT p.negotiation, p.number, p.n_terms,
                    (SELECT COUNT(*) FROM tariff_lines t WHERE t.negotiation = p.negotiation AND t.number = p.number)
                  + (SELECT COUNT(*) FROM quotas q WHERE q.negotiation = p.negotiation AND q.number = p.number)
                  + (SELECT COUNT(*) FROM purchases u WHERE u.negotiation = p.negotiation AND u.number = p.number)
                  + (SELECT COUNT(*) FROM text_terms x WHERE x.negotiation = p.negotiation AND x.number = p.number)
             FROM proposals p ORDER BY p.negotiation, p.number",
            &[],
        )?;
        for row in rows {
            let n: String = row.try_get(0)?;
            let number: i32 = row.try_get(1)?;
            let want: i32 = row.try_get(2)?;
            let have: i64 = row.try_get(3)?;
            if i64::from(want) != have {
                problems.push(format!(
                    "proposal {n}#{number}: {have} of its {want} terms stored"
                ));
            }
        }
        let triggers: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'events'::regclass
                 AND tgname LIKE 'events_append_only_%' AND tgenabled <> 'D'",
                &[],
            )?
            .try_get(0)?;
        if triggers != 3 {
            problems.push(format!(
                "the event log has {triggers} of its 3 append-only triggers enabled"
            ));
        }
        Ok(problems)
    }

    fn read_negotiations(&self, id: Option<&str>) -> Result<Vec<Negotiation>, StoreError> {
        let mut client = self.client.borrow_mut();
        // One snapshot: the talks and their extensions are from the same commit.
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let mut ext: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
        for row in tx.query(
            "SELECT negotiation, announced, new_end FROM pause_extensions
             WHERE $1::TEXT IS NULL OR negotiation = $1 ORDER BY negotiation, position",
            &[&id],
        )? {
            ext.entry(row.try_get(0)?).or_default().push(Extension {
                announced: row.try_get(1)?,
                new_end: row.try_get(2)?,
            });
        }
        let rows = tx.query(
            "SELECT id, partner, partner_name, state, pause_start, original_end, opened, version
             FROM negotiations WHERE $1::TEXT IS NULL OR id = $1 ORDER BY id",
            &[&id],
        )?;
        tx.commit()?;
        let mut out = Vec::new();
        for row in rows {
            let id: String = row.try_get(0)?;
            let state: String = row.try_get(3)?;
            let start: NaiveDate = row.try_get(4)?;
            let original_end: NaiveDate = row.try_get(5)?;
            let pause = PauseWindow {
                start,
                original_end,
                extensions: ext.remove(&id).unwrap_or_default(),
            };
            out.push(Negotiation {
                partner: row.try_get(1)?,
                partner_name: row.try_get(2)?,
                state: State::parse(&state).ok_or_else(|| corrupt("negotiations.state", &state))?,
                pause,
                opened: row.try_get(6)?,
                version: get_u64(&row, 7, "negotiations.version")?,
                id,
            });
        }
        Ok(out)
    }
}

fn user(row: &Row) -> Result<ApiUser, StoreError> {
    Ok(ApiUser {
        name: row.try_get(0)?,
        role: row.try_get(1)?,
        created: row.try_get(2)?,
    })
}

/// The operations, before [`PgStore::watch`].
impl PgStore {
    fn do_negotiations(&self) -> Result<Vec<Negotiation>, StoreError> {
        self.read_negotiations(None)
    }

    fn do_negotiation(&self, id: &str) -> Result<Option<Negotiation>, StoreError> {
        Ok(self.read_negotiations(Some(id))?.into_iter().next())
    }

    fn do_proposals(
        &self,
        negotiation: &str,
        after: u32,
        limit: u32,
    ) -> Result<Vec<Proposal>, StoreError> {
        let mut client = self.client.borrow_mut();
        // One snapshot: the proposals and their terms are from the same commit.
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = read_proposals(&mut tx, negotiation, after, limit)?;
        tx.commit()?;
        Ok(out)
    }

    fn do_scores(
        &self,
        negotiation: &str,
        first: u32,
        last: u32,
    ) -> Result<Vec<ScoreRecord>, StoreError> {
        read_scores(&mut *self.client.borrow_mut(), negotiation, first, last)
    }

    fn do_events(
        &self,
        negotiation: Option<&str>,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        read_events(&mut *self.client.borrow_mut(), negotiation, after, limit)
    }

    fn do_commit(&mut self, changes: &[Change]) -> Result<Committed, StoreError> {
        let client = self.client.get_mut();
        let mut attempt = 1;
        loop {
            match commit_once(client, changes) {
                Err(e) if is_retryable(&e) && attempt < COMMIT_ATTEMPTS => attempt += 1,
                other => return other,
            }
        }
    }

    fn do_schema_version(&self) -> Result<u32, StoreError> {
        current_version(&mut *self.client.borrow_mut())
    }

    fn do_add_user(&mut self, user: &ApiUser, token_sha256: &str) -> Result<(), StoreError> {
        crate::check_token_hash(token_sha256)?;
        crate::check_user_name(&user.name)?;
        let rows = self.client.get_mut().execute(
            "INSERT INTO api_users (name, role, token_sha256, created) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING",
            &[&user.name, &user.role, &token_sha256, &user.created],
        )?;
        if rows == 0 {
            return Err(StoreError::Duplicate(format!("user {}", user.name)));
        }
        Ok(())
    }

    fn do_remove_user(&mut self, name: &str) -> Result<(), StoreError> {
        let n = self
            .client
            .get_mut()
            .execute("DELETE FROM api_users WHERE name = $1", &[&name])?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("user {name}")));
        }
        Ok(())
    }

    fn do_users(&self) -> Result<Vec<ApiUser>, StoreError> {
        self.client
            .borrow_mut()
            .query(
                "SELECT name, role, created FROM api_users ORDER BY name",
                &[],
            )?
            .iter()
            .map(user)
            .collect()
    }

    fn do_user_by_token(&self, token_sha256: &str) -> Result<Option<ApiUser>, StoreError> {
        self.client
            .borrow_mut()
            .query_opt(
                "SELECT name, role, created FROM api_users WHERE token_sha256 = $1",
                &[&token_sha256],
            )?
            .as_ref()
            .map(user)
            .transpose()
    }
}

impl Store for PgStore {
    fn negotiations(&self) -> Result<Vec<Negotiation>, StoreError> {
        self.watch(self.do_negotiations())
    }
    fn negotiation(&self, id: &str) -> Result<Option<Negotiation>, StoreError> {
        self.watch(self.do_negotiation(id))
    }
    fn proposals_page(
        &self,
        negotiation: &str,
        after: u32,
        limit: u32,
    ) -> Result<Vec<Proposal>, StoreError> {
        self.watch(self.do_proposals(negotiation, after, limit))
    }
    fn scores_between(
        &self,
        negotiation: &str,
        first: u32,
        last: u32,
    ) -> Result<Vec<ScoreRecord>, StoreError> {
        self.watch(self.do_scores(negotiation, first, last))
    }
    fn events(&self, negotiation: Option<&str>) -> Result<Vec<Event>, StoreError> {
        self.watch(self.do_events(negotiation, 0, u32::MAX))
    }
    fn events_page(
        &self,
        negotiation: &str,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        self.watch(self.do_events(Some(negotiation), after, limit))
    }
    fn commit(&mut self, changes: &[Change]) -> Result<Committed, StoreError> {
        let result = self.do_commit(changes);
        self.watch(result)
    }
    fn schema_version(&self) -> Result<u32, StoreError> {
        self.watch(self.do_schema_version())
    }
    fn add_user(&mut self, user: &ApiUser, token_sha256: &str) -> Result<(), StoreError> {
        let result = self.do_add_user(user, token_sha256);
        self.watch(result)
    }
    fn remove_user(&mut self, name: &str) -> Result<(), StoreError> {
        let result = self.do_remove_user(name);
        self.watch(result)
    }
    fn users(&self) -> Result<Vec<ApiUser>, StoreError> {
        self.watch(self.do_users())
    }
    fn user_by_token(&self, token_sha256: &str) -> Result<Option<ApiUser>, StoreError> {
        self.watch(self.do_user_by_token(token_sha256))
    }
}
