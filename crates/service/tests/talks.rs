//! The negotiation workflows on a temporary SQLite store: versions, events, refusals, conflicts,
//! and a score on the embedded world checked against the CLI's figure.

use chrono::NaiveDate;
use reciprocity_negotiation::{
    EventKind, ProposalStatus, Side, State, TariffLineDraft, TermsDraft,
};
use reciprocity_service::talks::{self, AcceptRequest, OpenRequest, RejectRequest, TableRequest};
use reciprocity_service::{ErrorKind, NegotiationWorld, ServiceError};
use reciprocity_store::{SqliteStore, Store};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("talks.db")).unwrap();
    (dir, store)
}

fn line(by: &str, rate: f64) -> TariffLineDraft {
    TariffLineDraft {
        by: Some(by.into()),
        scope: Some("all".into()),
        rate_pct: Some(rate),
    }
}

fn draft(us: f64, partner: (&str, f64)) -> TermsDraft {
    TermsDraft {
        tariff_lines: vec![line("USA", us), line(partner.0, partner.1)],
        ..TermsDraft::default()
    }
}

fn open(store: &mut SqliteStore, partner: &str, date: &str) -> talks::Opened {
    talks::open_talk(
        store,
        &OpenRequest {
            partner: partner.into(),
            date: day(date),
            start: None,
            days: None,
            end: None,
        },
    )
    .unwrap()
}

/// A table request validated against the one-sector world (`TOTAL`), not scored.
fn table(
    id: &str,
    side: Option<Side>,
    counter_to: Option<u32>,
    draft: TermsDraft,
    date: &str,
) -> TableRequest {
    TableRequest {
        sweep_other_talks: true,
        id: id.into(),
        side,
        counter_to,
        amend: None,
        draft,
        if_version: None,
        date: day(date),
        score: false,
        sectors: Some(vec!["TOTAL".into()]),
    }
}

/// Table the US rate `us` (the partner's at 0%) unscored, and unwrap.
fn propose(
    store: &mut SqliteStore,
    id: &str,
    side: Option<Side>,
    counter_to: Option<u32>,
    us: f64,
    date: &str,
) -> talks::Tabled {
    let request = table(id, side, counter_to, draft(us, (id, 0.0)), date);
    talks::table_proposal(store, None, &request).unwrap()
}

fn accept_req(id: &str, proposal: u32, if_version: Option<u64>, date: &str) -> AcceptRequest {
    AcceptRequest {
        sweep_other_talks: true,
        id: id.into(),
        proposal,
        side: None,
        stage: None,
        if_version,
        date: day(date),
    }
}

