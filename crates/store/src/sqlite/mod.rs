//! The SQLite backend.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use reciprocity_negotiation::{Event, Extension, Negotiation, PauseWindow, Proposal, State};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::dto::scope_text;
use crate::migrate::{current_version, migrate};
use crate::{
    corrupt, n_terms, stale_update, ApiUser, Change, Committed, ScoreRecord, Store, StoreError,
};

mod marker;
mod read;

use read::{read_events, read_proposals, read_scores};

/// A store in one SQLite file, in WAL mode (readers never block the writer, and a crash mid-write
/// leaves the last committed state).
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(what: &str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt(what, text))
}

/// `PRAGMA journal_mode=WAL`, retried while another connection holds the lock: SQLite answers
/// a journal-mode change with SQLITE_BUSY at once, without the busy handler, so several processes
/// opening a new file together would otherwise fail at random.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// The settings every connection needs (they are not kept in the file).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(15))?;
    // FULL: a commit is on disk when it returns, also across a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")
}

/// Create `path` empty and readable by its owner only (0600 on Unix) when it does not exist: the
/// talks hold every team's confidential positions, and SQLite gives its WAL and shared-memory files
/// the database file's permissions. An existing file keeps its own.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

impl SqliteStore {
    /// Open (or create) the database at `path`, switch it to WAL and migrate it to the current
    /// schema. A file that is not a Reciprocity database (another program's SQLite file) is
    /// refused before anything is written to it ([`StoreError::Foreign`]).
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let fail = |message: String| StoreError::Open {
            path: path.display().to_string(),
            message,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot create the folder {}: {e}", dir.display())))?;
        }
        create_private(path).map_err(|e| fail(format!("cannot create the file: {e}")))?;
        let mut conn = Connection::open(path).map_err(|e| fail(e.to_string()))?;
        // Before the journal switch, so concurrent first openers wait for each other.
        conn.busy_timeout(Duration::from_secs(15))
            .map_err(|e| fail(e.to_string()))?;
        marker::check_marker(&conn, path)?;
        let mode =
            switch_to_wal(&conn).map_err(|e| fail(format!("not a negotiation database ({e})")))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(fail(format!(
                "cannot switch the journal to WAL (it is {mode})"
            )));
        }
        configure(&conn).map_err(|e| fail(e.to_string()))?;
        migrate(&mut conn).map_err(|e| match e {
            StoreError::Sqlite(e) => fail(e.to_string()),
            other => other,
        })?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// A connection to a file [`SqliteStore::open`] already created, switched to WAL (a property
    /// of the file) and migrated: only the per-connection settings. A pool's per-request open.
    /// A missing file is an error here, not a new empty database.
    pub(crate) fn reopen(path: &Path) -> Result<SqliteStore, StoreError> {
        let fail = |e: rusqlite::Error| StoreError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(fail)?;
        configure(&conn).map_err(fail)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's `PRAGMA integrity_check` and a check that every proposal has all its terms:
    /// an empty list when the file is sound, otherwise one line per problem.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems: Vec<String> = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT p.negotiation, p.number, p.n_terms,
                    (SELECT COUNT(*) FROM tariff_lines t WHERE t.negotiation = p.negotiation AND t.number = p.number)
                  + (SELECT COUNT(*) FROM quotas q WHERE q.negotiation = p.negotiation AND q.number = p.number)
                  + (SELECT COUNT(*) FROM purchases u WHERE u.negotiation = p.negotiation AND u.number = p.number)
                  + (SELECT COUNT(*) FROM text_terms x WHERE x.negotiation = p.negotiation AND x.number = p.number)
             FROM proposals p",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })? {
            let (n, number, want, have) = row?;
            if want != have {
                problems.push(format!(
                    "proposal {n}#{number}: {have} of its {want} terms stored"
                ));
            }
        }
        let fk: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        for table in fk {
            problems.push(format!("a row of {table} refers to a missing record"));
        }
        Ok(problems)
    }

    fn read_negotiations(&self, id: Option<&str>) -> Result<Vec<Negotiation>, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let mut ext: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
        {
            let mut stmt = tx.prepare(
                "SELECT negotiation, announced, new_end FROM pause_extensions WHERE ?1 IS NULL OR negotiation = ?1
                 ORDER BY negotiation, position",
            )?;
            let rows = stmt.query_map(params![id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (n, a, e) = row?;
                let announced = parse_date("pause_extensions.announced", &a)?;
                let new_end = parse_date("pause_extensions.new_end", &e)?;
                ext.entry(n)
                    .or_default()
                    .push(Extension { announced, new_end });
            }
        }
        let mut stmt = tx.prepare(
            "SELECT id, partner, partner_name, state, pause_start, original_end, opened, version FROM negotiations
             WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, u64>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, partner, partner_name, state, start, end, opened, version) = row?;
            out.push(Negotiation {
                state: State::parse(&state).ok_or_else(|| corrupt("negotiations.state", &state))?,
                pause: PauseWindow {
                    start: parse_date("negotiations.pause_start", &start)?,
                    original_end: parse_date("negotiations.original_end", &end)?,
                    extensions: ext.remove(&id).unwrap_or_default(),
                },
                opened: parse_date("negotiations.opened", &opened)?,
                id,
                partner,
                partner_name,
                version,
            });
        }
        Ok(out)
    }
}

