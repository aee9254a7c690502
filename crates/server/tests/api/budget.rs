//! The compute budget (issue 15, item 3): a full queue is 503 and a caller over its share 429,
//! both with `Retry-After` and the JSON error shape; a solve past its deadline is stopped and
//! answered 503; a solve whose client left frees its place.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use reciprocity_server::Limits;
use serde_json::json;
use tower::ServiceExt;

use super::common::{app_with, call, App, Reply};

/// One rate per partner on the embedded world: minutes of GE work unless stopped.
fn slow() -> serde_json::Value {
    json!({"country": "USA", "by": "partner"})
}

/// Start a slow solve of `token` in the background; abort the task to hang up.
fn start_slow(app: &App, token: &str) -> tokio::task::JoinHandle<StatusCode> {
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/strategy/optimal")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(slow().to_string()))
        .unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { router.oneshot(req).await.unwrap().status() })
}

fn assert_retry_later(r: &Reply, status: StatusCode, code: &str) {
    let short: String = r.body.to_string().chars().take(300).collect();
    assert_eq!(r.status, status, "{short}");
    assert_eq!(r.code(), code, "{short}");
    assert!(!r.message().is_empty());
    let retry = r.headers.get("retry-after").expect("a Retry-After header");
    assert!(retry.to_str().unwrap().parse::<u32>().unwrap() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_is_503_with_retry_after() {
    let app = app_with(Limits {
        solvers: 1,
        solve_queue: 0,
        ..Limits::default()
    });
    let running = start_slow(&app, &app.tokens.admin);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/optimal",
        Some(&app.tokens.analyst),
        Some(json!({"country": "USA"})),
    )
    .await;
    assert_retry_later(&r, StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    // Reads and /health do not queue behind the solve.
    let t = Instant::now();
    assert_eq!(
        call(&app, "GET", "/api/v1/health", None, None).await.status,
        200
    );
    let board = call(
        &app,
        "GET",
        "/api/v1/negotiations",
        Some(&app.tokens.analyst),
        None,
    )
    .await;
    assert_eq!(board.status, 200);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "reads waited behind a solve"
    );
    // The client of the running solve hangs up: its place comes free (the solve stops).
    running.abort();
    let freed = wait_until_admitted(&app, &app.tokens.analyst).await;
    assert_eq!(freed.status, StatusCode::OK, "{:?}", freed.body);
}

/// Retry a quick solve until it is admitted (at most 30 s): the places of stopped solves free.
async fn wait_until_admitted(app: &App, token: &str) -> Reply {
    let t = Instant::now();
    loop {
        let r = call(
            app,
            "POST",
            "/api/v1/strategy/optimal",
            Some(token),
            Some(json!({"country": "USA"})),
        )
        .await;
        if r.status != StatusCode::SERVICE_UNAVAILABLE && r.status != StatusCode::TOO_MANY_REQUESTS
            || t.elapsed() > Duration::from_secs(30)
        {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_over_its_share_is_429_with_retry_after_and_others_still_run() {
    let app = app_with(Limits {
        solves_per_caller: 1,
        ..Limits::default()
    });
    let running = start_slow(&app, &app.tokens.jpn);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = call(
        &app,
        "POST",
        "/api/v1/scenarios",
        Some(&app.tokens.jpn),
        Some(json!({"name": "x", "tariffs": [{"importers": ["USA"], "exporters": ["all"], "rate": 0.1}]})),
    )
    .await;
    assert_retry_later(&r, StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    let other = call(
        &app,
        "POST",
        "/api/v1/strategy/optimal",
        Some(&app.tokens.kor),
        Some(json!({"country": "USA"})),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK, "{:?}", other.body);
    running.abort();
    let again = wait_until_admitted(&app, &app.tokens.jpn).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_solve_past_its_deadline_is_stopped_and_answered_503() {
    let app = app_with(Limits {
        solve_deadline: Duration::from_secs(1),
        solves_per_caller: 1,
        ..Limits::default()
    });
    let t = Instant::now();
    let r = call(
        &app,
        "POST",
        "/api/v1/strategy/optimal",
        Some(&app.tokens.analyst),
        Some(slow()),
    )
    .await;
    assert_retry_later(&r, StatusCode::SERVICE_UNAVAILABLE, "deadline_exceeded");
    assert!(r.message().contains("1 s"), "{}", r.message());
    // Generous: the answer comes at the deadline, not when the solve would have ended.
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
    // The stopped solve frees the caller's one place.
    let again = wait_until_admitted(&app, &app.tokens.analyst).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
}
