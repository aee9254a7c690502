//! Fixtures of the store suites: a talk, a proposal and a score, and a fresh database of each
//! backend behind [`TestDb`].
#![allow(dead_code)]

use chrono::NaiveDate;
use reciprocity_negotiation::score::SectorScore;
use reciprocity_negotiation::{
    Event, EventKind, Negotiation, PauseWindow, Proposal, ProposalStatus, PurchaseCommitment,
    Scope, Score, Side, State, TariffLine, TariffRateQuota, Terms,
};
use reciprocity_store::migrate::MIGRATIONS;
use reciprocity_store::{Backend, Change, PgStore, ScoreRecord, SqliteStore, Store, StoreError};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn talk() -> Negotiation {
    let mut n = Negotiation::new(
        "JPN",
        "Japan",
        PauseWindow::days(d("2025-04-09"), 90),
        d("2025-04-10"),
    );
    n.state = State::InTalks;
    n
}

pub fn proposal(number: u32) -> Proposal {
    Proposal {
        negotiation: "JPN".into(),
        number,
        side: Side::Partner,
        counter_to: None,
        status: ProposalStatus::Open,
        terms: Terms {
            tariff_lines: vec![
                TariffLine {
                    levied_by: Side::Us,
                    scope: Scope::All,
                    rate_pct: 15.0,
                },
                TariffLine {
                    levied_by: Side::Partner,
                    scope: Scope::Chapter(87),
                    rate_pct: 0.0,
                },
            ],
            quotas: vec![TariffRateQuota {
                levied_by: Side::Us,
                scope: Scope::Sector("TOTAL".into()),
                volume: 100_000.0,
                unit_value_usd: 40_000.0,
                in_quota_pct: 2.5,
                out_quota_pct: 25.0,
            }],
            purchases: vec![PurchaseCommitment {
                buyer: Side::Partner,
                scope: Scope::All,
                usd: 8e9,
            }],
            non_tariff: vec!["rice access".into()],
        },
        tabled: d("2025-04-20"),
        version: 0,
    }
}

pub fn score() -> Score {
    Score {
        world: "toy".into(),
        partner: "JPN".into(),
        us_welfare_pct: -0.01,
        partner_welfare_pct: 0.2,
        us_rate_no_deal_pct: 24.0,
        us_rate_deal_pct: 15.0,
        partner_rate_no_deal_pct: 4.0,
        partner_rate_deal_pct: 2.0,
        balance_no_deal_usd: -7e10,
        balance_deal_usd: -7.5e10,
        us_deficit_change_pct: 0.3,
        us_revenue_no_deal_usd: 1e11,
        us_revenue_deal_usd: 9e10,
        partner_revenue_no_deal_usd: 1e9,
        partner_revenue_deal_usd: 5e8,
        sectors: vec![SectorScore {
            sector: "TOTAL".into(),
            us_output_pct: -0.01,
            partner_output_pct: 0.1,
            us_exports_no_deal_usd: 7e10,
            us_exports_deal_usd: 7.2e10,
            us_imports_no_deal_usd: 1.4e11,
            us_imports_deal_usd: 1.47e11,
        }],
        us_output_pct: vec![-0.01],
        constraints: vec![],
        solves: 3,
        iterations: 40,
        max_residual: 1e-13,
        notes: vec!["a note".into()],
    }
}

pub type BoxStore = Box<dyn Store + Send>;

/// A fresh, empty database of one backend for one test.
pub trait TestDb: Sync {
    /// A new store (a new connection) on this database; it migrates the schema if needed.
    fn open(&self) -> Result<BoxStore, StoreError>;
    /// Another fresh, empty database of the same backend.
    fn fresh(&self) -> Box<dyn TestDb>;
    /// SQL past the store, as an administrator of the database would run it.
    fn execute(&self, sql: &str) -> Result<(), String>;
    /// One integer from SQL past the store.
    fn query_i64(&self, sql: &str) -> i64;
    /// Mark the schema as written by a newer build.
    fn set_schema_version(&self, version: u32);
    /// The backend's own soundness check (empty when sound).
    fn check(&self) -> Vec<String>;
    /// The backend, for a pool.
    fn backend(&self) -> Backend;
    /// Bring the empty database to schema `version` only, with that build's SQL.
    fn migrate_to(&self, version: u32);

    fn store(&self) -> BoxStore {
        self.open().unwrap()
    }
}

// ---------------------------------------------------------------- SQLite

pub struct SqliteDb {
    pub _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

pub fn sqlite_db() -> SqliteDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/neg.db");
    SqliteDb { _dir: dir, path }
}

impl SqliteDb {
    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).unwrap()
    }
}

