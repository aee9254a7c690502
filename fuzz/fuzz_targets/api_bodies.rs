//! The API's request bodies (`crates/server/src/dto.rs`): each DTO deserialised from the bytes as
//! the JSON extractor does, then the checks the handlers and the service run without a GE world:
//! dates, sides and stages, terms validation (`reciprocity_negotiation::validate` through
//! `talks::validate_terms`), and opening and extending a talk in a fresh SQLite store. Any `Err`
//! is fine; only a panic, an overflow, a hang or running out of memory is a crash.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use reciprocity_negotiation::{Negotiation, PauseWindow};
use reciprocity_server::dto::{
    parse_date, parse_opt_date, parse_side, parse_stage, AcceptBody, ExtendBody, OpenTalkBody,
    ProposalBody, RejectBody,
};
use reciprocity_service::talks::{self, OpenRequest};
use reciprocity_store::SqliteStore;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 9).expect("a date")
}

/// A fresh store in a temporary folder (dropped with the folder).
fn with_store(f: impl FnOnce(&mut SqliteStore)) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut store = SqliteStore::open(&dir.path().join("fuzz.db")).expect("a new store");
    f(&mut store);
}

fn open(body: OpenTalkBody) {
    let (Ok(date), Ok(start), Ok(end)) = (
        parse_opt_date("date", body.date.as_deref()),
        parse_opt_date("start", body.start.as_deref()),
        parse_opt_date("end", body.end.as_deref()),
    ) else {
        return;
    };
    let req = OpenRequest {
        partner: body.partner,
        date: date.unwrap_or_else(today),
        start,
        days: body.days,
        end,
    };
    with_store(|store| {
        let _ = talks::open_talk(store, &req);
    });
}

fn proposal(body: ProposalBody) {
    let _ = parse_side(body.side.as_deref());
    let _ = parse_opt_date("date", body.date.as_deref());
    let draft = body.terms.draft();
    let sectors: Vec<String> = vec!["AGR".into(), "MFG".into(), "SRV".into()];
    for partner in ["JPN", "EUU"] {
        let talk = Negotiation::new(partner, partner, PauseWindow::days(today(), 90), today());
        let _ = talks::validate_terms(sectors.clone(), &talk, &draft);
    }
}

fn extend(body: ExtendBody) {
    let Ok(new_end) = parse_date("new_end", &body.new_end) else {
        return;
    };
    let Ok(date) = parse_opt_date("date", body.date.as_deref()) else {
        return;
    };
    let date = date.unwrap_or_else(today);
    with_store(|store| {
        let req = OpenRequest {
            partner: "JPN".into(),
            date: today(),
            start: None,
            days: None,
            end: None,
        };
        if talks::open_talk(store, &req).is_ok() {
            let _ = talks::extend(store, "JPN", new_end, body.if_version, date);
        }
    });
}

fuzz_target!(|bytes: &[u8]| {
    if let Ok(body) = serde_json::from_slice::<OpenTalkBody>(bytes) {
        open(body);
    }
    if let Ok(body) = serde_json::from_slice::<ProposalBody>(bytes) {
        proposal(body);
    }
    if let Ok(body) = serde_json::from_slice::<AcceptBody>(bytes) {
        let _ = parse_side(body.side.as_deref());
        let _ = parse_stage(body.stage.as_deref());
        let _ = parse_opt_date("date", body.date.as_deref());
    }
    if let Ok(body) = serde_json::from_slice::<RejectBody>(bytes) {
        let _ = parse_side(body.side.as_deref());
        let _ = parse_opt_date("date", body.date.as_deref());
    }
    if let Ok(body) = serde_json::from_slice::<ExtendBody>(bytes) {
        extend(body);
    }
});
