//! The embedded default world: its invariants (no ../shared needed), and its fit against the real
//! BACI world of ILMS 2025 (needs ../shared/data; prints the numbers of docs/embedded-world.md).

use std::path::PathBuf;
use std::sync::OnceLock;

use reciprocity_data::embedded::census_partner;
use reciprocity_data::world::{
    build_embedded_world, embedded_world, RasOptions, RateRule, Side, WorldReport,
};
use reciprocity_model::{ge, Dataset};

/// The ILMS 2025 result on the BACI world: US welfare +1.1307 % for Liberation Day (crates/model tests).
const BACI_US_WELFARE_PCT: f64 = 1.1307;

/// The Liberation Day shock: the US taxes every exporter j at max(0.10, rate_j); nobody retaliates.
fn liberation_day(world: &Dataset, rates: &[f64]) -> Vec<f64> {
    let n = world.n_countries();
    let us = world.country_index("USA").unwrap();
    let mut t = vec![0.0; n * n];
    for j in (0..n).filter(|&j| j != us) {
        world.pairs_mut(&mut t).set(0, j, us, rates[j].max(0.10));
    }
    t
}

/// Per-country welfare change (%) of Liberation Day under the ILMS preset.
fn welfare(world: &Dataset, rates: &[f64]) -> Vec<f64> {
    let cal = ge::calibrate(world, &ge::Params::ilms()).unwrap();
    let eq = ge::solve(
        &cal,
        &liberation_day(world, rates),
        &ge::SolverOptions::default(),
    )
    .unwrap();
    assert!(eq.report.max_residual < 1e-8, "{:?}", eq.report);
    ge::outcomes(&cal, &eq)
        .countries
        .iter()
        .map(|c| c.welfare_pct)
        .collect()
}

/// The embedded world and its report, built once for the tests that read them.
fn built() -> &'static (Dataset, WorldReport) {
    static BUILT: OnceLock<(Dataset, WorldReport)> = OnceLock::new();
    BUILT.get_or_init(|| build_embedded_world(RasOptions::default()).unwrap())
}

#[test]
fn the_embedded_world_has_194_countries_one_sector_and_no_diagonal() {
    let (world, _) = built();
    let n = world.n_countries();
    assert_eq!(n, 194);
    assert_eq!(world.sectors, ["TOTAL"]);
    assert!(!world.has_domestic_flows);
    assert_eq!(world.units, "thousand USD");
    assert!(world.flows.iter().all(|v| v.is_finite() && *v >= 0.0));
    assert!((0..n).all(|i| world.flow_table().get(0, i, i) == 0.0));
}

#[test]
fn the_embedded_us_row_and_column_are_census_2024() {
    // The US row and column are Census 2024 (USD / 1000), with Monaco in France and Liechtenstein in
    // Switzerland as BACI has them. China: 143.5 / 438.9 $bn (shared/data PROVENANCE §1).
    let (world, report) = built();
    let n = world.n_countries();
    let us = world.country_index("USA").unwrap();
    let chn = world.country_index("CHN").unwrap();
    assert_eq!(world.flow_table().get(0, us, chn), 143_545_739.507);
    assert_eq!(world.flow_table().get(0, chn, us), 438_947_386.145);
    for i in (0..n).filter(|&i| i != us) {
        let iso = world.countries[i].as_str();
        let folded = ["MCO", "LIE"]
            .into_iter()
            .filter(|m| report.merged.iter().any(|(f, t)| f == m && t == iso));
        let parts: Vec<_> = std::iter::once(iso)
            .chain(folded)
            .map(|c| census_partner(c).unwrap())
            .collect();
        let x: f64 = parts.iter().map(|p| p.exports_usd / 1000.0).sum();
        let m: f64 = parts.iter().map(|p| p.imports_usd / 1000.0).sum();
        assert_eq!(
            (
                world.flow_table().get(0, us, i),
                world.flow_table().get(0, i, us)
            ),
            (x, m),
            "{iso}"
        );
    }
    let fra = world.country_index("FRA").unwrap();
    let (f, mc) = (
        census_partner("FRA").unwrap(),
        census_partner("MCO").unwrap(),
    );
    assert!(
        (world.flow_table().get(0, fra, us) - (f.imports_usd + mc.imports_usd) / 1000.0).abs()
            < 1e-3
    );
    assert_eq!(
        report.merged,
        [
            ("LIE".to_string(), "CHE".to_string()),
            ("MCO".to_string(), "FRA".to_string())
        ]
    );
}

