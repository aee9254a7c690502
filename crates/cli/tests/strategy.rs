//! `reciprocity strategy ...` end to end: on the embedded world (no data needed) and, ignored
//! without ../shared/data, on the ILMS world against the published figures.

mod common;

use std::path::PathBuf;
use std::process::Output;

fn run(args: &[&str]) -> Output {
    common::bin()
        .args(args)
        .env("RECIPROCITY_SHARED_DATA", "/nonexistent")
        .output()
        .unwrap()
}

fn ok_json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn shared() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

#[test]
fn optimal_tariff_on_the_embedded_world() {
    let doc = ok_json(&[
        "strategy",
        "optimal",
        "--country",
        "USA",
        "--format",
        "json",
    ]);
    let cf = doc["closed_form_expenditure_pct"].as_f64().unwrap();
    let numerical = doc["numerical_uniform_equivalent_pct"].as_f64().unwrap();
    let w = doc["welfare_pct"].as_f64().unwrap();
    let w_cf = doc["welfare_at_closed_form_pct"].as_f64().unwrap();
    // The optimum itself is specified in the model's and the service's tests; here, that the
    // command prints every number of the document, finite, with one uniform rate.
    for v in [cf, numerical, w, w_cf] {
        assert!(v.is_finite(), "{doc}");
    }
    assert_eq!(doc["rates"].as_array().unwrap().len(), 1);
}

#[test]
fn retaliation_rules_on_the_embedded_world() {
    let doc = ok_json(&[
        "strategy",
        "retaliate",
        "--country",
        "USA",
        "--tariff",
        "liberation-day",
        "--rates",
        "CHN=0.34,EU27=0.2",
        "--format",
        "json",
    ]);
    let rules = doc["rules"].as_array().unwrap();
    let us = |i: usize| rules[i][2].as_f64().unwrap();
    assert_eq!(
        rules
            .iter()
            .map(|r| r[0].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["none", "reciprocal", "optimal", "explicit"]
    );
    // The welfare of each case is the model's (tests/retaliation.rs, service strategy tests);
    // here, one finite number per rule.
    assert!((0..4).all(|i| us(i).is_finite()), "{rules:?}");
    // The explicit set: China levies 34% on US goods, a non-listed partner nothing.
    let rows = doc["countries"].as_array().unwrap();
    let rate = |rule: &str, iso: &str| {
        rows.iter()
            .find(|r| r["rule"] == rule && r["iso3"] == iso)
            .unwrap()["rate_on_target_pct"]
            .as_f64()
            .unwrap()
    };
    assert!((rate("explicit", "CHN") - 34.0).abs() < 1e-9);
    assert!((rate("explicit", "FRA") - 20.0).abs() < 1e-9);
    assert_eq!(rate("explicit", "BRA"), 0.0);
    assert!(
        (rate("reciprocal", "CHN") - rate("none", "CHN")).abs() > 1.0,
        "the mirror changes China's rate"
    );
}

#[test]
fn retaliation_draws_band_each_rule() {
    let args = [
        "strategy",
        "retaliate",
        "--tariff",
        "liberation-day",
        "--draws",
        "12",
        "--seed",
        "3",
        "--format",
        "json",
    ];
    let doc = ok_json(&args);
    let bands = &doc["bands"];
    assert_eq!(
        (bands["draws"].as_u64(), bands["seed"].as_u64()),
        (Some(12), Some(3))
    );
    assert_eq!(bands["failed"], 0, "{}", bands["failures"]);
    let rules = bands["rules"].as_array().unwrap();
    let names: Vec<&str> = rules.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(names, ["none", "reciprocal", "optimal"]);
    for r in rules {
        let w = &r["target_welfare_pct"];
        let (lo, mid, hi) = (
            w["p05"].as_f64().unwrap(),
            w["median"].as_f64().unwrap(),
            w["p95"].as_f64().unwrap(),
        );
        assert!(lo <= mid && mid <= hi && lo < hi, "{r}");
    }
    // Retaliation hurts the US in the median too.
    let median = |i: usize| rules[i]["target_welfare_pct"]["median"].as_f64().unwrap();
    assert!(median(2) < median(0), "{rules:?}");
    assert_eq!(doc, ok_json(&args));
    // CSV: the country rows, then the bands in long form.
    let mut csv_args = args;
    csv_args[9] = "csv";
    let out = run(&csv_args);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\nrule,iso3,measure,median,p05,p95,draws,seed,failed\n"),
        "{text}"
    );
    assert!(text.contains("\nnone,USA,welfare_pct,"), "{text}");
}

