//! The load driver shared by `tests/load.rs` (bounded, asserted) and `benches/load.rs` (timed):
//! an in-process server on loopback, one admin, `talks` talks, and `writes` proposal POSTs fired
//! at once. Each POST is scored on the server's world and written, without `if_version`: the
//! service renumbers a writer that lost the race; a 409, should one come, is counted and retried
//! after a short, deterministic back-off. Afterwards the store is read directly and every acknowledged write must be there,
//! with its terms, its score and its events, and nothing else.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use reciprocity_server::{AppState, Backend, Server, ServerConfig, Stores};
use reciprocity_service::NegotiationWorld;
use reciprocity_store::{ApiUser, SqliteStore, Store};
use serde_json::{json, Value};

/// What a load run did.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Proposal POSTs sent (first tries and retries).
    pub attempts: usize,
    /// Writes acknowledged (201).
    pub acknowledged: usize,
    /// 409 answers (stale base version), each followed by a retry.
    pub conflicts: usize,
    /// Any other answer: status and body.
    pub unexpected: Vec<String>,
    /// Wall time of the burst.
    pub wall: Duration,
    /// Latency of every attempt, milliseconds, sorted.
    pub attempt_ms: Vec<f64>,
    /// Latency of every acknowledged write including its retries, milliseconds, sorted.
    pub write_ms: Vec<f64>,
    /// Problems found when the store was read back (empty: nothing lost, nothing extra).
    pub lost_or_extra: Vec<String>,
}

impl LoadReport {
    /// The p-th percentile (0..=100) of sorted values.
    pub fn percentile(sorted: &[f64], p: f64) -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }
}

/// One acknowledged write, as the client saw it.
struct Ack {
    talk: String,
    number: u64,
    rate_pct: f64,
    us_welfare_pct: f64,
}

const TOKEN: &str = "rcp_load-test-admin-token";

