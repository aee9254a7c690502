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