fn stored_version(
    tx: &Transaction<'_>,
    sql: &str,
    p: &[&dyn rusqlite::ToSql],
) -> Result<Option<u64>, StoreError> {
    Ok(tx.query_row(sql, p, |r| r.get::<_, u64>(0)).optional()?)
}

fn write_extensions(tx: &Transaction<'_>, n: &Negotiation) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM pause_extensions WHERE negotiation = ?1",
        params![n.id],
    )?;
    for (i, e) in n.pause.extensions.iter().enumerate() {
        tx.execute(
            "INSERT INTO pause_extensions (negotiation, position, announced, new_end) VALUES (?1, ?2, ?3, ?4)",
            params![n.id, i as i64, date_text(e.announced), date_text(e.new_end)],
        )?;
    }
    Ok(())
}

fn write_terms(tx: &Transaction<'_>, p: &Proposal) -> Result<(), StoreError> {
    for table in ["tariff_lines", "quotas", "purchases", "text_terms"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE negotiation = ?1 AND number = ?2"),
            params![p.negotiation, p.number],
        )?;
    }
    for (i, l) in p.terms.tariff_lines.iter().enumerate() {
        tx.execute(
            "INSERT INTO tariff_lines (negotiation, number, position, levied_by, scope, rate_pct) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![p.negotiation, p.number, i as i64, l.levied_by.as_str(), scope_text(&l.scope), l.rate_pct],
        )?;
    }
    for (i, q) in p.terms.quotas.iter().enumerate() {
        tx.execute(
            "INSERT INTO quotas (negotiation, number, position, levied_by, scope, volume, unit_value_usd, in_quota_pct, out_quota_pct)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                p.negotiation,
                p.number,
                i as i64,
                q.levied_by.as_str(),
                scope_text(&q.scope),
                q.volume,
                q.unit_value_usd,
                q.in_quota_pct,
                q.out_quota_pct
            ],
        )?;
    }
    for (i, u) in p.terms.purchases.iter().enumerate() {
        tx.execute(
            "INSERT INTO purchases (negotiation, number, position, buyer, scope, usd) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![p.negotiation, p.number, i as i64, u.buyer.as_str(), scope_text(&u.scope), u.usd],
        )?;
    }
    for (i, t) in p.terms.non_tariff.iter().enumerate() {
        tx.execute(
            "INSERT INTO text_terms (negotiation, number, position, text) VALUES (?1, ?2, ?3, ?4)",
            params![p.negotiation, p.number, i as i64, t],
        )?;
    }
    Ok(())
}

/// Read proposal `p` back inside the write transaction, before the commit: what would not read
/// back as written (at `version`) is refused, so one request cannot break its talk's reads.
fn check_written(tx: &Transaction<'_>, p: &Proposal, version: u64) -> Result<(), StoreError> {
    let expected = Proposal {
        version,
        ..p.clone()
    };
    let back = read_proposals(tx, &p.negotiation, p.number.saturating_sub(1), 1);
    crate::check_read_back(&expected, back)
}

