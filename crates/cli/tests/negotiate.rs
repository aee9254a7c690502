//! `reciprocity negotiate`: the store through the CLI, scoring, bad input (each refused with its
//! reason and nothing written), optimistic versioning across processes, a process killed while
//! writing, and the simulated round.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use reciprocity_store::{SqliteStore, Store};

fn bin() -> Command {
    common::clean_bin()
}

/// `negotiate --db DB ARGS`.
fn run_db(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::negotiate_on(db, args)
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = run_db(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(db, &a)).expect("json")
}

/// The store as JSON (the export), to check that a refused command wrote nothing.
fn snapshot(db: &Path) -> String {
    ok(db, &["export"])
}

/// A refused command: exit code 2, the reason on stderr, the store unchanged.
fn refused(db: &Path, args: &[&str], reason: &str) {
    let before = snapshot(db);
    let (code, out, err) = run_db(db, args);
    assert_eq!(
        code, 2,
        "{args:?} should be refused; stdout {out} stderr {err}"
    );
    assert!(
        err.contains(reason),
        "{args:?}: expected {reason:?} in {err:?}"
    );
    assert!(out.is_empty(), "{args:?} printed {out}");
    assert_eq!(snapshot(db), before, "{args:?} changed the store");
}

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("talks.db");
    (dir, db)
}

