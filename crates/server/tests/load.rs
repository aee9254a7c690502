//! Load: 1,000 proposal POSTs in flight at once on loopback, each scored in general equilibrium
//! and written, without `if_version`. Nothing acknowledged may be lost, nothing unacknowledged
//! may appear, and no writer may see an error: a writer that loses the race for a proposal number
//! is renumbered by the service (issue 15), never answered 409.
//! Timings are in BENCHMARKS.md (`cargo bench -p reciprocity-server --bench load`); this test
//! asserts outcomes only.

#[path = "support/load.rs"]
mod load;

use std::sync::Arc;

use reciprocity_service::NegotiationWorld;

/// Few enough talks that writers on one talk overlap.
const TALKS: usize = 25;
/// Scored writes, all in flight at once.
const WRITES: usize = 1000;

#[test]
fn a_thousand_concurrent_scored_writes_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let world = Arc::new(NegotiationWorld::load(None).unwrap());
    let report = load::run(&dir.path().join("load.db"), world, TALKS, WRITES, WRITES);
    assert!(
        report.unexpected.is_empty(),
        "{:?}",
        &report.unexpected[..report.unexpected.len().min(5)]
    );
    assert_eq!(report.acknowledged, WRITES);
    assert_eq!(report.attempts, WRITES + report.conflicts);
    assert!(
        report.lost_or_extra.is_empty(),
        "{:?}",
        report.lost_or_extra
    );
    // Forty writers per talk overlap; without if_version the losers are renumbered and written
    // again inside the service, so no client sees a 409 (3 of 10 used to).
    assert_eq!(
        report.conflicts, 0,
        "a write without if_version was answered 409"
    );
    // For the log only (timings are for benchmarks, not tests).
    eprintln!(
        "{} writes, {} conflicts, {:.1} s; attempt p50 {:.0} ms, p99 {:.0} ms",
        report.acknowledged,
        report.conflicts,
        report.wall.as_secs_f64(),
        load::LoadReport::percentile(&report.attempt_ms, 50.0),
        load::LoadReport::percentile(&report.attempt_ms, 99.0)
    );
}
