//! The SQLite store: round trips, migrations, optimistic versioning, atomic commits, the
//! append-only log and JSON export/import.

use chrono::NaiveDate;
use reciprocity_negotiation::score::SectorScore;
use reciprocity_negotiation::{
    Event, EventKind, Negotiation, PauseWindow, Proposal, ProposalStatus, PurchaseCommitment,
    Scope, Score, Side, State, TariffLine, TariffRateQuota, Terms,
};
use reciprocity_store::{dto, Change, ScoreRecord, SqliteStore, Store, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn talk() -> Negotiation {
    let mut n = Negotiation::new(
        "JPN",
        "Japan",
        PauseWindow::days(d("2025-04-09"), 90),
        d("2025-04-10"),
    );
    n.state = State::InTalks;
    n
}

fn proposal(number: u32) -> Proposal {
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

fn score() -> Score {
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

fn opened(dir: &tempfile::TempDir) -> SqliteStore {
    let mut s = SqliteStore::open(&dir.path().join("sub/neg.db")).unwrap();
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
        Change::AppendEvent(Event::new(
            "JPN",
            d("2025-04-10"),
            EventKind::Opened,
            None,
            "talks requested",
        )),
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

#[test]
fn what_is_committed_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let s = opened(&dir);
    let n = s.negotiation("JPN").unwrap().unwrap();
    assert_eq!(
        n,
        Negotiation {
            version: 1,
            ..talk()
        }
    );
    let p = s.proposals("JPN").unwrap();
    assert_eq!(
        p,
        vec![Proposal {
            version: 1,
            ..proposal(1)
        }]
    );
    let sc = s.scores("JPN").unwrap();
    assert_eq!(sc.len(), 1);
    assert_eq!(sc[0].score, score());
    let ev = s.events(None).unwrap();
    assert_eq!(
        ev.iter().map(|e| (e.seq, e.kind)).collect::<Vec<_>>(),
        vec![(1, EventKind::Opened), (2, EventKind::Proposed)]
    );
    assert!(s.check().unwrap().is_empty());
    assert!(s.negotiation("KOR").unwrap().is_none());
}

#[test]
fn the_database_is_wal_and_migrated_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("neg.db");
    drop(SqliteStore::open(&path).unwrap());
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        reciprocity_store::migrate::SCHEMA_VERSION
    );
    let raw = rusqlite::Connection::open(&path).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let applied: i64 = raw
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied, reciprocity_store::migrate::MIGRATIONS.len() as i64);
}

#[test]
fn a_newer_schema_or_a_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("neg.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
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
}

#[test]
fn two_writers_cannot_lose_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = opened(&dir);
    let mut b = SqliteStore::open(a.path()).unwrap();
    // Both read proposal 1 at version 1.
    let mut pa = a.proposals("JPN").unwrap().remove(0);
    let mut pb = b.proposals("JPN").unwrap().remove(0);
    pa.terms.tariff_lines[0].rate_pct = 12.0;
    pb.terms.tariff_lines[0].rate_pct = 18.0;
    a.commit(&[Change::UpdateProposal(pa)]).unwrap();
    let err = b.commit(&[Change::UpdateProposal(pb.clone())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "proposal JPN#1 was changed by another writer (stored version 2, this change was based on version 1): reload and retry"
    );
    // The first writer's change stands; the loser's is not written.
    let stored = b.proposals("JPN").unwrap().remove(0);
    assert_eq!(
        (stored.version, stored.terms.tariff_lines[0].rate_pct),
        (2, 12.0)
    );
    // Reloaded, the second writer succeeds.
    let mut again = stored;
    again.terms.tariff_lines[0].rate_pct = 18.0;
    b.commit(&[Change::UpdateProposal(again)]).unwrap();
    assert_eq!(a.proposals("JPN").unwrap()[0].version, 3);
    // The same for the talk itself.
    let na = a.negotiation("JPN").unwrap().unwrap();
    let nb = b.negotiation("JPN").unwrap().unwrap();
    a.commit(&[Change::UpdateNegotiation(Negotiation {
        state: State::Framework,
        ..na
    })])
    .unwrap();
    let err = b
        .commit(&[Change::UpdateNegotiation(Negotiation {
            state: State::Collapsed,
            ..nb
        })])
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        a.negotiation("JPN").unwrap().unwrap().state,
        State::Framework
    );
}