fn apply(
    tx: &Transaction<'_>,
    change: &Change,
    committed: &mut Committed,
) -> Result<(), StoreError> {
    match change {
        Change::InsertNegotiation(n) => insert_negotiation(tx, n),
        Change::UpdateNegotiation(n) => update_negotiation(tx, n),
        Change::InsertProposal(p) => insert_proposal(tx, p),
        Change::UpdateProposal(p) => update_proposal(tx, p),
        Change::PutScore(s) => put_score(tx, s),
        Change::DeleteScore {
            negotiation,
            proposal,
        } => {
            tx.execute(
                "DELETE FROM scores WHERE negotiation = ?1 AND number = ?2",
                params![negotiation, proposal],
            )?;
            Ok(())
        }
        Change::AppendEvent(e) => append_event(tx, e, false, committed),
        Change::RestoreEvent(e) => append_event(tx, e, true, committed),
    }
}

fn insert_negotiation(tx: &Transaction<'_>, n: &Negotiation) -> Result<(), StoreError> {
    if stored_version(
        tx,
        "SELECT version FROM negotiations WHERE id = ?1",
        &[&n.id],
    )?
    .is_some()
    {
        return Err(StoreError::Duplicate(format!("talk {}", n.id)));
    }
    tx.execute(
        "INSERT INTO negotiations (id, partner, partner_name, state, pause_start, original_end, opened, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            n.id,
            n.partner,
            n.partner_name,
            n.state.as_str(),
            date_text(n.pause.start),
            date_text(n.pause.original_end),
            date_text(n.opened),
            n.version.max(1)
        ],
    )?;
    write_extensions(tx, n)?;
    Ok(())
}

fn update_negotiation(tx: &Transaction<'_>, n: &Negotiation) -> Result<(), StoreError> {
    let rows = tx.execute(
        "UPDATE negotiations SET partner = ?1, partner_name = ?2, state = ?3, pause_start = ?4, original_end = ?5,
         opened = ?6, version = version + 1 WHERE id = ?7 AND version = ?8",
        params![
            n.partner,
            n.partner_name,
            n.state.as_str(),
            date_text(n.pause.start),
            date_text(n.pause.original_end),
            date_text(n.opened),
            n.id,
            n.version
        ],
    )?;
    if rows == 0 {
        let sql = "SELECT version FROM negotiations WHERE id = ?1";
        let stored = stored_version(tx, sql, &[&n.id])?;
        return Err(stale_update(format!("talk {}", n.id), n.version, stored));
    }
    write_extensions(tx, n)?;
    Ok(())
}

fn insert_proposal(tx: &Transaction<'_>, p: &Proposal) -> Result<(), StoreError> {
    if stored_version(
        tx,
        "SELECT version FROM negotiations WHERE id = ?1",
        &[&p.negotiation],
    )?
    .is_none()
    {
        return Err(StoreError::NotFound(format!("talk {}", p.negotiation)));
    }
    let sql = "SELECT version FROM proposals WHERE negotiation = ?1 AND number = ?2";
    if stored_version(tx, sql, &[&p.negotiation, &p.number])?.is_some() {
        return Err(StoreError::Duplicate(format!(
            "proposal {}#{}",
            p.negotiation, p.number
        )));
    }
    tx.execute(
        "INSERT INTO proposals (negotiation, number, side, counter_to, status, tabled, version, n_terms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.negotiation,
            p.number,
            p.side.as_str(),
            p.counter_to,
            p.status.as_str(),
            date_text(p.tabled),
            p.version.max(1),
            n_terms(&p.terms) as i64
        ],
    )?;
    write_terms(tx, p)?;
    check_written(tx, p, p.version.max(1))?;
    Ok(())
}

fn update_proposal(tx: &Transaction<'_>, p: &Proposal) -> Result<(), StoreError> {
    let rows = tx.execute(
        "UPDATE proposals SET side = ?1, counter_to = ?2, status = ?3, tabled = ?4, n_terms = ?5, version = version + 1
         WHERE negotiation = ?6 AND number = ?7 AND version = ?8",
        params![p.side.as_str(), p.counter_to, p.status.as_str(), date_text(p.tabled), n_terms(&p.terms) as i64, p.negotiation, p.number, p.version],
    )?;
    if rows == 0 {
        let sql = "SELECT version FROM proposals WHERE negotiation = ?1 AND number = ?2";
        let what = format!("proposal {}#{}", p.negotiation, p.number);
        let stored = stored_version(tx, sql, &[&p.negotiation, &p.number])?;
        return Err(stale_update(what, p.version, stored));
    }
    write_terms(tx, p)?;
    check_written(tx, p, p.version + 1)?;
    Ok(())
}

