//! Issue 15, item 11: `negotiate import` checks references and bounds, names the item at fault,
//! and a failed import leaves nothing behind (before: a counter to a missing proposal, events of
//! talks not in the file and a quota of 1e300 × 1e300 were imported, and a refused file left a
//! migrated, empty database).

mod common;

use std::path::Path;

use serde_json::Value;

fn negotiate(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::negotiate_on(db, args)
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = negotiate(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// An export with one talk, a proposal, a counter with a quota, and their events.
fn export(dir: &Path) -> Value {
    let db = dir.join("source.db");
    ok(&db, &["open", "JPN", "--date", "2025-04-10"]);
    ok(
        &db,
        &[
            "propose",
            "JPN",
            "--side",
            "partner",
            "--no-score",
            "--tariff",
            "by=USA,sector=all,rate=10",
            "--date",
            "2025-04-20",
        ],
    );
    ok(
        &db,
        &[
            "counter",
            "JPN",
            "--to",
            "1",
            "--no-score",
            "--tariff",
            "by=USA,sector=all,rate=15",
            "--quota",
            "by=USA,hs=87,volume=100000,unit_value=40000,in=2.5,out=25",
            "--date",
            "2025-05-01",
        ],
    );
    serde_json::from_str(&ok(&db, &["export"])).unwrap()
}

/// Import `doc` into `target`: it must fail with exit code 2 naming `item`, and leave nothing.
fn refused(dir: &Path, doc: &Value, item: &str) {
    let file = dir.join("bad.json");
    std::fs::write(&file, serde_json::to_string(doc).unwrap()).unwrap();
    let target = dir.join("new/sub/talks.db");
    let (code, out, err) = negotiate(&target, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{item}: {out} {err}");
    assert!(err.contains(item), "expected {item:?} in {err}");
    assert!(
        !dir.join("new").exists(),
        "{item}: the import left files behind"
    );
}

#[test]
fn an_import_checks_references_and_bounds_and_names_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let good = export(dir.path());
    // The export itself imports.
    let copy = dir.path().join("good.json");
    std::fs::write(&copy, serde_json::to_string(&good).unwrap()).unwrap();
    ok(
        &dir.path().join("copy.db"),
        &["import", copy.to_str().unwrap()],
    );

    let mut doc = good.clone();
    doc["negotiations"][0]["proposals"][1]["counter_to"] = 7.into();
    refused(dir.path(), &doc, "negotiations[0].proposals[1]: counter_to");

    let mut doc = good.clone();
    let events = doc["events"].as_array_mut().unwrap();
    events[1]["negotiation"] = "KOR".into();
    refused(dir.path(), &doc, "events[1]: negotiation");

    let mut doc = good.clone();
    doc["events"][1]["proposal"] = 9.into();
    refused(dir.path(), &doc, "events[1]: proposal");

    let mut doc = good.clone();
    let quota = &mut doc["negotiations"][0]["proposals"][1]["quotas"][0];
    quota["volume"] = 1e300.into();
    quota["unit_value_usd"] = 1e300.into();
    refused(
        dir.path(),
        &doc,
        "negotiations[0].proposals[1].quotas[0]: volume",
    );

    let mut doc = good.clone();
    let quota = &mut doc["negotiations"][0]["proposals"][1]["quotas"][0];
    quota["volume"] = 1e9.into();
    quota["unit_value_usd"] = 1e9.into();
    refused(dir.path(), &doc, "worth at most");
}

/// A file every check passes but the store refuses (a gap in a talk's log, found when the events
/// are written): the database created for it is removed again, with its folders.
#[test]
fn a_failed_import_removes_the_database_it_created() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = export(dir.path());
    doc["events"][1]["number"] = 5.into();
    refused(dir.path(), &doc, "number");
    // An existing database is left as it was.
    let existing = dir.path().join("source.db");
    let file = dir.path().join("bad.json");
    let (code, _, err) = negotiate(&existing, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(existing.exists());
}
