//! `reciprocity report --out DIR` on the embedded data alone.

mod common;

#[test]
fn report_writes_formula_section_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let res = common::bin()
        .args(["report", "--out", out.to_str().unwrap()])
        // No shared data: the report must work from the embedded tables.
        .env("RECIPROCITY_SHARED_DATA", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    for f in [
        "REPORT.md",
        "formula.csv",
        "formula.md",
        "formula_pass_through_0.945.csv",
        "tariff_gap.svg",
        "tariff_gap.png",
        "costs.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let md = std::fs::read_to_string(out.join("REPORT.md")).unwrap();
    assert!(md.contains("## The April 2, 2025 reciprocal-tariff formula"));
    assert!(
        md.contains(
            "charged rate for **185/185** partners and its reciprocal rate for **182/185**"
        ),
        "{md}"
    );
    for iso_reason in [
        "**Japan**: chart 46/24, formula 46/23",
        "**Vietnam**: chart 90/46, formula 90/45",
        "**Afghanistan**: chart 49/10, formula 49/25",
    ] {
        assert!(md.contains(iso_reason), "{iso_reason}");
    }
    assert!(
        md.contains("| China | 438.9 | 143.5 | 67.3 | 67 / 67 | 34 / 34 | 7.4 | 10 |"),
        "{md}"
    );
    assert!(md.contains("![The tariff gap"));
    // The costs in dollars, from the embedded product tables, with their sources.
    assert!(md.contains("## What the tariffs in force cost, in dollars"));
    assert!(md.contains("FRBSF Economic Letter 2019-01"));
    let costs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("costs.json")).unwrap()).unwrap();
    let price = costs["price_level_pct"].as_f64().unwrap();
    let increase = costs["etr_increase_pts"].as_f64().unwrap();
    assert!((price - 0.107 * increase).abs() < 1e-9, "{costs}");
    assert!(costs["cost_per_household_usd"].as_f64().unwrap() > 0.0);
    let csv = std::fs::read_to_string(out.join("formula.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 233);
    // The GE section's bands: 200 draws by default, every one converged, the US row with its
    // point estimate, median and band, the distributions named, error bars and medians on the chart.
    assert!(
        md.contains("over 200 draws of the uncertain parameters (seed 1; 200 converged, 0 failed"),
        "{md}"
    );
    assert!(md.contains("ILMS (2025) Table 7"), "{md}");
    assert!(
        md.contains("With the Liberation Day tariffs, US welfare, median [5th, 95th percentile] over 200 draws"),
        "{md}"
    );
    assert!(md.contains("(assumption"), "{md}");
    let us = md
        .lines()
        .find(|l| l.starts_with("| United States (USA) |"))
        .unwrap();
    assert!(us.contains(" / ") && us.contains(" [+"), "{us}");
    let svg = std::fs::read_to_string(out.join("ge_welfare.svg")).unwrap();
    assert!(
        svg.matches("<circle").count() >= 30,
        "medians on the welfare chart"
    );
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn report_into_a_file_path_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x");
    std::fs::write(&file, "x").unwrap();
    let res = common::bin()
        .args(["report", "--out", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.trim_end()
            .ends_with("x: expected a directory, found a file"),
        "{err}"
    );
}

/// `reciprocity report --out DIR --draws 0 ARGS…` without ../shared: the folder (kept alive),
/// the report's folder and its REPORT.md.
fn report_without_draws(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let res = common::bin()
        .args(["report", "--out", out.to_str().unwrap(), "--draws", "0"])
        .args(args)
        .env("RECIPROCITY_SHARED_DATA", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let md = std::fs::read_to_string(out.join("REPORT.md")).unwrap();
    (dir, out, md)
}

#[test]
fn report_with_draws_0_has_no_bands() {
    let (_dir, out, md) = report_without_draws(&[]);
    assert!(!md.contains("**Uncertainty.**"));
    // The default world has one sector: no sector section.
    assert!(!md.contains("## The US by sector"), "{md}");
    assert!(!out.join("us_by_sector.csv").exists());
    let svg = std::fs::read_to_string(out.join("ge_welfare.svg")).unwrap();
    assert_eq!(svg.matches("<circle").count(), 0);
}

#[test]
fn report_on_the_sector_world_at_a_date_has_the_us_by_sector() {
    let (_dir, out, md) = report_without_draws(&["--date", "2025-06-01", "--world", "sectors"]);
    assert!(
        md.contains("Tariffs in force on 2025-06-01 (`--date`)"),
        "{md}"
    );
    assert!(md.contains("## The US tariff on 2025-06-01"), "{md}");
    assert!(
        md.contains("**The statutory effective US tariff rate on 2025-06-01: "),
        "{md}"
    );
    assert!(
        md.contains("What the tariffs in force cost, in dollars (2025-06-01)"),
        "{md}"
    );
    assert!(md.contains("## The US by sector"), "{md}");
    assert!(md.contains("Date: tariffs in force on 2025-06-01"), "{md}");
    assert!(
        md.contains("OECD Inter-Country Input-Output Tables"),
        "{md}"
    );
    assert!(md.contains("on the goods sectors"), "{md}");
    // Steel and autos carry their Section 232 rates (without ../shared/data the rates are
    // unweighted means over the sector's chapters: lower than the import-weighted ones), services none.
    let row = |sector: &str| {
        md.lines()
            .find(|l| l.starts_with(&format!("| {sector} |")))
            .unwrap_or_else(|| panic!("{sector} row missing"))
            .to_string()
    };
    let cell = |sector: &str, n: usize| -> f64 {
        let r = row(sector);
        r.split('|').nth(n).unwrap().trim().parse().unwrap()
    };
    let pharma = cell("PHARMACEUTICALS", 2);
    assert!(cell("IRON_STEEL", 2) > pharma, "{}", row("IRON_STEEL"));
    assert!(
        cell("MOTOR_VEHICLES", 2) > pharma,
        "{}",
        row("MOTOR_VEHICLES")
    );
    assert_eq!(cell("SERVICES", 2), 0.0);
    // Imports of steel fall, its output rises.
    assert!(
        cell("IRON_STEEL", 9) < 0.0 && cell("IRON_STEEL", 4) > 0.0,
        "{}",
        row("IRON_STEEL")
    );
    let csv = std::fs::read_to_string(out.join("us_by_sector.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 14);
}

#[test]
fn report_flags_are_checked_before_any_section_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    for (args, flag) in [
        (["--world", "gtap"], "--world: unknown embedded world"),
        (["--date", "2025-13-01"], "--date: "),
    ] {
        let res = common::bin()
            .args(["report", "--out", out.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(res.status.code(), Some(2));
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(err.contains(flag), "{err}");
    }
    assert!(!out.join("REPORT.md").exists());
}
