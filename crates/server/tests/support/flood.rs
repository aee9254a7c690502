//! The flood of issue 15, item 3 (`tests/load.rs`): a server on loopback, one caller firing 20
//! slow solves and hanging up, `/health` polled throughout, then a shutdown with another caller's
//! solve still attached.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use reciprocity_server::{AppState, Backend, Server, ServerConfig, Stores};
use reciprocity_service::NegotiationWorld;
use reciprocity_store::{ApiUser, SqliteStore, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What the flood measured.
#[derive(Debug, Default)]
pub struct FloodReport {
    /// Latency of every `/health` request, milliseconds, sorted (a failure counts as its timeout).
    pub health_ms: Vec<f64>,
    /// `/health` requests that failed or timed out.
    pub failures: Vec<String>,
    /// From the shutdown signal to `Server::run` returning.
    pub shutdown: Duration,
    /// The raw answer to the solve still attached at the shutdown.
    pub attached_answer: String,
}

const ANALYST: &str = "rcp_flood-analyst";
const ADMIN: &str = "rcp_flood-admin";
/// Solves the one caller fires and abandons.
const ABANDONED: usize = 20;
/// How long one `/health` may take before it counts as failed.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// One rate per partner: 193 controls on the embedded world, minutes of GE work.
fn slow_solve(token: &str) -> Vec<u8> {
    let body = r#"{"country": "USA", "by": "partner"}"#;
    format!(
        "POST /api/v1/strategy/optimal HTTP/1.1\r\nhost: flood\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn health(client: &reqwest::Client, base: &str, report: &mut FloodReport) {
    let t = Instant::now();
    let r = client
        .get(format!("{base}/api/v1/health"))
        .timeout(HEALTH_TIMEOUT)
        .send()
        .await;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    match r {
        Ok(r) if r.status().is_success() => report.health_ms.push(ms),
        Ok(r) => {
            report.health_ms.push(ms);
            report.failures.push(format!("status {}", r.status()));
        }
        Err(e) => {
            report.health_ms.push(HEALTH_TIMEOUT.as_secs_f64() * 1e3);
            report.failures.push(format!("{e}"));
        }
    }
}

/// Poll `/health` `n` times, 50 ms apart (stop early after three failures: the server is starved).
async fn poll(client: &reqwest::Client, base: &str, n: usize, report: &mut FloodReport) {
    for _ in 0..n {
        health(client, base, report).await;
        if report.failures.len() >= 3 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Run the flood on a fresh SQLite database `db`.
pub async fn run(db: &Path, world: Arc<NegotiationWorld>) -> FloodReport {
    let mut store = SqliteStore::open(db).expect("open the database");
    for (name, role, token) in [("analyst", "analyst", ANALYST), ("lead", "admin", ADMIN)] {
        let user = ApiUser {
            name: name.into(),
            role: role.into(),
            created: "2025-04-09T00:00:00Z".into(),
        };
        store
            .add_user(&user, &reciprocity_server::auth::hash_token(token))
            .expect("add a user");
    }
    drop(store);
    let config = flood_config(db);
    let state = AppState::with_world(Stores::open(&config.backend).unwrap(), world, &config);
    let server = Server::bind(&config, state).await.unwrap();
    let addr = server.local_addr().unwrap();
    let base = format!("http://{addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let mut report = FloodReport::default();
    health(&client, &base, &mut report).await;
    report.health_ms.clear();
    report.failures.clear();

    // One caller fires 20 slow solves; /health is polled while they are attached ...
    let mut flood = Vec::new();
    for _ in 0..ABANDONED {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(&slow_solve(ANALYST)).await.unwrap();
        flood.push(s);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    poll(&client, &base, 20, &mut report).await;
    // ... and after the caller hung up on every one.
    drop(flood);
    tokio::time::sleep(Duration::from_millis(100)).await;
    poll(&client, &base, 20, &mut report).await;

    // Another caller's solve is attached when the shutdown begins.
    let mut attached = TcpStream::connect(addr).await.unwrap();
    attached.write_all(&slow_solve(ADMIN)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = Instant::now();
    stop.send(()).unwrap();
    // Not stopped within 30 s: the report says 30 s and the test fails on it.
    let _ = tokio::time::timeout(Duration::from_secs(30), running).await;
    report.shutdown = t.elapsed();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), attached.read_to_end(&mut answer)).await;
    report.attached_answer = String::from_utf8_lossy(&answer).into_owned();
    report.health_ms.sort_by(f64::total_cmp);
    report
}

fn flood_config(db: &Path) -> ServerConfig {
    ServerConfig {
        backend: Backend::Sqlite(db.to_path_buf()),
        bind: "127.0.0.1:0".parse().unwrap(),
        clock: NaiveDate::from_ymd_opt(2025, 5, 1),
        world: None,
        world_name: None,
        limits: reciprocity_server::Limits::default(),
    }
}
