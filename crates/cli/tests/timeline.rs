//! `reciprocity timeline`: import-weighted averages over time. The first tests use only the embedded
//! Census partner totals; the ignored ones use ../shared/data (HS detail, peer comparison).

use std::path::PathBuf;

mod common;
use common::run;

fn shared() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        })
}

fn rows(out: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn partner_totals_only_step_series() {
    let (code, out, err) = run(&[
        "timeline",
        "--from",
        "2025-04-01",
        "--to",
        "2025-05-31",
        "--no-shared",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    let at = |d: &str| {
        rows.iter()
            .find(|r| r["date"] == d)
            .unwrap_or_else(|| panic!("{d} in {out}"))["additional_pct"]
            .as_f64()
            .unwrap()
    };
    // Before the baseline: only fentanyl duties (China 20%, non-USMCA Canada/Mexico 25%).
    let before = at("2025-04-01");
    // The baseline adds 10 points on every partner but Canada and Mexico (and the few exempt ones).
    let after = at("2025-04-05");
    assert!(
        after - before > 6.0 && after - before < 8.0,
        "{before} -> {after}"
    );
    // China's 125% from 2025-04-10 and back to 10% on 2025-05-14 dominate the path.
    assert!(at("2025-04-10") > at("2025-04-05") + 10.0);
    assert!(at("2025-05-14") < at("2025-04-10") - 10.0);
    // Every point is a change date of the registry or --from.
    assert_eq!(rows[0]["date"], "2025-04-01");
    assert!(rows.iter().all(|r| r["base_pct"].is_null()));
}

#[test]
fn daily_csv_and_chart_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("t.svg");
    let csv = dir.path().join("t.csv");
    let (code, _, err) = run(&[
        "timeline",
        "--from",
        "2025-04-01",
        "--to",
        "2025-04-30",
        "--daily",
        "--no-shared",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
        "--chart",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 31, "header + 30 days");
    assert!(text.contains("2025-04-05,") && text.contains("10% baseline"));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("90-day pause"));
    let (code, _, _) = run(&[
        "timeline",
        "--from",
        "2025-05-01",
        "--to",
        "2025-04-01",
        "--no-shared",
    ]);
    assert_eq!(code, 2);
    let (code, _, err) = run(&[
        "timeline",
        "--no-shared",
        "--chart",
        dir.path().join("t.jpg").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn hs_detail_and_peer_comparison() {
    let dir = shared();
    let s = dir.to_str().unwrap();
    let (code, out, err) = run(&[
        "timeline",
        "--shared",
        s,
        "--from",
        "2025-01-01",
        "--to",
        "2025-08-07",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    let first = &rows[0];
    // The 2024 applied tariff (calculated duties / imports for consumption) is about 2.4%; the peer's is 2.3.
    let base = first["base_pct"].as_f64().unwrap();
    assert!((base - 2.3).abs() < 0.3, "{base}");
    let last = rows.last().unwrap();
    assert_eq!(last["date"], "2025-08-07");
    let peer = last["peer_total_pct"].as_f64().unwrap();
    let ours = last["total_pct"].as_f64().unwrap();
    assert!((ours - peer).abs() < 5.0, "ours {ours} peer {peer}");
    let (code, out, err) = run(&[
        "timeline",
        "--shared",
        s,
        "--compare-peer",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    // 23 peer dates x (51 partners + the national total).
    assert_eq!(out.lines().count(), 1 + 23 * 52);
    let vnm = out
        .lines()
        .find(|l| l.starts_with("2025-08-07,VNM,"))
        .unwrap();
    let f: Vec<&str> = vnm.split(',').collect();
    let (ours, peer): (f64, f64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
    assert!((ours - peer).abs() < 2.0, "{vnm}");
}
