//! `reciprocity report --out DIR` on the embedded data alone.

mod common;

#[test]
fn report_writes_formula_section_and_chart() {
    // No shared data: the report must work from the embedded tables.
    let (_dir, out, md) = common::report_with(&[]);
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
    // Every chart whole, with its caption, on today's date too.
    common::figures::assert_figures_whole(&out, &md);
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

#[test]
fn report_with_draws_0_has_no_bands() {
    let (_dir, out, md) = common::report_with(&["--draws", "0"]);
    assert!(!md.contains("**Uncertainty.**"));
    assert!(!md.contains("This section stays on the embedded one-sector world"));
    // The default world has one sector: no sector section.
    assert!(!md.contains("## The US by sector"), "{md}");
    assert!(!out.join("us_by_sector.csv").exists());
    let svg = std::fs::read_to_string(out.join("ge_welfare.svg")).unwrap();
    assert_eq!(svg.matches("<circle").count(), 0);
    for chart in ["ge_welfare", "strategy_retaliation"] {
        let svg = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        assert_eq!(svg.matches(ERROR_BAR).count(), 0, "{chart}");
    }
    common::figures::assert_figures_whole(&out, &md);
}

#[test]
fn report_on_the_sector_world_at_a_date_has_the_us_by_sector() {
    let (_dir, out, md) =
        common::report_with(&["--draws", "0", "--date", "2025-06-01", "--world", "sectors"]);
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
    // The strategy section says it stays on the one-sector world.
    assert!(
        md.contains("This section stays on the embedded one-sector world"),
        "{md}"
    );
    // Steel and autos carry their Section 232 rates (weighted by 2024 imports by HS line, from
    // ../shared/data or the compiled-in Census HS8 table), services none.
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
    // The charts on the sector world's regions, whole, with their captions.
    let figures = common::figures::assert_figures_whole(&out, &md);
    assert_eq!(figures.len(), 5);
}

/// The stroke of an error bar in an SVG (`chart::ERROR_BAR`): one per band.
const ERROR_BAR: &str = "stroke=\"#222222\"";

/// Every chart of the report as a PNG: no label cut at an edge; each names its scenario, source and
/// date, in the chart and under it; the welfare chart ranked with the largest losers; error bars
/// on every chart of GE numbers with bands. A few draws; a date the day after the last event of
/// the timeline, whose label must turn back from the axis's end.
#[test]
fn every_report_chart_renders_to_png_whole_with_its_caption() {
    let (_dir, out, md) = common::report_with(&["--draws", "4", "--date", "2025-08-08"]);
    let figures = common::figures::assert_figures_whole(&out, &md);
    let scenarios = [
        (
            "tariff_gap",
            "Scenario: the April 2, 2025 reciprocal-tariff formula with the official parameters",
        ),
        (
            "timeline",
            "Scenario: the US tariff measures in force each day from 2025-01-01 to 2025-08-08",
        ),
        (
            "ge_welfare",
            "Scenario: Liberation Day (examples/scenarios/ilms/liberation-day.toml)",
        ),
        (
            "strategy_retaliation",
            "Scenario: the US levies the Liberation Day rates or its optimal uniform tariff",
        ),
        (
            "negotiations/deals_over_time",
            "Scenario: a simulated 90-day pause from 2025-04-10",
        ),
    ];
    let names: Vec<&str> = figures.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, scenarios.map(|s| s.0), "the report's figures");
    for ((path, text), (_, scenario)) in figures.iter().zip(scenarios) {
        assert!(
            text.contains(scenario),
            "{path}: {scenario:?} not in {text}"
        );
    }
    let svg = |name: &str| std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
    // Ranked from the largest gain to the largest loss: the values drawn next to the bars (signed,
    // two decimals) in the order drawn.
    let welfare = &figures[2].1;
    let values: Vec<f64> = welfare
        .split_whitespace()
        .filter(|t| t.starts_with(['+', '-']) && t.len() > 3 && t.as_bytes()[t.len() - 3] == b'.')
        .map(|t| t.parse().unwrap())
        .collect();
    assert!((30..=35).contains(&values.len()), "{values:?}");
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "not ranked: {values:?}"
    );
    // The five largest losers of the world are on it, the largest last.
    let csv = std::fs::read_to_string(out.join("ge_liberation_day.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "welfare_pct").unwrap();
    let mut rows: Vec<(String, f64)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            // Country names hold commas (quoted): count the welfare column from the end.
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                f[f.len() - (header.len() - col)].parse().unwrap(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (iso3, _) in &rows[..5] {
        assert!(welfare.contains(&format!("{iso3} ")), "{iso3} missing");
    }
    assert_eq!(
        format!("{:+.2}", rows[0].1),
        format!("{:+.2}", values[values.len() - 1])
    );
    // Error bars: one per country of the welfare chart, one per Liberation Day case of the
    // retaliation chart (the optimal tariff's cases have no bands); a median dot on each.
    assert_eq!(svg("ge_welfare").matches(ERROR_BAR).count(), values.len());
    assert_eq!(svg("ge_welfare").matches("<circle").count(), values.len());
    assert_eq!(svg("strategy_retaliation").matches(ERROR_BAR).count(), 3);
    assert_eq!(svg("strategy_retaliation").matches("<circle").count(), 3);
    // And the bands in the retaliation table's US cells.
    let ld_rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| Liberation Day |"))
        .collect();
    assert_eq!(ld_rows.len(), 3);
    for row in ld_rows {
        let us = row.split('|').nth(3).unwrap();
        assert!(us.contains(" / ") && us.contains(" ["), "{row}");
    }
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
