//! The store's behaviour, one suite for both backends: round trips, migrations, optimistic
//! versioning, atomic commits, concurrent writers, the append-only log, JSON export/import, API
//! users and the pool.
//!
//! Each behaviour test is a function of a [`TestDb`] (a fresh database of one backend), run twice by
//! `backend_suite!`: `sqlite::NAME` (a temporary file; always runs) and `postgres::NAME` (a fresh
//! schema per test in the database of `RECIPROCITY_TEST_DATABASE_URL`, dropped afterwards;
//! `#[ignore]`d: `eval "$(scripts/ci-postgres.sh)"`, then `cargo test -p reciprocity-store --
//! --ignored`). Tests of one backend's own mechanics (WAL, file bytes, the pool's bound) follow.

mod common;

use reciprocity_negotiation::Extension;
use reciprocity_negotiation::{Event, EventKind, Negotiation, Proposal, ProposalStatus, State};
use reciprocity_store::migrate::{MIGRATIONS, SCHEMA_VERSION};
use reciprocity_store::{dto, ApiUser, Change, ScoreRecord, Store, StoreError, StorePool};
use std::sync::Barrier;

use common::*;

// ---------------------------------------------------------------- the suite

common::backend_suites!(
    what_is_committed_reads_back_whole,
    updates_replace_terms_extensions_and_scores,
    the_schema_is_migrated_once_and_a_newer_one_refused,
    many_openers_of_a_new_database_migrate_it_once,
    two_writers_cannot_lose_an_update,
    concurrent_updates_from_one_base_let_exactly_one_win,
    a_failing_commit_writes_nothing,
    duplicates_and_missing_records_are_named,
    the_event_log_is_append_only,
    log_positions_are_gapless_and_continue_after_an_import,
    export_and_import_round_trip,
    a_bad_import_names_the_place_and_writes_nothing,
    concurrent_writers_queue_and_all_commit,
    api_users_keep_only_the_token_hash,
    a_pool_hands_out_working_stores,
);

fn what_is_committed_reads_back_whole(db: &dyn TestDb) {
    let s = seeded(db);
    let n = s.negotiation("JPN").unwrap().unwrap();
    assert_eq!(
        n,
        Negotiation {
            version: 1,
            ..talk()
        }
    );
    assert_eq!(s.negotiations().unwrap(), vec![n]);
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
    assert_eq!(
        (sc[0].proposal, sc[0].proposal_version, sc[0].scored_on),
        (1, 1, d("2025-04-20"))
    );
    assert_eq!(sc[0].score, score());
    let ev = s.events(None).unwrap();
    assert_eq!(
        ev.iter().map(|e| (e.seq, e.kind)).collect::<Vec<_>>(),
        vec![(1, EventKind::Opened), (2, EventKind::Proposed)]
    );
    assert_eq!(ev[1].proposal, Some(1));
    assert_eq!(s.events(Some("JPN")).unwrap(), ev);
    assert!(s.events(Some("KOR")).unwrap().is_empty());
    assert!(db.check().is_empty(), "{:?}", db.check());
    assert!(s.negotiation("KOR").unwrap().is_none());
    assert!(s.proposals("KOR").unwrap().is_empty());
    // The check notices a proposal missing a term (written past the store).
    db.execute("DELETE FROM text_terms").unwrap();
    assert_eq!(db.check(), vec!["proposal JPN#1: 4 of its 5 terms stored"]);
    let err = s.proposals("JPN").unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
}

