//! `cargo bench -p reciprocity-server --bench load`: throughput and latency of 1,000 concurrent
//! scored proposal writes on loopback (see `tests/support/load.rs`), on a fresh SQLite file.
//! Prints one Markdown row for BENCHMARKS.md.

#[path = "../tests/support/load.rs"]
mod load;

use std::sync::Arc;

use load::LoadReport;
use reciprocity_service::NegotiationWorld;

fn main() {
    // `cargo bench` passes `--bench`; a filter argument other than ours means "not me".
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && a != "load")
    {
        return;
    }
    let world = Arc::new(NegotiationWorld::load(None).expect("the embedded world"));
    for (talks, writes) in [(125usize, 1000usize), (25, 1000)] {
        let dir = tempfile::tempdir().unwrap();
        let r = load::run(&dir.path().join("load.db"), world.clone(), talks, writes);
        assert!(
            r.unexpected.is_empty() && r.lost_or_extra.is_empty(),
            "{r:?}"
        );
        let secs = r.wall.as_secs_f64();
        println!(
            "| {writes} writes over {talks} talks | {:.2} s | {:.0} writes/s | {:.0} scorings/s | {} conflicts | attempt p50 {:.1} ms, p99 {:.1} ms | write incl. retries p50 {:.1} ms, p99 {:.1} ms |",
            secs,
            r.acknowledged as f64 / secs,
            r.attempts as f64 / secs,
            r.conflicts,
            LoadReport::percentile(&r.attempt_ms, 50.0),
            LoadReport::percentile(&r.attempt_ms, 99.0),
            LoadReport::percentile(&r.write_ms, 50.0),
            LoadReport::percentile(&r.write_ms, 99.0),
        );
    }
}