#[test]
fn a_war_among_three_players_and_its_errors() {
    let out = run(&[
        "strategy",
        "nash",
        "--players",
        "USA,CHN,EU27",
        "--format",
        "csv",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        "player,members,control,nash_rate_pct,closed_form_at_nash_pct,welfare_pct"
    );
    assert_eq!(rows.len(), 4, "{text}");
    for row in &rows[1..] {
        let cells: Vec<&str> = row.split(',').collect();
        let rate: f64 = cells[3].parse().unwrap();
        assert!(rate > 1.0 && rate < 100.0, "{row}");
    }
    assert!(
        rows.iter().any(|r| r.starts_with("EU27,27,")),
        "the EU plays as one bloc: {text}"
    );
    // Too few rounds: an error naming the residual, exit 1, nothing on stdout.
    let out = run(&[
        "strategy",
        "nash",
        "--players",
        "USA,CHN",
        "--max-rounds",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did not converge after 1 iterations"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    // Bad input: exit 2, one line.
    for args in [
        vec!["strategy", "nash", "--players", "USA,XXX"],
        vec!["strategy", "optimal", "--country", "USA", "--by", "sector"],
        vec!["strategy", "bargain", "--partner", "CHN", "--weight", "1.5"],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim().lines().count(),
            1,
            "{args:?}"
        );
    }
}

#[test]
fn bargaining_with_china_writes_the_frontier() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("frontier.csv");
    let svg = dir.path().join("frontier.svg");
    let doc = ok_json(&[
        "strategy",
        "bargain",
        "--partner",
        "CHN",
        "--points",
        "5",
        "--format",
        "json",
        "--frontier",
        csv.to_str().unwrap(),
        "--chart",
        svg.to_str().unwrap(),
    ]);
    assert!(doc["threat"].as_str().unwrap().contains("Liberation Day"));
    let (gh, gp) = (
        doc["home_gain"].as_f64().unwrap(),
        doc["partner_gain"].as_f64().unwrap(),
    );
    assert!(gh > 0.0 && gp > 0.0, "individually rational: {gh} {gp}");
    // The solution lies on or beyond the traced frontier: no frontier point is better for both.
    let (wh, wp) = (
        doc["solution"]["home_welfare_pct"].as_f64().unwrap(),
        doc["solution"]["partner_welfare_pct"].as_f64().unwrap(),
    );
    for f in doc["frontier"].as_array().unwrap() {
        let (fh, fp) = (
            f["home_welfare_pct"].as_f64().unwrap(),
            f["partner_welfare_pct"].as_f64().unwrap(),
        );
        assert!(
            fh <= wh + 1e-6 || fp <= wp + 1e-6,
            "frontier point dominates the solution: {f}"
        );
    }
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 6);
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("Nash bargaining solution"));
    assert!(doc["reciprocity"]["terms_of_trade_pct"]
        .as_f64()
        .unwrap()
        .is_finite());
}

#[test]
#[ignore = "needs ../shared/data"]
fn ilms_published_retaliation_and_the_us_optimum() {
    let ilms = shared().join("ilms2025");
    let ilms = ilms.to_str().unwrap();
    let doc = ok_json(&[
        "strategy",
        "retaliate",
        "--data",
        ilms,
        "--tariff",
        "liberation-day",
        "--format",
        "json",
    ]);
    let rules = doc["rules"].as_array().unwrap();
    // ILMS (2025) Tables 1-2: +1.13, −0.36 (reciprocal), −0.75 (optimal retaliation).
    for (i, published) in [(0, 1.13), (1, -0.36), (2, -0.75)] {
        let ours = rules[i][2].as_f64().unwrap();
        assert!(
            (ours - published).abs() <= 0.005 + 1e-9,
            "{}: {ours} vs {published}",
            rules[i][0]
        );
    }
    let doc = ok_json(&[
        "strategy",
        "optimal",
        "--data",
        ilms,
        "--country",
        "USA",
        "--format",
        "json",
    ]);
    assert!((doc["closed_form_expenditure_pct"].as_f64().unwrap() - 21.79882150).abs() < 1e-7);
    assert!((doc["closed_form_income_pct"].as_f64().unwrap() - 18.54320679).abs() < 1e-7);
    assert!((doc["welfare_at_closed_form_pct"].as_f64().unwrap() - 1.79).abs() <= 0.005);
    assert!((doc["numerical_uniform_equivalent_pct"].as_f64().unwrap() - 25.12).abs() < 0.05);
}

#[test]
fn the_optimal_tariff_on_the_embedded_sector_world() {
    let uniform = ok_json(&[
        "strategy",
        "optimal",
        "--country",
        "USA",
        "--world",
        "sectors",
        "--format",
        "json",
    ]);
    assert!(
        uniform["world"]
            .as_str()
            .unwrap()
            .starts_with("embedded sector world"),
        "{uniform}"
    );
    let by_sector = ok_json(&[
        "strategy",
        "optimal",
        "--country",
        "USA",
        "--world",
        "sectors",
        "--by",
        "sector",
        "--format",
        "json",
    ]);
    // A rate for each of the 13 goods sectors; services are not taxed at the border, and the
    // notes say so.
    let rates = by_sector["rates"].as_array().unwrap();
    assert_eq!(rates.len(), 13);
    assert!(
        rates.iter().all(|r| r["control"] != "SERVICES"),
        "{by_sector}"
    );
    assert!(
        by_sector["notes"]
            .to_string()
            .contains("goods sectors only"),
        "{by_sector}"
    );
    let w = |d: &serde_json::Value, key: &str| d[key].as_f64().unwrap();
    // The optimum beats the start (welfare 0 by definition) and the closed form; a rate per
    // sector can do no worse than one rate for all (the uniform rate is one of its choices).
    assert!(w(&uniform, "welfare_pct") > 0.0, "{uniform}");
    assert!(w(&uniform, "welfare_pct") >= w(&uniform, "welfare_at_closed_form_pct") - 1e-9);
    assert!(
        w(&by_sector, "welfare_pct") >= w(&uniform, "welfare_pct") - 1e-6,
        "{} < {}",
        by_sector["welfare_pct"],
        uniform["welfare_pct"]
    );
    // --world and --data are one choice.
    let out = run(&[
        "strategy",
        "optimal",
        "--country",
        "USA",
        "--world",
        "sectors",
        "--data",
        "/tmp",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
