//! Tests of one backend's own mechanics (WAL, file mode, foreign files, the pool's bound, dead
//! connections) and of the two backends' migrations against each other.

mod common;

use reciprocity_negotiation::{Extension, Proposal, Side};
use reciprocity_store::migrate::{MIGRATIONS, SCHEMA_VERSION};
use reciprocity_store::{
    ApiUser, Backend, Change, PgStore, SqliteStore, Store, StoreError, StorePool,
};
use std::time::{Duration, Instant};

use common::*;

#[test]
fn sqlite_the_database_is_wal() {
    let db = sqlite_db();
    drop(db.store());
    let mode: String = db
        .raw()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(db.query_i64("PRAGMA user_version"), SCHEMA_VERSION as i64);
}

/// Issue 15: the database and its WAL are readable by their owner only (they were 0644).
#[cfg(unix)]
#[test]
fn sqlite_a_new_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talks.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .commit(&[
            Change::InsertNegotiation(talk()),
            Change::AppendEvent(first_event()),
        ])
        .unwrap();
    for file in ["talks.db", "talks.db-wal"] {
        let mode = std::fs::metadata(dir.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}: {mode:o}");
    }
}

#[test]
fn sqlite_a_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        "this is not a database, just text long enough to have a header....................",
    )
    .unwrap();
    let err = SqliteStore::open(&junk).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: ", junk.display())),
        "{err}"
    );
    // The file the user named is not a database: theirs to fix (exit code 2), not the machine's.
    assert!(err.is_user_error());
}

#[test]
fn sqlite_the_file_holds_no_raw_token() {
    let db = sqlite_db();
    let mut store = db.store();
    let user = ApiUser {
        name: "alice".into(),
        role: "admin".into(),
        created: "2026-11-28T00:00:00Z".into(),
    };
    store.add_user(&user, &"ab".repeat(32)).unwrap();
    assert!(store.add_user(&user, "raw-token").is_err());
    drop(store);
    let raw = std::fs::read(&db.path).unwrap();
    assert!(raw.windows(9).all(|w| w != b"raw-token"));
}

// ---------------------------------------------------------------- PostgreSQL only

#[test]
fn postgres_an_unreachable_server_is_an_open_error_without_the_password() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let err = PgStore::connect("postgres://alice:s3cret@127.0.0.1:1/talks?connect_timeout=5")
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Open { .. }), "{text}");
    assert!(!err.is_user_error());
    assert!(
        text.starts_with("postgres://alice:***@127.0.0.1:1/talks"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
    let err = PgStore::connect("postgres://a:b@127.0.0.1:1/x?sslmode=bogus").unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert_eq!(
        Backend::Postgres("postgres://u:pw@db.example/talks".into()).to_string(),
        "postgres://u:***@db.example/talks"
    );
    assert_eq!(
        Backend::Postgres("host=db user=u password=pw".into()).to_string(),
        "host=db user=u password=***"
    );
}

#[test]
#[ignore = "needs PostgreSQL: set RECIPROCITY_TEST_DATABASE_URL"]
fn postgres_the_pool_is_bounded_reuses_connections_and_times_out() {
    let db = pg_db();
    // An application name of its own: the server's count below sees this pool's connections only.
    let app = format!("pool_{}", db.schema);
    let url = format!("{}&application_name={app}", db.url);
    let pool = StorePool::open(&Backend::Postgres(url), 2)
        .unwrap()
        .with_wait(Duration::from_millis(300));
    assert_eq!(pool.open_connections(), 1);
    let a = pool.get().unwrap();
    let b = pool.get().unwrap();
    assert_eq!(pool.open_connections(), 2);
    let before = Instant::now();
    let err = pool.get().unwrap_err();
    let waited = before.elapsed();
    assert!(
        matches!(
            err,
            StoreError::PoolTimeout {
                max: 2,
                waited_ms: 300
            }
        ),
        "{err}"
    );
    assert!(!err.is_user_error());
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    // A waiting get is served as soon as a store comes back, long before its deadline.
    let pool_long = pool.clone().with_wait(Duration::from_secs(20));
    let served = std::thread::scope(|scope| {
        let waiter = scope.spawn(|| {
            let start = Instant::now();
            let s = pool_long.get().unwrap();
            assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
            start.elapsed()
        });
        std::thread::sleep(Duration::from_millis(200));
        drop(a);
        waiter.join().unwrap()
    });
    assert!(
        served >= Duration::from_millis(150) && served < Duration::from_secs(10),
        "{served:?}"
    );
    // Still two connections: the returned one was reused, not a third opened.
    assert_eq!(pool.open_connections(), 2);
    drop(b);
    for _ in 0..5 {
        assert!(pool.get().unwrap().negotiations().unwrap().is_empty());
    }
    // The server sees exactly the pool's two connections, after seven gets.
    let mut admin = ::postgres::Client::connect(&db.url, ::postgres::NoTls).unwrap();
    let on_server: i64 = admin
        .query_one(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1",
            &[&app],
        )
        .unwrap()
        .get(0);
    assert_eq!(on_server, 2);
}

#[test]
#[ignore = "needs PostgreSQL: set RECIPROCITY_TEST_DATABASE_URL"]
fn postgres_a_dead_connection_is_replaced() {
    let db = pg_db();
    let app = format!("dead_{}", db.schema);
    let url = format!("{}&application_name={app}", db.url);
    let pool = StorePool::open(&Backend::Postgres(url), 1).unwrap();
    let s = pool.get().unwrap();
    let mut admin = ::postgres::Client::connect(&db.url, ::postgres::NoTls).unwrap();
    // The server ends the pool's connection (as a restart or an administrator would).
    let killed: i64 = admin
        .query_one(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1) t",
            &[&app],
        )
        .unwrap()
        .get(0);
    assert_eq!(killed, 1);
    // The first use fails (the server hung up), and the store is not given out again.
    let err = s.negotiations().unwrap_err();
    assert!(!err.is_user_error(), "{err}");
    drop(s);
    let again = pool.get().unwrap();
    assert!(again.negotiations().unwrap().is_empty());
    assert_eq!(pool.open_connections(), 1);
    drop(again);
    // An idle connection that died (a server restart) is found by the ping before it is lent:
    // the request gets a fresh connection, not an error.
    let pool = pool.with_idle_ping(Duration::ZERO);
    let killed: i64 = admin
        .query_one(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1) t",
            &[&app],
        )
        .unwrap()
        .get(0);
    assert_eq!(killed, 1);
    let fresh = pool.get().unwrap();
    assert!(fresh.negotiations().unwrap().is_empty());
    assert_eq!(pool.open_connections(), 1);
}