#[test]
fn open_propose_counter_accept_bumps_versions_and_logs_events() {
    let (_dir, mut store) = store();
    let opened = open(&mut store, "Japan", "2025-04-10");
    assert_eq!(opened.talk.id, "JPN");
    assert_eq!(opened.talk.version, 1);
    assert_eq!(opened.talk.state, State::Requested);
    assert_eq!(opened.talk.pause.end(), day("2025-07-09"));
    assert_eq!(opened.events.len(), 1);
    assert_eq!(opened.events[0].seq, 1);
    assert_eq!(opened.events[0].kind, EventKind::Opened);
    assert_eq!(
        opened.events[0].detail,
        "talks with Japan requested; pause 2025-04-10 to 2025-07-09 (rates snap back on 2025-07-09)"
    );

    let p1 = propose(
        &mut store,
        "JPN",
        Some(Side::Partner),
        None,
        10.0,
        "2025-04-20",
    );
    assert_eq!((p1.proposal.number, p1.proposal.version), (1, 1));
    assert_eq!(p1.talk.version, 2);
    assert_eq!(p1.talk.state, State::InTalks);
    assert!(p1.scored.is_none());
    assert_eq!(p1.events.len(), 1);
    assert_eq!(p1.events[0].seq, 2);
    assert_eq!(p1.events[0].kind, EventKind::Proposed);
    assert_eq!(
        p1.events[0].detail,
        format!("JPN proposes #1: {}", p1.summary)
    );

    // The US answers: the side of a counter is the other side of the proposal answered.
    let p2 = propose(&mut store, "JPN", None, Some(1), 15.0, "2025-04-25");
    assert_eq!(p2.proposal.side, Side::Us);
    assert_eq!((p2.proposal.number, p2.proposal.counter_to), (2, Some(1)));
    assert_eq!(p2.talk.version, 3);
    assert_eq!(p2.events[0].kind, EventKind::Countered);
    assert_eq!(
        p2.events[0].detail,
        format!("the US counters #1 with proposal #2: {}", p2.summary)
    );
    let stored = store.proposals("JPN").unwrap();
    assert_eq!(stored[0].status, ProposalStatus::Countered);
    assert_eq!(stored[0].version, 2);

    let done = talks::accept(&mut store, &accept_req("JPN", 2, Some(3), "2025-05-01")).unwrap();
    assert_eq!(done.state, State::Framework);
    assert_eq!(done.talk.version, 4);
    assert_eq!(
        done.detail,
        format!("JPN accepts proposal #2 (framework): {}", p2.summary)
    );
    assert_eq!(done.events.len(), 1);
    assert_eq!(done.events[0].seq, 4);
    assert_eq!(done.events[0].kind, EventKind::Accepted);

    // What the calls returned is what the store holds.
    let talk = store.negotiation("JPN").unwrap().unwrap();
    assert_eq!(talk, done.talk);
    let kinds: Vec<EventKind> = talks::log(&store, Some("jpn"))
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            EventKind::Opened,
            EventKind::Proposed,
            EventKind::Countered,
            EventKind::Accepted
        ]
    );
    let detail = talks::talk_detail(&store, "JPN").unwrap();
    let statuses: Vec<ProposalStatus> = detail.proposals.iter().map(|p| p.status).collect();
    assert_eq!(
        statuses,
        [ProposalStatus::Countered, ProposalStatus::Accepted]
    );

    // The board: the accepted proposal is the best (unscored), no days left once a deal is reached.
    let board = talks::board(&store, day("2025-05-02")).unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].state, State::Framework);
    assert_eq!(board[0].days_left, 0);
    assert_eq!((board[0].proposals, board[0].open), (2, 0));
    let best = board[0].best.as_ref().unwrap();
    assert_eq!((best.proposal, best.score.is_none()), (2, true));
}

