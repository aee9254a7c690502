//! The record's hardening (issue 15), on both backends: per-talk event numbers (item 7), pages
//! of proposals and events (item 6), and the invariant that what cannot be read back is never
//! written (item 1).
//!
//! As in `tests/store.rs`, each behaviour is a function of a [`TestDb`](common::TestDb), run by `backend_suites!` as
//! `sqlite::NAME` (always) and `postgres::NAME` (`#[ignore]`d: `eval "$(scripts/ci-postgres.sh)"`,
//! then `cargo test -p reciprocity-store -- --ignored postgres`).

use reciprocity_negotiation::{
    Event, EventKind, Negotiation, PauseWindow, Proposal, ProposalStatus, Scope, Score, Side,
    State, TariffLine, Terms,
};
use reciprocity_store::migrate::MIGRATIONS;
use reciprocity_store::{dto, Change, ScoreRecord, Store, StoreError};

mod common;

use common::{d, BoxStore, TestDb};

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

common::backend_suites!(
    each_talk_log_is_numbered_without_gaps,
    the_migration_numbers_existing_events_and_keeps_the_log_append_only,
    an_import_numbers_old_exports_and_refuses_a_gap,
    a_score_that_would_not_read_back_is_not_written,
    a_proposal_that_would_not_read_back_is_not_written,
    a_withdrawn_proposal_is_stored_without_its_score,
    proposals_scores_and_events_come_in_pages,
);

fn numbers(s: &dyn Store, talk: &str) -> Vec<u64> {
    s.events(Some(talk))
        .unwrap()
        .iter()
        .map(|e| e.number)
        .collect()
}

// ---------------------------------------------------------------- item 7: per-talk numbers

fn each_talk_log_is_numbered_without_gaps(db: &dyn TestDb) {
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

fn the_migration_numbers_existing_events_and_keeps_the_log_append_only(db: &dyn TestDb) {
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
    )
    .unwrap();
    let mut s = db.store();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as u32);
    assert_eq!(numbers(&*s, "JPN"), [1, 2]);
    assert_eq!(numbers(&*s, "KOR"), [1, 2, 3]);
    // New events continue each talk's numbering and the global one.
    let c = s.commit(&[Change::AppendEvent(event("KOR", "f"))]).unwrap();
    assert_eq!(
        (c.event_seqs.clone(), c.event_numbers.clone()),
        (vec![6], vec![4])
    );
    // The trigger lifted for the back-fill is back.
    for sql in [
        "UPDATE events SET number = 9 WHERE seq = 1",
        "DELETE FROM events WHERE seq = 1",
    ] {
        assert!(db.execute(sql).is_err(), "{sql} was allowed");
    }
    assert_eq!(numbers(&*s, "JPN"), [1, 2]);
}

