//! The system of record of the talks: a [`Store`] trait and its two backends, [`SqliteStore`]
//! (rusqlite with SQLite bundled, WAL journal; the default) and [`PgStore`] (PostgreSQL, for a
//! shared server), with one list of versioned migrations, and a [`StorePool`] that hands a server
//! one store per request.
//!
//! Every change is one [`Store::commit`] of a list of [`Change`]s, applied in one transaction or
//! not at all. Talks and proposals carry a version: an update names the version it was based on,
//! and a writer whose base is stale gets [`StoreError::Conflict`] instead of overwriting the other
//! writer's change (optimistic concurrency). The event log is append-only (triggers refuse UPDATE
//! and DELETE, in both backends). A whole store exports to, and imports from, a versioned JSON [`dto::Snapshot`].
//!
//! **API boundary:** callers see domain types (`reciprocity-negotiation`) only; SQL and the JSON
//! forms stay in this crate; both backends pass the same behaviour tests (`tests/store.rs`).
#![deny(missing_docs)]

pub mod dto;
pub mod migrate;
pub mod pool;
pub mod postgres;
mod sqlite;

use std::path::PathBuf;

use chrono::NaiveDate;
use reciprocity_negotiation::{Event, Negotiation, Proposal, Score};

pub use pool::{Backend, PooledStore, StorePool};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// A stored score: the proposal (and version) it belongs to and when it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRecord {
    /// The talk.
    pub negotiation: String,
    /// The proposal number.
    pub proposal: u32,
    /// The proposal version it scored (a later amendment makes it stale).
    pub proposal_version: u64,
    /// The date of the talk it was computed for.
    pub scored_on: NaiveDate,
    /// The score.
    pub score: Score,
}

/// One change of a commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A new talk, stored at its `version` (an import) or 1 when that is 0; its id must be free.
    InsertNegotiation(Negotiation),
    /// A talk changed from the one read at `version` (stored as `version + 1`).
    UpdateNegotiation(Negotiation),
    /// A new proposal, stored at its `version` (an import) or 1 when that is 0; its number must be free.
    InsertProposal(Proposal),
    /// A proposal changed from the one read at `version` (stored as `version + 1`).
    UpdateProposal(Proposal),
    /// A score (replaces the proposal's previous score).
    PutScore(ScoreRecord),
    /// Drop the score of a proposal, if it has one (a withdrawal: the score may be what cannot be
    /// read).
    DeleteScore {
        /// The talk.
        negotiation: String,
        /// The proposal number.
        proposal: u32,
    },
    /// An event, appended at the end of the log (its `seq` and its talk's `number` are assigned).
    AppendEvent(Event),
    /// An event restored with its own `seq` (import only); its `number` is assigned as for an
    /// append, and must equal the one it carries unless that is 0 (an export before numbers).
    RestoreEvent(Event),
}

/// A user of the HTTP API. The token itself is never stored, only its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUser {
    /// Unique name (`alice`, `jpn-lead`).
    pub name: String,
    /// The role as text: `admin`, `analyst` or `team:ISO3` (the server parses it).
    pub role: String,
    /// When the user was added (RFC 3339, UTC).
    pub created: String,
}

/// What a commit wrote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Committed {
    /// The log positions of the events appended.
    pub event_seqs: Vec<u64>,
    /// Their positions in their talks' logs (1, 2, ... per talk), in the same order.
    pub event_numbers: Vec<u64>,
}

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    /// Talks.
    pub negotiations: usize,
    /// Proposals.
    pub proposals: usize,
    /// Scores.
    pub scores: usize,
    /// Events.
    pub events: usize,
}

