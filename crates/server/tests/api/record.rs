//! The record as a team sees it (issue 15): per-talk event numbers (item 7), size limits, write
//! quotas and pages (item 6), a bad stored row confined to its talk and the admin's withdrawal
//! (item 1).

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::common::{app, call, open, terms, App};

/// The events of a log answer (`{"events": [...], "next_after": ...}`, or a bare array).
fn events(body: &Value) -> Vec<Value> {
    match body {
        Value::Array(a) => a.clone(),
        other => other["events"].as_array().cloned().unwrap_or_default(),
    }
}

async fn propose(app: &App, talk: &str, token: &str, us_pct: f64) {
    let r = call(
        app,
        "POST",
        &format!("/api/v1/negotiations/{talk}/proposals"),
        Some(token),
        Some(json!({"side": "partner", "terms": terms(us_pct, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}

#[tokio::test]
async fn each_team_sees_its_log_numbered_one_to_n_without_gaps() {
    let app = app();
    open(&app, "JPN").await;
    open(&app, "KOR").await;
    let (jpn, kor) = (app.tokens.jpn.clone(), app.tokens.kor.clone());
    for rate in [20.0, 15.0, 10.0] {
        propose(&app, "JPN", &jpn, rate).await;
        propose(&app, "KOR", &kor, rate).await;
    }
    for (talk, token) in [("JPN", &jpn), ("KOR", &kor)] {
        let r = call(
            &app,
            "GET",
            &format!("/api/v1/negotiations/{talk}/log"),
            Some(token),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        let list = events(&r.body);
        // Opened, then three proposals each with its score: 7 events.
        let numbers: Vec<u64> = list.iter().map(|e| e["number"].as_u64().unwrap()).collect();
        assert_eq!(numbers, (1..=7).collect::<Vec<_>>(), "{talk}: {list:?}");
        // The store's global position (which counts the other talk's events) is not shown.
        assert!(list.iter().all(|e| e.get("seq").is_none()), "{list:?}");
    }
    // The events a write returns carry the same numbers.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&jpn),
        Some(json!({"side": "partner", "terms": terms(5.0, 0.0)})),
    )
    .await;
    let numbers: Vec<u64> = events(&r.body["events"])
        .iter()
        .map(|e| e["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [8, 9]);
}

// ---------------------------------------------------------------- item 6: limits, quotas, pages

#[tokio::test]
async fn oversize_texts_are_refused_naming_the_json_field() {
    let app = app();
    open(&app, "JPN").await;
    let jpn = Some(app.tokens.jpn.as_str());
    let long = "x".repeat(4097);
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        jpn,
        Some(json!({"side": "partner", "terms": {"text": ["rice access", long]}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{:?}", r.body);
    assert_eq!(r.code(), "bad_request");
    assert!(
        r.message()
            .starts_with("terms.text: item 2: expected at most 4096 bytes"),
        "{}",
        r.message()
    );
    let scope = "s".repeat(65);
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        jpn,
        Some(json!({"side": "partner", "terms": {"tariff_lines": [{"by": "us", "scope": scope, "rate_pct": 10}]}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.message().starts_with("terms.tariff_lines.scope: item 1"),
        "{}",
        r.message()
    );
    assert!(
        !r.message().contains(&scope),
        "the oversize value is not echoed"
    );
    let many: Vec<String> = (0..5001).map(|i| format!("t{i}")).collect();
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        jpn,
        Some(json!({"side": "partner", "terms": {"text": many}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.message()
            .starts_with("terms: expected at most 5000 terms"),
        "{}",
        r.message()
    );
    // A reason.
    propose(&app, "JPN", &app.tokens.jpn, 10.0).await;
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/1/reject",
        Some(&app.tokens.admin),
        Some(json!({"reason": "r".repeat(4097)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.message()
            .starts_with("reason: expected at most 4096 bytes"),
        "{}",
        r.message()
    );
    // Nothing of the refused writes is in the log: opened, proposed, scored.
    let log = call(&app, "GET", "/api/v1/negotiations/JPN/log", jpn, None).await;
    assert_eq!(events(&log.body).len(), 3);
}

#[tokio::test]
async fn a_team_that_floods_gets_429_with_retry_after() {
    let app = app();
    open(&app, "JPN").await;
    let jpn = Some(app.tokens.jpn.as_str());
    // Cheap writes (refused by the service after the quota is charged): 20 at once pass...
    let empty = json!({"side": "partner", "terms": {}});
    for i in 0..20 {
        let r = call(
            &app,
            "POST",
            "/api/v1/negotiations/JPN/proposals",
            jpn,
            Some(empty.clone()),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "write {i}: {:?}", r.body);
    }
    // ... the 21st is over the quota.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        jpn,
        Some(empty.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", r.body);
    assert_eq!(r.code(), "too_many_requests");
    assert!(r.message().contains("jpn-team"), "{}", r.message());
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another team, and the admin, are not held back; reads are not counted.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&app.tokens.admin),
        Some(empty),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = call(&app, "GET", "/api/v1/negotiations/JPN/log", jpn, None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_team_may_write_one_mebibyte_an_hour_to_its_talk() {
    let app = app();
    open(&app, "JPN").await;
    let jpn = Some(app.tokens.jpn.as_str());
    // 60 texts of 4,000 bytes: 240 KB a request. `amend` of a proposal that does not exist makes
    // each write cheap (refused after the quota is charged).
    let texts: Vec<String> = (0..60).map(|_| "t".repeat(4000)).collect();
    let body = json!({"side": "partner", "amend": 99, "terms": {"text": texts}});
    for i in 0..4 {
        let r = call(
            &app,
            "POST",
            "/api/v1/negotiations/JPN/proposals",
            jpn,
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "write {i}: {:?}",
            r.body
        );
    }
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        jpn,
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", r.body);
    assert!(
        r.message().contains("to talk JPN in the last hour"),
        "{}",
        r.message()
    );
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn talk_details_and_logs_come_in_pages() {
    let app = app();
    open(&app, "JPN").await;
    let admin = app.tokens.admin.clone();
    for rate in [20.0, 15.0, 10.0] {
        propose(&app, "JPN", &admin, rate).await;
    }
    let get = |path: String| {
        let app = &app;
        let admin = admin.clone();
        async move { call(app, "GET", &path, Some(&admin), None).await }
    };
    let r = get("/api/v1/negotiations/JPN?limit=2".into()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let numbers = |b: &Value| -> Vec<u64> {
        b["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["number"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        (numbers(&r.body), r.body["next_after"].as_u64()),
        (vec![1, 2], Some(2))
    );
    assert!(r.body["proposals"][1]["score"].is_object());
    let r = get("/api/v1/negotiations/JPN?limit=2&after=2".into()).await;
    assert_eq!(
        (numbers(&r.body), r.body["next_after"].is_null()),
        (vec![3], true)
    );
    // The default page holds them all.
    let r = get("/api/v1/negotiations/JPN".into()).await;
    assert_eq!(numbers(&r.body), [1, 2, 3]);
    // The log: opened + 3 x (proposed, scored) = 7 events.
    let r = get("/api/v1/negotiations/JPN/log?limit=3&after=3".into()).await;
    let n: Vec<u64> = events(&r.body)
        .iter()
        .map(|e| e["number"].as_u64().unwrap())
        .collect();
    assert_eq!((n, r.body["next_after"].as_u64()), (vec![4, 5, 6], Some(6)));
    let r = get("/api/v1/negotiations/JPN/log?after=6".into()).await;
    assert_eq!(
        (events(&r.body).len(), r.body["next_after"].is_null()),
        (1, true)
    );
    for bad in ["limit=0", "limit=501", "limit=x", "after=-1", "page=2"] {
        let r = get(format!("/api/v1/negotiations/JPN/log?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {:?}", r.body);
    }
    let r = get("/api/v1/negotiations/JPN?limit=501".into()).await;
    assert!(
        r.message().starts_with("limit: expected 1 to 500"),
        "{}",
        r.message()
    );
}

// ---------------------------------------------------------------- item 1: a damaged talk

#[tokio::test]
async fn a_damaged_score_is_confined_to_its_talk_and_withdrawn_by_the_admin() {
    let app = app();
    open(&app, "JPN").await;
    open(&app, "KOR").await;
    propose(&app, "JPN", &app.tokens.jpn.clone(), 10.0).await;
    propose(&app, "KOR", &app.tokens.kor.clone(), 10.0).await;
    // A score stored by an older build that does not read back (a non-finite value).
    let raw = rusqlite::Connection::open(app.db.as_ref().unwrap()).unwrap();
    raw.execute(
        "UPDATE scores SET details = '{\"us_welfare_pct\": null}' WHERE negotiation = 'JPN'",
        [],
    )
    .unwrap();
    drop(raw);
    // The board answers for every role; the damaged talk carries its problem.
    for token in [
        &app.tokens.admin,
        &app.tokens.analyst,
        &app.tokens.jpn,
        &app.tokens.kor,
    ] {
        let r = call(&app, "GET", "/api/v1/negotiations", Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        for row in r.body.as_array().unwrap() {
            let damaged = row["id"] == "JPN";
            assert_eq!(row["problem"].is_string(), damaged, "{row}");
        }
    }
    // Only the admin withdraws.
    let path = "/api/v1/negotiations/JPN/proposals/1/withdraw";
    let r = call(&app, "POST", path, Some(&app.tokens.jpn), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    let r = call(&app, "POST", path, Some(&app.tokens.kor), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(
        &app,
        "POST",
        path,
        Some(&app.tokens.admin),
        Some(json!({"reason": "damaged score"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["events"][0]["kind"], "withdrawn");
    assert_eq!(r.body["events"][0]["number"], 4);
    // The talk works again: its detail, the board, and a new proposal.
    let r = call(
        &app,
        "GET",
        "/api/v1/negotiations/JPN",
        Some(&app.tokens.jpn),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["proposals"][0]["status"], "withdrawn");
    assert!(r.body["proposals"][0]["score"].is_null());
    let r = call(
        &app,
        "GET",
        "/api/v1/negotiations",
        Some(&app.tokens.admin),
        None,
    )
    .await;
    assert!(r
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["problem"].is_null()));
    propose(&app, "JPN", &app.tokens.jpn.clone(), 12.0).await;
    let r = call(&app, "POST", path, Some(&app.tokens.admin), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
}