fn an_import_numbers_old_exports_and_refuses_a_gap(db: &dyn TestDb) {
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
    let text = serde_json::to_string(&old)
        .unwrap()
        .replace(",\"number\":0", "");
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

// ---------------------------------------------------------------- item 1: what is written reads back

fn score_of(talk: &str, number: u32, us_welfare_pct: f64) -> ScoreRecord {
    ScoreRecord {
        negotiation: talk.into(),
        proposal: number,
        proposal_version: 1,
        scored_on: d("2025-04-20"),
        score: Score {
            partner: talk.into(),
            us_welfare_pct,
            partner_welfare_pct: 0.1,
            sectors: vec![],
            notes: vec![],
            ..common::score()
        },
    }
}

fn seeded(db: &dyn TestDb) -> BoxStore {
    let mut s = db.store();
    s.commit(&[
        Change::InsertNegotiation(talk("JPN")),
        Change::InsertNegotiation(talk("KOR")),
        Change::InsertProposal(proposal("JPN", 1, 15.0)),
        Change::InsertProposal(proposal("KOR", 1, 10.0)),
        Change::PutScore(score_of("KOR", 1, 0.2)),
    ])
    .unwrap();
    s
}

fn a_score_that_would_not_read_back_is_not_written(db: &dyn TestDb) {
    let mut s = seeded(db);
    // 1e300 x 1e300 overflowed to infinity in a score: JSON has no infinity, so it was stored as
    // null, and every read of the talk (and the board, and the export) failed from then on.
    let e = s
        .commit(&[
            Change::PutScore(score_of("JPN", 1, f64::INFINITY)),
            Change::AppendEvent(event("JPN", "scored")),
        ])
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    assert!(e.to_string().contains("score of proposal JPN#1"), "{e}");
    assert!(e.to_string().contains("would not read back"), "{e}");
    // Nothing of the commit was written, and every talk still reads.
    assert!(s.scores("JPN").unwrap().is_empty());
    assert!(s.events(Some("JPN")).unwrap().is_empty());
    assert_eq!(s.scores("KOR").unwrap().len(), 1);
    assert!(s.export().is_ok());
}

fn a_proposal_that_would_not_read_back_is_not_written(db: &dyn TestDb) {
    let mut s = seeded(db);
    // A sector code with spaces is stored as typed but read back trimmed: another proposal.
    let mut p = proposal("JPN", 2, 12.0);
    p.terms.tariff_lines[0].scope = Scope::Sector(" TOTAL ".into());
    let e = s.commit(&[Change::InsertProposal(p.clone())]).unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    assert!(
        e.to_string()
            .contains("proposal JPN#2: it would not read back"),
        "{e}"
    );
    assert_eq!(s.proposals("JPN").unwrap().len(), 1);
    // The same holds for an amendment.
    let mut amended = s.proposals("JPN").unwrap().remove(0);
    amended.terms.tariff_lines[0].scope = Scope::Sector("".into());
    let e = s.commit(&[Change::UpdateProposal(amended)]).unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    let back = s.proposals("JPN").unwrap();
    assert_eq!(
        (back[0].version, &back[0].terms),
        (1, &proposal("JPN", 1, 15.0).terms)
    );
}

fn a_withdrawn_proposal_is_stored_without_its_score(db: &dyn TestDb) {
    let mut s = seeded(db);
    let p = s.proposals("KOR").unwrap().remove(0);
    s.commit(&[
        Change::UpdateProposal(Proposal {
            status: ProposalStatus::Withdrawn,
            ..p
        }),
        Change::DeleteScore {
            negotiation: "KOR".into(),
            proposal: 1,
        },
        Change::AppendEvent(Event::new(
            "KOR",
            d("2025-04-21"),
            EventKind::Withdrawn,
            Some(1),
            "the US withdraws proposal #1",
        )),
    ])
    .unwrap();
    let back = s.proposals("KOR").unwrap();
    assert_eq!(
        (back[0].status, back[0].version),
        (ProposalStatus::Withdrawn, 2)
    );
    assert!(s.scores("KOR").unwrap().is_empty());
    assert_eq!(s.events(Some("KOR")).unwrap()[0].kind, EventKind::Withdrawn);
}

// ---------------------------------------------------------------- item 6: pages

fn proposals_scores_and_events_come_in_pages(db: &dyn TestDb) {
    let mut s = db.store();
    let mut changes = vec![Change::InsertNegotiation(talk("JPN"))];
    for n in 1..=5 {
        changes.push(Change::InsertProposal(proposal("JPN", n, f64::from(n))));
        changes.push(Change::PutScore(score_of("JPN", n, 0.1)));
        changes.push(Change::AppendEvent(event("JPN", &format!("e{n}"))));
    }
    s.commit(&changes).unwrap();
    let page: Vec<u32> = s
        .proposals_page("JPN", 2, 2)
        .unwrap()
        .iter()
        .map(|p| p.number)
        .collect();
    assert_eq!(page, [3, 4]);
    let last = s.proposals_page("JPN", 4, 10).unwrap();
    assert_eq!(
        (last.len(), last[0].terms.tariff_lines[0].rate_pct),
        (1, 5.0)
    );
    assert!(s.proposals_page("JPN", 5, 10).unwrap().is_empty());
    let scores: Vec<u32> = s
        .scores_between("JPN", 3, 4)
        .unwrap()
        .iter()
        .map(|r| r.proposal)
        .collect();
    assert_eq!(scores, [3, 4]);
    let events: Vec<u64> = s
        .events_page("JPN", 3, 10)
        .unwrap()
        .iter()
        .map(|e| e.number)
        .collect();
    assert_eq!(events, [4, 5]);
    assert_eq!(s.events_page("JPN", 0, 2).unwrap().len(), 2);
    assert!(s.events_page("KOR", 0, 2).unwrap().is_empty());
}