/// Store errors. Each message says what went wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed (the message carries the server's text and SQLSTATE).
    #[error("database: {}", postgres::pg_message(.0))]
    Postgres(#[from] ::postgres::Error),
    /// Every PostgreSQL connection of the pool stayed in use for the whole wait.
    #[error("the database is busy: all {max} connections stayed in use for {waited_ms} ms; retry, or raise the pool size")]
    PoolTimeout {
        /// The pool size.
        max: usize,
        /// How long the request waited.
        waited_ms: u64,
    },
    /// The file cannot be opened or created, or the server cannot be reached (the URL is shown
    /// without its password).
    #[error("{path}: {message}")]
    Open {
        /// The database file.
        path: String,
        /// Why.
        message: String,
    },
    /// Another writer changed the record since it was read.
    #[error("{what} was changed by another writer (stored version {found}, this change was based on version {expected}): reload and retry")]
    Conflict {
        /// The record (`talk JPN`, `proposal JPN#2`).
        what: String,
        /// The version the change was based on.
        expected: u64,
        /// The version found.
        found: u64,
    },
    /// The record does not exist.
    #[error("{0} does not exist")]
    NotFound(String),
    /// The record exists already.
    #[error("{0} already exists")]
    Duplicate(String),
    /// A stored value cannot be read back (the file was edited by hand or is damaged).
    #[error("corrupt record: {0}")]
    Corrupt(String),
    /// The database was written by a newer build.
    #[error("the database has schema version {found}; this build knows up to {supported}: use a newer reciprocity")]
    SchemaTooNew {
        /// Its version.
        found: u32,
        /// Ours.
        supported: u32,
    },
    /// A migration failed (nothing of it was applied).
    #[error("schema migration to version {version} failed: {message}")]
    Migration {
        /// The target version.
        version: u32,
        /// The database's message.
        message: String,
    },
    /// An import file is not a valid snapshot.
    #[error("import: {0}")]
    Import(String),
    /// A value the store refuses to write.
    #[error("invalid value: {0}")]
    Invalid(String),
    /// The file is not a Reciprocity database (another program's SQLite file, or not SQLite at
    /// all): refused before anything is written to it.
    #[error(
        "{path}: not a Reciprocity negotiation database ({detail}); nothing was written to it"
    )]
    Foreign {
        /// The file.
        path: String,
        /// What it holds instead.
        detail: String,
    },
    /// A command that only reads found no database: reading never creates one.
    #[error(
        "{path}: no negotiation database here ({why}); a command that only reads never creates one"
    )]
    NoDatabase {
        /// The path given.
        path: String,
        /// `no such file`, `an empty file`.
        why: String,
    },
}

impl StoreError {
    /// Whether the error is about input the user can fix (a bad file, a conflict, a missing or
    /// duplicate record), rather than the machine.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Sqlite(_)
                | StoreError::Postgres(_)
                | StoreError::PoolTimeout { .. }
                | StoreError::Migration { .. }
                | StoreError::Open { .. }
        )
    }
}