fn updates_replace_terms_extensions_and_scores(db: &dyn TestDb) {
    let mut s = seeded(db);
    let mut n = s.negotiation("JPN").unwrap().unwrap();
    n.pause.extensions.push(Extension {
        announced: d("2025-07-07"),
        new_end: d("2025-08-01"),
    });
    s.commit(&[Change::UpdateNegotiation(n.clone())]).unwrap();
    let back = s.negotiation("JPN").unwrap().unwrap();
    assert_eq!(back, Negotiation { version: 2, ..n });
    // An amendment with fewer terms of one kind and more of another leaves no old rows behind.
    let mut p = s.proposals("JPN").unwrap().remove(0);
    p.terms.tariff_lines.truncate(1);
    p.terms.quotas.clear();
    p.terms.non_tariff = vec!["rice".into(), "beef".into(), "autos".into()];
    p.counter_to = Some(7);
    s.commit(&[Change::UpdateProposal(p.clone())]).unwrap();
    let back = s.proposals("JPN").unwrap().remove(0);
    assert_eq!(back, Proposal { version: 2, ..p });
    assert!(db.check().is_empty(), "{:?}", db.check());
    // A second score of the proposal replaces the first.
    let mut newer = score();
    newer.us_welfare_pct = 0.05;
    s.commit(&[Change::PutScore(ScoreRecord {
        negotiation: "JPN".into(),
        proposal: 1,
        proposal_version: 2,
        scored_on: d("2025-05-02"),
        score: newer.clone(),
    })])
    .unwrap();
    let sc = s.scores("JPN").unwrap();
    assert_eq!(sc.len(), 1);
    assert_eq!(
        (sc[0].proposal_version, sc[0].scored_on),
        (2, d("2025-05-02"))
    );
    assert_eq!(sc[0].score, newer);
}

fn the_schema_is_migrated_once_and_a_newer_one_refused(db: &dyn TestDb) {
    drop(db.store());
    let s = db.store();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(
        db.query_i64("SELECT COUNT(*) FROM schema_migrations"),
        MIGRATIONS.len() as i64
    );
    for m in MIGRATIONS {
        assert_eq!(
            db.query_i64(&format!(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = {} AND description = '{}'",
                m.version, m.description
            )),
            1,
            "migration {}",
            m.version
        );
    }
    db.set_schema_version(99);
    let Err(err) = db.open() else {
        panic!("a newer schema was opened")
    };
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, supported } if supported == SCHEMA_VERSION),
        "{err}"
    );
    assert!(err.is_user_error());
}

fn many_openers_of_a_new_database_migrate_it_once(db: &dyn TestDb) {
    let start = Barrier::new(4);
    let versions: Vec<u32> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    db.open().unwrap().schema_version().unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(versions, vec![SCHEMA_VERSION; 4]);
    assert_eq!(
        db.query_i64("SELECT COUNT(*) FROM schema_migrations"),
        MIGRATIONS.len() as i64
    );
}