#[test]
// Long: one talk's life read top to bottom (open, propose, counter, accept, log, export and import); each step needs the store the previous one left.
fn a_talk_from_opening_to_framework() {
    let (_dir, db) = tmp();
    let opened = json(&db, &["open", "JPN", "--date", "2025-04-10"]);
    assert_eq!(opened["state"], "requested");
    assert_eq!(opened["snap_back_on"], "2025-07-09");
    assert_eq!(opened["days_left"], 90);
    // Japan offers: the US at 10%, Japan's tariff on US goods to 0.
    let p1 = json(
        &db,
        &[
            "propose",
            "JPN",
            "--side",
            "partner",
            "--tariff",
            "by=USA,sector=all,rate=10",
            "--tariff",
            "by=JPN,sector=all,rate=0",
            "--date",
            "2025-04-20",
        ],
    );
    assert_eq!(p1["proposal"], 1);
    let s1 = &p1["score"];
    // No deal is the Annex I 24% (policy timeline); the deal rate is 10%.
    assert!(
        (s1["us_rate_no_deal_pct"].as_f64().unwrap() - 24.0).abs() < 1e-9,
        "{s1}"
    );
    assert!((s1["us_rate_deal_pct"].as_f64().unwrap() - 10.0).abs() < 1e-9);
    assert!(s1["partner_rate_deal_pct"].as_f64().unwrap().abs() < 1e-12);
    // A lower US tariff helps Japan; US imports from Japan rise.
    assert!(s1["partner_welfare_pct"].as_f64().unwrap() > 0.0, "{s1}");
    let sector = &s1["sectors"][0];
    assert!(sector["us_imports_deal_usd"].as_f64() > sector["us_imports_no_deal_usd"].as_f64());
    assert!(p1["scoring_ms"].as_f64().unwrap() > 0.0);
    // The US counters with 15% and an auto quota.
    let p2 = json(
        &db,
        &[
            "counter",
            "JPN",
            "--to",
            "1",
            "--tariff",
            "by=USA,sector=all,rate=15",
            "--tariff",
            "by=JPN,sector=all,rate=0",
            "--quota",
            "by=USA,hs=87,volume=100000,unit_value=40000,in=2.5,out=25",
            "--date",
            "2025-05-01",
        ],
    );
    assert_eq!(
        (
            p2["proposal"].as_u64(),
            p2["side"].as_str(),
            p2["counter_to"].as_u64()
        ),
        (Some(2), Some("us"), Some(1))
    );
    let quota = &p2["score"]["constraints"][0];
    assert_eq!(quota["term"], "quota 1");
    let r = quota["rate_pct"].as_f64().unwrap();
    assert!((2.5..=25.0).contains(&r), "{quota}");
    let board = json(&db, &["status", "--date", "2025-05-02"]);
    let row = &board[0];
    assert_eq!(
        (
            row["talk"].as_str(),
            row["state"].as_str(),
            row["days_left"].as_i64()
        ),
        (Some("JPN"), Some("in_talks"), Some(68))
    );
    assert_eq!(
        (row["proposals"].as_u64(), row["open"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(row["best"], 2);
    // Japan accepts the counter: a framework.
    let acc = json(
        &db,
        &["accept", "JPN", "--proposal", "2", "--date", "2025-05-08"],
    );
    assert_eq!(acc["state"], "framework");
    let talk = json(&db, &["status", "JPN", "--date", "2025-08-01"]);
    assert_eq!(
        talk["state"], "framework",
        "a framework survives the end of the pause"
    );
    let statuses: Vec<&str> = talk["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["countered", "accepted"]);
    // The accepted proposal keeps its score across its status change.
    let board = json(&db, &["status", "--date", "2025-05-09"]);
    assert_eq!(board[0]["best"], 2);
    assert!(board[0]["us_welfare_pct"].is_number());
    let log = json(&db, &["log", "JPN"]);
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "opened",
            "proposed",
            "scored",
            "countered",
            "scored",
            "accepted"
        ]
    );
    // Table and CSV render too.
    assert!(ok(&db, &["status", "--date", "2025-05-09"]).contains("JPN"));
    assert!(
        ok(&db, &["log", "--format", "csv"]).starts_with("number,date,talk,kind,proposal,detail\n")
    );
    // Export, import into a new store, export again: the same document.
    let exported = snapshot(&db);
    let file = db.with_file_name("export.json");
    std::fs::write(&file, &exported).unwrap();
    let copy = db.with_file_name("copy.db");
    let imported = json(&copy, &["import", file.to_str().unwrap()]);
    assert_eq!(
        (
            imported["talks"].as_u64(),
            imported["proposals"].as_u64(),
            imported["events"].as_u64()
        ),
        (Some(1), Some(2), Some(6))
    );
    assert_eq!(snapshot(&copy), exported);
    // Importing into a store that is not empty is refused.
    refused(
        &copy,
        &["import", file.to_str().unwrap()],
        "already holds 1 talk",
    );
}

/// Two talks for the refusal tests: VNM (a 20-day pause, proposal 1 unscored) and the EU.
fn two_talks() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = tmp();
    ok(
        &db,
        &["open", "VNM", "--date", "2025-04-10", "--days", "20"],
    );
    ok(&db, &["open", "EU", "--date", "2025-04-10"]);
    ok(
        &db,
        &[
            "propose",
            "VNM",
            "--side",
            "partner",
            "--tariff",
            "by=USA,sector=all,rate=10",
            "--no-score",
            "--date",
            "2025-04-12",
        ],
    );
    (dir, db)
}

#[test]
fn an_unknown_partner_sector_or_quota_rate_is_refused_and_nothing_is_written() {
    let (_dir, db) = two_talks();
    // An unknown partner, to open or in a term.
    refused(
        &db,
        &["open", "XYZ", "--date", "2025-04-10"],
        "unknown partner \"XYZ\"",
    );
    refused(
        &db,
        &["open", "JPN", "--date", "2025-04-10", "--end", "2025-04-01"],
        "--end: expected a day after the start",
    );
    refused(
        &db,
        &["open", "VNM", "--date", "2025-04-11"],
        "a talk with VNM already exists",
    );
    refused(
        &db,
        &[
            "propose",
            "EUU",
            "--side",
            "us",
            "--tariff",
            "by=KOR,sector=all,rate=10",
            "--no-score",
            "--date",
            "2025-04-12",
        ],
        "tariff line 1: by: unknown partner \"KOR\" for this talk: expected USA or EUU",
    );
    refused(
        &db,
        &[
            "propose",
            "KOR",
            "--side",
            "us",
            "--tariff",
            "by=USA,sector=all,rate=10",
            "--date",
            "2025-04-12",
        ],
        "no talk with KOR",
    );
    // An unknown sector.
    refused(
        &db,
        &[
            "propose",
            "EUU",
            "--side",
            "us",
            "--tariff",
            "by=USA,sector=autos,rate=10",
            "--date",
            "2025-04-12",
        ],
        "tariff line 1: sector: unknown sector \"autos\"",
    );
    // A quota without rates.
    refused(
        &db,
        &[
            "propose",
            "EUU",
            "--side",
            "us",
            "--quota",
            "by=USA,sector=all,volume=5bn,out=25",
            "--date",
            "2025-04-12",
        ],
        "quota 1: in: expected the in-quota rate in percent, found nothing",
    );
    refused(
        &db,
        &[
            "propose",
            "EUU",
            "--side",
            "us",
            "--quota",
            "by=USA,sector=all,volume=5bn",
            "--date",
            "2025-04-12",
        ],
        "quota 1: in: expected the in-quota rate",
    );
}

#[test]
fn an_action_the_state_refuses_writes_nothing() {
    let (_dir, db) = two_talks();
    // Accepting on an expired talk (VNM's 20-day pause ended on 2025-04-30).
    refused(
        &db,
        &["accept", "VNM", "--proposal", "1", "--date", "2025-05-02"],
        "cannot accept a proposal on a talk that is expired; its pause ended on 2025-04-30",
    );
    // A proposal that does not exist.
    refused(
        &db,
        &["accept", "VNM", "--proposal", "7", "--date", "2025-04-15"],
        "no proposal #7",
    );
    // Proposing on a closed talk.
    ok(
        &db,
        &[
            "propose",
            "EUU",
            "--side",
            "partner",
            "--tariff",
            "by=USA,sector=all,rate=10",
            "--no-score",
            "--date",
            "2025-04-13",
        ],
    );
    ok(
        &db,
        &[
            "reject",
            "EUU",
            "--proposal",
            "1",
            "--collapse",
            "--reason",
            "no movement",
            "--date",
            "2025-04-14",
        ],
    );
    refused(
        &db,
        &[
            "propose",
            "EUU",
            "--side",
            "us",
            "--tariff",
            "by=USA,sector=all,rate=15",
            "--no-score",
            "--date",
            "2025-04-15",
        ],
        "cannot propose on a talk that is collapsed",
    );
}

#[test]
fn bad_flags_and_a_broken_import_are_refused_with_the_place() {
    let (_dir, db) = two_talks();
    // Bad flags.
    refused(
        &db,
        &["propose", "EUU", "--side", "both", "--term", "x"],
        "--side: expected us or partner",
    );
    refused(&db, &["status", "--date", "2025-13-01"], "--date");
    // A broken import file names the line.
    let bad = db.with_file_name("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"format\": \"reciprocity-negotiations\",\n  \"export_version\": \"one\"\n}",
    )
    .unwrap();
    // Into a new database: refused, and the database is not created (issue 15, item 11).
    let other = db.with_file_name("other.db");
    let (code, out, err) = run_db(&other, &["import", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{out} {err}");
    assert!(err.contains("bad.json:3:"), "{err}");
    assert!(!other.exists());
}

#[test]
fn the_end_of_the_pause_is_recorded_by_the_next_write() {
    let (_dir, db) = tmp();
    ok(
        &db,
        &["open", "THA", "--date", "2025-04-10", "--days", "30"],
    );
    // Read-only: the board shows it expired, the store does not change.
    let board = json(&db, &["status", "--date", "2025-05-20"]);
    assert_eq!(
        (board[0]["state"].as_str(), board[0]["days_left"].as_i64()),
        (Some("expired"), Some(0))
    );
    assert!(!ok(&db, &["log"]).contains("expired"));
    // The next write records the expiry in the same transaction.
    ok(&db, &["open", "KHM", "--date", "2025-05-20"]);
    let log = json(&db, &["log", "THA"]);
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["kind"].as_str(), last["date"].as_str()),
        (Some("expired"), Some("2025-05-10"))
    );
}

#[test]
fn a_stale_version_loses_with_a_conflict() {
    let (_dir, db) = tmp();
    ok(&db, &["open", "KOR", "--date", "2025-04-10"]);
    ok(
        &db,
        &[
            "propose",
            "KOR",
            "--side",
            "partner",
            "--tariff",
            "by=USA,sector=all,rate=12",
            "--no-score",
            "--date",
            "2025-04-11",
        ],
    );
    let v = json(&db, &["status", "KOR", "--date", "2025-04-11"])["version"]
        .as_u64()
        .unwrap();
    assert_eq!(v, 2);
    // Two writers read version 2; the first amends, the second's accept (based on version 2) loses.
    ok(
        &db,
        &[
            "propose",
            "KOR",
            "--side",
            "partner",
            "--amend",
            "1",
            "--tariff",
            "by=USA,sector=all,rate=14",
            "--no-score",
            "--if-version",
            "2",
            "--date",
            "2025-04-12",
        ],
    );
    refused(
        &db,
        &["accept", "KOR", "--proposal", "1", "--if-version", "2", "--date", "2025-04-13"],
        "talk KOR was changed by another writer (stored version 3, --if-version 2): reload and retry",
    );
    let p = json(&db, &["status", "KOR", "--date", "2025-04-13"]);
    assert_eq!(p["proposals"][0]["terms"], "USA all 14%");
    assert_eq!(p["proposals"][0]["version"], 2);
}

#[test]
fn the_default_database_lives_in_the_user_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args([
            "negotiate",
            "open",
            "IND",
            "--date",
            "2025-04-10",
            "--format",
            "json",
        ])
        .env("HOME", dir.path())
        .env_remove("XDG_DATA_HOME")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = dir.path().join(".local/share/reciprocity/negotiations.db");
    assert_eq!(v["db"].as_str(), Some(expected.to_str().unwrap()));
    assert!(expected.is_file());
}