/// The store of the talks. Reads return domain values; writes go through [`Store::commit`].
pub trait Store {
    /// Every talk, by id.
    fn negotiations(&self) -> Result<Vec<Negotiation>, StoreError>;
    /// One talk.
    fn negotiation(&self, id: &str) -> Result<Option<Negotiation>, StoreError>;
    /// A page of a talk's proposals: at most `limit` of those numbered after `after`, by number.
    fn proposals_page(
        &self,
        negotiation: &str,
        after: u32,
        limit: u32,
    ) -> Result<Vec<Proposal>, StoreError>;
    /// A talk's proposals, by number.
    fn proposals(&self, negotiation: &str) -> Result<Vec<Proposal>, StoreError> {
        self.proposals_page(negotiation, 0, u32::MAX)
    }
    /// The scores of a talk's proposals numbered `first..=last`, by proposal number.
    fn scores_between(
        &self,
        negotiation: &str,
        first: u32,
        last: u32,
    ) -> Result<Vec<ScoreRecord>, StoreError>;
    /// A talk's scores, by proposal number.
    fn scores(&self, negotiation: &str) -> Result<Vec<ScoreRecord>, StoreError> {
        self.scores_between(negotiation, 0, u32::MAX)
    }
    /// The event log (of one talk, or all), in order.
    fn events(&self, negotiation: Option<&str>) -> Result<Vec<Event>, StoreError>;
    /// A page of one talk's log: at most `limit` of the events numbered after `after`, in order.
    fn events_page(
        &self,
        negotiation: &str,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError>;
    /// Apply `changes` in one transaction, all or nothing.
    fn commit(&mut self, changes: &[Change]) -> Result<Committed, StoreError>;
    /// The schema version of the store.
    fn schema_version(&self) -> Result<u32, StoreError>;

    /// Add an API user with the SHA-256 (64 lowercase hex digits) of their token.
    /// [`StoreError::Duplicate`] when the name is taken.
    fn add_user(&mut self, user: &ApiUser, token_sha256: &str) -> Result<(), StoreError>;
    /// Remove an API user; [`StoreError::NotFound`] when there is none of that name.
    fn remove_user(&mut self, name: &str) -> Result<(), StoreError>;
    /// Every API user, by name.
    fn users(&self) -> Result<Vec<ApiUser>, StoreError>;
    /// The user whose token has this SHA-256, if any.
    fn user_by_token(&self, token_sha256: &str) -> Result<Option<ApiUser>, StoreError>;

    /// The whole store as a snapshot.
    fn export(&self) -> Result<dto::Snapshot, StoreError> {
        let mut negotiations = Vec::new();
        for n in self.negotiations()? {
            let mut d = dto::negotiation_dto(&n);
            d.proposals = self
                .proposals(&n.id)?
                .iter()
                .map(dto::proposal_dto)
                .collect();
            d.scores = self
                .scores(&n.id)?
                .iter()
                .map(dto::score_record_dto)
                .collect();
            negotiations.push(d);
        }
        Ok(dto::Snapshot {
            format: dto::FORMAT.into(),
            export_version: dto::EXPORT_VERSION,
            schema_version: self.schema_version()?,
            negotiations,
            events: self.events(None)?.iter().map(dto::event_dto).collect(),
        })
    }

    /// Load a snapshot into an empty store, checked value by value and reference by reference
    /// ([`import_plan`]), in one transaction.
    fn import(&mut self, snapshot: &dto::Snapshot) -> Result<ImportSummary, StoreError> {
        let (changes, summary) = import_plan(snapshot)?;
        let existing = self.negotiations()?.len();
        if existing > 0 || !self.events(None)?.is_empty() {
            return Err(StoreError::Import(format!(
                "the store already holds {existing} talk(s): import into a new database (--db NEW_FILE)"
            )));
        }
        self.commit(&changes)?;
        Ok(summary)
    }
}

/// The changes that load `snapshot` into an empty store, every value and reference checked
/// first (issue 15, item 11): the format and version, each talk, proposal, score and event by its
/// DTO's bounds, and that a counter names an earlier proposal of its talk, a score a proposal of
/// its talk, an event a talk of the file (and a proposal of it). Pure: a caller can check a file
/// before it creates a database for it. The error names the item (`negotiations[0].proposals[1]`).
// Long: one pass over the snapshot, each check beside the item it checks.
pub fn import_plan(snapshot: &dto::Snapshot) -> Result<(Vec<Change>, ImportSummary), StoreError> {
    if snapshot.format != dto::FORMAT {
        return Err(StoreError::Import(format!(
            "format: expected {:?}, found {:?}",
            dto::FORMAT,
            snapshot.format
        )));
    }
    if !(dto::OLDEST_EXPORT_VERSION..=dto::EXPORT_VERSION).contains(&snapshot.export_version) {
        return Err(StoreError::Import(format!(
            "export_version: this build reads versions {} to {}, found {}",
            dto::OLDEST_EXPORT_VERSION,
            dto::EXPORT_VERSION,
            snapshot.export_version
        )));
    }
    let mut changes = Vec::new();
    let mut summary = ImportSummary::default();
    for (i, d) in snapshot.negotiations.iter().enumerate() {
        let at = format!("negotiations[{i}]");
        if snapshot.negotiations[..i].iter().any(|o| o.id == d.id) {
            return Err(StoreError::Import(format!(
                "{at}: id: talk {} appears twice",
                d.id
            )));
        }
        changes.push(Change::InsertNegotiation(dto::negotiation_from(d, &at)?));
        for (j, p) in d.proposals.iter().enumerate() {
            let at = format!("{at}.proposals[{j}]");
            if d.proposals[..j].iter().any(|o| o.number == p.number) {
                return Err(StoreError::Import(format!(
                    "{at}: number: proposal #{} appears twice",
                    p.number
                )));
            }
            if let Some(c) = p.counter_to {
                if c >= p.number || !d.proposals.iter().any(|o| o.number == c) {
                    return Err(StoreError::Import(format!(
                        "{at}: counter_to: no earlier proposal #{c} in talk {} to counter",
                        d.id
                    )));
                }
            }
            changes.push(Change::InsertProposal(dto::proposal_from(&d.id, p, &at)?));
            summary.proposals += 1;
        }
        for (j, s) in d.scores.iter().enumerate() {
            let at = format!("{at}.scores[{j}]");
            if !d.proposals.iter().any(|p| p.number == s.proposal) {
                return Err(StoreError::Import(format!(
                    "{at}: proposal: no proposal #{} in this talk",
                    s.proposal
                )));
            }
            changes.push(Change::PutScore(dto::score_record_from(&d.id, s, &at)?));
            summary.scores += 1;
        }
        summary.negotiations += 1;
    }
    let mut last = 0;
    for (i, e) in snapshot.events.iter().enumerate() {
        let at = format!("events[{i}]");
        if e.seq <= last {
            return Err(StoreError::Import(format!(
                "{at}: seq: expected the log in order, found {} after {last}",
                e.seq
            )));
        }
        last = e.seq;
        let Some(talk) = snapshot.negotiations.iter().find(|n| n.id == e.negotiation) else {
            return Err(StoreError::Import(format!(
                "{at}: negotiation: no talk {:?} in the file",
                e.negotiation
            )));
        };
        if let Some(n) = e.proposal {
            if !talk.proposals.iter().any(|p| p.number == n) {
                return Err(StoreError::Import(format!(
                    "{at}: proposal: no proposal #{n} in talk {}",
                    talk.id
                )));
            }
        }
        changes.push(Change::RestoreEvent(dto::event_from(e, &at)?));
        summary.events += 1;
    }
    Ok((changes, summary))
}

/// The number a restored event gets (`next`, the talk's next position) checked against the one it
/// carries (0: none, an export from before per-talk numbers). Both backends use it.
pub(crate) fn restored_number(e: &Event, next: u64) -> Result<u64, StoreError> {
    if e.number != 0 && e.number != next {
        return Err(StoreError::Import(format!(
            "events: seq {}: number: expected {next} (the log of talk {} without gaps), found {}",
            e.seq, e.negotiation, e.number
        )));
    }
    Ok(next)
}

/// The stored form of a score, decoded again before it is written: a score that would not read
/// back (a value that is not finite is written as JSON `null`) is refused, so it can never break
/// the reads of its talk (issue 15, item 1). Both backends use it inside their write transaction.
pub(crate) fn score_details(s: &ScoreRecord) -> Result<String, StoreError> {
    let what = format!("score of proposal {}#{}", s.negotiation, s.proposal);
    let details = serde_json::to_string(&dto::ScoreDto::from(&s.score))
        .map_err(|e| StoreError::Invalid(format!("{what}: {e}")))?;
    serde_json::from_str::<dto::ScoreDto>(&details).map_err(|e| {
        StoreError::Invalid(format!(
            "{what}: it would not read back ({e}; a value that is not a finite number?): nothing was written"
        ))
    })?;
    Ok(details)
}

/// Refuse a proposal whose stored form does not read back as `expected` (issue 15, item 1): `back`
/// is what the write transaction reads of it before committing.
pub(crate) fn check_read_back(
    expected: &Proposal,
    back: Result<Vec<Proposal>, StoreError>,
) -> Result<(), StoreError> {
    let what = format!("proposal {}#{}", expected.negotiation, expected.number);
    let refused = |why: String| {
        StoreError::Invalid(format!(
            "{what}: it would not read back as written ({why}): nothing was written"
        ))
    };
    match back {
        Ok(list) if list.len() == 1 && list[0] == *expected => Ok(()),
        Ok(list) => Err(refused(match list.first() {
            Some(p) if p.terms != expected.terms => "its terms differ".into(),
            Some(_) => "its fields differ".into(),
            None => "it is missing".into(),
        })),
        Err(StoreError::Corrupt(why)) => Err(refused(why)),
        Err(other) => Err(other),
    }
}

/// A stored value that cannot be read back.
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what}: unreadable value {value:?}"))
}

