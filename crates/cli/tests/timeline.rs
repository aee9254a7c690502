//! `reciprocity timeline`: import-weighted averages over time. The first tests use only what is
//! compiled in (Census partner totals, the HS8 table); the ignored ones use ../shared/data (HS
//! detail, peer comparison).

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

fn series(extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec![
        "timeline",
        "--from",
        "2025-04-01",
        "--to",
        "2025-05-31",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    rows(&out)
}

fn at(rows: &[serde_json::Value], d: &str, field: &str) -> f64 {
    rows.iter()
        .find(|r| r["date"] == d)
        .unwrap_or_else(|| panic!("{d} in {rows:?}"))[field]
        .as_f64()
        .unwrap()
}

#[test]
fn compiled_in_hs_detail_step_series() {
    let rows = series(&["--no-shared"]);
    let add = |d: &str| at(&rows, d, "additional_pct");
    // Before the baseline: only fentanyl duties (China 20%, non-USMCA Canada/Mexico 25%).
    let before = add("2025-04-01");
    // The baseline adds 10 points on every partner but Canada and Mexico, less Annex II's
    // exempt headings (energy, pharmaceuticals, ...): the HS detail sees them.
    let after = add("2025-04-05");
    assert!(
        after - before > 5.0 && after - before < 6.5,
        "{before} -> {after}"
    );
    // China's 125% from 2025-04-10 and back to 10% on 2025-05-14 dominate the path.
    assert!(add("2025-04-10") > add("2025-04-05") + 10.0);
    assert!(add("2025-05-14") < add("2025-04-10") - 10.0);
    // Every point is a change date of the registry or --from.
    assert_eq!(rows[0]["date"], "2025-04-01");
    // The base (2024 applied duty) comes with the HS detail.
    let base = at(&rows, "2025-04-01", "base_pct");
    assert!(base > 2.0 && base < 3.0, "{base}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_compiled_in_hs_detail_is_close_to_the_shared_one() {
    let embedded = series(&["--no-shared"]);
    let shared = series(&["--shared", shared().to_str().unwrap()]);
    assert_eq!(embedded.len(), shared.len());
    for r in &shared {
        let d = r["date"].as_str().unwrap();
        let (a, b) = (
            at(&embedded, d, "additional_pct"),
            at(&shared, d, "additional_pct"),
        );
        // Measured: at most 0.072 points apart (2025-04-09), here and from 2025-01 to 2026-03.
        assert!((a - b).abs() < 0.2, "{d}: compiled-in {a}, shared {b}");
        let (a, b) = (at(&embedded, d, "base_pct"), at(&shared, d, "base_pct"));
        assert!((a - b).abs() < 0.05, "{d}: base {a} vs {b}");
    }
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
