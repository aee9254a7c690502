//! Issue 15, item 8: the commands that only read (`negotiate status`, `log`, `export`,
//! `users list`, the report's board) open the database read-only: a missing database is a clear
//! error naming it and is never created, nor its folder; another program's SQLite file is refused
//! by every command without a byte written to it.

mod common;

use std::path::Path;

fn run(args: &[&str], db: &Path) -> (i32, String, String) {
    common::run_on(db, args)
}

const READS: [&[&str]; 6] = [
    &["negotiate", "status"],
    &["negotiate", "status", "JPN"],
    &["negotiate", "log"],
    &["negotiate", "export"],
    &["negotiate", "export", "--format", "csv"],
    &["users", "list"],
];

/// Every entry under a folder, with its bytes.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Before: each of these created `nope/` and an empty, migrated `x.db` in it (and `status`
/// printed an empty board).
#[test]
fn a_read_of_a_missing_database_creates_nothing_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    for db in [dir.path().join("nope/x.db"), dir.path().join("x.db")] {
        for args in READS {
            let (code, out, err) = run(args, &db);
            assert_eq!(code, 2, "{args:?}: {out} {err}");
            assert!(
                err.contains(&format!("{}: no negotiation database here", db.display())),
                "{args:?}: {err}"
            );
            assert!(out.is_empty(), "{args:?}: {out}");
            assert!(listing(dir.path()).is_empty(), "{args:?} created a file");
        }
    }
}

/// Before: `negotiate status --db other.db` switched the file to WAL and added 11 tables to it.
#[test]
fn another_programs_sqlite_file_is_refused_by_every_command_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = listing(dir.path());
    let writes: [&[&str]; 2] = [
        &["negotiate", "open", "JPN", "--date", "2025-04-10"],
        &["users", "add", "lead", "--role", "admin"],
    ];
    for args in READS.iter().chain(writes.iter()) {
        let (code, out, err) = run(args, &other);
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        assert!(
            err.contains(&format!(
                "{}: not a Reciprocity negotiation database",
                other.display()
            )),
            "{args:?}: {err}"
        );
        assert!(!out.contains("rcp_"), "{args:?}: {out}");
        assert_eq!(listing(dir.path()), before, "{args:?} wrote to the folder");
    }
}

/// The reads still read: the database file itself is not written.
#[test]
fn a_read_leaves_the_database_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("talks.db");
    let (code, _, err) = run(&["negotiate", "open", "JPN", "--date", "2025-04-10"], &db);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["users", "add", "lead", "--role", "admin"], &db);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&db).unwrap();
    for args in READS {
        let (code, out, err) = run(args, &db);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.is_empty(), "{args:?}");
        assert!(
            std::fs::read(&db).unwrap() == bytes,
            "{args:?} wrote to the file"
        );
    }
    let (_, out, _) = run(&["users", "list"], &db);
    assert!(out.contains("lead"), "{out}");
}