fn put_score(tx: &Transaction<'_>, s: &ScoreRecord) -> Result<(), StoreError> {
    let details = crate::score_details(s)?;
    tx.execute(
        "INSERT OR REPLACE INTO scores (negotiation, number, proposal_version, world, scored_on, us_welfare_pct,
         partner_welfare_pct, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            s.negotiation,
            s.proposal,
            s.proposal_version,
            s.score.world,
            date_text(s.scored_on),
            s.score.us_welfare_pct,
            s.score.partner_welfare_pct,
            details
        ],
    )?;
    Ok(())
}

/// Append an event (or restore one from an export, keeping its numbers).
fn append_event(
    tx: &Transaction<'_>,
    e: &Event,
    restore: bool,
    committed: &mut Committed,
) -> Result<(), StoreError> {
    // Inside the IMMEDIATE transaction: no other writer can take the same number.
    let next: u64 = tx.query_row(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM events WHERE negotiation = ?1",
        params![e.negotiation],
        |r| r.get(0),
    )?;
    let number = if restore {
        crate::restored_number(e, next)?
    } else {
        next
    };
    let seq = if restore { Some(e.seq as i64) } else { None };
    tx.execute(
        "INSERT INTO events (seq, negotiation, number, date, kind, proposal, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, e.negotiation, number as i64, date_text(e.date), e.kind.as_str(), e.proposal, e.detail],
    )?;
    committed.event_seqs.push(tx.last_insert_rowid() as u64);
    committed.event_numbers.push(number);
    Ok(())
}

impl Store for SqliteStore {
    fn negotiations(&self) -> Result<Vec<Negotiation>, StoreError> {
        self.read_negotiations(None)
    }

    fn negotiation(&self, id: &str) -> Result<Option<Negotiation>, StoreError> {
        Ok(self.read_negotiations(Some(id))?.into_iter().next())
    }

    fn proposals_page(
        &self,
        negotiation: &str,
        after: u32,
        limit: u32,
    ) -> Result<Vec<Proposal>, StoreError> {
        // One read transaction: the proposals and their terms are from the same commit.
        let tx = self.conn.unchecked_transaction()?;
        read_proposals(&tx, negotiation, after, limit)
    }

    fn scores_between(
        &self,
        negotiation: &str,
        first: u32,
        last: u32,
    ) -> Result<Vec<ScoreRecord>, StoreError> {
        read_scores(&self.conn, negotiation, first, last)
    }

    fn events(&self, negotiation: Option<&str>) -> Result<Vec<Event>, StoreError> {
        read_events(&self.conn, negotiation, 0, u32::MAX)
    }

    fn events_page(
        &self,
        negotiation: &str,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        read_events(&self.conn, Some(negotiation), after, limit)
    }

    fn commit(&mut self, changes: &[Change]) -> Result<Committed, StoreError> {
        // IMMEDIATE takes the write lock up front: two writers queue instead of deadlocking.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut committed = Committed::default();
        for change in changes {
            apply(&tx, change, &mut committed)?;
        }
        tx.commit()?;
        Ok(committed)
    }

    fn schema_version(&self) -> Result<u32, StoreError> {
        current_version(&self.conn)
    }

    fn add_user(&mut self, user: &ApiUser, token_sha256: &str) -> Result<(), StoreError> {
        crate::check_token_hash(token_sha256)?;
        crate::check_user_name(&user.name)?;
        // One statement: a taken name inserts nothing (a taken token hash still fails loudly).
        let rows = self.conn.execute(
            "INSERT INTO api_users (name, role, token_sha256, created) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO NOTHING",
            params![user.name, user.role, token_sha256, user.created],
        )?;
        if rows == 0 {
            return Err(StoreError::Duplicate(format!("user {}", user.name)));
        }
        Ok(())
    }

    fn remove_user(&mut self, name: &str) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM api_users WHERE name = ?1", params![name])?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("user {name}")));
        }
        Ok(())
    }

    fn users(&self) -> Result<Vec<ApiUser>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, role, created FROM api_users ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(ApiUser {
                name: r.get(0)?,
                role: r.get(1)?,
                created: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn user_by_token(&self, token_sha256: &str) -> Result<Option<ApiUser>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, role, created FROM api_users WHERE token_sha256 = ?1",
                params![token_sha256],
                |r| {
                    Ok(ApiUser {
                        name: r.get(0)?,
                        role: r.get(1)?,
                        created: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }
}