#[test]
fn a_stale_if_version_is_a_conflict_and_writes_nothing() {
    let (_dir, mut store) = store();
    open(&mut store, "KOR", "2025-04-10");
    propose(&mut store, "KOR", Some(Side::Us), None, 20.0, "2025-04-12");
    let before = store.export().unwrap();
    let err = talks::accept(&mut store, &accept_req("KOR", 1, Some(1), "2025-04-13")).unwrap_err();
    assert!(
        matches!(err, ServiceError::StaleVersion { ref talk, stored: 2, expected: 1 } if talk == "KOR"),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.is_user_error());
    assert_eq!(
        err.to_string(),
        "talk KOR was changed by another writer (stored version 2, if_version 1): reload and retry"
    );
    let mut req = table(
        "KOR",
        Some(Side::Us),
        None,
        draft(18.0, ("KOR", 0.0)),
        "2025-04-13",
    );
    req.if_version = Some(7);
    assert_eq!(
        talks::table_proposal(&mut store, None, &req)
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
    assert_eq!(store.export().unwrap(), before);
}

#[test]
fn refusals_and_missing_records() {
    let (_dir, mut store) = store();
    open(&mut store, "VNM", "2025-04-10");
    propose(&mut store, "VNM", Some(Side::Us), None, 20.0, "2025-04-12");
    let rejected = talks::reject(
        &mut store,
        &RejectRequest {
            sweep_other_talks: true,
            id: "VNM".into(),
            proposal: 1,
            side: Some(Side::Partner),
            collapse: false,
            reason: Some("too high".into()),
            if_version: Some(2),
            date: day("2025-04-13"),
        },
    )
    .unwrap();
    assert_eq!(rejected.detail, "VNM rejects proposal #1: too high");
    assert_eq!(rejected.talk.version, 3);
    let before = store.export().unwrap();

    // Accepting the rejected (closed) proposal: the state machine refuses.
    let err = talks::accept(&mut store, &accept_req("VNM", 1, None, "2025-04-14")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
    assert!(matches!(err, ServiceError::Refused(_)));
    // A proposal that does not exist.
    let err = talks::accept(&mut store, &accept_req("VNM", 7, None, "2025-04-14")).unwrap_err();
    assert_eq!(err.to_string(), "talk VNM: no proposal #7 (the talk has 1)");
    assert_eq!(err.kind(), ErrorKind::Refused);

    // The side that tabled a proposal cannot accept it.
    propose(&mut store, "VNM", Some(Side::Us), None, 15.0, "2025-04-14");
    let mut req = accept_req("VNM", 2, None, "2025-04-15");
    req.side = Some(Side::Us);
    let err = talks::accept(&mut store, &req).unwrap_err();
    assert_eq!(
        err.to_string(),
        "talk VNM: proposal #2 was tabled by the US: only VNM can accept it"
    );
    assert_eq!(err.kind(), ErrorKind::Refused);

    // No talk; a talk that exists; a bad pause; a term naming an unknown sector.
    let err = talks::talk_detail(&store, "FRA").unwrap_err();
    assert!(matches!(err, ServiceError::NoTalk(ref c) if c == "FRA"));
    assert_eq!(err.to_string(), "talk FRA does not exist");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let open_req = |partner: &str, days, end| OpenRequest {
        partner: partner.into(),
        date: day("2025-04-20"),
        start: None,
        days,
        end,
    };
    let err = talks::open_talk(&mut store, &open_req("VNM", None, None)).unwrap_err();
    assert_eq!(err.to_string(), "a talk with VNM already exists");
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let err =
        talks::open_talk(&mut store, &open_req("THA", None, Some(day("2025-04-01")))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "end: expected a day after the start 2025-04-20, found 2025-04-01"
    );
    assert_eq!(err.kind(), ErrorKind::BadInput);
    let err = talks::open_talk(&mut store, &open_req("THA", Some(0), None)).unwrap_err();
    assert_eq!(err.to_string(), "days: expected 1 to 3650 days, found 0");
    // A pause past the calendar's end is refused, not a panic.
    let err =
        talks::open_talk(&mut store, &open_req("THA", Some(4_000_000_000), None)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadInput);
    assert_eq!(
        talks::open_talk(
            &mut store,
            &open_req("THA", Some(30), Some(day("2025-06-01")))
        )
        .unwrap_err()
        .to_string(),
        "end: give days or end, not both"
    );
    let err = talks::open_talk(&mut store, &open_req("XYZ", None, None)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadInput);
    let mut bad = draft(10.0, ("VNM", 0.0));
    bad.tariff_lines[0].scope = Some("cars".into());
    let err = talks::table_proposal(
        &mut store,
        None,
        &table("VNM", Some(Side::Us), None, bad, "2025-04-16"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadInput, "{err}");
    assert!(err.to_string().starts_with("tariff line 1: "), "{err}");
    // None of the refused writes changed the store (the proposal #2 above is the only write).
    assert_eq!(store.proposals("VNM").unwrap().len(), 2);
    assert_eq!(store.events(None).unwrap().len(), before.events.len() + 1);
}

#[test]
fn a_write_records_the_expiry_of_other_talks_and_extend_moves_the_end() {
    let (_dir, mut store) = store();
    let opened = talks::open_talk(
        &mut store,
        &OpenRequest {
            partner: "VNM".into(),
            date: day("2025-04-10"),
            start: None,
            days: Some(20),
            end: None,
        },
    )
    .unwrap();
    assert_eq!(opened.talk.pause.end(), day("2025-04-30"));
    // Extending before the end: the talk's version bumps, the event says what moved.
    let ext = talks::extend(
        &mut store,
        "VNM",
        day("2025-05-10"),
        Some(1),
        day("2025-04-20"),
    )
    .unwrap();
    assert_eq!(ext.old_end, day("2025-04-30"));
    assert_eq!(ext.talk.pause.end(), day("2025-05-10"));
    assert_eq!(ext.talk.version, 2);
    assert_eq!(
        ext.events[0].detail,
        "pause extended: the rates snap back on 2025-05-10 instead of 2025-04-30"
    );
    // Opening another talk after the (extended) end records VNM's expiry in the same commit.
    let jpn = open(&mut store, "JPN", "2025-05-12");
    let kinds: Vec<(String, EventKind)> = jpn
        .events
        .iter()
        .map(|e| (e.negotiation.clone(), e.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("VNM".to_string(), EventKind::Expired),
            ("JPN".to_string(), EventKind::Opened)
        ]
    );
    assert_eq!(jpn.events[0].date, day("2025-05-10"));
    let vnm = store.negotiation("VNM").unwrap().unwrap();
    assert_eq!((vnm.state, vnm.version), (State::Expired, 3));
}

/// The US welfare gain of Japan's offer (US 10%, Japan 0% on US goods, tabled 2025-04-20 in a talk
/// opened 2025-04-10) on the embedded world, as printed by `reciprocity negotiate propose JPN
/// --side partner --tariff by=USA,sector=all,rate=10 --tariff by=JPN,sector=all,rate=0 --date
/// 2025-04-20 --format json`, built from the CLI before the workflows moved to this crate (git
/// HEAD of 2026-11-28; the moved CLI prints the same digits).
const CLI_US_WELFARE_PCT: f64 = 0.0023891707098266934;
/// Japan's gain, from the same run.
const CLI_PARTNER_WELFARE_PCT: f64 = 0.3300760454684415;

#[test]
fn scoring_on_the_embedded_world_matches_the_cli() {
    let world = NegotiationWorld::load(None).unwrap();
    assert!(world.load_ms > 0.0);
    let (_dir, mut store) = store();
    open(&mut store, "JPN", "2025-04-10");
    let mut req = table(
        "JPN",
        Some(Side::Partner),
        None,
        draft(10.0, ("JPN", 0.0)),
        "2025-04-20",
    );
    req.score = true;
    req.sectors = None;
    let tabled = talks::table_proposal(&mut store, Some(&world), &req).unwrap();
    let scored = tabled.scored.expect("scored");
    let s = &scored.score;
    // No deal is the Annex I 24% on Japan (policy timeline); the deal rate is 10%.
    assert!(
        (s.us_rate_no_deal_pct - 24.0).abs() < 1e-9,
        "{}",
        s.us_rate_no_deal_pct
    );
    assert!((s.us_rate_deal_pct - 10.0).abs() < 1e-9);
    assert!(
        (s.us_welfare_pct - CLI_US_WELFARE_PCT).abs() < 1e-9,
        "{}",
        s.us_welfare_pct
    );
    assert!(
        (s.partner_welfare_pct - CLI_PARTNER_WELFARE_PCT).abs() < 1e-9,
        "{}",
        s.partner_welfare_pct
    );
    // The score is stored for version 1 and logged.
    let scores = store.scores("JPN").unwrap();
    assert_eq!((scores[0].proposal, scores[0].proposal_version), (1, 1));
    assert_eq!(scores[0].score.us_welfare_pct, s.us_welfare_pct);
    assert_eq!(tabled.events[1].kind, EventKind::Scored);
    assert_eq!(
        tabled.events[1].detail,
        format!(
            "proposal #1 v1 on the embedded world: {}",
            talks::score_line(s)
        )
    );
}

/// Dates at the calendar's end used to panic ("NaiveDate + Days out of range") and absurd years
/// were stored (issue 15): every write refuses a date outside 1947..=2200, naming the field, and
/// writes nothing.
#[test]
fn dates_outside_the_record_range_are_refused_by_field() {
    let (_dir, mut store) = store();
    let far = NaiveDate::from_ymd_opt(262_142, 12, 31).unwrap();
    for (req, field) in [
        (
            OpenRequest {
                partner: "JPN".into(),
                date: far,
                start: None,
                days: None,
                end: None,
            },
            "date",
        ),
        (
            OpenRequest {
                partner: "JPN".into(),
                date: day("2025-04-09"),
                start: Some(far),
                days: Some(90),
                end: None,
            },
            "start",
        ),
        (
            OpenRequest {
                partner: "JPN".into(),
                date: day("2025-04-09"),
                start: None,
                days: None,
                end: Some(NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap()),
            },
            "end",
        ),
    ] {
        let e = talks::open_talk(&mut store, &req).unwrap_err();
        assert!(
            matches!(e, ServiceError::BadInput { field: Some(f), .. } if f == field),
            "{field}: {e:?}"
        );
    }
    assert!(store.negotiation("JPN").unwrap().is_none());
    open(&mut store, "JPN", "2025-04-09");
    let e = talks::extend(&mut store, "JPN", far, None, day("2025-05-01")).unwrap_err();
    assert!(
        matches!(
            e,
            ServiceError::BadInput {
                field: Some("end"),
                ..
            }
        ),
        "{e:?}"
    );
}

/// Concurrent proposals on one talk without `if_version` used to fail with "proposal BRA#1
/// already exists" (3 of 10 succeeded, issue 15): the number was read outside the write. Now each
/// writer that loses the race numbers again: all ten land, numbered 1 to 10.
#[test]
fn concurrent_proposals_without_a_version_all_land_with_distinct_numbers() {
    let (dir, mut store) = store();
    open(&mut store, "BRA", "2025-04-09");
    let path = dir.path().join("talks.db");
    let handles: Vec<_> = (0..10)
        .map(|k| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = SqliteStore::open(&path).unwrap();
                let side = if k % 2 == 0 { Side::Us } else { Side::Partner };
                let request = table(
                    "BRA",
                    Some(side),
                    None,
                    draft(10.0 + k as f64, ("BRA", 0.0)),
                    "2025-04-20",
                );
                talks::table_proposal(&mut store, None, &request).map(|t| t.proposal.number)
            })
        })
        .collect();
    let mut numbers: Vec<u32> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=10).collect::<Vec<u32>>());
    assert_eq!(store.proposals("BRA").unwrap().len(), 10);
}