#[test]
fn every_census_partner_is_in_the_embedded_world_or_reported_as_dropped() {
    // 232 = 193 + 2 merged + 37.
    let (world, report) = built();
    assert_eq!(report.dropped.len(), 37);
    assert_eq!(
        world.n_countries() - 1 + report.merged.len() + report.dropped.len(),
        232
    );
    let twn = report.dropped.iter().find(|d| d.iso3 == "TWN").unwrap();
    assert_eq!(
        twn.us_imports_usd,
        census_partner("TWN").unwrap().imports_usd
    );
}

#[test]
fn the_embedded_non_us_block_fits_the_headline_totals_less_us_trade() {
    // RAS met its tolerance; non-US rows and columns add up to the headline totals less US trade
    // (after the documented reconciliation of the two margins to their mean).
    let (world, report) = built();
    let n = world.n_countries();
    let us = world.country_index("USA").unwrap();
    assert!(
        report.ras.max_relative_error <= 1e-10 && report.ras.iterations < 1000,
        "{:?}",
        report.ras
    );
    let heads = reciprocity_data::world::headline_figures().unwrap();
    let mean = 0.5 * (report.export_targets_kusd + report.import_targets_kusd);
    let gap = (report.export_targets_kusd - report.import_targets_kusd) / mean;
    assert!(
        gap.abs() < 0.01,
        "export and import targets differ by {:.3}%",
        100.0 * gap
    );
    for j in (0..n).filter(|&j| j != us) {
        let row: f64 = (0..n)
            .filter(|&i| i != us)
            .map(|i| world.flow_table().get(0, j, i))
            .sum();
        let target = (heads[j].exports_kusd - world.flow_table().get(0, j, us)).max(0.0);
        let expected = target * mean / report.export_targets_kusd;
        assert!(
            (row - expected).abs() <= 1e-9 * expected.max(1.0),
            "{}: {row} vs {expected}",
            world.countries[j]
        );
    }
    // Three small economies import or export more with the US in Census 2024 than in all of BACI 2023.
    let clamped: Vec<(&str, Side)> = report
        .clamped
        .iter()
        .map(|c| (c.iso3.as_str(), c.side))
        .collect();
    assert_eq!(
        clamped,
        [
            ("SXM", Side::Exports),
            ("LCA", Side::Imports),
            ("TCA", Side::Imports)
        ]
    );
}

#[test]
fn the_embedded_world_carries_the_scenario_inputs() {
    // The Liberation Day column, GDP, the EU groups.
    let (world, report) = built();
    let us = world.country_index("USA").unwrap();
    let rates = &world.columns["us_tariff_liberation_day"];
    let rate = |iso: &str| rates[world.country_index(iso).unwrap()];
    assert_eq!(
        (
            rate("CHN"),
            rate("VNM"),
            rate("DEU"),
            rate("MEX"),
            rate("USA")
        ),
        (0.54, 0.46, 0.20, 0.17, 0.0)
    );
    assert_eq!(report.rate_rules[us], RateRule::Anchor);
    assert_eq!(world.gdp.as_ref().unwrap()[us], 27_843_283_300.0);
    assert_eq!(world.groups["EU27"].len(), 27);
    assert_eq!(world.groups["EU25"].len(), 25);
    assert!(!world.groups["EU25"]
        .iter()
        .any(|c| c == "CZE" || c == "SVK"));
}

#[test]
fn the_embedded_world_reproduces_the_baci_liberation_day_result_for_the_us() {
    // The acceptance target of the embedded world: US welfare within 0.3 points of the BACI world.
    let world = embedded_world().unwrap();
    let w = welfare(&world, &world.columns["us_tariff_liberation_day"]);
    let us = world.country_index("USA").unwrap();
    assert!(
        (w[us] - BACI_US_WELFARE_PCT).abs() < 0.3,
        "US welfare {:.4}%",
        w[us]
    );
    // The taxed exporters lose.
    for iso in ["CHN", "VNM", "MEX", "CAN"] {
        assert!(w[world.country_index(iso).unwrap()] < 0.0, "{iso}");
    }
}

