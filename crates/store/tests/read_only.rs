//! Issue 15, item 8: reading never writes. A file that is not a Reciprocity database is refused
//! before anything is written to it; a read-only open never creates the file or its folder.
//! SQLite only: PostgreSQL has no files to create.

mod common;

use std::path::Path;

use reciprocity_store::migrate::SCHEMA_VERSION;
use reciprocity_store::{Change, SqliteStore, Store, StoreError};

use common::*;

/// Every entry of a folder with its bytes: what "nothing was written" compares.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

/// Before: `open` switched the file to WAL and added the 11 tables of the schema to it.
#[test]
fn another_programs_sqlite_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = snapshot(dir.path());
    for (how, err) in [
        ("open", SqliteStore::open(&other).unwrap_err()),
        (
            "read-only",
            SqliteStore::open_read_only(&other).unwrap_err(),
        ),
    ] {
        let text = err.to_string();
        assert!(matches!(err, StoreError::Foreign { .. }), "{how}: {text}");
        assert!(err.is_user_error(), "{how}");
        assert!(
            text.starts_with(&format!("{}: not a Reciprocity", other.display())),
            "{how}: {text}"
        );
        assert!(text.contains("notes"), "{how}: {text}");
        assert_eq!(snapshot(dir.path()), before, "{how} wrote to the folder");
    }
    // A schema version without the marker table is not ours either.
    rusqlite::Connection::open(&other)
        .unwrap()
        .pragma_update(None, "user_version", 3)
        .unwrap();
    let before = snapshot(dir.path());
    let err = SqliteStore::open(&other).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_as_the_users_error() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "text, long enough to have a header ".repeat(8)).unwrap();
    let before = snapshot(dir.path());
    for err in [
        SqliteStore::open(&junk).unwrap_err(),
        SqliteStore::open_read_only(&junk).unwrap_err(),
    ] {
        assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
        assert!(err.to_string().contains("not an SQLite database"), "{err}");
    }
    assert_eq!(snapshot(dir.path()), before);
}

/// Before: `--db /nope/x.db` created `/nope`, and a read of a missing file created it.
#[test]
fn reading_never_creates_the_file_or_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope/x.db");
    let err = SqliteStore::open_read_only(&missing).unwrap_err();
    assert!(
        matches!(&err, StoreError::NoDatabase { why, .. } if why == "no such file"),
        "{err}"
    );
    assert!(err.is_user_error());
    assert!(
        err.to_string()
            .starts_with(&format!("{}: no negotiation database", missing.display())),
        "{err}"
    );
    assert!(!dir.path().join("nope").exists());
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let err = SqliteStore::open_read_only(&empty).unwrap_err();
    assert!(
        matches!(&err, StoreError::NoDatabase { why, .. } if why == "an empty file"),
        "{err}"
    );
    assert_eq!(std::fs::read(&empty).unwrap().len(), 0);
    assert_eq!(snapshot(dir.path()).len(), 1, "{:?}", snapshot(dir.path()));
}

#[test]
fn a_read_only_store_reads_the_record_and_refuses_writes() {
    let db = sqlite_db();
    {
        let mut s = SqliteStore::open(&db.path).unwrap();
        s.commit(&[
            Change::InsertNegotiation(talk()),
            Change::AppendEvent(first_event()),
        ])
        .unwrap();
    }
    let mut s = SqliteStore::open_read_only(&db.path).unwrap();
    let read: Vec<String> = s
        .negotiations()
        .unwrap()
        .into_iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(read, vec![talk().id]);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let mut other = talk();
    other.id = "KOR".into();
    other.partner = "KOR".into();
    assert!(s.commit(&[Change::InsertNegotiation(other)]).is_err());
    drop(s);
    assert_eq!(
        SqliteStore::open(&db.path)
            .unwrap()
            .negotiations()
            .unwrap()
            .len(),
        1
    );
    // A newer schema is refused by both opens.
    db.set_schema_version(SCHEMA_VERSION + 1);
    for err in [
        SqliteStore::open_read_only(&db.path).unwrap_err(),
        SqliteStore::open(&db.path).unwrap_err(),
    ] {
        assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
    }
}

#[test]
fn a_read_of_an_older_reciprocity_database_brings_its_schema_up_to_date() {
    let db = sqlite_db();
    db.migrate_to(3);
    let s = SqliteStore::open_read_only(&db.path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(s.negotiations().unwrap().is_empty());
}