fn two_writers_cannot_lose_an_update(db: &dyn TestDb) {
    let mut a = seeded(db);
    let mut b = db.store();
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
    assert!(err.is_user_error());
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

/// Two threads, each with its own connection, read the talk at the same version and commit an
/// update at the same moment: exactly one wins, the other gets a Conflict naming both versions,
/// and nothing of the loser's commit (its event) is written. Rounds alternate a commit with an
/// event (the log lock) and one without (the row lock alone).
fn concurrent_updates_from_one_base_let_exactly_one_win(db: &dyn TestDb) {
    drop(seeded(db));
    const ROUNDS: u64 = 8;
    let mut stores = [db.store(), db.store()];
    for round in 0..ROUNDS {
        let base = stores[0].negotiation("JPN").unwrap().unwrap();
        assert_eq!(base.version, 1 + round);
        let start = Barrier::new(2);
        let results: Vec<Result<_, StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = stores
                .iter_mut()
                .enumerate()
                .map(|(t, store)| {
                    let (start, base) = (&start, base.clone());
                    scope.spawn(move || {
                        let mut changes = vec![Change::UpdateNegotiation(Negotiation {
                            partner_name: format!("Japan {round}-{t}"),
                            ..base
                        })];
                        if round % 2 == 0 {
                            changes.push(Change::AppendEvent(Event::new(
                                "JPN",
                                d("2025-05-01"),
                                EventKind::Scored,
                                None,
                                format!("{round}-{t}"),
                            )));
                        }
                        start.wait();
                        store.commit(&changes)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let winners: Vec<usize> = (0..2).filter(|&t| results[t].is_ok()).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        let loser = 1 - winners[0];
        match &results[loser] {
            Err(StoreError::Conflict {
                what,
                expected,
                found,
            }) => assert_eq!(
                (what.as_str(), *expected, *found),
                ("talk JPN", 1 + round, 2 + round)
            ),
            other => panic!("round {round}: expected a conflict, found {other:?}"),
        }
        let stored = stores[1].negotiation("JPN").unwrap().unwrap();
        assert_eq!(stored.partner_name, format!("Japan {round}-{}", winners[0]));
    }
    let events = stores[0].events(None).unwrap();
    assert_eq!(events.len() as u64, 2 + ROUNDS / 2);
    assert!(events.iter().zip(1..).all(|(e, seq)| e.seq == seq));
}

fn a_failing_commit_writes_nothing(db: &dyn TestDb) {
    let mut s = seeded(db);
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
    // A value the schema refuses (a negative rate) fails in the database, and writes nothing.
    let mut bad = proposal(2);
    bad.terms.tariff_lines[0].rate_pct = -1.0;
    let err = s.commit(&[Change::InsertProposal(bad)]).unwrap_err();
    assert!(!err.is_user_error(), "{err}");
    assert!(err.to_string().starts_with("database: "), "{err}");
    assert_eq!(s.export().unwrap(), before);
}

fn duplicates_and_missing_records_are_named(db: &dyn TestDb) {
    let mut s = seeded(db);
    let err = s.commit(&[Change::InsertNegotiation(talk())]).unwrap_err();
    assert_eq!(err.to_string(), "talk JPN already exists");
    assert!(matches!(err, StoreError::Duplicate(_)) && err.is_user_error());
    let mut kor = talk();
    kor.id = "KOR".into();
    kor.version = 1;
    let err = s.commit(&[Change::UpdateNegotiation(kor)]).unwrap_err();
    assert_eq!(err.to_string(), "talk KOR does not exist");
    let mut p9 = proposal(9);
    p9.version = 1;
    let err = s.commit(&[Change::UpdateProposal(p9)]).unwrap_err();
    assert_eq!(err.to_string(), "proposal JPN#9 does not exist");
    // An import keeps a talk's stored version; an update from a stale one is a conflict.
    let mut imported = talk();
    imported.id = "KOR".into();
    imported.version = 5;
    s.commit(&[Change::InsertNegotiation(imported.clone())])
        .unwrap();
    assert_eq!(s.negotiation("KOR").unwrap().unwrap().version, 5);
    let err = s
        .commit(&[Change::UpdateNegotiation(Negotiation {
            version: 4,
            ..imported
        })])
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 4,
                found: 5,
                ..
            }
        ),
        "{err}"
    );
}

fn the_event_log_is_append_only(db: &dyn TestDb) {
    let s = seeded(db);
    let err = db
        .execute("UPDATE events SET detail = 'rewritten' WHERE seq = 1")
        .unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let err = db.execute("DELETE FROM events").unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    assert_eq!(s.events(None).unwrap().len(), 2);
    assert_eq!(s.events(None).unwrap()[0].detail, "talks requested");
}

fn log_positions_are_gapless_and_continue_after_an_import(db: &dyn TestDb) {
    let mut s = seeded(db);
    // A commit that fails after appending an event leaves no hole in the log.
    let err = s
        .commit(&[
            Change::AppendEvent(first_event()),
            Change::InsertNegotiation(talk()),
        ])
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate(_)), "{err}");
    let c = s.commit(&[Change::AppendEvent(first_event())]).unwrap();
    assert_eq!(c.event_seqs, vec![3]);
    // Restored events keep their positions (with gaps from the source); the next append follows
    // the highest.
    let other = db.fresh();
    let mut t = other.store();
    let mut restored = first_event();
    restored.seq = 40;
    t.commit(&[
        Change::InsertNegotiation(talk()),
        Change::RestoreEvent(restored),
    ])
    .unwrap();
    let c = t
        .commit(&[
            Change::AppendEvent(first_event()),
            Change::AppendEvent(first_event()),
        ])
        .unwrap();
    assert_eq!(c.event_seqs, vec![41, 42]);
    assert_eq!(
        t.events(None)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect::<Vec<_>>(),
        vec![40, 41, 42]
    );
}