#[test]
fn a_tight_iteration_cap_makes_ras_fail_loudly() {
    let err = build_embedded_world(RasOptions {
        tolerance: 1e-12,
        max_iterations: 2,
    })
    .unwrap_err();
    assert!(err.to_string().starts_with("RAS did not converge"), "{err}");
}

// ---- Measurement against the BACI world (needs ../shared/data) ----

fn shared_data() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn lines(path: PathBuf) -> Vec<String> {
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .skip(1)
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

/// The ILMS 2025 BACI world, read as the ILMS code reads it (flows and GDP in thousand USD).
fn baci_world() -> Dataset {
    let dir = shared_data().join("ilms2025");
    let countries: Vec<String> = lines(dir.join("country_labels.csv"))
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let n = countries.len();
    let mut data = Dataset::zeros("ILMS 2025 (BACI 2023)", countries, vec!["TOTAL".into()]);
    for (j, row) in lines(dir.join("trade_cepii.csv")).iter().enumerate() {
        for (i, cell) in row.split(',').enumerate() {
            if !cell.is_empty() && i != j {
                data.flows[j * n + i] = cell.parse().unwrap();
            }
        }
    }
    data.gdp = Some(
        lines(dir.join("gdp.csv"))
            .iter()
            .map(|l| l.parse::<f64>().unwrap() / 1000.0)
            .collect(),
    );
    let tariffs = lines(dir.join("tariffs.csv"))
        .iter()
        .map(|l| l.parse().unwrap())
        .collect();
    data.columns
        .insert("us_tariff_liberation_day".into(), tariffs);
    data
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
#[ignore = "needs ../shared/data"]
fn measure_the_embedded_world_against_baci() {
    let (world, report) = built();
    let baci = baci_world();
    assert_eq!(
        world.countries, baci.countries,
        "same 194 countries in the same order"
    );
    let us = world.country_index("USA").unwrap();
    print_build_report(world, report);
    let (r_all, r_log) = flow_correlations(world, &baci);
    print_largest_flow_gaps(world, &baci);
    print_trade_totals(world, &baci);
    print_rate_differences(world, &baci);
    let w = welfare_comparison(world, &baci);
    print_welfare_decomposition(world, &baci, &w);

    assert!(
        (w.baci[us] - BACI_US_WELFARE_PCT).abs() < 5e-4,
        "BACI reference {}",
        w.baci[us]
    );
    assert!(
        (w.own[us] - w.baci[us]).abs() < 0.3,
        "target: US within 0.3 points"
    );
    assert!(
        (w.same[us] - w.baci[us]).abs() < 0.3,
        "target: US within 0.3 points"
    );
    assert!(
        r_all > 0.9 && r_log > 0.7,
        "flow correlations {r_all} {r_log}"
    );
}

/// Print what the build dropped, merged and clamped, the target gap and how RAS ended.
fn print_build_report(world: &Dataset, report: &WorldReport) {
    println!(
        "countries {}; Census partners dropped {} (merged {:?})",
        world.n_countries(),
        report.dropped.len(),
        report.merged
    );
    let (dx, dm) = report.dropped.iter().fold((0.0, 0.0), |(x, m), d| {
        (x + d.us_exports_usd, m + d.us_imports_usd)
    });
    println!(
        "  dropped US trade: exports {:.1} $bn, imports {:.1} $bn",
        dx / 1e9,
        dm / 1e9
    );
    for d in &report.dropped {
        println!(
            "  dropped {} {}: {:.3} / {:.3} $bn",
            d.iso3,
            d.name,
            d.us_exports_usd / 1e9,
            d.us_imports_usd / 1e9
        );
    }
    println!("clamped {:?}", report.clamped);
    println!(
        "targets: exports {:.4e} imports {:.4e} kUSD, gap {:.3}%",
        report.export_targets_kusd,
        report.import_targets_kusd,
        100.0 * (report.export_targets_kusd - report.import_targets_kusd)
            / report.import_targets_kusd
    );
    println!("RAS {:?}", report.ras);
}

/// The off-diagonal cells (exporter, importer) of an `n`-country world.
fn off_diagonal_cells(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|j| (0..n).map(move |i| (j, i)))
        .filter(|(j, i)| j != i)
        .collect()
}

/// Flow correlations on the off-diagonal cells: all, the non-US block, the US row and column, and
/// logs where both are > 0; printed, and (all, logs) returned.
fn flow_correlations(world: &Dataset, baci: &Dataset) -> (f64, f64) {
    let n = world.n_countries();
    let us = world.country_index("USA").unwrap();
    let cells = off_diagonal_cells(n);
    let pick = |keep: &dyn Fn(usize, usize) -> bool| -> (Vec<f64>, Vec<f64>) {
        cells
            .iter()
            .filter(|(j, i)| keep(*j, *i))
            .map(|&(j, i)| (world.flows[j * n + i], baci.flows[j * n + i]))
            .unzip()
    };
    let (a, b) = pick(&|_, _| true);
    let r_all = correlation(&a, &b);
    let (a, b) = pick(&|j, i| j != us && i != us);
    let r_block = correlation(&a, &b);
    let (a, b) = pick(&|j, i| world.flows[j * n + i] > 0.0 && baci.flows[j * n + i] > 0.0);
    let (la, lb): (Vec<f64>, Vec<f64>) = a.iter().zip(&b).map(|(x, y)| (x.ln(), y.ln())).unzip();
    let r_log = correlation(&la, &lb);
    let (a, b) = pick(&|j, i| j == us || i == us);
    let r_us = correlation(&a, &b);
    let zero_in_baci = cells
        .iter()
        .filter(|&&(j, i)| baci.flows[j * n + i] == 0.0)
        .count();
    println!(
        "corr levels all {r_all:.4}, non-US block {r_block:.4}, US row+column {r_us:.4}; \
         logs (both > 0, {} cells) {r_log:.4}; cells empty in BACI {zero_in_baci} of {}",
        la.len(),
        cells.len()
    );
    (r_all, r_log)
}

/// Print the six flows furthest from BACI, and the two neighbours whose capitals are 8 km apart.
fn print_largest_flow_gaps(world: &Dataset, baci: &Dataset) {
    let n = world.n_countries();
    let mut by_gap = off_diagonal_cells(n);
    let gap = |&(j, i): &(usize, usize)| (world.flows[j * n + i] - baci.flows[j * n + i]).abs();
    by_gap.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
    for &(j, i) in &by_gap[..6] {
        let (a, b) = (world.flows[j * n + i], baci.flows[j * n + i]);
        println!(
            "  flow {}->{}: imputed {:.1} BACI {:.1} $bn",
            world.countries[j],
            world.countries[i],
            a / 1e6,
            b / 1e6
        );
    }
    let (cod, cog) = (
        world.country_index("COD").unwrap(),
        world.country_index("COG").unwrap(),
    );
    println!(
        "  capitals 8 km apart: COD->COG imputed {:.2} $bn (BACI {:.2}), COG->COD {:.2} (BACI {:.2})",
        world.flows[cod * n + cog] / 1e6,
        baci.flows[cod * n + cog] / 1e6,
        world.flows[cog * n + cod] / 1e6,
        baci.flows[cog * n + cod] / 1e6
    );
}

/// Print world trade and US exports and imports in both worlds.
fn print_trade_totals(world: &Dataset, baci: &Dataset) {
    let n = world.n_countries();
    let us = world.country_index("USA").unwrap();
    let total = |d: &Dataset| d.flows.iter().sum::<f64>();
    let side = |d: &Dataset, exports: bool| -> f64 {
        (0..n)
            .filter(|&k| k != us)
            .map(|k| {
                if exports {
                    d.flows[us * n + k]
                } else {
                    d.flows[k * n + us]
                }
            })
            .sum()
    };
    println!(
        "world trade {:.4e} vs BACI {:.4e}; US exports {:.4e} vs {:.4e}; US imports {:.4e} vs {:.4e} kUSD",
        total(world),
        total(baci),
        side(world, true),
        side(baci, true),
        side(world, false),
        side(baci, false)
    );
}

/// Print the countries whose Liberation Day rate differs from ILMS tariffs.csv (after the 10% floor).
fn print_rate_differences(world: &Dataset, baci: &Dataset) {
    let ours = &world.columns["us_tariff_liberation_day"];
    let ilms = &baci.columns["us_tariff_liberation_day"];
    let differs = |k: &usize| (ours[*k].max(0.1) - ilms[*k].max(0.1)).abs() > 1e-12;
    for k in (0..world.n_countries()).filter(differs) {
        println!(
            "  rate {}: ours {} ILMS {}",
            world.countries[k], ours[k], ilms[k]
        );
    }
}

/// Per-country welfare (%) of Liberation Day in three runs.
struct Welfare {
    /// The BACI world with the ILMS rates (the reference).
    baci: Vec<f64>,
    /// The embedded world with the same ILMS rates (isolates the flows).
    same: Vec<f64>,
    /// The embedded world with its own rates (the default).
    own: Vec<f64>,
}

/// Run the three welfare cases of [`Welfare`] and print them side by side, with the mean gap to
/// BACI, the correlation across countries and the largest gaps.
fn welfare_comparison(world: &Dataset, baci: &Dataset) -> Welfare {
    let n = world.n_countries();
    let ilms = &baci.columns["us_tariff_liberation_day"];
    let w = Welfare {
        baci: welfare(baci, ilms),
        same: welfare(world, ilms),
        own: welfare(world, &world.columns["us_tariff_liberation_day"]),
    };
    println!("country   BACI   embedded(ILMS rates)   embedded(own rates)");
    for iso in [
        "USA", "CHN", "MEX", "CAN", "VNM", "DEU", "JPN", "IND", "GBR", "IRL", "CHE", "KOR",
    ] {
        let k = world.country_index(iso).unwrap();
        println!(
            "{iso}   {:+.4}   {:+.4}   {:+.4}",
            w.baci[k], w.same[k], w.own[k]
        );
    }
    let diffs: Vec<f64> = (0..n).map(|k| w.same[k] - w.baci[k]).collect();
    let mad = diffs.iter().map(|d| d.abs()).sum::<f64>() / n as f64;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| diffs[b].abs().total_cmp(&diffs[a].abs()));
    println!(
        "welfare, same rates: mean |diff| {mad:.4} pts; corr across countries {:.4}",
        correlation(&w.same, &w.baci)
    );
    for &k in &order[..8] {
        println!(
            "  largest: {} BACI {:+.4} embedded {:+.4}",
            world.countries[k], w.baci[k], w.same[k]
        );
    }
    let diffs_own: Vec<f64> = (0..n).map(|k| w.own[k] - w.baci[k]).collect();
    let mad_own = diffs_own.iter().map(|d| d.abs()).sum::<f64>() / n as f64;
    println!(
        "welfare, own rates: mean |diff| {mad_own:.4} pts; corr {:.4}",
        correlation(&w.own, &w.baci)
    );
    w
}

