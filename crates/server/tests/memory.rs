//! Issue 15, item 2 (the done-when's memory cap): 10,000 scenario requests, each with parameters
//! no other request had (a distinct trade elasticity, so a calibration of its own), sent to the
//! in-process server; the process's peak resident memory (VmHWM) must stay under
//! [`CAP_MIB`]. Before the bounded cache, every parameter set kept its calibration (~0.9 MB) for
//! the server's life: 2,400 requests grew a server to 2.15 GB.
//!
//! Ignored (minutes of work; the test profile is optimised): `cargo test -p reciprocity-server --test memory --
//! --ignored --nocapture`. The numbers are in docs/security.md and BENCHMARKS.md.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use reciprocity_server::auth::new_token;
use reciprocity_server::{AppState, Backend, Limits, ServerConfig, Stores};
use reciprocity_service::NegotiationWorld;
use reciprocity_store::{ApiUser, Store};
use tower::ServiceExt;

/// The documented cap on the server's resident memory after the run, MiB.
const CAP_MIB: f64 = 256.0;
/// Requests, each with parameters of its own.
const REQUESTS: usize = 10_000;

/// `VmHWM` (peak) and `VmRSS` (now) of this process, MiB.
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes of work: run with --ignored"]
async fn ten_thousand_distinct_scenarios_stay_under_the_memory_cap() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::Sqlite(dir.path().join("talks.db"));
    let config = ServerConfig {
        backend: backend.clone(),
        bind: "127.0.0.1:0".parse().unwrap(),
        clock: NaiveDate::from_ymd_opt(2025, 4, 10),
        world: None,
        world_name: None,
        limits: Limits::default(),
    };
    let (token, hash) = new_token().unwrap();
    let stores = tokio::task::spawn_blocking(move || {
        let stores = Stores::open(&backend).unwrap();
        let user = ApiUser {
            name: "analyst".into(),
            role: "analyst".into(),
            created: "2025-04-09T00:00:00Z".into(),
        };
        stores.get().unwrap().add_user(&user, &hash).unwrap();
        stores
    })
    .await
    .unwrap();
    let world = Arc::new(NegotiationWorld::load(None).unwrap());
    let app = reciprocity_server::router(AppState::with_world(stores, world, &config));
    let send = |i: usize| {
        // A distinct elasticity per request: 3.0000 .. 4.9999, never the same twice.
        let epsilon = 3.0 + i as f64 * 2.0 / REQUESTS as f64;
        let body = serde_json::json!({"name": format!("m{i}"), "model": {"epsilon": epsilon}});
        Request::builder()
            .method("POST")
            .uri("/api/v1/scenarios")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    // One first, so the baseline includes the scenario world and the first calibration.
    let r = app.clone().oneshot(send(REQUESTS)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, baseline) = memory_mib();
    let t0 = Instant::now();
    let mut peak_at = Vec::new();
    for i in 0..REQUESTS {
        let r = app.clone().oneshot(send(i)).await.unwrap();
        let status = r.status();
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        if (i + 1) % 2_000 == 0 {
            let (hwm, rss) = memory_mib();
            peak_at.push(format!("{}: VmRSS {rss:.0} MiB, VmHWM {hwm:.0} MiB", i + 1));
        }
    }
    let (hwm, rss) = memory_mib();
    eprintln!(
        "{REQUESTS} scenarios with distinct parameters in {:.0} s; baseline VmRSS {baseline:.0} MiB; \
         after: VmRSS {rss:.0} MiB, VmHWM (peak) {hwm:.0} MiB; cap {CAP_MIB:.0} MiB\n{}",
        t0.elapsed().as_secs_f64(),
        peak_at.join("\n")
    );
    assert!(
        hwm < CAP_MIB,
        "peak {hwm:.0} MiB over the cap {CAP_MIB:.0} MiB"
    );
}