fn export_and_import_round_trip(db: &dyn TestDb) {
    let mut s = seeded(db);
    let p = s.proposals("JPN").unwrap().remove(0);
    s.commit(&[Change::UpdateProposal(Proposal {
        status: ProposalStatus::Countered,
        ..p
    })])
    .unwrap();
    let snap = s.export().unwrap();
    assert_eq!(snap.format, dto::FORMAT);
    assert_eq!(snap.schema_version, SCHEMA_VERSION);
    let json = serde_json::to_string_pretty(&snap).unwrap();
    let back: dto::Snapshot = serde_json::from_str(&json).unwrap();
    let copy = db.fresh();
    let mut fresh = copy.store();
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

fn a_bad_import_names_the_place_and_writes_nothing(db: &dyn TestDb) {
    let s = seeded(db);
    let mut snap = s.export().unwrap();
    snap.negotiations[0].proposals[0].quotas[0].in_quota_pct = None;
    let copy = db.fresh();
    let mut fresh = copy.store();
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

fn concurrent_writers_queue_and_all_commit(db: &dyn TestDb) {
    const THREADS: u64 = 4;
    const EACH: u64 = 25;
    let seeded_events = seeded(db).events(None).unwrap().len() as u64;
    let seqs: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let mut s = db.store();
                scope.spawn(move || {
                    let mut seqs = Vec::new();
                    for i in 0..EACH {
                        let c = s
                            .commit(&[Change::AppendEvent(Event::new(
                                "JPN",
                                d("2025-05-01"),
                                EventKind::Scored,
                                None,
                                format!("{t}-{i}"),
                            ))])
                            .unwrap();
                        seqs.extend(c.event_seqs);
                    }
                    seqs
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut sorted = seqs.clone();
    sorted.sort();
    // Every commit got its own position, and together they fill the log after the seeded events
    // without a hole.
    let first = seeded_events + 1;
    assert_eq!(
        sorted,
        (first..first + THREADS * EACH).collect::<Vec<u64>>()
    );
    let ev = db.store().events(Some("JPN")).unwrap();
    assert_eq!(ev.len() as u64, seeded_events + THREADS * EACH);
    assert!(ev.windows(2).all(|w| w[0].seq < w[1].seq));
}

fn api_users_keep_only_the_token_hash(db: &dyn TestDb) {
    let mut store = db.store();
    let hash = "ab".repeat(32);
    let alice = ApiUser {
        name: "alice".into(),
        role: "team:JPN".into(),
        created: "2026-11-28T00:00:00Z".into(),
    };
    store.add_user(&alice, &hash).unwrap();
    assert!(matches!(
        store.add_user(&alice, &"cd".repeat(32)),
        Err(StoreError::Duplicate(_))
    ));
    assert!(matches!(
        store.add_user(
            &ApiUser {
                name: "bob".into(),
                ..alice.clone()
            },
            "raw-token"
        ),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.user_by_token(&hash).unwrap(), Some(alice.clone()));
    assert_eq!(store.user_by_token(&"cd".repeat(32)).unwrap(), None);
    assert_eq!(store.users().unwrap(), vec![alice.clone()]);
    assert_eq!(
        db.query_i64(&format!(
            "SELECT COUNT(*) FROM api_users WHERE token_sha256 = '{hash}'"
        )),
        1
    );
    assert_eq!(db.query_i64("SELECT COUNT(*) FROM api_users"), 1);
    let carol = ApiUser {
        name: "carol".into(),
        role: "analyst".into(),
        ..alice.clone()
    };
    store.add_user(&carol, &"ef".repeat(32)).unwrap();
    assert_eq!(store.users().unwrap(), vec![alice, carol.clone()]);
    store.remove_user("alice").unwrap();
    assert!(matches!(
        store.remove_user("alice"),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.users().unwrap(), vec![carol]);
    assert_eq!(store.user_by_token(&hash).unwrap(), None);
}

fn a_pool_hands_out_working_stores(db: &dyn TestDb) {
    let backend = db.backend();
    let pool = StorePool::open(&backend, 2).unwrap();
    let mut a = pool.get().unwrap();
    let b = pool.get().unwrap();
    assert_eq!(a.schema_version().unwrap(), SCHEMA_VERSION);
    a.commit(&[
        Change::InsertNegotiation(talk()),
        Change::AppendEvent(first_event()),
    ])
    .unwrap();
    // What one pooled store commits, another reads.
    assert_eq!(b.negotiation("JPN").unwrap().unwrap().version, 1);
    assert_eq!(b.events(None).unwrap().len(), 1);
    drop((a, b));
    // Clones share the pool, from other threads too.
    let names: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let pool = pool.clone();
                scope.spawn(move || {
                    let s = pool.get().unwrap();
                    s.negotiation("JPN").unwrap().unwrap().partner_name
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(names, vec!["Japan"; 4]);
    assert!(StorePool::open(&backend, 0).is_err());
}

// ---------------------------------------------------------------- SQLite only
