//! `cargo bench -p reciprocity-server --bench load`: throughput and latency of 1,000 concurrent
//! scored proposal writes over HTTP on loopback (see `tests/support/load.rs`), on a fresh SQLite
//! file; then the peer in the same run: the same 1,000 proposals scored by direct calls of
//! `reciprocity_service::talks::score_terms` on every core, no HTTP and no store. The ratio is the
//! price of the service (HTTP, auth, JSON, the store's durable commits, conflicts and retries).
//! Prints Markdown rows for BENCHMARKS.md.

#[path = "../tests/support/load.rs"]
mod load;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use load::LoadReport;
use reciprocity_service::{talks, NegotiationWorld};
use reciprocity_store::{SqliteStore, Store};

/// Seconds to score every stored proposal directly, on `threads` threads.
fn direct_scoring_secs(db: &Path, world: &NegotiationWorld, threads: usize) -> (usize, f64) {
    let store = SqliteStore::open(db).unwrap();
    let date = NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
    let mut work = Vec::new();
    for talk in store.negotiations().unwrap() {
        for p in store.proposals(&talk.id).unwrap() {
            work.push((talk.clone(), p.terms));
        }
    }
    // Warm the no-deal reference, as the server's first request did.
    talks::score_terms(world, &work[0].0, &work[0].1, date).unwrap();
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for chunk in work.chunks(work.len().div_ceil(threads)) {
            s.spawn(move || {
                for (talk, terms) in chunk {
                    talks::score_terms(world, talk, terms, date).unwrap();
                }
            });
        }
    });
    (work.len(), t0.elapsed().as_secs_f64())
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument other than ours means "not me".
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && a != "load")
    {
        return;
    }
    let world = Arc::new(NegotiationWorld::load(None).expect("the embedded world"));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!("| burst | wall | writes/s | scorings/s (incl. retried) | conflicts | attempt p50 / p99 | write incl. retries p50 / p99 | direct scoring, {threads} threads | served / direct |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (talks, writes, in_flight) in [
        (125usize, 1000usize, 1000usize),
        (25, 1000, 1000),
        (25, 200, 1),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("load.db");
        let backend = reciprocity_server::Backend::Sqlite(db.clone());
        let r = load::run(&backend, world.clone(), talks, writes, in_flight);
        assert!(
            r.unexpected.is_empty() && r.lost_or_extra.is_empty(),
            "{r:?}"
        );
        let secs = r.wall.as_secs_f64();
        let (n, direct) = direct_scoring_secs(&db, &world, threads);
        println!(
            "| {writes} writes over {talks} talks, {in_flight} in flight | {secs:.2} s | {:.0} | {:.0} | {} | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.0} scorings/s | {:.2} |",
            r.acknowledged as f64 / secs,
            r.attempts as f64 / secs,
            r.conflicts,
            LoadReport::percentile(&r.attempt_ms, 50.0),
            LoadReport::percentile(&r.attempt_ms, 99.0),
            LoadReport::percentile(&r.write_ms, 50.0),
            LoadReport::percentile(&r.write_ms, 99.0),
            n as f64 / direct,
            (r.acknowledged as f64 / secs) / (n as f64 / direct),
        );
    }
}
