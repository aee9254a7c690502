//! The record's hardening (issue 15), on both backends: per-talk event numbers (item 7), pages
//! of proposals and events (item 6), and the invariant that what cannot be read back is never
//! written (item 1).
//!
//! As in `tests/store.rs`, each behaviour is a function of a [`Db`], run by `suite!` as
//! `sqlite::NAME` (always) and `postgres::NAME` (`#[ignore]`d: `eval "$(scripts/ci-postgres.sh)"`,
//! then `cargo test -p reciprocity-store -- --ignored postgres`).

use chrono::NaiveDate;
use reciprocity_negotiation::{
    Event, EventKind, Negotiation, PauseWindow, Proposal, ProposalStatus, Scope, Side, State,
    TariffLine, Terms,
};
use reciprocity_store::migrate::MIGRATIONS;
use reciprocity_store::{dto, Change, PgStore, SqliteStore, Store, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn talk(id: &str) -> Negotiation {
    let mut n = Negotiation::new(
        id,
        id,
        PauseWindow::days(d("2025-04-09"), 90),
        d("2025-04-10"),
    );
    n.state = State::InTalks;
    n
}

fn event(talk: &str, detail: &str) -> Event {
    Event::new(talk, d("2025-04-10"), EventKind::Proposed, None, detail)
}

fn proposal(talk: &str, number: u32, rate_pct: f64) -> Proposal {
    Proposal {
        negotiation: talk.into(),
        number,
        side: Side::Partner,
        counter_to: None,
        status: ProposalStatus::Open,
        terms: Terms {
            tariff_lines: vec![TariffLine {
                levied_by: Side::Us,
                scope: Scope::All,
                rate_pct,
            }],
            ..Terms::default()
        },
        tabled: d("2025-04-20"),
        version: 0,
    }
}

type BoxStore = Box<dyn Store + Send>;

/// A fresh, empty database of one backend.
trait Db {
    /// A store on it (migrating it to the current schema).
    fn store(&self) -> BoxStore;
    /// SQL past the store.
    fn execute(&self, sql: &str);
    /// Bring the empty database to schema `version` only, with that build's SQL.
    fn migrate_to(&self, version: u32);
    /// Another fresh database of the same backend.
    fn fresh(&self) -> Box<dyn Db>;
}

struct Lite {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn sqlite_db() -> Lite {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.db");
    Lite { _dir: dir, path }
}

impl Db for Lite {
    fn fresh(&self) -> Box<dyn Db> {
        Box::new(sqlite_db())
    }
    fn store(&self) -> BoxStore {
        Box::new(SqliteStore::open(&self.path).unwrap())
    }
    fn execute(&self, sql: &str) {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        c.execute_batch(sql).unwrap();
    }
    fn migrate_to(&self, version: u32) {
        let c = rusqlite::Connection::open(&self.path).unwrap();
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

struct Pg {
    admin_url: String,
    url: String,
    schema: String,
}

fn pg_db() -> Pg {
    let admin_url = std::env::var("RECIPROCITY_TEST_DATABASE_URL")
        .expect("RECIPROCITY_TEST_DATABASE_URL: run `eval \"$(scripts/ci-postgres.sh)\"` first");
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let schema = format!("r_{}_{nanos}_{n}", std::process::id());
    let mut admin = ::postgres::Client::connect(&admin_url, ::postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
    Pg {
        admin_url,
        url,
        schema,
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        if let Ok(mut admin) = ::postgres::Client::connect(&self.admin_url, ::postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema));
        }
    }
}

impl Db for Pg {
    fn fresh(&self) -> Box<dyn Db> {
        Box::new(pg_db())
    }
    fn store(&self) -> BoxStore {
        Box::new(PgStore::connect(&self.url).unwrap())
    }
    fn execute(&self, sql: &str) {
        let mut c = ::postgres::Client::connect(&self.url, ::postgres::NoTls).unwrap();
        c.batch_execute(sql).unwrap();
    }
    fn migrate_to(&self, version: u32) {
        let mut c = ::postgres::Client::connect(&self.url, ::postgres::NoTls).unwrap();
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

macro_rules! suite {
    ($make:path; $($attr:tt)*) => {
        suite!(@each $make; [$($attr)*];
            each_talk_log_is_numbered_without_gaps,
            the_migration_numbers_existing_events_and_keeps_the_log_append_only,
            an_import_numbers_old_exports_and_refuses_a_gap,
        );
    };
    (@each $make:path; $attrs:tt; $($name:ident),+ $(,)?) => {
        $( suite!(@one $make; $attrs; $name); )+
    };
    (@one $make:path; [$($attr:tt)*]; $name:ident) => {
        #[test]
        $($attr)*
        fn $name() {
            super::$name(&$make());
        }
    };
}

mod sqlite {
    suite!(super::sqlite_db;);
}

mod postgres {
    suite!(super::pg_db; #[ignore = "needs PostgreSQL: set RECIPROCITY_TEST_DATABASE_URL"]);
}

fn numbers(s: &dyn Store, talk: &str) -> Vec<u64> {
    s.events(Some(talk))
        .unwrap()
        .iter()
        .map(|e| e.number)
        .collect()
}

// ---------------------------------------------------------------- item 7: per-talk numbers

fn each_talk_log_is_numbered_without_gaps(db: &dyn Db) {
    let mut s = db.store();
    s.commit(&[
        Change::InsertNegotiation(talk("JPN")),
        Change::InsertNegotiation(talk("KOR")),
        Change::AppendEvent(event("JPN", "j1")),
        Change::AppendEvent(event("KOR", "k1")),
    ])
    .unwrap();
    // Interleaved commits, one of them with two events of one talk.
    for (t, detail) in [("JPN", "j2"), ("KOR", "k2"), ("JPN", "j3")] {
        let c = s.commit(&[Change::AppendEvent(event(t, detail))]).unwrap();
        assert_eq!(c.event_numbers.len(), 1);
    }
    let c = s
        .commit(&[
            Change::AppendEvent(event("KOR", "k3")),
            Change::AppendEvent(event("KOR", "k4")),
            Change::AppendEvent(event("JPN", "j4")),
        ])
        .unwrap();
    assert_eq!(c.event_numbers, [3, 4, 4]);
    assert_eq!(numbers(&*s, "JPN"), [1, 2, 3, 4]);
    assert_eq!(numbers(&*s, "KOR"), [1, 2, 3, 4]);
    // The global log keeps its order; each event carries its talk's number.
    let all = s.events(None).unwrap();
    let seqs: Vec<u64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
    let j: Vec<&str> = all
        .iter()
        .filter(|e| e.negotiation == "JPN")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(j, ["j1", "j2", "j3", "j4"]);
}

fn the_migration_numbers_existing_events_and_keeps_the_log_append_only(db: &dyn Db) {
    db.migrate_to(3);
    db.execute(
        "INSERT INTO negotiations (id, partner, partner_name, state, pause_start, original_end, opened, version)
         VALUES ('JPN', 'JPN', 'Japan', 'in_talks', '2025-04-09', '2025-07-08', '2025-04-09', 1);
         INSERT INTO events (seq, negotiation, date, kind, proposal, detail) VALUES
           (1, 'JPN', '2025-04-09', 'opened', NULL, 'a'),
           (2, 'KOR', '2025-04-09', 'opened', NULL, 'b'),
           (3, 'KOR', '2025-04-10', 'proposed', 1, 'c'),
           (4, 'JPN', '2025-04-10', 'proposed', 1, 'd'),
           (5, 'KOR', '2025-04-11', 'rejected', 1, 'e');",
    );
    let mut s = db.store();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as u32);
    assert_eq!(numbers(&*s, "JPN"), [1, 2]);
    assert_eq!(numbers(&*s, "KOR"), [1, 2, 3]);
    // New events continue each talk's numbering and the global one.
    let c = s
        .commit(&[Change::AppendEvent(event("KOR", "f"))])
        .unwrap();
    assert_eq!((c.event_seqs.clone(), c.event_numbers.clone()), (vec![6], vec![4]));
    // The trigger lifted for the back-fill is back.
    for sql in [
        "UPDATE events SET number = 9 WHERE seq = 1",
        "DELETE FROM events WHERE seq = 1",
    ] {
        let db_result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| db.execute(sql)));
        assert!(db_result.is_err(), "{sql} was allowed");
    }
    assert_eq!(numbers(&*s, "JPN"), [1, 2]);
}

fn an_import_numbers_old_exports_and_refuses_a_gap(db: &dyn Db) {
    let mut src = db.store();
    src.commit(&[
        Change::InsertNegotiation(talk("JPN")),
        Change::InsertNegotiation(talk("KOR")),
        Change::AppendEvent(event("JPN", "j1")),
        Change::AppendEvent(event("KOR", "k1")),
        Change::AppendEvent(event("JPN", "j2")),
    ])
    .unwrap();
    let snap = src.export().unwrap();
    assert_eq!(snap.export_version, dto::EXPORT_VERSION);
    let got: Vec<u64> = snap.events.iter().map(|e| e.number).collect();
    assert_eq!(got, [1, 1, 2]);
    drop(src);

    // A version 1 export has no numbers: they are assigned on the way in.
    let mut old = snap.clone();
    old.export_version = 1;
    for e in &mut old.events {
        e.number = 0;
    }
    let text = serde_json::to_string(&old).unwrap().replace(",\"number\":0", "");
    assert!(!text.contains("\"number\""));
    let old: dto::Snapshot = serde_json::from_str(&text).unwrap();
    let target = db.fresh();
    let mut t = target.store();
    t.import(&old).unwrap();
    assert_eq!(numbers(&*t, "JPN"), [1, 2]);
    assert_eq!(t.export().unwrap(), snap);

    // A number that leaves a gap (or repeats) is refused, naming the field; nothing is written.
    let mut gap = snap.clone();
    gap.events[2].number = 3;
    let fresh = db.fresh();
    let mut f = fresh.store();
    let e = f.import(&gap).unwrap_err();
    assert!(matches!(e, StoreError::Import(_)), "{e}");
    assert!(e.to_string().contains("number: expected 2"), "{e}");
    assert!(f.negotiations().unwrap().is_empty());
}