#[test]
fn a_failing_commit_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = opened(&dir);
    let before = s.export().unwrap();
    let mut p2 = proposal(2);
    p2.terms.non_tariff.push("more".into());
    let err = s
        .commit(&[
            Change::InsertProposal(p2),
            Change::AppendEvent(Event::new(
                "JPN",
                d("2025-05-01"),
                EventKind::Proposed,
                Some(2),
                "second",
            )),
            Change::InsertProposal(proposal(1)), // duplicate: the whole commit fails
        ])
        .unwrap_err();
    assert_eq!(err.to_string(), "proposal JPN#1 already exists");
    assert_eq!(s.export().unwrap(), before);
    // A proposal for a talk that does not exist.
    let mut orphan = proposal(1);
    orphan.negotiation = "KOR".into();
    assert_eq!(
        s.commit(&[Change::InsertProposal(orphan)])
            .unwrap_err()
            .to_string(),
        "talk KOR does not exist"
    );
}

#[test]
fn the_event_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let s = opened(&dir);
    let raw = rusqlite::Connection::open(s.path()).unwrap();
    let err = raw
        .execute("UPDATE events SET detail = 'rewritten' WHERE seq = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = raw.execute("DELETE FROM events", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(s.events(None).unwrap().len(), 2);
}

#[test]
fn export_and_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = opened(&dir);
    let p = s.proposals("JPN").unwrap().remove(0);
    s.commit(&[Change::UpdateProposal(Proposal {
        status: ProposalStatus::Countered,
        ..p
    })])
    .unwrap();
    let snap = s.export().unwrap();
    assert_eq!(snap.format, dto::FORMAT);
    let json = serde_json::to_string_pretty(&snap).unwrap();
    let back: dto::Snapshot = serde_json::from_str(&json).unwrap();
    let mut fresh = SqliteStore::open(&dir.path().join("copy.db")).unwrap();
    let summary = fresh.import(&back).unwrap();
    assert_eq!(
        (
            summary.negotiations,
            summary.proposals,
            summary.scores,
            summary.events
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(fresh.export().unwrap(), snap);
    // Versions survive the round trip.
    assert_eq!(fresh.proposals("JPN").unwrap()[0].version, 2);
    // Importing again into a store that is not empty is refused.
    let err = fresh.import(&back).unwrap_err();
    assert!(err.to_string().contains("already holds 1 talk"), "{err}");
}

#[test]
fn a_bad_import_names_the_place_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = opened(&dir);
    let mut snap = s.export().unwrap();
    snap.negotiations[0].proposals[0].quotas[0].in_quota_pct = None;
    let mut fresh = SqliteStore::open(&dir.path().join("copy.db")).unwrap();
    let err = fresh.import(&snap).unwrap_err();
    assert_eq!(err.to_string(), "import: negotiations[0].proposals[0].quotas[0]: in_quota_pct: expected a rate in percent, found nothing");
    assert!(fresh.negotiations().unwrap().is_empty() && fresh.events(None).unwrap().is_empty());
    let mut snap = s.export().unwrap();
    snap.negotiations[0].state = "finished".into();
    assert_eq!(
        fresh.import(&snap).unwrap_err().to_string(),
        "import: negotiations[0]: state: unknown state \"finished\""
    );
}

#[test]
fn concurrent_writers_queue_and_all_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = opened(&dir).path().to_path_buf();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = SqliteStore::open(&path).unwrap();
                for i in 0..25 {
                    s.commit(&[Change::AppendEvent(Event::new(
                        "JPN",
                        d("2025-05-01"),
                        EventKind::Scored,
                        None,
                        format!("{t}-{i}"),
                    ))])
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    let ev = s.events(Some("JPN")).unwrap();
    assert_eq!(ev.len(), 2 + 100);
    assert!(ev.windows(2).all(|w| w[0].seq < w[1].seq));
}