/// Kill writers (SIGKILL) at varying moments while they commit a large proposal; every
/// committed proposal must be whole and the file sound.
#[cfg(unix)]
#[test]
fn a_process_killed_while_writing_leaves_the_store_consistent() {
    let (_dir, db) = tmp();
    ok(&db, &["open", "MYS", "--date", "2025-04-10"]);
    let terms: Vec<String> = (0..3000)
        .map(|i| format!("--term=non-tariff clause number {i} of a long proposal"))
        .collect();
    let (mut killed, mut finished) = (0, 0);
    for round in 0..24u64 {
        let mut child = bin()
            .arg("negotiate")
            .arg("--db")
            .arg(&db)
            .args([
                "propose",
                "MYS",
                "--side",
                "partner",
                "--no-score",
                "--date",
                "2025-04-20",
            ])
            .args(&terms)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + (round * 7) % 90));
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                killed += 1;
            }
        }
    }
    assert!(
        killed > 0,
        "no writer was killed: the delays are too long for this machine"
    );
    eprintln!("writers: {finished} finished, {killed} killed");
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let export: serde_json::Value = serde_json::from_str(&snapshot(&db)).unwrap();
    assert_eq!(export["format"], "reciprocity-negotiations");
    let proposals = store.proposals("MYS").unwrap();
    for p in &proposals {
        assert_eq!(
            p.terms.non_tariff.len(),
            3000,
            "proposal #{} is not whole",
            p.number
        );
    }
    // Each committed proposal has its event and bumped the talk's version, in the same transaction.
    let events = store.events(Some("MYS")).unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind == reciprocity_negotiation::EventKind::Proposed)
            .count(),
        proposals.len()
    );
    assert_eq!(
        store.negotiation("MYS").unwrap().unwrap().version,
        1 + proposals.len() as u64
    );
    assert!(
        proposals.len() >= finished,
        "{finished} writers finished but only {} proposals are stored",
        proposals.len()
    );
    eprintln!("proposals stored, each whole: {}", proposals.len());
    // The store still takes writes.
    ok(
        &db,
        &[
            "propose",
            "MYS",
            "--side",
            "us",
            "--term",
            "after the crash",
            "--no-score",
            "--date",
            "2025-04-21",
        ],
    );
}