/// Decomposition of the welfare gap: swap the US row and column between the two worlds.
/// H1 = BACI with the Census US row/column (the data-year effect); H2 = the imputed non-US block
/// with the BACI US row/column (the gravity + RAS effect). Printed beside BACI and the embedded world.
fn print_welfare_decomposition(world: &Dataset, baci: &Dataset, w: &Welfare) {
    let n = world.n_countries();
    let us = world.country_index("USA").unwrap();
    let ilms = &baci.columns["us_tariff_liberation_day"];
    let swap_us = |base: &Dataset, us_from: &Dataset| {
        let mut d = base.clone();
        for k in 0..n {
            d.flows[us * n + k] = us_from.flows[us * n + k];
            d.flows[k * n + us] = us_from.flows[k * n + us];
        }
        d
    };
    let w_h1 = welfare(&swap_us(baci, world), ilms);
    let w_h2 = welfare(&swap_us(world, baci), ilms);
    println!("country   BACI   H1 BACI+Census US   H2 imputed+BACI US   embedded");
    for iso in ["USA", "CHN", "MEX", "CAN", "VNM", "DEU", "IRL", "KOR"] {
        let k = world.country_index(iso).unwrap();
        println!(
            "{iso}   {:+.4}   {:+.4}   {:+.4}   {:+.4}",
            w.baci[k], w_h1[k], w_h2[k], w.same[k]
        );
    }
    for (label, h) in [("H1", &w_h1), ("H2", &w_h2)] {
        let mad = (0..n).map(|k| (h[k] - w.baci[k]).abs()).sum::<f64>() / n as f64;
        println!("{label}: mean |diff| to BACI {mad:.4} pts");
    }
}