impl TestDb for SqliteDb {
    fn open(&self) -> Result<BoxStore, StoreError> {
        Ok(Box::new(SqliteStore::open(&self.path)?))
    }
    fn fresh(&self) -> Box<dyn TestDb> {
        Box::new(sqlite_db())
    }
    fn execute(&self, sql: &str) -> Result<(), String> {
        self.raw().execute_batch(sql).map_err(|e| e.to_string())
    }
    fn query_i64(&self, sql: &str) -> i64 {
        self.raw().query_row(sql, [], |r| r.get(0)).unwrap()
    }
    fn set_schema_version(&self, version: u32) {
        self.raw()
            .pragma_update(None, "user_version", version)
            .unwrap();
    }
    fn check(&self) -> Vec<String> {
        SqliteStore::open(&self.path).unwrap().check().unwrap()
    }
    fn backend(&self) -> Backend {
        Backend::Sqlite(self.path.clone())
    }
    fn migrate_to(&self, version: u32) {
        // The store creates the folder when it opens; this goes past the store.
        std::fs::create_dir_all(self.path.parent().unwrap()).unwrap();
        let c = self.raw();
        for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
            c.execute_batch(m.sqlite).unwrap();
            c.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?1, ?2, 'then')",
                rusqlite::params![m.version, m.description],
            )
            .unwrap();
        }
        c.pragma_update(None, "user_version", version).unwrap();
    }
}

// ---------------------------------------------------------------- PostgreSQL

pub const PG_URL_VAR: &str = "RECIPROCITY_TEST_DATABASE_URL";

/// A schema of its own in the test database: tests run in parallel without seeing each other.
pub struct PgDb {
    pub admin_url: String,
    pub url: String,
    pub schema: String,
}

pub fn pg_db() -> PgDb {
    let admin_url = std::env::var(PG_URL_VAR).unwrap_or_else(|_| {
        panic!("{PG_URL_VAR} is not set: run `eval \"$(scripts/ci-postgres.sh)\"` first")
    });
    assert!(
        admin_url.starts_with("postgres://") || admin_url.starts_with("postgresql://"),
        "{PG_URL_VAR}: expected a postgres:// URL"
    );
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let schema = format!("t_{}_{nanos}_{n}", std::process::id());
    let mut admin = ::postgres::Client::connect(&admin_url, ::postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    // libpq's `options` parameter sets the connection's search_path: everything goes to the schema.
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
    PgDb {
        admin_url,
        url,
        schema,
    }
}

impl PgDb {
    pub fn raw(&self) -> ::postgres::Client {
        ::postgres::Client::connect(&self.url, ::postgres::NoTls).unwrap()
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = ::postgres::Client::connect(&self.admin_url, ::postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema));
        }
    }
}

impl TestDb for PgDb {
    fn open(&self) -> Result<BoxStore, StoreError> {
        Ok(Box::new(PgStore::connect(&self.url)?))
    }
    fn fresh(&self) -> Box<dyn TestDb> {
        Box::new(pg_db())
    }
    fn execute(&self, sql: &str) -> Result<(), String> {
        self.raw().batch_execute(sql).map_err(|e| {
            e.as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string())
        })
    }
    fn query_i64(&self, sql: &str) -> i64 {
        self.raw().query_one(sql, &[]).unwrap().get(0)
    }
    fn set_schema_version(&self, version: u32) {
        self.raw()
            .execute(
                "INSERT INTO schema_migrations (version, description) VALUES ($1, 'from the future')",
                &[&(version as i32)],
            )
            .unwrap();
    }
    fn check(&self) -> Vec<String> {
        PgStore::connect(&self.url).unwrap().check().unwrap()
    }
    fn backend(&self) -> Backend {
        Backend::Postgres(self.url.clone())
    }
    fn migrate_to(&self, version: u32) {
        let mut c = self.raw();
        for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
            c.batch_execute(m.postgres).unwrap();
            c.execute(
                "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)",
                &[&(m.version as i32), &m.description],
            )
            .unwrap();
        }
    }
}

pub fn first_event() -> Event {
    Event::new(
        "JPN",
        d("2025-04-10"),
        EventKind::Opened,
        None,
        "talks requested",
    )
}

/// The database with talk JPN, proposal 1, its score and two events.
pub fn seeded(db: &dyn TestDb) -> BoxStore {
    let mut s = db.store();
    s.commit(&[
        Change::InsertNegotiation(talk()),
        Change::InsertProposal(proposal(1)),
        Change::PutScore(ScoreRecord {
            negotiation: "JPN".into(),
            proposal: 1,
            proposal_version: 1,
            scored_on: d("2025-04-20"),
            score: score(),
        }),
        Change::AppendEvent(first_event()),
        Change::AppendEvent(Event::new(
            "JPN",
            d("2025-04-20"),
            EventKind::Proposed,
            Some(1),
            "offer",
        )),
    ])
    .unwrap();
    s
}

/// Runs each named behaviour test (a function of a [`TestDb`] in the calling file) against both
/// backends: `sqlite::NAME` (a temporary file, always) and `postgres::NAME` (`#[ignore]`d: it needs
/// `RECIPROCITY_TEST_DATABASE_URL`, see `scripts/ci-postgres.sh`).
// Not every test file runs a suite (`backends.rs` does not).
#[allow(unused_macros)]
macro_rules! backend_suites {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name(&super::common::sqlite_db());
                }
            )+
        }
        mod postgres {
            $(
                #[test]
                #[ignore = "needs PostgreSQL: set RECIPROCITY_TEST_DATABASE_URL"]
                fn $name() {
                    super::$name(&super::common::pg_db());
                }
            )+
        }
    };
}
#[allow(unused_imports)]
pub(crate) use backend_suites;