#[test]
fn a_car_quota_scores_in_motor_vehicles_on_the_embedded_sector_world() {
    let (_dir, db) = tmp();
    ok(&db, &["open", "JPN", "--date", "2025-07-01"]);
    let p = json(
        &db,
        &[
            "propose",
            "JPN",
            "--world",
            "sectors",
            "--side",
            "us",
            "--tariff",
            "by=USA,sector=all,rate=15",
            "--tariff",
            "by=JPN,sector=all,rate=0",
            "--quota",
            "by=USA,hs=87,volume=100000,unit_value=40000,in=7.5,out=25",
            "--date",
            "2025-07-20",
        ],
    );
    let s = &p["score"];
    let q = &s["constraints"][0];
    assert_eq!(q["term"], "quota 1");
    assert_eq!(q["sectors"], serde_json::json!(["MOTOR_VEHICLES"]));
    let rate = q["rate_pct"].as_f64().unwrap();
    assert!(rate > 7.5 && rate < 25.0, "{q}");
    assert!(s["world"].as_str().unwrap().contains("sectors"), "{s}");
}

/// Issue 15: a damaged score (written by an older build) is confined to its talk: the board
/// lists every talk and names the damaged one; the admin withdraws the proposal, and the talk
/// works again. Each talk's log is numbered 1, 2, ... without the other talks' events.
#[test]
fn a_damaged_talk_stays_off_the_board_until_its_proposal_is_withdrawn() {
    let (_dir, db) = tmp();
    for partner in ["JPN", "KOR"] {
        ok(&db, &["open", partner, "--date", "2025-04-10"]);
        ok(
            &db,
            &[
                "propose",
                partner,
                "--side",
                "partner",
                "--tariff",
                "by=USA,sector=all,rate=10",
                "--date",
                "2025-04-20",
            ],
        );
    }
    let raw = rusqlite::Connection::open(&db).unwrap();
    raw.execute(
        "UPDATE scores SET details = '{\"us_welfare_pct\": null}' WHERE negotiation = 'JPN'",
        [],
    )
    .unwrap();
    drop(raw);
    let board = ok(&db, &["status", "--date", "2025-04-21"]);
    assert!(
        board.contains("talk JPN: its proposals cannot be read"),
        "{board}"
    );
    let rows = json(&db, &["status", "--date", "2025-04-21"]);
    let problem = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["talk"] == id)
            .unwrap()["problem"]
            .clone()
    };
    assert!(
        problem("JPN").as_str().unwrap().contains("corrupt record"),
        "{rows}"
    );
    assert!(problem("KOR").is_null(), "{rows}");
    ok(
        &db,
        &[
            "withdraw",
            "JPN",
            "--proposal",
            "1",
            "--reason",
            "damaged score",
            "--date",
            "2025-04-21",
        ],
    );
    let rows = json(&db, &["status", "--date", "2025-04-21"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["problem"].is_null()),
        "{rows}"
    );
    let detail = json(&db, &["status", "JPN"]);
    assert_eq!(detail["proposals"][0]["status"], "withdrawn");
    // A withdrawn proposal cannot be withdrawn again; an accepted one not at all.
    refused(
        &db,
        &["withdraw", "JPN", "--proposal", "1"],
        "withdrawn already",
    );
    for (talk, kinds) in [("JPN", 4), ("KOR", 3)] {
        let log = json(&db, &["log", talk]);
        let numbers: Vec<u64> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["number"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers, (1..=kinds).collect::<Vec<u64>>(), "{talk}: {log}");
    }
}