/// Issue 15, item 13: a partner's team cannot take a talk to `implemented` alone; the US implements
/// (its proclamation changes the tariffs), whoever tabled the agreement.
#[test]
fn only_the_us_implements_an_agreement() {
    let (_dir, mut store) = store();
    open(&mut store, "JPN", "2025-04-10");
    // The US tables, the partner accepts an agreement.
    propose(&mut store, "JPN", Some(Side::Us), None, 15.0, "2025-04-20");
    let agreement = AcceptRequest {
        side: Some(Side::Partner),
        stage: Some(State::Agreement),
        ..accept_req("JPN", 1, None, "2025-04-25")
    };
    talks::accept(&mut store, &agreement).unwrap();
    // The partner may not implement it (before: accepted, the talk final after two requests).
    let by_partner = AcceptRequest {
        side: Some(Side::Partner),
        stage: Some(State::Implemented),
        ..accept_req("JPN", 1, None, "2025-05-01")
    };
    let err = talks::accept(&mut store, &by_partner).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
    assert!(err.to_string().contains("only the US implements"), "{err}");
    assert_eq!(
        store.negotiation("JPN").unwrap().unwrap().state,
        State::Agreement
    );
    // The US implements its own proposal (it tabled it: as an answer it could not accept it).
    let by_us = AcceptRequest {
        side: Some(Side::Us),
        stage: Some(State::Implemented),
        ..accept_req("JPN", 1, None, "2025-05-01")
    };
    let t = talks::accept(&mut store, &by_us).unwrap();
    assert_eq!(t.state, State::Implemented);
    assert_eq!(t.events.last().unwrap().kind, EventKind::Implemented);
}