/// Run the burst: `writes` proposals over `talks` talks, at most `in_flight` at once (`writes`:
/// all at once; 1: one client after another, the latency of an idle server).
pub fn run(
    backend: &Backend,
    world: Arc<NegotiationWorld>,
    talks: usize,
    writes: usize,
    in_flight: usize,
) -> LoadReport {
    let partners = prepare(backend, &world, talks);
    let listed = partners.clone();

    let config = ServerConfig {
        backend: backend.clone(),
        bind: "127.0.0.1:0".parse().unwrap(),
        clock: NaiveDate::from_ymd_opt(2025, 5, 1),
        world: None,
        world_name: None,
        limits: reciprocity_server::Limits::default(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Opened off the runtime: the PostgreSQL client blocks.
    let stores = Stores::open(&config.backend).unwrap();
    let (mut report, acks) = runtime.block_on(async move {
        let state = AppState::with_world(stores, world, &config);
        let server = Server::bind(&config, state).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(writes)
            .build()
            .unwrap();
        for p in &partners {
            let r = client
                .post(format!("{base}/api/v1/negotiations"))
                .bearer_auth(TOKEN)
                .json(
                    &json!({"partner": p, "start": "2025-04-09", "days": 90, "date": "2025-04-10"}),
                )
                .send()
                .await
                .unwrap();
            assert!(
                r.status().is_success(),
                "open {p}: {}",
                r.text().await.unwrap()
            );
        }

        let t0 = Instant::now();
        let mut tasks = Vec::with_capacity(writes);
        let clients = Arc::new(tokio::sync::Semaphore::new(in_flight));
        for w in 0..writes {
            let (client, base) = (client.clone(), base.clone());
            let clients = clients.clone();
            let talk = partners[w % partners.len()].clone();
            // Distinct rates (0.0 .. 49.9%) so each stored proposal can be matched to its POST.
            let rate_pct = (w % 500) as f64 / 10.0;
            tasks.push(tokio::spawn(async move {
                let _client = clients.acquire_owned().await.unwrap();
                write_one(&client, &base, &talk, rate_pct, w).await
            }));
        }
        let mut report = LoadReport::default();
        let mut acks = Vec::new();
        for t in tasks {
            let (attempts, conflicts, outcome) = t.await.unwrap();
            report.attempts += attempts.len();
            report.attempt_ms.extend(attempts);
            report.conflicts += conflicts;
            match outcome {
                Ok((ack, total)) => {
                    report.write_ms.push(total);
                    acks.push(ack);
                }
                Err(e) => report.unexpected.push(e),
            }
        }
        report.wall = t0.elapsed();
        report.acknowledged = acks.len();
        report.attempt_ms.sort_by(f64::total_cmp);
        report.write_ms.sort_by(f64::total_cmp);
        stop.send(()).unwrap();
        serving.await.unwrap().unwrap();
        (report, acks)
    });
    drop(runtime);
    report.lost_or_extra = verify(backend, &listed, &acks);
    report
}

/// One write, retried on a 409 with a deterministic jitter: the time of every attempt (ms), the
/// conflicts met, and the acknowledgement with the write's total time, or what went wrong.
async fn write_one(
    client: &reqwest::Client,
    base: &str,
    talk: &str,
    rate_pct: f64,
    w: usize,
) -> (Vec<f64>, usize, Result<(Ack, f64), String>) {
    let url = format!("{base}/api/v1/negotiations/{talk}/proposals");
    let body = json!({
        "side": "us",
        "date": "2025-05-01",
        "terms": {"tariff_lines": [{"by": "USA", "scope": "all", "rate_pct": rate_pct}]}
    });
    let started = Instant::now();
    let mut attempts = Vec::new();
    let mut conflicts = 0;
    for attempt in 0..400u64 {
        let a0 = Instant::now();
        let r = client
            .post(&url)
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
            .await;
        attempts.push(a0.elapsed().as_secs_f64() * 1e3);
        let r = match r {
            Ok(r) => r,
            Err(e) => return (attempts, conflicts, Err(format!("transport: {e:?}"))),
        };
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        match status {
            201 => {
                let ack = Ack {
                    talk: talk.to_string(),
                    number: v["proposal"]["number"].as_u64().unwrap_or(0),
                    rate_pct,
                    us_welfare_pct: v["score"]["us_welfare_pct"].as_f64().unwrap_or(f64::NAN),
                };
                let total = started.elapsed().as_secs_f64() * 1e3;
                return (attempts, conflicts, Ok((ack, total)));
            }
            409 => {
                conflicts += 1;
                // Deterministic jitter: writers on one talk spread out.
                let wait = 2 + (w as u64 * 7 + attempt * 13) % 23;
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
            other => return (attempts, conflicts, Err(format!("{other}: {v}"))),
        }
    }
    (
        attempts,
        conflicts,
        Err("still conflicting after 400 tries".into()),
    )
}

/// The admin of the test and the first `talks` partners of the world (the US left out).
fn prepare(backend: &Backend, world: &NegotiationWorld, talks: usize) -> Vec<String> {
    let stores = Stores::open(backend).expect("open the database");
    let mut store = stores.get().expect("a store");
    store
        .add_user(
            &ApiUser {
                name: "lead".into(),
                role: "admin".into(),
                created: "2025-04-09T00:00:00Z".into(),
            },
            &reciprocity_server::auth::hash_token(TOKEN),
        )
        .expect("add the admin");
    drop(store);
    let partners: Vec<String> = world
        .data
        .countries
        .iter()
        .filter(|c| c.as_str() != "USA")
        .take(talks)
        .cloned()
        .collect();
    assert_eq!(
        partners.len(),
        talks,
        "the world has fewer partners than talks"
    );
    partners
}

/// Read the store back: every acknowledged proposal is there with its rate, its score and its
/// events; no proposal is there that nobody acknowledged; numbers run 1..=k per talk.
fn verify(backend: &Backend, partners: &[String], acks: &[Ack]) -> Vec<String> {
    let mut problems = match backend {
        Backend::Sqlite(db) => SqliteStore::open(db)
            .expect("reopen the database")
            .check()
            .expect("integrity check"),
        // PostgreSQL checks its own pages; the reads below check the record.
        Backend::Postgres(_) => Vec::new(),
    };
    let stores = Stores::open(backend).expect("reopen the database");
    let store = stores.get().expect("a store");
    let mut by_talk: BTreeMap<&str, Vec<&Ack>> = BTreeMap::new();
    for a in acks {
        by_talk.entry(a.talk.as_str()).or_default().push(a);
    }
    for p in partners {
        let acked = by_talk.remove(p.as_str()).unwrap_or_default();
        let stored = store.proposals(p).unwrap();
        let scores = store.scores(p).unwrap();
        if stored.len() != acked.len() {
            problems.push(format!(
                "{p}: {} proposals stored, {} acknowledged",
                stored.len(),
                acked.len()
            ));
        }
        for (i, s) in stored.iter().enumerate() {
            if s.number as usize != i + 1 {
                problems.push(format!("{p}: proposal #{} at position {}", s.number, i + 1));
            }
        }
        for a in &acked {
            let Some(s) = stored.iter().find(|s| u64::from(s.number) == a.number) else {
                problems.push(format!(
                    "{p}: acknowledged proposal #{} is missing",
                    a.number
                ));
                continue;
            };
            let rate = s.terms.tariff_lines.first().map(|l| l.rate_pct);
            if rate.is_none_or(|r| (r - a.rate_pct).abs() > 1e-9) {
                problems.push(format!(
                    "{p}#{}: stored rate {rate:?}, acknowledged {}",
                    a.number, a.rate_pct
                ));
            }
            match scores.iter().find(|r| u64::from(r.proposal) == a.number) {
                Some(r) if (r.score.us_welfare_pct - a.us_welfare_pct).abs() < 1e-9 => {}
                Some(r) => problems.push(format!(
                    "{p}#{}: stored US welfare {}, acknowledged {}",
                    a.number, r.score.us_welfare_pct, a.us_welfare_pct
                )),
                None => problems.push(format!("{p}#{}: no score stored", a.number)),
            }
        }
        let proposed = store
            .events(Some(p))
            .unwrap()
            .iter()
            .filter(|e| e.kind == reciprocity_negotiation::EventKind::Proposed)
            .count();
        if proposed != acked.len() {
            problems.push(format!(
                "{p}: {proposed} `proposed` events, {} acknowledged",
                acked.len()
            ));
        }
        let talk = store.negotiation(p).unwrap().expect("the talk");
        // Opened at version 1; every acknowledged proposal bumped it once.
        if talk.version != 1 + acked.len() as u64 {
            problems.push(format!(
                "{p}: talk version {}, expected {}",
                talk.version,
                1 + acked.len()
            ));
        }
    }
    problems
}