// ---------------------------------------------------------------- migrations, no database

/// The CREATE TABLE / INDEX / TRIGGER names of a migration's SQL, in order.
fn created_names(sql: &str) -> Vec<String> {
    let words: Vec<&str> = sql.split_whitespace().collect();
    words
        .windows(3)
        .filter(|w| w[0] == "CREATE" && matches!(w[1], "TABLE" | "INDEX" | "TRIGGER"))
        .map(|w| format!("{} {}", w[1], w[2]))
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    assert_eq!(
        MIGRATIONS.iter().map(|m| m.version).collect::<Vec<_>>(),
        (1..=SCHEMA_VERSION).collect::<Vec<_>>()
    );
    for m in MIGRATIONS {
        let sqlite = created_names(m.sqlite);
        let postgres: Vec<String> = created_names(m.postgres)
            .into_iter()
            // PostgreSQL refuses TRUNCATE too, with a trigger SQLite has no equivalent of.
            .filter(|n| n != "TRIGGER events_append_only_truncate")
            .collect();
        assert!(!sqlite.is_empty(), "migration {}", m.version);
        assert_eq!(
            sqlite, postgres,
            "migration {}: {}",
            m.version, m.description
        );
        // Each table has the same columns in the same order.
        for table in sqlite.iter().filter_map(|n| n.strip_prefix("TABLE ")) {
            assert_eq!(
                columns(m.sqlite, table),
                columns(m.postgres, table),
                "table {table}"
            );
        }
    }
}

/// The column names of `CREATE TABLE name ( ... );` (first word of each line that is not a key).
fn columns(sql: &str, table: &str) -> Vec<String> {
    let start = sql.find(&format!("CREATE TABLE {table} (")).unwrap();
    let body = &sql[start..];
    let body = &body[body.find('(').unwrap() + 1..body.find("\n);").unwrap()];
    body.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !matches!(*w, "PRIMARY" | "FOREIGN" | "--"))
        .map(str::to_string)
        .collect()
}

/// FNV-1a, 64 bits: enough to notice an edit.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn released_sqlite_migrations_are_never_edited() {
    // Databases in the field were created from these bytes: a change must be a new migration.
    let pinned = [
        (1, 0x1327_463f_aacf_c834_u64),
        (2, 0x1322_d741_e39b_aef9),
        (3, 0x2b5a_f254_8d80_ea94),
    ];
    for (version, hash) in pinned {
        let m = &MIGRATIONS[version - 1];
        assert_eq!(
            fnv(m.sqlite),
            hash,
            "migration {version} was edited: {:#018x}",
            fnv(m.sqlite)
        );
    }
}

#[test]
fn errors_of_the_machine_are_not_user_errors() {
    let timeout = StoreError::PoolTimeout {
        max: 4,
        waited_ms: 30_000,
    };
    assert!(!timeout.is_user_error());
    assert_eq!(
        timeout.to_string(),
        "the database is busy: all 4 connections stayed in use for 30000 ms; retry, or raise the pool size"
    );
    assert!(StoreError::NotFound("talk X".into()).is_user_error());
}

#[test]
#[ignore = "needs PostgreSQL: set RECIPROCITY_TEST_DATABASE_URL"]
fn postgres_a_sqlite_export_imports_unchanged_and_back() {
    // The two backends hold the same things: a store moves between them through its export.
    let lite = sqlite_db();
    let mut s = seeded(&lite);
    let mut n = s.negotiation("JPN").unwrap().unwrap();
    n.pause.extensions.push(Extension {
        announced: d("2025-07-07"),
        new_end: d("2025-08-01"),
    });
    s.commit(&[
        Change::UpdateNegotiation(n),
        Change::InsertProposal(Proposal {
            counter_to: Some(1),
            side: Side::Us,
            ..proposal(2)
        }),
    ])
    .unwrap();
    let snap = s.export().unwrap();
    let pg = pg_db();
    let mut p = pg.store();
    p.import(&snap).unwrap();
    assert_eq!(p.export().unwrap(), snap);
    let back = sqlite_db();
    back.store().import(&p.export().unwrap()).unwrap();
    assert_eq!(back.store().export().unwrap(), snap);
}

#[test]
fn the_pool_can_be_shared_between_threads() {
    fn shared<T: Clone + Send + Sync + 'static>() {}
    fn sendable<T: Send + 'static>() {}
    shared::<StorePool>();
    sendable::<reciprocity_store::PooledStore>();
    sendable::<PgStore>();
    sendable::<SqliteStore>();
}