/// A stored side (`us`, `partner`).
pub(crate) fn parse_side(
    what: &str,
    text: &str,
) -> Result<reciprocity_negotiation::Side, StoreError> {
    reciprocity_negotiation::Side::parse(text).ok_or_else(|| corrupt(what, text))
}

/// How many terms a proposal has (stored with it, so a reader can check it read them all).
pub(crate) fn n_terms(t: &reciprocity_negotiation::Terms) -> usize {
    t.tariff_lines.len() + t.quotas.len() + t.purchases.len() + t.non_tariff.len()
}

/// Why a versioned update changed no row, from the version now stored (`None`: no such record):
/// the record is gone, or another writer moved it on from `expected`. Both backends use it.
pub(crate) fn stale_update(what: String, expected: u64, stored: Option<u64>) -> StoreError {
    match stored {
        None => StoreError::NotFound(what),
        Some(found) => StoreError::Conflict {
            what,
            expected,
            found,
        },
    }
}

/// The longest API user name, in bytes.
pub const MAX_USER_NAME_BYTES: usize = 64;

/// Refuse an API user name that is empty, over [`MAX_USER_NAME_BYTES`], or holds spaces or
/// control characters (a name is printed in lists and logs).
pub fn check_user_name(name: &str) -> Result<(), StoreError> {
    if name.is_empty()
        || name.len() > MAX_USER_NAME_BYTES
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        let shown: String = name.chars().take(MAX_USER_NAME_BYTES).collect();
        return Err(StoreError::Invalid(format!(
            "user name: expected 1 to {MAX_USER_NAME_BYTES} bytes without spaces or control characters, found {} bytes ({shown:?}{})",
            name.len(),
            if shown.len() < name.len() { "..." } else { "" }
        )));
    }
    Ok(())
}

/// Refuse anything but 64 lowercase hex digits as a token hash: a raw token stored by mistake
/// would be a readable secret.
pub fn check_token_hash(token_sha256: &str) -> Result<(), StoreError> {
    if token_sha256.len() == 64
        && token_sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "token hash: expected 64 lowercase hex digits (SHA-256), found {} characters",
            token_sha256.len()
        )))
    }
}

/// The default database file: `$RECIPROCITY_DB`, else `negotiations.db` in the user's data folder
/// (`$XDG_DATA_HOME/reciprocity`, else `~/.local/share/reciprocity` on Linux and other Unixes,
/// `~/Library/Application Support/reciprocity` on macOS, `%APPDATA%\reciprocity` on Windows).
/// `None` when no home folder is known.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("RECIPROCITY_DB").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    data_dir().map(|d| d.join("reciprocity").join("negotiations.db"))
}

fn data_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return env("APPDATA");
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library").join("Application Support"));
    }
    env("XDG_DATA_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| env("HOME").map(|h| h.join(".local").join("share")))
}
